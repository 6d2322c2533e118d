//! Diagnostics: problems found in the user's files, each pinned to a file, line and column, shown
//! with the offending source line and an optional hint. Every stage reports through this type so
//! that one build can report all of its problems at once, in one format.

use std::fmt;

/// How serious a finding is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file as the user knows it (relative to the site root when possible).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The text of the offending line, shown under the location.
    pub source_line: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Pins the diagnostic to a byte offset of `text`, the file's contents, filling in the line,
    /// the column and the source line.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        self.at_line_column(text, line, column)
    }

    /// Pins the diagnostic to a 1-based line and column of `text`.
    pub fn at_line_column(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, leaving out the parts that are unknown.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (line, 0) => format!("{}:{line}", self.file),
            (line, column) => format!("{}:{line}:{column}", self.file),
        }
    }
}

/// The largest char boundary of `text` at or before `index`.
pub fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Whether diagnostics printed to standard error should be in colour: a terminal, and no
/// `NO_COLOR` (https://no-color.org).
pub fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    no_color_unset() && std::io::stderr().is_terminal()
}

/// The same for standard output.
pub fn colour_on_stdout() -> bool {
    use std::io::IsTerminal;
    no_color_unset() && std::io::stdout().is_terminal()
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Diagnostic {
    /// The diagnostic as text, in colour when `colour` is set.
    pub fn render(&self, colour: bool) -> String {
        let text = self.to_string();
        if !colour {
            return text;
        }
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        let rest: Vec<String> = lines
            .map(|l| {
                if l.trim_start().starts_with("-->") || l.trim_start().starts_with("= hint") {
                    format!("\x1b[36m{l}\x1b[0m")
                } else if l.trim_end().ends_with('^') {
                    format!("\x1b[{code}m{l}\x1b[0m")
                } else {
                    l.to_string()
                }
            })
            .collect();
        let first = first.replacen(label, &format!("\x1b[{code}m{label}\x1b[0m\x1b[1m"), 1);
        format!("{first}\x1b[0m\n{}", rest.join("\n"))
    }

    /// A GitHub Actions workflow command (`::error file=…,line=…::…`) for this diagnostic.
    pub fn github_annotation(&self) -> String {
        let data = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = vec![format!("file={}", property(&self.file))];
        if self.line > 0 {
            properties.push(format!("line={}", self.line));
        }
        if self.column > 0 {
            properties.push(format!("col={}", self.column));
        }
        let message = match &self.hint {
            Some(hint) => format!("{} ({hint})", self.message),
            None => self.message.clone(),
        };
        format!("::{kind} {}::{}", properties.join(","), data(&message))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let Some(source) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            write!(f, "\n {pad} |\n {number} | {source}")?;
            if self.column > 0 {
                write!(f, "\n {pad} | {}^", blank_before(source, self.column))?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// `diagnostics` with repeats folded into their first: one template typo met by every page of
/// a large site, or one mistake copied into many notes, is one error saying how often and where
/// else it came up, not thousands of the same lines. Diagnostics repeat when they say the same
/// (severity, message, hint) at the same place, or at other places when more than
/// [`FOLD_FROM`] of them do (then the first few other places are named).
pub fn fold_repeats(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    type Said<'a> = (Severity, &'a str, Option<&'a str>);
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: std::collections::HashMap<Said<'_>, usize> = Default::default();
    for d in diagnostics {
        let said = (d.severity, d.message.as_str(), d.hint.as_deref());
        match index.get(&said) {
            Some(&at) => groups[at].push(d),
            None => {
                index.insert(said, groups.len());
                groups.push(vec![d]);
            }
        }
    }
    let mut folded = Vec::new();
    for group in groups {
        let first = group[0];
        let elsewhere: Vec<&Diagnostic> = group[1..]
            .iter()
            .copied()
            .filter(|d| d.location() != first.location())
            .collect();
        if !elsewhere.is_empty() && group.len() <= FOLD_FROM {
            // A few of the same in different places: each is worth its own lines.
            folded.extend(group.into_iter().cloned());
            continue;
        }
        let mut one = first.clone();
        if !elsewhere.is_empty() {
            let mut places: Vec<String> = Vec::new();
            for d in &elsewhere {
                let place = d.location();
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            let named: Vec<&str> = places.iter().take(3).map(String::as_str).collect();
            let more = places.len().saturating_sub(named.len());
            one.message = format!(
                "{} (also in {}{})",
                one.message,
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        } else if group.len() > 1 {
            one.message = format!(
                "{} (the same error {} more times: once for every page it stops)",
                one.message,
                group.len() - 1
            );
        }
        folded.push(one);
    }
    folded
}

/// How many diagnostics saying the same in different places are still shown one by one.
const FOLD_FROM: usize = 3;

/// What goes under `source` before a caret at 1-based character `column`: as many cells as the
/// characters before it take on a terminal (Hangul and other East Asian wide characters take
/// two, combining marks none), tabs kept as tabs. The number in `file:line:column` stays a count
/// of characters, which is what editors jump to.
fn blank_before(source: &str, column: usize) -> String {
    let mut blank = String::new();
    for c in source.chars().take(column - 1) {
        match c {
            '\t' => blank.push('\t'),
            c => blank.extend(std::iter::repeat_n(
                ' ',
                unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
            )),
        }
    }
    blank
}

/// Suggests the candidate closest to `word` when it is a plausible typo of it.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3) && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_gives_line_column_and_source() {
        let text = "첫 줄\n둘째 줄 여기\n";
        let d = Diagnostic::error("a.md", "bad").at_offset(text, text.find("여기").unwrap());
        assert_eq!((d.line, d.column), (2, 6));
        assert_eq!(d.source_line.as_deref(), Some("둘째 줄 여기"));
        let shown = d.to_string();
        assert!(shown.contains("a.md:2:6"), "{shown}");
        assert!(shown.contains("2 | 둘째 줄 여기"), "{shown}");
        // `둘째 줄 ` is five characters and eight cells wide.
        assert!(shown.contains("\n   |         ^"), "{shown}");
    }

    #[test]
    fn repeats_fold_into_one_naming_a_few_other_places() {
        let at = |file: &str| Diagnostic::error(file, "bad").at_offset("x\n", 0);
        let template: Vec<Diagnostic> = (0..30).map(|_| at("templates/session.html")).collect();
        let folded = fold_repeats(&template);
        assert_eq!(folded.len(), 1);
        assert!(
            folded[0]
                .message
                .ends_with("(the same error 29 more times: once for every page it stops)")
        );

        let copied: Vec<Diagnostic> = (0..10).map(|n| at(&format!("content/{n}.md"))).collect();
        let folded = fold_repeats(&copied);
        assert_eq!(folded.len(), 1);
        assert_eq!(
            folded[0].message,
            "bad (also in content/1.md:1:1, content/2.md:1:1, content/3.md:1:1 and 6 more)"
        );

        let few = [at("a.md"), at("b.md"), Diagnostic::error("a.md", "other")];
        assert_eq!(
            fold_repeats(&few),
            few,
            "a few in different places stay as they are"
        );
    }

    #[test]
    fn carets_stand_under_the_character_after_hangul_tabs_and_marks() {
        let line = "- DEVIEW에서 [링크](x)";
        let d = Diagnostic::error("a.md", "bad").at_offset(line, line.find('[').unwrap());
        assert_eq!(d.column, 12, "a count of characters");
        let shown = d.to_string();
        let caret_line = shown.lines().last().unwrap();
        let source_line = shown.lines().rev().nth(1).unwrap();
        let cells = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let under = &source_line[..source_line.find('[').unwrap()];
        assert_eq!(
            cells(&caret_line[..caret_line.len() - 1]),
            cells(under),
            "{shown}"
        );
        assert_eq!(blank_before("\t가\u{301}b", 4), "\t  ");
    }

    #[test]
    fn annotations_and_colour() {
        let d = Diagnostic::error("content/a,b.md", "bad: 100%\nreally").at_offset("x\ny", 2);
        assert_eq!(
            d.github_annotation(),
            "::error file=content/a%2Cb.md,line=2,col=1::bad: 100%25%0Areally"
        );
        let coloured = d.render(true);
        assert!(
            coloured.starts_with("\x1b[1;31merror\x1b[0m"),
            "{coloured:?}"
        );
        assert_eq!(d.render(false), d.to_string());
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "tags", "date"];
        assert_eq!(closest("tag", keys), Some("tags"));
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
