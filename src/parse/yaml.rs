//! Front matter YAML as a small value tree in which every node knows its
//! line and column, so that each wrong key can be reported where it is and
//! all of them in one run.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use crate::diag::Span;

/// A YAML node.
#[derive(Debug, PartialEq)]
pub enum Yaml {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false` (YAML 1.2 spellings only: `no` stays a string).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in document order.
    Map(Vec<(Node, Node)>),
}

/// A YAML node and where it starts in the YAML text.
#[derive(Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Yaml,
    /// Position within the YAML text (line 1 is its first line).
    pub span: Span,
}

impl Yaml {
    /// A word for the node's type, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "a boolean",
            Yaml::Int(_) => "an integer",
            Yaml::Float(_) => "a number",
            Yaml::Str(_) => "a string",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }

    /// The scalar as text (numbers as written by Rust), `None` for
    /// lists, mappings and null.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Yaml::Str(s) => Some(s.clone()),
            Yaml::Int(i) => Some(i.to_string()),
            Yaml::Float(f) => Some(f.to_string()),
            Yaml::Bool(b) => Some(b.to_string()),
            Yaml::Null | Yaml::Seq(_) | Yaml::Map(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Yaml>::deserialize(deserializer)?;
        let at = spanned.referenced;
        Ok(Node {
            value: spanned.value,
            span: Span::new(at.line() as u32, at.column() as u32),
        })
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Yaml, E> {
        i64::try_from(v)
            .map(Yaml::Int)
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Yaml::Map(entries))
    }
}

/// Parses front matter YAML with budgets small enough that alias bombs and
/// deep nesting are refused at once. On failure gives the position (within
/// the YAML text) and a message without source snippet.
pub fn parse(text: &str) -> Result<Node, (Span, String)> {
    let mut budget = Budget::default();
    budget.max_events = 20_000;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_nodes = 10_000;
    budget.max_depth = 16;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = 1 << 20;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|error| {
        let span = error
            .location()
            .map(|at| Span::new(at.line() as u32, at.column() as u32))
            .unwrap_or(Span::new(1, 1));
        let message = clean_message(&error.without_snippet().to_string());
        // The scanner reports a tab where it was scanning (often the end
        // of the line before): point at the tab itself.
        let span = if message.contains("tab") {
            first_tab_from(text, span).unwrap_or(span)
        } else {
            span
        };
        (span, message)
    })
}

/// The position of the first tab on the line of `from` or after it.
fn first_tab_from(text: &str, from: Span) -> Option<Span> {
    text.lines()
        .enumerate()
        .skip(from.line.saturating_sub(1) as usize)
        .find_map(|(n, line)| {
            let col = line.chars().position(|c| c == '\t')?;
            Some(Span::new(n as u32 + 1, col as u32 + 1))
        })
}

/// serde-saphyr appends "at line L, column C" to its messages; the
/// diagnostic carries the position already.
fn clean_message(message: &str) -> String {
    let cut = message.find(" at line ").unwrap_or(message.len());
    let message = &message[..cut];
    if message.contains("budget breached") {
        "the front matter is too large or expands too far (YAML aliases or nesting)".to_string()
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_types() {
        let node = parse("title: x\nissue: 2548\nlang: no\ntags: [a, b]\n").unwrap();
        let Yaml::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].1.value, Yaml::Int(2548));
        assert_eq!(entries[1].1.span, Span::new(2, 8));
        assert_eq!(entries[2].1.value, Yaml::Str("no".into()));
        assert!(matches!(entries[3].1.value, Yaml::Seq(ref v) if v.len() == 2));
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g"][i];
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let (_, message) = parse(&bomb).unwrap_err();
        assert!(message.contains("too large"), "{message}");
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let (span, message) = parse("title: [unclosed\n").unwrap_err();
        assert_eq!(span, Span::new(1, 8));
        // A tab is reported where it is, not where the scanner stood.
        let (span, message_tab) = parse("title: T\n\tdate: 2020-01-01\n").unwrap_err();
        assert!(message_tab.contains("tab"), "{message_tab}");
        assert_eq!(span, Span::new(2, 1));
        assert!(message.contains("unclosed"), "{message}");
    }
}
