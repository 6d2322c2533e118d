//! Front matter: the optional TOML (`+++`) or YAML (`---`) block at the top of a note, and the
//! dates it (or a `YYYY-MM-DD-` file-name prefix) gives. Unknown keys are ignored so notes moved
//! from Jekyll or Velog keep building; malformed blocks are errors with the file's own line.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// A calendar date (no time of day: notes are about days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, ignoring anything after the day (a time, a zone).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        if bytes.len() > 10 && !matches!(bytes[10], b' ' | b'T' | b't') {
            return None;
        }
        let number = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(r)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days).contains(&day)).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The date a file name starts with (`2020-09-26-pycon.md`).
    pub fn from_file_name(name: &str) -> Option<Date> {
        let prefix = name.get(..11)?;
        prefix
            .ends_with(['-', '_', ' '])
            .then(|| Date::parse(&prefix[..10]))?
    }

    /// `2020-09-26`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2020년 9월 26일`.
    pub fn korean(&self) -> String {
        format!("{}년 {}월 {}일", self.year, self.month, self.day)
    }
}

/// Which syntax a front matter block was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// What a note's front matter says. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub event: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub summary: Option<String>,
    /// Speakers of every session in the note (usually a note about one talk).
    pub speakers: Vec<String>,
    /// `[sessions] level`: which heading level holds the talks, overriding the guess.
    pub session_level: Option<u8>,
}

/// `[sessions]` in front matter.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSessions {
    level: Option<u8>,
}

/// The raw fields, before validation.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFrontMatter {
    title: Option<String>,
    date: Option<DateText>,
    event: Option<String>,
    location: Option<String>,
    tags: Option<StringList>,
    draft: Option<bool>,
    /// Jekyll's `published: false` means the same as `draft: true`.
    published: Option<bool>,
    slug: Option<String>,
    summary: Option<String>,
    speakers: Option<StringList>,
    speaker: Option<StringList>,
    sessions: Option<RawSessions>,
}

/// A note split into its front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// Byte offset of `body` in the whole text, so body positions map back to file lines.
    pub body_offset: usize,
}

/// Splits `text` (already decoded) into front matter and body, parsing the front matter.
/// `file` names the note in diagnostics.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let (syntax, fence) = if text.starts_with("+++") {
        (Syntax::Toml, "+++")
    } else if text.starts_with("---") {
        (Syntax::Yaml, "---")
    } else {
        return Ok(whole_body(text));
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != fence {
        // `---x` or `+++ ` followed by text: not a fence, just Markdown.
        return Ok(whole_body(text));
    }
    let block_start = (first_line_end + 1).min(text.len());
    let Some((block_end, body_offset)) = closing_fence(text, block_start, fence) else {
        if syntax == Syntax::Yaml && !looks_like_yaml(&text[block_start..]) {
            // A thematic break at the top of a note, not front matter.
            return Ok(whole_body(text));
        }
        return Err(Diagnostic::error(
            file,
            format!("front matter opened with `{fence}` is never closed"),
        )
        .at_offset(text, 0)
        .with_hint(format!(
            "add a line with only `{fence}` after the front matter"
        )));
    };
    let block = &text[block_start..block_end];
    let raw = match syntax {
        Syntax::Toml => toml::from_str::<RawFrontMatter>(block).map_err(|e| {
            let d = Diagnostic::error(
                file,
                format!("bad TOML front matter: {}", e.message().trim()),
            );
            match e.span() {
                Some(span) => d.at_offset(text, block_start + span.start),
                None => d.at_offset(text, block_start),
            }
        })?,
        Syntax::Yaml if block.trim().is_empty() => RawFrontMatter::default(),
        Syntax::Yaml => serde_saphyr::from_str::<RawFrontMatter>(block).map_err(|e| {
            let message = yaml_message(&e);
            let d = Diagnostic::error(file, format!("bad YAML front matter: {message}"));
            match e.location() {
                Some(loc) if loc.line() > 0 => {
                    let line = text[..block_start].matches('\n').count() + loc.line() as usize;
                    d.at_line_column(text, line, loc.column() as usize)
                }
                _ => d.at_offset(text, block_start),
            }
        })?,
    };
    let front_matter = validate(raw, text, block_start, block, file)?;
    Ok(Split {
        front_matter,
        body: &text[body_offset..],
        body_offset,
    })
}

fn whole_body(text: &str) -> Split<'_> {
    Split {
        front_matter: FrontMatter::default(),
        body: text,
        body_offset: 0,
    }
}

/// Finds the closing fence line: returns (end of the block, start of the body).
fn closing_fence(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
    let mut position = from;
    while position < text.len() {
        let line_end = text[position..]
            .find('\n')
            .map_or(text.len(), |i| position + i);
        if text[position..line_end].trim_end() == fence {
            return Some((position, (line_end + 1).min(text.len())));
        }
        position = line_end + 1;
    }
    None
}

/// A first line of `key: value` means the author meant YAML front matter.
fn looks_like_yaml(rest: &str) -> bool {
    let first = rest.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    first
        .split_once(':')
        .is_some_and(|(key, _)| !key.is_empty() && !key.contains(' '))
}

fn yaml_message(error: &serde_saphyr::Error) -> String {
    let full = error.to_string();
    let first = full.lines().next().unwrap_or(&full).trim();
    // Drop the " at line X, column Y" suffix the crate appends: the location is shown separately.
    first
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .trim()
        .to_string()
}

fn validate(
    raw: RawFrontMatter,
    text: &str,
    block_start: usize,
    block: &str,
    file: &str,
) -> Result<FrontMatter, Diagnostic> {
    let date = match raw.date {
        None => None,
        Some(DateText(value)) => Some(Date::parse(&value).ok_or_else(|| {
            let key = find_key(block, "date").map_or(block_start, |o| block_start + o);
            Diagnostic::error(file, format!("`{value}` is not a date"))
                .at_offset(text, key)
                .with_hint("write dates as YYYY-MM-DD, for example 2020-09-26")
        })?),
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let session_level = raw.sessions.and_then(|s| s.level);
    if let Some(level) = session_level.filter(|l| !(2..=3).contains(l)) {
        let key = find_key(block, "level").map_or(block_start, |o| block_start + o);
        return Err(
            Diagnostic::error(file, format!("sessions level {level} is not 2 or 3"))
                .at_offset(text, key)
                .with_hint("talks are `##` (level 2) or `###` (level 3) headings"),
        );
    }
    Ok(FrontMatter {
        title: clean(raw.title),
        date,
        event: clean(raw.event),
        location: clean(raw.location),
        tags: raw.tags.map(|t| t.0).unwrap_or_default(),
        draft: raw.draft.unwrap_or(false) || raw.published == Some(false),
        slug: clean(raw.slug),
        summary: clean(raw.summary),
        speakers: raw
            .speakers
            .into_iter()
            .chain(raw.speaker)
            .flat_map(|list| list.0)
            .collect(),
        session_level,
    })
}

/// Byte offset of the line that sets `key` in a front matter block.
fn find_key(block: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in block.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(['=', ':'])
        {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}

/// A date given as a string (YAML, TOML) or as a TOML date/datetime value.
struct DateText(String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2020-09-26")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let value: toml::value::Datetime =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(&mut map))?;
                Ok(DateText(value.to_string()))
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// Tags given as a list or as one comma-separated string.
struct StringList(Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of tags or a comma-separated string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                ))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut tags = Vec::new();
                while let Some(tag) = seq.next_element::<TagItem>()? {
                    let tag = tag.0.trim().to_string();
                    if !tag.is_empty() {
                        tags.push(tag);
                    }
                }
                Ok(StringList(tags))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// One tag: a string, or a number written without quotes (`tags: [2020]`).
struct TagItem(String);

impl<'de> Deserialize<'de> for TagItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl Visitor<'_> for ItemVisitor {
            type Value = TagItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter() {
        let text = "+++\ntitle = \"PyCon\"\ndate = 2020-09-26\ntags = [\"파이썬\", \"django\"]\n+++\n# 본문\n";
        let s = split(text, "a.md").unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("PyCon"));
        assert_eq!(s.front_matter.date, Date::parse("2020-09-26"));
        assert_eq!(s.front_matter.tags, ["파이썬", "django"]);
        assert_eq!(s.body, "# 본문\n");
    }

    #[test]
    fn yaml_front_matter_with_jekyll_keys() {
        let text = "---\nlayout: post\ntitle: \"DevFest\"\ndate: 2019-11-02 10:00:00 +0900\ntags: a, b\npublished: false\n---\nbody";
        let s = split(text, "a.md").unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("DevFest"));
        assert_eq!(s.front_matter.date.unwrap().korean(), "2019년 11월 2일");
        assert_eq!(s.front_matter.tags, ["a", "b"]);
        assert!(s.front_matter.draft);
        assert_eq!(s.body, "body");
    }

    #[test]
    fn no_front_matter_and_thematic_break() {
        assert_eq!(split("# 제목\n", "a.md").unwrap().body_offset, 0);
        let text = "---\n\n본문\n";
        assert_eq!(split(text, "a.md").unwrap().body, text);
    }

    #[test]
    fn broken_toml_names_the_file_line() {
        let text = "+++\ntitle = \"x\"\ndate = \n+++\n";
        let d = split(text, "notes/a.md").unwrap_err();
        assert_eq!(d.file, "notes/a.md");
        assert_eq!(d.line, 3, "{d}");
    }

    #[test]
    fn broken_yaml_names_the_file_line() {
        let text = "---\ntitle: ok\ntags: [a, b\n---\n";
        let d = split(text, "a.md").unwrap_err();
        assert!(d.line >= 3, "{d}");
        assert!(d.message.starts_with("bad YAML front matter"), "{d}");
    }

    #[test]
    fn unclosed_and_bad_date() {
        let d = split("+++\ntitle = \"x\"\n", "a.md").unwrap_err();
        assert!(d.message.contains("never closed"));
        let d = split("---\ntitle: x\ndate: 2020-13-01\n---\n", "a.md").unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.message.contains("not a date"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::from_file_name("2020-09-26-pycon.md").unwrap().iso(),
            "2020-09-26"
        );
        assert_eq!(Date::from_file_name("pycon.md"), None);
        assert_eq!(Date::parse("2021-02-29"), None);
        assert!(Date::parse("2020-02-29").is_some());
    }
}
