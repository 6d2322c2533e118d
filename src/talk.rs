//! What a heading says about a talk: the session rule (a kind word, an optional room or track,
//! a separator, a title — `## Session 101 : 제목`), note-level section names (`## 소개`), and the
//! speakers a heading names (`제목 - 박수빈`, `양찬석(구글 코리아)`, `강민수님`, `Jane Doe`).

use regex::Regex;

use crate::config::SessionConfig;
use crate::diagnostics::Diagnostic;

/// Recognises session headings (a kind word, an optional room or track, a separator, a title)
/// and note-level sections (`## 소개`).
#[derive(Debug, Clone)]
pub struct SessionRule {
    pattern: Regex,
    /// Note-section names, lowercase without spaces.
    note_sections: Vec<String>,
    /// Kind words, lowercase without spaces.
    kinds: Vec<String>,
}

impl SessionRule {
    /// Builds the rule from `[sessions]`; a bad custom pattern is an error naming `config.toml`.
    pub fn new(config: &SessionConfig) -> Result<SessionRule, Diagnostic> {
        let pattern = match &config.pattern {
            Some(custom) => custom.clone(),
            None => {
                let mut kinds: Vec<&String> = config.kinds.iter().collect();
                // Longest first, so `Lightning Talk` wins over `Talk`.
                kinds.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
                let kinds: Vec<String> = kinds
                    .iter()
                    .map(|k| regex::escape(k).replace("\\ ", r"\s*").replace(' ', r"\s*"))
                    .collect();
                // An optional label before the kind (`Hands-On 세션 1:`, `[Special] Talk -`).
                format!(
                    r"(?i)^(?:\[?[\w-]+\]?\s+)??(?P<kind>{})(?:\s+(?P<room>(?:track|room|트랙|룸)?\s*[0-9A-Z][0-9A-Z.\-]{{0,7}}(?:관|호|홀)?)(?:\s*[:：\-–—|]|\.)|\s*[:：\-–—|])\s*(?P<title>\S.*)$",
                    kinds.join("|")
                )
            }
        };
        let pattern = Regex::new(&pattern).map_err(|e| {
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("[sessions] pattern is not a valid regular expression: {e}"),
            )
        })?;
        if !pattern.capture_names().any(|n| n == Some("title")) {
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                "[sessions] pattern needs a named group `title`, as in (?P<title>.+)",
            ));
        }
        if let Some(level) = config.level.filter(|l| !(1..=4).contains(l)) {
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("[sessions] level {level} is not between 1 and 4"),
            ));
        }
        Ok(SessionRule {
            pattern,
            note_sections: config
                .note_sections
                .iter()
                .map(|s| section_key(s))
                .collect(),
            kinds: config.kinds.iter().map(|k| section_key(k)).collect(),
        })
    }

    /// Whether `word` (lowercase, without spaces) is one of the kind words.
    pub fn is_kind(&self, word: &str) -> bool {
        self.kinds.iter().any(|k| k == word)
    }

    /// Whether a heading names a note-level section (`소개`, `느낀 점`, `Summary`).
    pub fn is_note_section(&self, heading: &str) -> bool {
        self.note_sections.contains(&section_key(heading))
    }

    /// The session a heading announces, if it announces one.
    pub fn session(&self, heading: &str) -> Option<SessionHead> {
        let captures = self.pattern.captures(heading.trim())?;
        let group = |name: &str| {
            captures
                .name(name)
                .map(|m| m.as_str().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let (title, speakers) = split_speakers(&group("title")?);
        Some(SessionHead {
            kind: group("kind")
                .map(|k| canonical_kind(&k))
                .unwrap_or_default(),
            room: group("room"),
            title,
            speakers,
        })
    }
}

fn section_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `keynote` and `KEYNOTE` are shown as `Keynote`; Korean kinds as written.
fn canonical_kind(kind: &str) -> String {
    let collapsed = kind.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::config::DEFAULT_SESSION_KINDS
        .iter()
        .find(|k| {
            k.eq_ignore_ascii_case(&collapsed) || k.replace(' ', "") == collapsed.replace(' ', "")
        })
        .map_or(collapsed.clone(), |k| k.to_string())
}

/// What a session heading says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionHead {
    /// `Keynote`, `Session`, `세션`… as the heading wrote it (canonical case); empty for a
    /// plain heading.
    pub kind: String,
    /// `101`, `A`, `Track 2`.
    pub room: Option<String>,
    /// The title without the speakers (`인턴이라면 꼭 해야 할 3가지`).
    pub title: String,
    /// Speakers from a trailing `- 이름`, a `발표자:` line, or the front matter.
    pub speakers: Vec<String>,
}

impl SessionHead {
    /// A talk announced by a plain heading (`## RxJava 구독과 구독 제거 - 박수빈`).
    pub fn plain(heading: &str) -> SessionHead {
        let (title, speakers) = split_speakers(heading.trim());
        SessionHead {
            kind: String::new(),
            room: None,
            title,
            speakers,
        }
    }
}

/// Words that end a title after a dash without being anyone's name.
const NOT_NAMES: &[&str] = &[
    "정리",
    "소개",
    "후기",
    "요약",
    "회고",
    "마무리",
    "질문",
    "답변",
    "실습",
    "데모",
    "기초",
    "심화",
    "입문",
    "개요",
    "발표",
    "세션",
    "키노트",
    "패널",
    "강연",
    "토론",
    "상편",
    "하편",
    "완결",
    "번외",
];

/// Latin words that are not names even when capitalised.
const NOT_NAME_WORDS: &[&str] = &[
    "New",
    "The",
    "What",
    "How",
    "Why",
    "And",
    "Of",
    "For",
    "With",
    "Is",
    "Your",
    "My",
    "Our",
    "In",
    "On",
    "Part",
    "Revisited",
    "Revised",
    "Deep",
    "Dive",
    "Introduction",
    "Overview",
    "Update",
    "Edition",
    "Live",
    "Demo",
    "Workshop",
    "Talk",
    "Session",
    "Keynote",
];

/// Splits `제목 - 이름` into the title and the speakers, when the part after the last dash looks
/// like people's names: 2–4 Hangul syllables (with an optional `님` and `(소속)`), or two or
/// three capitalised Latin words, several joined by `,` or `&`.
pub fn split_speakers(heading: &str) -> (String, Vec<String>) {
    let dash = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| heading.rfind(d).map(|i| (i, d.len())))
        .max();
    let Some((at, len)) = dash else {
        return (heading.to_string(), Vec::new());
    };
    let (title, tail) = (heading[..at].trim(), heading[at + len..].trim());
    let names: Vec<Option<String>> = tail.split([',', '&']).map(person_name).collect();
    if title.is_empty() || names.is_empty() || names.iter().any(Option::is_none) {
        return (heading.to_string(), Vec::new());
    }
    (title.to_string(), names.into_iter().flatten().collect())
}

/// The name in `박수빈`, `양찬석(구글 코리아)`, `강민수님` or `Jane Doe`, if it is one.
pub fn person_name(part: &str) -> Option<String> {
    let part = part.trim();
    let part = match part.find(['(', '（']) {
        Some(i) if part.ends_with([')', '）']) => part[..i].trim(),
        _ => part,
    };
    let honoured = part.ends_with('님');
    let part = part.strip_suffix('님').unwrap_or(part).trim();
    let part = part.trim_start_matches(['+', '@']);
    let syllables = part.chars().count();
    let hangul = part.chars().all(crate::hangul::is_syllable);
    if hangul && (2..=4).contains(&syllables) && !NOT_NAMES.contains(&part) {
        return Some(part.to_string());
    }
    let words: Vec<&str> = part.split_whitespace().collect();
    let latin_word = |w: &&str| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && w.len() >= 2
            && chars.all(|c| c.is_ascii_lowercase() || c == '-')
            && !NOT_NAME_WORDS.contains(w)
    };
    let words: Vec<&str> = words
        .iter()
        .map(|w| w.trim_start_matches(['+', '@']))
        .collect();
    if (2..=3).contains(&words.len()) && words.iter().all(latin_word) {
        return Some(words.join(" "));
    }
    // `님` marks a person whatever the spelling (`Tae-hwan kwon님`, `Google Chansuk Yang님`).
    let sentence = part.contains(['.', '!', '?', ':', '"', '\'']);
    (honoured && (1..=4).contains(&words.len()) && part.chars().count() <= 30 && !sentence)
        .then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> SessionRule {
        SessionRule::new(&SessionConfig::default()).unwrap()
    }

    #[test]
    fn session_headings() {
        let r = rule();
        let s = r
            .session("Keynote : 파이썬 커뮤니티가 교육에 기여할 수 있는 것들")
            .unwrap();
        assert_eq!((s.kind.as_str(), s.room.as_deref()), ("Keynote", None));
        assert_eq!(s.title, "파이썬 커뮤니티가 교육에 기여할 수 있는 것들");
        let s = r
            .session("Session 101 : Backend.AI에 점진적 typing 적용하기")
            .unwrap();
        assert_eq!(
            (s.kind.as_str(), s.room.as_deref()),
            ("Session", Some("101"))
        );
        let s = r.session("Keynote: g0v.py / g0vernance.txt").unwrap();
        assert_eq!(s.title, "g0v.py / g0vernance.txt");
        let s = r.session("세션 3 - 제목").unwrap();
        assert_eq!(
            (s.kind.as_str(), s.room.as_deref(), s.title.as_str()),
            ("세션", Some("3"), "제목")
        );
        let s = r.session("lightning talk | 번개").unwrap();
        assert_eq!(s.kind, "Lightning Talk");
        let s = r.session("Talk Track 2 — 트랙").unwrap();
        assert_eq!(s.room.as_deref(), Some("Track 2"));
        let s = r.session("Workshop A： 전각 콜론").unwrap();
        assert_eq!(s.room.as_deref(), Some("A"));
        let s = r.session("발표 – 엔 대시").unwrap();
        assert_eq!(s.title, "엔 대시");
        assert!(r.session("배운 점").is_none());
        assert!(r.session("Talking about: x").is_none());
        assert!(r.session("Session 101 :").is_none());
    }

    #[test]
    fn custom_pattern_needs_title() {
        let config = SessionConfig {
            pattern: Some("^(?P<kind>Talk)".into()),
            ..Default::default()
        };
        assert!(SessionRule::new(&config).is_err());
        let config = SessionConfig {
            pattern: Some("(".into()),
            ..Default::default()
        };
        assert!(
            SessionRule::new(&config)
                .unwrap_err()
                .message
                .contains("regular expression")
        );
    }
}
