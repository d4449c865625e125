//! The Markdown body: pulldown-cmark's event stream folded into typed
//! blocks and inlines, with figures, pull quotes and footnotes recognised
//! and anything we will not render reported.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, LineIndex, Span};
use crate::model::{Align, Block, BlockKind, Figure, Footnote, Inline, List, ListItem, Table};

use super::images::ImageLoader;

/// Deepest nesting of quotes, lists and emphasis accepted. Real articles use
/// two or three levels; thousands are an attack on the stack.
pub const MAX_DEPTH: usize = 32;

/// The marker that turns a block quote into a pull quote.
const PULL_QUOTE_MARKER: &str = "[!PULLQUOTE]";

/// What the body of an article parses into.
pub struct Body {
    /// Blocks in order.
    pub blocks: Vec<Block>,
    /// Footnotes in order of first reference.
    pub notes: Vec<Footnote>,
}

/// Everything the converter needs to know about the file it reads.
pub struct Context<'a> {
    /// The article file, for diagnostics.
    pub path: &'a Path,
    /// The whole file text.
    pub text: &'a str,
    /// Line index of `text`.
    pub index: &'a LineIndex,
    /// Byte offset of the body within `text`.
    pub body_offset: usize,
    /// Loads images named by the body.
    pub images: &'a ImageLoader,
    /// Folder that image paths are relative to.
    pub base: &'a Path,
}

/// Parses the body, pushing diagnostics as it goes.
pub fn parse_body(cx: Context<'_>, diags: &mut Vec<Diagnostic>) -> Body {
    let body = &cx.text[cx.body_offset..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(body, options).into_offset_iter().collect();
    let mut converter = Converter {
        cx,
        events,
        pos: 0,
        depth: 0,
        diags,
        note_defs: HashMap::new(),
        note_order: Vec::new(),
        task: None,
    };
    let blocks = converter.blocks(None);
    let notes = converter.finish_notes();
    Body { blocks, notes }
}

struct Converter<'a, 'd> {
    cx: Context<'a>,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    depth: usize,
    diags: &'d mut Vec<Diagnostic>,
    note_defs: HashMap<String, Footnote>,
    note_order: Vec<(String, Span)>,
    task: Option<bool>,
}

impl<'a> Converter<'a, '_> {
    fn span_at(&self, body_byte: usize) -> Span {
        self.cx
            .index
            .span(self.cx.text, self.cx.body_offset + body_byte)
    }

    fn span(&self) -> Span {
        let at = self
            .events
            .get(self.pos)
            .map_or(self.cx.text.len() - self.cx.body_offset, |(_, r)| r.start);
        self.span_at(at)
    }

    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::error(self.cx.path, span, message));
        self.diags.last_mut().expect("just pushed")
    }

    fn warn(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::warning(self.cx.path, span, message));
        self.diags.last_mut().expect("just pushed")
    }

    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.get(self.pos).map(|(e, _)| e.clone());
        self.pos += 1;
        event
    }

    /// Skips past the end of the element whose start was just consumed.
    fn skip_element(&mut self) {
        let mut level = 1usize;
        while let Some(event) = self.next() {
            match event {
                Event::Start(_) => level += 1,
                Event::End(_) => {
                    level -= 1;
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Enters one level of nesting; false (after an error) when too deep.
    fn enter(&mut self, span: Span) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            self.error(span, format!("nesting deeper than {MAX_DEPTH} levels"))
                .hints
                .push(
                    "quotes, lists and emphasis this deep cannot be typeset; flatten the structure"
                        .into(),
                );
            self.skip_element();
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Blocks until `end` (consumed), or to the end of input.
    fn blocks(&mut self, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some(event) = self.peek().cloned() {
            let span = self.span();
            match event {
                Event::End(tag) => {
                    self.pos += 1;
                    if Some(tag) == end {
                        return blocks;
                    }
                }
                Event::Start(tag) if is_block(&tag) => {
                    self.pos += 1;
                    if let Some(kind) = self.block(tag, span) {
                        blocks.push(Block { kind, span });
                    }
                }
                Event::Rule => {
                    self.pos += 1;
                    blocks.push(Block {
                        kind: BlockKind::Rule,
                        span,
                    });
                }
                Event::Html(html) => {
                    self.pos += 1;
                    self.report_html(&html, span);
                }
                Event::TaskListMarker(checked) => {
                    self.pos += 1;
                    self.task = Some(checked);
                }
                _ => {
                    // Inline content directly in a container (tight list items).
                    let content = self.inlines(None);
                    if !content.is_empty() {
                        blocks.push(Block {
                            kind: BlockKind::Paragraph(content),
                            span,
                        });
                    }
                }
            }
        }
        blocks
    }

    fn block(&mut self, tag: Tag<'a>, span: Span) -> Option<BlockKind> {
        match tag {
            Tag::Paragraph => self.paragraph(span),
            Tag::Heading { level, .. } => {
                let content = self.inlines(Some(TagEnd::Heading(level)));
                Some(BlockKind::Heading {
                    level: level as u8,
                    content,
                })
            }
            Tag::BlockQuote(kind) => {
                if !self.enter(span) {
                    return None;
                }
                let blocks = self.blocks(Some(TagEnd::BlockQuote(kind)));
                self.leave();
                Some(quote_or_pull_quote(blocks))
            }
            Tag::CodeBlock(kind) => {
                let mut text = String::new();
                while let Some(event) = self.next() {
                    match event {
                        Event::Text(t) => text.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                Some(BlockKind::Code {
                    lang,
                    text: text.trim_end_matches('\n').to_string(),
                })
            }
            Tag::HtmlBlock => {
                let mut html = String::new();
                while let Some(event) = self.next() {
                    match event {
                        Event::Html(t) | Event::Text(t) => html.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                self.report_html(&html, span);
                None
            }
            Tag::List(start) => {
                if !self.enter(span) {
                    return None;
                }
                let list = self.list(start);
                self.leave();
                Some(BlockKind::List(list))
            }
            Tag::FootnoteDefinition(label) => {
                if !self.enter(span) {
                    return None;
                }
                let blocks = self.blocks(Some(TagEnd::FootnoteDefinition));
                self.leave();
                let label = label.to_string();
                if self.note_defs.contains_key(&label) {
                    self.warn(
                        span,
                        format!(
                            "footnote `[^{label}]` is defined twice; the first definition is used"
                        ),
                    );
                } else {
                    self.note_defs.insert(
                        label.clone(),
                        Footnote {
                            label,
                            blocks,
                            span,
                        },
                    );
                }
                None
            }
            Tag::Table(alignments) => Some(BlockKind::Table(self.table(alignments))),
            other => {
                // Not enabled in the parser options; keep the text if any.
                let _ = other;
                self.skip_element();
                None
            }
        }
    }

    /// A paragraph, or a figure when it holds one image and nothing else.
    fn paragraph(&mut self, span: Span) -> Option<BlockKind> {
        if let Some(Event::Start(Tag::Image {
            dest_url, title, ..
        })) = self.peek().cloned()
        {
            let image_at = self.pos;
            self.pos += 1;
            let caption = self.inlines(Some(TagEnd::Image));
            if matches!(self.peek(), Some(Event::End(TagEnd::Paragraph))) {
                self.pos += 1;
                return self
                    .figure(&dest_url, &title, caption, span)
                    .map(BlockKind::Figure);
            }
            self.pos = image_at;
        }
        let content = self.inlines(Some(TagEnd::Paragraph));
        (!content.is_empty()).then_some(BlockKind::Paragraph(content))
    }

    fn figure(
        &mut self,
        url: &str,
        title: &str,
        caption: Vec<Inline>,
        span: Span,
    ) -> Option<Figure> {
        let image = match self.cx.images.load(self.cx.base, url) {
            Ok(image) => image,
            Err(error) => {
                let hint = error.hint();
                let d = self.error(span, error.to_string());
                if let Some(hint) = hint {
                    d.hints.push(hint.into());
                }
                return None;
            }
        };
        let caption_text = crate::model::plain_text(&caption);
        let alt = if title.trim().is_empty() {
            caption_text
        } else {
            title.trim().to_string()
        };
        if alt.trim().is_empty() {
            self.warn(span, format!("image `{url}` has no caption or description"))
                .hints
                .push(
                    "write a caption between the brackets: ![What the picture shows](path)".into(),
                );
        }
        Some(Figure {
            image,
            caption,
            alt,
            span,
        })
    }

    fn list(&mut self, start: Option<u64>) -> List {
        let end = TagEnd::List(start.is_some());
        let mut items = Vec::new();
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let saved = self.task.take();
                    let blocks = self.blocks(Some(TagEnd::Item));
                    items.push(ListItem {
                        blocks,
                        checked: self.task.take(),
                    });
                    self.task = saved;
                }
                Event::End(tag) if tag == end => break,
                _ => {}
            }
        }
        List { start, items }
    }

    fn table(&mut self, alignments: Vec<Alignment>) -> Table {
        let columns = alignments
            .iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut table = Table {
            columns,
            head: Vec::new(),
            rows: Vec::new(),
        };
        let mut row: Vec<Vec<Inline>> = Vec::new();
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::TableCell) => row.push(self.inlines(Some(TagEnd::TableCell))),
                Event::End(TagEnd::TableHead) => table.head = std::mem::take(&mut row),
                Event::End(TagEnd::TableRow) => table.rows.push(std::mem::take(&mut row)),
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        table
    }

    /// Inline content until `end` (consumed); with `None`, until the next
    /// block-level event (not consumed).
    fn inlines(&mut self, end: Option<TagEnd>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        while let Some((event, range)) = self.events.get(self.pos).cloned() {
            // Where the event starts, found only where it is needed.
            let span = |me: &Self| me.span_at(range.start);
            match event {
                Event::End(tag) if Some(tag) == end => {
                    self.pos += 1;
                    break;
                }
                Event::End(_) if end.is_none() => break,
                Event::Start(ref tag) if end.is_none() && is_block(tag) => break,
                Event::Rule | Event::Html(_) | Event::TaskListMarker(_) if end.is_none() => break,
                _ => {}
            }
            self.pos += 1;
            match event {
                Event::Text(text) if &*text == "[" && self.undefined_note_ref(span(self)) => {}
                Event::Text(text) => push_text(&mut out, &text),
                Event::Code(code) => out.push(Inline::Code(code.to_string())),
                Event::SoftBreak => {
                    self.warn_if_link_address_broken(range.start);
                    push_text(&mut out, " ")
                }
                Event::HardBreak => {
                    self.warn_if_link_address_broken(range.start);
                    out.push(Inline::Break)
                }
                Event::FootnoteReference(label) => {
                    let index = self.note_index(&label, span(self));
                    out.push(Inline::NoteRef(index));
                }
                Event::InlineHtml(html) | Event::Html(html) => self.report_html(&html, span(self)),
                Event::InlineMath(math) | Event::DisplayMath(math) => push_text(&mut out, &math),
                Event::Start(tag) => {
                    for inline in self.inline_element(tag, span(self)) {
                        match inline {
                            Inline::Text(text) => push_text(&mut out, &text),
                            other => out.push(other),
                        }
                    }
                }
                Event::End(_) | Event::Rule | Event::TaskListMarker(_) => {}
            }
        }
        super::lang_spans::apply(out)
    }

    /// An inline element whose start was just consumed, as the inlines
    /// it contributes (a link we refuse contributes its text).
    fn inline_element(&mut self, tag: Tag<'a>, span: Span) -> Vec<Inline> {
        if !self.enter(span) {
            return Vec::new();
        }
        let end = tag.to_end();
        let inlines = match tag {
            Tag::Emphasis => vec![Inline::Emph(self.inlines(Some(end)))],
            Tag::Strong => vec![Inline::Strong(self.inlines(Some(end)))],
            Tag::Strikethrough => vec![Inline::Strike(self.inlines(Some(end)))],
            Tag::Link { dest_url, .. } => {
                let content = self.inlines(Some(end));
                if dest_url.len() > MAX_LINK_BYTES {
                    self.warn(span, format!("link target is {} bytes long, over the {MAX_LINK_BYTES} a link may have; the text is kept without the link", dest_url.len()))
                        .hints
                        .push("every line of a link carries its address in the PDF: a huge one would be copied onto each".into());
                    content
                } else if is_web_address(&dest_url) {
                    vec![Inline::Link {
                        url: dest_url.to_string(),
                        content,
                    }]
                } else {
                    self.warn(span, format!("link target `{dest_url}` is not a web or mail address; the text is kept without the link"));
                    content
                }
            }
            Tag::Image { dest_url, .. } => {
                let alt = crate::model::plain_text(&self.inlines(Some(end)));
                self.warn(span, format!("image `{dest_url}` stands inside running text; only its description is shown"))
                    .hints
                    .push("put the image in a paragraph of its own to make it a figure".into());
                vec![Inline::Text(alt)]
            }
            _ => {
                self.skip_element();
                Vec::new()
            }
        };
        self.leave();
        inlines
    }

    fn note_index(&mut self, label: &str, span: Span) -> usize {
        if let Some(i) = self.note_order.iter().position(|(l, _)| l == label) {
            return i;
        }
        self.note_order.push((label.to_string(), span));
        self.note_order.len() - 1
    }

    fn report_html(&mut self, html: &str, span: Span) {
        let trimmed = html.trim();
        if trimmed.is_empty() || (trimmed.starts_with("<!--") && trimmed.ends_with("-->")) {
            return; // comments are the editors' own notes
        }
        let shown: String = trimmed.chars().take(40).collect();
        self.warn(span, format!("raw HTML is not rendered: `{shown}`"))
            .hints
            .push("use Markdown instead of HTML".into());
    }

    /// At a line break in running text (at `break_at`, a byte of the
    /// body): when the line before it ends inside a link's address,
    /// `[text](https://…` with no `)`, the editor's wrapping broke the
    /// address. CommonMark then makes no link, and the reader would see
    /// the brackets and the address as text, so warns at the address.
    fn warn_if_link_address_broken(&mut self, break_at: usize) {
        let body = &self.cx.text[self.cx.body_offset..];
        // An address holds none of these: only the line's last word, from
        // its last such character on, is searched for the `](` before it
        // (not the whole line: this runs at every line break).
        let unbroken = |c: char| c.is_whitespace() || matches!(c, ')' | '`');
        let line = body[..break_at].trim_end_matches(|c: char| c != '\n' && c.is_whitespace());
        let word_start = line
            .char_indices()
            .rev()
            .find(|&(_, c)| unbroken(c))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let word = &line.as_bytes()[word_start..];
        let Some(open) = word.windows(2).rposition(|pair| pair == b"](") else {
            return;
        };
        let address = &line[word_start + open + 2..];
        if address.is_empty() {
            return;
        }
        let span = self.span_at(word_start + open + 2);
        self.warn(
            span,
            format!("link address `{address}` is broken by a line break, so it makes no link: the brackets and the address are printed as text"),
        )
        .hints
        .push("keep a link's address and its closing `)` on one line".into());
    }

    /// At a `[` just consumed: when it opens `[^label]` for a note that is
    /// never defined (which the parser leaves as text), warns at it and
    /// consumes the rest, so that the reference is left out rather than
    /// printed raw.
    fn undefined_note_ref(&mut self, span: Span) -> bool {
        let label = match (self.peek(), self.events.get(self.pos + 1)) {
            (Some(Event::Text(caret)), Some((Event::Text(close), _))) if &**close == "]" => {
                match caret.strip_prefix('^') {
                    Some(label) if !label.is_empty() && !label.contains(char::is_whitespace) => {
                        label.to_string()
                    }
                    _ => return false,
                }
            }
            _ => return false,
        };
        self.pos += 2;
        self.warn(
            span,
            format!(
                "footnote `[^{label}]` is referred to but never defined; the reference is left out"
            ),
        )
        .hints
        .push(format!(
            "define it on a line of its own: `[^{label}]: The note's text.`"
        ));
        true
    }

    /// The notes in reference order; reports undefined and unused ones.
    fn finish_notes(&mut self) -> Vec<Footnote> {
        let order = std::mem::take(&mut self.note_order);
        let mut notes = Vec::with_capacity(order.len());
        for (label, span) in order {
            match self.note_defs.remove(&label) {
                Some(note) => notes.push(note),
                None => {
                    self.error(
                        span,
                        format!("footnote `[^{label}]` is used but never defined"),
                    );
                    notes.push(Footnote {
                        label,
                        blocks: Vec::new(),
                        span,
                    });
                }
            }
        }
        let mut unused: Vec<Footnote> = self.note_defs.drain().map(|(_, n)| n).collect();
        unused.sort_by_key(|n| n.span);
        for note in unused {
            self.warn(
                note.span,
                format!(
                    "footnote `[^{}]` is defined but never referenced; it is left out",
                    note.label
                ),
            );
        }
        notes
    }
}

/// A block quote, or a pull quote when its first line is `[!PULLQUOTE]`.
fn quote_or_pull_quote(mut blocks: Vec<Block>) -> BlockKind {
    let Some(Block {
        kind: BlockKind::Paragraph(content),
        ..
    }) = blocks.first_mut()
    else {
        return BlockKind::Quote(blocks);
    };
    let Some(Inline::Text(first)) = content.first_mut() else {
        return BlockKind::Quote(blocks);
    };
    let starts_marked = first
        .get(..PULL_QUOTE_MARKER.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(PULL_QUOTE_MARKER));
    if !starts_marked {
        return BlockKind::Quote(blocks);
    }
    let rest = first[PULL_QUOTE_MARKER.len()..].trim_start().to_string();
    if rest.is_empty() {
        content.remove(0);
    } else {
        *first = rest;
    }
    if content.is_empty() {
        blocks.remove(0);
    }
    BlockKind::PullQuote(blocks)
}

/// Appends text, merging with a preceding text run.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text(text.to_string()));
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

/// The longest link target made a link (what browsers and sitemaps
/// reliably take). Each line a link spans carries its target in the PDF,
/// so an unbroken address of n bytes would cost O(n²) bytes.
const MAX_LINK_BYTES: usize = 2048;

/// Links we make clickable: the web and mail, nothing that runs code.
fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "ftp://"]
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> (Body, Vec<Diagnostic>) {
        let dir = std::env::temp_dir();
        let index = LineIndex::new(body);
        let images = ImageLoader::new(&dir);
        let mut diags = Vec::new();
        let cx = Context {
            path: Path::new("t.md"),
            text: body,
            index: &index,
            body_offset: 0,
            images: &images,
            base: &dir,
        };
        let parsed = parse_body(cx, &mut diags);
        (parsed, diags)
    }

    fn kinds(blocks: &[Block]) -> Vec<&'static str> {
        blocks
            .iter()
            .map(|b| match b.kind {
                BlockKind::Paragraph(_) => "p",
                BlockKind::Heading { .. } => "h",
                BlockKind::Quote(_) => "quote",
                BlockKind::PullQuote(_) => "pull",
                BlockKind::List(_) => "list",
                BlockKind::Figure(_) => "figure",
                BlockKind::Table(_) => "table",
                BlockKind::Code { .. } => "code",
                BlockKind::Rule => "rule",
            })
            .collect()
    }

    #[test]
    fn every_block_kind() {
        let (body, diags) = parse(
            "Para \"one\" -- two.\n\n## Head\n\n> quote\n\n> [!PULLQUOTE]\n> Pulled\n\n- a\n  - b\n\n1. x\n\n| h | i |\n|--:|---|\n| 1 | 2 |\n\n```rust\ncode\n```\n\n***\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            kinds(&body.blocks),
            [
                "p", "h", "quote", "pull", "list", "list", "table", "code", "rule"
            ]
        );
        let BlockKind::Paragraph(p) = &body.blocks[0].kind else {
            panic!()
        };
        assert_eq!(p, &[Inline::Text("Para “one” – two.".into())]);
        let BlockKind::PullQuote(pull) = &body.blocks[3].kind else {
            panic!()
        };
        let BlockKind::Paragraph(pulled) = &pull[0].kind else {
            panic!()
        };
        assert_eq!(pulled, &[Inline::Text("Pulled".into())]);
        let BlockKind::List(list) = &body.blocks[4].kind else {
            panic!()
        };
        assert_eq!(kinds(&list.items[0].blocks), ["p", "list"]);
        let BlockKind::Table(table) = &body.blocks[6].kind else {
            panic!()
        };
        assert_eq!((table.columns[0], table.rows.len()), (Align::Right, 1));
        assert_eq!(body.blocks[1].span, Span::new(3, 1));
    }

    #[test]
    fn inline_kinds_and_notes() {
        let (body, diags) =
            parse("*a* **b** ~~c~~ `d` [e](https://x.org)[^n] f  \ng\n\n[^n]: Note.\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(body.notes.len(), 1);
        let BlockKind::Paragraph(p) = &body.blocks[0].kind else {
            panic!()
        };
        assert!(matches!(p[0], Inline::Emph(_)));
        assert!(matches!(p[2], Inline::Strong(_)));
        assert!(matches!(p[4], Inline::Strike(_)));
        assert!(matches!(p[6], Inline::Code(_)));
        assert!(matches!(p[8], Inline::Link { .. }));
        assert_eq!(p[9], Inline::NoteRef(0));
        assert!(p.contains(&Inline::Break));
    }

    #[test]
    fn warns_about_html_and_bad_links() {
        let (_, diags) = parse(
            "a <b>bold</b> [x](javascript:alert(1))\n\n<div>block</div>\n\n<!-- editor's note -->\n",
        );
        assert_eq!(diags.len(), 4, "{diags:?}");
        assert!(diags.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_huge_link_target_keeps_its_text_without_the_link() {
        let url = format!("https://example.com/{}", "a".repeat(MAX_LINK_BYTES));
        let (body, diags) = parse(&format!("[text]({url})\n"));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("bytes long"), "{diags:?}");
        let BlockKind::Paragraph(p) = &body.blocks[0].kind else {
            panic!()
        };
        assert_eq!(p, &[Inline::Text("text".into())]);
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = ">".repeat(2000) + " deep\n";
        let (_, diags) = parse(&deep);
        assert!(
            diags
                .iter()
                .any(|d| d.is_error() && d.message.contains("nesting"))
        );
        let mut lists = String::new();
        for i in 0..500 {
            lists.push_str(&"  ".repeat(i));
            lists.push_str("- x\n");
        }
        let (_, diags) = parse(&lists);
        assert!(
            diags
                .iter()
                .any(|d| d.is_error() && d.message.contains("nesting"))
        );
    }

    #[test]
    fn undefined_and_unused_notes() {
        let (_, diags) = parse("a[^1]\n\n[^1]: one\n[^2]: two\n");
        assert_eq!(diags.len(), 1);
        assert!(!diags[0].is_error());
        let (body, diags) = parse("Text[^b] and *a[^c]* [^d e] `[^f]`.\n");
        let found: Vec<(u32, u32, bool)> = diags
            .iter()
            .map(|d| (d.span.line, d.span.col, d.message.contains("never defined")))
            .collect();
        assert_eq!(found, [(1, 5, true), (1, 16, true)], "{diags:?}");
        let BlockKind::Paragraph(p) = &body.blocks[0].kind else {
            panic!()
        };
        assert_eq!(crate::model::plain_text(p), "Text and a [^d e] [^f].");
    }
}
