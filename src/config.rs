//! Site configuration: the optional `config.toml` at the site root, its defaults, and its
//! validation. Unknown keys are errors that name the key, the file and the line, with a hint when
//! the key looks like a typo of a known one.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, closest};

/// Name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "config.toml";

/// How slugs treat Hangul.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    /// Keep Hangul as it is written (`장고-orm-최적화`).
    #[default]
    Hangul,
    /// Romanise Hangul (Revised Romanization) so URLs are pure ASCII.
    Ascii,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub author: String,
    /// Absolute URL the site is published at; its path is the prefix of every link.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub slug: SlugStyle,
    pub markdown: MarkdownConfig,
    pub sessions: SessionConfig,
    pub tags: TagConfig,
    pub search: SearchConfig,
    pub build: BuildConfig,
    pub home: HomeConfig,
    pub comments: CommentsConfig,
    pub analytics: AnalyticsConfig,
    pub verification: VerificationConfig,
    /// Free-form values for templates (`site.extra`); `og_image` is the image link previews
    /// show for a page that has none of its own.
    pub extra: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "후기".into(),
            description: String::new(),
            author: String::new(),
            base_url: "/".into(),
            language: "ko".into(),
            theme: "default".into(),
            slug: SlugStyle::default(),
            markdown: MarkdownConfig::default(),
            sessions: SessionConfig::default(),
            tags: TagConfig::default(),
            search: SearchConfig::default(),
            build: BuildConfig::default(),
            home: HomeConfig::default(),
            comments: CommentsConfig::default(),
            analytics: AnalyticsConfig::default(),
            verification: VerificationConfig::default(),
            extra: toml::Table::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Single line breaks become `<br>`, as in Obsidian and Typora.
    pub hard_breaks: bool,
    pub smart_punctuation: bool,
    /// Emphasis next to Hangul and CJK punctuation (`**파이썬(Python)**으로`).
    pub cjk_emphasis: bool,
    /// Bare `https://…`, `www.…` and e-mail addresses become links (GFM's extended autolinks).
    pub autolinks: bool,
    /// Highlight fenced code at build time.
    pub highlight: bool,
    /// Drop links and images to `javascript:`, `vbscript:` and non-image `data:` URLs (their
    /// text stays), so notes merged from others cannot run scripts on the site.
    pub safe_links: bool,
    /// Pass raw HTML in notes through as HTML (the author's own); `false` shows it as text.
    pub raw_html: bool,
    /// The site's `language`, copied here (not a key of `[markdown]`): the words of alert
    /// titles follow it.
    #[serde(skip)]
    pub language: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            hard_breaks: true,
            smart_punctuation: false,
            cjk_emphasis: true,
            autolinks: true,
            highlight: true,
            safe_links: true,
            raw_html: true,
            language: "ko".into(),
        }
    }
}

/// `[build]`: what stops a build.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    /// What a broken link inside the site does to `hugi build`.
    pub broken_links: LinkPolicy,
}

/// What a broken internal link (a missing note, file, page or anchor) does to a build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// The build fails and lists every broken link.
    #[default]
    Error,
    /// The build succeeds and lists them as warnings.
    Warn,
}

/// `[comments]`: a comment thread under each session, when configured. Nothing is loaded from
/// elsewhere unless it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct CommentsConfig {
    pub giscus: Option<GiscusConfig>,
}

/// [giscus](https://giscus.app): comments kept in a GitHub repository's Discussions. The values
/// are the ones giscus.app shows for the repository.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GiscusConfig {
    pub repo: String,
    pub repo_id: String,
    pub category: String,
    pub category_id: String,
    /// How a page finds its discussion: `pathname` (the default), `url`, `title`, `og:title`.
    #[serde(default = "GiscusConfig::default_mapping")]
    pub mapping: String,
    #[serde(default = "GiscusConfig::default_reactions")]
    pub reactions: bool,
    /// giscus's colour theme; by default it follows the reader's light or dark setting.
    #[serde(default = "GiscusConfig::default_theme")]
    pub theme: String,
}

impl GiscusConfig {
    fn default_mapping() -> String {
        "pathname".into()
    }
    fn default_reactions() -> bool {
        true
    }
    fn default_theme() -> String {
        "preferred_color_scheme".into()
    }
}

/// `[analytics]`: a visitor-statistics script on every page, only when configured.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyticsConfig {
    /// A Google Analytics 4 measurement ID (`G-XXXXXXXXXX`).
    pub google: Option<String>,
}

/// `[verification]`: the codes search engines give to prove the site is yours, written as
/// `<meta>` tags on every page.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct VerificationConfig {
    /// Google Search Console (`google-site-verification`).
    pub google: Option<String>,
    /// Naver Search Advisor (`naver-site-verification`).
    pub naver: Option<String>,
    /// Bing Webmaster Tools (`msvalidate.01`).
    pub bing: Option<String>,
}

/// `[home]`: how the home page lists the events.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct HomeConfig {
    /// Events per home page; the newest come first, later ones on `/page/2/` and on.
    pub per_page: usize,
    /// Sessions listed under each event (the first ones with notes); the rest are counted.
    pub sessions: usize,
}

impl Default for HomeConfig {
    fn default() -> Self {
        HomeConfig {
            per_page: 10,
            sessions: 3,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Groups of words a search treats as one: a query for any finds the others
    /// (`[["장고", "Django"], ["k8s", "쿠버네티스"]]`), on top of the built-in loanword table,
    /// the pairs written as `한글(Latin)` in notes and `[tags.aliases]`.
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct TagConfig {
    /// Derive tags from the event name and the Latin terms in session titles.
    pub auto: bool,
    /// Sessions per tag page before it paginates.
    pub per_page: usize,
    /// Variant → canonical spelling (`장고 = "Django"`).
    pub aliases: std::collections::BTreeMap<String, String>,
}

impl Default for TagConfig {
    fn default() -> Self {
        TagConfig {
            auto: true,
            per_page: 50,
            aliases: Default::default(),
        }
    }
}

/// The words that mark a `##` heading as a session (`## Keynote : 제목`).
pub const DEFAULT_SESSION_KINDS: &[&str] = &[
    "Lightning Talk",
    "Keynote",
    "Session",
    "Talk",
    "Workshop",
    "Tutorial",
    "Panel",
    "라이트닝 토크",
    "키노트",
    "기조연설",
    "세션",
    "발표",
    "튜토리얼",
    "워크숍",
    "패널",
];

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// Kind words that start a session heading, matched ignoring case.
    pub kinds: Vec<String>,
    /// A full regular expression for session headings, replacing the one built from `kinds`.
    /// Named groups `kind`, `room` and `title` are used when present; `title` is required.
    pub pattern: Option<String>,
    /// Headings that are about the whole note, never a talk (`## 소개`, `## 느낀 점`).
    pub note_sections: Vec<String>,
    /// The heading level of talks (1 to 4), overriding detection.
    pub level: Option<u8>,
    /// The text of the heading the talks sit under (`발표세션`), overriding detection.
    pub under: Option<String>,
    /// `false`: no note gets session pages.
    pub enabled: bool,
}

/// Note-level section names, matched after trimming, ignoring case and spaces.
pub const DEFAULT_NOTE_SECTIONS: &[&str] = &[
    "소개",
    "들어가며",
    "인트로",
    "Intro",
    "정리",
    "총평",
    "느낀 점",
    "느낀점",
    "배운 점",
    "후기",
    "마무리",
    "회고",
    "맺으며",
    "Outro",
    "Summary",
    "목차",
    "참고",
    "참고 자료",
];

impl Default for SessionConfig {
    fn default() -> Self {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        SessionConfig {
            kinds: strings(DEFAULT_SESSION_KINDS),
            pattern: None,
            note_sections: strings(DEFAULT_NOTE_SECTIONS),
            level: None,
            under: None,
            enabled: true,
        }
    }
}

impl Config {
    /// Parses `config.toml` text. `file` names it in diagnostics.
    /// Reads a config. Every unknown key is reported, not only the first: each is blanked out
    /// (with its table, for an unknown table) and the text read again.
    pub fn parse(text: &str, file: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut read = text.to_string();
        let mut unknown: Vec<Diagnostic> = Vec::new();
        loop {
            let error = match toml::from_str::<Config>(&read) {
                Ok(mut config) if unknown.is_empty() => {
                    config.normalise();
                    return Ok(config);
                }
                Ok(_) => {
                    unknown.sort_by_key(|d| d.line);
                    return Err(unknown);
                }
                Err(error) => error,
            };
            let diagnostic = toml_diagnostic(&error, text, file, config_keys);
            let line = diagnostic.line;
            let again = unknown_field(error.message()).is_some() && line > 0 && unknown.len() < 50;
            unknown.push(diagnostic);
            if !again {
                unknown.sort_by_key(|d| d.line);
                return Err(unknown);
            }
            read = blank_key(&read, line - 1);
        }
    }

    fn normalise(&mut self) {
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if self.language.is_empty() {
            self.language = "ko".into();
        }
        self.markdown.language = self.language.clone();
        self.tags.per_page = self.tags.per_page.max(1);
        self.home.per_page = self.home.per_page.max(1);
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/notes/`).
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.find("://") {
            Some(i) => {
                let after = &self.base_url[i + 3..];
                after.find('/').map_or("/", |j| &after[j..])
            }
            None => self.base_url.as_str(),
        };
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The image link previews show for a page without one of its own: `[extra] og_image`.
    pub fn og_image(&self) -> Option<&str> {
        self.extra
            .get("og_image")
            .and_then(toml::Value::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    /// `base_url` without its trailing slash, or empty when it has no scheme and host.
    pub fn origin_and_path(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// Known keys per table, so a typo gets a suggestion.
fn config_keys(table: &str) -> &'static [&'static str] {
    match table {
        "markdown" => &[
            "hard_breaks",
            "smart_punctuation",
            "cjk_emphasis",
            "autolinks",
            "highlight",
            "safe_links",
            "raw_html",
        ],
        "build" => &["broken_links"],
        "sessions" => &[
            "kinds",
            "pattern",
            "note_sections",
            "level",
            "under",
            "enabled",
        ],
        "tags" => &["auto", "per_page", "aliases"],
        "home" => &["per_page", "sessions"],
        "comments" => &["giscus"],
        "comments.giscus" => &[
            "repo",
            "repo_id",
            "category",
            "category_id",
            "mapping",
            "reactions",
            "theme",
        ],
        "analytics" => &["google"],
        "verification" => &["google", "naver", "bing"],
        "search" => &["synonyms"],
        _ => &[
            "title",
            "description",
            "author",
            "base_url",
            "language",
            "theme",
            "slug",
            "markdown",
            "sessions",
            "tags",
            "search",
            "build",
            "home",
            "comments",
            "analytics",
            "verification",
            "extra",
        ],
    }
}

/// `text` with line `index` (0-based) made spaces, and the lines of its table too when it is a
/// table's header; every other byte stays where it was, so later errors point at the same places.
fn blank_key(text: &str, index: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let header = |i: usize| {
        lines
            .get(i)
            .is_some_and(|l| l.trim_start().starts_with('['))
    };
    let end = if header(index) {
        (index + 1..lines.len())
            .find(|&i| header(i))
            .unwrap_or(lines.len())
    } else {
        index + 1
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            if (index..end).contains(&i) {
                line.bytes()
                    .map(|b| if b == b'\n' { '\n' } else { ' ' })
                    .collect()
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// Turns a TOML error into a diagnostic pinned to its span, suggesting the nearest known key for
/// an unknown one. `keys` lists the known keys of a table by its name.
pub fn toml_diagnostic(
    error: &toml::de::Error,
    text: &str,
    file: &str,
    keys: fn(&str) -> &'static [&'static str],
) -> Diagnostic {
    let message = error.message().trim().to_string();
    let mut diagnostic = Diagnostic::error(file, first_sentence(&message));
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at_offset(text, span.start);
    }
    let quoted_hint = message.starts_with("invalid unquoted key")
        && diagnostic
            .source_line
            .as_deref()
            .is_some_and(|l| !l.is_ascii());
    if quoted_hint {
        let key = diagnostic
            .source_line
            .as_deref()
            .and_then(|l| l.split('=').next())
            .unwrap_or("")
            .trim()
            .to_string();
        diagnostic =
            diagnostic.with_hint(format!("TOML keys with Hangul need quotes: \"{key}\" = …"));
    }
    if let Some(key) = unknown_field(&message) {
        let table = diagnostic
            .line
            .checked_sub(1)
            .map(|l| enclosing_table(text, l))
            .unwrap_or_default();
        let header = diagnostic
            .source_line
            .as_deref()
            .is_some_and(|l| l.trim_start().starts_with('['));
        diagnostic.message = if header {
            format!("unknown table `[{key}]`")
        } else if table.is_empty() {
            format!("unknown key `{key}`")
        } else {
            format!("unknown key `{key}` in [{table}]")
        };
        if let Some(near) = closest(key, keys(&table).iter().copied()) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
        } else {
            diagnostic = diagnostic.with_hint(format!("known keys: {}", keys(&table).join(", ")));
        }
    }
    diagnostic
}

fn first_sentence(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}

/// Extracts `x` from serde's "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// Name of the `[table]` that line `index` (0-based) belongs to.
fn enclosing_table(text: &str, index: usize) -> String {
    text.lines()
        .take(index + 1)
        .filter_map(|l| {
            let l = l.trim();
            (l.starts_with('[') && l.ends_with(']')).then(|| l.trim_matches(['[', ']']).trim())
        })
        .last()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_its_line() {
        let text = "titel = \"a\"\nlanguage = \"ko\"\n[markdown]\nhard_break = true\n[buidl]\nbroken_links = \"warn\"\nmore = 1\n[tags]\nper_pgae = 3\n";
        let found = Config::parse(text, "config.toml").unwrap_err();
        let shown: Vec<(usize, &str)> =
            found.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            shown,
            [
                (1, "unknown key `titel`"),
                (4, "unknown key `hard_break` in [markdown]"),
                (5, "unknown table `[buidl]`"),
                (9, "unknown key `per_pgae` in [tags]"),
            ]
        );
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn empty_config_has_defaults() {
        let c = Config::parse("", "config.toml").unwrap();
        assert_eq!(c.language, "ko");
        assert_eq!(c.theme, "default");
        assert!(c.markdown.hard_breaks);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = "title = \"x\"\n\n[markdown]\nhard_break = false\n";
        let d = Config::parse(text, "config.toml").unwrap_err().remove(0);
        assert_eq!(d.line, 4);
        assert_eq!(d.message, "unknown key `hard_break` in [markdown]");
        assert_eq!(d.hint.as_deref(), Some("did you mean `hard_breaks`?"));
        let text = "titel = \"x\"\n";
        let d = Config::parse(text, "config.toml").unwrap_err().remove(0);
        assert_eq!((d.line, d.column), (1, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn hangul_keys_need_quotes() {
        let d = Config::parse("[tags.aliases]\n장고 = \"Django\"\n", "config.toml")
            .unwrap_err()
            .remove(0);
        assert_eq!(d.line, 2);
        assert_eq!(
            d.hint.as_deref(),
            Some("TOML keys with Hangul need quotes: \"장고\" = …")
        );
        let c = Config::parse("[tags.aliases]\n\"장고\" = \"Django\"\n", "config.toml").unwrap();
        assert_eq!(c.tags.aliases["장고"], "Django");
    }

    #[test]
    fn base_path_of_sub_path_site() {
        let c = Config::parse("base_url = \"https://user.github.io/notes\"", "c").unwrap();
        assert_eq!(c.base_path(), "/notes/");
        assert_eq!(c.origin_and_path(), "https://user.github.io/notes");
    }
}
