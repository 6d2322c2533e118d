//! The CJK-friendly emphasis pass must not change how any CommonMark 0.31.2 example renders,
//! apart from the examples the amended rule is meant to change (none of the 652 put Hangul or
//! other CJK text next to a delimiter, so none may change).

use hugi::config::MarkdownConfig;
use hugi::markdown::{LinkRefs, events};
use pulldown_cmark::html;

fn render(markdown: &str, cjk_emphasis: bool) -> String {
    render_with(
        markdown,
        MarkdownConfig {
            cjk_emphasis,
            ..MarkdownConfig::default()
        },
    )
}

fn render_with(markdown: &str, config: MarkdownConfig) -> String {
    let config = MarkdownConfig {
        hard_breaks: false,
        ..config
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

/// The examples of the GFM spec's "Autolinks (extension)" section (GFM 0.29), each as
/// (Markdown, the HTML the spec gives).
const GFM_AUTOLINKS: &[(&str, &str)] = &[
    (
        "www.commonmark.org\n",
        "<p><a href=\"http://www.commonmark.org\">www.commonmark.org</a></p>\n",
    ),
    (
        "Visit www.commonmark.org/help for more information.\n",
        "<p>Visit <a href=\"http://www.commonmark.org/help\">www.commonmark.org/help</a> for more information.</p>\n",
    ),
    (
        "Visit www.commonmark.org.\n\nVisit www.commonmark.org/a.b.\n",
        "<p>Visit <a href=\"http://www.commonmark.org\">www.commonmark.org</a>.</p>\n<p>Visit <a href=\"http://www.commonmark.org/a.b\">www.commonmark.org/a.b</a>.</p>\n",
    ),
    (
        "www.google.com/search?q=Markup+(business)\n\nwww.google.com/search?q=Markup+(business)))\n\n(www.google.com/search?q=Markup+(business))\n\n(www.google.com/search?q=Markup+(business)\n",
        "<p><a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a></p>\n<p><a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>))</p>\n<p>(<a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>)</p>\n<p>(<a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a></p>\n",
    ),
    (
        "www.google.com/search?q=(business))+ok\n",
        "<p><a href=\"http://www.google.com/search?q=(business))+ok\">www.google.com/search?q=(business))+ok</a></p>\n",
    ),
    (
        "www.google.com/search?q=commonmark&hl=en\n\nwww.google.com/search?q=commonmark&hl;\n",
        "<p><a href=\"http://www.google.com/search?q=commonmark&amp;hl=en\">www.google.com/search?q=commonmark&amp;hl=en</a></p>\n<p><a href=\"http://www.google.com/search?q=commonmark\">www.google.com/search?q=commonmark</a>&amp;hl;</p>\n",
    ),
    (
        "www.commonmark.org/he<lp\n",
        "<p><a href=\"http://www.commonmark.org/he\">www.commonmark.org/he</a>&lt;lp</p>\n",
    ),
    (
        "http://commonmark.org\n\n(Visit https://encrypted.google.com/search?q=Markup+(business))\n\nAnonymous FTP is available at ftp://foo.bar.baz.\n",
        "<p><a href=\"http://commonmark.org\">http://commonmark.org</a></p>\n<p>(Visit <a href=\"https://encrypted.google.com/search?q=Markup+(business)\">https://encrypted.google.com/search?q=Markup+(business)</a>)</p>\n<p>Anonymous FTP is available at <a href=\"ftp://foo.bar.baz\">ftp://foo.bar.baz</a>.</p>\n",
    ),
    (
        "foo@bar.baz\n",
        "<p><a href=\"mailto:foo@bar.baz\">foo@bar.baz</a></p>\n",
    ),
    (
        "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.\n",
        "<p>hello@mail+xyz.example isn't valid, but <a href=\"mailto:hello+xyz@mail.example\">hello+xyz@mail.example</a> is.</p>\n",
    ),
    (
        "a.b-c_d@a.b\n\na.b-c_d@a.b.\n\na.b-c_d@a.b-\n\na.b-c_d@a.b_\n",
        "<p><a href=\"mailto:a.b-c_d@a.b\">a.b-c_d@a.b</a></p>\n<p><a href=\"mailto:a.b-c_d@a.b\">a.b-c_d@a.b</a>.</p>\n<p>a.b-c_d@a.b-</p>\n<p>a.b-c_d@a.b_</p>\n",
    ),
];

#[test]
fn gfm_autolink_examples_render_as_the_spec_says() {
    let normalise = |s: &str| s.replace("&quot;", "\"");
    let wrong: Vec<String> = GFM_AUTOLINKS
        .iter()
        .filter(|(markdown, html)| normalise(&render(markdown, true)) != normalise(html))
        .map(|(markdown, html)| {
            format!(
                "{markdown:?}\n  got  {:?}\n  want {html:?}",
                render(markdown, true)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn autolinks_change_only_the_spec_examples_with_bare_addresses() {
    let text = std::fs::read_to_string("tests/fixtures/commonmark/spec-0.31.2.json").unwrap();
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let with = |autolinks: bool, markdown: &str| {
        render_with(
            markdown,
            MarkdownConfig {
                autolinks,
                ..MarkdownConfig::default()
            },
        )
    };
    let changed: Vec<u64> = examples
        .iter()
        .filter(|e| {
            let markdown = e["markdown"].as_str().unwrap();
            with(true, markdown) != with(false, markdown)
        })
        .map(|e| e["example"].as_u64().unwrap())
        .collect();
    // `<https://foo.bar/baz bim>`, `<foo\+@bar.example.com>`, `< https://foo.bar >`,
    // `https://example.com` and `foo@bar.example.com`: plain CommonMark shows each as text,
    // GFM links the address inside.
    assert_eq!(changed, [602, 606, 608, 611, 612]);
}

#[test]
fn bare_addresses_in_korean_notes() {
    let cases = [
        // A particle after the address is not part of it; a Hangul path segment is.
        (
            "발표 자료는 https://pycon.kr에서 볼 수 있다",
            "<p>발표 자료는 <a href=\"https://pycon.kr\">https://pycon.kr</a>에서 볼 수 있다</p>\n",
        ),
        (
            "https://festa.io/events/58을 참고",
            "<p><a href=\"https://festa.io/events/58\">https://festa.io/events/58</a>을 참고</p>\n",
        ),
        (
            "https://ko.wikipedia.org/wiki/파이썬 참고",
            "<p><a href=\"https://ko.wikipedia.org/wiki/%ED%8C%8C%EC%9D%B4%EC%8D%AC\">https://ko.wikipedia.org/wiki/파이썬</a> 참고</p>\n",
        ),
        (
            "（https://pycon.kr）",
            "<p>（<a href=\"https://pycon.kr\">https://pycon.kr</a>）</p>\n",
        ),
        (
            "참고:https://pycon.kr",
            "<p>참고:<a href=\"https://pycon.kr\">https://pycon.kr</a></p>\n",
        ),
        // Emphasis the parser saw inside an address belongs to the address.
        (
            "https://github.com/a/b/blob/main/__init__.py 참고",
            "<p><a href=\"https://github.com/a/b/blob/main/__init__.py\">https://github.com/a/b/blob/main/__init__.py</a> 참고</p>\n",
        ),
        // Emphasis around an address stays emphasis.
        (
            "**https://pycon.kr**에서",
            "<p><strong><a href=\"https://pycon.kr\">https://pycon.kr</a></strong>에서</p>\n",
        ),
        (
            "> 저장소: https://github.com/pycon/2020\n",
            "<blockquote>\n<p>저장소: <a href=\"https://github.com/pycon/2020\">https://github.com/pycon/2020</a></p>\n</blockquote>\n",
        ),
        // Never inside code, links or raw HTML.
        (
            "`https://pycon.kr`",
            "<p><code>https://pycon.kr</code></p>\n",
        ),
        (
            "[https://pycon.kr](https://x.kr)",
            "<p><a href=\"https://x.kr\">https://pycon.kr</a></p>\n",
        ),
        (
            "<a href=\"x\">https://pycon.kr</a>",
            "<p><a href=\"x\">https://pycon.kr</a></p>\n",
        ),
        (
            "```\nhttps://pycon.kr\n```",
            "<pre><code>https://pycon.kr\n</code></pre>\n",
        ),
        (
            "<https://pycon.kr>",
            "<p><a href=\"https://pycon.kr\">https://pycon.kr</a></p>\n",
        ),
        // Not an address.
        (
            "xhttps://pycon.kr 와 http:// 만",
            "<p>xhttps://pycon.kr 와 http:// 만</p>\n",
        ),
    ];
    for (markdown, html) in cases {
        assert_eq!(render(markdown, true), html, "{markdown}");
    }
}
