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

/// Parses `series.toml`. A syntax error is the one error given; otherwise
/// every key is checked on its own, so that all wrong ones are reported
/// (each at its line) and left out, and the rest is read.
pub fn parse(text: &str) -> Result<(SeriesFile, Vec<Problem>), Problem> {
    let index = LineIndex::new(text);
    let mut table: toml::Table = toml::from_str(text).map_err(|error| Problem {
        span: error
            .span()
            .map_or(Span::new(1, 1), |range| index.span(text, range.start)),
        message: error.message().trim().to_string(),
        warning: false,
    })?;
    let mut problems = Vec::new();
    if let Some(toml::Value::Table(print)) = table.get_mut("print") {
        for (key, message) in wrong_keys::<PrintOptions>(print) {
            problems.push(Problem {
                span: key_position(text, &index, Some("print"), &key),
                message: format!("[print] {key}: {message}"),
                warning: false,
            });
        }
    }
    for (key, message) in wrong_keys::<SeriesFile>(&mut table) {
        problems.push(Problem {
            span: key_position(text, &index, None, &key),
            message: format!("{key}: {message}"),
            warning: false,
        });
    }
    let file = SeriesFile::deserialize(toml::Value::Table(table)).unwrap_or_default();
    for key in file.unknown.keys() {
        problems.push(Problem {
            span: key_position(text, &index, None, key),
            message: format!("unknown key `{key}` in series.toml is ignored"),
            warning: true,
        });
    }
    for (option, message) in file.print.check() {
        problems.push(Problem {
            span: key_position(text, &index, Some("print"), option),
            message: format!("[print] {option}: {message}"),
            warning: false,
        });
    }
    problems.sort_by_key(|p| p.span);
    Ok((file, problems))
}

/// Removes from `table` each key that `T` does not accept on its own,
/// giving the key and why.
fn wrong_keys<T: serde::de::DeserializeOwned>(table: &mut toml::Table) -> Vec<(String, String)> {
    let keys: Vec<String> = table.keys().cloned().collect();
    let mut wrong = Vec::new();
    for key in keys {
        let one = toml::Table::from_iter([(key.clone(), table[&key].clone())]);
        if let Err(error) = T::deserialize(toml::Value::Table(one)) {
            table.remove(&key);
            wrong.push((key, error.message().trim().to_string()));
        }
    }
    wrong
}

/// Where `key = ...` (or the table `[key]`) is written in `section` (the
/// top level when `None`), first occurrence, for diagnostics.
fn key_position(text: &str, index: &LineIndex, section: Option<&str>, key: &str) -> Span {
    let mut offset = 0;
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let at = offset + (line.len() - trimmed.len());
        offset += line.len();
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.split(']').next().unwrap_or("").trim().to_string();
            if section.is_none() && name == key {
                return index.span(text, at);
            }
            current = Some(name);
            continue;
        }
        if current.as_deref() != section {
            continue;
        }
        let unquoted = trimmed.trim_start_matches('"');
        if let Some(rest) = unquoted.strip_prefix(key)
            && rest.trim_start_matches('"').trim_start().starts_with('=')
        {
            return index.span(text, at);
        }
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
    fn every_wrong_key_is_reported_at_its_line() {
        let (file, problems) = parse(
            "title = 5\nsubtitle = \"ok\"\nlanguage = [1]\n[print]\nfont-size = \"big\"\nfont-sise = 11\npage-size = \"huge\"\nleading = 14\n[extra]\nx = 1\n",
        )
        .unwrap();
        let found: Vec<(u32, bool, &str)> = problems
            .iter()
            .map(|p| (p.span.line, p.warning, p.message.as_str()))
            .collect();
        let lines: Vec<(u32, bool)> = found.iter().map(|(l, w, _)| (*l, *w)).collect();
        assert_eq!(
            lines,
            [
                (1, false),
                (3, false),
                (5, false),
                (6, false),
                (7, false),
                (9, true)
            ],
            "{found:#?}"
        );
        assert!(found[3].2.contains("font-sise"), "{found:#?}");
        assert_eq!(file.subtitle.as_deref(), Some("ok"));
        assert_eq!(file.print.leading, Some(14.0));
    }
}
