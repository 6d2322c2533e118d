//! Diagnostics: problems found in the user's files, each pinned to a file, line and column, shown
//! with the offending source line and an optional hint. Every stage reports through this type so
//! that one build can report all of its problems at once, in one format.

use std::fmt;

/// How serious a finding is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
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
                let before: String = source
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {pad} | {before}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

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
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "tags", "date"];
        assert_eq!(closest("tag", keys), Some("tags"));
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
