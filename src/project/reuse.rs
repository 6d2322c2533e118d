//! The rebuild decision: what a rebuild takes from the previous build instead of making it
//! again. Every rule lives here, as a field or a method named for what it keeps, next to the
//! inputs it compares. A value is kept only when every input it was made from is unchanged, so
//! an incremental rebuild equals a fresh build by construction (a test compares them after
//! random edit sequences).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::{Changes, NoteState, Project};
use crate::config::Config;
use crate::load::{self, ContentFiles};
use crate::note::Note;
use crate::output::Content;
use crate::search::SearchIndex;
use crate::site::{LinkTable, NoteEntry, NotePlan};
use crate::tags::TagIndex;
use crate::theme::Theme;

/// What one rebuild may keep of the previous build.
pub(super) struct Reuse<'a> {
    /// The previous build; `None` when there is none or `config.toml` changed (every output
    /// depends on the config, so then nothing is kept).
    previous: Option<&'a Project>,
    /// A theme file changed (or there is no previous theme): templates and static files are
    /// loaded again, and every page is rendered again.
    pub theme_changed: bool,
    /// The changes only edit notes the previous build had, so its scan of `content/` (which
    /// files exist) still holds.
    pub same_files: bool,
    /// Notes (paths under `content/`) whose files changed.
    changed_notes: BTreeSet<String>,
    /// `content/` itself was made, removed or replaced (a folder moved into its place): no note
    /// of the previous build is known to be the same.
    content_replaced: bool,
}

impl<'a> Reuse<'a> {
    pub fn new(previous: Option<&'a Project>, changes: &Changes, root: &Path) -> Reuse<'a> {
        let previous = previous.filter(|_| !changes.config());
        Reuse {
            previous,
            theme_changed: previous.is_none() || changes.theme(),
            same_files: previous.is_some_and(|p| only_edits(p, changes, root)),
            changed_notes: changes.content(),
            content_replaced: changes.paths.contains(load::CONTENT_DIR),
        }
    }

    pub fn previous(&self) -> Option<&'a Project> {
        self.previous
    }

    /// The configuration, unless it must be read again.
    pub fn config(&self) -> Option<Arc<Config>> {
        self.previous.map(|p| p.config.clone())
    }

    /// The theme, unless it must be loaded again.
    pub fn theme(&self) -> Option<Arc<Theme>> {
        self.previous
            .filter(|_| !self.theme_changed)
            .map(|p| p.theme.clone())
    }

    /// The previous scan of `content/`, when no file came or went.
    pub fn scan(&self) -> Option<ContentFiles> {
        self.previous
            .filter(|_| self.same_files)
            .map(|p| ContentFiles {
                markdown: p.markdown.as_ref().clone(),
                assets: p.assets.as_ref().clone(),
                diagnostics: p.warnings.clone(),
            })
    }

    /// Whether a note must be read and parsed: it is new, or its file changed.
    pub fn must_parse(&self, rel: &str) -> bool {
        self.previous
            .is_none_or(|p| !p.notes.contains_key(rel) || self.note_changed(rel))
    }

    fn note_changed(&self, rel: &str) -> bool {
        self.content_replaced || self.changed_notes.contains(rel)
    }

    /// The previous state of a note whose file did not change.
    pub fn kept_note(&self, rel: &str) -> Option<&'a Arc<NoteState>> {
        self.previous
            .and_then(|p| p.notes.get(rel))
            .filter(|_| !self.note_changed(rel))
    }

    /// The previous URL plans, when nothing they depend on changed: the same notes in the same
    /// order, with the same slugs asked for and the same session titles.
    pub fn plans(&self, notes: &[&Note]) -> Option<Vec<NotePlan>> {
        let before: Vec<(&Note, &NotePlan)> = self
            .previous?
            .notes
            .values()
            .filter_map(|s| s.output.as_ref().map(|o| (&*s.note, &o.plan)))
            .collect();
        if before.len() != notes.len() {
            return None;
        }
        let inputs = |n: &Note| {
            let titles: Vec<&str> = n.sessions().map(|(_, h)| h.title.as_str()).collect();
            (
                n.path.clone(),
                n.front_matter.slug.clone(),
                n.slug_source.clone(),
                n.title.clone(),
                titles.join("\n"),
            )
        };
        let same = before
            .iter()
            .zip(notes)
            .all(|((old, _), new)| std::ptr::eq(*old, *new) || inputs(old) == inputs(new));
        same.then(|| before.into_iter().map(|(_, plan)| plan.clone()).collect())
    }

    /// Whether relative links may now resolve differently: a file under `content/` came or went
    /// (or an image changed size), or a note's URL changed.
    pub fn links_changed(&self, links: &LinkTable<'_>) -> bool {
        self.previous.is_none_or(|p| {
            let old = crate::site::asset_index(&p.assets);
            let old_urls: HashMap<&str, &str> = p
                .site
                .notes
                .iter()
                .map(|n| (n.source.as_str(), n.url.as_str()))
                .collect();
            old != *links.assets
                || old_urls.len() != links.note_urls.len()
                || links
                    .note_urls
                    .iter()
                    .any(|(k, v)| old_urls.get(k.as_str()) != Some(&v.as_str()))
        })
    }

    /// Whether a kept note's model (its rendered parts without site-wide tags) stands: the same
    /// URL plan, and links that resolve as before (or none to resolve).
    pub fn model(state: &NoteState, plan: Option<&NotePlan>, links_changed: bool) -> bool {
        match (&state.output, plan) {
            (Some(out), Some(plan)) => {
                out.plan == *plan && (!links_changed || state.note.local_links.is_empty())
            }
            _ => false,
        }
    }

    /// The previous tag index, when no note moved and no tag was added or removed (`order` is
    /// the notes' models in site order).
    pub fn tag_index(&self, order: &[(usize, Arc<NoteEntry>)]) -> Option<Arc<TagIndex>> {
        let p = self.previous?;
        let same = p.site.notes.len() == order.len()
            && p.site.notes.iter().zip(order).all(|(old, (_, new))| {
                old.source == new.source
                    && old.raw_tags == new.raw_tags
                    && old.sessions.len() == new.sessions.len()
                    && old
                        .sessions
                        .iter()
                        .zip(&new.sessions)
                        .all(|(a, b)| a.raw_tags == b.raw_tags)
            });
        same.then(|| p.tags.clone())
    }

    /// The paths of the previous build's site-wide outputs.
    pub fn site_paths(&self) -> BTreeSet<String> {
        self.previous
            .map(|p| p.site_paths.clone())
            .unwrap_or_default()
    }

    /// Site-wide outputs of the previous build, with their bytes: they stay until they are made
    /// again.
    pub fn site_outputs(&self) -> Vec<(&'a String, &'a Content)> {
        self.previous.map_or_else(Vec::new, |p| {
            p.site_paths
                .iter()
                .filter_map(|path| p.artifacts.get(path).map(|c| (path, c)))
                .collect()
        })
    }

    /// The fingerprints the previous site-wide outputs were made from, when the theme is the
    /// same (a page whose fingerprint is unchanged keeps its bytes).
    pub fn site_fingerprints(&self) -> HashMap<String, u64> {
        self.previous
            .filter(|_| !self.theme_changed)
            .map(|p| p.site_fingerprints.clone())
            .unwrap_or_default()
    }

    /// The search index, updated later where documents changed.
    pub fn search(&self) -> SearchIndex {
        self.previous.map(|p| p.search.clone()).unwrap_or_default()
    }
}

/// Whether `changes` only edit notes the previous build already had (no file added, removed or
/// renamed, nothing but notes touched), so the previous scan of `content/` still holds.
fn only_edits(previous: &Project, changes: &Changes, root: &Path) -> bool {
    !changes.paths.is_empty()
        && changes.paths.iter().all(|path| {
            path.strip_prefix("content/").is_some_and(|rel| {
                previous.notes.contains_key(&load::nfc(rel)) && root.join(path).is_file()
            })
        })
}
