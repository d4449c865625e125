//! Diagnostics: problems in the input, reported the way rustc and gcc do
//! (`file:line:col: error: message`, then `hint:` lines), collected across a
//! whole run so that a writer sees every mistake at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the output, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be turned into a correct output.
    Error,
    /// The output is made, but the writer should look at this.
    Warning,
}

/// A place in a source file: 1-based line and column (in characters).
/// Line 0 means "somewhere in the file".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// 1-based line number, 0 when unknown.
    pub line: u32,
    /// 1-based column number, 0 when unknown.
    pub col: u32,
}

impl Span {
    /// A position from its line and column.
    pub fn new(line: u32, col: u32) -> Span {
        Span { line, col }
    }

    /// The whole file, no position known.
    pub const FILE: Span = Span { line: 0, col: 0 };
}

/// One problem, with where it is and what to do about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file at fault, if any.
    pub file: Option<PathBuf>,
    /// Where in that file.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error in `file` at `span`.
    pub fn error(file: impl AsRef<Path>, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: Some(file.as_ref().to_path_buf()),
            span,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A warning in `file` at `span`.
    pub fn warning(file: impl AsRef<Path>, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    /// An error that belongs to no file (a bad option, an unwritable output).
    pub fn general(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            span: Span::FILE,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// This diagnostic with one more hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if self.span.line > 0 {
                write!(f, ":{}:{}", self.span.line, self.span.col.max(1))?;
            }
            write!(f, ": ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, in the order found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Diagnostics {
        Diagnostics(Vec::new())
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records every diagnostic of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file and position so that output reads like a compiler's.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.file.as_deref(), a.span, a.severity).cmp(&(b.file.as_deref(), b.span, b.severity))
        });
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics(vec![diagnostic])
    }
}

/// Maps byte offsets of a source text to lines and columns.
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The line and column of byte `offset` in `text` (the text indexed).
    pub fn span(&self, text: &str, offset: usize) -> Span {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        Span::new(line as u32 + 1, col as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let d = Diagnostic::error("a.md", Span::new(3, 7), "missing `date`")
            .hint("add `date: 2017-04-11`");
        assert_eq!(
            d.to_string(),
            "a.md:3:7: error: missing `date`\n  hint: add `date: 2017-04-11`"
        );
        let w = Diagnostic::warning("a.md", Span::FILE, "odd");
        assert_eq!(w.to_string(), "a.md: warning: odd");
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\nсд ef\n";
        let index = LineIndex::new(text);
        assert_eq!(index.span(text, 0), Span::new(1, 1));
        assert_eq!(index.span(text, 3), Span::new(2, 1));
        // "сд " is 5 bytes, 3 characters.
        assert_eq!(index.span(text, 8), Span::new(2, 4));
    }
}
