//! `hugi build`: runs the build and prints its summary, warnings and errors.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hugi::project::{BuildError, BuildOptions, build_counting};

/// How long a build runs before it shows a progress line.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub fn run(options: BuildOptions, timings: bool) -> ExitCode {
    let out = options.output_dir();
    let pages = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let progress = std::io::stderr()
            .is_terminal()
            .then(|| scope.spawn(|| show_progress(&pages, &finished)));
        let result = build_counting(&options, &pages);
        finished.store(true, Ordering::Relaxed);
        if let Some(progress) = progress {
            // Woken at once, so a quick build waits for nothing.
            progress.thread().unpark();
        }
        result
    });
    match result {
        Ok((summary, warnings)) => {
            for warning in &warnings {
                eprintln!("{warning}\n");
            }
            println!("{summary} → {}", out.display());
            if timings {
                println!(
                    "timings: {}, write {} ms",
                    summary.timings,
                    summary.write.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            let colour = hugi::diagnostics::colour_on_stderr();
            match &error {
                BuildError::Invalid(diagnostics) => {
                    let folded = hugi::diagnostics::fold_repeats(diagnostics);
                    let shown: Vec<String> = folded.iter().map(|d| d.render(colour)).collect();
                    eprintln!("{}", shown.join("\n\n"));
                    let errors = folded.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "\nbuild failed: {errors} error(s); {} left unchanged",
                        out.display()
                    );
                }
                other => eprintln!("error: {other}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// On a terminal, a line counting the pages written, from a second into the build until it ends
/// (then wiped, so the summary stands alone).
fn show_progress(pages: &AtomicUsize, finished: &AtomicBool) {
    let started = Instant::now();
    let mut shown = false;
    loop {
        std::thread::park_timeout(Duration::from_millis(100));
        if finished.load(Ordering::Relaxed) {
            break;
        }
        if started.elapsed() >= QUIET_FOR {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r  building: {} pages written",
                pages.load(Ordering::Relaxed)
            );
            let _ = err.flush();
            shown = true;
        }
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
}
