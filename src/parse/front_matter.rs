//! The YAML front matter of an article: finding it, and turning its keys
//! into typed values with one diagnostic per wrong key.

use crate::diag::Span;
use crate::model::Date;

use super::smart::smarten;
use super::yaml::{self, Node, Yaml};

/// Longest front matter accepted (a real one is well under 2 KB).
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// The keys ARTICLE-FORMAT.md defines.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "short_title",
    "standfirst",
    "author",
    "date",
    "issue",
    "series",
    "part",
    "image",
    "caption",
    "tags",
    "lang",
];

/// A file cut into its front matter and its body.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// File line of the YAML's first line.
    pub yaml_line: u32,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// A problem found in the front matter: where, what, and a hint.
pub type Problem = (Span, String, Option<String>);

/// Finds the front matter: a first line `---`, the YAML, a line `---` (or `...`).
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err((
            Span::new(1, 1),
            "the article has no front matter".into(),
            Some(
                "start the file with a line `---`, then `title:` and `date:` lines, then `---`"
                    .into(),
            ),
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            if offset - yaml_start > MAX_FRONT_MATTER_BYTES {
                break;
            }
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
        if offset - yaml_start > MAX_FRONT_MATTER_BYTES {
            return Err((
                Span::new(1, 1),
                "the front matter is longer than 64 KB".into(),
                Some("is the closing `---` line missing?".into()),
            ));
        }
    }
    Err((
        Span::new(1, 1),
        "the front matter that starts here is never closed".into(),
        Some("end it with a line holding only `---`".into()),
    ))
}

/// Front matter values, typed but not yet resolved (images are still paths).
#[derive(Debug, Default)]
pub struct RawMeta {
    /// Headline.
    pub title: Option<String>,
    /// Headline for running heads.
    pub short_title: Option<String>,
    /// Standfirst.
    pub standfirst: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Date.
    pub date: Option<Date>,
    /// Issue number.
    pub issue: Option<u32>,
    /// Series slug.
    pub series: Option<String>,
    /// Part number.
    pub part: Option<u32>,
    /// Lead image path and where it was written.
    pub image: Option<(String, Span)>,
    /// Lead image caption.
    pub caption: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Language tag.
    pub lang: Option<String>,
}

/// Errors and warnings of one front matter.
#[derive(Debug, Default)]
pub struct Findings {
    /// Problems that stop the article.
    pub errors: Vec<Problem>,
    /// Problems worth a warning.
    pub warnings: Vec<Problem>,
}

/// Reads the YAML of `split` into typed values. Positions in the findings
/// are file positions.
pub fn read(split: &Split<'_>) -> (RawMeta, Findings) {
    let mut findings = Findings::default();
    let mut meta = RawMeta::default();
    let to_file = |span: Span| Span::new(span.line + split.yaml_line - 1, span.col);
    let top = Span::new(1, 1);
    let root = match yaml::parse(split.yaml) {
        Ok(root) => root,
        Err((span, message)) => {
            findings
                .errors
                .push((to_file(span), format!("front matter: {message}"), None));
            return (meta, findings);
        }
    };
    let entries = match root.value {
        Yaml::Map(entries) => entries,
        Yaml::Null => Vec::new(),
        other => {
            findings.errors.push((
                to_file(root.span),
                format!(
                    "the front matter must be `key: value` lines, found {}",
                    other.kind()
                ),
                None,
            ));
            return (meta, findings);
        }
    };
    let mut reader = Reader {
        findings: &mut findings,
        to_file: &to_file,
    };
    for (key_node, value) in &entries {
        let Yaml::Str(key) = &key_node.value else {
            reader.error(
                key_node.span,
                format!(
                    "a front matter key must be a word, found {}",
                    key_node.value.kind()
                ),
                None,
            );
            continue;
        };
        if matches!(value.value, Yaml::Null) && KNOWN_KEYS.contains(&key.as_str()) {
            continue; // an empty optional key is absent; required ones are checked below
        }
        match key.as_str() {
            "title" => meta.title = reader.text(key, value).map(|t| smarten(&t)),
            "short_title" => meta.short_title = reader.text(key, value).map(|t| smarten(&t)),
            "standfirst" => meta.standfirst = reader.text(key, value).map(|t| smarten(&t)),
            "caption" => meta.caption = reader.text(key, value).map(|t| smarten(&t)),
            "series" => meta.series = reader.text(key, value),
            "author" => meta.authors = reader.text_list(key, value),
            "tags" => meta.tags = reader.text_list(key, value),
            "date" => meta.date = reader.date(value),
            "issue" => meta.issue = reader.whole_number(key, value, 0),
            "part" => meta.part = reader.whole_number(key, value, 1),
            "image" => {
                meta.image = reader
                    .text(key, value)
                    .map(|path| (path, to_file(value.span)))
            }
            "lang" => meta.lang = reader.language(value),
            unknown => {
                let hint = closest_key(unknown)
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("known keys: {}", KNOWN_KEYS.join(", ")));
                reader.findings.warnings.push((
                    to_file(key_node.span),
                    format!("unknown front matter key `{unknown}` is ignored"),
                    Some(hint),
                ));
            }
        }
    }
    let key_span = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k.value == Yaml::Str(name.into()))
            .map(|(k, v)| (to_file(k.span), !matches!(v.value, Yaml::Null)))
    };
    if meta.title.as_deref().is_some_and(|t| t.is_empty()) {
        meta.title = None;
        let at = key_span("title").map_or(top, |(span, _)| span);
        reader.error_at(at, "`title` is empty".into(), None);
    }
    for (key, hint) in [
        (
            "title",
            "add a line such as `title: How Lenin won the party`",
        ),
        ("date", "add a line such as `date: 2017-04-11`"),
    ] {
        match key_span(key) {
            Some((_, true)) => {} // present: a bad value was reported where it is
            Some((span, false)) => reader.error_at(
                span,
                format!("required key `{key}` has no value"),
                Some(hint.into()),
            ),
            None => reader.error_at(
                top,
                format!("missing required key `{key}`"),
                Some(hint.into()),
            ),
        }
    }
    if meta.caption.is_some() && meta.image.is_none() {
        let at = key_span("caption").map_or(top, |(span, _)| span);
        reader.findings.warnings.push((
            at,
            "`caption` is given but there is no `image`; the caption is not printed".into(),
            Some("add the picture with `image:`, or remove `caption:`".into()),
        ));
    }
    if let Some(title) = &meta.title
        && let Some(message) = overlong_title(title)
    {
        let at = key_span("title").map_or(top, |(span, _)| span);
        reader.findings.warnings.push((
            at,
            message,
            Some("keep the headline to a line or two and move the rest into `standfirst`".into()),
        ));
    }
    (meta, findings)
}

/// Longest title set without a warning, in words: about five lines of
/// the display type on an A5 page (60 words fill half of it).
const MAX_TITLE_WORDS: usize = 30;
/// The same in characters, for scripts that do not space their words.
const MAX_TITLE_CHARS: usize = 240;

/// Why a title is too long for a heading, if it is: a pasted paragraph
/// would be set as pages of display type.
fn overlong_title(title: &str) -> Option<String> {
    let words = title.split_whitespace().count();
    let chars = title.chars().count();
    (words > MAX_TITLE_WORDS || chars > MAX_TITLE_CHARS).then(|| {
        format!(
            "the title is {words} words ({chars} characters) long; a heading of more than \
             {MAX_TITLE_WORDS} words ({MAX_TITLE_CHARS} characters) fills much of a page, or pages"
        )
    })
}

/// Typed access to front matter values, recording what is wrong.
struct Reader<'a, F: Fn(Span) -> Span> {
    findings: &'a mut Findings,
    to_file: &'a F,
}

impl<F: Fn(Span) -> Span> Reader<'_, F> {
    fn error(&mut self, span: Span, message: String, hint: Option<String>) {
        let span = (self.to_file)(span);
        self.findings.errors.push((span, message, hint));
    }

    fn error_at(&mut self, span: Span, message: String, hint: Option<String>) {
        self.findings.errors.push((span, message, hint));
    }

    fn text(&mut self, key: &str, node: &Node) -> Option<String> {
        match node.value.as_text() {
            Some(text) => Some(text.trim().to_string()),
            None => {
                self.error(
                    node.span,
                    format!("`{key}` must be text, found {}", node.value.kind()),
                    None,
                );
                None
            }
        }
    }

    fn text_list(&mut self, key: &str, node: &Node) -> Vec<String> {
        match &node.value {
            Yaml::Seq(items) => items
                .iter()
                .filter_map(|item| self.text(key, item))
                .filter(|t| !t.is_empty())
                .collect(),
            _ => self
                .text(key, node)
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    fn whole_number(&mut self, key: &str, node: &Node, min: i64) -> Option<u32> {
        let number = match &node.value {
            Yaml::Int(n) => Some(*n),
            Yaml::Str(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if n >= min && n <= i64::from(u32::MAX) => Some(n as u32),
            _ => {
                let found = node
                    .value
                    .as_text()
                    .map(|t| format!("`{t}`"))
                    .unwrap_or_else(|| node.value.kind().to_string());
                self.error(
                    node.span,
                    format!("`{key}` must be a whole number of at least {min}, found {found}"),
                    None,
                );
                None
            }
        }
    }

    fn date(&mut self, node: &Node) -> Option<Date> {
        let hint = Some("write dates as YYYY-MM-DD, e.g. `date: 2017-04-11`".to_string());
        let Some(text) = node
            .value
            .as_text()
            .filter(|_| !matches!(node.value, Yaml::Null))
        else {
            self.error(
                node.span,
                format!("`date` must be a date, found {}", node.value.kind()),
                hint,
            );
            return None;
        };
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                self.error(node.span, message, hint);
                None
            }
        }
    }

    fn language(&mut self, node: &Node) -> Option<String> {
        let text = self.text("lang", node)?;
        if is_language_tag(&text) {
            Some(text)
        } else {
            self.error(
                node.span,
                format!("`lang: {text}` is not a BCP 47 language tag"),
                Some("use a tag such as `en`, `en-GB` or `ru`".into()),
            );
            None
        }
    }
}

/// Parses `YYYY-MM-DD`, optionally followed by a time, and checks the date exists.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = date_part.split('-').collect();
    let numbers = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>())
        }
        _ => return Err(format!("`{text}` is not a date of the form YYYY-MM-DD")),
    };
    let (Ok(year), Ok(month), Ok(day)) = numbers else {
        return Err(format!("`{text}` is not a date of the form YYYY-MM-DD"));
    };
    Date::new(year, month, day).ok_or_else(|| format!("`{text}` is not a date that exists"))
}

/// A loose BCP 47 check: a 2–3 letter language, then subtags of 1–8
/// letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The known key nearest to a misspelt one, if it is near enough.
fn closest_key(unknown: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|k| (edit_distance(&unknown.to_lowercase(), k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(old + 1);
            prev = old;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> (RawMeta, Findings) {
        let split = split(text).unwrap();
        read(&split)
    }

    #[test]
    fn splits_front_matter() {
        let s = split("---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 17);
        assert!(split("title: x\n").is_err());
        assert!(split("---\ntitle: x\n").is_err());
    }

    #[test]
    fn reads_every_key() {
        let (meta, findings) = read_str(
            "---\ntitle: \"Lenin's \\\"theses\\\"\"\nstandfirst: A -- B\nauthor: [Jane Doe, Иван]\ndate: 2017-04-11\nissue: 2548\nseries: rr\npart: 2\nimage: images/a.jpg\ncaption: Lenin\ntags: [a, b]\nlang: en-GB\n---\n",
        );
        assert!(findings.errors.is_empty(), "{:?}", findings.errors);
        assert_eq!(meta.title.as_deref(), Some("Lenin’s “theses”"));
        assert_eq!(meta.standfirst.as_deref(), Some("A – B"));
        assert_eq!(meta.authors, ["Jane Doe", "Иван"]);
        assert_eq!(meta.date, Date::new(2017, 4, 11));
        assert_eq!((meta.issue, meta.part), (Some(2548), Some(2)));
        assert_eq!(
            meta.image.as_ref().map(|(p, s)| (p.as_str(), s.line)),
            Some(("images/a.jpg", 9))
        );
        assert_eq!(meta.tags, ["a", "b"]);
        assert_eq!(meta.lang.as_deref(), Some("en-GB"));
    }

    #[test]
    fn reports_each_bad_key_where_it_is() {
        let (_, findings) = read_str(
            "---\ntitle: [a, b]\ndate: 2017-02-30\npart: two\nlang: not a tag\ncolour: red\n---\n",
        );
        let lines: Vec<u32> = findings.errors.iter().map(|(s, _, _)| s.line).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", findings.errors);
        assert!(findings.errors[1].1.contains("not a date that exists"));
        assert!(findings.errors[2].1.contains("`two`"));
        assert_eq!(findings.warnings.len(), 1);
        assert_eq!(findings.warnings[0].0, Span::new(6, 1));
    }

    #[test]
    fn missing_required_keys() {
        let (_, findings) = read_str("---\nauthor: x\n---\n");
        let messages: Vec<&str> = findings.errors.iter().map(|(_, m, _)| m.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("`title`")));
        assert!(messages.iter().any(|m| m.contains("`date`")));
    }

    #[test]
    fn suggests_near_keys() {
        assert_eq!(closest_key("titel"), Some("title"));
        assert_eq!(closest_key("Tags"), Some("tags"));
        assert_eq!(closest_key("zzzzzz"), None);
    }

    #[test]
    fn a_title_is_too_long_past_thirty_words_or_240_characters() {
        assert_eq!(overlong_title(&"word ".repeat(30)), None);
        let words = overlong_title("word ".repeat(31).trim()).unwrap();
        assert!(
            words.starts_with("the title is 31 words (154 characters)"),
            "{words}"
        );
        // Unspaced scripts are measured in characters.
        assert!(overlong_title(&"革".repeat(240)).is_none());
        assert!(overlong_title(&"革".repeat(241)).is_some());
    }
}
