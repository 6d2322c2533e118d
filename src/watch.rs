//! Watching a site for changes: notify with notify-debouncer-full, editor noise filtered out
//! (`.swp`, `~`, vim's `4913` probe, hidden files), and bursts (a `git checkout`, a save that
//! writes and renames) coalesced into one batch of site-relative paths for one rebuild; and
//! [`Rebuilder`], the rebuild loop's state that `hugi serve` and `hugi watch` share.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::project::{BuildError, BuildOptions, Changes, Project, RebuildReport};

/// Folders of a site whose contents feed the build.
const WATCHED_DIRS: &[&str] = &["content", "themes", "static", "templates"];

/// How long the debouncer waits for a path to settle.
const SETTLE: Duration = Duration::from_millis(5);
/// How long a batch stays open for more events after the last one.
const QUIET: Duration = Duration::from_millis(8);
/// The same once a batch holds more files than one editor save touches: a `git checkout` or a
/// generator is writing many files, and may pause between them longer than `QUIET`.
const BURST_QUIET: Duration = Duration::from_millis(100);
/// Files one save can touch (the note, a swap or backup file, a temporary file).
const ONE_SAVE: usize = 3;
/// A batch never waits longer than this, even under a steady stream of writes.
const MAX_BATCH: Duration = Duration::from_millis(1000);

/// Watches one site and hands out batches of changes.
pub struct SiteWatcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    root: PathBuf,
    /// Site folders being watched, by name, with the identity of the folder the watch is on.
    watched: BTreeMap<&'static str, FolderId>,
    /// Folders whose changes are ours, not the user's (the output folder).
    ignored: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `root`; changes under any of `ignored` are never reported.
    pub fn new(root: &Path, ignored: &[PathBuf]) -> notify::Result<SiteWatcher> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let root = root.canonicalize().unwrap_or(root);
        let (sender, events) = channel();
        let debouncer = new_debouncer(SETTLE, Some(Duration::from_millis(2)), sender)?;
        let ignored = ignored
            .iter()
            .map(|p| {
                let p = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                p.canonicalize().unwrap_or(p)
            })
            .collect();
        let mut watcher = SiteWatcher {
            debouncer,
            events,
            root,
            watched: BTreeMap::new(),
            ignored,
        };
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)?;
        watcher.refresh_watches()?;
        Ok(watcher)
    }

    /// Puts the watches on the site folders that are there now: adds one for a folder made
    /// since the last look (`themes/` made later), drops the one of a folder deleted, and moves
    /// the one of a folder replaced (`mv content.new content`, a `git checkout` or a sync tool
    /// swapping the folder), whose old watch would follow the folder moved away. Returns the
    /// names of the folders that came, went or were replaced.
    fn refresh_watches(&mut self) -> notify::Result<Vec<&'static str>> {
        let mut moved = Vec::new();
        for &name in WATCHED_DIRS {
            let dir = self.root.join(name);
            let now = folder_id(&dir);
            if now == self.watched.get(name).copied() {
                continue;
            }
            moved.push(name);
            if self.watched.remove(name).is_some() {
                // Gone with a deleted folder already, or still on the folder moved away.
                let _ = self.debouncer.unwatch(&dir);
            }
            if let Some(id) = now {
                self.debouncer.watch(&dir, RecursiveMode::Recursive)?;
                self.watched.insert(name, id);
            }
        }
        Ok(moved)
    }

    /// Blocks until something relevant changes, then returns everything that changed in that
    /// burst. `None` when the watcher stopped, or when `deadline` passed with no change.
    pub fn next_batch(&mut self, deadline: Option<Duration>) -> Option<Changes> {
        let mut paths = BTreeSet::new();
        let started = Instant::now();
        loop {
            let wait = if paths.is_empty() {
                match deadline {
                    Some(d) => d.checked_sub(started.elapsed())?,
                    None => Duration::from_secs(3600),
                }
            } else if started.elapsed() > MAX_BATCH {
                break;
            } else if paths.len() > ONE_SAVE {
                BURST_QUIET
            } else {
                QUIET
            };
            match self.events.recv_timeout(wait) {
                Ok(Ok(events)) => {
                    for event in events.iter().filter(|e| changes_content(&e.kind)) {
                        paths.extend(event.paths.iter().filter_map(|p| self.relative(p)));
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) if paths.is_empty() && deadline.is_none() => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        // A folder replaced shows as a change of the folder itself, whether or not the event on
        // the site's root arrived: everything in it is read again.
        if let Ok(moved) = self.refresh_watches() {
            paths.extend(moved.into_iter().map(String::from));
        }
        if paths.is_empty() {
            return None;
        }
        Some(Changes { paths })
    }

    /// The site-relative, `/`-separated NFC form of a changed path, or `None` for noise.
    fn relative(&self, path: &Path) -> Option<String> {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = rel.to_str()?.replace('\\', "/");
        let top = rel.split('/').next().unwrap_or("");
        if !(rel == crate::config::CONFIG_FILE || WATCHED_DIRS.contains(&top)) {
            return None;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        (!is_editor_noise(name)).then(|| crate::load::nfc(&rel))
    }
}

/// Which folder is at a path: device and inode where there are such things.
type FolderId = (u64, u64);

fn folder_id(dir: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        // Windows does not let a watched folder be renamed; any folder there is the same one.
        let _ = meta;
        Some((0, 0))
    }
}

/// Whether an event can change what a build reads. Reads (including hugi's own) are not changes.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{MetadataKind, ModifyKind};
    !matches!(
        kind,
        notify::EventKind::Access(_)
            | notify::EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Files editors write beside the real one while saving.
pub fn is_editor_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A project kept between rebuilds, with the changes a failed rebuild could not apply yet: the
/// one rebuild loop `hugi serve` and `hugi watch` share.
pub struct Rebuilder {
    options: BuildOptions,
    project: Option<Project>,
    pending: Changes,
}

/// What one rebuild did.
pub struct Rebuilt {
    pub report: RebuildReport,
    /// The project was made from nothing (the site had failed until now): every output is new.
    pub opened: bool,
}

impl Rebuilder {
    /// Starts from `project`, or from nothing when the first build failed.
    pub fn new(options: BuildOptions, project: Option<Project>) -> Rebuilder {
        Rebuilder {
            options,
            project,
            pending: Changes::default(),
        }
    }

    /// Rebuilds after `changes` and the ones still pending. With `pages_only`, site-wide outputs
    /// wait for [`Project::refresh_site`]. On error the last good project stays.
    pub fn apply(&mut self, changes: &Changes, pages_only: bool) -> Result<Rebuilt, BuildError> {
        self.pending.paths.extend(changes.paths.iter().cloned());
        let rebuilt = match &mut self.project {
            Some(project) if pages_only => {
                project.rebuild_pages(&self.pending).map(|report| Rebuilt {
                    report,
                    opened: false,
                })
            }
            Some(project) => project.rebuild(&self.pending).map(|report| Rebuilt {
                report,
                opened: false,
            }),
            None => Project::open(&self.options).map(|project| {
                let report = RebuildReport {
                    changed: project.artifacts().into_iter().map(|a| a.path).collect(),
                    ..RebuildReport::default()
                };
                self.project = Some(project);
                Rebuilt {
                    report,
                    opened: true,
                }
            }),
        }?;
        self.pending.paths.clear();
        Ok(rebuilt)
    }

    /// The last good project.
    pub fn project(&self) -> Option<&Project> {
        self.project.as_ref()
    }

    pub fn project_mut(&mut self) -> Option<&mut Project> {
        self.project.as_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise() {
        for noise in [
            ".a.md.swp",
            "a.md~",
            "4913",
            "#a.md#",
            ".DS_Store",
            "a.md.tmp",
        ] {
            assert!(is_editor_noise(noise), "{noise}");
        }
        for real in ["a.md", "파이콘.md", "style.css", "2024"] {
            assert!(!is_editor_noise(real), "{real}");
        }
    }
}
