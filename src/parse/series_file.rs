//! `series.toml`: the series' title, publisher, language, identifier, cover
//! and `[print]` settings.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{LineIndex, Span};
use crate::style::PrintOptions;

/// The file as written; every key optional.
#[derive(Debug, Default, Deserialize)]
pub struct SeriesFile {
    /// Book title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// BCP 47 language.
    pub language: Option<String>,
    /// Stable identifier (URN).
    pub identifier: Option<String>,
    /// Cover image, relative to the series folder.
    pub cover: Option<String>,
    /// Print settings.
    #[serde(default)]
    pub print: PrintOptions,
    /// Keys we do not know, for warnings.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, toml::Value>,
}

/// A problem in `series.toml`: where, what, and whether it is only a warning.
#[derive(Debug, PartialEq)]
pub struct Problem {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// True for warnings.
    pub warning: bool,
}

/// Parses `series.toml`; on a syntax or type error gives that error.
pub fn parse(text: &str) -> Result<(SeriesFile, Vec<Problem>), Problem> {
    let index = LineIndex::new(text);
    let file: SeriesFile = toml::from_str(text).map_err(|error| Problem {
        span: error
            .span()
            .map_or(Span::new(1, 1), |range| index.span(text, range.start)),
        message: error.message().trim().to_string(),
        warning: false,
    })?;
    let mut problems = Vec::new();
    for key in file.unknown.keys() {
        problems.push(Problem {
            span: key_position(text, &index, key),
            message: format!("unknown key `{key}` in series.toml is ignored"),
            warning: true,
        });
    }
    for (option, message) in file.print.check() {
        problems.push(Problem {
            span: key_position(text, &index, option),
            message: format!("[print] {option}: {message}"),
            warning: false,
        });
    }
    Ok((file, problems))
}

/// Where `key = ...` is written (first occurrence), for diagnostics.
fn key_position(text: &str, index: &LineIndex, key: &str) -> Span {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return index.span(text, offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    Span::new(1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_print_table() {
        let (file, problems) = parse(
            "title = \"1917\"\nlanguage = \"en\"\ncolour = 3\n[print]\npage-size = \"a4\"\nfont-size = 11\n",
        )
        .unwrap();
        assert_eq!(file.title.as_deref(), Some("1917"));
        assert_eq!(file.print.page_size.as_deref(), Some("a4"));
        assert_eq!(file.print.font_size, Some(11.0));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span, Span::new(3, 1));
        assert!(problems[0].warning);
    }

    #[test]
    fn errors_point_at_the_value() {
        let error = parse("title = \"x\"\n[print]\nfont-size = \"big\"\n").unwrap_err();
        assert_eq!(error.span.line, 3);
        let error = parse("[print]\nfont-sise = 11\n").unwrap_err();
        assert!(error.message.contains("font-sise"), "{}", error.message);
        let (_, problems) = parse("[print]\npage-size = \"huge\"\n").unwrap();
        assert_eq!(problems[0].span, Span::new(2, 1));
        assert!(!problems[0].warning);
    }
}
