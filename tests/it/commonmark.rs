//! The CJK-friendly emphasis pass must not change how any CommonMark 0.31.2 example renders,
//! apart from the examples the amended rule is meant to change (none of the 652 put Hangul or
//! other CJK text next to a delimiter, so none may change).

use hugi::config::MarkdownConfig;
use hugi::markdown::{LinkRefs, events};
use pulldown_cmark::html;

fn render(markdown: &str, cjk_emphasis: bool) -> String {
    let config = MarkdownConfig {
        cjk_emphasis,
        hard_breaks: false,
        ..MarkdownConfig::default()
    };
    let refs = LinkRefs::new();
    let mut out = String::new();
    html::push_html(
        &mut out,
        events(markdown, &config, &refs).into_iter().map(|(e, _)| e),
    );
    out
}

#[test]
fn all_spec_examples_render_the_same_with_the_cjk_rule() {
    let text = std::fs::read_to_string("tests/fixtures/commonmark/spec-0.31.2.json").unwrap();
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(examples.len(), 652);
    let mut changed = Vec::new();
    for example in &examples {
        let markdown = example["markdown"].as_str().unwrap();
        if render(markdown, true) != render(markdown, false) {
            changed.push(example["example"].as_u64().unwrap());
        }
    }
    assert_eq!(
        changed,
        Vec::<u64>::new(),
        "examples changed by the CJK rule"
    );
}

#[test]
fn emphasis_examples_match_the_spec_with_the_rule_on() {
    let text = std::fs::read_to_string("tests/fixtures/commonmark/spec-0.31.2.json").unwrap();
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    // cmark writes `<br />` and escapes quotes in text; pulldown-cmark writes `<br />` too but
    // leaves quotes alone. Compare modulo those spellings.
    let normalise = |s: &str| s.replace("&quot;", "\"").replace(">\n<", "><");
    let mut failed = Vec::new();
    let emphasis = examples
        .iter()
        .filter(|e| e["section"] == "Emphasis and strong emphasis");
    for example in emphasis {
        let markdown = example["markdown"].as_str().unwrap();
        if normalise(&render(markdown, true)) != normalise(example["html"].as_str().unwrap()) {
            failed.push(example["example"].as_u64().unwrap());
        }
    }
    assert_eq!(failed, Vec::<u64>::new());
}

#[test]
fn the_cjk_friendly_reference_cases_render_as_the_reference_plugin_does() {
    let dir = std::path::Path::new("tests/fixtures/cjk-friendly");
    let cases = [
        "strong",
        "korean",
        "pseudo-emoji",
        "non-bmp",
        "underscore-cjk-punct",
        "readme-example",
    ];
    // markdown-it writes `"` in text as `&quot;`; pulldown-cmark leaves it alone.
    let normalise = |s: &str| s.replace("&quot;", "\"");
    let (mut lines, mut wrong) = (0, Vec::new());
    for case in cases {
        let markdown = std::fs::read_to_string(dir.join(format!("{case}.md"))).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("{case}.html"))).unwrap();
        let actual = render(&markdown, true);
        let actual: Vec<&str> = actual.lines().collect();
        let expected: Vec<&str> = expected.lines().collect();
        assert_eq!(actual.len(), expected.len(), "{case}: number of lines");
        for (got, want) in actual.iter().zip(&expected) {
            lines += 1;
            if normalise(got) != normalise(want) {
                wrong.push(format!("{case}:\n  got  {got}\n  want {want}"));
            }
        }
    }
    assert_eq!(lines, 115);
    assert!(
        wrong.is_empty(),
        "{} of {lines} lines differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
