//! The front matter most articles have, read without the YAML parser:
//! one `key: value` line per key, each value a plain word-led scalar, a
//! double-quoted one without escapes, or a one-line `[a, b]` list of such
//! words. Anything else (comments, indentation, empty values, quotes
//! inside lists, numbers other than whole ones and dates, the words YAML
//! reads as booleans or null, ...) is left to [`super::yaml::parse`],
//! which gives the same tree for what is read here at a hundredth of the
//! cost.

use crate::diag::Span;

use super::yaml::{Node, Yaml};

/// Most nodes read here; more is left to the parser, whose budget refuses
/// documents far larger.
const MAX_NODES: usize = 1000;

/// Longest run of digits read as an integer (fits an `i64`).
const MAX_INT_DIGITS: usize = 18;

/// The mapping of `text` when every line is a simple `key: value`, else
/// `None` (the caller parses it in full).
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut nodes = 0;
    for (n, line) in text.split_terminator('\n').enumerate() {
        let line_no = u32::try_from(n + 1).ok()?;
        let (key, value) = entry(line, line_no)?;
        nodes += 2 + seq_len(&value.value);
        if nodes > MAX_NODES || entries.iter().any(|(k, _)| k.value == key.value) {
            return None;
        }
        entries.push((key, value));
    }
    if entries.is_empty() {
        return None;
    }
    Some(Node {
        value: Yaml::Map(entries),
        span: Span::new(1, 1),
    })
}

/// The number of items of a list, 0 for anything else.
fn seq_len(value: &Yaml) -> usize {
    match value {
        Yaml::Seq(items) => items.len(),
        _ => 0,
    }
}

/// One `key: value` line (line `line_no` of the YAML text).
fn entry(line: &str, line_no: u32) -> Option<(Node, Node)> {
    let (key, rest) = line.split_once(':')?;
    if !is_plain_key(key) {
        return None;
    }
    let spaced = rest.strip_prefix(' ')?;
    let value = spaced.trim_start_matches(' ');
    let value_at = line.len() - value.len();
    let value = value.trim_end_matches(' ');
    let col = column(line, value_at);
    let node = if value.starts_with('[') {
        list(value, line_no, col)?
    } else {
        Node {
            value: scalar(value)?,
            span: Span::new(line_no, col),
        }
    };
    let key = Node {
        value: Yaml::Str(key.to_string()),
        span: Span::new(line_no, 1),
    };
    Some((key, node))
}

/// A key of ASCII letters, digits and underscores led by a letter, and
/// not a word YAML reads otherwise.
fn is_plain_key(key: &str) -> bool {
    key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !is_special_word(key)
}

/// The 1-based column (in characters) of byte `at` of `line`.
fn column(line: &str, at: usize) -> u32 {
    line[..at].chars().count() as u32 + 1
}

/// `[a, b, c]` on one line, its items words (see [`plain`]) at least one.
fn list(value: &str, line_no: u32, col: u32) -> Option<Node> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['[', ']', '{', '}', '"', '\'', '#', ':']) {
        return None;
    }
    let mut items = Vec::new();
    let mut at = 1; // bytes of `value` before the item
    for piece in inner.split(',') {
        let item = piece.trim_start_matches(' ');
        let item_at = at + piece.len() - item.len();
        let item = item.trim_end_matches(' ');
        items.push(Node {
            value: plain(item)?,
            span: Span::new(line_no, col + column(value, item_at) - 1),
        });
        at += piece.len() + 1;
    }
    Some(Node {
        value: Yaml::Seq(items),
        span: Span::new(line_no, col),
    })
}

/// A value after `key: `: double-quoted without escapes, or plain.
fn scalar(value: &str) -> Option<Yaml> {
    match value.strip_prefix('"') {
        Some(quoted) => {
            let inner = quoted.strip_suffix('"')?;
            (!inner.contains(['"', '\\'])).then(|| Yaml::Str(inner.to_string()))
        }
        None => plain(value),
    }
}

/// A plain scalar read as YAML would: a string led by a letter or any
/// character outside ASCII, a whole number, or a date (a string), with no
/// character that could start a comment, a key or a flow collection.
fn plain(value: &str) -> Option<Yaml> {
    let first = value.chars().next()?;
    if value.contains([':', '#', '\t', '[', ']', '{', '}']) || is_special_word(value) {
        return None;
    }
    if first.is_ascii_digit() {
        return number_or_date(value);
    }
    (first.is_alphabetic() || !first.is_ascii()).then(|| Yaml::Str(value.to_string()))
}

/// A whole number without a leading zero, or a `YYYY-MM-DD` date (which
/// stays a string).
fn number_or_date(value: &str) -> Option<Yaml> {
    let bytes = value.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) {
        let leading_zero = bytes.len() > 1 && bytes[0] == b'0';
        if leading_zero || bytes.len() > MAX_INT_DIGITS {
            return None;
        }
        return value.parse().ok().map(Yaml::Int);
    }
    let is_date = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    is_date.then(|| Yaml::Str(value.to_string()))
}

/// Words some YAML reads as booleans, null or numbers, in any case.
fn is_special_word(word: &str) -> bool {
    const WORDS: [&str; 13] = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity",
        "none",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the full parser gives, for comparison.
    fn full(text: &str) -> Node {
        super::super::yaml::parse_in_full(text).expect("valid YAML")
    }

    #[test]
    fn reads_what_articles_have_as_the_parser_does() {
        let texts = [
            "title: Workers and the battle for the streets\nstandfirst: And if that—if the view, imputed to him\nauthor: Alex Callinicos\ndate: 2017-11-28\nissue: 2501\nseries: revolutionary-lives\npart: 1\ntags: [Russian Revolution, Petrograd, Kollontai]\nlang: en\n",
            "title: \"Sadie’s “loyal” opposition, a 'view'\"\nimage: images/a b.png\ncaption:   \"A letter exposes to all my heart\"  \n",
            "title: Zoë Müller’s Солидарность\ntags: [Солидарность,  b ,c]\nauthor: Tomáš Novák\n",
            "title: “Curly” first\nstandfirst: It's a 'quote' - and \"more\" & *that* | > % @ `x`\nissue: 0\n",
            "title: x\nissue: 2548\ntags: [a]\n",
        ];
        for text in texts {
            let fast = parse(text).expect("read here");
            assert_eq!(fast, full(text), "{text}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_parser() {
        let texts = [
            "",
            "lang: no\n",
            "title: True\n",
            "title:\n",
            "title: a # comment\n",
            "title: a: b\n",
            "  title: a\n",
            "title: a\n  more\n",
            "title: 'single'\n",
            "title: \"esc\\\"aped\"\n",
            "issue: 0123\n",
            "issue: 1.5\n",
            "issue: 1_000\n",
            "date: 2017-11-28T10:00\n",
            "tags: [a, [b]]\n",
            "tags: [a, ]\n",
            "tags: []\n",
            "tags: [\"a\"]\n",
            "title: a\ntitle: b\n",
            "- a\n",
            "title: -a\n",
            "title: &x a\n",
            "title:\ta\n",
            "title: [a] b\n",
            "title: {a}\n",
        ];
        for text in texts {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
