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
//! outside the output folder and its hidden siblings is ever deleted.

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::output::{Artifact, Content};

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
pub fn publish(artifacts: &[Artifact], out: &Path) -> io::Result<()> {
    let staging = Staging::begin(out)?;
    staging.write_all(artifacts)?;
    staging.commit()
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
    committed: bool,
}

impl Staging {
    /// Starts a new output for `out`.
    pub fn begin(out: &Path) -> io::Result<Staging> {
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
            committed: false,
        })
    }

    /// Writes one file (its folders as needed).
    pub fn write(&self, artifact: &Artifact) -> io::Result<()> {
        self.note_paths(std::slice::from_ref(artifact));
        if self.reused {
            update_file(&self.dir, &artifact.path, &artifact.content)
        } else {
            let target = self.dir.join(&artifact.path);
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
        let folders: BTreeSet<&str> = artifacts
            .iter()
            .filter_map(|a| a.path.rsplit_once('/').map(|(d, _)| d))
            .collect();
        for folder in folders {
            std::fs::create_dir_all(self.dir.join(folder))?;
        }
        artifacts
            .par_iter()
            .try_for_each(|a| new_file(&a.content, &self.dir.join(&a.path)))
    }

    fn note_paths(&self, artifacts: &[Artifact]) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.extend(artifacts.iter().map(|a| a.path.clone()));
    }

    /// Replaces the output with what was written.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        if self.reused {
            let paths = std::mem::take(self.paths.get_mut().unwrap_or_else(|e| e.into_inner()));
            remove_others(&self.dir, &paths)?;
        }
        swap_into_place(&self.dir, &self.out)
    }
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
/// rebuild's (`changed`): both are brought up to date in it, and it is swapped in. `content`
/// gives the new bytes of a path, `None` for a path that no longer exists. Fails with
/// `NotFound`, touching nothing, when there is no spare.
pub fn publish_changes<'a>(
    changed: &[String],
    earlier: &[String],
    content: impl Fn(&str) -> Option<&'a Content>,
    out: &Path,
) -> io::Result<()> {
    let spare = spare_dir(out);
    if !spare.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} is missing", spare.display()),
        ));
    }
    let paths: BTreeSet<&String> = changed.iter().chain(earlier).collect();
    for path in paths {
        match content(path) {
            Some(content) => update_file(&spare, path, content)?,
            None => remove_file_and_empty_folders(&spare, path)?,
        }
    }
    swap_into_place(&spare, out)
}

/// Makes `root/path` hold `content`, writing only when it does not already.
fn update_file(root: &Path, path: &str, content: &Content) -> io::Result<()> {
    let target = root.join(path);
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
    let target = root.join(path);
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
            if entry.file_type().is_dir() {
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
/// time, so that later builds can tell it is up to date without reading it.
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

/// Whether the file at `target` already holds `content`: the same bytes, or for a copied file
/// the same length and modification time as its source.
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
        Content::Copy(source) => std::fs::metadata(source).is_ok_and(|source| {
            source.len() == meta.len()
                && source
                    .modified()
                    .ok()
                    .is_some_and(|m| meta.modified().ok() == Some(m))
        }),
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
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
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
            .filter(|e| e.file_type().is_file())
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
        publish(&[page("a/index.html", "1"), page("old.html", "x")], &out).unwrap();
        publish(&[page("a/index.html", "2"), page("b/c/d.html", "d")], &out).unwrap();
        // The third reuses the spare, which holds the first output.
        publish(&[page("a/index.html", "3")], &out).unwrap();
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
        publish(&[page("a/index.html", "same"), page("b.html", "1")], &out).unwrap();
        let (a, b) = (stamp("a/index.html"), stamp("b.html"));
        publish(&[page("a/index.html", "same"), page("b.html", "2")], &out).unwrap();
        publish(&[page("a/index.html", "same"), page("b.html", "3")], &out).unwrap();
        assert_eq!(stamp("a/index.html"), a, "the spare's own file was kept");
        assert_ne!(stamp("b.html").0, b.0, "a changed file is a new file");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "3");
    }

    #[test]
    fn whatever_the_spare_holds_the_output_is_exactly_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = spare_dir(&out);
        publish(&[page("x.html", "x")], &out).unwrap();
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
        publish(&site, &out).unwrap();
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
            publish(&site, &out).unwrap();
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
        publish(&site, &out).unwrap();
        assert_eq!(std::fs::read_to_string(&copied).unwrap(), "two");
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
        publish(&first, &out).unwrap();
        publish(&first, &out).unwrap();
        // One rebuild changes a page; the next removes another page.
        let a2 = page("a/index.html", "2");
        let changed = ["a/index.html".to_string()];
        let content = |p: &str| match p {
            "a/index.html" => Some(&a2.content),
            "b/index.html" => Some(&first[1].content),
            "c.css" => Some(&first[2].content),
            _ => None,
        };
        publish_changes(&changed, &[], content, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        let removed = ["b/index.html".to_string()];
        let content = |p: &str| match p {
            "a/index.html" => Some(&a2.content),
            "c.css" => Some(&first[2].content),
            _ => None,
        };
        publish_changes(&removed, &changed, content, &out).unwrap();
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
        publish(&[page("a.html", "1")], &out).unwrap();
        let e = publish_changes(&["a.html".into()], &[], |_| None, &out).unwrap_err();
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
        publish(&[page("index.html", "old")], &out).unwrap();
        assert!(publish(&[page("index.html", "new"), missing.clone()], &out).is_err());
        assert_eq!(tree(&out), expected(&[("index.html", "old")]));
        assert!(
            !spare_dir(&out).exists(),
            "a spare made from nothing is removed"
        );
        publish(&[page("index.html", "old")], &out).unwrap();
        assert!(publish(&[page("index.html", "new"), missing], &out).is_err());
        assert_eq!(tree(&out), expected(&[("index.html", "old")]));
    }
}
