//! Parsing a note: front matter, title and date, and the split of its Markdown into an intro,
//! sessions (`## Session 101 : 제목`) and ordinary sections (`## 배운 점`). A note keeps its
//! Markdown as byte ranges of its text; rendering happens later, once per part.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::config::{Config, MarkdownConfig};
use crate::detect;
use crate::diagnostics::Diagnostic;
use crate::front_matter::{self, Date, FrontMatter};
use crate::load::Source;
use crate::markdown::{self, LinkRefs};
use crate::talk::{SessionHead, SessionRule};

/// A heading that starts a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Heading text without markup.
    pub text: String,
    /// 1-based line in the note's file.
    pub line: usize,
}

/// What a part of a note is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// Text before the first `##` heading (the `#` title is not repeated).
    Intro,
    Session(SessionHead),
    /// An ordinary `#`/`##` section such as `## 배운 점`.
    Section,
}

/// A stretch of the note between two top-level headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub kind: PartKind,
    pub heading: Option<Heading>,
    /// Byte range of the part's Markdown (after its heading line and tag line) in
    /// [`Note::text`].
    pub body: Range<usize>,
    /// A session's tags as written: front matter, its tag line, then automatic ones.
    pub tags: Vec<String>,
}

/// Where a note's title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleSource {
    FrontMatter,
    Heading,
    FileName,
}

/// One event's notes, parsed but not rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Path relative to `content/` (`2020/pycon.md`).
    pub path: String,
    /// The whole decoded file.
    pub text: String,
    pub front_matter: FrontMatter,
    pub title: String,
    pub title_source: TitleSource,
    pub date: Option<Date>,
    /// The year of the event: from the date, or from a year in the file name.
    pub year: Option<u16>,
    /// How its talks were found, heading by heading.
    pub detection: Explanation,
    /// What the note's slug is made from: the front-matter slug or the file name.
    pub slug_source: String,
    pub parts: Vec<Part>,
    /// Link reference definitions of the whole file.
    pub refs: LinkRefs,
    /// Relative link and image destinations, for copying the files they point at.
    pub local_links: Vec<String>,
    /// What was read but ignored (front-matter keys of other shapes, unreadable dates).
    pub warnings: Vec<Diagnostic>,
}

impl Note {
    /// The Markdown of one part.
    pub fn markdown(&self, part: &Part) -> &str {
        &self.text[part.body.clone()]
    }

    pub fn sessions(&self) -> impl Iterator<Item = (&Part, &SessionHead)> {
        self.parts.iter().filter_map(|p| match &p.kind {
            PartKind::Session(head) => Some((p, head)),
            _ => None,
        })
    }

    /// The note without its text, parts and link definitions: what is left to know of it once
    /// its pages are made, for a build that never rebuilds.
    pub fn without_text(&self) -> Note {
        Note {
            path: self.path.clone(),
            text: String::new(),
            front_matter: self.front_matter.clone(),
            title: self.title.clone(),
            title_source: self.title_source,
            date: self.date,
            year: self.year,
            detection: self.detection.clone(),
            slug_source: self.slug_source.clone(),
            parts: Vec::new(),
            refs: LinkRefs::default(),
            local_links: self.local_links.clone(),
            warnings: self.warnings.clone(),
        }
    }
}

fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name);
    match Date::from_file_name(name) {
        Some(_) if name.len() > 11 => &name[11..],
        _ => name,
    }
}

/// How a note's talks were found, for `hugi check --explain`: the rule, and for each heading
/// that was considered, its line, its text and why it is or is not a talk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explanation {
    pub rule: Option<detect::Rule>,
    pub headings: Vec<(usize, u8, String, detect::Reason)>,
}

/// Parses one source into a note. `file` is the path shown in diagnostics.
pub fn parse(
    source: &Source,
    file: &str,
    config: &Config,
    rule: &SessionRule,
) -> Result<Note, Diagnostic> {
    let split = front_matter::split(&source.text, file)?;
    let offset = split.body_offset;
    let headings = scan(split.body, &config.markdown);
    // Lines before the body (the front matter's).
    let lines_before = source.text[..offset].matches('\n').count();

    let fm = &split.front_matter;
    let over = match (&fm.sessions, &config.sessions) {
        (Some(over), _) => over.clone(),
        (None, c) if !c.enabled => detect::Override::Off,
        (None, c) => match (&c.under, c.level) {
            (Some(under), _) => detect::Override::Under(under.clone()),
            (None, Some(level)) => detect::Override::Level(level),
            (None, None) => detect::Override::Detect,
        },
    };
    let scanned = &headings.headings;
    let views: Vec<detect::Heading<'_>> = scanned
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = scanned
                .get(i + 1)
                .map_or(split.body.len(), |n| n.range.start);
            let source_line = split.body[h.range.clone()].trim_start_matches(['#', ' ']);
            detect::Heading {
                level: h.level,
                text: &h.text,
                body: &split.body[h.range.end.min(end)..end],
                line: lines_before + h.line,
                is_link: source_line.starts_with('['),
                opens_note: i == 0 && split.body[..h.range.start].trim().is_empty(),
            }
        })
        .collect();
    let detection = detect::detect(&views, rule, &over, fm.title.as_deref());
    let title_heading = detection
        .title
        .map(|i| scanned[i].text.trim().to_string())
        .filter(|t| !t.is_empty());
    let (title, title_source) = match (&fm.title, &title_heading) {
        (Some(t), _) => (t.clone(), TitleSource::FrontMatter),
        (None, Some(h)) => (h.clone(), TitleSource::Heading),
        _ => (stem_of(&source.path).to_string(), TitleSource::FileName),
    };
    let event = fm.event.as_deref().unwrap_or(&title);
    let explanation = Explanation {
        rule: Some(detection.rule.clone()),
        headings: detection
            .reasons
            .iter()
            .map(|&(i, reason)| {
                (
                    views[i].line,
                    views[i].level,
                    scanned[i].text.clone(),
                    reason,
                )
            })
            .collect(),
    };

    let talks: std::collections::HashMap<usize, SessionHead> =
        detection.talks.into_iter().collect();
    let parts = split_parts(
        &Body {
            text: &source.text,
            offset,
            len: split.body.len(),
            lines_before,
            headings: scanned,
        },
        talks,
        detection.title,
        &|head: &mut SessionHead, body| {
            let (body, lines) = take_meta_lines(&source.text, body);
            head.speakers.splice(0..0, fm.speakers.iter().cloned());
            head.speakers.extend(lines.speakers);
            dedup_names(&mut head.speakers);
            let mut tags = fm.tags.clone();
            tags.extend(lines.tags);
            if config.tags.auto {
                tags.extend(crate::tags::auto_tags(event, &head.title));
            }
            (body, tags)
        },
    );

    let fm = split.front_matter.clone();
    let name = source.path.rsplit('/').next().unwrap_or(&source.path);
    let date = fm.date.or_else(|| Date::from_file_name(name));
    Ok(Note {
        path: source.path.clone(),
        date,
        year: date
            .map(|d| d.year)
            .or_else(|| year_in(stem_of(&source.path))),
        slug_source: fm
            .slug
            .clone()
            .unwrap_or_else(|| stem_of(&source.path).to_string()),
        front_matter: fm,
        title,
        title_source,
        detection: explanation,
        parts,
        refs: headings.refs,
        local_links: headings.local_links,
        warnings: split.warnings.clone(),
        text: source.text.clone(),
    })
}

/// A note's Markdown body and its headings, as [`split_parts`] reads them.
struct Body<'a> {
    /// The whole file.
    text: &'a str,
    /// Where the body starts in `text`.
    offset: usize,
    len: usize,
    /// Lines of the file before the body.
    lines_before: usize,
    headings: &'a [ScannedHeading],
}

/// What a session part keeps of its body and its tags, given its head (which it may complete
/// with speakers) and its body's range.
type SessionBody<'a> = dyn Fn(&mut SessionHead, Range<usize>) -> (Range<usize>, Vec<String>) + 'a;

/// Splits a note's body into its intro, talks and sections. A talk runs to the next heading of
/// its level or above; between talks, headings down to the talks' highest level start sections
/// (level 2 when there is no talk).
fn split_parts(
    body: &Body<'_>,
    mut talks: std::collections::HashMap<usize, SessionHead>,
    title: Option<usize>,
    session_body: &SessionBody<'_>,
) -> Vec<Part> {
    let scanned = body.headings;
    let offset = body.offset;
    let section_level = talks.keys().map(|&i| scanned[i].level).min().unwrap_or(2);
    let mut starts: Vec<usize> = Vec::new();
    let mut open: Option<u8> = None;
    for (i, heading) in scanned.iter().enumerate() {
        if talks.contains_key(&i) {
            open = Some(heading.level);
            starts.push(i);
        } else if open.is_some_and(|level| heading.level > level) {
            continue;
        } else if heading.level <= section_level || Some(i) == title {
            open = None;
            starts.push(i);
        }
    }
    let mut parts = Vec::new();
    let intro_end = starts.first().map_or(body.len, |&i| scanned[i].range.start);
    if !body.text[offset..offset + intro_end].trim().is_empty() {
        parts.push(Part {
            kind: PartKind::Intro,
            heading: None,
            body: offset..offset + intro_end,
            tags: Vec::new(),
        });
    }
    for (n, &i) in starts.iter().enumerate() {
        let heading = &scanned[i];
        let end = starts
            .get(n + 1)
            .map_or(body.len, |&next| scanned[next].range.start);
        let range = offset + heading.range.end.min(end)..offset + end;
        let kind = match talks.remove(&i) {
            Some(head) => PartKind::Session(head),
            None if Some(i) == title => PartKind::Intro,
            None => PartKind::Section,
        };
        if kind == PartKind::Intro && text_is_blank(&body.text[range.clone()]) {
            continue;
        }
        let shown = (kind != PartKind::Intro).then(|| Heading {
            level: heading.level,
            text: heading.text.clone(),
            line: body.lines_before + heading.line,
        });
        let (kind, range, tags) = match kind {
            PartKind::Session(mut head) => {
                let (range, tags) = session_body(&mut head, range);
                (PartKind::Session(head), range, tags)
            }
            other => (other, range, Vec::new()),
        };
        parts.push(Part {
            kind,
            heading: shown,
            body: range,
            tags,
        });
    }
    parts
}

/// A year (1990–2099) written in a file name, as in `2019 Droid Knights`.
fn year_in(name: &str) -> Option<u16> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let digits = &bytes[i..i + 4];
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if !alone || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let year: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        (1990..2100).contains(&year).then_some(year)
    })
}

/// What the first lines of a session body say about it.
#[derive(Default)]
struct MetaLines {
    tags: Vec<String>,
    speakers: Vec<String>,
}

/// Removes tag and speaker lines (`태그: 장고, ORM`, `발표자: 홍길동`) from the top of a session
/// body, returning the rest of the body and what they said.
fn take_meta_lines(text: &str, mut body: Range<usize>) -> (Range<usize>, MetaLines) {
    let mut meta = MetaLines::default();
    loop {
        let markdown = &text[body.clone()];
        let skipped = markdown.len() - markdown.trim_start_matches(['\n', ' ', '\t']).len();
        let rest = &markdown[skipped..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        if let Some(tags) = crate::tags::tag_line(line) {
            meta.tags.extend(tags);
        } else if let Some(names) = speaker_line(line) {
            meta.speakers.extend(names);
        } else {
            return (body, meta);
        }
        body = body.start + skipped + line_end..body.end;
    }
}

/// Speakers on a line like `발표자: 홍길동, 김철수` or `Speaker: Jane Doe`.
fn speaker_line(line: &str) -> Option<Vec<String>> {
    let line = line.trim().trim_start_matches(['-', '*']).trim();
    let (label, rest) = line.split_once([':', '：'])?;
    let label = label.trim().trim_matches('*').trim().to_lowercase();
    if !["발표자", "연사", "speaker", "speakers"].contains(&label.as_str()) {
        return None;
    }
    let names: Vec<String> = rest
        .split([',', '&', '，'])
        .map(|n| n.trim().trim_matches('*').trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then_some(names)
}

fn dedup_names(names: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(crate::tags::key(n)));
}

fn text_is_blank(markdown: &str) -> bool {
    markdown.trim().is_empty()
}

struct ScannedHeading {
    level: u8,
    text: String,
    /// Byte range of the heading's source lines in the body.
    range: Range<usize>,
    /// 1-based line in the body.
    line: usize,
}

struct Scan {
    headings: Vec<ScannedHeading>,
    refs: LinkRefs,
    local_links: Vec<String>,
}

/// One pass over the body: headings outside code blocks, link reference definitions and local
/// links.
fn scan(body: &str, config: &MarkdownConfig) -> Scan {
    let no_refs = LinkRefs::new();
    let events = markdown::events(body, config, &no_refs);
    let mut headings = Vec::new();
    let mut local_links = Vec::new();
    let mut current: Option<(u8, usize, Vec<Event<'_>>)> = None;
    let (mut line, mut counted) = (1, 0);
    // Headings inside lists and quotes (a setext `-` under an item) never split a note.
    let mut containers = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                containers += 1;
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1);
            }
            Event::Start(Tag::Heading { level, .. }) if containers == 0 => {
                current = Some((level as u8, range.start, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, inline)) = current.take() {
                    let end = line_end(body, range.end.max(start));
                    // Headings come in order: count the lines since the last one only.
                    line += body[counted..start].matches('\n').count();
                    counted = start;
                    headings.push(ScannedHeading {
                        level,
                        text: markdown::inline_text(&inline).trim().to_string(),
                        range: start..end,
                        line,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_local(&dest_url) =>
            {
                local_links.push(dest_url.to_string());
            }
            other => {
                if let Some((_, _, inline)) = &mut current {
                    inline.push(other);
                }
            }
        }
    }
    let refs = collect_refs(body, config);
    Scan {
        headings,
        refs,
        local_links,
    }
}

fn collect_refs(body: &str, config: &MarkdownConfig) -> LinkRefs {
    if !body.contains("]:") {
        return LinkRefs::new();
    }
    let mut parser = pulldown_cmark::Parser::new_ext(body, markdown::parser_options(config));
    parser.by_ref().for_each(drop);
    parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label.to_lowercase(),
                (
                    def.dest.to_string(),
                    def.title.as_deref().unwrap_or("").to_string(),
                ),
            )
        })
        .collect()
}

/// A link to a file next to the note (not a URL, not site-absolute, not an anchor).
pub fn is_local(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }))
}

fn line_end(text: &str, at: usize) -> usize {
    if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\n') {
        return at;
    }
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> SessionRule {
        SessionRule::new(&crate::config::SessionConfig::default()).unwrap()
    }

    fn parse_text(path: &str, text: &str) -> Note {
        let source = Source {
            path: path.into(),
            text: text.into(),
        };
        parse(&source, path, &Config::default(), &rule()).unwrap()
    }

    #[test]
    fn parts_in_order() {
        let text = "# PyCon 2020 후기\n인사말\n## Keynote : 첫\n- a\n\n## Session 101 : 둘\n### 소제목\n본문\n```\n## Session 1 : 코드 속\n```\n## 배운 점\n- 끝\n";
        let note = parse_text("2020-09-26-pycon.md", text);
        assert_eq!(note.title, "PyCon 2020 후기");
        assert_eq!(note.title_source, TitleSource::Heading);
        assert_eq!(note.date.unwrap().iso(), "2020-09-26");
        assert_eq!(note.slug_source, "pycon");
        let kinds: Vec<_> = note
            .parts
            .iter()
            .map(|p| match &p.kind {
                PartKind::Intro => "intro".to_string(),
                PartKind::Session(s) => s.title.clone(),
                PartKind::Section => p.heading.as_ref().unwrap().text.clone(),
            })
            .collect();
        assert_eq!(kinds, ["intro", "첫", "둘", "배운 점"]);
        assert_eq!(note.markdown(&note.parts[0]), "인사말\n");
        assert_eq!(note.markdown(&note.parts[1]), "- a\n\n");
        assert!(
            note.markdown(&note.parts[2])
                .contains("## Session 1 : 코드 속")
        );
        assert_eq!(note.parts[3].heading.as_ref().unwrap().line, 12);
    }

    #[test]
    fn tags_from_front_matter_tag_lines_and_titles() {
        let text = "---\ntags: [커뮤니티]\n---\n# PyCon 2020 후기\n## Session 101 : Django ORM 최적화\n태그: 장고, ORM\n- 내용\n## Talk : 둘\n#파이썬 #typing\n\n본문\n";
        let note = parse_text("a.md", text);
        assert_eq!(
            note.parts[0].tags,
            ["커뮤니티", "장고", "ORM", "PyCon", "Django", "ORM"]
        );
        assert_eq!(note.markdown(&note.parts[0]), "- 내용\n");
        assert_eq!(
            note.parts[1].tags,
            ["커뮤니티", "파이썬", "typing", "PyCon"]
        );
        assert_eq!(note.markdown(&note.parts[1]), "\n본문\n");
    }

    #[test]
    fn headings_inside_lists_do_not_split() {
        let note = parse_text(
            "a.md",
            "## 소개\n### 첫 발표\n- View\n  -\n- 끝\n### 둘째 발표\n- b\n",
        );
        assert_eq!(note.detection.rule, Some(detect::Rule::Structure));
        assert_eq!(note.sessions().count(), 2);
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let note = parse_text("2019/2019 Droid Knights.md", "## 소개\n글\n");
        assert_eq!(note.title, "2019 Droid Knights");
        assert_eq!(note.title_source, TitleSource::FileName);
    }

    #[test]
    fn line_numbers_count_front_matter() {
        let note = parse_text("a.md", "+++\ntitle = \"T\"\n+++\n## 세션 : 하나\n");
        assert_eq!(note.title, "T");
        assert_eq!(note.parts[0].heading.as_ref().unwrap().line, 4);
    }

    #[test]
    fn local_links() {
        assert!(is_local("img/a.png"));
        assert!(is_local("../b.md#x"));
        assert!(!is_local("https://x"));
        assert!(!is_local("mailto:a@b"));
        assert!(!is_local("/abs"));
        assert!(!is_local("#frag"));
    }
}
