//! Slugs and anchors. URL slugs keep Hangul by default (`장고-orm-최적화`) or romanise it
//! (`janggo-orm-choejeokhwa`); heading anchors follow GitHub's rule so links copied from GitHub
//! keep working (`#타입-주석-예제`), with `-1`, `-2` for repeated headings.

use std::collections::HashMap;

use crate::config::SlugStyle;
use crate::load::nfc;

/// The longest slug kept whole, in bytes. File systems allow 255 bytes per name; a slug is one
/// folder name of the output, and clash suffixes (`-2`) must still fit.
pub const MAX_SLUG_BYTES: usize = 120;

/// A URL slug for `text`: NFC, lowercase, letters and digits kept, everything else folded into
/// single dashes. Empty when `text` has no letters or digits. A slug longer than
/// [`MAX_SLUG_BYTES`] is cut on a character boundary and ends in a short hash of the whole slug,
/// so long titles that share a beginning still get different slugs.
pub fn slugify(text: &str, style: SlugStyle) -> String {
    let text = nfc(text);
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            match (style, romanise(c)) {
                (SlugStyle::Ascii, Some(latin)) => slug.push_str(&latin),
                (SlugStyle::Ascii, None) if !c.is_ascii() => pending_dash = true,
                _ => slug.push(c),
            }
        } else if c != '\'' && c != '’' {
            pending_dash = true;
        }
    }
    shorten(slug)
}

fn shorten(slug: String) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let suffix = format!("-{:08x}", crate::hash::fnv1a32(slug.bytes()));
    let mut end = MAX_SLUG_BYTES - suffix.len();
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", slug[..end].trim_end_matches('-'))
}

/// Hands out heading anchors for one page, GitHub style, remembering those already used.
#[derive(Debug, Default, Clone)]
pub struct AnchorSet {
    used: HashMap<String, usize>,
}

impl AnchorSet {
    /// The anchor for a heading with this text, unique within this set.
    pub fn anchor(&mut self, heading: &str) -> String {
        let base: String = nfc(heading.trim())
            .chars()
            .flat_map(char::to_lowercase)
            .filter_map(|c| match c {
                ' ' => Some('-'),
                '-' | '_' => Some(c),
                c if c.is_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let base = if base.is_empty() {
            "section".into()
        } else {
            base
        };
        let mut candidate = base.clone();
        while let Some(count) = self.used.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{}", *count - 1);
            if !self.used.contains_key(&candidate) {
                break;
            }
        }
        self.used.insert(candidate.clone(), 1);
        candidate
    }
}

const INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Revised Romanization of one Hangul syllable (without the sound changes between syllables).
fn romanise(c: char) -> Option<String> {
    let index = (c as u32).checked_sub(0xAC00).filter(|i| *i < 11172)? as usize;
    let (initial, medial, last) = (index / 588, (index % 588) / 28, index % 28);
    let initial = if initial == 5 { "r" } else { INITIALS[initial] };
    Some(format!("{initial}{}{}", MEDIALS[medial], FINALS[last]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn hangul_slugs() {
        let s = |t| slugify(t, SlugStyle::Hangul);
        assert_eq!(s("장고 ORM 최적화"), "장고-orm-최적화");
        assert_eq!(
            s("Django ORM (QuerySet)구조와 원리 그리고 최적화전략"),
            "django-orm-queryset-구조와-원리-그리고-최적화전략"
        );
        assert_eq!(s("g0v.py / g0vernance.txt"), "g0v-py-g0vernance-txt");
        assert_eq!(
            s("Backend.AI에 점진적 typing 적용하기"),
            "backend-ai에-점진적-typing-적용하기"
        );
        assert_eq!(s("  !!!  "), "");
        let nfd: String = "파이썬 커뮤니티".nfd().collect();
        assert_eq!(s(&nfd), "파이썬-커뮤니티");
    }

    #[test]
    fn long_slugs_are_cut_on_a_character_boundary_with_a_stable_suffix() {
        let title = "청각 장애인의 발음 교정 어플리케이션을 위한 음성인식 모델 개발기".repeat(4);
        let slug = slugify(&title, SlugStyle::Hangul);
        assert!(slug.len() <= MAX_SLUG_BYTES, "{} bytes", slug.len());
        assert_eq!(slug, slugify(&title, SlugStyle::Hangul));
        let other = slugify(&format!("{title} 2부"), SlugStyle::Hangul);
        assert_ne!(slug, other, "titles that share a beginning differ");
        assert!(slug.starts_with("청각-장애인의-발음"));
        let (kept, hash) = slug.rsplit_once('-').unwrap();
        assert_eq!(hash.len(), 8);
        assert!(!kept.ends_with('-'));
        let short = slugify("장고 ORM 최적화", SlugStyle::Hangul);
        assert_eq!(short, "장고-orm-최적화", "short slugs are untouched");
    }

    #[test]
    fn ascii_slugs() {
        assert_eq!(
            slugify("장고 ORM 최적화", SlugStyle::Ascii),
            "janggo-orm-choejeokhwa"
        );
        assert_eq!(slugify("파이콘 2020", SlugStyle::Ascii), "paikon-2020");
        assert_eq!(slugify("café 한", SlugStyle::Ascii), "caf-han");
    }

    #[test]
    fn github_anchors() {
        let mut a = AnchorSet::default();
        assert_eq!(a.anchor("타입 주석 예제"), "타입-주석-예제");
        assert_eq!(
            a.anchor("Django QuerySet 특 : Lazy Loading"),
            "django-queryset-특--lazy-loading"
        );
        assert_eq!(a.anchor("타입 주석 예제"), "타입-주석-예제-1");
        assert_eq!(a.anchor("타입 주석 예제"), "타입-주석-예제-2");
        assert_eq!(a.anchor("타입 주석 예제-1"), "타입-주석-예제-1-1");
        assert_eq!(a.anchor("???"), "section");
    }
}
