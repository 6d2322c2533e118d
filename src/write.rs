//! Writing: publishes artifacts to the output folder atomically. Beside the output lives a hidden
//! spare folder (`.public.hugi-previous` for `public/`) that holds the previous output between
//! builds. A build brings the spare up to date — files whose bytes are already right are left
//! alone, the others are replaced, files the site no longer has are removed — and then swaps it
//! with the output in one step (`renameat2(RENAME_EXCHANGE)` on Linux), so the old output becomes
//! the next spare. A failed or interrupted build therefore leaves the output whole, pages of
//! deleted notes never linger, and a rebuild where little changed writes little: no folder is
//! made or removed and unchanged files keep their inode and modification time (which deploy tools
//! such as rsync use). A file is replaced by writing a new one beside it and renaming it over the
//! old, so a name the spare shares with another (a hard link) is never written through. Nothing
//! outside the output folder and its hidden siblings is ever written or deleted: every path is
//! checked to be a clean relative path first.
//!
//! hugi owns only what it wrote. The output lists its files in `.hugi-manifest`; anything else in
//! it (`.git`, `CNAME`, files a deploy tool added) belongs to someone else and is carried into
//! each new output untouched, never deleted nor overwritten. A folder that holds files but no
//! manifest (and has no spare beside it, as outputs of hugi before manifests have) is refused
//! unless the build is forced, and then its files are kept the same way.
//!
//! One hugi writes an output at a time: [`lock_output`] takes an advisory lock beside it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::layout::is_clean;
use crate::output::{Artifact, Content};

/// The file in an output folder that lists, one path a line, the files hugi wrote there.
pub const MANIFEST: &str = ".hugi-manifest";

/// In the spare while a commit carries the user's files into it: their paths, one a line, so
/// that a commit interrupted before the swap can put them back.
const CARRIED: &str = ".hugi-carried";

/// The hidden sibling that holds the previous output and becomes the next one.
pub fn spare_dir(out: &Path) -> PathBuf {
    sibling(out, "hugi-previous")
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Writes `artifacts` as the new contents of `out`, replacing the old contents atomically.
/// `force` builds into a folder hugi did not make (see [`Staging::begin`]).
pub fn publish(artifacts: &[Artifact], out: &Path, force: bool) -> io::Result<()> {
    let staging = Staging::begin(out, force)?;
    staging.write_all(artifacts)?;
    staging.commit()
}

/// Exclusive use of an output folder, held while a build writes it (and by `hugi watch` for as
/// long as it runs): an advisory lock on a hidden file beside the output, released when dropped
/// or when the process ends, however it ends.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// Takes the lock on `out`, or fails at once, naming the folder, when another hugi holds it.
pub fn lock_output(out: &Path) -> io::Result<OutputLock> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| annotate(e, parent))?;
    }
    let path = sibling(out, "hugi-lock");
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| annotate(e, &path))?;
    match file.try_lock() {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            format!(
                "another hugi (a build or `hugi watch`) is writing to {}; wait for it to finish \
                 or stop it, then build again",
                out.display()
            ),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(annotate(e, &path)),
    }
}

/// `root/path`, when `path` is a clean relative path (so the result stays inside `root`).
fn inside(root: &Path, path: &str) -> io::Result<PathBuf> {
    if is_clean(path) {
        Ok(root.join(path))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{path}`: it is not a path inside the output"),
        ))
    }
}

/// What hugi wrote in an output folder.
#[derive(Debug)]
enum Owned {
    /// The files listed; anything else there is someone else's.
    Listed(HashSet<String>),
    /// Everything there: an output of a hugi from before manifests (it has a spare beside it).
    All,
}

/// What of `out` hugi owns. A folder with files but neither a manifest nor a spare is refused
/// unless `force`, which takes none of its files as hugi's.
fn ownership(out: &Path, force: bool) -> io::Result<Owned> {
    match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(list) => return Ok(Owned::Listed(list.lines().map(String::from).collect())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(annotate(e, &out.join(MANIFEST))),
    }
    let mut names: Vec<String> = match std::fs::read_dir(out) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(annotate(e, out)),
    };
    if names.is_empty() {
        return Ok(Owned::Listed(HashSet::new()));
    }
    if spare_dir(out).is_dir() {
        return Ok(Owned::All);
    }
    if force {
        return Ok(Owned::Listed(HashSet::new()));
    }
    names.sort();
    let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = if names.len() > 3 { ", …" } else { "" };
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} holds files hugi did not write ({shown}{more}); hugi builds into an empty folder \
             or one it made. Choose another --output, or add --force to build into it anyway: \
             hugi keeps the files it did not write and never deletes them",
            out.display()
        ),
    ))
}

/// A new output being written into the spare folder: it takes files one at a time (from any
/// thread) or many at once, and replaces the output in one step when committed. Dropped
/// uncommitted (an error on the way), it leaves the output untouched; a spare made from nothing
/// is removed, a reused one stays a spare (every file is compared again next time).
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// Whether the spare held an earlier output: files are then compared and replaced.
    reused: bool,
    /// Every path of the new output, to remove the others from a reused spare.
    paths: Mutex<HashSet<String>>,
    /// What of the current output is hugi's.
    owned: Owned,
    /// Whether files of others that stand where the site now has files are replaced.
    force: bool,
    committed: bool,
}

impl Staging {
    /// Starts a new output for `out`. A folder that holds files hugi did not write (no
    /// manifest, no spare) is refused unless `force`; either way, files that are not hugi's are
    /// kept in every output that follows.
    pub fn begin(out: &Path, force: bool) -> io::Result<Staging> {
        if out.exists() && !out.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                out.display()
            )));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let dir = spare_dir(out);
        put_back_carried(&dir, out)?;
        let owned = ownership(out, force)?;
        let reused = match std::fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => true,
            Ok(_) => {
                std::fs::remove_file(&dir)?;
                false
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        };
        if !reused {
            std::fs::create_dir(&dir)?;
        }
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            reused,
            paths: Mutex::new(HashSet::new()),
            owned,
            force,
            committed: false,
        })
    }

    /// Writes one file (its folders as needed).
    pub fn write(&self, artifact: &Artifact) -> io::Result<()> {
        self.note_paths(std::slice::from_ref(artifact));
        if self.reused {
            update_file(&self.dir, &artifact.path, &artifact.content)
        } else {
            let target = inside(&self.dir, &artifact.path)?;
            if let Some(folder) = target.parent() {
                std::fs::create_dir_all(folder).map_err(|e| annotate(e, folder))?;
            }
            new_file(&artifact.content, &target)
        }
    }

    /// Writes many files: in a new spare, folders first, then files in parallel.
    pub fn write_all(&self, artifacts: &[Artifact]) -> io::Result<()> {
        self.note_paths(artifacts);
        if self.reused {
            return artifacts
                .par_iter()
                .try_for_each(|a| update_file(&self.dir, &a.path, &a.content));
        }
        let targets = artifacts
            .iter()
            .map(|a| inside(&self.dir, &a.path))
            .collect::<io::Result<Vec<PathBuf>>>()?;
        let folders: BTreeSet<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
        for folder in folders {
            std::fs::create_dir_all(folder)?;
        }
        artifacts
            .par_iter()
            .zip(&targets)
            .try_for_each(|(a, target)| new_file(&a.content, target))
    }

    fn note_paths(&self, artifacts: &[Artifact]) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.extend(artifacts.iter().map(|a| a.path.clone()));
    }

    /// Replaces the output with what was written, carrying over the files that are not hugi's.
    pub fn commit(mut self) -> io::Result<()> {
        let paths = std::mem::take(self.paths.get_mut().unwrap_or_else(|e| e.into_inner()));
        if self.reused {
            remove_others(&self.dir, &paths)?;
        }
        let swapped = swap_in(&self.dir, &self.out, &self.owned, &paths, self.force);
        // Once the spare stands complete it stays a spare, even when the swap failed.
        self.committed = true;
        swapped
    }
}

/// Moves back into `out` the files an interrupted commit had carried into the spare.
fn put_back_carried(spare: &Path, out: &Path) -> io::Result<()> {
    let journal = spare.join(CARRIED);
    let list = match std::fs::read_to_string(&journal) {
        Ok(list) => list,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A commit interrupted right after its swap leaves the journal in the output.
            return match std::fs::remove_file(out.join(CARRIED)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        Err(e) => return Err(annotate(e, &journal)),
    };
    let carried: Vec<&str> = list.lines().filter(|p| is_clean(p)).collect();
    move_entries(&carried, spare, out)?;
    std::fs::remove_file(&journal).map_err(|e| annotate(e, &journal))
}

/// Moves each of `paths` (files or whole folders) from `from` to `to` where `to` lacks it.
fn move_entries(paths: &[&str], from: &Path, to: &Path) -> io::Result<()> {
    for path in paths {
        let (source, target) = (from.join(path), to.join(path));
        if std::fs::symlink_metadata(&source).is_err() || std::fs::symlink_metadata(&target).is_ok()
        {
            continue;
        }
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(|e| annotate(e, folder))?;
        }
        std::fs::rename(&source, &target).map_err(|e| annotate(e, &source))?;
    }
    Ok(())
}

/// Swaps the complete spare in as the output: lists the new output's files in its manifest,
/// carries the files of `out` that are not hugi's into it (refusing, unless `force`, when the
/// site now has a file where one of them is), and exchanges the two folders.
fn swap_in(
    spare: &Path,
    out: &Path,
    owned: &Owned,
    paths: &HashSet<String>,
    force: bool,
) -> io::Result<()> {
    let others = match owned {
        Owned::All => Vec::new(),
        Owned::Listed(listed) => others_files(out, listed, paths, force)?,
    };
    let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let manifest = sorted.join("\n") + "\n";
    update_file(
        spare,
        MANIFEST,
        &Content::Bytes(manifest.into_bytes().into()),
    )?;
    if others.is_empty() {
        return swap_into_place(spare, out);
    }
    let carried: Vec<&str> = others.iter().map(String::as_str).collect();
    let journal = spare.join(CARRIED);
    std::fs::write(&journal, carried.join("\n")).map_err(|e| annotate(e, &journal))?;
    let moved = move_entries(&carried, out, spare);
    match moved.and_then(|()| swap_into_place(spare, out)) {
        Ok(()) => std::fs::remove_file(out.join(CARRIED)).map_err(|e| annotate(e, out)),
        Err(e) => {
            put_back_carried(spare, out)?;
            Err(e)
        }
    }
}

/// The files and folders in `out` that hugi did not write (`listed` are those it did), as
/// paths to move whole: a folder that holds none of hugi's files, old or new, is one entry.
/// One of them standing where the site now has a file (or a folder) is an error, unless
/// `force`, which leaves it out so that the site's file replaces it.
fn others_files(
    out: &Path,
    listed: &HashSet<String>,
    paths: &HashSet<String>,
    force: bool,
) -> io::Result<Vec<String>> {
    if !out.is_dir() {
        return Ok(Vec::new());
    }
    let folders: HashSet<&str> = listed
        .iter()
        .chain(paths)
        .flat_map(|p| p.match_indices('/').map(|(i, _)| &p[..i]))
        .collect();
    let mut others = Vec::new();
    let mut walk = walkdir::WalkDir::new(out).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let Some(path) = entry
            .path()
            .strip_prefix(out)
            .ok()
            .and_then(|r| r.to_str())
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            continue;
        };
        if path == MANIFEST || path == CARRIED {
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if is_dir && folders.contains(path.as_str()) {
            continue;
        }
        if is_dir {
            walk.skip_current_dir();
        }
        if !is_dir && listed.contains(&path) {
            continue;
        }
        if paths.contains(&path) || folders.contains(path.as_str()) {
            if force {
                continue;
            }
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} was not written by hugi, and the site now has a file there; move it \
                     away (files for the top of the site go in static/), or add --force to \
                     replace it",
                    entry.path().display()
                ),
            ));
        }
        others.push(path);
    }
    Ok(others)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && !self.reused {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Applies a rebuild's changes to the output atomically. The spare must hold the output from
/// before the previous publish, so it lacks that publish's changes (`earlier`) as well as this
/// rebuild's (`changed`): both are brought up to date in it, and it is swapped in. `files` is
/// the whole new output; a changed path it lacks no longer exists. Fails with `NotFound`,
/// touching nothing, when there is no spare.
pub fn publish_changes(
    changed: &[String],
    earlier: &[String],
    files: &BTreeMap<String, Content>,
    out: &Path,
) -> io::Result<()> {
    let spare = spare_dir(out);
    if !spare.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} is missing", spare.display()),
        ));
    }
    put_back_carried(&spare, out)?;
    // The first publish made the output hugi's, or was forced to take it.
    let owned = ownership(out, true)?;
    let paths: BTreeSet<&String> = changed.iter().chain(earlier).collect();
    for path in paths {
        match files.get(path.as_str()) {
            Some(content) => update_file(&spare, path, content)?,
            None => remove_file_and_empty_folders(&spare, path)?,
        }
    }
    let all: HashSet<String> = files.keys().cloned().collect();
    swap_in(&spare, out, &owned, &all, false)
}

/// Makes `root/path` hold `content`, writing only when it does not already.
fn update_file(root: &Path, path: &str, content: &Content) -> io::Result<()> {
    let target = inside(root, path)?;
    if holds(&target, content) {
        return Ok(());
    }
    if let Some(folder) = target.parent() {
        make_folder(root, folder).map_err(|e| annotate(e, folder))?;
    }
    let mut name = target.clone().into_os_string();
    name.push(".hugi-new");
    let fresh = PathBuf::from(name);
    new_file(content, &fresh)?;
    if let Err(e) = std::fs::rename(&fresh, &target) {
        // A folder stands where the file goes (the site's shape changed).
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&target)
                .and_then(|()| std::fs::rename(&fresh, &target))
                .map_err(|e| annotate(e, &target))?;
        } else {
            let _ = std::fs::remove_file(&fresh);
            return Err(annotate(e, &target));
        }
    }
    Ok(())
}

/// Creates `folder` under `root`, removing files that stand where one of its folders goes.
fn make_folder(root: &Path, folder: &Path) -> io::Result<()> {
    if std::fs::create_dir_all(folder).is_ok() {
        return Ok(());
    }
    let mut at = root.to_path_buf();
    for part in folder.strip_prefix(root).map_err(io::Error::other)? {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&at)?;
        }
    }
    std::fs::create_dir_all(folder)
}

fn remove_file_and_empty_folders(root: &Path, path: &str) -> io::Result<()> {
    let target = inside(root, path)?;
    match std::fs::remove_file(&target) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(annotate(e, &target)),
        _ => {}
    }
    let mut folder = target.parent();
    while let Some(f) = folder.filter(|f| f.starts_with(root) && *f != root) {
        if std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
    Ok(())
}

/// Removes from `root` every file and folder that is not one of `paths` or a folder of them.
fn remove_others(root: &Path, paths: &HashSet<String>) -> io::Result<()> {
    let folders: HashSet<&str> = paths
        .iter()
        .flat_map(|p| p.match_indices('/').map(|(i, _)| &p[..i]))
        .collect();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(root).map_err(io::Error::other)?;
        let relative = relative
            .to_str()
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
        let kept = relative.is_some_and(|r| {
            if r == MANIFEST {
                true
            } else if entry.file_type().is_dir() {
                folders.contains(r.as_str())
            } else {
                paths.contains(&r)
            }
        });
        if !kept {
            let removed = if entry.file_type().is_dir() {
                std::fs::remove_dir_all(entry.path())
            } else {
                std::fs::remove_file(entry.path())
            };
            removed.map_err(|e| annotate(e, entry.path()))?;
        }
    }
    Ok(())
}

/// Writes `content` to a new file at `target`. A copied file takes its source's modification
/// time, as `cp -p` does (deploy tools that compare times see an unchanged file as unchanged).
fn new_file(content: &Content, target: &Path) -> io::Result<()> {
    match content {
        Content::Bytes(bytes) => std::fs::write(target, &bytes[..]),
        Content::Copy(source) => std::fs::copy(source, target).and_then(|_| {
            let modified = std::fs::metadata(source)?.modified()?;
            std::fs::File::options()
                .write(true)
                .open(target)?
                .set_modified(modified)
        }),
    }
    .map_err(|e| annotate(e, target))
}

/// Whether the file at `target` already holds `content`: the same bytes (for a copied file, its
/// source's).
fn holds(target: &Path, content: &Content) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match content {
        Content::Bytes(bytes) => {
            meta.len() == bytes.len() as u64
                && std::fs::read(target).is_ok_and(|old| old[..] == bytes[..])
        }
        // Same length, then the same bytes: a file edited in place with its size and
        // modification time kept (a tool restoring times, `touch -r`) is still copied again.
        Content::Copy(source) => std::fs::metadata(source).is_ok_and(|source_meta| {
            source_meta.len() == meta.len() && same_bytes(source, target).unwrap_or(false)
        }),
    }
}

/// Whether two files hold the same bytes, read side by side in blocks.
fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut left, mut right) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = a.read(&mut left)?;
        if n == 0 {
            return Ok(b.read(&mut right[..1])? == 0);
        }
        b.read_exact(&mut right[..n])?;
        if left[..n] != right[..n] {
            return Ok(false);
        }
    }
}

fn annotate(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Swaps the spare in as the output; the old output becomes the spare.
fn swap_into_place(spare: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(spare, out);
    }
    if exchange(spare, out).is_ok() {
        return Ok(());
    }
    // Fallback for file systems without an atomic exchange: three renames.
    let old = sibling(out, "hugi-old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(spare, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::rename(&old, spare)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // The system call itself: older C libraries (musl before 1.2.5, which the static release
    // builds link) have no `renameat2` wrapper.
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call, and the
    // arguments are the ones renameat2(2) takes.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Artifact {
        Artifact {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().into()),
        }
    }

    /// Every file under `dir` with its text, by `/`-separated path.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file() && e.file_name() != MANIFEST)
            .map(|e| {
                let path = e.path().strip_prefix(dir).unwrap();
                let text = std::fs::read_to_string(e.path()).unwrap();
                (path.to_str().unwrap().replace('\\', "/"), text)
            })
            .collect();
        files.sort();
        files
    }

    fn expected(pages: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut files: Vec<_> = pages
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn publish_replaces_old_output_entirely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &[page("a/index.html", "1"), page("old.html", "x")],
            &out,
            false,
        )
        .unwrap();
        publish(
            &[page("a/index.html", "2"), page("b/c/d.html", "d")],
            &out,
            false,
        )
        .unwrap();
        // The third reuses the spare, which holds the first output.
        publish(&[page("a/index.html", "3")], &out, false).unwrap();
        assert_eq!(tree(&out), expected(&[("a/index.html", "3")]));
        assert_eq!(
            tree(&spare_dir(&out)),
            expected(&[("a/index.html", "2"), ("b/c/d.html", "d")])
        );
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_not_written_again() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stamp = |p: &str| {
            let meta = std::fs::metadata(out.join(p)).unwrap();
            (meta.ino(), meta.modified().unwrap())
        };
        publish(
            &[page("a/index.html", "same"), page("b.html", "1")],
            &out,
            false,
        )
        .unwrap();
        let (a, b) = (stamp("a/index.html"), stamp("b.html"));
        publish(
            &[page("a/index.html", "same"), page("b.html", "2")],
            &out,
            false,
        )
        .unwrap();
        publish(
            &[page("a/index.html", "same"), page("b.html", "3")],
            &out,
            false,
        )
        .unwrap();
        assert_eq!(stamp("a/index.html"), a, "the spare's own file was kept");
        assert_ne!(stamp("b.html").0, b.0, "a changed file is a new file");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "3");
    }

    #[test]
    fn whatever_the_spare_holds_the_output_is_exactly_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = spare_dir(&out);
        publish(&[page("x.html", "x")], &out, false).unwrap();
        for (path, text) in [
            ("a/index.html", "stale bytes"),
            ("a/extra.txt", "left by someone"),
            ("b", "a file where a folder goes"),
            ("c.html/inner.html", "a folder where a file goes"),
            ("gone/deep/file.html", "a folder the site no longer has"),
        ] {
            let target = spare.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
        let site = [
            page("a/index.html", "a"),
            page("b/index.html", "b"),
            page("c.html", "c"),
        ];
        publish(&site, &out, false).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[
                ("a/index.html", "a"),
                ("b/index.html", "b"),
                ("c.html", "c")
            ])
        );
        assert!(!out.join("gone").exists());
    }

    #[test]
    fn copied_files_are_copied_again_only_when_their_source_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let source = dir.path().join("img.png");
        std::fs::write(&source, "one").unwrap();
        let image = Artifact {
            path: "img.png".into(),
            content: Content::Copy(source.clone()),
        };
        let site = [image, page("index.html", "i")];
        for _ in 0..3 {
            publish(&site, &out, false).unwrap();
        }
        let copied = out.join("img.png");
        assert_eq!(
            std::fs::metadata(&copied).unwrap().modified().unwrap(),
            std::fs::metadata(&source).unwrap().modified().unwrap()
        );
        std::fs::write(&source, "two").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(later)
            .unwrap();
        publish(&site, &out, false).unwrap();
        assert_eq!(std::fs::read_to_string(&copied).unwrap(), "two");
    }

    #[test]
    fn a_copied_file_changed_with_its_size_and_time_kept_is_copied_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let source = dir.path().join("img.png");
        std::fs::write(&source, "one").unwrap();
        let when = std::fs::metadata(&source).unwrap().modified().unwrap();
        let site = [Artifact {
            path: "img.png".into(),
            content: Content::Copy(source.clone()),
        }];
        for _ in 0..3 {
            publish(&site, &out, false).unwrap();
        }
        std::fs::write(&source, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(when)
            .unwrap();
        publish(&site, &out, false).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("img.png")).unwrap(), "two");
    }

    #[test]
    fn changes_are_applied_with_those_the_spare_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            page("a/index.html", "1"),
            page("b/index.html", "b"),
            page("c.css", "c"),
        ];
        publish(&first, &out, false).unwrap();
        publish(&first, &out, false).unwrap();
        // One rebuild changes a page; the next removes another page.
        let files = |pages: &[&Artifact]| -> BTreeMap<String, Content> {
            pages
                .iter()
                .map(|a| (a.path.clone(), a.content.clone()))
                .collect()
        };
        let a2 = page("a/index.html", "2");
        let changed = ["a/index.html".to_string()];
        let site = files(&[&a2, &first[1], &first[2]]);
        publish_changes(&changed, &[], &site, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        let removed = ["b/index.html".to_string()];
        let site = files(&[&a2, &first[2]]);
        publish_changes(&removed, &changed, &site, &out).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[("a/index.html", "2"), ("c.css", "c")])
        );
        assert!(
            !out.join("b").exists(),
            "the removed page's empty folder is gone"
        );
    }

    #[test]
    fn changes_need_a_spare() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("a.html", "1")], &out, false).unwrap();
        let e = publish_changes(&["a.html".into()], &[], &BTreeMap::new(), &out).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert_eq!(tree(&out), expected(&[("a.html", "1")]));
    }

    #[test]
    fn failed_write_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let missing = Artifact {
            path: "img.png".into(),
            content: Content::Copy(dir.path().join("nope.png")),
        };
        publish(&[page("index.html", "old")], &out, false).unwrap();
        assert!(publish(&[page("index.html", "new"), missing.clone()], &out, false).is_err());
        assert_eq!(tree(&out), expected(&[("index.html", "old")]));
        assert!(
            !spare_dir(&out).exists(),
            "a spare made from nothing is removed"
        );
        publish(&[page("index.html", "old")], &out, false).unwrap();
        assert!(publish(&[page("index.html", "new"), missing], &out, false).is_err());
        assert_eq!(tree(&out), expected(&[("index.html", "old")]));
    }

    /// Writes a file of someone else's into `dir`.
    fn put(dir: &Path, path: &str, text: &str) {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }

    #[test]
    fn a_folder_of_someone_elses_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        put(&out, "CNAME", "example.com");
        put(&out, ".git/HEAD", "ref: refs/heads/main");
        let e = publish(&[page("index.html", "site")], &out, false).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(e.to_string().contains(".git, CNAME"), "{e}");
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(
            tree(&out),
            expected(&[
                (".git/HEAD", "ref: refs/heads/main"),
                ("CNAME", "example.com")
            ])
        );
        assert!(!spare_dir(&out).exists());
    }

    #[test]
    fn files_hugi_did_not_write_survive_every_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        put(&out, "CNAME", "example.com");
        put(&out, ".git/HEAD", "ref");
        publish(
            &[page("index.html", "1"), page("a/index.html", "a")],
            &out,
            true,
        )
        .unwrap();
        // Added later, inside a folder of hugi's and in one of its own.
        put(&out, "a/notes.txt", "mine");
        put(&out, "extra/deep/file.txt", "mine too");
        for n in 2..6 {
            let text = n.to_string();
            // The site's `a/` goes away in the third build: the user's file in it stays.
            let pages = if n < 3 {
                vec![page("index.html", &text), page("a/index.html", "a")]
            } else {
                vec![page("index.html", &text)]
            };
            publish(&pages, &out, false).unwrap();
        }
        assert_eq!(
            tree(&out),
            expected(&[
                (".git/HEAD", "ref"),
                ("CNAME", "example.com"),
                ("a/notes.txt", "mine"),
                ("extra/deep/file.txt", "mine too"),
                ("index.html", "5"),
            ])
        );
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(
            manifest, "index.html\n",
            "the manifest lists only hugi's files"
        );
    }

    #[test]
    fn a_file_of_someone_elses_where_the_site_has_one_stops_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("index.html", "1")], &out, false).unwrap();
        put(&out, "robots.txt", "mine");
        let site = [page("index.html", "2"), page("robots.txt", "generated")];
        let e = publish(&site, &out, false).unwrap_err();
        assert!(
            e.to_string().contains("robots.txt was not written by hugi"),
            "{e}"
        );
        assert_eq!(
            tree(&out),
            expected(&[("index.html", "1"), ("robots.txt", "mine")])
        );
        // Forced, the site's file replaces it.
        publish(&site, &out, true).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[("index.html", "2"), ("robots.txt", "generated")])
        );
    }

    #[test]
    fn outputs_of_hugi_before_manifests_are_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("old.html", "1")], &out, false).unwrap();
        publish(&[page("old.html", "1")], &out, false).unwrap();
        std::fs::remove_file(out.join(MANIFEST)).unwrap();
        std::fs::remove_file(spare_dir(&out).join(MANIFEST)).unwrap();
        publish(&[page("new.html", "2")], &out, false).unwrap();
        assert_eq!(tree(&out), expected(&[("new.html", "2")]));
    }

    #[test]
    fn an_interrupted_commit_puts_the_carried_files_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("index.html", "1")], &out, false).unwrap();
        publish(&[page("index.html", "1")], &out, false).unwrap();
        // As if a commit stopped after carrying CNAME into the spare, before the swap.
        let spare = spare_dir(&out);
        put(&spare, "CNAME", "example.com");
        std::fs::write(spare.join(CARRIED), "CNAME").unwrap();
        publish(&[page("index.html", "2")], &out, false).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[("CNAME", "example.com"), ("index.html", "2")])
        );
        assert!(!out.join(CARRIED).exists() && !spare.join(CARRIED).exists());
    }

    #[test]
    fn paths_that_leave_the_output_are_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out").join("public");
        for bad in [
            "/abs.html",
            "../escape.html",
            "a/../../escape.html",
            "",
            "a//b",
        ] {
            for reuse in [false, true] {
                if reuse {
                    publish(&[page("index.html", "i")], &out, false).unwrap();
                    publish(&[page("index.html", "i")], &out, false).unwrap();
                }
                let e = publish(&[page(bad, "x")], &out, false).unwrap_err();
                assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
            }
        }
        assert!(!dir.path().join("out").join("escape.html").exists());
        assert!(!dir.path().join("escape.html").exists());
        assert_eq!(tree(&out), expected(&[("index.html", "i")]));
    }
}
