//! Writing: publishes artifacts to the output folder atomically. Everything is written into a
//! hidden sibling folder first (files whose bytes did not change are hard-linked from the old
//! output rather than written again) and then swapped with the old output in one step
//! (`renameat2(RENAME_EXCHANGE)` on Linux), so a failed or interrupted build leaves the previous
//! output whole and pages of deleted notes never linger. Nothing outside the output folder and
//! its hidden sibling is ever deleted.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{Artifact, Content};

/// The hidden sibling a build writes into before the swap.
pub fn staging_dir(out: &Path) -> PathBuf {
    sibling(out, "hugi-staging")
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

/// A new output being written: a hidden folder beside the output that takes files one at a time
/// (from any thread) or many at once, and replaces the output in one step when committed. If it
/// is dropped uncommitted (an error on the way), it is removed and the output is untouched.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// The output being replaced, when there is one: unchanged files are linked from it.
    previous: Option<PathBuf>,
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
        let dir = staging_dir(out);
        if dir.exists() {
            // Left behind by an interrupted build; it only ever holds our own output.
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            previous: out.is_dir().then(|| out.to_path_buf()),
            committed: false,
        })
    }

    /// Writes one file (its folders as needed).
    pub fn write(&self, artifact: &Artifact) -> io::Result<()> {
        let target = self.dir.join(&artifact.path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)?;
        }
        write_file(artifact, &target, self.previous.as_deref())
    }

    /// Writes many files: folders first, files in parallel.
    pub fn write_all(&self, artifacts: &[Artifact]) -> io::Result<()> {
        write_files(artifacts, &self.dir, self.previous.as_deref())
    }

    /// Replaces the output with what was written.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        swap_into_place(&self.dir, &self.out)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Applies a rebuild's changes to an existing output atomically: the old output is hard-linked
/// into the staging folder (cheap, whatever the site's size), the changed files are replaced or
/// removed there, and the result is swapped in. `content` gives the new bytes of a path, `None`
/// for a path that no longer exists.
pub fn publish_changes<'a>(
    changed: &[String],
    content: impl Fn(&str) -> Option<&'a Content>,
    out: &Path,
) -> io::Result<()> {
    let staging = staging_dir(out);
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let result = link_tree(out, &staging).and_then(|()| {
        for path in changed {
            let target = staging.join(path);
            match std::fs::remove_file(&target) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            match content(path) {
                Some(content) => {
                    let artifact = Artifact {
                        path: path.clone(),
                        content: content.clone(),
                    };
                    if let Some(folder) = target.parent() {
                        std::fs::create_dir_all(folder)?;
                    }
                    write_file(&artifact, &target, None)?
                }
                None => remove_empty_parents(&staging, &target),
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_into_place(&staging, out)
}

/// Recreates `from` under `to` with hard links (copies where links are not possible).
fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let target = to.join(entry.path().strip_prefix(from).map_err(io::Error::other)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(root) && *d != root) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes every artifact under `dir`, folders first, files in parallel. A file whose bytes
/// equal those of the same path under `previous` (the output being replaced) is hard-linked
/// from there instead of written: rebuilding a site where little changed then writes little,
/// and removing the old output afterwards frees no blocks.
fn write_files(artifacts: &[Artifact], dir: &Path, previous: Option<&Path>) -> io::Result<()> {
    let folders: BTreeSet<&str> = artifacts
        .iter()
        .filter_map(|a| a.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    artifacts
        .par_iter()
        .try_for_each(|artifact| write_file(artifact, &dir.join(&artifact.path), previous))
}

/// Writes one artifact at `target`, linking it from `previous` when the bytes there are equal.
fn write_file(artifact: &Artifact, target: &Path, previous: Option<&Path>) -> io::Result<()> {
    match &artifact.content {
        Content::Bytes(bytes) => match previous.map(|p| p.join(&artifact.path)) {
            Some(old) if same_bytes(&old, bytes) && std::fs::hard_link(&old, target).is_ok() => {
                Ok(())
            }
            _ => std::fs::write(target, &bytes[..]),
        },
        Content::Copy(source) => std::fs::copy(source, target).map(drop),
    }
    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", target.display())))
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

fn swap_into_place(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the old output.
        return std::fs::remove_dir_all(staging);
    }
    // Fallback for file systems without an atomic exchange: two renames.
    let old = sibling(out, "hugi-old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::remove_dir_all(&old)
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

    #[test]
    fn publish_replaces_old_output_entirely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("a/index.html", "1"), page("old.html", "x")], &out).unwrap();
        publish(&[page("a/index.html", "2")], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old.html").exists());
        assert!(!staging_dir(&out).exists());
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_old_output() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("a/index.html", "same"), page("b.html", "1")], &out).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (a, b) = (inode("a/index.html"), inode("b.html"));
        publish(&[page("a/index.html", "same"), page("b.html", "2")], &out).unwrap();
        assert_eq!(inode("a/index.html"), a, "unchanged file kept");
        assert_ne!(inode("b.html"), b, "changed file written anew");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "2");
        assert_eq!(
            std::fs::metadata(out.join("a/index.html")).unwrap().nlink(),
            1
        );
    }

    #[test]
    fn changes_are_applied_without_touching_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &[
                page("a/index.html", "1"),
                page("b/index.html", "b"),
                page("c.css", "c"),
            ],
            &out,
        )
        .unwrap();
        let new = page("a/index.html", "2");
        let changed = ["a/index.html".to_string(), "b/index.html".to_string()];
        publish_changes(
            &changed,
            |p| (p == "a/index.html").then_some(&new.content),
            &out,
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(
            !out.join("b").exists(),
            "removed page and its empty folder are gone"
        );
        assert_eq!(std::fs::read_to_string(out.join("c.css")).unwrap(), "c");
        assert!(!staging_dir(&out).exists());
    }

    #[test]
    fn failed_write_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&[page("index.html", "old")], &out).unwrap();
        let missing = Artifact {
            path: "img.png".into(),
            content: Content::Copy(dir.path().join("nope.png")),
        };
        assert!(publish(&[page("index.html", "new"), missing], &out).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!staging_dir(&out).exists());
    }
}
