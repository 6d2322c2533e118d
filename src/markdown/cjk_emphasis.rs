//! CJK-friendly emphasis (tats-u/markdown-cjk-friendly, commonmark-spec issue 650) as a pass over
//! pulldown-cmark's events. Plain CommonMark leaves `**파이썬(Python)**으로` and `**"인용"**은`
//! as literal asterisks because a run next to punctuation on one side and a letter on the other
//! does not flank. The amended rule treats Hangul and other CJK characters like whitespace or
//! punctuation there.
//!
//! The pass looks at every delimiter run of an inline container: the ones the parser left as
//! text and the ones it already matched into emphasis. Where the amended rule changes some run's
//! ability to open or close, the container's emphasis is matched again from scratch, so
//! `**C#**이나**F#**은` pairs as a reader expects instead of nesting around the parser's pair.
//! Containers the rule does not change pass through untouched, so Latin-only text renders
//! exactly as plain pulldown-cmark renders it. Source offsets tell a real delimiter from an
//! escaped `\*` or an entity such as `&ast;`. Everything lives behind [`apply`], to be swapped
//! for the parser's own option once a release has one.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// One event with its source range, as pulldown-cmark's offset iterator yields it.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// Applies the CJK-friendly emphasis rule to `events` parsed from `source`.
pub fn apply<'a>(source: &str, events: Vec<Spanned<'a>>) -> Vec<Spanned<'a>> {
    if !source.bytes().any(|b| b == b'*' || b == b'_') {
        return events;
    }
    let runs = find_runs(source, &events);
    if runs.is_empty() {
        return events;
    }
    let mut outputs: Vec<Option<RunOutput>> = vec![None; runs.len()];
    // A group's runs need not lie together: a link or strikethrough between two of them holds
    // runs of its own.
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (index, run) in runs.iter().enumerate() {
        groups.entry(run.group).or_default().push(index);
    }
    for members in groups.values() {
        if members.iter().all(|&i| runs[i].cjk == runs[i].plain) {
            continue;
        }
        let group: Vec<&Run> = members.iter().map(|&i| &runs[i]).collect();
        for (&i, output) in members.iter().zip(match_delimiters(&group)) {
            outputs[i] = Some(output);
        }
    }
    if outputs.iter().all(Option::is_none) {
        return events;
    }
    rebuild(source, events, &runs, &outputs)
}

/// Whether a delimiter run can open and close emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flanking {
    open: bool,
    close: bool,
}

/// A run of `*` or `_`: literal text, delimiters of emphasis the parser matched, or both.
#[derive(Debug)]
struct Run {
    /// Runs in the same group sit in the same inline container and may pair up.
    group: usize,
    delimiter: char,
    /// (event index, offset in that event's delimiters) of each character.
    chars: Vec<(usize, usize)>,
    /// Where the run lies in the source.
    span: Range<usize>,
    plain: Flanking,
    cjk: Flanking,
}

/// What a run turns into: closing tags, the unmatched characters, then opening tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RunOutput {
    closes: Vec<bool>,
    literal: usize,
    opens: Vec<bool>,
}

fn is_block(tag: &TagEnd) -> bool {
    !super::is_inline_end(*tag)
}

fn is_block_start(tag: &Tag) -> bool {
    is_block(&tag.to_end())
}

/// The delimiter characters an event stands for, as (source offset of each, the characters):
/// a text's real `*` and `_`, or the delimiters of emphasis the parser matched.
fn delimiters<'s>(source: &'s str, event: &Spanned<'_>) -> Option<(Range<usize>, &'s str)> {
    let (event, range) = event;
    let tag = |width: usize, start: usize| {
        let text = source.get(start..start + width)?;
        text.bytes()
            .all(|b| b == b'*' || b == b'_')
            .then_some((start..start + width, text))
    };
    match event {
        Event::Text(text) if text.bytes().any(|b| b == b'*' || b == b'_') => {
            // An entity or other rewritten text holds no delimiters.
            let written = source.get(range.clone())?;
            (written == text.as_ref()).then(|| (range.clone(), written))
        }
        Event::Start(Tag::Emphasis) => tag(1, range.start),
        Event::Start(Tag::Strong) => tag(2, range.start),
        Event::End(TagEnd::Emphasis) => tag(1, range.end.checked_sub(1)?),
        Event::End(TagEnd::Strong) => tag(2, range.end.checked_sub(2)?),
        _ => None,
    }
}

fn find_runs(source: &str, events: &[Spanned<'_>]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut group = 0;
    let mut next_group = 1;
    let mut in_code = 0usize;
    // The last delimiter character seen: (group, char, source offset, event index).
    let mut last: Option<(usize, char, usize, usize)> = None;
    for (index, spanned) in events.iter().enumerate() {
        match &spanned.0 {
            // Emphasis is no container: its delimiters pair with their neighbours'.
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong) => {}
            Event::Start(tag) => {
                if matches!(tag, Tag::CodeBlock(_) | Tag::MetadataBlock(_)) {
                    in_code += 1;
                }
                stack.push(group);
                group = next_group;
                next_group += 1;
                continue;
            }
            Event::End(tag) => {
                if matches!(tag, TagEnd::CodeBlock | TagEnd::MetadataBlock(_)) {
                    in_code = in_code.saturating_sub(1);
                }
                group = stack.pop().unwrap_or(0);
                if is_block(tag) {
                    group = next_group;
                    next_group += 1;
                }
                continue;
            }
            _ if in_code > 0 => continue,
            _ => {}
        }
        let Some((range, text)) = delimiters(source, spanned) else {
            continue;
        };
        for (offset, c) in text.char_indices() {
            if c != '*' && c != '_' {
                continue;
            }
            let at = range.start + offset;
            if escaped(source, at) {
                last = None;
                continue;
            }
            let continues = matches!(last, Some((g, d, s, e))
                if g == group && d == c && s + 1 == at && index - e <= 1);
            if continues {
                let run = runs.last_mut().unwrap();
                run.chars.push((index, offset));
                run.span.end = at + 1;
            } else {
                let none = Flanking {
                    open: false,
                    close: false,
                };
                runs.push(Run {
                    group,
                    delimiter: c,
                    chars: vec![(index, offset)],
                    span: at..at + 1,
                    plain: none,
                    cjk: none,
                });
            }
            last = Some((group, c, at, index));
        }
    }
    for run in &mut runs {
        let sides = neighbours(source, events, run);
        run.plain = flanking(run.delimiter, sides, false);
        run.cjk = flanking(run.delimiter, sides, true);
    }
    runs
}

/// Whether the character at `at` is preceded by an odd number of backslashes.
fn escaped(source: &str, at: usize) -> bool {
    source.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count()
        % 2
        == 1
}

/// What surrounds a run: the two characters before it (nearest first) and the one after;
/// `None` stands for a line boundary.
#[derive(Debug, Clone, Copy)]
struct Sides {
    before: Option<char>,
    before_that: Option<char>,
    after: Option<char>,
}

fn neighbours(source: &str, events: &[Spanned<'_>], run: &Run) -> Sides {
    let boundary = |event: Option<&Spanned<'_>>| match event {
        None => true,
        Some((Event::SoftBreak | Event::HardBreak, _)) => true,
        Some((Event::Start(tag), _)) => is_block_start(tag),
        Some((Event::End(tag), _)) => is_block(tag),
        _ => false,
    };
    let (first_event, first_offset) = run.chars[0];
    let (last_event, last_offset) = *run.chars.last().unwrap();
    let mut back = source[..run.span.start].chars().rev();
    let (before, before_that) =
        if first_offset == 0 && boundary(first_event.checked_sub(1).map(|i| &events[i])) {
            (None, None)
        } else {
            (back.next(), back.next())
        };
    let last_len = delimiters(source, &events[last_event]).map_or(0, |(r, _)| r.len());
    let after = if last_offset + 1 == last_len && boundary(events.get(last_event + 1)) {
        None
    } else {
        source[run.span.end..].chars().next()
    };
    Sides {
        before,
        before_that,
        after,
    }
}

/// The variation selectors of the amended spec that may follow a CJK character or punctuation
/// without changing its class (U+FE0F asks for an emoji, so it is not one of them).
fn is_text_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0E}')
}

/// Ideographic variation selectors (U+E0100–U+E01EF), written after a CJK ideograph.
fn is_ideographic_variation_selector(c: char) -> bool {
    matches!(c, '\u{E0100}'..='\u{E01EF}')
}

fn flanking(delimiter: char, sides: Sides, cjk: bool) -> Flanking {
    let Sides {
        before,
        before_that,
        after,
    } = sides;
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(is_punctuation);
    let (left, right, punct_before) = if cjk {
        // A character with a variation selector after it counts as that character.
        let selected = before.is_some_and(is_text_variation_selector);
        let base = if selected { before_that } else { before };
        // `“︁` and friends ask for the full-width (CJK) form of ambiguous quotation marks.
        let full_width_quote = selected
            && before == Some('\u{FE01}')
            && matches!(
                base,
                Some('\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
            );
        let other_punct = |c: Option<char>| c.is_some_and(|c| is_punctuation(c) && !is_cjk(c));
        let other_punct_before = other_punct(base) && !full_width_quote;
        let cjk_before = base.is_some_and(is_cjk)
            || full_width_quote
            || before.is_some_and(is_ideographic_variation_selector);
        let left = !space(after)
            && (!other_punct(after) || space(before) || other_punct_before || cjk_before);
        let right = !space(before)
            && (!other_punct_before
                || space(after)
                || other_punct(after)
                || after.is_some_and(is_cjk));
        (left, right, punct(base))
    } else {
        (
            !space(after) && (!punct(after) || space(before) || punct(before)),
            !space(before) && (!punct(before) || space(after) || punct(after)),
            punct(before),
        )
    };
    if delimiter == '*' {
        Flanking {
            open: left,
            close: right,
        }
    } else {
        Flanking {
            open: left && (!right || punct_before),
            close: right && (!left || punct(after)),
        }
    }
}

/// Unicode punctuation as CommonMark 0.31 means it (general categories P and S), approximated
/// without tables: anything that is not a letter, digit, space, control or combining mark.
pub(super) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    !(c.is_alphanumeric()
        || c.is_whitespace()
        || c.is_control()
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xE0100..=0xE01EF))
}

/// CJK characters of the amended spec (Unicode 17): East Asian Wide, Fullwidth and Halfwidth
/// code points that are not emoji by default, and all of Hangul. The ranges are the spec's own
/// list (`ranges.md` of tats-u/markdown-cjk-friendly).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x20A9             // won sign (halfwidth)
        | 0x2329..=0x232A    // angle brackets
        | 0x2630..=0x2637 | 0x268A..=0x268F // trigrams, monograms
        | 0x2E80..=0x2E99 | 0x2E9B..=0x2EF3 | 0x2F00..=0x2FD5 // radicals
        | 0x2FF0..=0x303E    // ideographic description, CJK symbols and punctuation
        | 0x3041..=0x3096 | 0x3099..=0x30FF // kana
        | 0x3105..=0x312F | 0x3131..=0x318E // bopomofo, Hangul compatibility jamo
        | 0x3190..=0x31E5 | 0x31EF..=0x321E | 0x3220..=0x3247 // kanbun, strokes, enclosed
        | 0x3250..=0xA48C    // enclosed, compatibility, extension A, unified ideographs, Yi
        | 0xA490..=0xA4C6    // Yi radicals
        | 0xA960..=0xA97C    // Hangul Jamo extended A
        | 0xAC00..=0xD7A3    // Hangul syllables
        | 0xD7B0..=0xD7C6 | 0xD7CB..=0xD7FB // Hangul Jamo extended B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE52 | 0xFE54..=0xFE66 | 0xFE68..=0xFE6B // forms
        | 0xFF01..=0xFFBE | 0xFFC2..=0xFFC7 | 0xFFCA..=0xFFCF | 0xFFD2..=0xFFD7
        | 0xFFDA..=0xFFDC | 0xFFE0..=0xFFE6 | 0xFFE8..=0xFFEE // halfwidth and fullwidth forms
        | 0x16FE0..=0x16FE4 | 0x16FF0..=0x16FF6 // ideographic symbols
        | 0x17000..=0x18CD5 | 0x18CFF..=0x18D1E | 0x18D80..=0x18DF2 // Tangut, Khitan
        | 0x1AFF0..=0x1AFF3 | 0x1AFF5..=0x1AFFB | 0x1AFFD..=0x1AFFE // kana extended B
        | 0x1B000..=0x1B122 | 0x1B132 | 0x1B150..=0x1B152 | 0x1B155
        | 0x1B164..=0x1B167 | 0x1B170..=0x1B2FB // kana supplement, Nushu
        | 0x1D300..=0x1D356 | 0x1D360..=0x1D376 // Tai Xuan Jing, counting rods
        | 0x1F200 | 0x1F202 | 0x1F210..=0x1F219 | 0x1F21B..=0x1F22E
        | 0x1F230..=0x1F231 | 0x1F237 | 0x1F23B | 0x1F240..=0x1F248
        | 0x1F260..=0x1F265  // enclosed ideographic supplement, but its emoji
        | 0x20000..=0x3FFFD) // CJK extensions B and later
}

/// CommonMark's "process emphasis" over the runs of one group, with the CJK-friendly flanking.
fn match_delimiters(runs: &[&Run]) -> Vec<RunOutput> {
    let mut remaining: Vec<usize> = runs.iter().map(|r| r.chars.len()).collect();
    let mut outputs: Vec<RunOutput> = vec![RunOutput::default(); runs.len()];
    // Runs that may still open, innermost last: a match drops every opener above the one it
    // uses (they lie between the pair), as CommonMark's delimiter stack does.
    let mut openers: Vec<usize> = Vec::new();
    // How far down the stack a closer of each kind (delimiter, length mod 3, can open) already
    // looked in vain: openers below stay unusable for it, so no closer scans them again and
    // the pass stays linear on long lines.
    let mut bottom = [0usize; 12];
    let kind = |r: &Run| {
        usize::from(r.delimiter == '_') * 6 + (r.chars.len() % 3) * 2 + usize::from(r.cjk.open)
    };
    for closer in 0..runs.len() {
        if runs[closer].cjk.close {
            while remaining[closer] > 0 {
                let floor = bottom[kind(runs[closer])].min(openers.len());
                let found = (floor..openers.len()).rev().find(|&k| {
                    let o = openers[k];
                    runs[o].delimiter == runs[closer].delimiter && !odd_match(runs[o], runs[closer])
                });
                let Some(k) = found else {
                    bottom[kind(runs[closer])] = openers.len();
                    break;
                };
                let opener = openers[k];
                openers.truncate(k + 1);
                let strong = remaining[opener] >= 2 && remaining[closer] >= 2;
                let used = if strong { 2 } else { 1 };
                remaining[opener] -= used;
                remaining[closer] -= used;
                outputs[opener].opens.push(strong);
                outputs[closer].closes.push(strong);
                if remaining[opener] == 0 {
                    openers.pop();
                }
                for floor in &mut bottom {
                    *floor = (*floor).min(openers.len());
                }
            }
        }
        if runs[closer].cjk.open && remaining[closer] > 0 {
            openers.push(closer);
        }
    }
    for (output, remaining) in outputs.iter_mut().zip(remaining) {
        output.literal = remaining;
        output.opens.reverse(); // matched innermost first; open outermost first
    }
    outputs
}

/// CommonMark's "multiple of 3" rule for runs that can both open and close.
fn odd_match(opener: &Run, closer: &Run) -> bool {
    let (a, b) = (opener.chars.len(), closer.chars.len());
    (opener.cjk.close || closer.cjk.open) && (a + b) % 3 == 0 && !(a % 3 == 0 && b % 3 == 0)
}

fn rebuild<'a>(
    source: &str,
    events: Vec<Spanned<'a>>,
    runs: &[Run],
    outputs: &[Option<RunOutput>],
) -> Vec<Spanned<'a>> {
    // (event, offset in its delimiters) → Some(run index) for a run's first character, None
    // for the others.
    let mut marks: std::collections::BTreeMap<(usize, usize), Option<usize>> = Default::default();
    for (index, run) in runs.iter().enumerate() {
        if outputs[index].is_none() {
            continue;
        }
        for (position, key) in run.chars.iter().enumerate() {
            marks.insert(*key, (position == 0).then_some(index));
        }
    }
    let mut result = Vec::with_capacity(events.len() + marks.len());
    for (index, spanned) in events.into_iter().enumerate() {
        let touched: Vec<(usize, Option<usize>)> = marks
            .range((index, 0)..(index + 1, 0))
            .map(|((_, offset), run)| (*offset, *run))
            .collect();
        if touched.is_empty() {
            result.push(spanned);
            continue;
        }
        // A text with delimiters in it, or a tag of emphasis matched again: both are rebuilt
        // from their characters.
        let Some((span, text)) = delimiters(source, &spanned) else {
            result.push(spanned);
            continue;
        };
        // Every event written here gets the source range of exactly what it stands for: a
        // text its characters, a tag its delimiters.
        let mut plain = String::new();
        let mut plain_start = span.start;
        let flush = |plain: &mut String, start: usize, result: &mut Vec<Spanned<'a>>| {
            if !plain.is_empty() {
                let end = start + plain.len();
                result.push((Event::Text(CowStr::from(std::mem::take(plain))), start..end));
            }
        };
        let mut marks = touched.into_iter().peekable();
        for (offset, c) in text.char_indices() {
            match marks.peek() {
                Some(&(at, run)) if at == offset => {
                    marks.next();
                    let Some(run) = run else { continue };
                    flush(&mut plain, plain_start, &mut result);
                    let output = outputs[run].as_ref().unwrap();
                    let mut at = runs[run].span.start;
                    let mut take = |width: usize| {
                        at += width;
                        at - width..at
                    };
                    for &strong in &output.closes {
                        let (end, width) = if strong {
                            (TagEnd::Strong, 2)
                        } else {
                            (TagEnd::Emphasis, 1)
                        };
                        result.push((Event::End(end), take(width)));
                    }
                    let literal = take(output.literal);
                    plain.extend(std::iter::repeat_n(runs[run].delimiter, output.literal));
                    flush(&mut plain, literal.start, &mut result);
                    for &strong in &output.opens {
                        let (start, width) = if strong {
                            (Tag::Strong, 2)
                        } else {
                            (Tag::Emphasis, 1)
                        };
                        result.push((Event::Start(start), take(width)));
                    }
                }
                _ => {
                    if plain.is_empty() {
                        plain_start = span.start + offset;
                    }
                    plain.push(c);
                }
            }
        }
        flush(&mut plain, plain_start, &mut result);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matching rule written the obvious way (each closer scans every earlier run), to
    /// check the stack-based matcher against.
    fn reference_match(runs: &[&Run]) -> Vec<RunOutput> {
        let mut remaining: Vec<usize> = runs.iter().map(|r| r.chars.len()).collect();
        let mut active = vec![true; runs.len()];
        let mut outputs: Vec<RunOutput> = vec![RunOutput::default(); runs.len()];
        for closer in 0..runs.len() {
            if !runs[closer].cjk.close {
                continue;
            }
            while remaining[closer] > 0 {
                let opener = (0..closer).rev().find(|&o| {
                    active[o]
                        && remaining[o] > 0
                        && runs[o].cjk.open
                        && runs[o].delimiter == runs[closer].delimiter
                        && !odd_match(runs[o], runs[closer])
                });
                let Some(opener) = opener else {
                    break;
                };
                let strong = remaining[opener] >= 2 && remaining[closer] >= 2;
                let used = if strong { 2 } else { 1 };
                remaining[opener] -= used;
                remaining[closer] -= used;
                outputs[opener].opens.push(strong);
                outputs[closer].closes.push(strong);
                for between in &mut active[opener + 1..closer] {
                    *between = false;
                }
            }
        }
        for (output, remaining) in outputs.iter_mut().zip(remaining) {
            output.literal = remaining;
            output.opens.reverse();
        }
        outputs
    }

    #[test]
    fn the_stack_matcher_agrees_with_the_obvious_one() {
        // A small deterministic generator: every mix of delimiter, length and flanking.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..3000 {
            let count = 1 + next(14) as usize;
            let runs: Vec<Run> = (0..count)
                .map(|_| {
                    let flanking = Flanking {
                        open: next(2) == 0,
                        close: next(2) == 0,
                    };
                    Run {
                        group: 0,
                        delimiter: if next(3) == 0 { '_' } else { '*' },
                        chars: vec![(0, 0); 1 + next(4) as usize],
                        span: 0..0,
                        plain: flanking,
                        cjk: flanking,
                    }
                })
                .collect();
            let runs: Vec<&Run> = runs.iter().collect();
            assert_eq!(match_delimiters(&runs), reference_match(&runs), "{runs:?}");
        }
    }
    use pulldown_cmark::{Options, Parser, html};

    fn render(source: &str, cjk: bool) -> String {
        let events: Vec<_> = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH)
            .into_offset_iter()
            .collect();
        let events = if cjk { apply(source, events) } else { events };
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn korean_particles_after_emphasis() {
        let cases = [
            ("**\"인용\"**은", "<p><strong>\"인용\"</strong>은</p>\n"),
            (
                "**파이썬(Python)**으로",
                "<p><strong>파이썬(Python)</strong>으로</p>\n",
            ),
            (
                "**[링크](u)**를",
                "<p><strong><a href=\"u\">링크</a></strong>를</p>\n",
            ),
            ("**강조**는", "<p><strong>강조</strong>는</p>\n"),
            ("*\"기울임\"*을 본다", "<p><em>\"기울임\"</em>을 본다</p>\n"),
            (
                "***분리*** 하자",
                "<p><em><strong>분리</strong></em> 하자</p>\n",
            ),
            (
                "이것은 **`npm publish`**를 실행",
                "<p>이것은 <strong><code>npm publish</code></strong>를 실행</p>\n",
            ),
            ("앞**(괄호)**뒤", "<p>앞<strong>(괄호)</strong>뒤</p>\n"),
            // Runs the parser had already paired the other way round are paired again.
            (
                "**C#**이나**F#**은",
                "<p><strong>C#</strong>이나<strong>F#</strong>은</p>\n",
            ),
            (
                "**[가](x)**와**[나](y)**를",
                "<p><strong><a href=\"x\">가</a></strong>와<strong><a href=\"y\">나</a></strong>를</p>\n",
            ),
            // A group's runs around a container with runs of its own pair with each other.
            ("*~~취소~~가*|", "<p><em><del>취소</del>가</em>|</p>\n"),
            (
                "**[a_b](u)가**|",
                "<p><strong><a href=\"u\">a_b</a>가</strong>|</p>\n",
            ),
            (
                "*C#*이나 **F#**은",
                "<p><em>C#</em>이나 <strong>F#</strong>은</p>\n",
            ),
            (
                "- **파이썬(Python)**으로\n- 둘째",
                "<ul>\n<li><strong>파이썬(Python)</strong>으로</li>\n<li>둘째</li>\n</ul>\n",
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(render(source, true), expected, "{source}");
        }
    }

    #[test]
    fn plain_commonmark_leaves_them_literal() {
        assert_eq!(
            render("**파이썬(Python)**으로", false),
            "<p>**파이썬(Python)**으로</p>\n"
        );
    }

    #[test]
    fn what_must_stay_literal() {
        let cases = [
            ("_헬름 소개_에", "<p>_헬름 소개_에</p>\n"),
            // The escaped `*` is text; the remaining `*` and `**` fail CommonMark's rule of 3.
            (
                "\\**파이썬(Python)**으로",
                "<p>**파이썬(Python)**으로</p>\n",
            ),
            (
                "**파이썬(Python)\\**으로",
                "<p>**파이썬(Python)**으로</p>\n",
            ),
            (
                "&ast;&ast;파이썬(Python)**으로",
                "<p>**파이썬(Python)**으로</p>\n",
            ),
            (
                "`**파이썬(Python)**으로`",
                "<p><code>**파이썬(Python)**으로</code></p>\n",
            ),
            (
                "```\n**파이썬(Python)**으로\n```",
                "<pre><code>**파이썬(Python)**으로\n</code></pre>\n",
            ),
            ("** 공백(x)**은", "<p>** 공백(x)**은</p>\n"),
        ];
        for (source, expected) in cases {
            assert_eq!(render(source, true), expected, "{source}");
        }
    }

    #[test]
    fn emphasis_cannot_cross_links_or_lines_of_blocks() {
        assert_eq!(
            render("[**파이썬(x)](u)**으로", true),
            "<p><a href=\"u\">**파이썬(x)</a>**으로</p>\n"
        );
        assert_eq!(
            render("**파이썬(x)\n\n**으로", true),
            "<p>**파이썬(x)</p>\n<p>**으로</p>\n"
        );
    }
}
