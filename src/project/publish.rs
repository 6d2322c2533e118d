//! Publishing a generated site to the output folder: [`build`] streams every page into the
//! hidden spare output as it is made and swaps it in only when the whole site succeeded;
//! [`build_and_keep`] keeps the project for callers that rebuild it (`hugi watch`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::options::{BuildError, BuildOptions, check_output, check_root};
use super::{Project, Timings};
use crate::diagnostics::Diagnostic;
use crate::output::Artifact;
use crate::write::Staging;

/// Counts for the summary line.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    pub notes: usize,
    pub sessions: usize,
    pub pages: usize,
    pub elapsed: Duration,
    /// Time per stage, writing included.
    pub timings: Timings,
    /// Writing what was not written while generating (static files), removing what the
    /// output no longer has, and swapping the new output in.
    pub write: Duration,
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} notes, {} sessions, {} pages in {} ms",
            self.notes,
            self.sessions,
            self.pages,
            self.elapsed.as_millis()
        )
    }
}

/// Generates the site and publishes it to the output folder. Pages, feeds and search files are
/// written as they are made (into the hidden spare output, swapped in only when everything
/// succeeded), so memory holds the model, not the outputs. Returns the summary and the
/// warnings.
pub fn build(options: &BuildOptions) -> Result<(BuildSummary, Vec<Diagnostic>), BuildError> {
    build_counting(options, &AtomicUsize::new(0))
}

/// [`build`], counting the pages written in `pages` as it goes, for a progress line.
pub fn build_counting(
    options: &BuildOptions,
    pages: &AtomicUsize,
) -> Result<(BuildSummary, Vec<Diagnostic>), BuildError> {
    let started = Instant::now();
    let out = options.output_dir();
    check_root(&options.root)?;
    check_output(&options.root, &out)?;
    let failed = |source| BuildError::Write {
        path: out.display().to_string(),
        source,
    };
    let _lock = crate::write::lock_output(&out).map_err(failed)?;
    let staging = Staging::begin(&out, options.force).map_err(failed)?;
    let sink = |page: &Artifact| {
        if page.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        if options.minify {
            let mut page = page.clone();
            crate::minify::shrink(&mut page);
            staging.write(&page)
        } else {
            staging.write(page)
        }
    };
    // On an error `staging` is dropped uncommitted: the output stays as it was.
    let mut streamed = Project::stream(options, &sink)?;
    if options.minify {
        crate::minify::minify_all(&mut streamed.artifacts);
    }
    let writing = Instant::now();
    staging.write_all(&streamed.artifacts).map_err(failed)?;
    staging.commit().map_err(failed)?;
    let summary = BuildSummary {
        notes: streamed.notes,
        sessions: streamed.sessions,
        pages: pages.load(Ordering::Relaxed) + html_count(&streamed.artifacts),
        elapsed: started.elapsed(),
        timings: streamed.timings,
        write: writing.elapsed(),
    };
    Ok((summary, streamed.warnings))
}

/// Like [`build`], but keeps every output in memory and returns the project, for callers that
/// go on rebuilding it (`hugi watch`, which holds the output's lock for as long as it runs).
pub fn build_and_keep(options: &BuildOptions) -> Result<(BuildSummary, Project), BuildError> {
    let started = Instant::now();
    let out = options.output_dir();
    // The site folder was checked before the output's lock was taken (`hugi watch`), and the
    // read phase checks it again.
    check_output(&options.root, &out)?;
    let (project, timings) = Project::open_timed(options)?;
    // Broken links stop `hugi watch`'s first build as they stop `hugi build`.
    project.judge_links(&project.page_ids())?;
    let mut artifacts = project.artifacts();
    if options.minify {
        crate::minify::minify_all(&mut artifacts);
    }
    let writing = Instant::now();
    crate::write::publish(&artifacts, &out, options.force).map_err(|source| BuildError::Write {
        path: out.display().to_string(),
        source,
    })?;
    let summary = BuildSummary {
        notes: project.site().notes.len(),
        sessions: project.site().session_count(),
        pages: html_count(&artifacts),
        elapsed: started.elapsed(),
        timings,
        write: writing.elapsed(),
    };
    Ok((summary, project))
}

fn html_count(artifacts: &[Artifact]) -> usize {
    artifacts
        .iter()
        .filter(|a| a.path.ends_with(".html"))
        .count()
}
