//! `hugi build`: options, configuration loading, the output-folder safety check, and publishing
//! the generated site. Every stage reports all the problems it finds; pages are written into a
//! hidden spare output folder as they are made, and the output is replaced only when the whole site
//! generated and was written without errors.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::load;
use crate::output::Artifact;
use crate::project::Project;
use crate::write::Staging;

/// What `hugi build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config (for preview deployments).
    pub base_url: Option<String>,
    /// Include notes marked `draft`.
    pub drafts: bool,
    /// Minify HTML, CSS and JavaScript.
    pub minify: bool,
    /// Overrides `theme` from the config.
    pub theme: Option<String>,
    /// Build into an output folder that holds files hugi did not write (they are kept), and
    /// replace those that stand where the site has files.
    pub force: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files; all of them, in file order.
    #[error("{}", show_all(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("refusing to write the output to {path}: {reason}")]
    UnsafeOutput { path: String, reason: &'static str },
    #[error("cannot write the output to {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

fn show_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    pub notes: usize,
    pub sessions: usize,
    pub pages: usize,
    pub elapsed: Duration,
    /// Time per stage, writing included.
    pub timings: crate::project::Timings,
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

/// Reads `config.toml` if there is one, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config, Diagnostic> {
    let (root, base_url) = (&options.root, options.base_url.as_deref());
    let path = root.join(CONFIG_FILE);
    let mut config = match std::fs::read(&path) {
        Ok(bytes) => {
            let text = load::decode(bytes).map_err(|d| Diagnostic {
                file: CONFIG_FILE.into(),
                ..d
            })?;
            Config::parse(&text, CONFIG_FILE)?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => return Err(Diagnostic::error(CONFIG_FILE, format!("cannot read: {e}"))),
    };
    if let Some(url) = base_url {
        config.base_url = url.to_string();
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
    }
    if let Some(theme) = &options.theme {
        config.theme = theme.clone();
    }
    Ok(config)
}

/// Refuses output folders whose replacement would destroy the user's work.
pub fn check_output(root: &Path, out: &Path) -> Result<(), BuildError> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|p| p.components().collect::<PathBuf>())
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, out_abs) = (absolute(root), absolute(out));
    let refuse = |reason| {
        Err(BuildError::UnsafeOutput {
            path: out.display().to_string(),
            reason,
        })
    };
    if out_abs.parent().is_none() {
        return refuse("it is the file system root");
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == out_abs) {
        return refuse("it is the home folder");
    }
    if root.starts_with(&out_abs) {
        return refuse("it contains the site itself");
    }
    for protected in [load::CONTENT_DIR, "themes", "static", "templates"] {
        if out_abs.starts_with(root.join(protected)) {
            return refuse("it is inside the site's sources");
        }
    }
    Ok(())
}

/// Generates the site and publishes it to the output folder. Pages, feeds and search files are
/// written as they are made (into the hidden spare output, swapped in only when everything
/// succeeded), so memory holds the model, not the outputs. Returns the summary and the
/// warnings.
pub fn build(options: &BuildOptions) -> Result<(BuildSummary, Vec<Diagnostic>), BuildError> {
    let started = Instant::now();
    let out = options.output_dir();
    check_output(&options.root, &out)?;
    let failed = |source| BuildError::Write {
        path: out.display().to_string(),
        source,
    };
    let staging = Staging::begin(&out, options.force).map_err(failed)?;
    let pages = AtomicUsize::new(0);
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
        pages: pages.into_inner() + html_count(&streamed.artifacts),
        elapsed: started.elapsed(),
        timings: streamed.timings,
        write: writing.elapsed(),
    };
    Ok((summary, streamed.warnings))
}

/// Like [`build`], but keeps every output in memory and returns the project, for callers that
/// go on rebuilding it (`hugi watch`).
pub fn build_and_keep(options: &BuildOptions) -> Result<(BuildSummary, Project), BuildError> {
    let started = Instant::now();
    let out = options.output_dir();
    check_output(&options.root, &out)?;
    let (project, timings) = Project::open_timed(options)?;
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
