//! Words a search treats as one: the Hangul and Latin spellings of a tech word (`장고` and
//! `Django`). They come from four places — the built-in loanword table ([`crate::loanwords`]),
//! pairs an author wrote in the notes as `파이썬(Python)` or `Kubernetes(쿠버네티스)`,
//! `[tags.aliases]`, and `[search] synonyms` — and ship with the index as a table from each
//! spelling to the others, kept only where the other spelling occurs on the site. The client
//! looks a query's words up in it and searches every spelling.

use std::collections::{BTreeMap, BTreeSet};

use crate::hangul::is_syllable;
use crate::load::nfc_cow;

use super::tokenize::is_gap;

/// The groups a site's configuration adds: `[search] synonyms` and each `[tags.aliases]`
/// variant with its canonical spelling.
pub fn configured(config: &crate::config::Config) -> Vec<Vec<String>> {
    let aliases = config
        .tags
        .aliases
        .iter()
        .map(|(variant, canonical)| vec![variant.clone(), canonical.clone()]);
    config
        .search
        .synonyms
        .iter()
        .cloned()
        .chain(aliases)
        .collect()
}

/// Learned pairs kept per document at most (a note full of parentheses is not a glossary).
const PAIRS_PER_DOC: usize = 32;
/// Spellings a search table keeps at most, so a site of glossaries cannot bloat the manifest
/// every query loads.
const MAX_ENTRIES: usize = 4096;

/// A spelling as the table keys it: NFC, lowercase, its runs of letters and digits apart by
/// single spaces (`Next.js` → `next js`), as a query's words are.
pub fn key(text: &str) -> String {
    let lower = nfc_cow(text).to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| if is_gap(c) { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pairs an author wrote as a word with its other spelling in parentheses right after it:
/// `파이썬(Python)`, `쿠버네티스 (Kubernetes)` is not one (a space parts them), `Kotlin(코틀린)`.
/// One side is Hangul (syllables, at most three words inside the parentheses) and the other
/// Latin (at most four words, each starting with a letter, two letters at least).
pub fn learned_pairs(text: &str) -> Vec<[String; 2]> {
    let mut pairs: Vec<[String; 2]> = Vec::new();
    for (open, _) in text.match_indices('(') {
        let Some(close) = text[open + 1..].find([')', '\n', '(']) else {
            continue;
        };
        let inner = &text[open + 1..open + 1 + close];
        if !text[open + 1 + close..].starts_with(')') || inner.chars().count() > 40 {
            continue;
        }
        let before = &text[..open];
        let hangul_before = word_before(before, is_syllable);
        let latin_before = word_before(before, is_latin);
        let pair = if !hangul_before.is_empty() && is_latin_phrase(inner) {
            [hangul_before, inner.trim()]
        } else if is_latin_phrase(latin_before) && is_hangul_phrase(inner) {
            [latin_before, inner.trim()]
        } else {
            continue;
        };
        let pair = pair.map(key);
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
        if pairs.len() == PAIRS_PER_DOC {
            break;
        }
    }
    pairs
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '#' | '-')
}

/// The run of characters of one kind right before the end of `text`.
fn word_before(text: &str, kind: fn(char) -> bool) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| kind(c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

fn is_latin_phrase(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    (1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()) && w.chars().all(is_latin))
        && text.chars().filter(char::is_ascii_alphabetic).count() >= 2
}

fn is_hangul_phrase(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    (1..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(is_syllable))
        && text.chars().filter(|&c| is_syllable(c)).count() <= 12
}

/// The search table of the given groups: each spelling → the other spellings of its groups
/// that `present` says occur on the site, sorted. Spellings with nothing to add are left out.
pub fn table<I>(groups: I, present: impl Fn(&str) -> bool) -> BTreeMap<String, Vec<String>>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut others: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut found: BTreeMap<String, bool> = BTreeMap::new();
    for group in groups {
        let spellings: BTreeSet<String> = group.iter().map(|s| key(s)).collect();
        for spelling in &spellings {
            if spelling.is_empty() {
                continue;
            }
            let here = *found
                .entry(spelling.clone())
                .or_insert_with(|| present(spelling));
            if !here {
                continue;
            }
            for other in spellings.iter().filter(|o| *o != spelling && !o.is_empty()) {
                others
                    .entry(other.clone())
                    .or_default()
                    .insert(spelling.clone());
            }
        }
    }
    others
        .into_iter()
        .take(MAX_ENTRIES)
        .map(|(spelling, set)| (spelling, set.into_iter().collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_has_hundreds_of_two_script_groups() {
        let groups: Vec<Vec<String>> = crate::loanwords::groups().collect();
        assert!(groups.len() >= 300, "{}", groups.len());
        for group in &groups {
            assert!(group.len() >= 2, "{group:?}");
            let hangul = group.iter().filter(|s| s.chars().any(is_syllable)).count();
            assert!(hangul >= 1 && hangul < group.len(), "{group:?}");
        }
        // Every spelling belongs to one group, so a query never mixes two meanings.
        let mut seen = BTreeSet::new();
        for spelling in groups.iter().flatten() {
            assert!(seen.insert(key(spelling)), "{spelling} twice");
        }
    }

    #[test]
    fn pairs_written_in_parentheses() {
        let text = "파이썬(Python)으로 Kubernetes(쿠버네티스)를 다룬다. 젯팩 컴포즈(Jetpack Compose)와 \
                    점진적 타입(gradual typing), 세션(1), 발표(A), 함수 (function), Go(고 언어), \
                    빈괄호(), 링크(https://example.com) 그리고 파이썬(Python) 또.";
        let pairs = learned_pairs(text);
        let expected = [
            ["파이썬", "python"],
            ["kubernetes", "쿠버네티스"],
            ["컴포즈", "jetpack compose"],
            ["타입", "gradual typing"],
            ["go", "고 언어"],
        ];
        assert_eq!(pairs, expected.map(|p| p.map(String::from)));
    }

    #[test]
    fn the_table_keeps_spellings_found_on_the_site() {
        let groups = vec![
            vec!["장고".to_string(), "Django".into()],
            vec!["쿠버네티스".into(), "Kubernetes".into(), "k8s".into()],
            vec!["러스트".into(), "Rust".into()],
        ];
        let site = ["django", "쿠버네티스", "k8s"];
        let table = table(groups, |s| site.contains(&s));
        let expected: BTreeMap<String, Vec<String>> = [
            ("장고", vec!["django"]),
            ("kubernetes", vec!["k8s", "쿠버네티스"]),
            ("쿠버네티스", vec!["k8s"]),
            ("k8s", vec!["쿠버네티스"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(table, expected);
    }
}
