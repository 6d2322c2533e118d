//! The output's layout: which source every output path belongs to. Once URLs are planned and
//! before anything is rendered, each path the site will write — event and session pages, files
//! copied from `content/`, the theme's static files and the site-wide pages — is claimed by
//! what it comes from. A path that is not a clean relative path, or that two sources claim (as
//! the same file, or one as a file and another as a folder), is an error naming both. `build`,
//! `check` and `serve` all plan through here, so none of them can disagree about what a path
//! holds, and nothing is written over another output or outside the output folder.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::diagnostics::Diagnostic;
use crate::load::{Asset, CONTENT_DIR};
use crate::note::Note;
use crate::site::{LinkTable, NotePlan};
use crate::site::{SITE_FILES, SITE_FOLDERS};

/// Whether `path` names a file strictly inside the output folder: `/`-separated, relative, and
/// made only of ordinary names (no empty, `.` or `..` segment, no backslash or NUL).
pub fn is_clean(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|part| !matches!(part, "" | "." | "..") && !part.contains(['\\', '\0']))
}

/// What an output path comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A note's event page; `source` is the note's path under `content/`.
    EventPage { source: String },
    /// One session's page of a note.
    SessionPage { source: String, title: String },
    /// A file under `content/` copied to the output.
    ContentFile { source: String },
    /// A page redirecting from an earlier address of a note (front-matter `aliases`).
    Alias { source: String },
    /// A static file of the theme or of the site's `static/` folder.
    ThemeFile { path: String },
    /// Site-wide pages: the home page, tag pages, feeds, the search index….
    Site(&'static str),
}

impl Owner {
    /// The file a diagnostic about this owner names.
    fn file(&self) -> Option<String> {
        match self {
            Owner::EventPage { source }
            | Owner::SessionPage { source, .. }
            | Owner::ContentFile { source }
            | Owner::Alias { source } => Some(format!("{CONTENT_DIR}/{source}")),
            Owner::ThemeFile { path } => Some(format!("static/{path}")),
            Owner::Site(_) => None,
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::EventPage { source } => write!(f, "the event page of {CONTENT_DIR}/{source}"),
            Owner::SessionPage { source, title } => {
                write!(f, "the page of session `{title}` in {CONTENT_DIR}/{source}")
            }
            Owner::ContentFile { source } => write!(f, "the file {CONTENT_DIR}/{source}"),
            Owner::Alias { source } => {
                write!(f, "a redirect (`aliases`) of {CONTENT_DIR}/{source}")
            }
            Owner::ThemeFile { path } => write!(f, "the theme's static file `{path}`"),
            Owner::Site(what) => f.write_str(what),
        }
    }
}

/// Claims on output paths, with every conflict found so far.
#[derive(Debug)]
pub struct Layout {
    owners: Vec<Owner>,
    /// Claimed files, by the index of their owner.
    files: HashMap<String, usize>,
    /// Folders that hold claimed files, by the owner of the first file claimed in them, and
    /// whether that owner has the whole folder (the site's own sections).
    folders: HashMap<String, (usize, bool)>,
    errors: Vec<Diagnostic>,
}

impl Default for Layout {
    /// A layout holding the site-wide pages' files and folders.
    fn default() -> Self {
        let mut layout = Layout {
            owners: Vec::new(),
            files: HashMap::new(),
            folders: HashMap::new(),
            errors: Vec::new(),
        };
        for &(path, what) in SITE_FILES {
            layout.claim(path, Owner::Site(what));
        }
        for &(folder, what) in SITE_FOLDERS {
            layout.owners.push(Owner::Site(what));
            let owner = layout.owners.len() - 1;
            layout.folders.insert(folder.to_string(), (owner, true));
        }
        layout
    }
}

impl Layout {
    /// Claims `path` for `owner`, recording a conflict with whatever claimed it (or a folder
    /// on its way, or a file beneath it) before. The same owner claiming a path again is fine.
    pub fn claim(&mut self, path: &str, owner: Owner) {
        if !is_clean(path) {
            self.conflict(
                &owner,
                format!(
                    "{owner} would be written to `{path}`, which is not a path inside the output"
                ),
            );
            return;
        }
        if let Some(&other) = self.files.get(path) {
            if self.owners[other] != owner {
                self.clash(owner, path, other);
            }
            return;
        }
        if let Some(&(other, _)) = self.folders.get(path) {
            self.clash(owner, path, other);
            return;
        }
        let folders: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        for folder in &folders {
            if let Some(&other) = self.files.get(*folder) {
                self.clash(owner, folder, other);
                return;
            }
            if let Some(&(other, true)) = self.folders.get(*folder) {
                self.clash(owner, path, other);
                return;
            }
        }
        self.owners.push(owner);
        let index = self.owners.len() - 1;
        self.files.insert(path.to_string(), index);
        for folder in folders {
            self.folders
                .entry(folder.to_string())
                .or_insert((index, false));
        }
    }

    fn clash(&mut self, owner: Owner, path: &str, other: usize) {
        let other = self.owners[other].clone();
        let message = format!("{owner} and {other} would both be written to `{path}`");
        // Name the user's file; when both are theirs, the one claimed later.
        let subject = if owner.file().is_some() { owner } else { other };
        self.conflict(&subject, message);
    }

    fn conflict(&mut self, owner: &Owner, message: String) {
        let file = owner.file().unwrap_or_else(|| ".".into());
        self.errors.push(Diagnostic::error(file, message).with_hint(
            "rename one of them: a note's URL comes from its `slug` front matter, its file name \
             or its title; files meant for the top of the site go in static/",
        ));
    }

    /// The conflicts found, if any.
    pub fn finish(self) -> Result<(), Vec<Diagnostic>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Claims every output of the site: its pages, the theme's static files and the files copied
/// from `content/` (as [`place_assets`] placed them).
pub fn check<'a>(
    notes: impl IntoIterator<Item = (&'a Note, &'a NotePlan)>,
    statics: impl IntoIterator<Item = &'a str>,
    placed: &[(String, Asset)],
) -> Result<(), Vec<Diagnostic>> {
    let mut layout = Layout::default();
    for path in statics {
        let owner = Owner::ThemeFile { path: path.into() };
        layout.claim(path, owner);
    }
    for (note, plan) in notes {
        let source = note.path.clone();
        layout.claim(
            &format!("{}/index.html", plan.slug),
            Owner::EventPage {
                source: source.clone(),
            },
        );
        for ((_, head), session) in note.sessions().zip(&plan.session_slugs) {
            let owner = Owner::SessionPage {
                source: source.clone(),
                title: head.title.clone(),
            };
            layout.claim(&format!("{}/{session}/index.html", plan.slug), owner);
        }
        for alias in &plan.aliases {
            let owner = Owner::Alias {
                source: source.clone(),
            };
            layout.claim(alias, owner);
        }
    }
    for (path, asset) in placed {
        let owner = Owner::ContentFile {
            source: asset.path.clone(),
        };
        layout.claim(path, owner);
    }
    layout.finish()
}

/// Output paths of the files under `content/`: beside the pages of the notes that link them,
/// and at their own path when no note links them (so nothing is lost).
pub fn place_assets<'a>(
    notes: impl IntoIterator<Item = (&'a Note, &'a NotePlan)>,
    links: &LinkTable<'_>,
    assets: &[Asset],
) -> Vec<(String, Asset)> {
    let by_path: HashMap<&str, &Asset> = assets.iter().map(|a| (a.path.as_str(), a)).collect();
    let mut placed = Vec::new();
    let mut linked = HashSet::new();
    for (note, plan) in notes {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        for good in [
            "index.html",
            "a/b/c.png",
            "장고/index.html",
            "..a/b..",
            "a/.well-known",
        ] {
            assert!(is_clean(good), "{good}");
        }
        for bad in [
            "",
            "/index.html",
            "a//b",
            "./a",
            "a/./b",
            "../a",
            "a/../../b",
            "a/",
            "a\\b",
            "a\0b",
        ] {
            assert!(!is_clean(bad), "{bad:?}");
        }
    }

    fn event(source: &str) -> Owner {
        Owner::EventPage {
            source: source.into(),
        }
    }

    fn file(source: &str) -> Owner {
        Owner::ContentFile {
            source: source.into(),
        }
    }

    fn errors(claims: &[(&str, Owner)]) -> Vec<String> {
        let mut layout = Layout::default();
        for (path, owner) in claims {
            layout.claim(path, owner.clone());
        }
        match layout.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e
                .iter()
                .map(|d| format!("{}: {}", d.file, d.message))
                .collect(),
        }
    }

    #[test]
    fn site_files_and_folders_are_taken() {
        let found = errors(&[
            ("index.html", file("index.html")),
            ("robots.txt", file("robots.txt")),
            ("tags/index.html", event("a.md")),
            ("search/search.js", file("search/search.js")),
        ]);
        assert_eq!(
            found,
            [
                "content/index.html: the file content/index.html and the home page would both be written to `index.html`",
                "content/robots.txt: the file content/robots.txt and robots.txt would both be written to `robots.txt`",
                "content/a.md: the event page of content/a.md and the tag pages would both be written to `tags/index.html`",
                "content/search/search.js: the file content/search/search.js and the search page and index would both be written to `search/search.js`",
            ]
        );
    }

    #[test]
    fn files_and_folders_clash_both_ways() {
        let found = errors(&[
            ("pycon/index.html", event("pycon.md")),
            ("pycon", file("pycon")),
            ("notes.txt", file("notes.txt")),
            ("notes.txt/index.html", event("notes.md")),
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`pycon`"), "{found:?}");
        assert!(found[1].contains("`notes.txt`"), "{found:?}");
    }

    #[test]
    fn the_same_owner_may_claim_twice_and_neighbours_coexist() {
        let found = errors(&[
            ("pycon/index.html", event("pycon.md")),
            ("pycon/photo.png", file("img/photo.png")),
            ("pycon/photo.png", file("img/photo.png")),
            ("pycon/keynote/index.html", event("pycon.md")),
            (
                "style.css",
                Owner::ThemeFile {
                    path: "style.css".into(),
                },
            ),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unclean_paths_are_refused() {
        let found = errors(&[("/etc/cron.d/job", file("etc/cron.d/job"))]);
        assert_eq!(
            found,
            [
                "content/etc/cron.d/job: the file content/etc/cron.d/job would be written to `/etc/cron.d/job`, which is not a path inside the output"
            ]
        );
    }
}
