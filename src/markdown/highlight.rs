//! Build-time syntax highlighting of fenced code with syntect, emitting CSS classes (`hl-…`)
//! that the theme styles, so pages need no client-side JavaScript for it.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The inner HTML of a `<code>` element for `code` in language `lang`: highlighted spans when
/// the language is known, escaped text otherwise.
pub fn highlight(code: &str, lang: &str, enabled: bool) -> String {
    let token = lang.split([',', ' ', '{']).next().unwrap_or("").trim();
    if enabled
        && !token.is_empty()
        && let Some(syntax) = syntaxes().find_syntax_by_token(token)
    {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            syntaxes(),
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        let highlighted = LinesWithEndings::from(code)
            .try_for_each(|line| generator.parse_html_for_line_which_includes_newline(line));
        if highlighted.is_ok() {
            return generator.finalize();
        }
    }
    super::escape_html(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight("def f():\n    return 1\n", "python", true);
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("def"), "{html}");
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
