//! Links inside the site, checked against what a build made: a relative link to another note or
//! a file, a path on the site, an anchor (Hangul and percent-encoded ones included). `hugi build`
//! stops on the broken ones and `hugi check` reports them; both read the same [`PageIds`],
//! gathered from the pages as they are made.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Tag};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
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
    /// The link's place (file, line, column, the line's text) for a finding about it.
    pub at: Diagnostic,
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
            out.links.push(LinkRef {
                url: url.to_string(),
                at: Diagnostic::error(&file, String::new()).at_offset(&note.text, at),
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
        for link in &note.links {
            let url = link.url.as_str();
            let found = |message: String| Diagnostic {
                message,
                ..link.at.clone()
            };
            if url.starts_with("http://") || url.starts_with("https://") {
                out.external
                    .push((url.to_string(), link.at.file.clone(), link.at.line));
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
    fn ids_are_read_from_pages_only() {
        let ids = page_ids(
            "a/index.html",
            br#"<h2 id="%ED%8C%8C">x</h2><p id="a&amp;b">"#,
        );
        assert!(ids.contains("%ED%8C%8C") && ids.contains("a&b"), "{ids:?}");
        assert!(page_ids("a.png", br#" id="x""#).is_empty());
    }
}
