//! Markdown rendering: one pass of pulldown-cmark per session or section, producing the HTML,
//! the plain text (for excerpts, reading time and search) and the `###` outline at once, so
//! pages, feeds and the search index never render the same Markdown twice.

mod autolink;
mod cjk_emphasis;
mod highlight;

pub use cjk_emphasis::is_cjk;

use std::collections::HashMap;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::slug::AnchorSet;

/// Link reference definitions of a whole note, so a session can use a `[label]` defined
/// elsewhere in the same file: lowercase label → (destination, title).
pub type LinkRefs = HashMap<String, (String, String)>;

/// One heading inside a rendered part, for tables of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineEntry {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// The result of rendering one piece of Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Text without markup, blocks separated by newlines.
    pub text: String,
    pub outline: Vec<OutlineEntry>,
    /// The text after a bold `정리`/`요약`/`Summary`/`TL;DR` label.
    pub summary: Option<String>,
    /// The text after a bold `느낀점`/`느낀 점`/`소감` label.
    pub reflection: Option<String>,
    /// Links labelled as a recording or slides, in order.
    pub resources: Vec<Resource>,
    /// The URL of the first image (not a `data:` one), as the page links it: what a link
    /// preview of the page shows.
    pub first_image: Option<String>,
}

/// A link to a talk's recording or slides.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Resource {
    /// `video` or `slides`.
    pub kind: &'static str,
    pub url: String,
}

const SUMMARY_LABELS: &[&str] = &["정리", "요약", "summary", "tl;dr", "tldr"];
const REFLECTION_LABELS: &[&str] = &["느낀점", "느낀 점", "소감"];
const VIDEO_LABELS: &[&str] = &["발표영상", "발표 영상", "영상", "video"];
const SLIDES_LABELS: &[&str] = &["발표자료", "발표 자료", "슬라이드", "slides", "slide"];

/// Summary, reflection and resource links found in a part's events, and where the blocks the
/// summary and reflection were taken from start.
fn labelled(events: &[Event<'_>]) -> (Option<String>, Option<String>, Vec<Resource>, Vec<usize>) {
    let (mut summary, mut reflection, mut resources) = (None, None, Vec::new());
    let mut lifted = Vec::new();
    let label_of = |text: &str| {
        text.trim()
            .trim_end_matches([':', '：'])
            .trim()
            .to_lowercase()
    };
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let (Some(Event::Text(text)), Some(Event::End(TagEnd::Link))) =
                    (events.get(i + 1), events.get(i + 2))
                {
                    let label = label_of(text);
                    let kind = if VIDEO_LABELS.contains(&label.as_str()) {
                        Some("video")
                    } else if SLIDES_LABELS.contains(&label.as_str()) {
                        Some("slides")
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        resources.push(Resource {
                            kind,
                            url: url_form(dest_url),
                        });
                    }
                }
            }
            Event::Start(Tag::Strong) => {
                let block_start = matches!(
                    i.checked_sub(1).map(|p| &events[p]),
                    Some(Event::Start(Tag::Item | Tag::Paragraph))
                );
                let Some(close) = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Strong)))
                else {
                    continue;
                };
                if !block_start {
                    continue;
                }
                let label = label_of(&inline_text(&events[i + 1..i + close]));
                let slot = if SUMMARY_LABELS.contains(&label.as_str()) {
                    &mut summary
                } else if REFLECTION_LABELS.contains(&label.as_str()) {
                    &mut reflection
                } else {
                    continue;
                };
                let rest = &events[i + close + 1..];
                let end = rest
                    .iter()
                    .position(|e| {
                        matches!(
                            e,
                            Event::End(TagEnd::Paragraph | TagEnd::Item)
                                | Event::Start(Tag::List(_))
                        )
                    })
                    .unwrap_or(rest.len());
                let text = inline_text(&rest[..end]);
                let text = text.trim().trim_start_matches([':', '：']).trim();
                if slot.is_none() && !text.is_empty() {
                    *slot = Some(text.to_string());
                    lifted.push(i - 1);
                }
            }
            _ => {}
        }
    }
    (summary, reflection, resources, lifted)
}

/// The parser options hugi uses everywhere.
pub fn parser_options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Parses `markdown` into events with source offsets, applying the CJK-friendly emphasis rule
/// and GFM's extended autolinks when enabled. Every consumer of note Markdown goes through here.
pub fn events<'a>(
    markdown: &'a str,
    config: &MarkdownConfig,
    refs: &'a LinkRefs,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let callback = |link: pulldown_cmark::BrokenLink<'_>| {
        refs.get(&link.reference.to_lowercase())
            .map(|(dest, title)| (CowStr::from(dest.as_str()), CowStr::from(title.as_str())))
    };
    let parser =
        Parser::new_with_broken_link_callback(markdown, parser_options(config), Some(callback));
    let mut events: Vec<_> = parser.into_offset_iter().collect();
    if config.cjk_emphasis {
        events = cjk_emphasis::apply(markdown, events);
    }
    if config.autolinks {
        events = autolink::apply(markdown, events);
    }
    // The parser leaves `mailto:` off an e-mail link's destination (its HTML writer adds it);
    // every consumer here, the link checker included, sees the URL the page will have.
    for (event, _) in &mut events {
        if let Event::Start(Tag::Link {
            link_type: link_type @ LinkType::Email,
            dest_url,
            ..
        }) = event
        {
            *dest_url = format!("mailto:{dest_url}").into();
            *link_type = LinkType::Autolink;
        }
    }
    events
}

/// Where a link or image written in a note (`img/a.png`, `../2019/devfest.md#세션`) points on the
/// site, and for an image file of the site its pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub url: String,
    pub size: Option<(u32, u32)>,
}

/// Rewrites a link destination written in a note into its [`LinkTarget`], or `None` to keep it
/// as written.
pub type LinkRewrite<'r> = &'r (dyn Fn(&str) -> Option<LinkTarget> + Sync);

/// Renders `markdown`, drawing heading anchors from `anchors` (shared by all parts of a page so
/// they stay unique on it).
pub fn render(
    markdown: &str,
    config: &MarkdownConfig,
    refs: &LinkRefs,
    rewrite: LinkRewrite<'_>,
    anchors: &mut AnchorSet,
) -> Rendered {
    let markdown = &*separate_tables(markdown);
    let mut events: Vec<Event<'_>> = events(markdown, config, refs)
        .into_iter()
        .map(|(e, _)| rewrite_link(e, rewrite))
        .collect();
    if config.safe_links {
        drop_unsafe_links(&mut events);
    }
    drop_empty_items(&mut events);
    if !config.raw_html {
        for event in &mut events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                *event = Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
        }
    }
    let mut outline = Vec::new();
    name_headings(&mut events, anchors, &mut outline);
    let text = plain_text(&events);
    let (summary, reflection, resources, lifted) = labelled(&events);
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    let mut image: Option<Image<'_>> = None;
    let mut first_image = None;
    for (i, event) in events.into_iter().enumerate() {
        if let Some(open) = &mut image {
            match event {
                Event::Start(Tag::Image { .. }) => open.depth += 1,
                Event::End(TagEnd::Image) if open.depth == 0 => {
                    let (html, url) = open.html(rewrite);
                    if first_image.is_none() && !url.starts_with("data:") {
                        first_image = Some(url_form(&url));
                    }
                    out.push(Event::Html(html.into()));
                    image = None;
                }
                Event::End(TagEnd::Image) => open.depth -= 1,
                other => open.alt.push(other),
            }
            continue;
        }
        if let Some((lang, body)) = &mut code {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let inner = highlight::highlight(body, lang, config.highlight);
                    let class = if lang.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"language-{}\"", escape_html(lang))
                    };
                    // Notes pasted into a fence read as text: their lines wrap.
                    let kind = if lang.is_empty() && is_prose(body) {
                        "code prose"
                    } else {
                        "code"
                    };
                    out.push(Event::Html(
                        format!("<pre class=\"{kind}\"><code{class}>{inner}</code></pre>\n").into(),
                    ));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            // The blocks a summary or reflection was taken from: a page that shows them as cards
            // can leave them out (`.labelled`), one that does not shows them where they were.
            Event::Start(Tag::Paragraph) if lifted.contains(&i) => {
                out.push(Event::Html("<p class=\"labelled\">".into()));
            }
            Event::Start(Tag::Item) if lifted.contains(&i) => {
                out.push(Event::Html("<li class=\"labelled\">".into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                image = Some(Image {
                    url: dest_url,
                    title,
                    alt: Vec::new(),
                    depth: 0,
                });
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (name, title) = alert(kind, &config.language);
                out.push(Event::Html(
                    format!("<div class=\"alert alert-{name}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html("<div class=\"table-scroll\">".into()));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>\n".into()));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(Event::Start(Tag::Heading { id: Some(id), .. })) = out
                    .iter()
                    .rev()
                    .find(|e| matches!(e, Event::Start(Tag::Heading { .. })))
                {
                    // Named by the heading it stands in, in whatever language that is.
                    let anchor = format!(
                        "<a class=\"heading-anchor\" href=\"#{0}\" aria-labelledby=\"{0}\">#</a>",
                        escape_html(id)
                    );
                    out.push(Event::Html(anchor.into()));
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::SoftBreak if config.hard_breaks => out.push(Event::HardBreak),
            other => out.push(other),
        }
    }
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    Rendered {
        html: html_out,
        text,
        outline,
        summary,
        reflection,
        resources,
        first_image,
    }
}

/// Whether a code block's text is mostly Korean (or other CJK) prose rather than code: at least
/// two in five of its visible characters are CJK letters.
fn is_prose(text: &str) -> bool {
    let (mut visible, mut cjk) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        cjk += usize::from(is_cjk(c) && c.is_alphanumeric());
    }
    visible > 0 && cjk * 5 >= visible * 2
}

/// A GitHub alert's class name and title (`> [!NOTE]` is 참고 on a Korean site, Note on others).
fn alert(kind: BlockQuoteKind, language: &str) -> (&'static str, &'static str) {
    let korean = language == "ko";
    match kind {
        BlockQuoteKind::Note => ("note", if korean { "참고" } else { "Note" }),
        BlockQuoteKind::Tip => ("tip", if korean { "팁" } else { "Tip" }),
        BlockQuoteKind::Important => ("important", if korean { "중요" } else { "Important" }),
        BlockQuoteKind::Warning => ("warning", if korean { "경고" } else { "Warning" }),
        BlockQuoteKind::Caution => ("caution", if korean { "주의" } else { "Caution" }),
    }
}

/// `text` escaped for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

/// Whether a link or image URL could run script: `javascript:`, `vbscript:`, or `data:` other
/// than an image, ignoring case, and the spaces and control characters browsers skip.
pub fn is_unsafe_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || scheme.starts_with("data:") && !scheme.starts_with("data:image/")
}

/// A link's destination as a URL may be written (`[143]검출` → `%5B143%5D%EA%B2%80…`), the
/// way the body's links write it, without the HTML escaping: templates escape it again.
pub fn url_form(url: &str) -> String {
    let mut href = String::with_capacity(url.len());
    let _ = pulldown_cmark_escape::escape_href(&mut href, url);
    href.replace("&#x27;", "'").replace("&amp;", "&")
}

/// Removes list items with nothing in them (a `-` left alone on a line while writing), and the
/// lists left empty by that: a reader would see a bare bullet.
fn drop_empty_items(events: &mut Vec<Event<'_>>) {
    let empty_pair = |a: &Event<'_>, b: &Event<'_>| {
        matches!(
            (a, b),
            (Event::Start(Tag::Item), Event::End(TagEnd::Item))
                | (Event::Start(Tag::List(_)), Event::End(TagEnd::List(_)))
        )
    };
    if !events.windows(2).any(|w| empty_pair(&w[0], &w[1])) {
        return;
    }
    // A stack of kept events: a closing event that meets its empty opening removes both, so
    // a list emptied of its items goes too.
    let mut kept: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for event in events.drain(..) {
        if kept.last().is_some_and(|last| empty_pair(last, &event)) {
            kept.pop();
        } else {
            kept.push(event);
        }
    }
    *events = kept;
}

/// Removes the links and images whose URL is unsafe, keeping their text.
fn drop_unsafe_links(events: &mut Vec<Event<'_>>) {
    // Images nest (an image in an image's description); links do not.
    let mut kept_images: Vec<bool> = Vec::new();
    let mut dropping_link = false;
    events.retain(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => {
            dropping_link = is_unsafe_url(dest_url);
            !dropping_link
        }
        Event::End(TagEnd::Link) => !std::mem::take(&mut dropping_link),
        Event::Start(Tag::Image { dest_url, .. }) => {
            let keep = !is_unsafe_url(dest_url);
            kept_images.push(keep);
            keep
        }
        Event::End(TagEnd::Image) => kept_images.pop().unwrap_or(true),
        _ => true,
    });
}

fn rewrite_link<'a>(event: Event<'a>, rewrite: LinkRewrite<'_>) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite(&dest_url).map_or(dest_url, |target| target.url.into());
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    }
}

/// An image being read: its destination as written, its title, and the events of its
/// description (`depth` counts images nested in it).
struct Image<'a> {
    url: CowStr<'a>,
    title: CowStr<'a>,
    alt: Vec<Event<'a>>,
    depth: usize,
}

impl Image<'_> {
    /// The `<img>` element: the site's URL and pixel size for an image of the site, and lazy
    /// loading (a page's first image is made eager when the page is written, see
    /// [`eager_first_image`]), with the URL it loads.
    fn html(&self, rewrite: LinkRewrite<'_>) -> (String, String) {
        let target = rewrite(&self.url);
        let url = target
            .as_ref()
            .map_or(self.url.as_ref(), |t| t.url.as_str())
            .to_string();
        let mut src = String::new();
        let _ = pulldown_cmark_escape::escape_href(&mut src, &url);
        let mut html = format!(
            "<img src=\"{}\" alt=\"{}\"",
            src,
            escape_html(&inline_text(&self.alt))
        );
        if !self.title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", escape_html(&self.title)));
        }
        if let Some((width, height)) = target.and_then(|t| t.size) {
            html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        }
        html.push_str(LAZY_IMAGE);
        html.push('>');
        (html, url)
    }
}

/// What every image of a note carries, so pages load images as the reader scrolls to them.
const LAZY_IMAGE: &str = " loading=\"lazy\" decoding=\"async\"";

/// A page's HTML with its first image loaded at once (it is often the first thing seen, and
/// lazy loading would only delay it); the others stay lazy.
pub fn eager_first_image(mut html: Vec<u8>) -> Vec<u8> {
    if let Some(at) = memchr::memmem::find(&html, LAZY_IMAGE.as_bytes()) {
        html.drain(at..at + LAZY_IMAGE.len());
    }
    html
}

/// Notes often start a table on the line right after a list item (`- 소개` then `|a|b|`). In
/// CommonMark those rows would continue the item's paragraph as text; the author meant a table,
/// so a blank line is put before such a table. Fenced code is left alone.
fn separate_tables(markdown: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut fence: Option<&str> = None;
    let mut insert_before = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let starts_table =
            trimmed.starts_with('|') && lines.get(i + 1).is_some_and(|next| is_delimiter_row(next));
        let after_list_item = i > 0 && {
            let previous = lines[i - 1].trim_start();
            previous.starts_with(['-', '*', '+'])
                || previous
                    .split_once(['.', ')'])
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if starts_table && after_list_item && line.len() - trimmed.len() < 2 {
            insert_before.push(i);
        }
    }
    if insert_before.is_empty() {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + insert_before.len());
    for (i, line) in lines.iter().enumerate() {
        if insert_before.contains(&i) {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(line);
    }
    out.into()
}

fn is_delimiter_row(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|')
        && line.contains('-')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Gives every heading an id (its own `{#id}` or a GitHub-style anchor) and records the outline.
fn name_headings(
    events: &mut [Event<'_>],
    anchors: &mut AnchorSet,
    outline: &mut Vec<OutlineEntry>,
) {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level as u8;
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let text = inline_text(&events[i + 1..end]);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                let anchor = match id {
                    Some(own) => {
                        let own = own.to_string();
                        anchors.anchor(&own);
                        own
                    }
                    None => anchors.anchor(&text),
                };
                *id = Some(anchor.clone().into());
                outline.push(OutlineEntry {
                    level,
                    text: text.trim().to_string(),
                    anchor,
                });
            }
            i = end;
        }
        i += 1;
    }
}

/// The text of inline events (a heading's words, without markup).
pub fn inline_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push('\n'),
            Event::Start(tag) if !is_inline(tag) => block_break(&mut text),
            Event::End(end) if !is_inline_end(*end) => block_break(&mut text),
            _ => {}
        }
    }
    text
}

/// Ends a line unless the text already ends with a space or a line: every block (a list item
/// inside another, a table cell, a heading) is apart from the next, so its words never run on.
fn block_break(text: &mut String) {
    if !text.is_empty() && !text.ends_with(char::is_whitespace) {
        text.push('\n');
    }
}

/// Whether a tag stays inside a line of text (emphasis, links) rather than making a block.
fn is_inline(tag: &Tag<'_>) -> bool {
    is_inline_end(tag.to_end())
}

/// Whether an end tag closes an inline container (emphasis, a link) rather than a block.
pub(crate) fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Reading time in whole minutes: Hangul and other CJK text at about 500 characters a minute,
/// other words at about 200 a minute; at least one minute when there is any text.
pub fn reading_minutes(text: &str) -> u32 {
    // One pass: CJK characters, and runs between spaces and CJK characters that hold a letter
    // or digit (words).
    let (mut cjk, mut words, mut in_word) = (0, 0, false);
    for c in text.chars() {
        if is_cjk(c) || c.is_whitespace() {
            cjk += usize::from(is_cjk(c));
            words += usize::from(in_word);
            in_word = false;
        } else if c.is_alphanumeric() {
            in_word = true;
        }
    }
    words += usize::from(in_word);
    let minutes = cjk as f64 / 500.0 + words as f64 / 200.0;
    if cjk + words == 0 {
        0
    } else {
        (minutes.ceil() as u32).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_that_could_run_script_keep_only_their_text() {
        let r = render_default(
            "[영상](javascript:alert(1)) [발표영상](JaVaScRiPt:alert(1)) [v](vbscript:x) [d](data:text/html,x)\n\n[발표자료](https://slides.example/a) ![그림](data:image/png;base64,AA==) ![나쁜](javascript:x)",
        );
        assert!(!r.html.to_lowercase().contains("script:"), "{}", r.html);
        assert!(!r.html.contains("data:text"), "{}", r.html);
        assert!(r.html.contains("영상 발표영상 v d"), "{}", r.html);
        assert!(
            r.html
                .contains("<img src=\"data:image/png;base64,AA==\" alt=\"그림\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("나쁜"),
            "an image's description stays: {}",
            r.html
        );
        assert_eq!(r.resources.len(), 1, "only the safe link becomes a button");
        let off = MarkdownConfig {
            safe_links: false,
            ..MarkdownConfig::default()
        };
        let kept = render(
            "[x](javascript:y)",
            &off,
            &LinkRefs::new(),
            &|_| None,
            &mut AnchorSet::default(),
        );
        assert!(kept.html.contains("href=\"javascript:y\""));
    }

    #[test]
    fn raw_html_is_the_authors_unless_turned_off() {
        let html = "<b>굵게</b> 글\n\n<div class=\"x\">블록</div>\n";
        assert!(render_default(html).html.contains("<b>굵게</b>"));
        let off = MarkdownConfig {
            raw_html: false,
            ..MarkdownConfig::default()
        };
        let shown = render(
            html,
            &off,
            &LinkRefs::new(),
            &|_| None,
            &mut AnchorSet::default(),
        );
        assert!(
            shown.html.contains("&lt;b&gt;굵게&lt;/b&gt;"),
            "{}",
            shown.html
        );
        assert!(!shown.html.contains("<div"), "{}", shown.html);
    }

    #[test]
    fn url_forms_encode_what_a_url_may_not_hold_and_nothing_more() {
        assert_eq!(
            url_form("https://x.kr/attach/[143]검출 a.pdf?a=1&b='2'"),
            "https://x.kr/attach/%5B143%5D%EA%B2%80%EC%B6%9C%20a.pdf?a=1&b='2'"
        );
        assert_eq!(url_form("/a/&amp;"), "/a/&amp;");
    }

    #[test]
    fn empty_list_items_and_emptied_lists_are_dropped() {
        let html = render_default("- 하나\n-\n- 둘\n").html;
        assert_eq!(html.matches("<li>").count(), 2, "{html}");
        let html = render_default("문단\n\n-\n\n끝\n").html;
        assert!(!html.contains("<ul>") && !html.contains("<li>"), "{html}");
        let html = render_default("1. 첫째\n2.\n").html;
        assert_eq!(html.matches("<li>").count(), 1, "{html}");
    }

    #[test]
    fn plain_text_keeps_blocks_apart() {
        let r = render_default(
            "### 데이터\n- 모아서\n  - 관계가 있는\n  - **음소**끼리\n\n| 항목 | 값 |\n|---|---|\n| 오류율 | 12% |\n\n> 인용\n\n끝",
        );
        let words: Vec<&str> = r.text.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "데이터",
                "모아서",
                "관계가",
                "있는",
                "음소끼리",
                "항목",
                "값",
                "오류율",
                "12%",
                "인용",
                "끝"
            ]
        );
    }

    fn render_default(markdown: &str) -> Rendered {
        render(
            markdown,
            &MarkdownConfig::default(),
            &LinkRefs::new(),
            &|_| None,
            &mut AnchorSet::default(),
        )
    }

    #[test]
    fn line_breaks_tables_and_anchors() {
        let r =
            render_default("### 타입 주석 예제\n첫 줄\n-> 둘째 줄\n\n|a|b|\n|---|---|\n|1|2|\n");
        assert!(
            r.html
                .contains("<h3 id=\"타입-주석-예제\">타입 주석 예제<a class=\"heading-anchor\" href=\"#타입-주석-예제\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("첫 줄<br />\n-&gt; 둘째 줄"), "{}", r.html);
        assert!(
            r.html.contains("<div class=\"table-scroll\"><table>"),
            "{}",
            r.html
        );
        assert_eq!(r.outline[0].anchor, "타입-주석-예제");
        assert!(r.text.contains("첫 줄\n-> 둘째 줄"));
    }

    #[test]
    fn table_right_after_a_list_item_is_a_table() {
        let r = render_default("- 소개\n|이름|설명|\n|---|---|\n|a|b|\n- 다음\n");
        assert!(
            r.html
                .contains("<li>소개</li>\n</ul>\n<div class=\"table-scroll\"><table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td>a</td>"));
        let r = render_default("```\n- x\n|a|b|\n|---|---|\n```\n");
        assert!(!r.html.contains("<table>"));
    }

    #[test]
    fn summary_reflection_and_resources() {
        let r = render_default(
            "[발표영상](https://v.example/1) / [발표자료](https://s.example/2)\n\n* 내용\n* **정리**: 구독을 꼭 해제하자\n* **느낀점** : 재미있었다\n\n**Summary** second one ignored\n",
        );
        assert_eq!(r.summary.as_deref(), Some("구독을 꼭 해제하자"));
        assert_eq!(r.reflection.as_deref(), Some("재미있었다"));
        assert_eq!(
            r.resources,
            [
                Resource {
                    kind: "video",
                    url: "https://v.example/1".into()
                },
                Resource {
                    kind: "slides",
                    url: "https://s.example/2".into()
                }
            ]
        );
        assert!(
            r.html.contains("<strong>정리</strong>: 구독을 꼭 해제하자"),
            "stays in the text"
        );
        let r = render_default("이 세션은 **정리**를 잘했다\n");
        assert_eq!(
            r.summary, None,
            "a bold word inside a sentence is not a label"
        );
    }

    #[test]
    fn hard_breaks_can_be_turned_off() {
        let config = MarkdownConfig {
            hard_breaks: false,
            ..MarkdownConfig::default()
        };
        let r = render(
            "a\nb",
            &config,
            &LinkRefs::new(),
            &|_| None,
            &mut AnchorSet::default(),
        );
        assert_eq!(r.html, "<p>a\nb</p>\n");
    }

    #[test]
    fn code_is_highlighted_and_raw_html_passes() {
        let r = render_default("```python\nprint('x')\n```\n\n<kbd>Ctrl</kbd>\n");
        assert!(
            r.html
                .contains("<pre class=\"code\"><code class=\"language-python\"><span class=\"hl-"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<kbd>Ctrl</kbd>"));
    }

    #[test]
    fn footnotes_tasks_strikethrough_and_refs() {
        let mut refs = LinkRefs::new();
        refs.insert(
            "slides".into(),
            ("https://example.org/s".into(), String::new()),
        );
        let r = render(
            "- [x] 완료 ~~취소~~[^1] [자료][slides]\n\n[^1]: 각주\n",
            &MarkdownConfig::default(),
            &refs,
            &|_| None,
            &mut AnchorSet::default(),
        );
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
        assert!(r.html.contains("<del>취소</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("href=\"https://example.org/s\""));
    }

    #[test]
    fn alerts_have_titles_in_the_sites_language() {
        let html = render_default(
            "> [!NOTE]\n> 발표 자료는 곧 올라온다\n\n> [!CAUTION]\n> 조심\n\n> 그냥 인용\n",
        )
        .html;
        assert!(html.contains("<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">참고</p>\n<p>발표 자료는 곧 올라온다</p>\n</div>"), "{html}");
        assert!(html.contains("<div class=\"alert alert-caution\" role=\"note\">\n<p class=\"alert-title\">주의</p>"), "{html}");
        assert!(
            html.contains("<blockquote>\n<p>그냥 인용</p>\n</blockquote>"),
            "{html}"
        );
        let english = MarkdownConfig {
            language: "en".into(),
            ..MarkdownConfig::default()
        };
        let html = render(
            "> [!TIP]\n> x\n",
            &english,
            &LinkRefs::new(),
            &|_| None,
            &mut AnchorSet::default(),
        )
        .html;
        assert!(html.contains("<p class=\"alert-title\">Tip</p>"), "{html}");
    }

    #[test]
    fn fences_of_korean_prose_wrap_and_code_does_not() {
        let html = render_default("```\n오늘 발표에서 가장 인상 깊었던 부분은 타입 힌트를 점진적으로 도입한 이야기였다\n```\n\n```\nprint(\"안녕\")  # 인사\n```\n\n```python\n# 전부 한국어 주석인 코드\n```\n").html;
        assert_eq!(
            html.matches("<pre class=\"code prose\">").count(),
            1,
            "{html}"
        );
        assert_eq!(html.matches("<pre class=\"code\">").count(), 2, "{html}");
    }

    #[test]
    fn reading_time() {
        assert_eq!(reading_minutes(""), 0);
        assert_eq!(reading_minutes("짧은 글"), 1);
        assert_eq!(reading_minutes(&"가".repeat(1001)), 3);
        assert_eq!(reading_minutes(&"word ".repeat(400)), 2);
    }
}
