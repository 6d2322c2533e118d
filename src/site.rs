//! The site model: every note and session with its slug, URL, ordering and neighbours, and the
//! rendered HTML of each part. [`plan`] decides URLs (before rendering, so links between notes
//! and to images can be resolved), [`render_note`] renders one note's parts, [`note_entry`]
//! makes its model, and [`sort_notes`] puts the notes in reading order. All of it is pure and
//! deterministic.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::front_matter::Date;
use crate::markdown::{self, LinkTarget, OutlineEntry, Rendered};
use crate::note::{Note, PartKind};
use crate::slug::{AnchorSet, slugify};
use crate::tags::TagLink;

/// The files at the top of the output that the site-wide pages take, with what they are.
pub const SITE_FILES: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the not-found page"),
    ("atom.xml", "the site feed"),
    ("sitemap.xml", "the sitemap"),
    ("robots.txt", "robots.txt"),
];

/// The folders of the output that belong wholly to site-wide pages and the search index.
pub const SITE_FOLDERS: &[(&str, &str)] = &[
    ("tags", "the tag pages"),
    ("speakers", "the speaker pages"),
    ("events", "the events page"),
    ("search", "the search page and index"),
    ("page", "the home page's later pages"),
];

/// The URL decisions for one note, made before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotePlan {
    pub slug: String,
    /// One slug per session, in order.
    pub session_slugs: Vec<String>,
    /// Output paths of the pages that redirect from the note's earlier addresses
    /// (front-matter `aliases`: `/old/` → `old/index.html`).
    pub aliases: Vec<String>,
}

/// The output path of the redirect page for an earlier address of a note: `/old/` or `old` →
/// `old/index.html`, `/old.html` as it is; percent-escapes decoded (an address copied from a
/// browser). Whether the path stays inside the output is the layout's to check.
pub fn alias_path(alias: &str) -> String {
    let path = percent_decode(alias.trim())
        .trim_start_matches('/')
        .to_string();
    if path.ends_with(".html") {
        path
    } else if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        format!("{path}/index.html")
    }
}

/// Decides every note's and session's slug. Two notes with the same front-matter `slug` are an
/// error naming both files; clashes of derived slugs get `-2`, `-3` in path order.
pub fn plan(notes: &[&Note], config: &Config) -> Result<Vec<NotePlan>, Vec<Diagnostic>> {
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    // Front-matter slugs first: they are promises the author made.
    let mut slugs: Vec<Option<String>> = vec![None; notes.len()];
    for (i, note) in notes.iter().enumerate() {
        if let Some(own) = &note.front_matter.slug {
            let slug = slugify(own, config.slug);
            if slug.is_empty() {
                // No letter or digit to keep (`"!!!"`, `"../.."`): the derived slug is used.
                continue;
            }
            if let Some(&other) = taken.get(&slug) {
                errors.push(
                    Diagnostic::error(
                        format!("content/{}", note.path),
                        format!(
                            "slug `{slug}` is also used by content/{}",
                            notes[other].path
                        ),
                    )
                    .with_hint("give one of the notes a different `slug` in its front matter"),
                );
                continue;
            }
            taken.insert(slug.clone(), i);
            slugs[i] = Some(slug);
        }
    }
    let mut names = Names::default();
    for slug in taken.keys() {
        names.claim(slug);
    }
    for (i, note) in notes.iter().enumerate() {
        if slugs[i].is_none() {
            slugs[i] = Some(names.claim(&wanted_slug(note, config)));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(notes
        .par_iter()
        .zip(slugs)
        .map(|(note, slug)| {
            let mut used = Names::default();
            let session_slugs = note
                .sessions()
                .enumerate()
                .map(|(n, (_, head))| {
                    let base = slugify(&head.title, config.slug);
                    let base = if base.is_empty() {
                        format!("session-{}", n + 1)
                    } else {
                        base
                    };
                    used.claim(&base)
                })
                .collect();
            NotePlan {
                slug: slug.unwrap_or_default(),
                session_slugs,
                aliases: note
                    .front_matter
                    .aliases
                    .iter()
                    .map(|a| alias_path(a))
                    .collect(),
            }
        })
        .collect())
}

/// The slug a note without a front-matter `slug` asks for, before clashes are resolved.
pub fn wanted_slug(note: &Note, config: &Config) -> String {
    let mut base = slugify(&note.slug_source, config.slug);
    if base.is_empty() {
        base = slugify(&note.title, config.slug);
    }
    if base.is_empty() {
        // Stable across builds: the same file keeps the same URL.
        return format!("note-{:08x}", crate::hash::fnv1a32(note.path.bytes()));
    }
    if SITE_FOLDERS.iter().any(|(f, _)| *f == base) {
        base = format!("note-{base}");
    }
    base
}

/// Names handed out once each: `base`, or `base-2`, `base-3`… whichever is free first. Each base
/// remembers how far its suffixes have gone, so n equal titles cost O(n), not O(n²).
#[derive(Default)]
struct Names {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Names {
    fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// A part of a note after rendering: its heading's anchor and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPart {
    pub anchor: Option<String>,
    pub rendered: Rendered,
}

/// Site-wide facts the renderer needs to resolve links: URL of every note by its source path.
pub struct LinkTable<'a> {
    pub base_path: &'a str,
    pub note_urls: HashMap<String, String>,
    pub assets: &'a AssetIndex,
}

/// Assets under `content/` by their path, with the pixel size of those that are images.
pub type AssetIndex = HashMap<String, Option<(u32, u32)>>;

pub fn asset_index(assets: &[crate::load::Asset]) -> AssetIndex {
    assets.iter().map(|a| (a.path.clone(), a.size)).collect()
}

/// Where a linked asset goes: its path under `content/` and its path in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetPlace {
    pub source: String,
    pub output: String,
}

impl LinkTable<'_> {
    /// Where a note's relative link points on the site.
    pub fn resolve(&self, note_path: &str, note_slug: &str, link: &str) -> Option<String> {
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (link, None),
        };
        let with_fragment = |url: String| match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        };
        if let Some(place) = self.asset(note_path, note_slug, path) {
            return Some(with_fragment(format!("{}{}", self.base_path, place.output)));
        }
        let target = join(parent(note_path), &percent_decode(path))?;
        let url = self.note_urls.get(target.as_str())?;
        Some(with_fragment(url.clone()))
    }

    /// [`LinkTable::resolve`] with the pixel size of the image the link names, if it is one.
    pub fn target(&self, note_path: &str, note_slug: &str, link: &str) -> Option<LinkTarget> {
        let url = self.resolve(note_path, note_slug, link)?;
        let size = self
            .asset(note_path, note_slug, link.split('#').next().unwrap_or(link))
            .and_then(|place| *self.assets.get(&place.source)?);
        Some(LinkTarget { url, size })
    }

    /// The asset a relative link (without fragment) names, and where it is copied: beside the
    /// note's page when the link stays below the note's folder, else at its own path.
    pub fn asset(&self, note_path: &str, note_slug: &str, link: &str) -> Option<AssetPlace> {
        if !crate::note::is_local(link) {
            return None;
        }
        let decoded = percent_decode(link.split(['?', '#']).next().unwrap_or(link));
        let target = join(parent(note_path), &decoded)?;
        if !self.assets.contains_key(&target) {
            return None;
        }
        let below = join("", &decoded).filter(|_| !decoded.split('/').any(|p| p == ".."));
        let output = match below {
            Some(clean) => format!("{note_slug}/{clean}"),
            None => target.clone(),
        };
        Some(AssetPlace {
            source: target,
            output,
        })
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Decodes `%XX` escapes of a link or URL path (leniently: a stray `%` stays), as NFC text.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    crate::load::nfc(&String::from_utf8_lossy(&out))
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` if it leaves the root.
pub fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Renders one note's parts. Heading anchors are unique per note, so the note page (which shows
/// all parts) and session pages share the same ids.
pub fn render_note(
    note: &Note,
    plan: &NotePlan,
    config: &Config,
    links: &LinkTable<'_>,
) -> Vec<RenderedPart> {
    let rewrite = |link: &str| links.target(&note.path, &plan.slug, link);
    let mut anchors = AnchorSet::default();
    note.parts
        .iter()
        .map(|part| {
            let anchor = part.heading.as_ref().map(|h| anchors.anchor(&h.text));
            let rendered = markdown::render(
                note.markdown(part),
                &config.markdown,
                &note.refs,
                &rewrite,
                &mut anchors,
            );
            RenderedPart { anchor, rendered }
        })
        .collect()
}

/// A link to a page, as templates show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// A session of another event that shares tags or speakers (found by the `related` module),
/// as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RelatedLink {
    pub title: String,
    pub url: String,
    /// Its event's title.
    pub event: String,
}

/// A speaker as templates show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SpeakerLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl SpeakerLink {
    pub fn new(name: &str, config: &Config) -> Self {
        let slug = slugify(name, config.slug);
        let slug = if slug.is_empty() {
            "speaker".to_string()
        } else {
            slug
        };
        SpeakerLink {
            name: name.to_string(),
            url: format!("{}speakers/{slug}/", config.base_path()),
            slug,
        }
    }
}

/// A date in the forms templates need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// `2020-09-26`; templates write it in the site's language with `date_text`.
    pub iso: String,
    pub year: u16,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        DateView {
            iso: date.iso(),
            year: date.year,
        }
    }
}

/// One session of an event, with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct SessionEntry {
    /// Position in its note, from 0.
    pub index: usize,
    pub slug: String,
    pub url: String,
    /// Absolute URL (from `base_url`).
    pub permalink: String,
    /// Anchor of the session on its note's page.
    pub anchor: String,
    pub kind: String,
    pub room: Option<String>,
    pub speakers: Vec<SpeakerLink>,
    /// From a bold `정리`/`요약` line; also the description when present.
    pub summary: Option<String>,
    /// From a bold `느낀점`/`소감` line.
    pub reflection: Option<String>,
    /// Links to the recording and slides.
    pub resources: Vec<crate::markdown::Resource>,
    /// The URL of the session's first image, for link previews.
    pub image: Option<String>,
    pub title: String,
    /// The heading as written (`Session 101 : …`).
    pub heading: String,
    /// Shared, so copies of the entry (one per tag resolution) do not copy the text.
    pub html: std::sync::Arc<str>,
    pub outline: Vec<OutlineEntry>,
    pub reading_minutes: u32,
    pub has_notes: bool,
    /// First words of the notes, for lists and meta descriptions.
    pub description: String,
    pub previous: Option<PageLink>,
    pub next: Option<PageLink>,
    /// Sessions of other events sharing its tags or speakers (filled in once every note is
    /// known).
    pub related: Vec<RelatedLink>,
    /// 1-based line of the heading in the source file.
    pub line: usize,
    /// Tags resolved against the whole site (filled in once every note is known).
    pub tags: Vec<TagLink>,
    /// Tags as written, before merging variants.
    #[serde(skip)]
    pub raw_tags: Vec<String>,
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
}

/// One part of a note page, in document order.
#[derive(Debug, Clone, Serialize)]
pub struct PartEntry {
    /// `intro`, `session` or `section`.
    pub kind: &'static str,
    pub heading: Option<String>,
    pub level: u8,
    pub anchor: Option<String>,
    pub html: std::sync::Arc<str>,
    /// Index into the note's `sessions` when this part is a session (whose `html` it then
    /// shows; the part's own `html` is empty).
    pub session: Option<usize>,
    /// Plain text, for search.
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
}

/// One event's notes, with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct NoteEntry {
    /// Path under `content/`.
    pub source: String,
    pub slug: String,
    pub url: String,
    pub permalink: String,
    pub title: String,
    pub event: String,
    pub location: Option<String>,
    pub date: Option<DateView>,
    /// The event's year: from the date, or from a year in the file name.
    pub year: Option<u16>,
    /// The front matter's tags, resolved against the whole site.
    pub tags: Vec<TagLink>,
    #[serde(skip)]
    pub raw_tags: Vec<String>,
    pub description: String,
    /// The URL of the note's first image (in any part), for link previews.
    pub image: Option<String>,
    /// Output paths of pages redirecting to this note from its earlier addresses.
    pub aliases: Vec<String>,
    pub parts: Vec<PartEntry>,
    pub sessions: Vec<SessionEntry>,
    pub reading_minutes: u32,
    pub draft: bool,
    /// Tells this value from every other entry the process made: an entry made again gets a
    /// new revision even when its content is equal. Outputs that show whole notes key on it.
    #[serde(skip)]
    pub revision: u64,
    /// Fingerprint of what lists show of the note (`output::NoteSummary`), set once its tags
    /// are resolved.
    #[serde(skip)]
    pub list_fingerprint: u64,
}

impl NoteEntry {
    /// The same entry without its HTML and plain text: what lists, tag feeds and the sitemap
    /// need, for a build that has written the note's pages and indexed it for search.
    pub fn without_bodies(&self) -> NoteEntry {
        let empty: std::sync::Arc<str> = std::sync::Arc::from("");
        let mut entry = self.clone();
        for session in &mut entry.sessions {
            session.html = empty.clone();
            session.text = empty.clone();
        }
        for part in &mut entry.parts {
            part.html = empty.clone();
            part.text = empty.clone();
        }
        entry
    }
}

/// The whole site, notes newest first (undated notes last, by title). Entries are shared so
/// an incremental rebuild can keep the ones whose note did not change.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub notes: Vec<std::sync::Arc<NoteEntry>>,
}

impl Site {
    pub fn session_count(&self) -> usize {
        self.notes.iter().map(|n| n.sessions.len()).sum()
    }
}

/// How many characters of text a description keeps.
const DESCRIPTION_CHARS: usize = 160;

/// A one-paragraph description: the first lines of `text`, cut at a word near the limit.
pub fn describe(text: &str) -> String {
    let (cut, more) = flat_prefix(text, DESCRIPTION_CHARS);
    if !more {
        return cut;
    }
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The first `limit` characters of `text` with each run of whitespace made one space (none at
/// either end), and whether the text goes on after them. Reads no further than it needs.
pub fn flat_prefix(text: &str, limit: usize) -> (String, bool) {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        for c in (count > 0).then_some(' ').into_iter().chain(word.chars()) {
            if count == limit {
                return (out, true);
            }
            out.push(c);
            count += 1;
        }
    }
    (out, false)
}

/// Builds the model of one note from its parse, its URL plan and its rendered parts.
pub fn note_entry(
    note: &Note,
    plan: &NotePlan,
    parts: Vec<RenderedPart>,
    config: &Config,
) -> NoteEntry {
    let base_path = config.base_path();
    let origin = config.origin_and_path();
    let origin = if origin.contains("://") { origin } else { "" };
    let path = format!("{}/", plan.slug);
    let url = format!("{base_path}{path}");
    let mut sessions = Vec::new();
    let mut entries = Vec::new();
    let mut image = None;
    for (part, rendered) in note.parts.iter().zip(parts) {
        let RenderedPart { anchor, rendered } = rendered;
        if image.is_none() {
            image = rendered.first_image.clone();
        }
        let (kind, session) = match &part.kind {
            PartKind::Intro => ("intro", None),
            PartKind::Section => ("section", None),
            PartKind::Session(head) => {
                let index = sessions.len();
                let slug = plan.session_slugs[index].clone();
                let heading = part.heading.as_ref();
                sessions.push(SessionEntry {
                    index,
                    url: format!("{url}{slug}/"),
                    permalink: format!("{origin}/{path}{slug}/"),
                    slug,
                    anchor: anchor.clone().unwrap_or_default(),
                    kind: head.kind.clone(),
                    speakers: head
                        .speakers
                        .iter()
                        .map(|n| SpeakerLink::new(n, config))
                        .collect(),
                    summary: rendered.summary.clone(),
                    reflection: rendered.reflection.clone(),
                    resources: rendered.resources.clone(),
                    image: rendered.first_image.clone(),
                    room: head.room.clone(),
                    title: head.title.clone(),
                    heading: heading.map(|h| h.text.clone()).unwrap_or_default(),
                    html: "".into(),
                    outline: rendered.outline.clone(),
                    reading_minutes: markdown::reading_minutes(&rendered.text),
                    has_notes: !rendered.text.trim().is_empty() || rendered.html.contains("<img"),
                    description: describe(rendered.summary.as_deref().unwrap_or(&rendered.text)),
                    previous: None,
                    next: None,
                    related: Vec::new(),
                    line: heading.map_or(0, |h| h.line),
                    tags: Vec::new(),
                    raw_tags: part.tags.clone(),
                    text: "".into(),
                });
                ("session", Some(index))
            }
        };
        // A session's HTML and text live in its session entry only, not twice.
        let (html, text) = match session {
            Some(i) => {
                sessions[i].html = rendered.html.into();
                sessions[i].text = rendered.text.into();
                ("".into(), "".into())
            }
            None => (rendered.html.into(), rendered.text.into()),
        };
        entries.push(PartEntry {
            kind,
            heading: part.heading.as_ref().map(|h| h.text.clone()),
            level: part.heading.as_ref().map_or(0, |h| h.level),
            anchor,
            html,
            session,
            text,
        });
    }
    // Previous and next lead to sessions with notes: a talk the author only named is skipped.
    let links: Vec<(usize, PageLink)> = sessions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.has_notes)
        .map(|(i, s)| {
            let link = PageLink {
                title: s.title.clone(),
                url: s.url.clone(),
            };
            (i, link)
        })
        .collect();
    for (i, session) in sessions.iter_mut().enumerate() {
        let after = links.partition_point(|(j, _)| *j <= i);
        let before = links.partition_point(|(j, _)| *j < i);
        session.previous = before.checked_sub(1).map(|p| links[p].1.clone());
        session.next = links.get(after).map(|(_, link)| link.clone());
    }
    let fm = &note.front_matter;
    let all_text: String = note
        .parts
        .iter()
        .zip(&entries)
        .filter(|(p, _)| p.kind == PartKind::Intro)
        .map(|(_, e)| &*e.html)
        .collect();
    let description = fm.summary.clone().unwrap_or_else(|| {
        let intro = describe(&strip_tags(&all_text));
        if intro.is_empty() {
            sessions
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        } else {
            intro
        }
    });
    NoteEntry {
        source: note.path.clone(),
        slug: plan.slug.clone(),
        permalink: format!("{origin}/{path}"),
        url,
        event: fm.event.clone().unwrap_or_else(|| note.title.clone()),
        title: note.title.clone(),
        location: fm.location.clone(),
        date: note.date.map(DateView::from),
        year: note.year,
        tags: Vec::new(),
        raw_tags: fm.tags.clone(),
        description: describe(&description),
        image,
        aliases: plan.aliases.clone(),
        reading_minutes: sessions.iter().map(|s| s.reading_minutes).sum(),
        parts: entries,
        sessions,
        draft: fm.draft,
        revision: 0,
        list_fingerprint: 0,
    }
}

/// Orders notes for the site: newest first, undated notes last by title, then by source path.
pub fn sort_notes(notes: &mut [std::sync::Arc<NoteEntry>]) {
    notes.sort_by(|a, b| compare_notes(a, b));
}

/// The site order of two notes (see [`sort_notes`]). A note known only by its year sorts after
/// the dated notes of that year.
pub fn compare_notes(a: &NoteEntry, b: &NoteEntry) -> std::cmp::Ordering {
    let key = |n: &NoteEntry| {
        n.date
            .as_ref()
            .map(|d| d.iso.clone())
            .or_else(|| n.year.map(|y| y.to_string()))
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.title.cmp(&b.title)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.title.cmp(&b.title),
    }
    .then_with(|| a.source.cmp(&b.source))
}

/// Text of an HTML fragment without its tags (entities kept as written).
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join("2020", "img/a.png").as_deref(), Some("2020/img/a.png"));
        assert_eq!(join("2020", "../2019/b.md").as_deref(), Some("2019/b.md"));
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn descriptions_are_cut_at_words() {
        let long = "가나다 ".repeat(100);
        let d = describe(&long);
        assert!(d.ends_with('…'));
        assert!(d.chars().count() <= DESCRIPTION_CHARS + 1);
        assert_eq!(describe("짧은\n  글"), "짧은 글");
    }

    #[test]
    fn flat_prefixes_equal_the_collapsed_text_cut() {
        let text = "  하나 둘\n\n셋   넷 다섯\t여섯  ";
        let flat = "하나 둘 셋 넷 다섯 여섯";
        for limit in 0..=flat.chars().count() + 2 {
            let cut: String = flat.chars().take(limit).collect();
            let more = flat.chars().count() > limit;
            assert_eq!(flat_prefix(text, limit), (cut, more), "limit {limit}");
        }
    }

    #[test]
    fn names_take_the_first_free_suffix() {
        let mut names = Names::default();
        assert_eq!(names.claim("a"), "a");
        assert_eq!(names.claim("a-2"), "a-2");
        assert_eq!(names.claim("a"), "a-3", "a-2 was taken by another title");
        assert_eq!(names.claim("b"), "b");
        assert_eq!(names.claim("a"), "a-4");
        let many: Vec<String> = (0..4000).map(|_| names.claim("same")).collect();
        assert_eq!(many[0], "same");
        assert_eq!(many[3999], "same-4000");
        let distinct: HashSet<&String> = many.iter().collect();
        assert_eq!(distinct.len(), 4000);
    }
}
