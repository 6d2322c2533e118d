//! Tags: where they come from (front matter, a `태그:`/`Tags:`/`#해시태그` line at the top of a
//! session, and automatic tags from the event name and the Latin technical terms of a session
//! title), how variants merge (case, NFC/NFD, `[tags.aliases]`), and the site-wide [`TagIndex`]
//! that shows each tag in its most used spelling.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{SlugStyle, TagConfig};
use crate::load::nfc;
use crate::slug::slugify;

/// The identity of a tag: NFC, lowercase, without spaces, hyphens, underscores and dots.
/// `Django`, `DJANGO`, `Droid Knights`, `DroidKnights`, `droid-knights` and `Vue.js`/`VueJS`
/// are each one tag, shown in its most used spelling.
pub fn key(tag: &str) -> String {
    nfc(tag)
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '_' | '.')))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Tags on a line like `태그: 장고, ORM`, `Tags: django, orm` or `#장고 #orm`; `None` when the
/// line is not a tag line.
pub fn tag_line(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let split = |list: &str| -> Vec<String> {
        list.split([',', '，', '、'])
            .map(|t| t.trim().trim_start_matches('#').trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    for label in ["태그", "tags", "tag"] {
        if let Some(rest) = strip_prefix_ignore_case(line, label) {
            let rest = rest.trim_start();
            if let Some(list) = rest.strip_prefix([':', '：']) {
                let tags = split(list);
                return (!tags.is_empty()).then_some(tags);
            }
        }
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let hashtags = !words.is_empty()
        && words.iter().all(|w| {
            w.strip_prefix('#').is_some_and(|t| {
                !t.is_empty()
                    && !t.starts_with('#')
                    && t.chars().all(|c| c.is_alphanumeric() || "-_.+".contains(c))
            })
        });
    hashtags.then(|| words.iter().map(|w| w[1..].to_string()).collect())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Words that are never tags on their own.
const STOP_WORDS: &[&str] = &[
    "session",
    "keynote",
    "talk",
    "lightning",
    "workshop",
    "tutorial",
    "panel",
    "track",
    "room",
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "with",
    "for",
    "in",
    "on",
    "to",
    "by",
    "at",
    "from",
    "your",
    "my",
    "our",
    "is",
    "are",
    "be",
    "how",
    "what",
    "why",
    "when",
    "who",
    "we",
    "you",
    "it",
    "its",
    "vs",
    "via",
    "into",
    "about",
    "up",
    "out",
    "not",
    "no",
    "all",
    "new",
    "let's",
    // Values and commit prefixes that titles quote from code (`IsPage is false`, `feat:`).
    "true",
    "false",
    "null",
    "none",
    "nil",
    "undefined",
    "feat",
    "fix",
    "chore",
    "wip",
];

/// Endings of file names (`g0vernance.txt`, `setup.py`): such a word is a file, not a tag,
/// unless it is a known tool's name. `.js` is not among them: `Node.js` and `Three.js` are
/// libraries far more often than files in a talk title.
const FILE_EXTENSIONS: &[&str] = &[
    "txt", "md", "py", "rs", "go", "rb", "java", "kt", "c", "h", "cpp", "ts", "tsx", "jsx", "json",
    "yaml", "yml", "toml", "csv", "html", "css", "sh", "log", "ini", "cfg", "lock", "png", "jpg",
    "jpeg", "gif", "svg", "pdf", "xml", "ipynb", "sql", "zip",
];

/// Prefixes of function and field names in code (`IsPage`, `GetUser`, `OnClick`).
const CODE_VERBS: &[&str] = &[
    "Is", "Has", "Get", "Set", "Can", "Should", "On", "Handle", "Use", "To", "Make",
];

/// Whether a Latin word of a title names a file or a piece of code rather than a subject:
/// `setup.py`, `IsPage`, `getUser`, `useState`. Product names written the same way
/// (`Node.js`, `macOS`, `iOS`, `jQuery`, `GitHub`, `QuerySet`) stay.
fn is_code_or_file(word: &str) -> bool {
    if let Some((name, extension)) = word.rsplit_once('.')
        && !name.is_empty()
        && FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    {
        return !known_tools().contains(&key(word));
    }
    let chars: Vec<char> = word.chars().collect();
    // lowerCamelCase with a mixed-case tail: `getUser`, `useState` (not `macOS`, `jQuery`).
    let lower = chars.iter().take_while(|c| c.is_ascii_lowercase()).count();
    if lower >= 2 && lower < chars.len() {
        let tail = &chars[lower..];
        if tail.iter().all(char::is_ascii_alphabetic) && tail.iter().any(char::is_ascii_lowercase) {
            return true;
        }
    }
    // A code verb glued to a capitalised word: `IsPage`, `GetUser`, `OnClick`.
    CODE_VERBS.iter().any(|verb| {
        word.strip_prefix(verb).is_some_and(|rest| {
            rest.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && rest.chars().any(|c| c.is_ascii_lowercase())
        })
    })
}

/// Tag keys of the Latin names of the built-in loanword table.
fn known_tools() -> &'static std::collections::HashSet<String> {
    static TOOLS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    TOOLS.get_or_init(|| {
        crate::loanwords::groups()
            .flatten()
            .filter(|s| s.is_ascii())
            .map(|s| key(&s))
            .collect()
    })
}

/// Function words that mark a title as an English phrase (`Light Up Your Life, with Python and
/// LEDs!`), where only clearly technical words become tags.
const PHRASE_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "with", "for", "in", "on", "to", "your", "my", "our",
    "is", "are", "how", "what", "why", "we", "you", "into", "about",
];

/// Latin-script terms of a session title (`Backend.AI에` → `Backend.AI`), minus stop words,
/// single letters and numbers. In an English phrase only technical-looking words count.
pub fn title_terms(title: &str) -> Vec<String> {
    let mut words = Vec::new();
    let chars: Vec<char> = title.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_alphanumeric()
                || ("._-+#'".contains(chars[i])
                    && (chars.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric())
                        || (matches!(chars[i], '+' | '#')
                            && chars.get(i + 1).is_none_or(|c| !c.is_ascii_alphanumeric())))))
        {
            i += 1;
        }
        words.push(chars[start..i].iter().collect::<String>());
    }
    let phrase = words
        .iter()
        .any(|w| PHRASE_WORDS.contains(&w.to_ascii_lowercase().as_str()));
    let technical = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit() || ".+#".contains(c))
            || w.chars().skip(1).any(|c| c.is_ascii_uppercase())
    };
    let mut terms: Vec<String> = Vec::new();
    for word in words {
        let lower = word.to_ascii_lowercase();
        if word.chars().count() < 2
            || STOP_WORDS.contains(&lower.as_str())
            || is_code_or_file(&word)
        {
            continue;
        }
        if phrase && !technical(&word) {
            continue;
        }
        if !terms.iter().any(|t| key(t) == key(&word)) {
            terms.push(word);
        }
    }
    terms
}

/// Words that say "notes about" after an event name: `PyCon 2020 후기` → `PyCon`.
const EVENT_SUFFIXES: &[&str] = &[
    "후기",
    "참관기",
    "참석 후기",
    "리뷰",
    "정리",
    "회고",
    "메모",
    "노트",
    "recap",
    "review",
    "notes",
];

/// The event name without its year and without `후기`-like suffixes; `None` if nothing is left.
pub fn event_tag(event: &str) -> Option<String> {
    let mut words: Vec<&str> = event
        .split_whitespace()
        .filter(|w| !(w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())))
        .collect();
    while let Some(last) = words.last() {
        if EVENT_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(last)) {
            words.pop();
        } else {
            break;
        }
    }
    let name = words.join(" ");
    (!name.is_empty() && name.chars().any(char::is_alphabetic)).then_some(name)
}

/// Automatic tags of one session.
pub fn auto_tags(event: &str, session_title: &str) -> Vec<String> {
    event_tag(event)
        .into_iter()
        .chain(title_terms(session_title))
        .collect()
}

/// A tag as templates show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// Every tag of the site, with the sessions carrying it.
#[derive(Debug, Clone, Default)]
pub struct TagIndex {
    /// Sorted by count (descending), then 가나다, then ABC.
    pub tags: Vec<TagEntry>,
    by_key: HashMap<String, usize>,
}

/// One tag and where it is used.
#[derive(Debug, Clone)]
pub struct TagEntry {
    pub link: TagLink,
    /// (note index in site order, session index in the note), in site order.
    pub sessions: Vec<(usize, usize)>,
    /// Every spelling it was written in (they differ only by case or normalisation).
    pub spellings: Vec<String>,
}

/// Spellings of one tag with their uses, and the sessions carrying it, while indexing.
type Found = (BTreeMap<String, usize>, Vec<(usize, usize)>);

/// Resolves a raw tag to its key, following aliases (compared by key as well).
pub struct TagNames<'a> {
    aliases: HashMap<String, &'a str>,
}

impl<'a> TagNames<'a> {
    pub fn new(config: &'a TagConfig) -> Self {
        TagNames {
            aliases: config
                .aliases
                .iter()
                .map(|(from, to)| (key(from), to.as_str()))
                .collect(),
        }
    }

    /// The spelling a raw tag counts as: the alias target, or the tag itself.
    pub fn spelling(&self, raw: &str) -> String {
        match self.aliases.get(&key(raw)) {
            Some(target) => nfc(target.trim()),
            None => nfc(raw.trim()),
        }
    }
}

impl TagIndex {
    /// Builds the index from every session's raw tags: `sessions[note][session]` lists them.
    pub fn build(
        sessions: &[Vec<&[String]>],
        config: &TagConfig,
        slug_style: SlugStyle,
        base_path: &str,
    ) -> TagIndex {
        let names = TagNames::new(config);
        // Spellings and keys of every raw tag, note by note in parallel: `[note][session][tag]`.
        let spelled: Vec<Vec<Vec<(String, String)>>> = sessions
            .par_iter()
            .map(|note| {
                note.iter()
                    .map(|tags| {
                        tags.iter()
                            .map(|raw| {
                                let spelling = names.spelling(raw);
                                (key(&spelling), spelling)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // key → (spelling → uses), members
        let mut found: BTreeMap<String, Found> = BTreeMap::new();
        for (n, note) in spelled.into_iter().enumerate() {
            for (s, tags) in note.into_iter().enumerate() {
                for (key, spelling) in tags {
                    let entry = found.entry(key).or_default();
                    *entry.0.entry(spelling).or_default() += 1;
                    if entry.1.last() != Some(&(n, s)) {
                        entry.1.push((n, s));
                    }
                }
            }
        }
        let mut used_slugs: HashMap<String, usize> = HashMap::new();
        let mut tags: Vec<TagEntry> = found
            .into_iter()
            .map(|(_, (spellings, sessions))| {
                let name = spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                let base = slugify(&name, slug_style);
                let base = if base.is_empty() {
                    "tag".to_string()
                } else {
                    base
                };
                let count = used_slugs.entry(base.clone()).or_default();
                *count += 1;
                let slug = if *count == 1 {
                    base
                } else {
                    format!("{base}-{count}")
                };
                TagEntry {
                    spellings: spellings.keys().cloned().collect(),
                    link: TagLink {
                        url: format!("{base_path}tags/{slug}/"),
                        name,
                        slug,
                    },
                    sessions,
                }
            })
            .collect();
        tags.sort_by(|a, b| {
            b.sessions
                .len()
                .cmp(&a.sessions.len())
                .then_with(|| korean_first(&a.link.name).cmp(&korean_first(&b.link.name)))
        });
        let by_key = tags
            .iter()
            .enumerate()
            .map(|(i, t)| (key(&t.link.name), i))
            .collect();
        TagIndex { tags, by_key }
    }

    /// The tag a raw tag belongs to.
    pub fn get(&self, names: &TagNames<'_>, raw: &str) -> Option<&TagEntry> {
        self.by_key
            .get(&key(&names.spelling(raw)))
            .map(|&i| &self.tags[i])
    }
}

/// Sort key putting Hangul before Latin (가나다, then ABC), ignoring case.
pub fn korean_first(name: &str) -> (bool, String) {
    let hangul = name.chars().next().is_some_and(crate::markdown::is_cjk);
    (!hangul, name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn tag_lines() {
        assert_eq!(tag_line("태그: 장고, ORM").unwrap(), ["장고", "ORM"]);
        assert_eq!(tag_line("Tags: django, orm").unwrap(), ["django", "orm"]);
        assert_eq!(tag_line("tags：파이썬").unwrap(), ["파이썬"]);
        assert_eq!(tag_line("#장고 #orm").unwrap(), ["장고", "orm"]);
        assert_eq!(tag_line("#장고 그리고"), None);
        assert_eq!(tag_line("태그가 많다"), None);
        assert_eq!(tag_line("## 제목"), None);
        assert_eq!(tag_line("#"), None);
    }

    #[test]
    fn terms_from_titles() {
        assert_eq!(
            title_terms("Backend.AI에 점진적 typing 적용하기"),
            ["Backend.AI", "typing"]
        );
        assert_eq!(
            title_terms("Django ORM (QuerySet)구조와 원리 그리고 최적화전략"),
            ["Django", "ORM", "QuerySet"]
        );
        assert_eq!(
            title_terms("Light Up Your Life, with Python and LEDs!"),
            ["LEDs"]
        );
        assert!(title_terms("g0v.py / g0vernance.txt").is_empty());
        assert_eq!(
            title_terms("`IsPage`와 `IsPost`가 false일 때 feat 커밋"),
            Vec::<String>::new()
        );
        assert_eq!(
            title_terms("React의 useState와 getUser, macOS와 iOS에서 jQuery 쓰기"),
            ["React", "macOS", "iOS", "jQuery"]
        );
        assert_eq!(
            title_terms("Node.js, Vue.js, ASP.NET과 GitHub QuerySet"),
            ["Node.js", "Vue.js", "ASP.NET", "GitHub", "QuerySet"]
        );
        assert_eq!(
            title_terms("금융 언어 이해를 위해 개발된 ALBERT 톺아보기"),
            ["ALBERT"]
        );
        assert_eq!(
            title_terms("C++와 C# 그리고 Node.js 2024"),
            ["C++", "C#", "Node.js"]
        );
        assert_eq!(title_terms("Session A 세션 X"), Vec::<String>::new());
        assert!(title_terms("파이썬으로 구현하는 신경세포").is_empty());
    }

    #[test]
    fn event_tags() {
        assert_eq!(event_tag("PyCon 2020 후기").as_deref(), Some("PyCon"));
        assert_eq!(
            event_tag("파이콘 한국 2024 후기").as_deref(),
            Some("파이콘 한국")
        );
        assert_eq!(
            event_tag("RustConf Korea 2025").as_deref(),
            Some("RustConf Korea")
        );
        assert_eq!(event_tag("2019 후기"), None);
    }

    #[test]
    fn keys_ignore_spaces_hyphens_and_dots() {
        assert_eq!(key("Droid Knights"), key("DroidKnights"));
        assert_eq!(key("droid-knights"), key("DROID_KNIGHTS"));
        assert_eq!(key("Vue.js"), key("VueJS"));
        assert_ne!(key("C++"), key("C#"));
    }

    #[test]
    fn index_merges_case_nfd_and_aliases() {
        let nfd: String = "장고".nfd().collect();
        let a = vec!["Django".to_string(), "ORM".to_string()];
        let b = vec!["django".to_string()];
        let c = vec!["django".to_string(), nfd];
        let notes: Vec<Vec<&[String]>> = vec![vec![&a, &b], vec![&c]];
        let names = |config: &TagConfig| -> Vec<(String, usize)> {
            TagIndex::build(&notes, config, SlugStyle::Hangul, "/")
                .tags
                .iter()
                .map(|t| (t.link.name.clone(), t.sessions.len()))
                .collect()
        };
        let mut config = TagConfig::default();
        assert_eq!(
            names(&config),
            [("django".into(), 3), ("장고".into(), 1), ("ORM".into(), 1)]
        );
        config.aliases.insert("장고".into(), "Django".into());
        let index = TagIndex::build(&notes, &config, SlugStyle::Hangul, "/");
        assert_eq!(
            names(&config),
            [("Django".into(), 3), ("ORM".into(), 1)],
            "tie of 2 and 2 uses: the first spelling; one session counts once"
        );
        let names_for = TagNames::new(&config);
        assert_eq!(
            index.get(&names_for, "DJANGO").unwrap().link.url,
            "/tags/django/"
        );
    }
}
