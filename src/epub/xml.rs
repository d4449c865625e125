//! A small XML writer that escapes every value it is given.
//!
//! Element and attribute names are `&'static str`, so only text written
//! in this crate's source can become markup; titles, captions, URLs and all
//! other input reach the output through [`Xml::text`] or an attribute value,
//! both escaped. Characters XML 1.0 forbids (most control characters) are
//! dropped, so no input can make a document ill-formed.

/// An XML document being written.
#[derive(Debug, Default)]
pub(super) struct Xml {
    out: String,
}

/// An attribute: a name from the source, a value from anywhere.
pub(super) type Attr<'a> = (&'static str, &'a str);

impl Xml {
    /// An empty document with the XML declaration.
    pub(super) fn with_declaration() -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        }
    }

    /// Fixed markup from the source (a doctype, a line break).
    pub(super) fn markup(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// A start tag.
    pub(super) fn start(&mut self, name: &'static str, attrs: &[Attr<'_>]) {
        self.open_tag(name, attrs);
        self.out.push('>');
    }

    /// An end tag.
    pub(super) fn end(&mut self, name: &'static str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An empty element (`<br/>`).
    pub(super) fn empty(&mut self, name: &'static str, attrs: &[Attr<'_>]) {
        self.open_tag(name, attrs);
        self.out.push_str("/>");
    }

    /// An element holding only text.
    pub(super) fn leaf(&mut self, name: &'static str, attrs: &[Attr<'_>], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    /// Character data, escaped.
    pub(super) fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, false);
    }

    /// Ends the current line, to keep block structure readable.
    pub(super) fn newline(&mut self) {
        self.out.push('\n');
    }

    /// The document's text.
    pub(super) fn finish(self) -> String {
        self.out
    }

    fn open_tag(&mut self, name: &'static str, attrs: &[Attr<'_>]) {
        self.out.push('<');
        self.out.push_str(name);
        for (attr, value) in attrs {
            self.out.push(' ');
            self.out.push_str(attr);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }
}

/// Appends `text` escaped for character data, or for a double-quoted
/// attribute value when `in_attr`. Runs of plain text are copied whole:
/// only a byte that may start something to escape or drop is looked at
/// as a character.
fn escape_into(out: &mut String, text: &str, in_attr: bool) {
    let bytes = text.as_bytes();
    let mut plain = 0;
    while let Some(found) = bytes[plain..]
        .iter()
        .position(|&b| MAY_NEED_ESCAPE[usize::from(b)])
    {
        let at = plain + found;
        out.push_str(&text[plain..at]);
        // A lead byte or an ASCII byte: `at` starts a character.
        let c = text[at..].chars().next().unwrap_or_default();
        escape_char(out, c, in_attr);
        plain = at + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

/// Whether a character starting with the byte may be escaped or dropped:
/// ASCII controls and markup, and the lead bytes of the C1 controls
/// (U+0080–U+009F) and of U+FFFE and U+FFFF. A table: one look a byte.
static MAY_NEED_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(
            byte as u8,
            0..=0x1F | b'&' | b'<' | b'>' | b'"' | 0x7F | 0xC2 | 0xEF
        );
        byte += 1;
    }
    table
};

/// Appends `c` escaped, or nothing for a character XML does not allow.
fn escape_char(out: &mut String, c: char, in_attr: bool) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' if in_attr => out.push_str("&quot;"),
        // Attribute values are normalised by XML parsers: keep these.
        '\n' if in_attr => out.push_str("&#10;"),
        '\t' if in_attr => out.push_str("&#9;"),
        '\r' => out.push_str("&#13;"),
        c if is_xml_char(c) => out.push(c),
        _ => {}
    }
}

/// Whether XML 1.0 allows `c` (C1 controls are allowed but mean nothing in
/// text, so they are dropped too).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (!c.is_control() && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character through [`escape_char`] one at a time: what the
    /// copying of plain runs must give.
    fn escaped_char_by_char(text: &str, in_attr: bool) -> String {
        let mut out = String::new();
        for c in text.chars() {
            escape_char(&mut out, c, in_attr);
        }
        out
    }

    #[test]
    fn plain_runs_are_copied_as_each_character_would_be() {
        let samples = [
            "",
            "plain",
            "a & b < c > d \"e\" 'f'",
            "line\nbreak\ttab\rreturn\u{0}nul\u{7F}del",
            "C1 \u{80}\u{85}\u{9F} kept \u{A0}\u{BF}\u{C0}é",
            "Вся власть Советам — «мир» “peace” …",
            "\u{FFFE}\u{FFFF}\u{FFFD}\u{EFFF}\u{F000}\u{1F600}",
            "&&<<>>\"\"",
            "ends with a control\u{1}",
        ];
        for text in samples {
            for in_attr in [false, true] {
                let mut out = String::from("<");
                escape_into(&mut out, text, in_attr);
                assert_eq!(out[1..], escaped_char_by_char(text, in_attr), "{text:?}");
            }
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut xml = Xml::default();
        xml.leaf(
            "p",
            &[("title", "a \"b\" <c> & 'd'\nnext")],
            "<script>alert(\"x\") & 'y'</script>",
        );
        assert_eq!(
            xml.finish(),
            "<p title=\"a &quot;b&quot; &lt;c&gt; &amp; 'd'&#10;next\">\
             &lt;script&gt;alert(\"x\") &amp; 'y'&lt;/script&gt;</p>"
        );
    }

    #[test]
    fn forbidden_characters_are_dropped() {
        let mut xml = Xml::default();
        xml.text("a\u{0}b\u{1b}c\u{85}d\u{FFFF}e\tf");
        assert_eq!(xml.finish(), "abcde\tf");
    }
}
