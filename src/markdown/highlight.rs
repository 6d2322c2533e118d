//! Build-time syntax highlighting of fenced code with syntect. Each run of text gets at most one
//! `<span>`, with one of six classes the theme styles (`hl-comment`, `hl-string`, `hl-constant`,
//! `hl-keyword`, `hl-type`, `hl-function`), chosen from the innermost syntect scope that falls
//! in one of those kinds; pages need no client-side JavaScript for it, and a code block costs a
//! few spans per line instead of one per scope.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// What a run of code is, as far as colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Comment,
    String,
    Constant,
    Keyword,
    Type,
    Function,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Comment => "hl-comment",
            Kind::String => "hl-string",
            Kind::Constant => "hl-constant",
            Kind::Keyword => "hl-keyword",
            Kind::Type => "hl-type",
            Kind::Function => "hl-function",
        }
    }
}

/// Scope prefixes and their kinds, the more specific first (`entity.name.class` before
/// `entity.name`).
fn rules() -> &'static [(Scope, Kind)] {
    static RULES: OnceLock<Vec<(Scope, Kind)>> = OnceLock::new();
    RULES.get_or_init(|| {
        [
            ("comment", Kind::Comment),
            ("string", Kind::String),
            ("constant", Kind::Constant),
            ("keyword", Kind::Keyword),
            ("storage", Kind::Keyword),
            ("entity.name.class", Kind::Type),
            ("entity.name.type", Kind::Type),
            ("entity.other.inherited-class", Kind::Type),
            ("support.type", Kind::Type),
            ("support.class", Kind::Type),
            ("entity.name", Kind::Function),
            ("support.function", Kind::Function),
        ]
        .into_iter()
        .map(|(prefix, kind)| (Scope::new(prefix).expect("a valid scope"), kind))
        .collect()
    })
}

/// The kind of text under `stack`: that of its innermost scope with one.
fn kind_of(stack: &[Scope]) -> Option<Kind> {
    stack.iter().rev().find_map(|scope| {
        rules()
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, kind)| *kind)
    })
}

/// The inner HTML of a `<code>` element for `code` in language `lang`: highlighted spans when
/// the language is known, escaped text otherwise.
pub fn highlight(code: &str, lang: &str, enabled: bool) -> String {
    let token = lang.split([',', ' ', '{']).next().unwrap_or("").trim();
    if enabled
        && !token.is_empty()
        && let Some(syntax) = syntaxes().find_syntax_by_token(token)
        && let Some(html) = spans(code, ParseState::new(syntax))
    {
        return html;
    }
    super::escape_html(code)
}

/// `code` as escaped text in spans, or `None` if syntect fails on it.
fn spans(code: &str, mut state: ParseState) -> Option<String> {
    let mut html = Html {
        text: String::with_capacity(code.len() + code.len() / 2),
        open: None,
    };
    let mut stack = ScopeStack::new();
    for line in LinesWithEndings::from(code) {
        let mut at = 0;
        for (position, op) in state.parse_line(line, syntaxes()).ok()? {
            html.push(&line[at..position], kind_of(stack.as_slice()));
            at = position;
            stack.apply(&op).ok()?;
        }
        html.push(&line[at..], kind_of(stack.as_slice()));
    }
    html.close();
    Some(html.text)
}

/// Highlighted HTML being written, with the kind of the span left open.
struct Html {
    text: String,
    open: Option<Kind>,
}

impl Html {
    fn push(&mut self, text: &str, kind: Option<Kind>) {
        if text.is_empty() {
            return;
        }
        // Spaces take no colour: they stay in whatever span is open.
        if kind != self.open && !text.trim().is_empty() {
            self.close();
            if let Some(kind) = kind {
                self.text.push_str("<span class=\"");
                self.text.push_str(kind.class());
                self.text.push_str("\">");
            }
            self.open = kind;
        }
        let _ = pulldown_cmark_escape::escape_html(&mut self.text, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.text.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_one_span_per_run() {
        let html = highlight(
            "def f(x):\n    # 설명 <b>\n    return \"s\" + 1\n",
            "python",
            true,
        );
        assert_eq!(
            html,
            "<span class=\"hl-keyword\">def </span><span class=\"hl-function\">f</span>(x):\n    \
             <span class=\"hl-comment\"># 설명 &lt;b&gt;\n    </span>\
             <span class=\"hl-keyword\">return </span><span class=\"hl-string\">&quot;s&quot; </span>\
             <span class=\"hl-keyword\">+ </span><span class=\"hl-constant\">1\n</span>"
        );
    }

    #[test]
    fn class_names_beat_the_generic_entity_rule() {
        let html = highlight("class Point:\n    pass\n", "python", true);
        assert!(
            html.contains("<span class=\"hl-type\">Point</span>"),
            "{html}"
        );
    }

    #[test]
    fn unknown_language_is_escaped() {
        assert_eq!(
            highlight("<b>&</b>", "klingon", true),
            "&lt;b&gt;&amp;&lt;/b&gt;"
        );
        assert_eq!(highlight("<b>", "python", false), "&lt;b&gt;");
    }
}
