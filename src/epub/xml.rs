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
/// attribute value when `in_attr`.
fn escape_into(out: &mut String, text: &str, in_attr: bool) {
    for c in text.chars() {
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
}

/// Whether XML 1.0 allows `c` (C1 controls are allowed but mean nothing in
/// text, so they are dropped too).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (!c.is_control() && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

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
