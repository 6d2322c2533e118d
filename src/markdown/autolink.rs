//! GFM's extended autolinks as a pass over pulldown-cmark's events, which has no such option:
//! `https://…`, `http://…` and `ftp://…` addresses, `www.` addresses and e-mail addresses
//! written bare in a note become links, with the GFM spec's rules for where one ends (trailing
//! punctuation, unbalanced parentheses, entity-like `&…;`, `<`).
//!
//! Two things go beyond the spec, both because notes are written in Korean:
//! - A Hangul or other CJK letter written straight after an address's last Latin letter, digit,
//!   `.` or `)` ends it, so `https://pycon.kr에서` links `https://pycon.kr`; CJK punctuation
//!   (`。`, `）`) always ends it. A path segment that starts in Hangul (`/wiki/파이썬`) is kept.
//! - Emphasis the parser found inside an address (`__init__` in a GitHub link) is put back as
//!   the address's own characters, as GFM's parser, which finds addresses first, has it.
//!
//! Text inside links, images and code is never touched.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::cjk_emphasis::{Spanned, is_cjk, is_punctuation};

/// Turns the bare addresses in `events` (parsed from `source`) into links.
pub fn apply<'a>(source: &str, events: Vec<Spanned<'a>>) -> Vec<Spanned<'a>> {
    if !(source.contains("://") || source.contains("www.") || source.contains('@')) {
        return events;
    }
    let segments = segments(source, &events);
    let found: Vec<(usize, Vec<Found>)> = segments
        .iter()
        .enumerate()
        .map(|(index, s)| (index, find_links(&s.text, |range| s.holds_only_text(range))))
        .filter(|(_, links)| !links.is_empty())
        .collect();
    if found.is_empty() {
        return events;
    }
    // Emphasis tags put back as text (event → its delimiters): those inside an address and
    // their partners. Worked out only for parts that have an address.
    let partners = partners(&events);
    let delimiters: HashMap<usize, &str> = segments
        .iter()
        .flat_map(|s| {
            s.pieces
                .iter()
                .filter(|p| p.tag)
                .map(|p| (p.event, &s.text[p.at..p.at + p.len]))
        })
        .collect();
    let mut literal: HashMap<usize, String> = HashMap::new();
    for (index, links) in &found {
        let segment = &segments[*index];
        for link in links {
            for piece in segment.pieces_within(&link.range).filter(|p| p.tag) {
                for event in std::iter::once(piece.event).chain(partners.get(&piece.event).copied())
                {
                    let text = delimiters.get(&event).copied().unwrap_or_default();
                    literal.insert(event, text.to_string());
                }
            }
        }
    }
    rebuild(events, &segments, found, &literal)
}

/// A run of consecutive text and emphasis events, read as one string: the text as the reader
/// sees it, emphasis as the delimiters written in the source.
#[derive(Debug)]
struct Segment {
    events: Range<usize>,
    text: String,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    event: usize,
    /// Where the piece starts in the segment's text, and its length there.
    at: usize,
    len: usize,
    /// Where it starts in the source, when the text is the source's own (no entity, no
    /// smart quote): positions inside it then map one to one.
    source: Option<usize>,
    /// Where the event's range starts, when positions inside do not map.
    fallback: usize,
    tag: bool,
}

impl Segment {
    /// The pieces that share text with `range` (pieces lie in order, so this is a search).
    fn pieces_within<'s>(&'s self, range: &Range<usize>) -> impl Iterator<Item = &'s Piece> {
        let first = self.pieces.partition_point(|p| p.at + p.len <= range.start);
        let end = range.end;
        self.pieces[first..].iter().take_while(move |p| p.at < end)
    }

    fn holds_only_text(&self, range: &Range<usize>) -> bool {
        self.pieces_within(range).all(|p| !p.tag)
    }

    /// The source offset of a position in the segment's text.
    fn source_at(&self, at: usize) -> usize {
        let after = self.pieces.partition_point(|p| p.at <= at);
        let piece = &self.pieces[after.saturating_sub(1)];
        piece.source.map_or(piece.fallback, |start| {
            start + (at - piece.at).min(piece.len)
        })
    }
}

/// Emphasis, strong and strikethrough: the tags whose delimiters may sit inside an address.
fn is_span_start(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
    )
}

fn is_span_end(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
    )
}

/// The segments of `events` that may hold addresses: outside links, images and code blocks.
fn segments(source: &str, events: &[Spanned<'_>]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut current: Option<Segment> = None;
    let mut closed = 0usize;
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => closed += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                closed = closed.saturating_sub(1);
            }
            // An anchor written in raw HTML is a link too.
            Event::InlineHtml(html) => match html_anchor(html) {
                Some(true) => closed += 1,
                Some(false) => closed = closed.saturating_sub(1),
                None => {}
            },
            _ => {}
        }
        let piece = match event {
            _ if closed > 0 => None,
            Event::Text(text) => Some((
                text.to_string(),
                (source.get(range.clone()) == Some(text.as_ref())).then_some(range.start),
                false,
            )),
            _ if is_span_start(event) || is_span_end(event) => {
                let width = match event {
                    Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => 2,
                    Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => 1,
                    // `~x~` or `~~x~~`: the delimiter is as long as the run at the start.
                    _ => source
                        .get(range.clone())
                        .map_or(1, |s| s.bytes().take_while(|b| *b == b'~').count().max(1)),
                };
                let start = if matches!(event, Event::Start(_)) {
                    range.start
                } else {
                    range.end.saturating_sub(width)
                };
                source
                    .get(start..start + width)
                    .map(|d| (d.to_string(), Some(start), true))
            }
            _ => None,
        };
        match piece {
            Some((text, source_start, tag)) => {
                let segment = current.get_or_insert_with(|| Segment {
                    events: index..index,
                    text: String::new(),
                    pieces: Vec::new(),
                });
                segment.pieces.push(Piece {
                    event: index,
                    at: segment.text.len(),
                    len: text.len(),
                    source: source_start,
                    fallback: range.start,
                    tag,
                });
                segment.text.push_str(&text);
                segment.events.end = index + 1;
            }
            None => segments.extend(current.take()),
        }
    }
    segments.extend(current);
    segments
}

/// Whether an inline HTML tag opens (`<a …>`) or closes (`</a>`) an anchor.
fn html_anchor(html: &str) -> Option<bool> {
    let name = |rest: &str| {
        rest.get(..1).is_some_and(|a| a.eq_ignore_ascii_case("a"))
            && rest[1..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
    };
    if let Some(rest) = html.strip_prefix("</") {
        name(rest).then_some(false)
    } else {
        html.strip_prefix('<')
            .filter(|rest| name(rest))
            .map(|_| true)
    }
}

/// The index of each emphasis tag's partner (its end for a start, its start for an end).
fn partners(events: &[Spanned<'_>]) -> HashMap<usize, usize> {
    let mut partners = HashMap::new();
    let mut open = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        if is_span_start(event) {
            open.push(index);
        } else if is_span_end(event)
            && let Some(start) = open.pop()
        {
            partners.insert(start, index);
            partners.insert(index, start);
        }
    }
    partners
}

fn rebuild<'a>(
    events: Vec<Spanned<'a>>,
    segments: &[Segment],
    found: Vec<(usize, Vec<Found>)>,
    literal: &HashMap<usize, String>,
) -> Vec<Spanned<'a>> {
    let mut links_of: HashMap<usize, Vec<Found>> = found.into_iter().collect();
    let mut result = Vec::with_capacity(events.len() + 8);
    let mut events = events.into_iter().enumerate().peekable();
    let mut segment_at = segments.iter().enumerate().peekable();
    while let Some((index, (event, range))) = events.next() {
        while segment_at
            .peek()
            .is_some_and(|(_, s)| s.events.start < index)
        {
            segment_at.next();
        }
        let linked = match segment_at.peek() {
            Some(&(number, segment)) if segment.events.start == index => {
                links_of.remove(&number).map(|links| (segment, links))
            }
            _ => None,
        };
        let Some((segment, links)) = linked else {
            if let Some(text) = literal.get(&index) {
                result.push((Event::Text(text.clone().into()), range));
            } else {
                result.push((event, range));
            }
            continue;
        };
        // The segment is written again from its text; its tags are kept where no link is.
        let mut owned: Vec<Option<Spanned<'a>>> = vec![Some((event, range))];
        for _ in segment.events.start + 1..segment.events.end {
            owned.extend(events.next().map(|(_, e)| Some(e)));
        }
        write_segment(segment, owned, &links, literal, &mut result);
    }
    result
}

/// One segment's events again, with its addresses made links.
fn write_segment<'a>(
    segment: &Segment,
    mut owned: Vec<Option<Spanned<'a>>>,
    links: &[Found],
    literal: &HashMap<usize, String>,
    out: &mut Vec<Spanned<'a>>,
) {
    let mut text = String::new();
    let mut text_start = segment.source_at(0);
    let flush = |text: &mut String, start: usize, end: usize, out: &mut Vec<Spanned<'a>>| {
        if !text.is_empty() {
            out.push((Event::Text(CowStr::from(std::mem::take(text))), start..end));
        }
    };
    let mut links = links.iter().peekable();
    let mut at = 0;
    for piece in &segment.pieces {
        let end = piece.at + piece.len;
        while at < end {
            if let Some(link) = links.peek()
                && link.range.start == at
            {
                flush(&mut text, text_start, segment.source_at(at), out);
                let span = segment.source_at(link.range.start)..segment.source_at(link.range.end);
                let shown = &segment.text[link.range.clone()];
                out.push((
                    Event::Start(Tag::Link {
                        link_type: if link.email {
                            LinkType::Email
                        } else {
                            LinkType::Autolink
                        },
                        dest_url: CowStr::from(link.url.clone()),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    span.clone(),
                ));
                out.push((Event::Text(CowStr::from(shown.to_string())), span.clone()));
                out.push((Event::End(TagEnd::Link), span));
                at = link.range.end;
                text_start = segment.source_at(at);
                links.next();
                continue;
            }
            let stop = links.peek().map_or(end, |l| l.range.start.clamp(at, end));
            if piece.tag && !literal.contains_key(&piece.event) {
                // A tag outside every link stays a tag; links never cut one.
                flush(&mut text, text_start, segment.source_at(at), out);
                out.extend(owned[piece.event - segment.events.start].take());
                at = end;
                text_start = segment.source_at(at);
                break;
            }
            text.push_str(&segment.text[at..stop]);
            at = stop;
        }
    }
    flush(
        &mut text,
        text_start,
        segment.source_at(segment.text.len()),
        out,
    );
}

/// A bare address found in a segment's text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    range: Range<usize>,
    url: String,
    email: bool,
}

/// The addresses in `text`: URL and `www.` addresses left to right, then e-mail addresses in
/// the text between them wherever `plain` says the text is free of emphasis.
fn find_links(text: &str, plain: impl Fn(&Range<usize>) -> bool) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut addresses = Vec::new();
    let (mut i, mut from) = (0, 0);
    while i < bytes.len() {
        let hit = match bytes[i] {
            b':' => url_at(text, from, i),
            b'w' => www_at(text, i),
            _ => None,
        };
        match hit {
            Some(found) => {
                i = found.range.end;
                from = i;
                addresses.push(found);
            }
            None => i += 1,
        }
    }
    let mut all = Vec::with_capacity(addresses.len());
    let mut gap = 0;
    for address in addresses {
        emails(text, gap..address.range.start, &plain, &mut all);
        gap = address.range.end;
        all.push(address);
    }
    emails(text, gap..text.len(), &plain, &mut all);
    all.sort_by_key(|f| f.range.start);
    all
}

/// A character that may stand in a domain name: not a space, not punctuation (Unicode's P
/// categories as the GFM reference parser has them: symbols such as emoji are allowed).
fn is_host_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !(c.is_whitespace()
        || matches!(c, '\u{A1}'..='\u{BF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
        || is_cjk(c) && is_punctuation(c))
}

/// Whether `c`, written after `before`, ends an address: CJK punctuation always does, a CJK
/// letter does right after a Latin letter, digit, `.`, `)` or the `*`/`~` closing emphasis
/// around the address (a particle such as `에서`).
fn ends_address(before: char, c: char) -> bool {
    is_cjk(c)
        && (!c.is_alphanumeric()
            || before.is_ascii_alphanumeric()
            || matches!(before, '.' | ')' | '*' | '~'))
}

/// The end of a valid domain starting at `start`: segments of host characters, `-` and `_`
/// separated by `.`, no `_` in the last two segments, and (if `needs_dot`) at least one `.`.
fn domain_end(text: &str, start: usize, needs_dot: bool) -> Option<usize> {
    let (mut dots, mut underscores_before, mut underscores) = (0, 0, 0);
    let mut end = text.len();
    let mut before = ' ';
    for (offset, c) in text[start..].char_indices() {
        let stop = match c {
            '_' => {
                underscores += 1;
                false
            }
            '.' => {
                underscores_before = underscores;
                underscores = 0;
                dots += 1;
                false
            }
            '-' => false,
            c => !is_host_char(c) || ends_address(before, c),
        };
        if stop {
            end = start + offset;
            break;
        }
        before = c;
    }
    let valid = underscores_before == 0 && underscores == 0 && (dots > 0 || !needs_dot);
    (valid && end > start).then_some(end)
}

/// Where an address whose domain ends at `domain_end` ends: at the next space, `<` or
/// [`ends_address`], less the trailing characters GFM leaves out.
fn address_end(text: &str, start: usize, domain_end: usize) -> usize {
    let mut end = text.len();
    let mut before = text[..domain_end].chars().next_back().unwrap_or(' ');
    for (offset, c) in text[domain_end..].char_indices() {
        if c.is_whitespace() || c == '<' || ends_address(before, c) {
            end = domain_end + offset;
            break;
        }
        before = c;
    }
    trim_end(text, start, end)
}

/// GFM's trailing-punctuation rule: `?!.,:*_~'"` never end an address, `;` ends one only when
/// it does not close something like `&hl;`, and a `)` only when it closes a `(` inside.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    // (opening, closing) parentheses in the address, counted once when first needed: trimming
    // only ever takes a `)` off, so the counts stay true (linear even for `x))))…`).
    let mut parentheses: Option<(usize, usize)> = None;
    while end > start {
        match bytes[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b';' => {
                let letters = bytes[start..end - 1]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                let amp = end - 1 - letters;
                end = if letters > 0 && amp > start && bytes[amp - 1] == b'&' {
                    amp - 1
                } else {
                    end - 1
                };
            }
            b')' => {
                let (opening, closing) = parentheses.get_or_insert_with(|| {
                    let link = &bytes[start..end];
                    let count = |p: u8| link.iter().filter(|b| **b == p).count();
                    (count(b'('), count(b')'))
                });
                if *closing <= *opening {
                    break;
                }
                *closing -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

/// An `http://`, `https://` or `ftp://` address whose `:` is at `colon`; its scheme may not
/// reach back before `from`, where the previous address ended.
fn url_at(text: &str, from: usize, colon: usize) -> Option<Found> {
    if !text[colon..].starts_with("://") {
        return None;
    }
    let letters = text.as_bytes()[from..colon]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let start = colon - letters;
    let scheme = &text[start..colon];
    if !["http", "https", "ftp"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s))
    {
        return None;
    }
    let host = colon + 3;
    if !text[host..].chars().next().is_some_and(is_host_char) {
        return None;
    }
    let end = address_end(text, start, domain_end(text, host, false)?);
    (end > host).then(|| Found {
        range: start..end,
        url: text[start..end].to_string(),
        email: false,
    })
}

/// A `www.` address starting at `start`, which must open the text or follow a space or one of
/// `*_~(`.
fn www_at(text: &str, start: usize) -> Option<Found> {
    if !text[start..].starts_with("www.") {
        return None;
    }
    if let Some(before) = text[..start].chars().next_back()
        && !(before.is_whitespace() || matches!(before, '*' | '_' | '~' | '('))
    {
        return None;
    }
    let end = address_end(text, start, domain_end(text, start, true)?);
    (end > start).then(|| Found {
        range: start..end,
        url: format!("http://{}", &text[start..end]),
        email: false,
    })
}

/// The e-mail addresses in `text[range]`: a local part of letters, digits and `.+-_`, one `@`,
/// and a domain of letters, digits, `-` and `_` with at least one `.`, ending in a letter.
fn emails(
    text: &str,
    range: Range<usize>,
    plain: &impl Fn(&Range<usize>) -> bool,
    out: &mut Vec<Found>,
) {
    let bytes = text.as_bytes();
    let mut pos = range.start;
    while let Some(found) = text[pos..range.end].find('@') {
        let at = pos + found;
        pos = at + 1;
        let local = bytes[range.start..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || b".+-_".contains(b))
            .count();
        let start = at - local;
        if local == 0 || (start > range.start && bytes[start - 1] == b'/') {
            continue;
        }
        let (mut ats, mut dots, mut end) = (0, 0, at);
        while end < range.end {
            match bytes[end] {
                b if b.is_ascii_alphanumeric() => {}
                // A second `@` makes the whole run no address: stop reading it.
                b'@' if ats > 0 => {
                    ats += 1;
                    break;
                }
                b'@' => ats += 1,
                b'.' if end + 1 < range.end && bytes[end + 1].is_ascii_alphanumeric() => dots += 1,
                b'-' | b'_' => {}
                _ => break,
            }
            end += 1;
        }
        let last = bytes[end - 1];
        if end - at < 2 || ats != 1 || dots == 0 || !(last.is_ascii_alphabetic() || last == b'.') {
            continue;
        }
        let end = trim_end(text, at, end);
        if end <= at + 1 || !plain(&(start..end)) {
            continue;
        }
        out.push(Found {
            range: start..end,
            // As for `<a@b.c>`, the HTML writer adds `mailto:`.
            url: text[start..end].to_string(),
            email: true,
        });
        pos = end;
    }
}
