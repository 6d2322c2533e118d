//! The build pipeline: load → parse → plan → render → assemble → output, then publish. The
//! in-memory part ([`generate`]) is shared by `build` and later by the preview server; only
//! [`build`] writes to disk. Every stage reports all the problems it finds, and nothing is
//! written unless the whole site generated without errors.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::load::{self, Asset};
use crate::note::{self, Note, SessionRule};
use crate::output::{self, Artifact};
use crate::site::{self, LinkTable, Site};
use crate::theme::Theme;

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

/// A site generated in memory.
pub struct Generated {
    pub site: Site,
    pub artifacts: Vec<Artifact>,
    pub warnings: Vec<Diagnostic>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    pub notes: usize,
    pub sessions: usize,
    pub pages: usize,
    pub elapsed: Duration,
}

/// Reads `config.toml` if there is one, applying command-line overrides.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let mut config = match std::fs::read(&path) {
        Ok(bytes) => {
            let text = load::decode(&bytes).map_err(|d| Diagnostic {
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
    Ok(config)
}

/// Generates the whole site in memory.
pub fn generate(options: &BuildOptions) -> Result<Generated, BuildError> {
    let root = &options.root;
    let mut errors = Vec::new();
    let config = load_config(root, options.base_url.as_deref());
    let files = load::load_content(root);
    let (warnings, mut load_errors): (Vec<_>, Vec<_>) =
        files.diagnostics.into_iter().partition(|d| !d.is_error());
    let config = match config {
        Ok(config) => config,
        Err(d) => {
            errors.push(d);
            errors.append(&mut load_errors);
            return Err(BuildError::Invalid(errors));
        }
    };
    errors.append(&mut load_errors);
    let rule = match SessionRule::new(&config.sessions) {
        Ok(rule) => Some(rule),
        Err(d) => {
            errors.push(d);
            None
        }
    };
    let theme = Theme::load(root, &config.theme);
    let Some(rule) = rule else {
        return Err(BuildError::Invalid(errors));
    };

    let parsed: Vec<Result<Note, Diagnostic>> = files
        .sources
        .par_iter()
        .map(|source| {
            let shown = format!("{}/{}", load::CONTENT_DIR, source.path);
            note::parse(source, &shown, &config, &rule)
        })
        .collect();
    let mut notes = Vec::new();
    for result in parsed {
        match result {
            Ok(note) if note.front_matter.draft && !options.drafts => {}
            Ok(note) => notes.push(note),
            Err(d) => errors.push(d),
        }
    }
    let plans = match site::plan(&notes, &config) {
        Ok(plans) => plans,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let Some(theme) = theme.filter(|_| errors.is_empty()) else {
        return Err(BuildError::Invalid(errors));
    };

    let base_path = config.base_path();
    let asset_paths: HashSet<String> = files.assets.iter().map(|a| a.path.clone()).collect();
    let links = LinkTable {
        base_path: &base_path,
        note_urls: notes
            .iter()
            .zip(&plans)
            .map(|(n, p)| (n.path.as_str(), format!("{base_path}{}/", p.slug)))
            .collect(),
        assets: &asset_paths,
    };
    let rendered = site::render_notes(&notes, &plans, &config, &links);
    let placed = place_assets(&notes, &plans, &links, &files.assets);
    let site = site::assemble(&notes, &plans, rendered, &config);
    let artifacts =
        output::artifacts(&site, &theme, &config, &placed).map_err(BuildError::Invalid)?;
    Ok(Generated {
        site,
        artifacts,
        warnings,
    })
}

/// Output paths of the files under `content/`: beside the pages of the notes that link them,
/// and at their own path when no note links them (so nothing is lost).
fn place_assets(
    notes: &[Note],
    plans: &[site::NotePlan],
    links: &LinkTable<'_>,
    assets: &[Asset],
) -> Vec<(String, Asset)> {
    let by_path: HashMap<&str, &Asset> = assets.iter().map(|a| (a.path.as_str(), a)).collect();
    let mut placed = Vec::new();
    let mut linked = HashSet::new();
    for (note, plan) in notes.iter().zip(plans) {
        for link in &note.local_links {
            if let Some(place) = links.asset(&note.path, &plan.slug, link) {
                linked.insert(place.source.clone());
                placed.push((place.output, (*by_path[place.source.as_str()]).clone()));
            }
        }
    }
    placed.extend(
        assets
            .iter()
            .filter(|a| !linked.contains(&a.path))
            .map(|a| (a.path.clone(), a.clone())),
    );
    placed
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

/// Generates the site and publishes it to the output folder.
pub fn build(options: &BuildOptions) -> Result<(BuildSummary, Vec<Diagnostic>), BuildError> {
    let started = Instant::now();
    let out = options.output_dir();
    check_output(&options.root, &out)?;
    let generated = generate(options)?;
    crate::write::publish(&generated.artifacts, &out).map_err(|source| BuildError::Write {
        path: out.display().to_string(),
        source,
    })?;
    let summary = BuildSummary {
        notes: generated.site.notes.len(),
        sessions: generated.site.session_count(),
        pages: generated
            .artifacts
            .iter()
            .filter(|a| a.path.ends_with(".html"))
            .count(),
        elapsed: started.elapsed(),
    };
    Ok((summary, generated.warnings))
}
