//! Front matter: the optional TOML (`+++`) or YAML (`---`) block at the top of a note, and the
//! dates it (or a `YYYY-MM-DD-` file-name prefix) gives. Unknown keys are ignored so notes moved
//! from Jekyll or Velog keep building; malformed blocks are errors with the file's own line.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::detect::Override;
use crate::diagnostics::Diagnostic;

/// A calendar date (no time of day: notes are about days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, and the same with `/` or `.` between the parts, one-digit months
    /// and days, or Korean style (`2021년 12월 17일`), ignoring a time or zone after the day.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let (year, rest) = date_part(text, 4..=4)?;
        // The same separator twice (`2021/12/17`, not `2021/12-17`), or `년` then `월`.
        let (first, second) = if rest.starts_with('년') {
            ("년", "월")
        } else if rest.starts_with(['-', '/', '.']) {
            (&rest[..1], &rest[..1])
        } else {
            return None;
        };
        let (month, rest) = date_part(rest[first.len()..].trim_start_matches(' '), 1..=2)?;
        let (day, rest) = date_part(rest.strip_prefix(second)?.trim_start_matches(' '), 1..=2)?;
        // `17일`, `2021.12.17.`
        let rest = match rest.strip_prefix(['일', '.']) {
            Some(after) => after.trim_start_matches(' '),
            None => rest,
        };
        if !(rest.is_empty() || rest_is_time(rest)) {
            return None;
        }
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
}

/// The number a part of a date starts with, when it has as many digits as `digits` allows, and
/// the rest.
fn date_part(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<(u32, &str)> {
    let count = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !digits.contains(&count) {
        return None;
    }
    Some((text[..count].parse().ok()?, &text[count..]))
}

/// Whether what follows a date is a time of day or a zone (`T10:00:00+09:00`, ` 10:00 +0900`).
fn rest_is_time(rest: &str) -> bool {
    rest.strip_prefix(['T', 't', ' '])
        .is_some_and(|time| time.trim_start().starts_with(|c: char| c.is_ascii_digit()))
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
    /// `sessions`: where the talks are, overriding detection (`false`, or `level`/`under`).
    pub sessions: Option<Override>,
    /// Earlier addresses of the note (`/old-slug/`), each given a page that redirects here.
    pub aliases: Vec<String>,
}

/// `sessions` in front matter: `false`, or a table with `level` or `under`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawSessions {
    Switch(bool),
    Table {
        #[serde(default)]
        level: Option<u8>,
        #[serde(default)]
        under: Option<String>,
    },
}

/// A field read leniently: a value of another shape than hugi reads keeps its error, so that
/// the note still builds and the key is reported and ignored.
struct Lenient<T>(Result<T, String>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Lenient(T::deserialize(value).map_err(|e| e.to_string())))
    }
}

/// The raw fields, before validation.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFrontMatter {
    title: Option<Lenient<String>>,
    date: Option<Lenient<DateText>>,
    event: Option<Lenient<String>>,
    location: Option<Lenient<String>>,
    tags: Option<Lenient<StringList>>,
    draft: Option<Lenient<bool>>,
    /// Jekyll's `published: false` means the same as `draft: true`.
    published: Option<Lenient<bool>>,
    slug: Option<Lenient<String>>,
    summary: Option<Lenient<String>>,
    speakers: Option<Lenient<PeopleList>>,
    speaker: Option<Lenient<PeopleList>>,
    sessions: Option<Lenient<RawSessions>>,
    aliases: Option<Lenient<StringList>>,
}

/// A note split into its front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// Byte offset of `body` in the whole text, so body positions map back to file lines.
    pub body_offset: usize,
    /// Keys of a shape hugi does not read, and dates it cannot read: reported, then ignored.
    pub warnings: Vec<Diagnostic>,
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
    let (front_matter, warnings) = validate(raw, text, block_start, block, file)?;
    Ok(Split {
        front_matter,
        body: &text[body_offset..],
        body_offset,
        warnings,
    })
}

fn whole_body(text: &str) -> Split<'_> {
    Split {
        front_matter: FrontMatter::default(),
        body: text,
        body_offset: 0,
        warnings: Vec::new(),
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
    // Drop the "error: line X column Y: " the crate puts first and the " at line X, column Y"
    // it may append: its lines count from the front matter's first line, not the file's, and
    // the location is shown separately anyway.
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(place, _)| place.contains("column"))
        .map_or(first, |(_, message)| message);
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
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let mut fields = Fields {
        text,
        block,
        block_start,
        file,
        warnings: Vec::new(),
    };
    let title = fields.take("title", raw.title);
    let date_text = fields.take("date", raw.date);
    let event = fields.take("event", raw.event);
    let location = fields.take("location", raw.location);
    let tags = fields.take("tags", raw.tags);
    let draft = fields.take("draft", raw.draft);
    let published = fields.take("published", raw.published);
    let slug = fields.take("slug", raw.slug);
    let summary = fields.take("summary", raw.summary);
    let speakers = fields.take("speakers", raw.speakers);
    let speaker = fields.take("speaker", raw.speaker);
    let sessions = fields.take("sessions", raw.sessions);
    let aliases = fields.take("aliases", raw.aliases);
    let at_key = |key: &str| find_key(block, key).map_or(block_start, |o| block_start + o);
    let mut warnings = fields.warnings;
    let date = date_text.and_then(|DateText(value): DateText| {
        let date = Date::parse(&value);
        if date.is_none() {
            warnings.push(
                Diagnostic::warning(
                    file,
                    format!("`{value}` is not a date hugi reads; it is ignored"),
                )
                .at_offset(text, at_key("date"))
                .with_hint("write dates as YYYY-MM-DD, for example 2020-09-26"),
            );
        }
        date
    });
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let sessions = match sessions {
        None => None,
        Some(RawSessions::Switch(false)) => Some(Override::Off),
        Some(RawSessions::Switch(true)) => Some(Override::Detect),
        Some(RawSessions::Table {
            under: Some(under), ..
        }) => Some(Override::Under(under)),
        Some(RawSessions::Table {
            level: Some(level), ..
        }) if (1..=4).contains(&level) => Some(Override::Level(level)),
        Some(RawSessions::Table {
            level: Some(level), ..
        }) => {
            return Err(Diagnostic::error(
                file,
                format!("sessions level {level} is not between 1 and 4"),
            )
            .at_offset(text, at_key("level"))
            .with_hint("talks are headings of level 1 (`#`) to 4 (`####`)"));
        }
        Some(RawSessions::Table { .. }) => None,
    };
    let front_matter = FrontMatter {
        title: clean(title),
        date,
        event: clean(event),
        location: clean(location),
        tags: tags.map(|t| t.0).unwrap_or_default(),
        draft: draft.unwrap_or(false) || published == Some(false),
        slug: clean(slug),
        summary: clean(summary),
        speakers: speakers
            .into_iter()
            .chain(speaker)
            .flat_map(|list| list.0)
            .collect(),
        sessions,
        aliases: aliases.map(|a| a.0).unwrap_or_default(),
    };
    Ok((front_matter, warnings))
}

/// The front matter's fields as they are taken out of their lenient form.
struct Fields<'a> {
    text: &'a str,
    block: &'a str,
    block_start: usize,
    file: &'a str,
    warnings: Vec<Diagnostic>,
}

impl Fields<'_> {
    /// The value of `key`, or `None` with a warning when it has a shape hugi does not read.
    fn take<T>(&mut self, key: &str, field: Option<Lenient<T>>) -> Option<T> {
        match field?.0 {
            Ok(value) => Some(value),
            Err(error) => {
                let at =
                    find_key(self.block, key).map_or(self.block_start, |o| self.block_start + o);
                self.warnings.push(
                    Diagnostic::warning(
                        self.file,
                        format!(
                            "front-matter `{key}` is not in a shape hugi reads ({error}); it is ignored"
                        ),
                    )
                    .at_offset(self.text, at),
                );
                None
            }
        }
    }
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
            // A TOML date arrives as a map of one entry holding its text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let (_, value): (String, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("an empty date"))?;
                Ok(DateText(value))
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

/// Speakers: one name, a comma-separated string, or a list of names or of maps with a `name`
/// (and an `org` or `affiliation`, which is not part of the name).
struct PeopleList(Vec<String>);

impl<'de> Deserialize<'de> for PeopleList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Person {
            Name(String),
            Map { name: String },
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum People {
            One(Person),
            Many(Vec<Person>),
        }
        let names = match People::deserialize(deserializer)? {
            People::One(Person::Name(text)) => text.split(',').map(String::from).collect(),
            People::One(Person::Map { name }) => vec![name],
            People::Many(list) => list
                .into_iter()
                .map(|p| match p {
                    Person::Name(name) | Person::Map { name } => name,
                })
                .collect(),
        };
        Ok(PeopleList(
            names
                .into_iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect(),
        ))
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
        assert_eq!(s.front_matter.date.unwrap().iso(), "2019-11-02");
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
        assert!(
            !d.message.contains("line "),
            "one place, the file's line, not the block's: {d}"
        );
    }

    #[test]
    fn unclosed_and_bad_date() {
        let d = split("+++\ntitle = \"x\"\n", "a.md").unwrap_err();
        assert!(d.message.contains("never closed"));
        let s = split("---\ntitle: x\ndate: 2020-13-01\n---\n", "a.md").unwrap();
        assert_eq!(s.front_matter.date, None);
        assert_eq!(s.front_matter.title.as_deref(), Some("x"));
        assert_eq!(s.warnings[0].line, 3);
        assert!(s.warnings[0].message.contains("not a date"));
    }

    #[test]
    fn keys_of_other_shapes_are_warnings() {
        let text = "---\ntitle: 발표\nspeakers:\n  - name: 김호성\n    org: 회사\n  - 이지은\ntags: {a: 1}\nsessions: false\n---\n";
        let s = split(text, "a.md").unwrap();
        assert_eq!(s.front_matter.speakers, ["김호성", "이지은"]);
        assert_eq!(s.front_matter.tags, Vec::<String>::new());
        assert_eq!(s.front_matter.sessions, Some(Override::Off));
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].line, 7);
        assert!(s.warnings[0].message.contains("`tags`"));
        let s = split("+++\n[sessions]\nunder = \"발표세션\"\n+++\n", "a.md").unwrap();
        assert_eq!(
            s.front_matter.sessions,
            Some(Override::Under("발표세션".into()))
        );
        let s = split("+++\nsessions = { level = 4 }\n+++\n", "a.md").unwrap();
        assert_eq!(s.front_matter.sessions, Some(Override::Level(4)));
        assert!(split("+++\nsessions = { level = 5 }\n+++\n", "a.md").is_err());
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
        for written in [
            "2021-12-17",
            "2021/12/17",
            "2021.12.17",
            "2021.12.17.",
            "2021-12-17T10:00:00+09:00",
            "2021-12-17 10:00:00 +0900",
            "2021년 12월 17일",
            "2021년12월17일",
        ] {
            assert_eq!(
                Date::parse(written).map(|d| d.iso()),
                Some("2021-12-17".into()),
                "{written}"
            );
        }
        assert_eq!(Date::parse("2021/1/5").unwrap().iso(), "2021-01-05");
        for wrong in [
            "2021-13-01",
            "21-12-17",
            "2021-12-17x",
            "2021-12",
            "2021/12-17",
            "어제",
        ] {
            assert_eq!(Date::parse(wrong), None, "{wrong}");
        }
    }
}
