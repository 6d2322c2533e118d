//! Making a project, fresh or after changes, in phases: read (config, theme, the scan of
//! `content/`, parsing), plan (URLs, links, the layout of every output path), models (each note
//! rendered without site-wide tags), tags (the site-wide tag index and related sessions), pages
//! (each note's pages and search documents), and assemble (the project with every output). What
//! each phase may take from the previous build is decided in [`super::reuse`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::options::check_root;
use super::reuse::Reuse;
use super::{
    BuildError, BuildOptions, Changes, NoteOutput, NoteState, PageSink, Project, RebuildReport,
    Timings, load_config,
};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::layout;
use crate::links;
use crate::load::{self, Asset, CONTENT_DIR};
use crate::note::{self, Note};
use crate::output::{self, Content, SiteView};
use crate::related::{self, RelatedIndex};
use crate::search;
use crate::site::{
    self, AssetIndex, LinkTable, NoteEntry, NotePlan, RelatedLink, Site, asset_index,
};
use crate::tags::{TagIndex, TagLink, TagNames};
use crate::talk::SessionRule;
use crate::theme::Theme;

/// Makes the project again after `changes`. With `defer_site`, site-wide outputs (home, tags,
/// events, feeds, sitemap, search index) are left as they were for [`Project::refresh_site`].
pub(super) fn generate(
    options: &BuildOptions,
    previous: Option<&Project>,
    changes: &Changes,
    defer_site: bool,
    sink: Option<&PageSink<'_>>,
) -> Result<(Project, RebuildReport), BuildError> {
    let reuse = Reuse::new(previous, changes, &options.root);
    let mut clock = Clock::new();
    let read = read(options, &reuse)?;
    let planned = plan(options, &reuse, read)?;
    clock.lap(|t| &mut t.load_parse);
    let staged = models(&planned);
    clock.lap(|t| &mut t.markdown);
    let config = planned.config.clone();
    let tags = tags(&reuse, &config, &staged, sink.is_some());
    let made = pages(&reuse, &planned, staged, &tags, sink)?;
    clock.lap(|t| &mut t.note_pages);
    clock.timings.search_tokenize_cpu = made.tokenizing;
    let (mut project, report) = assemble(options, &reuse, planned, made, tags, clock);
    if defer_site {
        return Ok((project, report));
    }
    let site = project.make_site(sink)?;
    Ok((project, report.merged(site)))
}

/// Wall-clock time per stage.
struct Clock {
    timings: Timings,
    last: Instant,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            timings: Timings::default(),
            last: Instant::now(),
        }
    }

    /// Adds the time since the last lap to the stage `slot` picks.
    fn lap(&mut self, slot: impl FnOnce(&mut Timings) -> &mut Duration) {
        let now = Instant::now();
        *slot(&mut self.timings) += now - self.last;
        self.last = now;
    }
}

/// A note between reading and rendering: kept whole from the previous build, or parsed anew.
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

/// What the read phase gives: the inputs of everything else.
struct Read {
    config: Arc<Config>,
    /// The theme, or its errors (reported with the plan's).
    theme: Result<Arc<Theme>, Vec<Diagnostic>>,
    scan: load::ContentFiles,
    /// Every note that parsed, old or new, in path order.
    slots: Vec<(String, Slot)>,
    /// Problems found so far; the plan phase adds its own and stops on any.
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Reads the config and the theme (unless kept), scans `content/` (unless no file came or
/// went) and parses the notes that are new or changed. Every error found is collected; the
/// phase stops early only when the config or the session rule cannot be had.
fn read(options: &BuildOptions, reuse: &Reuse<'_>) -> Result<Read, BuildError> {
    let root = &options.root;
    check_root(root)?;
    let mut errors = Vec::new();
    let config = match reuse.config() {
        Some(config) => Ok(config),
        None => load_config(options).map(Arc::new),
    };
    let scan = reuse.scan().unwrap_or_else(|| load::scan_content(root));
    let (warnings, load_errors): (Vec<_>, Vec<_>) = scan
        .diagnostics
        .iter()
        .cloned()
        .partition(|d| !d.is_error());
    let config = match config {
        Ok(c) => c,
        Err(found) => {
            errors.extend(found);
            errors.extend(load_errors);
            return Err(BuildError::Invalid(errors));
        }
    };
    errors.extend(load_errors);
    if scan.markdown.is_empty() {
        errors.push(no_notes(root));
    }
    let rule = SessionRule::new(&config.sessions).map_err(|d| errors.push(d));
    let theme = match reuse.theme() {
        Some(theme) => Ok(theme),
        None => Theme::load(root, &config.theme, &config.language).map(Arc::new),
    };
    let Ok(rule) = rule else {
        return Err(BuildError::Invalid(errors));
    };

    let parsed: Vec<(String, Result<Note, Diagnostic>)> = scan
        .markdown
        .par_iter()
        .filter(|(rel, _)| reuse.must_parse(rel))
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
    // Notes that failed to parse are left out, so the others still get their URLs checked.
    let slots = scan
        .markdown
        .iter()
        .filter_map(|(rel, _)| {
            let slot = match fresh.remove(rel) {
                Some(note) => Slot::New(Arc::new(note)),
                None => Slot::Kept(reuse.kept_note(rel)?.clone()),
            };
            Some((rel.clone(), slot))
        })
        .collect();
    Ok(Read {
        config,
        theme,
        scan,
        slots,
        errors,
        warnings,
    })
}

/// The error for a site without a single note: where hugi looked, and where Markdown files are
/// if there are some elsewhere (notes at the top or in `notes/`).
fn no_notes(root: &std::path::Path) -> Diagnostic {
    let elsewhere: Vec<String> = walkdir::WalkDir::new(root)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "node_modules"
                    || name == "target"
                    || name == "public"
                    || name == CONTENT_DIR)
        })
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            (name.ends_with(".md") || name.ends_with(".markdown"))
                && !matches!(name.as_str(), "readme.md" | "license.md" | "changelog.md")
        })
        .map(|e| load::display_path(root, e.path()))
        .collect();
    let error = Diagnostic::error(
        format!("{CONTENT_DIR}/"),
        format!(
            "no notes found: hugi reads Markdown files (*.md) under {}",
            root.join(CONTENT_DIR).display()
        ),
    );
    match elsewhere.as_slice() {
        [] => {
            error.with_hint("write one with `hugi new \"행사 이름\"`, or point --root at the site")
        }
        files => error.with_hint(format!(
            "Markdown files outside content/: {}{}; move them into content/",
            files.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            match files.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            }
        )),
    }
}

/// What the plan phase gives: every note with its URL plan (drafts left out have none), how
/// links resolve, and where the files under `content/` go.
struct Planned {
    config: Arc<Config>,
    base_path: String,
    theme: Arc<Theme>,
    assets: Vec<Asset>,
    markdown: Vec<(String, std::path::PathBuf)>,
    notes: Vec<(String, Slot, Option<NotePlan>)>,
    note_urls: HashMap<String, String>,
    asset_paths: AssetIndex,
    placed: Vec<(String, Asset)>,
    links_changed: bool,
    warnings: Vec<Diagnostic>,
}

impl Planned {
    fn links(&self) -> LinkTable<'_> {
        LinkTable {
            base_path: &self.base_path,
            note_urls: self.note_urls.clone(),
            assets: &self.asset_paths,
        }
    }
}

/// Decides every URL (or keeps the previous plans), and claims every output path: a clash or
/// a path outside the output stops the build here, before anything is rendered.
fn plan(options: &BuildOptions, reuse: &Reuse<'_>, read: Read) -> Result<Planned, BuildError> {
    let Read {
        config,
        theme,
        scan,
        slots,
        mut errors,
        warnings,
    } = read;
    let included: Vec<usize> = (0..slots.len())
        .filter(|&i| options.drafts || !slots[i].1.note().front_matter.draft)
        .collect();
    let included_notes: Vec<&Note> = included.iter().map(|&i| &**slots[i].1.note()).collect();
    let plans = match reuse
        .plans(&included_notes)
        .map_or_else(|| site::plan(&included_notes, &config), Ok)
    {
        Ok(plans) => plans,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    let theme = match theme {
        Ok(theme) if errors.is_empty() => theme,
        Ok(_) => return Err(BuildError::Invalid(errors)),
        Err(e) => {
            errors.extend(e);
            return Err(BuildError::Invalid(errors));
        }
    };
    let base_path = config.base_path();
    let asset_paths = asset_index(&scan.assets);
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
    let links_changed = reuse.links_changed(&links);
    let placed = layout::place_assets(
        included_notes.iter().copied().zip(&plans),
        &links,
        &scan.assets,
    );
    let statics = theme.statics.iter().map(|(path, _)| path.as_str());
    layout::check(included_notes.iter().copied().zip(&plans), statics, &placed)
        .map_err(BuildError::Invalid)?;
    let note_urls = links.note_urls;
    let mut plan_of: HashMap<usize, NotePlan> = included.into_iter().zip(plans).collect();
    let notes = slots
        .into_iter()
        .enumerate()
        .map(|(i, (rel, slot))| (rel, slot, plan_of.remove(&i)))
        .collect();
    Ok(Planned {
        config,
        base_path,
        theme,
        assets: scan.assets,
        markdown: scan.markdown,
        notes,
        note_urls,
        asset_paths,
        placed,
        links_changed,
        warnings,
    })
}

/// A note between the phases of a rebuild.
struct Staged {
    rel: String,
    note: Arc<Note>,
    plan: Option<NotePlan>,
    /// Its model without tags; `None` when the note is left out (a draft).
    base: Option<Arc<NoteEntry>>,
    /// The previous state, when the model was kept from it.
    previous: Option<Arc<NoteState>>,
}

/// Each note's model without site-wide tags: kept when its inputs are unchanged, else rendered.
fn models(planned: &Planned) -> Vec<Staged> {
    let links = planned.links();
    let config = &planned.config;
    planned
        .notes
        .par_iter()
        .map(|(rel, slot, plan)| {
            let rel = rel.clone();
            let plan = plan.clone();
            match slot {
                Slot::Kept(state) if Reuse::model(state, plan.as_ref(), planned.links_changed) => {
                    let out = state.output.as_ref().expect("kept models have output");
                    Staged {
                        rel,
                        note: state.note.clone(),
                        base: Some(out.base.clone()),
                        plan,
                        previous: Some(state.clone()),
                    }
                }
                slot => {
                    let note = slot.note().clone();
                    let base = plan.as_ref().map(|plan| {
                        let parts = site::render_note(&note, plan, config, &links);
                        Arc::new(site::note_entry(&note, plan, parts, config))
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
        .collect()
}

/// The site-wide tag index, what pages need to resolve tags against it, and the related
/// sessions of every session.
struct Tags<'a> {
    index: Arc<TagIndex>,
    names: TagNames<'a>,
    /// The related sessions of every session.
    related: RelatedIndex,
    /// For a build that hands pages to a sink: the notes whose HTML the site feed shows.
    feed_notes: HashSet<String>,
}

/// The tag index from every note's tags as written (or the previous one when no tag changed).
fn tags<'a>(reuse: &Reuse<'_>, config: &'a Config, staged: &[Staged], streaming: bool) -> Tags<'a> {
    let mut order: Vec<(usize, Arc<NoteEntry>)> = staged
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.base.clone().map(|b| (i, b)))
        .collect();
    order.sort_by(|a, b| site::compare_notes(&a.1, &b.1));
    let index = reuse.tag_index(&order).unwrap_or_else(|| {
        let raw: Vec<Vec<&[String]>> = order
            .iter()
            .map(|(_, e)| e.sessions.iter().map(|s| s.raw_tags.as_slice()).collect())
            .collect();
        Arc::new(TagIndex::build(
            &raw,
            &config.tags,
            config.slug,
            &config.base_path(),
        ))
    });
    // A build that hands its pages to a sink never rebuilds: once a note's pages are written and
    // its search documents made, it keeps only what site-wide outputs need. The site feed is the
    // one that shows HTML, of the newest sessions, so the notes holding them keep theirs.
    let feed_notes = if streaming {
        let mut sessions = 0;
        order
            .iter()
            .take_while(|(_, entry)| {
                let before = sessions;
                sessions += entry.sessions.len();
                before < output::feeds::FEED_ENTRIES
            })
            .map(|(_, entry)| entry.source.clone())
            .collect()
    } else {
        HashSet::new()
    };
    let entries: Vec<&NoteEntry> = order.iter().map(|(_, e)| &**e).collect();
    Tags {
        related: related::build(&entries, &index),
        index,
        names: TagNames::new(&config.tags),
        feed_notes,
    }
}

/// A note's state, and whether it was made anew (`false`: kept from the previous build).
type NoteResult = Result<(Arc<NoteState>, bool), Diagnostic>;

/// The notes after the pages phase.
struct Made {
    notes: BTreeMap<String, Arc<NoteState>>,
    /// How many notes were made anew.
    redone: usize,
    /// The pages of the notes made anew.
    fresh_paths: BTreeSet<String>,
    /// CPU time spent tokenising for search.
    tokenizing: Duration,
}

/// Each note's pages and search documents, made again when its model, its resolved tags, its
/// related sessions or the theme changed; handed to `sink` as they are made when there is one.
fn pages(
    reuse: &Reuse<'_>,
    planned: &Planned,
    staged: Vec<Staged>,
    tags: &Tags<'_>,
    sink: Option<&PageSink<'_>>,
) -> Result<Made, BuildError> {
    let view = SiteView::new(&planned.config);
    let tokenize_nanos = AtomicU64::new(0);
    let unwritten = Unwritten::default();
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
            let resolved = Resolved::of(&base, &tags.index, &tags.names, &tags.related);
            // The same model with the same tags and related sessions: its entry and search
            // documents stand, and only a theme change makes its pages again.
            let unchanged = previous
                .as_ref()
                .and_then(|p| p.output.as_ref().filter(|o| o.resolved == resolved));
            if let Some(previous) = previous
                .as_ref()
                .filter(|_| unchanged.is_some() && !reuse.theme_changed)
            {
                return (rel, Ok((previous.clone(), false)));
            }
            let (entry, search) = match unchanged {
                Some(out) => (out.entry.clone(), out.search.clone()),
                None => {
                    let mut entry = resolved.apply(&base);
                    entry.list_fingerprint = output::list_fingerprint(&entry);
                    let entry = Arc::new(entry);
                    let started = Instant::now();
                    let search = Arc::new(search::note_docs(&entry));
                    tokenize_nanos
                        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
                    (entry, search)
                }
            };
            let result = output::note_pages(&entry, &view, &planned.theme).map(|pages| {
                // Pages handed to a sink are on disk; the project keeps none of them, nor what
                // only a rebuild would need.
                let (note, base, entry, pages, links) = match sink {
                    Some(sink) => {
                        for page in &pages {
                            unwritten.note(&page.path, sink(page));
                        }
                        let links = links::note_refs(&note, &planned.config);
                        let entry = if tags.feed_notes.contains(&entry.source) {
                            entry
                        } else {
                            Arc::new(entry.without_bodies())
                        };
                        let note = Arc::new(note.without_text());
                        (note, entry.clone(), entry, Vec::new(), Some(links))
                    }
                    None => (note, base, entry, pages, None),
                };
                let output = NoteOutput {
                    links,
                    plan,
                    base,
                    resolved,
                    entry,
                    pages,
                    search,
                };
                let state = NoteState {
                    note,
                    output: Some(output),
                };
                (Arc::new(state), true)
            });
            (rel, result)
        })
        .collect();

    let mut errors = Vec::new();
    let mut made = Made {
        notes: BTreeMap::new(),
        redone: 0,
        fresh_paths: BTreeSet::new(),
        tokenizing: Duration::from_nanos(tokenize_nanos.into_inner()),
    };
    for (rel, result) in results {
        match result {
            Ok((state, was_redone)) => {
                if was_redone {
                    made.redone += 1;
                    if let Some(out) = &state.output {
                        made.fresh_paths
                            .extend(out.pages.iter().map(|a| a.path.clone()));
                    }
                }
                made.notes.insert(rel, state);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(BuildError::Invalid(errors));
    }
    unwritten.check()?;
    Ok(made)
}

/// The project with every output but the site-wide ones (kept from the previous build until
/// they are made again), and the report of what changed.
fn assemble(
    options: &BuildOptions,
    reuse: &Reuse<'_>,
    planned: Planned,
    made: Made,
    tags: Tags<'_>,
    clock: Clock,
) -> (Project, RebuildReport) {
    let Made {
        notes,
        redone,
        mut fresh_paths,
        ..
    } = made;
    let mut entries: Vec<Arc<NoteEntry>> = notes
        .values()
        .filter_map(|s| s.output.as_ref().map(|o| o.entry.clone()))
        .collect();
    site::sort_notes(&mut entries);
    // Pages of notes made anew, and the theme's files when the theme changed, are fresh.
    let files = output::files(&planned.theme, &planned.placed);
    if reuse.theme_changed {
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
    for (path, content) in reuse.site_outputs() {
        artifacts
            .entry(path.clone())
            .or_insert_with(|| content.clone());
    }
    let report = RebuildReport {
        timings: clock.timings,
        notes_redone: redone,
        pages_redone: fresh_paths.iter().filter(|p| p.ends_with(".html")).count(),
        changed: match reuse.previous() {
            None => artifacts.keys().cloned().collect(),
            Some(p) => diff(&p.artifacts, &artifacts, &fresh_paths),
        },
    };
    let project = Project {
        options: options.clone(),
        config: planned.config,
        theme: planned.theme,
        notes,
        assets: Arc::new(planned.assets),
        markdown: Arc::new(planned.markdown),
        site: Site { notes: entries },
        tags: tags.index,
        artifacts: Arc::new(artifacts),
        site_paths: reuse.site_paths(),
        site_fingerprints: reuse.site_fingerprints(),
        search: reuse.search(),
        warnings: planned.warnings,
    };
    (project, report)
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

/// The first output a sink could not take, from any thread.
#[derive(Default)]
pub(super) struct Unwritten(std::sync::Mutex<Option<(String, std::io::Error)>>);

impl Unwritten {
    pub(super) fn note(&self, path: &str, written: std::io::Result<()>) {
        if let Err(e) = written {
            let mut first = self.0.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert((path.to_string(), e));
        }
    }

    /// The error of the first output that was not written, if any.
    pub(super) fn check(&self) -> Result<(), BuildError> {
        let mut first = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match first.take() {
            Some((path, source)) => Err(BuildError::Write { path, source }),
            None => Ok(()),
        }
    }
}

/// What a note's pages take from the rest of the site: its tag links (its own, then each
/// session's) resolved against the site's index, and each session's related sessions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Resolved {
    note: Vec<TagLink>,
    sessions: Vec<Vec<TagLink>>,
    related: Vec<Vec<RelatedLink>>,
}

impl Resolved {
    fn of(
        entry: &NoteEntry,
        index: &TagIndex,
        names: &TagNames<'_>,
        related: &RelatedIndex,
    ) -> Self {
        let resolve = |raw: &[String]| {
            let mut links: Vec<TagLink> = Vec::new();
            for tag in raw {
                if let Some(found) = index.get(names, tag)
                    && !links.contains(&found.link)
                {
                    links.push(found.link.clone());
                }
            }
            links
        };
        Resolved {
            note: resolve(&entry.raw_tags),
            sessions: entry
                .sessions
                .iter()
                .map(|s| resolve(&s.raw_tags))
                .collect(),
            related: related.get(&entry.source).cloned().unwrap_or_default(),
        }
    }

    /// A copy of `entry` with these tags and related sessions filled in, under a new revision.
    fn apply(&self, entry: &NoteEntry) -> NoteEntry {
        static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut entry = entry.clone();
        entry.revision = REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        entry.tags = self.note.clone();
        for (session, tags) in entry.sessions.iter_mut().zip(&self.sessions) {
            session.tags = tags.clone();
        }
        for (session, related) in entry.sessions.iter_mut().zip(&self.related) {
            session.related = related.clone();
        }
        entry
    }
}
