//! A project is a site generated in memory, remembering what every output came from so that a
//! change redoes only what depends on it. A fresh build is [`Project::open`]; a watch event is
//! [`Project::rebuild`] with the paths that changed. Both run the same code, so an incremental
//! result equals a fresh build by construction: the only difference is which cached values are
//! reused, and a value is reused only when every input it was made from is unchanged.
//!
//! Dependencies tracked per note: its file's text, its URL plan (its slug and its sessions'
//! slugs, which depend on other notes only through slug clashes), the URLs of other notes and the
//! set of files under `content/` (only for notes that link to local files), its tags as resolved
//! against the whole site (a tag's shown spelling can change with another note), the config and
//! the theme. Site-wide pages (home, tags, events, feeds, sitemap) carry a fingerprint of the
//! notes they list and are made again only when it changes (or the theme or config does).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::build::{BuildError, BuildOptions, load_config};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::load::{self, Asset, CONTENT_DIR};
use crate::note::{self, Note, SessionRule};
use crate::output::{self, Artifact, Content, SiteView};
use crate::search::{self, SearchDoc, SearchIndex};
use crate::site::{self, LinkTable, NoteEntry, NotePlan, ResolvedTags, Site};
use crate::tags::{TagIndex, TagNames};
use crate::theme::Theme;

/// What changed on disk since the last build, as paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub paths: BTreeSet<String>,
}

impl Changes {
    pub fn of<I: IntoIterator<Item = S>, S: Into<String>>(paths: I) -> Self {
        Changes {
            paths: paths.into_iter().map(Into::into).collect(),
        }
    }

    fn config(&self) -> bool {
        self.paths.iter().any(|p| p == CONFIG_FILE)
    }

    /// Whether any theme file changed: a theme (or the theme it extends) or the site's own
    /// `templates/` and `static/`.
    fn theme(&self) -> bool {
        self.paths.iter().any(|p| {
            let top = p.split('/').next().unwrap_or("");
            matches!(top, "themes" | "templates" | "static")
        })
    }

    /// Paths under `content/`, relative to it.
    fn content(&self) -> BTreeSet<String> {
        self.paths
            .iter()
            .filter_map(|p| p.strip_prefix("content/"))
            .map(load::nfc)
            .collect()
    }
}

/// One note with everything derived from it.
#[derive(Debug)]
struct NoteState {
    note: Arc<Note>,
    /// Present when the note is part of the site (drafts are parsed but may be left out).
    output: Option<NoteOutput>,
}

#[derive(Debug)]
struct NoteOutput {
    plan: NotePlan,
    /// The note's model without site-wide tags: depends on the note, its plan, links, config.
    base: Arc<NoteEntry>,
    /// Its tags resolved against the whole site, and the model with them: what pages show.
    tags: ResolvedTags,
    entry: Arc<NoteEntry>,
    pages: Vec<Artifact>,
    /// Its search documents, tokenised.
    search: Arc<Vec<SearchDoc>>,
}

/// A note between the phases of a rebuild.
struct Staged {
    rel: String,
    note: Arc<Note>,
    plan: Option<NotePlan>,
    /// Its model without tags; `None` when the note is left out (a draft).
    base: Option<Arc<NoteEntry>>,
    /// The previous state, when the model was reused from it.
    previous: Option<Arc<NoteState>>,
}

/// A generated site and the caches that make the next rebuild incremental.
pub struct Project {
    options: BuildOptions,
    config: Arc<Config>,
    theme: Arc<Theme>,
    notes: BTreeMap<String, Arc<NoteState>>,
    assets: Arc<Vec<Asset>>,
    /// The notes' files as last scanned: (path under `content/`, path on disk).
    markdown: Arc<Vec<(String, std::path::PathBuf)>>,
    site: Site,
    tags: Arc<TagIndex>,
    /// Every output file by path, shared with the preview server without copying.
    artifacts: Arc<BTreeMap<String, Content>>,
    /// Outputs that depend on the whole site (made by [`Project::refresh_site`]).
    site_paths: BTreeSet<String>,
    /// The fingerprint each site-wide page was made from, under this theme and config.
    site_fingerprints: HashMap<String, u64>,
    /// The search index, updated where documents changed.
    search: SearchIndex,
    warnings: Vec<Diagnostic>,
}

/// Where a build's time went: wall-clock per stage, and the CPU time spent tokenising for
/// search (it runs in parallel inside the note-pages stage).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Scanning `content/`, reading and parsing changed notes.
    pub load_parse: std::time::Duration,
    /// Rendering Markdown of changed notes.
    pub markdown: std::time::Duration,
    /// Tags, templates of note and session pages, search tokenising.
    pub note_pages: std::time::Duration,
    /// Home, tag and event pages, feeds, sitemap.
    pub site_pages: std::time::Duration,
    /// Writing the search index files.
    pub search_index: std::time::Duration,
    /// CPU time of search tokenising, summed over threads.
    pub search_tokenize_cpu: std::time::Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "load+parse {:.0} ms, markdown {:.0} ms, note pages {:.0} ms (search tokenising {:.0} ms cpu), \
             site pages {:.0} ms, search index {:.0} ms",
            ms(self.load_parse),
            ms(self.markdown),
            ms(self.note_pages),
            ms(self.search_tokenize_cpu),
            ms(self.site_pages),
            ms(self.search_index)
        )
    }
}

impl RebuildReport {
    /// This report followed by `site`, the report of the site-wide step.
    fn merged(mut self, site: RebuildReport) -> RebuildReport {
        self.timings.site_pages = site.timings.site_pages;
        self.timings.search_index = site.timings.search_index;
        self.pages_redone += site.pages_redone;
        let mut all: BTreeSet<String> = self.changed.into_iter().collect();
        all.extend(site.changed);
        self.changed = all.into_iter().collect();
        self
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    /// Where the time went.
    pub timings: Timings,
    /// Notes parsed and rendered again.
    pub notes_redone: usize,
    /// Output paths whose bytes changed, were added or were removed.
    pub changed: Vec<String>,
    /// Pages (HTML) produced again, changed or not.
    pub pages_redone: usize,
}

impl Project {
    /// Generates the whole site.
    pub fn open(options: &BuildOptions) -> Result<Project, BuildError> {
        Ok(Project::open_timed(options)?.0)
    }

    /// Generates the whole site, telling where the time went.
    pub fn open_timed(options: &BuildOptions) -> Result<(Project, Timings), BuildError> {
        let (project, report) = generate(options, None, &Changes::default(), false)?;
        Ok((project, report.timings))
    }

    /// Generates the site again after `changes`, reusing what they cannot have affected.
    /// On error `self` is unchanged, so the last good site stays available.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<RebuildReport, BuildError> {
        let (next, report) = generate(&self.options, Some(self), changes, false)?;
        *self = next;
        Ok(report)
    }

    /// Like [`Project::rebuild`], but redoes only the pages of changed notes, leaving the
    /// site-wide outputs as they were until [`Project::refresh_site`]: the preview shows an edit
    /// first and catches up on tag pages and the search index right after.
    pub fn rebuild_pages(&mut self, changes: &Changes) -> Result<RebuildReport, BuildError> {
        let (next, report) = generate(&self.options, Some(self), changes, true)?;
        *self = next;
        Ok(report)
    }

    /// Makes the site-wide outputs again: home, tags, speakers, events, search page, feeds,
    /// sitemap, robots.txt and the search index.
    pub fn refresh_site(&mut self) -> Result<RebuildReport, BuildError> {
        let mut timings = Timings::default();
        let view = SiteView::new(&self.config);
        let outputs =
            output::site_outputs(&self.site, &self.tags, &self.config, &view, &self.theme);
        let by_source: HashMap<&str, &NoteOutput> = self
            .notes
            .values()
            .filter_map(|s| s.output.as_ref())
            .map(|o| (o.entry.source.as_str(), o))
            .collect();
        let docs: Vec<Arc<Vec<SearchDoc>>> = self
            .site
            .notes
            .iter()
            .map(|n| by_source[n.source.as_str()].search.clone())
            .collect();
        // The pages and the search index are independent: made side by side. The index is
        // updated on a copy (sharing all it can) so an error leaves the project as it was.
        let mut search = self.search.clone();
        let (made, ()) = rayon::join(
            || {
                let started = std::time::Instant::now();
                // An output whose inputs did not change since it was made keeps its bytes.
                let made: Vec<(Result<Artifact, Diagnostic>, u64, bool)> = outputs
                    .par_iter()
                    .map(|out| {
                        let kept = (self.site_fingerprints.get(&out.path)
                            == Some(&out.fingerprint))
                        .then(|| self.artifacts.get(&out.path))
                        .flatten();
                        match kept {
                            Some(content) => (
                                Ok(Artifact {
                                    path: out.path.clone(),
                                    content: content.clone(),
                                }),
                                out.fingerprint,
                                false,
                            ),
                            None => (out.make(), out.fingerprint, true),
                        }
                    })
                    .collect();
                timings.site_pages = started.elapsed();
                made
            },
            || {
                let started = std::time::Instant::now();
                search.update(docs);
                timings.search_index = started.elapsed();
            },
        );
        drop(outputs);
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut fingerprints = HashMap::with_capacity(made.len());
        let mut redone = 0;
        let mut pages = Vec::with_capacity(made.len());
        for (result, fingerprint, was_made) in made {
            match result {
                Ok(artifact) => {
                    if was_made && artifact.path.ends_with(".html") {
                        redone += 1;
                    }
                    fingerprints.insert(artifact.path.clone(), fingerprint);
                    pages.push(artifact);
                }
                Err(e) if !errors.contains(&e) => errors.push(e),
                Err(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(BuildError::Invalid(errors));
        }
        pages.extend(search.files());
        self.search = search;
        let mut changed = BTreeSet::new();
        let new_paths: BTreeSet<String> = pages.iter().map(|a| a.path.clone()).collect();
        let artifacts = Arc::make_mut(&mut self.artifacts);
        for path in self.site_paths.difference(&new_paths) {
            if artifacts.remove(path).is_some() {
                changed.insert(path.clone());
            }
        }
        for artifact in pages {
            if artifacts.get(&artifact.path) != Some(&artifact.content) {
                changed.insert(artifact.path.clone());
            }
            artifacts.insert(artifact.path, artifact.content);
        }
        self.site_paths = new_paths;
        self.site_fingerprints = fingerprints;
        Ok(RebuildReport {
            timings,
            pages_redone: redone,
            changed: changed.into_iter().collect(),
            ..RebuildReport::default()
        })
    }

    /// The site root, for callers that watch it.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Every output file, sorted by path.
    pub fn artifacts(&self) -> Vec<Artifact> {
        self.artifacts
            .iter()
            .map(|(path, content)| Artifact {
                path: path.clone(),
                content: content.clone(),
            })
            .collect()
    }

    /// One output file by its path.
    pub fn artifact(&self, path: &str) -> Option<&Content> {
        self.artifacts.get(path)
    }

    /// Every output file by path, shared (for the preview server).
    pub fn files(&self) -> Arc<BTreeMap<String, Content>> {
        self.artifacts.clone()
    }

    /// Every parsed note (drafts included) with its model when it is part of the site.
    pub fn notes(&self) -> impl Iterator<Item = (&Note, Option<&NoteEntry>)> {
        self.notes
            .values()
            .map(|s| (&*s.note, s.output.as_ref().map(|o| &*o.entry)))
    }

    /// The files under `content/` that are not notes.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// The site-wide tag index.
    pub fn tags(&self) -> &TagIndex {
        &self.tags
    }
}

/// Makes the project again after `changes`. With `defer_site`, site-wide outputs (home, tags,
/// events, feeds, sitemap, search index) are left as they were for [`Project::refresh_site`].
fn generate(
    options: &BuildOptions,
    previous: Option<&Project>,
    changes: &Changes,
    defer_site: bool,
) -> Result<(Project, RebuildReport), BuildError> {
    let root = &options.root;
    let mut errors = Vec::new();
    // A config change invalidates everything: start as if there were no previous build.
    let previous = previous.filter(|_| !changes.config());

    let config = match previous {
        Some(p) => Ok(p.config.clone()),
        None => load_config(options).map(Arc::new),
    };
    let mut timings = Timings::default();
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        let now = std::time::Instant::now();
        *slot += now - clock;
        clock = now;
    };
    // Walking `content/` again is needed only when files may have come or gone.
    let scan = match previous.filter(|p| only_edits(p, changes, root)) {
        Some(p) => load::ContentFiles {
            markdown: p.markdown.as_ref().clone(),
            assets: p.assets.as_ref().clone(),
            diagnostics: p.warnings.clone(),
        },
        None => load::scan_content(root),
    };
    let (warnings, load_errors): (Vec<_>, Vec<_>) =
        scan.diagnostics.into_iter().partition(|d| !d.is_error());
    let config = match config {
        Ok(c) => c,
        Err(d) => {
            errors.push(d);
            errors.extend(load_errors);
            return Err(BuildError::Invalid(errors));
        }
    };
    errors.extend(load_errors);
    let rule = SessionRule::new(&config.sessions).map_err(|d| {
        errors.push(d);
    });
    let theme_changed = previous.is_none_or(|_| changes.theme());
    let theme = match previous.filter(|_| !theme_changed) {
        Some(p) => Ok(p.theme.clone()),
        None => Theme::load(root, &config.theme).map(Arc::new),
    };
    let Ok(rule) = rule else {
        return Err(BuildError::Invalid(errors));
    };

    // Parse what is new or changed; keep the rest.
    let changed_content = changes.content();
    let to_parse: Vec<&(String, std::path::PathBuf)> = scan
        .markdown
        .iter()
        .filter(|(rel, _)| {
            previous.is_none_or(|p| !p.notes.contains_key(rel) || changed_content.contains(rel))
        })
        .collect();
    let parsed: Vec<(String, Result<Note, Diagnostic>)> = to_parse
        .par_iter()
        .map(|(rel, disk)| {
            let result = load::read_source(root, rel, disk).and_then(|source| {
                let shown = format!("{CONTENT_DIR}/{rel}");
                note::parse(&source, &shown, &config, &rule)
            });
            (rel.clone(), result)
        })
        .collect();
    let mut fresh: HashMap<String, Note> = HashMap::new();
    for (rel, result) in parsed {
        match result {
            Ok(note) => {
                fresh.insert(rel, note);
            }
            Err(d) => errors.push(d),
        }
    }
    let theme = match theme {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };

    // Every note, old or new, in path order (notes that failed to parse are left out, so the
    // others still get their URLs checked in this run).
    enum Slot {
        Kept(Arc<NoteState>),
        New(Arc<Note>),
    }
    impl Slot {
        fn note(&self) -> &Arc<Note> {
            match self {
                Slot::Kept(state) => &state.note,
                Slot::New(note) => note,
            }
        }
    }
    let mut slots: Vec<(String, Slot)> = Vec::with_capacity(scan.markdown.len());
    for (rel, _) in &scan.markdown {
        let slot = match (fresh.remove(rel), previous.and_then(|p| p.notes.get(rel))) {
            (Some(note), _) => Slot::New(Arc::new(note)),
            (None, Some(state)) if !changed_content.contains(rel) => Slot::Kept(state.clone()),
            _ => continue,
        };
        slots.push((rel.clone(), slot));
    }
    let included: Vec<usize> = (0..slots.len())
        .filter(|&i| options.drafts || !slots[i].1.note().front_matter.draft)
        .collect();
    let included_notes: Vec<&Note> = included.iter().map(|&i| &**slots[i].1.note()).collect();
    let reused_plans = previous.and_then(|p| previous_plans(p, &included_notes));
    let plans = match reused_plans.map_or_else(|| site::plan(&included_notes, &config), Ok) {
        Ok(plans) => plans,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    let Some(theme) = theme.filter(|_| errors.is_empty()) else {
        return Err(BuildError::Invalid(errors));
    };

    let base_path = config.base_path();
    let asset_paths: HashSet<String> = scan.assets.iter().map(|a| a.path.clone()).collect();
    let note_urls: HashMap<String, String> = included_notes
        .iter()
        .zip(&plans)
        .map(|(n, p)| (n.path.clone(), format!("{base_path}{}/", p.slug)))
        .collect();
    let links = LinkTable {
        base_path: &base_path,
        note_urls,
        assets: &asset_paths,
    };
    let links_changed = previous.is_none_or(|p| {
        let old: HashSet<&str> = p.assets.iter().map(|a| a.path.as_str()).collect();
        let old_urls: HashMap<&str, &str> = p
            .site
            .notes
            .iter()
            .map(|n| (n.source.as_str(), n.url.as_str()))
            .collect();
        old != asset_paths
            .iter()
            .map(String::as_str)
            .collect::<HashSet<_>>()
            || old_urls.len() != links.note_urls.len()
            || links
                .note_urls
                .iter()
                .any(|(k, v)| old_urls.get(k.as_str()) != Some(&v.as_str()))
    });

    lap(&mut timings.load_parse);
    // Phase A: each note's model without site-wide tags, reused when its inputs are unchanged.
    let view = SiteView::new(&config);
    let mut plan_of: HashMap<usize, NotePlan> = included.iter().copied().zip(plans).collect();
    let work: Vec<(String, Slot, Option<NotePlan>)> = slots
        .into_iter()
        .enumerate()
        .map(|(i, (rel, slot))| (rel, slot, plan_of.remove(&i)))
        .collect();
    let staged: Vec<Staged> = work
        .into_par_iter()
        .map(|(rel, slot, plan)| {
            let reusable = |state: &NoteState| match (&state.output, &plan) {
                (Some(out), Some(plan)) => {
                    out.plan == *plan && (!links_changed || state.note.local_links.is_empty())
                }
                _ => false,
            };
            match slot {
                Slot::Kept(state) if reusable(&state) => {
                    let out = state.output.as_ref().expect("reusable states have output");
                    Staged {
                        rel,
                        note: state.note.clone(),
                        base: Some(out.base.clone()),
                        plan,
                        previous: Some(state.clone()),
                    }
                }
                slot => {
                    let note = match slot {
                        Slot::Kept(state) => state.note.clone(),
                        Slot::New(note) => note,
                    };
                    let base = plan.as_ref().map(|plan| {
                        let parts = site::render_note(&note, plan, &config, &links);
                        Arc::new(site::note_entry(&note, plan, parts, &config))
                    });
                    Staged {
                        rel,
                        note,
                        base,
                        plan,
                        previous: None,
                    }
                }
            }
        })
        .collect();

    lap(&mut timings.markdown);
    // Phase B: the site-wide tag index, from every note's tags as written.
    let mut order: Vec<(usize, Arc<NoteEntry>)> = staged
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.base.clone().map(|b| (i, b)))
        .collect();
    order.sort_by(|a, b| site::compare_notes(&a.1, &b.1));
    let raw: Vec<Vec<&[String]>> = order
        .iter()
        .map(|(_, e)| e.sessions.iter().map(|s| s.raw_tags.as_slice()).collect())
        .collect();
    // The index is the previous one when no note moved and no tag was added or removed.
    let index_reused = previous.is_some_and(|p| {
        p.site.notes.len() == order.len()
            && p.site.notes.iter().zip(&order).all(|(old, (_, new))| {
                old.source == new.source
                    && old.raw_tags == new.raw_tags
                    && old.sessions.len() == new.sessions.len()
                    && old
                        .sessions
                        .iter()
                        .zip(&new.sessions)
                        .all(|(a, b)| a.raw_tags == b.raw_tags)
            })
    });
    let index = match previous.filter(|_| index_reused) {
        Some(p) => p.tags.clone(),
        None => Arc::new(TagIndex::build(&raw, &config.tags, config.slug, &base_path)),
    };
    let names = TagNames::new(&config.tags);

    // Phase C: pages of each note, redone when its model, its resolved tags or the theme changed.
    let tokenize_nanos = AtomicU64::new(0);
    let results: Vec<(String, NoteResult)> = staged
        .into_par_iter()
        .map(|staged| {
            let Staged {
                rel,
                note,
                base,
                plan,
                previous,
            } = staged;
            let (Some(base), Some(plan)) = (base, plan) else {
                return (rel, Ok((Arc::new(NoteState { note, output: None }), false)));
            };
            // A reused model under an unchanged index keeps its resolved tags.
            if let Some(previous) = previous.as_ref().filter(|_| index_reused && !theme_changed) {
                return (rel, Ok((previous.clone(), false)));
            }
            let tags = ResolvedTags::of(&base, &index, &names);
            // The same model with the same tags: its entry and search documents stand, and
            // only a theme change makes its pages again.
            let unchanged = previous
                .as_ref()
                .and_then(|p| p.output.as_ref().filter(|o| o.tags == tags));
            if let Some(previous) = previous
                .as_ref()
                .filter(|_| unchanged.is_some() && !theme_changed)
            {
                return (rel, Ok((previous.clone(), false)));
            }
            let (entry, search) = match unchanged {
                Some(out) => (out.entry.clone(), out.search.clone()),
                None => {
                    let mut entry = tags.apply(&base);
                    entry.list_fingerprint = output::list_fingerprint(&entry);
                    let entry = Arc::new(entry);
                    let started = std::time::Instant::now();
                    let search = Arc::new(search::note_docs(&entry));
                    tokenize_nanos
                        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
                    (entry, search)
                }
            };
            let result = output::note_pages(&entry, &view, &theme).map(|pages| {
                let output = NoteOutput {
                    plan,
                    base,
                    tags,
                    entry,
                    pages,
                    search,
                };
                (
                    Arc::new(NoteState {
                        note,
                        output: Some(output),
                    }),
                    true,
                )
            });
            (rel, result)
        })
        .collect();

    let mut notes = BTreeMap::new();
    let mut redone = 0;
    let mut fresh_paths: BTreeSet<String> = BTreeSet::new();
    for (rel, result) in results {
        match result {
            Ok((state, was_redone)) => {
                if was_redone {
                    redone += 1;
                    if let Some(out) = &state.output {
                        fresh_paths.extend(out.pages.iter().map(|a| a.path.clone()));
                    }
                }
                notes.insert(rel, state);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(BuildError::Invalid(errors));
    }

    let mut entries: Vec<Arc<NoteEntry>> = notes
        .values()
        .filter_map(|s| s.output.as_ref().map(|o| o.entry.clone()))
        .collect();
    site::sort_notes(&mut entries);
    let site = Site { notes: entries };
    lap(&mut timings.note_pages);
    timings.search_tokenize_cpu = std::time::Duration::from_nanos(tokenize_nanos.into_inner());

    let placed = place_assets(&notes, &links, &scan.assets);
    let files = output::files(&theme, &placed);
    if theme_changed {
        fresh_paths.extend(files.iter().map(|a| a.path.clone()));
    }
    let mut artifacts: BTreeMap<String, Content> = BTreeMap::new();
    let note_pages = notes
        .values()
        .filter_map(|s| s.output.as_ref())
        .flat_map(|o| o.pages.iter());
    for artifact in note_pages {
        artifacts.insert(artifact.path.clone(), artifact.content.clone());
    }
    for artifact in files {
        artifacts.entry(artifact.path).or_insert(artifact.content);
    }
    // Site-wide outputs of the previous build stay until they are made again.
    let site_paths: BTreeSet<String> = previous.map(|p| p.site_paths.clone()).unwrap_or_default();
    let markdown = Arc::new(scan.markdown.clone());
    if let Some(previous) = previous {
        for path in &site_paths {
            if let Some(content) = previous.artifacts.get(path) {
                artifacts
                    .entry(path.clone())
                    .or_insert_with(|| content.clone());
            }
        }
    }

    let report = RebuildReport {
        timings,
        notes_redone: redone,
        pages_redone: fresh_paths.iter().filter(|p| p.ends_with(".html")).count(),
        changed: match previous {
            None => artifacts.keys().cloned().collect(),
            Some(p) => diff(&p.artifacts, &artifacts, &fresh_paths),
        },
    };
    let mut project = Project {
        options: options.clone(),
        config,
        theme,
        notes,
        assets: Arc::new(scan.assets),
        markdown,
        site,
        tags: index,
        artifacts: Arc::new(artifacts),
        site_paths,
        site_fingerprints: previous
            .filter(|_| !theme_changed)
            .map(|p| p.site_fingerprints.clone())
            .unwrap_or_default(),
        search: previous.map(|p| p.search.clone()).unwrap_or_default(),
        warnings,
    };
    let mut report = report;
    if !defer_site {
        let site_report = project.refresh_site()?;
        report = report.merged(site_report);
    }
    Ok((project, report))
}

/// A note's state, and whether it was made anew (`false`: reused from the previous build).
type NoteResult = Result<(Arc<NoteState>, bool), Diagnostic>;

/// The previous build's URL plans, when nothing they depend on changed: the same notes in the
/// same order, with the same slugs asked for and the same session titles.
fn previous_plans(previous: &Project, notes: &[&Note]) -> Option<Vec<NotePlan>> {
    let before: Vec<(&Note, &NotePlan)> = previous
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

/// Paths whose content differs between two outputs, looking only at freshly made ones and at
/// paths that appeared or disappeared.
fn diff(
    old: &BTreeMap<String, Content>,
    new: &BTreeMap<String, Content>,
    fresh: &BTreeSet<String>,
) -> Vec<String> {
    let mut changed: BTreeSet<String> = BTreeSet::new();
    for path in fresh {
        if old.get(path) != new.get(path) {
            changed.insert(path.clone());
        }
    }
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    changed.extend(new.keys().filter(|k| !old.contains_key(*k)).cloned());
    changed.into_iter().collect()
}

/// Output paths of the files under `content/`: beside the pages of the notes that link them,
/// and at their own path when no note links them (so nothing is lost).
fn place_assets(
    notes: &BTreeMap<String, Arc<NoteState>>,
    links: &LinkTable<'_>,
    assets: &[Asset],
) -> Vec<(String, Asset)> {
    let by_path: HashMap<&str, &Asset> = assets.iter().map(|a| (a.path.as_str(), a)).collect();
    let mut placed = Vec::new();
    let mut linked = HashSet::new();
    for state in notes.values() {
        let Some(out) = &state.output else { continue };
        for link in &state.note.local_links {
            if let Some(place) = links.asset(&state.note.path, &out.plan.slug, link) {
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
