//! The search tokeniser, mirrored line for line by `search.js` so a query is cut exactly as the
//! text was. Text is NFC and lowercased; Hangul (and other CJK) runs become overlapping syllable
//! bigrams (a one-syllable run stays a unigram), as Lucene's CJK bigram filter does, so `검사`
//! is found inside `타입검사` and `파이썬` inside `파이썬으로`; other letters and digits form words
//! that queries match by prefix. Titles, tags, speakers and headings also yield initial-consonant
//! (초성) tokens from every word start ([`choseong_tokens`]) so `ㅍㅇㅆ` finds `파이썬`.

use std::borrow::Cow;

use crate::hangul::{initial_index, is_syllable};
use crate::load::nfc_cow;

/// The longest word kept whole; longer runs are cut (URLs, hashes).
pub const MAX_WORD: usize = 40;

/// Marks initial-consonant tokens so they never collide with text tokens.
pub const CHOSEONG_MARK: char = '^';

/// The 19 initial consonants in syllable order, as compatibility jamo (what keyboards type).
pub const CHOSEONG: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];

/// Han ideographs and kana, bigrammed like Hangul.
fn is_other_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// What kind of run a character belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Bigram,
    Word,
    Gap,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Gap
        };
    }
    if is_syllable(c) || is_other_cjk(c) {
        Class::Bigram
    } else if c.is_alphanumeric() && !('\u{3131}'..='\u{318E}').contains(&c) {
        Class::Word
    } else {
        Class::Gap
    }
}

/// Whether a character parts words (spaces, punctuation, lone jamo).
pub fn is_gap(c: char) -> bool {
    class(c) == Class::Gap
}

/// Tokens of some text, their characters kept in one buffer so that tokenising a large site
/// does not allocate once per token.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    buffer: String,
    /// (start, end) in `buffer`, and position in the token stream.
    spans: Vec<(u32, u32, u32)>,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn push(&mut self, chars: impl IntoIterator<Item = char>, position: u32) {
        let start = self.buffer.len() as u32;
        self.buffer.extend(chars);
        self.close(start, position);
    }

    /// Ends a token whose characters were pushed onto the buffer since `start`.
    fn close(&mut self, start: u32, position: u32) {
        self.spans.push((start, self.buffer.len() as u32, position));
    }

    /// Each token's text and position, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.spans
            .iter()
            .map(|&(s, e, p)| (&self.buffer[s as usize..e as usize], p))
    }
}

/// Cuts `text` into tokens, numbering positions from `start`. Consecutive runs get consecutive
/// positions, so `Django 쿼리셋` keeps `django` next to `쿼리`. One pass over the characters,
/// lowercasing each as it goes (a capital sigma lowercases by context, so text with one is
/// lowercased whole first).
pub fn tokenize(text: &str, start: u32, out: &mut Tokens) -> u32 {
    let text = nfc_cow(text);
    let text = if text.contains('Σ') {
        Cow::Owned(text.to_lowercase())
    } else {
        text
    };
    let mut position = start;
    let mut run = Run {
        class: Class::Gap,
        length: 0,
        word: 0,
        last: '\0',
    };
    for c in text.chars() {
        // ASCII and Hangul syllables (most of the text) lowercase without a table.
        if c.is_ascii() || is_syllable(c) {
            run.feed(c.to_ascii_lowercase(), out, &mut position);
        } else {
            for lower in c.to_lowercase() {
                run.feed(lower, out, &mut position);
            }
        }
    }
    run.end(out, &mut position);
    position
}

/// A run of characters of one class being tokenised.
struct Run {
    class: Class,
    /// Its length in characters.
    length: usize,
    /// Where a word run began in the token buffer.
    word: u32,
    /// The last character of a bigram run.
    last: char,
}

impl Run {
    /// Takes the next (lowercased) character.
    fn feed(&mut self, c: char, out: &mut Tokens, position: &mut u32) {
        let class = class(c);
        if class != self.class {
            self.end(out, position);
            *self = Run {
                class,
                length: 0,
                word: out.buffer.len() as u32,
                last: '\0',
            };
        }
        match class {
            Class::Gap => {}
            Class::Word if self.length < MAX_WORD => out.buffer.push(c),
            Class::Word => {}
            Class::Bigram => {
                if self.length > 0 {
                    out.push([self.last, c], *position);
                    *position += 1;
                }
                self.last = c;
            }
        }
        self.length += 1;
    }

    /// Emits what is left of the run: a word, or the unigram of a one-character bigram run.
    fn end(&self, out: &mut Tokens, position: &mut u32) {
        match self.class {
            Class::Word => out.close(self.word, *position),
            Class::Bigram if self.length == 1 => out.push([self.last], *position),
            _ => return,
        }
        *position += 1;
    }
}

/// Initial consonants kept per 초성 token; longer queries are cut to this many.
pub const MAX_CHOSEONG: usize = 10;
/// Words an acronym token spans at most.
const ACRONYM_WORDS: usize = 6;

/// Initial-consonant (초성) tokens of `text`, marked, for matching a query of consonants by
/// prefix at any word start. A word is a run of Hangul syllables; words apart by spaces only
/// are in a row. Each word gives two tokens: the consonants of its syllables and of the words
/// in a row after it (`음성인식 모델` → `^ㅇㅅㅇㅅㅁㄷ`), and the first consonants of it and of
/// the words after it (`음성인식 모델 개발기` → `^ㅇㅁㄱ`). So `ㅇㅅㅇ`, `ㅇㅅㅇㅅㅁㄷ` and
/// `ㅇㅁ` all find that title.
pub fn choseong_tokens(text: &str, start: u32, out: &mut Tokens) -> u32 {
    let text = nfc_cow(text);
    let mut position = start;
    // Each word's consonants, and whether only spaces part it from the word before.
    let mut words: Vec<(Vec<char>, bool)> = Vec::new();
    let mut joined = false;
    let mut current: Vec<char> = Vec::new();
    for c in text.chars() {
        match initial_index(c) {
            Some(i) => current.push(CHOSEONG[i]),
            None => {
                if !current.is_empty() {
                    words.push((std::mem::take(&mut current), joined));
                    joined = true;
                }
                joined &= c.is_whitespace();
            }
        }
    }
    if !current.is_empty() {
        words.push((current, joined));
    }
    for (i, (word, _)) in words.iter().enumerate() {
        let row = || {
            let after = words[i + 1..].iter().take_while(|(_, joined)| *joined);
            std::iter::once(word).chain(after.map(|(w, _)| w))
        };
        let syllables: Vec<char> = row().flatten().copied().take(MAX_CHOSEONG).collect();
        if syllables.len() >= 2 {
            out.push(std::iter::once(CHOSEONG_MARK).chain(syllables), position);
        }
        let acronym: Vec<char> = row().map(|w| w[0]).take(ACRONYM_WORDS).collect();
        if acronym.len() >= 2 {
            out.push(std::iter::once(CHOSEONG_MARK).chain(acronym), position);
        }
        position += 1;
    }
    position
}

/// The group a term belongs to, which decides its shard: Hangul bigrams by their first
/// syllable and the second syllable's initial consonant (so a half-typed last syllable needs
/// one group), unigrams by themselves, words by their first two characters.
pub fn group_of(term: &str) -> Group {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Group::of(&[]),
        // 초성 terms by their first two consonants (every query has two or more).
        (Some(CHOSEONG_MARK), _) => {
            let consonants: Vec<char> = term.chars().take(3).collect();
            Group::of(&consonants)
        }
        (Some(first), Some(second)) if class(first) == Class::Bigram => {
            match initial_index(second) {
                Some(i) => Group::of(&[first, CHOSEONG[i]]),
                None => Group::of(&[first, '*']),
            }
        }
        (Some(only), None) if class(only) == Class::Bigram => Group::of(&[only, '.']),
        (Some(first), Some(second)) => Group::of(&[first, second]),
        (Some(only), None) => Group::of(&[only]),
    }
}

/// A term's group: at most three characters, kept inline so that grouping the millions of
/// postings of a big site allocates nothing. Groups order as their text does (the bytes come
/// first and are zero-padded, and no character encodes a zero byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    bytes: [u8; 12],
    len: usize,
}

impl Group {
    fn of(chars: &[char]) -> Group {
        let mut group = Group {
            bytes: [0; 12],
            len: 0,
        };
        for c in chars {
            group.len += c.encode_utf8(&mut group.bytes[group.len..]).len();
        }
        group
    }

    pub fn as_str(&self) -> &str {
        // Whole characters were encoded, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Group {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn texts(text: &str) -> Vec<String> {
        let mut out = Tokens::default();
        tokenize(text, 0, &mut out);
        out.iter().map(|(t, _)| t.to_string()).collect()
    }

    #[test]
    fn bigrams_words_and_positions() {
        assert_eq!(texts("타입검사"), ["타입", "입검", "검사"]);
        assert_eq!(
            texts("파이썬으로 Django QuerySet을"),
            ["파이", "이썬", "썬으", "으로", "django", "queryset", "을"]
        );
        assert_eq!(texts("뇌 g0v.py"), ["뇌", "g0v", "py"]);
        assert_eq!(texts("漢字かな"), ["漢字", "字か", "かな"]);
        let mut out = Tokens::default();
        tokenize("Django 쿼리셋", 10, &mut out);
        let positions: Vec<u32> = out.iter().map(|(_, p)| p).collect();
        assert_eq!(positions, [10, 11, 12]);
    }

    #[test]
    fn nfd_and_case() {
        let nfd: String = "파이썬 QUERYSET".nfd().collect();
        assert_eq!(texts(&nfd), ["파이", "이썬", "queryset"]);
        // As JavaScript's toLowerCase does: a final capital sigma becomes ς, others σ.
        assert_eq!(texts("ΟΔΟΣ ΣΑΣ"), ["οδος", "σας"]);
    }

    #[test]
    fn choseong() {
        let mut out = Tokens::default();
        choseong_tokens(
            "파이썬 타입, 청각 장애인의 음성인식 모델 개발기 뇌",
            0,
            &mut out,
        );
        let texts: Vec<&str> = out.iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            [
                "^ㅍㅇㅆㅌㅇ",
                "^ㅍㅌ",
                "^ㅌㅇ",
                "^ㅊㄱㅈㅇㅇㅇㅇㅅㅇㅅ",
                "^ㅊㅈㅇㅁㄱㄴ",
                "^ㅈㅇㅇㅇㅇㅅㅇㅅㅁㄷ",
                "^ㅈㅇㅁㄱㄴ",
                "^ㅇㅅㅇㅅㅁㄷㄱㅂㄱㄴ",
                "^ㅇㅁㄱㄴ",
                "^ㅁㄷㄱㅂㄱㄴ",
                "^ㅁㄱㄴ",
                "^ㄱㅂㄱㄴ",
                "^ㄱㄴ",
            ]
        );
        // A word past ten syllables keeps ten consonants.
        let mut out = Tokens::default();
        choseong_tokens(&"가".repeat(30), 0, &mut out);
        assert_eq!(out.iter().next().map(|(t, _)| t.chars().count()), Some(11));
    }

    #[test]
    fn groups() {
        assert_eq!(group_of("이썬"), "이ㅆ");
        assert_eq!(group_of("이상"), "이ㅅ");
        assert_eq!(group_of("뇌"), "뇌.");
        assert_eq!(group_of("queryset"), "qu");
        assert_eq!(group_of("q"), "q");
        assert_eq!(group_of("^ㅍㅇㅆ"), "^ㅍㅇ");
        assert_eq!(group_of("漢字"), "漢*");
    }
}
