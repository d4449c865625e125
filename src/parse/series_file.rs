//! `series.toml`: the series' title, people, publisher, language,
//! identifiers, cover and `[print]` settings.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::smart;
use crate::diag::{LineIndex, Span};
use crate::style::{PrintOptions, Style};

/// The file as written; every key optional.
#[derive(Debug, Default, Deserialize)]
pub struct SeriesFile {
    /// Book title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// The author or authors of the whole series, when one person (or
    /// one team) wrote it all.
    pub author: Option<Names>,
    /// The editor or editors who put the series together.
    pub editor: Option<Names>,
    /// Publisher.
    pub publisher: Option<String>,
    /// BCP 47 language.
    pub language: Option<String>,
    /// Stable identifier (URN).
    pub identifier: Option<String>,
    /// The e-book's ISBN, as written (hyphens and spaces allowed); checked
    /// by [`parse`].
    pub isbn: Option<String>,
    /// The series' canonical web address (its page on the publisher's
    /// site); checked by [`parse`], and given as a second identifier that
    /// calibre and the stores list.
    pub url: Option<String>,
    /// Cover image, relative to the series folder.
    pub cover: Option<String>,
    /// Print settings.
    #[serde(default)]
    pub print: PrintOptions,
    /// Keys we do not know, for warnings.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, toml::Value>,
    /// Every distinct character the book prints from this file (see
    /// [`PRINTED_KEYS`]), sorted, with its place; filled by [`parse`].
    #[serde(skip)]
    pub printed_characters: Vec<(char, Span)>,
}

/// The keys whose values the book prints (title page, cover, running
/// furniture), so that their characters need a font.
pub const PRINTED_KEYS: [&str; 3] = ["title", "subtitle", "publisher"];

/// One name or a list of them: `editor = "A"` or `editor = ["A", "B"]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged, expecting = "a name or a list of names")]
pub enum Names {
    /// `key = "A"`.
    One(String),
    /// `key = ["A", "B"]`.
    Many(Vec<String>),
}

impl Names {
    /// The names that are not blank, trimmed, in order.
    pub fn to_vec(&self) -> Vec<String> {
        let names: &[String] = match self {
            Names::One(name) => std::slice::from_ref(name),
            Names::Many(names) => names,
        };
        names
            .iter()
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect()
    }
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
    let mut print_ok = true;
    if let Some(toml::Value::Table(print)) = table.get_mut("print") {
        for (key, message) in wrong_keys::<PrintOptions>(print) {
            print_ok = false;
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
    let mut file = SeriesFile::deserialize(toml::Value::Table(table)).unwrap_or_default();
    file.printed_characters = printed_characters(text, &index, &file);
    for key in file.unknown.keys() {
        problems.push(Problem {
            span: key_position(text, &index, None, key),
            message: format!("unknown key `{key}` in series.toml is ignored"),
            warning: true,
        });
    }
    if let Some(Err(message)) = file.isbn.as_deref().map(isbn13) {
        problems.push(Problem {
            span: key_position(text, &index, None, "isbn"),
            message,
            warning: false,
        });
    }
    if let Some(Err(message)) = file.url.as_deref().map(web_address) {
        problems.push(Problem {
            span: key_position(text, &index, None, "url"),
            message,
            warning: false,
        });
    }
    for (option, message) in file.print.check() {
        print_ok = false;
        problems.push(Problem {
            span: key_position(text, &index, Some("print"), option),
            message: format!("[print] {option}: {message}"),
            warning: false,
        });
    }
    // Values that are right one by one may not fit together (a measure
    // wider than the page): the one at fault is shown where it is, and
    // left out like a wrong key.
    while print_ok && let Err(error) = Style::resolve(&file.print) {
        problems.push(Problem {
            span: key_position(text, &index, Some("print"), error.option),
            message: format!("[print] {}: {}", error.option, error.message),
            warning: false,
        });
        print_ok = file.print.forget(error.option);
    }
    problems.sort_by_key(|p| p.span);
    Ok((file, problems))
}

/// Every distinct character of the printed values, as the book prints
/// them, with its place: where it is first written in the value,
/// else (an escape, or a curly quote made from a straight one) the key's.
/// One pass over each value's text, whatever its length.
fn printed_characters(text: &str, index: &LineIndex, file: &SeriesFile) -> Vec<(char, Span)> {
    let mut found: BTreeMap<char, Span> = BTreeMap::new();
    let values = [&file.title, &file.subtitle, &file.publisher];
    for (key, value) in PRINTED_KEYS.into_iter().zip(values) {
        let (Some(value), Some(start)) = (value, key_offset(text, None, key)) else {
            continue;
        };
        let mut written: BTreeMap<char, usize> = BTreeMap::new();
        for (at, c) in text[start..value_end(text, start)].char_indices() {
            written.entry(c).or_insert(start + at);
        }
        // As printed: the title and subtitle with curly quotes and dashes.
        let printed = match key {
            "publisher" => value.clone(),
            _ => smart::smarten(value),
        };
        for c in printed.chars() {
            found
                .entry(c)
                .or_insert_with(|| index.span(text, written.get(&c).copied().unwrap_or(start)));
        }
    }
    found.into_iter().collect()
}

/// Where the value of the key at `start` ends: its line's end, or the
/// file's for a multi-line string.
fn value_end(text: &str, start: usize) -> usize {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..line_end];
    if line.contains("\"\"\"") || line.contains("'''") {
        text.len()
    } else {
        line_end
    }
}

/// The web address as written, if it is an absolute `https://` or
/// `http://` address with a host and no spaces; an error that says why
/// otherwise.
pub fn web_address(text: &str) -> Result<String, String> {
    let bad = |why: &str| Err(format!("`url = \"{text}\"` is not a web address: {why}"));
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return bad("a web address starts with https:// (or http://)");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return bad("there is no host after the scheme");
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it has a space or a control character (write a space as %20)");
    }
    Ok(text.to_string())
}

/// The ISBN-13 of an ISBN written with or without hyphens and spaces: an
/// ISBN-10 is turned into its ISBN-13 (978 prefix); a wrong length or
/// check digit is an error that says which.
pub fn isbn13(text: &str) -> Result<String, String> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2011}'))
        .collect();
    let compact = compact.to_ascii_uppercase();
    let body = compact.strip_prefix("ISBN").unwrap_or(&compact);
    let body = body.strip_prefix(':').unwrap_or(body);
    let bad = |why: &str| {
        Err(format!(
            "`isbn = \"{}\"` is not an ISBN: {why}",
            text.trim()
        ))
    };
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    match body.len() {
        13 if digits.len() == 13 => {
            if !body.starts_with("978") && !body.starts_with("979") {
                return bad("an ISBN-13 starts with 978 or 979");
            }
            if isbn13_check(&digits[..12]) != digits[12] {
                return bad("the check digit does not match");
            }
            Ok(body.to_string())
        }
        10 if digits.len() == 10 || (digits.len() == 9 && body.ends_with('X')) => {
            let weighted: u32 = digits[..9]
                .iter()
                .enumerate()
                .map(|(i, d)| (10 - i as u32) * d)
                .sum();
            let check = digits.get(9).copied().unwrap_or(10);
            if !(weighted + check).is_multiple_of(11) {
                return bad("the check digit does not match");
            }
            let mut thirteen: Vec<u32> = vec![9, 7, 8];
            thirteen.extend(&digits[..9]);
            thirteen.push(isbn13_check(&thirteen));
            Ok(thirteen
                .iter()
                .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                .collect())
        }
        _ => bad("an ISBN has 13 digits (or 10, the last of which may be X)"),
    }
}

/// The check digit of the first twelve digits of an ISBN-13.
fn isbn13_check(twelve: &[u32]) -> u32 {
    let sum: u32 = twelve
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { 3 * d })
        .sum();
    (10 - sum % 10) % 10
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

/// Where `[print] option = ...` is written in the text of a `series.toml`,
/// for a value that fails only with the command line's options.
pub fn print_key_position(text: &str, option: &str) -> Span {
    key_position(text, &LineIndex::new(text), Some("print"), option)
}

/// Where `key = ...` (or the table `[key]`) is written in `section` (the
/// top level when `None`), first occurrence, for diagnostics.
fn key_position(text: &str, index: &LineIndex, section: Option<&str>, key: &str) -> Span {
    key_offset(text, section, key).map_or(Span::new(1, 1), |at| index.span(text, at))
}

/// The byte offset of `key` (or of the `[key]` table header) in
/// `section` of `text`, if it is there.
fn key_offset(text: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut offset = 0;
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let at = offset + (line.len() - trimmed.len());
        offset += line.len();
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.split(']').next().unwrap_or("").trim().to_string();
            if section.is_none() && name == key {
                return Some(at);
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
            return Some(at);
        }
    }
    None
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
    fn people_are_one_name_or_a_list() {
        let (file, problems) =
            parse("author = \"Jane Doe\"\neditor = [\"A. Editor\", \" \", \"B. Editor\"]\n")
                .unwrap();
        assert!(problems.is_empty());
        assert_eq!(file.author.unwrap().to_vec(), ["Jane Doe"]);
        assert_eq!(file.editor.unwrap().to_vec(), ["A. Editor", "B. Editor"]);
        let (file, problems) = parse("title = \"x\"\neditor = 3\n").unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span.line, 2);
        assert!(!problems[0].warning);
        assert!(
            problems[0].message.contains("a name or a list of names"),
            "{}",
            problems[0].message
        );
        assert!(file.editor.is_none());
    }

    #[test]
    fn isbns_are_checked_and_given_as_isbn13() {
        assert_eq!(isbn13("978-0-306-40615-7").unwrap(), "9780306406157");
        assert_eq!(isbn13("ISBN 978 0 306 40615 7").unwrap(), "9780306406157");
        assert_eq!(isbn13("0-306-40615-2").unwrap(), "9780306406157");
        assert_eq!(isbn13("0-8044-2957-X").unwrap(), "9780804429573");
        let wrong = isbn13("978-0-306-40615-8").unwrap_err();
        assert!(wrong.contains("check digit"), "{wrong}");
        assert!(isbn13("0-306-40615-3").is_err());
        assert!(isbn13("977-0-306-40615-7").is_err());
        assert!(isbn13("12345").unwrap_err().contains("13 digits"));
        assert!(isbn13("978030640615X").is_err());
        let (_, problems) = parse("title = \"x\"\nisbn = \"978-0-306-40615-8\"\n").unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span, Span::new(2, 1));
        assert!(!problems[0].warning);
    }

    #[test]
    fn web_addresses_are_checked() {
        let page = "https://socialistworker.co.uk/tag/view/628";
        assert_eq!(web_address(page).unwrap(), page);
        assert!(web_address("http://example.org").is_ok());
        for (wrong, why) in [
            ("socialistworker.co.uk/tag", "starts with https://"),
            ("ftp://example.org/x", "starts with https://"),
            ("https:///path", "no host"),
            ("https://example.org/a page", "space"),
        ] {
            let message = web_address(wrong).unwrap_err();
            assert!(message.contains(why), "{wrong}: {message}");
        }
        let (file, problems) = parse("title = \"x\"\n\nurl = \"www.example.org\"\n").unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span, Span::new(3, 1));
        assert!(!problems[0].warning);
        assert!(
            problems[0]
                .message
                .starts_with("`url = \"www.example.org\"`")
        );
        assert_eq!(file.url.as_deref(), Some("www.example.org"));
    }

    #[test]
    fn printed_characters_are_placed_where_written() {
        let text = "# Ж in a comment is not printed\nlanguage = \"ru\"\ntitle = \"Вся 'власть'\"\n\
                    subtitle = \"\\u0416 Ж\"\npublisher = \"Ж\"\n[print]\nfont-dir = \"Ё\"\n";
        let (file, problems) = parse(text).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let place = |c: char| {
            let found = file.printed_characters.iter().find(|(x, _)| *x == c);
            found.map(|(_, span)| (span.line, span.col))
        };
        assert_eq!(place('В'), Some((3, 10)));
        // Curly quotes made from straight ones: at the key.
        assert_eq!(place('‘'), Some((3, 1)));
        assert_eq!(place('\''), None);
        // The first place in the printed values, not the comment's; an
        // escape is found where the character is written as itself.
        assert_eq!(place('Ж'), Some((4, 20)));
        assert_eq!(place('Ё'), None, "[print] is not printed");
        assert!(file.printed_characters.is_sorted_by_key(|(c, _)| *c));
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

    #[test]
    fn print_values_that_do_not_fit_together_are_reported_at_the_one_at_fault() {
        let (file, problems) =
            parse("title = \"x\"\n\n[print]\npage-size = \"a5\"\nmeasure = \"140mm\"\n").unwrap();
        // Left out, like a wrong key: the rest is read.
        assert_eq!(file.print.measure, None);
        assert_eq!(file.print.page_size.as_deref(), Some("a5"));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].span, Span::new(5, 1));
        assert!(!problems[0].warning);
        assert!(
            problems[0]
                .message
                .starts_with("[print] measure: the measure (140.0 mm) leaves less than 5 mm"),
            "{}",
            problems[0].message
        );
        assert_eq!(
            print_key_position("[print]\n  leading = 9\n", "leading"),
            Span::new(2, 3)
        );
    }
}
