//! Loading: the only stage that reads the site's notes. It walks `content/`, turns every `*.md`
//! into a [`Source`] (UTF-8 checked, BOM stripped, CRLF folded, text and path normalised to NFC)
//! and lists every other file as an [`Asset`] to copy beside the pages, with the pixel size of
//! each image read from its header.

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
    /// Width and height, for an image whose header tells them.
    pub size: Option<(u32, u32)>,
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
            let disk_path = entry.into_path();
            files.assets.push(Asset {
                size: image_size(&rel, &disk_path),
                path: rel,
                disk_path,
            });
        }
    }
    files.markdown.sort();
    files.assets.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The pixel size of an image file, from its first bytes (files of other kinds are not read).
fn image_size(rel: &str, disk: &Path) -> Option<(u32, u32)> {
    use std::io::Read;
    let extension = rel.rsplit_once('.')?.1;
    if !matches!(
        extension.to_ascii_lowercase().as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg"
    ) {
        return None;
    }
    let mut header = Vec::new();
    std::fs::File::open(disk)
        .ok()?
        .take(crate::images::HEADER_BYTES as u64)
        .read_to_end(&mut header)
        .ok()?;
    crate::images::size(extension, &header)
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
    // Validated with SIMD first (most notes are mostly three-byte Hangul, where the standard
    // check goes byte by byte); the standard check runs only to locate an error.
    let text = if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were just checked to be valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    };
    let text = text.map_err(|e| {
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
    // Plain characters pass the quick check and leave it in the state it starts in (they are
    // starters), so the check can begin at the first other character.
    let rest = &text[plain_prefix(text.as_bytes())..];
    if unicode_normalization::is_nfc_quick(rest.chars()) == unicode_normalization::IsNormalized::Yes
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Length of the longest prefix of UTF-8 `bytes` made of characters below U+0300 and
/// precomposed Hangul syllables (U+AC00–U+D7A3), read byte by byte: one or two bytes below
/// `0xCC` for the first, three bytes led by `0xEA`–`0xED` for the second.
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        at += match lead {
            0x00..=0x7F => 1,
            0x80..=0xCB => 2,
            0xEA..=0xED if at + 2 < bytes.len() => {
                let c = u32::from(lead & 0x0F) << 12
                    | u32::from(bytes[at + 1] & 0x3F) << 6
                    | u32::from(bytes[at + 2] & 0x3F);
                if !(0xAC00..=0xD7A3).contains(&c) {
                    break;
                }
                3
            }
            _ => break,
        };
    }
    at
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
    fn plain_prefix_stops_at_the_first_other_character() {
        for (text, plain) in [
            ("", ""),
            ("abc é ˇ", "abc é ˇ"),
            ("가힣 파이썬", "가힣 파이썬"),
            ("가\u{11A8}나", "가"),
            ("ab\u{0301}", "ab"),
            ("한글ㄱ", "한글"),
            ("퟈", ""),
            ("ꯀ가", ""),
            ("…가", ""),
        ] {
            assert_eq!(&text[..plain_prefix(text.as_bytes())], plain, "{text:?}");
        }
    }

    #[test]
    fn binary_is_rejected() {
        assert!(decode(b"\x00\x01\x02".to_vec()).is_err());
    }
}
