//! The words pages show around the notes (menus, labels, page titles, counts, dates) in the
//! site's language. The bundled default theme has a complete table for Korean and one for
//! English (`themes/default/strings/<language>.toml`); a theme may bring tables of its own for
//! any language and override single strings in `theme.toml`'s `[strings]`. Templates read them as
//! `t.<key>`, with the filters `count` (`세션 3개`, `1 session`), `date_text` and `fill`; the
//! scripts read them from `data-` attributes the templates write.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera};

use crate::diagnostics::Diagnostic;

/// One table as written: string key → text.
pub type StringTable = BTreeMap<String, String>;

/// The language whose table every other one starts from, and that lists every key.
pub const BASE_LANGUAGE: &str = "ko";
/// The table a language without one of its own falls back to.
pub const FALLBACK_LANGUAGE: &str = "en";
/// A key with this ending is the form of a counted string for exactly one (`sessions_one`).
const ONE: &str = "_one";

/// The strings of a site, complete: every key of the base table has a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    table: StringTable,
}

impl Strings {
    /// Starts from the base table, with the fallback table over it for languages other than the
    /// base one: a site in a language no theme has words for reads English.
    pub fn new(language: &str, base: StringTable, fallback: Option<&StringTable>) -> Strings {
        let mut strings = Strings { table: base };
        if language != BASE_LANGUAGE
            && let Some(fallback) = fallback
        {
            strings
                .table
                .extend(fallback.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        strings
    }

    /// Lays `table` over these strings. A key the base table does not know (a typo) is an error
    /// naming `shown`, the file it came from.
    pub fn apply(&mut self, table: &StringTable, shown: &str) -> Result<(), Diagnostic> {
        for (key, text) in table {
            let known = self
                .table
                .contains_key(key.strip_suffix(ONE).unwrap_or(key));
            if !known {
                return Err(
                    Diagnostic::error(shown, format!("unknown string `{key}`")).with_hint(
                        "the strings are listed in themes/default/strings/ko.toml \
                         (hugi theme eject default writes a copy)",
                    ),
                );
            }
            self.table.insert(key.clone(), text.clone());
        }
        Ok(())
    }

    /// The text of `key`; empty for a key no table has.
    pub fn get(&self, key: &str) -> &str {
        self.table.get(key).map_or("", String::as_str)
    }

    /// A counted string with `{n}` filled in: `key_one` when there is one and the table has that
    /// form (English), else `key` (Korean needs no other form).
    pub fn count(&self, key: &str, n: i64) -> String {
        let one = format!("{key}{ONE}");
        let text = match self.table.get(&one) {
            Some(text) if n == 1 => text,
            _ => self.get(key),
        };
        fill(text, &[("n", n.to_string())])
    }

    /// A date as the language writes it (`2020년 8월 29일`, `August 29, 2020`) from its ISO form;
    /// the ISO text itself when it is not one.
    pub fn date(&self, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>().ok());
        let (Some(Some(year)), Some(Some(month)), Some(Some(day))) =
            (parts.next(), parts.next(), parts.next())
        else {
            return iso.to_string();
        };
        let month_name = self
            .get("month_names")
            .split_whitespace()
            .nth(month.saturating_sub(1) as usize)
            .unwrap_or_default()
            .to_string();
        fill(
            self.get("date"),
            &[
                ("year", year.to_string()),
                ("month", month.to_string()),
                ("day", day.to_string()),
                ("month_name", month_name),
            ],
        )
    }

    /// Gives the templates of `tera` these strings: the global `t`, and the filters `count`
    /// (`{{ n | count(of="sessions") }}`), `date_text` (`{{ date.iso | date_text }}`) and `fill`
    /// (`{{ t.page_of | fill(page=2, pages=5) }}`, values HTML-escaped).
    pub fn register(self: &Arc<Self>, tera: &mut Tera) {
        tera.global_context().insert("t", &self.table);
        let strings = self.clone();
        tera.register_filter("count", move |n: i64, kwargs: Kwargs, _: &State| {
            kwargs
                .must_get::<&str>("of")
                .map(|key| strings.count(key, n))
        });
        let strings = self.clone();
        tera.register_filter("date_text", move |iso: &str, _: Kwargs, _: &State| {
            strings.date(iso)
        });
        tera.register_filter("fill", |text: &str, kwargs: Kwargs, _: &State| {
            let values: Vec<(String, String)> = kwargs
                .iter()
                .map(|(k, v)| {
                    let value = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    (k.to_string(), crate::markdown::escape_html(&value))
                })
                .collect();
            let values: Vec<(&str, String)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            fill(text, &values)
        });
        tera.register_test("numbered", |text: &str, _: Kwargs, _: &State| {
            numbered(text)
        });
    }
}

/// Whether a title carries its own number (`1. Android Security`, `2) 회고`), so a list
/// showing it must not number it again.
pub fn numbered(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    (1..=3).contains(&digits)
        && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
}

/// `text` with each `{name}` replaced by its value.
fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Reads a table (`strings/<language>.toml`): keys with text values only.
pub fn parse_table(text: &str, shown: &str) -> Result<StringTable, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        crate::config::toml_diagnostic(&e, text, shown, |_| &[])
            .with_hint("each line is key = \"text\"")
    })
}

/// The part of a language tag that chooses a table: `ko-KR` → `ko`, `EN_us` → `en`.
pub fn table_language(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_titles_are_told_from_titles_starting_with_numbers() {
        for title in ["1. Android Security", "12) 회고", "3."] {
            assert!(numbered(title), "{title}");
        }
        for title in [
            "2024 회고",
            "3.14 이야기",
            "1.0 출시",
            "Android 1. 보안",
            "1234. 너무 긴 번호",
        ] {
            assert!(!numbered(title), "{title}");
        }
    }

    fn table(pairs: &[(&str, &str)]) -> StringTable {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn korean() -> StringTable {
        table(&[
            ("sessions", "세션 {n}개"),
            ("date", "{year}년 {month}월 {day}일"),
            (
                "month_names",
                "1월 2월 3월 4월 5월 6월 7월 8월 9월 10월 11월 12월",
            ),
            ("tags", "태그"),
        ])
    }

    fn english() -> StringTable {
        table(&[
            ("sessions", "{n} sessions"),
            ("sessions_one", "{n} session"),
            ("date", "{month_name} {day}, {year}"),
            (
                "month_names",
                "January February March April May June July August September October November December",
            ),
            ("tags", "Tags"),
        ])
    }

    #[test]
    fn counts_take_the_form_for_one_where_the_language_has_it() {
        let ko = Strings::new("ko", korean(), Some(&english()));
        assert_eq!(ko.count("sessions", 1), "세션 1개");
        assert_eq!(ko.count("sessions", 3), "세션 3개");
        assert_eq!(ko.get("tags"), "태그");
        let en = Strings::new("en", korean(), Some(&english()));
        assert_eq!(en.count("sessions", 1), "1 session");
        assert_eq!(en.count("sessions", 0), "0 sessions");
        assert_eq!(en.get("tags"), "Tags");
    }

    #[test]
    fn dates_are_written_as_the_language_writes_them() {
        let ko = Strings::new("ko", korean(), Some(&english()));
        assert_eq!(ko.date("2020-08-29"), "2020년 8월 29일");
        let en = Strings::new("en", korean(), Some(&english()));
        assert_eq!(en.date("2020-08-29"), "August 29, 2020");
        assert_eq!(en.date("someday"), "someday");
    }

    #[test]
    fn a_layer_overrides_known_keys_and_names_an_unknown_one() {
        let mut strings = Strings::new("ja", korean(), Some(&english()));
        strings
            .apply(&table(&[("tags", "タグ")]), "themes/x/strings/ja.toml")
            .unwrap();
        assert_eq!(strings.get("tags"), "タグ");
        assert_eq!(
            strings.count("sessions", 2),
            "2 sessions",
            "English fills gaps"
        );
        let error = strings
            .apply(&table(&[("tgas", "x")]), "themes/x/theme.toml")
            .unwrap_err();
        assert_eq!(error.file, "themes/x/theme.toml");
        assert!(error.message.contains("`tgas`"), "{}", error.message);
    }

    #[test]
    fn language_tags_choose_tables_by_their_first_part() {
        assert_eq!(table_language("ko-KR"), "ko");
        assert_eq!(table_language("EN_us"), "en");
        assert_eq!(table_language("ja"), "ja");
    }
}
