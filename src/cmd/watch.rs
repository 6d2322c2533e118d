//! `hugi watch`: builds into the output folder, then applies every rebuild to it atomically,
//! until Ctrl-C (which ends the process between two publishes or during one, and a publish is a
//! single rename, so the output is always whole).

use std::time::Instant;

use hugi::project::{BuildOptions, build_and_keep, check_output, check_root};
use hugi::watch::{Rebuilder, SiteWatcher};
use hugi::write;

pub fn run(options: BuildOptions) -> anyhow::Result<()> {
    let out = options.output_dir();
    check_root(&options.root)?;
    check_output(&options.root, &out)?;
    // Held until the process ends: a build meanwhile would leave the spare output out of step
    // with what this loop knows of it.
    let _lock = write::lock_output(&out)?;
    let mut watcher = SiteWatcher::new(&options.root, std::slice::from_ref(&out))?;
    let project = match build_and_keep(&options) {
        Ok((summary, project)) => {
            println!("{summary} → {}", out.display());
            Some(project)
        }
        Err(e) => {
            eprintln!("{e}\n");
            None
        }
    };
    println!("watching {} (Ctrl-C to stop)", options.root.display());
    // Whether the output is the project's last output, and what the spare output lacks besides
    // the next rebuild's changes when that is known: the changes of the last publish (the spare
    // holds the output from before it).
    let mut output_is_current = project.is_some();
    let mut spare_lacks: Option<Vec<String>> = None;
    let mut rebuilder = Rebuilder::new(options.clone(), project);
    while let Some(changes) = watcher.next_batch(None) {
        let started = Instant::now();
        let rebuilt = match rebuilder.apply(&changes, false) {
            Ok(rebuilt) => rebuilt,
            Err(e) => {
                eprintln!(
                    "rebuild after {changes} failed; {} left unchanged\n{e}\n",
                    out.display()
                );
                continue;
            }
        };
        let project = rebuilder
            .project()
            .expect("a successful rebuild leaves a project");
        let changed = &rebuilt.report.changed;
        let written = match spare_lacks.take() {
            Some(earlier) if !rebuilt.opened && out.is_dir() && write::spare_dir(&out).is_dir() => {
                write::publish_changes(changed, &earlier, &project.files(), &out)
            }
            _ => write::publish(&project.artifacts(), &out, options.force),
        };
        match written {
            Ok(()) => {
                spare_lacks = (!rebuilt.opened && output_is_current).then(|| changed.clone());
                output_is_current = true;
                println!(
                    "rebuilt {changes}: {} files changed in {} ms",
                    changed.len(),
                    started.elapsed().as_millis()
                )
            }
            Err(e) => {
                output_is_current = false;
                eprintln!("cannot write {}: {e}", out.display())
            }
        }
    }
    Ok(())
}
