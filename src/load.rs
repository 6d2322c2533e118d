//! Loading: the only stage that reads the site's notes. It walks `content/`, turns every `*.md`
//! into a [`Source`] (UTF-8 checked, BOM stripped, CRLF folded, text and path normalised to NFC)
//! and lists every other file as an [`Asset`] to copy beside the pages.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// Folder under the site root that holds the notes.
pub const CONTENT_DIR: &str = "content";

/// One Markdown file, ready to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path relative to `content/`, `/`-separated and NFC (`2020/pycon.md`).
    pub path: String,
    /// NFC text with LF line endings and no BOM.
    pub text: String,
}

/// A non-Markdown file under `content/` (an image, a PDF), copied to the output as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to `content/`, `/`-separated and NFC.
    pub path: String,
    /// Where it is on disk.
    pub disk_path: PathBuf,
}

/// What is under `content/`, before any note is read.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Markdown files: path relative to `content/` and path on disk.
    pub markdown: Vec<(String, PathBuf)>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lists the files under `<root>/content` without reading them, sorted by path.
pub fn scan_content(root: &Path) -> ContentFiles {
    let content = root.join(CONTENT_DIR);
    let mut files = ContentFiles::default();
    if !content.is_dir() {
        return files;
    }
    for entry in WalkDir::new(&content).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = e
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                files
                    .diagnostics
                    .push(Diagnostic::error(shown, format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() && !entry.file_type().is_symlink() {
            continue;
        }
        let rel = match entry
            .path()
            .strip_prefix(&content)
            .ok()
            .and_then(Path::to_str)
        {
            Some(rel) => normalise_path(rel),
            None => {
                files.diagnostics.push(Diagnostic::error(
                    display_path(root, entry.path()),
                    "file name is not valid UTF-8; rename the file",
                ));
                continue;
            }
        };
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if entry.file_type().is_symlink() && !symlink_stays_inside(&content, entry.path()) {
            files.diagnostics.push(Diagnostic::warning(
                display_path(root, entry.path()),
                "symbolic link leads outside content/ or nowhere; skipped",
            ));
            continue;
        }
        if rel.ends_with(".md") || rel.ends_with(".markdown") {
            files.markdown.push((rel, entry.into_path()));
        } else {
            files.assets.push(Asset {
                path: rel,
                disk_path: entry.into_path(),
            });
        }
    }
    files.markdown.sort();
    files.assets.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn symlink_stays_inside(content: &Path, link: &Path) -> bool {
    match (link.canonicalize(), content.canonicalize()) {
        (Ok(target), Ok(base)) => target.starts_with(base) && target.is_file(),
        _ => false,
    }
}

/// Reads and decodes one note. `rel` is its path under `content/`.
pub fn read_source(root: &Path, rel: &str, disk: &Path) -> Result<Source, Diagnostic> {
    let shown = display_path(root, disk);
    let bytes =
        std::fs::read(disk).map_err(|e| Diagnostic::error(&shown, format!("cannot read: {e}")))?;
    let text = decode(bytes).map_err(|d| Diagnostic { file: shown, ..d })?;
    Ok(Source {
        path: rel.to_string(),
        text,
    })
}

/// Decodes a note's bytes: UTF-8 only, BOM removed, CRLF and lone CR turned into LF, NFC. The
/// bytes become the text without a copy when they need no change.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Diagnostic::error(
            "",
            "looks like a binary file, not Markdown text",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..valid_up_to]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic {
            line,
            column,
            ..Diagnostic::error(
                "",
                format!("not valid UTF-8 (byte {valid_up_to} of the file); save it as UTF-8"),
            )
        }
    })?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if let Cow::Owned(normal) = nfc_cow(&text) {
        return Ok(normal);
    }
    Ok(text)
}

/// NFC form of `text`, as a new string.
pub fn nfc(text: &str) -> String {
    nfc_cow(text).into_owned()
}

/// NFC form of `text`, borrowed when it is NFC already. Text of Latin-1 letters, spacing
/// modifiers and precomposed Hangul syllables only (most of a Korean note) is NFC without
/// looking further; other text gets Unicode's quick check, and is composed when that fails.
pub fn nfc_cow(text: &str) -> Cow<'_, str> {
    let plain = |c: char| c < '\u{300}' || ('\u{AC00}'..='\u{D7A3}').contains(&c);
    // Plain characters pass the quick check and leave it in the state it starts in (they are
    // starters), so the check can begin at the first other character.
    let rest = text.find(|c| !plain(c)).map_or("", |i| &text[i..]);
    if unicode_normalization::is_nfc_quick(rest.chars()) == unicode_normalization::IsNormalized::Yes
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

fn normalise_path(rel: &str) -> String {
    nfc(&rel.replace('\\', "/"))
}

/// A path as shown to the user: relative to the site root when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    nfc(&shown.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_nfd_are_normalised() {
        let nfd: String = "파이썬".nfd().collect();
        let bytes = format!("\u{feff}# {nfd}\r\n본문\r\n");
        assert_eq!(decode(bytes.into_bytes()).unwrap(), "# 파이썬\n본문\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let d = decode(b"# ok\nab\xff".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 3));
        assert!(d.message.contains("UTF-8"));
    }

    #[test]
    fn binary_is_rejected() {
        assert!(decode(b"\x00\x01\x02".to_vec()).is_err());
    }
}
