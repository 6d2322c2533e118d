//! Links inside the site, checked against what a build made: a relative link to another note or
//! a file, a path on the site, an anchor (Hangul and percent-encoded ones included). `hugi build`
//! stops on the broken ones and `hugi check` reports them; both read the same [`PageIds`],
//! gathered from the pages as they are made.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{Event, Tag};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, floor_char_boundary};
use crate::load::{CONTENT_DIR, nfc};
use crate::markdown;
use crate::note::{Note, is_local};
use crate::site::{LinkTable, percent_decode};

/// Every output path of a site, with the element ids of the HTML pages.
pub type PageIds = HashMap<String, HashSet<String>>;

/// An external link: URL, file, line.
pub type ExternalRef = (String, String, usize);

/// The ids an output file offers as anchors: its `id="…"` values when it is a page. Every page
/// of a build passes through here, so it looks for the attribute in the bytes without reading
/// the page as text.
pub fn page_ids(path: &str, bytes: &[u8]) -> HashSet<String> {
    let mut ids = HashSet::new();
    if !path.ends_with(".html") {
        return ids;
    }
    for at in memchr::memmem::find_iter(bytes, b" id=\"") {
        let rest = &bytes[at + 5..];
        let Some(end) = memchr::memchr(b'"', rest) else {
            break;
        };
        let id = String::from_utf8_lossy(&rest[..end]);
        let id = if id.contains('&') {
            html_unescape(&id)
        } else {
            id.into_owned()
        };
        ids.insert(if id.is_ascii() { id } else { nfc(&id) });
    }
    ids
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The pages of a site and how notes' relative links resolve, to check links against.
pub struct SitePages<'a> {
    ids: &'a PageIds,
    base_path: &'a str,
    links: LinkTable<'a>,
}

/// A link as written in a note, with where it is.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub url: String,
    /// 1-based line and column (in characters) in the note.
    pub line: usize,
    pub column: usize,
    /// The text of its line, shared by every link on that line: a long line of many addresses
    /// is kept once, not once per link.
    pub source_line: Arc<str>,
}

impl LinkRef {
    /// An error about this link, in the note at `file`.
    fn finding(&self, file: &str, message: String) -> Diagnostic {
        Diagnostic {
            line: self.line,
            column: self.column,
            source_line: Some(self.source_line.to_string()),
            ..Diagnostic::error(file, message)
        }
    }
}

/// Lines and columns of offsets met in increasing order, each found from the previous one, so
/// a note with many links on long lines is read once.
struct Positions<'t> {
    text: &'t str,
    /// The offset last asked for, its line and column, and where that line starts.
    offset: usize,
    line: usize,
    column: usize,
    line_start: usize,
    /// The text of the line last asked for.
    shared: Option<(usize, Arc<str>)>,
}

impl<'t> Positions<'t> {
    fn new(text: &'t str) -> Self {
        Positions {
            text,
            offset: 0,
            line: 1,
            column: 1,
            line_start: 0,
            shared: None,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize, Arc<str>) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.offset {
            let shared = self.shared.take();
            *self = Positions::new(self.text);
            self.shared = shared;
        }
        let passed = &self.text[self.offset..offset];
        match passed.rfind('\n') {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count();
                self.line_start = self.offset + last + 1;
                self.column = self.text[self.line_start..offset].chars().count() + 1;
            }
            None => self.column += passed.chars().count(),
        }
        self.offset = offset;
        let source_line = match &self.shared {
            Some((line, text)) if *line == self.line => text.clone(),
            _ => {
                let rest = &self.text[self.line_start..];
                let end = rest.find('\n').unwrap_or(rest.len());
                let text: Arc<str> = Arc::from(rest[..end].trim_end_matches('\r'));
                self.shared = Some((self.line, text.clone()));
                text
            }
        };
        (self.line, self.column, source_line)
    }
}

/// The links and images of one note, read once while its text is at hand.
#[derive(Debug, Clone, Default)]
pub struct NoteLinkRefs {
    pub links: Vec<LinkRef>,
    /// Links left out of the page because they could run script (warnings).
    pub unsafe_links: Vec<Diagnostic>,
}

/// Reads every link and image of a note.
pub fn note_refs(note: &Note, config: &Config) -> NoteLinkRefs {
    let file = format!("{CONTENT_DIR}/{}", note.path);
    let mut out = NoteLinkRefs::default();
    let mut positions = Positions::new(&note.text);
    for part in &note.parts {
        let markdown = note.markdown(part);
        // A link is `[text](…)`, `![alt](…)`, an address (`<https://…>` or bare), or `[text]` /
        // `[text][ref]` with a definition in the note; most paragraphs of notes have none.
        let may_link = markdown.contains("](")
            || markdown.contains("://")
            || markdown.contains("www.")
            || markdown.contains("<mailto:")
            || (!note.refs.is_empty() && markdown.contains('['));
        if !may_link {
            continue;
        }
        for (event, range) in markdown::events(markdown, &config.markdown, &note.refs) {
            let (Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })) = event
            else {
                continue;
            };
            let at = part.body.start + range.start;
            let url = dest_url.as_ref();
            if config.markdown.safe_links && markdown::is_unsafe_url(url) {
                let shown: String = url.chars().take(40).collect();
                out.unsafe_links.push(
                    Diagnostic::warning(
                        &file,
                        format!(
                            "the link to `{shown}` is left out of the page: it could run script"
                        ),
                    )
                    .at_offset(&note.text, at)
                    .with_hint("link to an http(s) address, or set [markdown] safe_links = false"),
                );
                continue;
            }
            let (line, column, source_line) = positions.at(at);
            out.links.push(LinkRef {
                url: url.to_string(),
                line,
                column,
                source_line,
            });
        }
    }
    out
}

/// What one note's links come to.
#[derive(Debug, Default)]
pub struct NoteLinks {
    /// Broken internal links (errors) and links left out as unsafe (warnings).
    pub findings: Vec<Diagnostic>,
    pub external: Vec<ExternalRef>,
}

impl<'a> SitePages<'a> {
    pub fn new(ids: &'a PageIds, base_path: &'a str, links: LinkTable<'a>) -> SitePages<'a> {
        SitePages {
            ids,
            base_path,
            links,
        }
    }

    /// The output file a site URL path names (`/notes/a/` → `a/index.html`).
    fn file_of(&self, url: &str) -> Option<String> {
        let path = url.strip_prefix(self.base_path)?;
        let path = percent_decode(path);
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.clone(), format!("{path}/index.html")]
        };
        candidates.into_iter().find(|c| self.ids.contains_key(c))
    }

    fn has_anchor(&self, file: &str, fragment: &str) -> bool {
        let fragment = percent_decode(fragment);
        fragment.is_empty()
            || self
                .ids
                .get(file)
                .is_some_and(|ids| ids.contains(&fragment))
    }

    /// A note's links checked: internal ones resolved against the site, external ones
    /// collected.
    pub fn check(&self, note: &NoteLinkRefs, note_path: &str, slug: &str) -> NoteLinks {
        let mut out = NoteLinks {
            findings: note.unsafe_links.clone(),
            external: Vec::new(),
        };
        let note_page = format!("{slug}/index.html");
        let file = format!("{CONTENT_DIR}/{note_path}");
        for link in &note.links {
            let url = link.url.as_str();
            let found = |message: String| link.finding(&file, message);
            if url.starts_with("http://") || url.starts_with("https://") {
                out.external
                    .push((url.to_string(), file.clone(), link.line));
            } else if let Some(fragment) = url.strip_prefix('#') {
                if !self.has_anchor(&note_page, fragment) {
                    out.findings.push(found(format!(
                        "anchor `#{}` is not on this page",
                        percent_decode(fragment)
                    )));
                }
            } else if is_local(url) {
                match self.links.resolve(note_path, slug, url) {
                    None => {
                        let path = url.split(['#', '?']).next().unwrap_or(url);
                        let folder = note_path.rsplit_once('/').map_or("", |(d, _)| d);
                        let target = crate::site::join(folder, &percent_decode(path)).map_or_else(
                            || "outside content/".to_string(),
                            |t| format!("{CONTENT_DIR}/{t}"),
                        );
                        out.findings.push(
                            found(format!("links to `{url}`, but {target} does not exist"))
                                .with_hint("paths are relative to the note's own folder"),
                        );
                    }
                    Some(site_url) => out.findings.extend(self.site_url(&site_url, found)),
                }
            } else if url.starts_with('/') && !url.starts_with("//") {
                out.findings.extend(self.site_url(url, found));
            }
        }
        out
    }

    /// The problem with a link to a path on this site, if it has one.
    fn site_url(&self, url: &str, found: impl Fn(String) -> Diagnostic) -> Option<Diagnostic> {
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let path = path.split('?').next().unwrap_or(path);
        match self.file_of(path) {
            None => Some(found(format!(
                "links to `{url}`, which is not a page of this site"
            ))),
            Some(file) if !self.has_anchor(&file, fragment) => Some(found(format!(
                "links to `{url}`, but that page has no anchor `#{}`",
                percent_decode(fragment)
            ))),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_lines_and_characters_in_any_order() {
        let text = "# 제목\n- [a](x) 그리고 [b](y)\r\n\n끝 [c](z)";
        let mut positions = Positions::new(text);
        let at = |p: &mut Positions<'_>, needle: &str| {
            let (line, column, source) = p.at(text.find(needle).unwrap());
            (line, column, source.to_string())
        };
        assert_eq!(
            at(&mut positions, "[a]"),
            (2, 3, "- [a](x) 그리고 [b](y)".into())
        );
        assert_eq!(
            at(&mut positions, "[b]"),
            (2, 14, "- [a](x) 그리고 [b](y)".into())
        );
        assert_eq!(at(&mut positions, "[c]"), (4, 3, "끝 [c](z)".into()));
        // Back to an earlier place (a later part of a note may start before the last link).
        assert_eq!(
            at(&mut positions, "[b]"),
            (2, 14, "- [a](x) 그리고 [b](y)".into())
        );
        let (_, _, first) = positions.at(text.find("[a]").unwrap());
        let (_, _, second) = positions.at(text.find("[b]").unwrap());
        assert!(Arc::ptr_eq(&first, &second), "one line's text is kept once");
    }

    #[test]
    fn ids_are_read_from_pages_only() {
        let ids = page_ids(
            "a/index.html",
            br#"<h2 id="%ED%8C%8C">x</h2><p id="a&amp;b">"#,
        );
        assert!(ids.contains("%ED%8C%8C") && ids.contains("a&b"), "{ids:?}");
        assert!(page_ids("a.png", br#" id="x""#).is_empty());
    }
}
