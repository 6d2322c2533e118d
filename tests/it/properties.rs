//! Property tests (proptest, run in CI with a fixed number of cases): note parsing, Markdown
//! rendering with the CJK emphasis pass, and the search tokeniser never panic on arbitrary
//! input, and keep their invariants; every slug hugi plans, from any front matter and title, is
//! one clean folder name that fits a file system.

use hugi::config::{Config, MarkdownConfig};
use hugi::layout::is_clean;
use hugi::load::{Source, decode};
use hugi::markdown::{LinkRefs, render};
use hugi::note::parse;
use hugi::search::tokenize::{Tokens, tokenize};
use hugi::slug::{AnchorSet, MAX_SLUG_BYTES};
use hugi::talk::SessionRule;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Text that looks like notes: Markdown punctuation, Hangul, Latin, front-matter fences.
fn notes_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("**".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("## Session 101 : ".to_string()),
        Just("### ".to_string()),
        Just("# ".to_string()),
        Just("- ".to_string()),
        Just("    ".to_string()),
        Just("|a|b|\n|---|---|\n".to_string()),
        Just("```\n".to_string()),
        Just("+++\n".to_string()),
        Just("---\n".to_string()),
        Just("[링크](u)".to_string()),
        Just("태그: 장고\n".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("https://pycon.kr/a_b".to_string()),
        Just("www.".to_string()),
        Just("@".to_string()),
        Just(".".to_string()),
        Just("<a href=\"x\">".to_string()),
        Just("</a>".to_string()),
        "[가-힣]{1,4}",
        "[a-zA-Z0-9]{1,6}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsing_and_rendering_never_panic(text in notes_like()) {
        let config = Config::default();
        let rule = SessionRule::new(&config.sessions).unwrap();
        let source = Source { path: "a.md".into(), text: text.clone() };
        if let Ok(note) = parse(&source, "content/a.md", &config, &rule) {
            for part in &note.parts {
                let rendered = render(note.markdown(part), &config.markdown, &note.refs, &|_| None, &mut AnchorSet::default());
                // Emphasis rebuilt by the CJK pass is always balanced, and links added by the
                // autolink pass are (an `<a>` written unbalanced in raw HTML stays so).
                for (open, close) in [("<strong>", "</strong>"), ("<em>", "</em>"), ("<del>", "</del>")] {
                    prop_assert_eq!(rendered.html.matches(open).count(), rendered.html.matches(close).count(), "{}", rendered.html);
                }
                let plain = MarkdownConfig { autolinks: false, ..config.markdown.clone() };
                let without = render(note.markdown(part), &plain, &note.refs, &|_| None, &mut AnchorSet::default());
                let unbalanced = |html: &str| html.matches("<a ").count() as i64 - html.matches("</a>").count() as i64;
                prop_assert_eq!(unbalanced(&rendered.html), unbalanced(&without.html), "{}", rendered.html);
            }
        }
    }

    #[test]
    fn cjk_rule_changes_nothing_without_cjk_text(text in "[ -~\n]{0,80}") {
        let on = MarkdownConfig::default();
        let off = MarkdownConfig { cjk_emphasis: false, ..MarkdownConfig::default() };
        let refs = LinkRefs::new();
        let a = render(&text, &on, &refs, &|_| None, &mut AnchorSet::default()).html;
        let b = render(&text, &off, &refs, &|_| None, &mut AnchorSet::default()).html;
        prop_assert_eq!(a, b);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode(bytes);
    }

    #[test]
    fn tokeniser_is_total_and_normalisation_blind(text in "\\PC{0,60}") {
        let mut nfc = Tokens::default();
        let mut nfd = Tokens::default();
        let end = tokenize(&text, 0, &mut nfc);
        tokenize(&text.nfd().collect::<String>(), 0, &mut nfd);
        prop_assert_eq!(end as usize, nfc.len());
        let a: Vec<(&str, u32)> = nfc.iter().collect();
        let b: Vec<(&str, u32)> = nfd.iter().collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn planned_slugs_are_one_clean_folder_name(
        slug in "\\PC{0,16}",
        title in "\\PC{0,150}",
        session in "[^\n\r]{0,150}",
        ascii in any::<bool>(),
    ) {
        let mut config = Config::default();
        if ascii {
            config.slug = hugi::config::SlugStyle::Ascii;
        }
        let rule = SessionRule::new(&config.sessions).unwrap();
        let text = format!(
            "+++\nslug = {}\ntitle = {}\n+++\n# 행사\n\n## Session 1 : {session}\n\n- 내용\n",
            toml::Value::String(slug),
            toml::Value::String(title),
        );
        let source = Source { path: "a.md".into(), text };
        if let Ok(note) = parse(&source, "content/a.md", &config, &rule) {
            let plans = hugi::site::plan(&[&note], &config).unwrap();
            let segments = std::iter::once(&plans[0].slug).chain(&plans[0].session_slugs);
            for segment in segments {
                prop_assert!(is_clean(segment) && !segment.contains('/'), "{:?}", segment);
                prop_assert!(segment.len() <= MAX_SLUG_BYTES, "{:?}", segment);
            }
        }
    }
}
