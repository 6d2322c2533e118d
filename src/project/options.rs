//! What a build is asked to do and how it can fail: [`BuildOptions`] (the site, the output
//! folder and the command-line overrides), [`BuildError`], reading `config.toml` with those
//! overrides, and the check that refuses output folders whose replacement would destroy the
//! user's work.

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::load;

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
    /// The config file to read instead of `<root>/config.toml`.
    pub config: Option<PathBuf>,
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
    crate::diagnostics::fold_repeats(diagnostics)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Stops a build whose site folder does not exist, before anything is made for it (a mistyped
/// `--root` would otherwise build an empty site next to it).
pub fn check_root(root: &Path) -> Result<(), BuildError> {
    if root.is_dir() {
        return Ok(());
    }
    Err(BuildError::Invalid(vec![
        Diagnostic::error(
            root.display().to_string(),
            "no such folder: the site's root (--root) must be an existing folder",
        )
        .with_hint("run hugi in the site's folder, or make one with `hugi init`"),
    ]))
}

/// Reads `config.toml` if there is one, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let base_url = options.base_url.as_deref();
    let (path, shown) = match &options.config {
        Some(path) => (path.clone(), path.display().to_string()),
        None => (options.root.join(CONFIG_FILE), CONFIG_FILE.to_string()),
    };
    let mut config = match std::fs::read(&path) {
        Ok(bytes) => {
            let text = load::decode(bytes).map_err(|d| {
                vec![Diagnostic {
                    file: shown.clone(),
                    ..d
                }]
            })?;
            Config::parse(&text, &shown)?
        }
        // A site needs no config; a config asked for by name must be there.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && options.config.is_none() => {
            Config::default()
        }
        Err(e) => {
            return Err(vec![Diagnostic::error(shown, format!("cannot read: {e}"))]);
        }
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
