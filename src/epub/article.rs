//! One article as an XHTML content document: header (part, title,
//! standfirst, byline), lead image, body, and its footnotes as EPUB 3
//! pop-up notes, with print page-break markers where the page map puts
//! them.
//!
//! Blocks are numbered as they are written, which is the order of
//! [`crate::model::block_index_walk`]: a block, then its children. Page
//! breaks arrive sorted in that same order, so one cursor walks through
//! them as the document is written.

use super::EpubError;
use super::hyphens::soft_hyphenate;
use super::images::ImageSet;
use super::pagebreaks::{PlacedBreak, word_start};
use super::words;
use super::xhtml::{finish_document, non_blank, start_document};
use super::xml::{Attr, Xml};
use crate::layout::hyphenate::Hyphenator;
use crate::model::{
    Align, Article, Block, BlockKind, Figure, Inline, List, Table, block_index_walk, plain_text,
};

/// What an article document is made from.
pub(super) struct ArticleInput<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its title as shown (never blank).
    pub title: &'a str,
    /// Its language (its own, else the series').
    pub language: &'a str,
    /// Where the images are stored.
    pub images: &'a ImageSet<'a>,
    /// Its page breaks, sorted by block and offset.
    pub breaks: &'a [PlacedBreak],
    /// Whether paragraphs carry soft hyphens at the print layout's
    /// break points.
    pub soft_hyphens: bool,
}

/// A written article document and what navigation needs from it.
#[derive(Debug)]
pub(super) struct RenderedArticle {
    /// The XHTML text.
    pub xhtml: String,
    /// Its subheadings, for the table of contents.
    pub headings: Vec<NavHeading>,
}

/// A subheading: its level (2 to 6), element id and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct NavHeading {
    /// 2 to 6.
    pub level: u8,
    /// The heading element's id.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// Writes the article document.
pub(super) fn render(input: &ArticleInput<'_>) -> Result<RenderedArticle, EpubError> {
    let article = input.article;
    let referenced = referenced_notes(article)?;
    let mut writer = Writer {
        xml: start_document(input.language, input.title, "../style.css"),
        article,
        images: input.images,
        breaks: input.breaks,
        next_break: 0,
        next_block: 0,
        counting: true,
        text_block: None,
        text_pos: 0,
        headings: Vec::new(),
        refs_made: vec![0; article.notes.len()],
        referenced,
        link_depth: 0,
        deferred_refs: Vec::new(),
        hyphenator: input.soft_hyphens.then(Hyphenator::new),
        language: input.language,
        in_paragraph: false,
        in_pullquote: false,
    };
    writer.xml.start(
        "section",
        &[
            ("epub:type", "chapter"),
            ("role", "doc-chapter"),
            ("aria-labelledby", "title"),
        ],
    );
    writer.xml.newline();
    // A page that begins with the first block begins with the article.
    writer.breaks_while(|b| b.block == 0 && b.offset == 0);
    writer.header(input.title);
    if let Some(lead) = &article.meta.image {
        writer.figure(lead, Some("lead"));
    }
    for block in &article.body {
        writer.block(block);
    }
    // Every break has been placed by now; should one be left, it still
    // gets its marker, so that the page list never points nowhere.
    writer.breaks_while(|_| true);
    writer.notes();
    writer.xml.end("section");
    writer.xml.newline();
    Ok(RenderedArticle {
        xhtml: finish_document(writer.xml),
        headings: writer.headings,
    })
}

/// For each note, whether anything refers to it; an error when a
/// reference points to no note.
fn referenced_notes(article: &Article) -> Result<Vec<bool>, EpubError> {
    let mut referenced = vec![false; article.notes.len()];
    let note_blocks = article
        .notes
        .iter()
        .flat_map(|n| block_index_walk(&n.blocks));
    let lead_caption = article.meta.image.iter().map(|f| f.caption.as_slice());
    let block_inlines = block_index_walk(&article.body)
        .into_iter()
        .chain(note_blocks)
        .flat_map(inline_contents);
    for content in lead_caption.chain(block_inlines) {
        mark_note_refs(content, &mut referenced).map_err(|index| EpubError::MissingNote {
            article: article.path.clone(),
            number: index + 1,
        })?;
    }
    Ok(referenced)
}

/// The inline contents a block holds directly (not those of its children).
fn inline_contents(block: &Block) -> Vec<&[Inline]> {
    match &block.kind {
        BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => vec![content],
        BlockKind::Figure(figure) => vec![&figure.caption],
        BlockKind::Table(table) => table
            .head
            .iter()
            .chain(table.rows.iter().flatten())
            .map(Vec::as_slice)
            .collect(),
        BlockKind::Quote(_)
        | BlockKind::PullQuote(_)
        | BlockKind::List(_)
        | BlockKind::Code { .. }
        | BlockKind::Rule => Vec::new(),
    }
}

/// Marks the notes `content` refers to; `Err(index)` for a reference to
/// no note.
fn mark_note_refs(content: &[Inline], referenced: &mut [bool]) -> Result<(), usize> {
    for inline in content {
        match inline {
            Inline::NoteRef(index) => *referenced.get_mut(*index).ok_or(*index)? = true,
            Inline::Emph(inner) | Inline::Strong(inner) | Inline::Strike(inner) => {
                mark_note_refs(inner, referenced)?
            }
            Inline::Link { content, .. } | Inline::Lang { content, .. } => {
                mark_note_refs(content, referenced)?
            }
            Inline::Text(_) | Inline::Code(_) | Inline::Break => {}
        }
    }
    Ok(())
}

/// True when inline content starts in a right-to-left script (its text
/// is only put together when it holds such a character).
fn starts_right_to_left(content: &[Inline]) -> bool {
    fn any_text(content: &[Inline], test: &dyn Fn(&str) -> bool) -> bool {
        content.iter().any(|inline| match inline {
            Inline::Text(text) | Inline::Code(text) => test(text),
            Inline::Emph(inner) | Inline::Strong(inner) | Inline::Strike(inner) => {
                any_text(inner, test)
            }
            Inline::Link { content, .. } | Inline::Lang { content, .. } => any_text(content, test),
            Inline::NoteRef(_) | Inline::Break => false,
        })
    }
    any_text(content, &crate::layout::bidi::needs_analysis)
        && crate::layout::bidi::starts_right_to_left(&plain_text(content))
}

/// Whether `content` shows nothing: no text and no note reference.
fn is_blank(content: &[Inline]) -> bool {
    plain_text(content).trim().is_empty() && !has_note_ref(content)
}

fn has_note_ref(content: &[Inline]) -> bool {
    content.iter().any(|inline| match inline {
        Inline::NoteRef(_) => true,
        Inline::Emph(inner) | Inline::Strong(inner) | Inline::Strike(inner) => has_note_ref(inner),
        Inline::Link { content, .. } | Inline::Lang { content, .. } => has_note_ref(content),
        Inline::Text(_) | Inline::Code(_) | Inline::Break => false,
    })
}

/// The state of one article document being written.
struct Writer<'a> {
    xml: Xml,
    article: &'a Article,
    images: &'a ImageSet<'a>,
    breaks: &'a [PlacedBreak],
    /// The first page break not yet written.
    next_break: usize,
    /// The number the next body block gets.
    next_block: usize,
    /// False inside footnotes: their blocks are not numbered, carry no
    /// page breaks and add no headings to the contents.
    counting: bool,
    /// The block whose inline text is being written, if page breaks may
    /// fall inside it (paragraphs and headings).
    text_block: Option<usize>,
    /// Byte offset into that block's plain text.
    text_pos: usize,
    headings: Vec<NavHeading>,
    /// References written so far to each note (for unique ids).
    refs_made: Vec<usize>,
    /// Whether each note is referred to at all (so has a back-link).
    referenced: Vec<bool>,
    /// How many links the writer is inside: a note reference cannot be
    /// put inside a link, so it waits until the link ends.
    link_depth: usize,
    deferred_refs: Vec<usize>,
    /// Finds the soft hyphens' places, when the book has them.
    hyphenator: Option<Hyphenator>,
    /// The article's language, for the hyphenator.
    language: &'a str,
    /// Inside a `p` whose text is justified (not a pull quote's): the
    /// text that soft hyphens are for.
    in_paragraph: bool,
    in_pullquote: bool,
}

impl<'a> Writer<'a> {
    // ----- header and figures -------------------------------------------

    fn header(&mut self, title: &str) {
        let meta = &self.article.meta;
        self.xml.start("header", &[]);
        self.xml.newline();
        // The part label opens the title's h1 rather than standing before
        // it: calibre's Kindle conversion breaks the page before every h1,
        // which left "PART 1" alone on a page of its own.
        self.xml.start("h1", &[("id", "title")]);
        if let Some(part) = meta.part {
            self.xml
                .leaf("span", &[("class", "part")], &words::part(part));
            self.xml.text(" ");
        }
        self.xml.text(title);
        self.xml.end("h1");
        self.xml.newline();
        if let Some(standfirst) = non_blank(meta.standfirst.as_deref()) {
            self.xml.leaf("p", &[("class", "standfirst")], standfirst);
            self.xml.newline();
        }
        self.byline();
        self.xml.end("header");
        self.xml.newline();
    }

    /// "Jane Doe · 11 April 2017 · Issue 2548".
    fn byline(&mut self) {
        let meta = &self.article.meta;
        let authors: Vec<String> = meta
            .authors
            .iter()
            .filter_map(|a| non_blank(Some(a)).map(str::to_string))
            .collect();
        self.xml.start("p", &[("class", "byline")]);
        if !authors.is_empty() {
            self.xml
                .leaf("span", &[("class", "author")], &words::name_list(&authors));
            self.xml.text(" · ");
        }
        let iso = meta.date.to_string();
        self.xml
            .leaf("time", &[("datetime", &iso)], &meta.date.long());
        if let Some(issue) = meta.issue {
            self.xml.text(" · ");
            self.xml
                .leaf("span", &[("class", "issue")], &words::issue(issue));
        }
        self.xml.end("p");
        self.xml.newline();
    }

    fn figure(&mut self, figure: &Figure, class: Option<&'static str>) {
        let attrs: Vec<Attr<'_>> = class.map(|c| ("class", c)).into_iter().collect();
        self.xml.start("figure", &attrs);
        self.xml.newline();
        if let Some(href) = self.images.href(&figure.image) {
            let src = format!("../{href}");
            self.xml
                .empty("img", &[("src", &src), ("alt", figure.alt.trim())]);
            self.xml.newline();
        }
        if !is_blank(&figure.caption) {
            self.xml.start("figcaption", &[]);
            self.inlines(&figure.caption);
            self.xml.end("figcaption");
            self.xml.newline();
        }
        self.xml.end("figure");
        self.xml.newline();
    }

    // ----- blocks -----------------------------------------------------------

    fn block(&mut self, block: &Block) {
        crate::cancel::checkpoint();
        let index = self.take_block_number();
        match &block.kind {
            BlockKind::Paragraph(content) => {
                let closing = self
                    .article
                    .closing_note()
                    .is_some_and(|note| std::ptr::eq(note, block));
                let attrs: &[Attr<'_>] = if closing {
                    &[("class", "closing-note")]
                } else {
                    &[]
                };
                self.text_block("p", attrs, index, content)
            }
            BlockKind::Heading { level, content } => self.heading(*level, index, content),
            BlockKind::Quote(children) => {
                self.breaks_before(index);
                self.container("blockquote", &[], children);
            }
            BlockKind::PullQuote(children) => {
                self.breaks_before(index);
                let attrs = [("class", "pullquote"), ("role", "doc-pullquote")];
                self.in_pullquote = true;
                self.container("aside", &attrs, children);
                self.in_pullquote = false;
            }
            BlockKind::List(list) => {
                self.breaks_before(index);
                self.list(list);
            }
            BlockKind::Figure(figure) => {
                self.breaks_before(index);
                self.figure(figure, None);
            }
            BlockKind::Table(table) => {
                self.breaks_before(index);
                self.table(table);
            }
            BlockKind::Code { lang, text } => {
                self.breaks_before(index);
                self.code(lang.as_deref(), text);
            }
            BlockKind::Rule => {
                self.breaks_before(index);
                self.xml.empty("hr", &[]);
                self.xml.newline();
            }
        }
    }

    /// The number of the block about to be written (`None` in notes).
    fn take_block_number(&mut self) -> Option<usize> {
        self.counting.then(|| {
            self.next_block += 1;
            self.next_block - 1
        })
    }

    fn container(&mut self, name: &'static str, attrs: &[Attr<'_>], children: &[Block]) {
        self.xml.start(name, attrs);
        self.xml.newline();
        for child in children {
            self.block(child);
        }
        self.xml.end(name);
        self.xml.newline();
    }

    fn heading(&mut self, level: u8, index: Option<usize>, content: &[Inline]) {
        // The article title is the h1; body headings start at h2.
        let level = level.clamp(2, 6);
        let name = match level {
            2 => "h2",
            3 => "h3",
            4 => "h4",
            5 => "h5",
            _ => "h6",
        };
        if !self.counting {
            self.text_block(name, &[], index, content);
            return;
        }
        let id = format!("sec-{}", self.headings.len() + 1);
        self.headings.push(NavHeading {
            level,
            id: id.clone(),
            text: plain_text(content).trim().to_string(),
        });
        self.text_block(name, &[("id", &id)], index, content);
    }

    /// A paragraph or heading in element `name`: page breaks of earlier
    /// blocks go before the element, its own into its text, the one at its
    /// start before its first word (so that a marker never stands between
    /// two paragraphs, where it would take the second one's indent).
    fn text_block(
        &mut self,
        name: &'static str,
        attrs: &[Attr<'_>],
        index: Option<usize>,
        content: &[Inline],
    ) {
        self.breaks_before_block(index);
        // A paragraph that starts in a right-to-left script reads right
        // to left, as the print edition sets it.
        let mut attrs = attrs.to_vec();
        if starts_right_to_left(content) {
            attrs.push(("dir", "rtl"));
        }
        self.xml.start(name, &attrs);
        self.breaks_at_block_start(index);
        self.in_paragraph = name == "p" && !self.in_pullquote;
        self.block_text(index, content);
        self.in_paragraph = false;
        self.xml.end(name);
        self.xml.newline();
    }

    /// The page breaks of the blocks before block `index`.
    fn breaks_before_block(&mut self, index: Option<usize>) {
        if let Some(index) = index {
            self.breaks_while(|b| b.block < index);
        }
    }

    /// The page breaks at the very start of block `index`.
    fn breaks_at_block_start(&mut self, index: Option<usize>) {
        if let Some(index) = index {
            self.breaks_while(|b| b.block == index && b.offset == 0);
        }
    }

    /// The inline content of block `index`, with the page breaks that fall
    /// inside it; those past its end close it.
    fn block_text(&mut self, index: Option<usize>, content: &[Inline]) {
        self.text_block = index;
        self.text_pos = 0;
        self.inlines(content);
        if let Some(index) = index {
            self.breaks_while(|b| b.block <= index);
        }
        self.text_block = None;
    }

    fn list(&mut self, list: &List) {
        let start = list.start.filter(|&s| s != 1).map(|s| s.to_string());
        let mut attrs: Vec<Attr<'_>> = Vec::new();
        if let Some(start) = &start {
            attrs.push(("start", start));
        }
        let name = if list.start.is_some() { "ol" } else { "ul" };
        self.xml.start(name, &attrs);
        self.xml.newline();
        for item in &list.items {
            let class = match item.checked {
                Some(true) => Some("task done"),
                Some(false) => Some("task"),
                None => None,
            };
            let attrs: Vec<Attr<'_>> = class.map(|c| ("class", c)).into_iter().collect();
            self.xml.start("li", &attrs);
            if let Some(done) = item.checked {
                self.task_box(done);
            }
            match item.blocks.as_slice() {
                // A one-paragraph item reads best without a paragraph box.
                [
                    Block {
                        kind: BlockKind::Paragraph(content),
                        ..
                    },
                ] => {
                    // Its page breaks all go inside the item.
                    let index = self.take_block_number();
                    self.breaks_before_block(index);
                    self.breaks_at_block_start(index);
                    self.block_text(index, content);
                }
                blocks => {
                    self.xml.newline();
                    for block in blocks {
                        self.block(block);
                    }
                }
            }
            self.xml.end("li");
            self.xml.newline();
        }
        self.xml.end(name);
        self.xml.newline();
    }

    fn task_box(&mut self, done: bool) {
        let (label, mark) = if done {
            (words::TASK_DONE, "\u{2611}")
        } else {
            (words::TASK_OPEN, "\u{2610}")
        };
        self.xml.leaf(
            "span",
            &[
                ("class", "task-box"),
                ("role", "img"),
                ("aria-label", label),
            ],
            mark,
        );
        self.xml.text(" ");
    }

    fn table(&mut self, table: &Table) {
        self.xml.start("table", &[]);
        self.xml.newline();
        if !table.head.is_empty() {
            self.xml.start("thead", &[]);
            self.xml.newline();
            self.table_row(&table.head, &table.columns, "th");
            self.xml.end("thead");
            self.xml.newline();
        }
        if !table.rows.is_empty() {
            self.xml.start("tbody", &[]);
            self.xml.newline();
            for row in &table.rows {
                self.table_row(row, &table.columns, "td");
            }
            self.xml.end("tbody");
            self.xml.newline();
        }
        self.xml.end("table");
        self.xml.newline();
    }

    fn table_row(&mut self, cells: &[Vec<Inline>], columns: &[Align], cell: &'static str) {
        self.xml.start("tr", &[]);
        for (i, content) in cells.iter().enumerate() {
            let mut attrs: Vec<Attr<'_>> = Vec::new();
            if cell == "th" {
                attrs.push(("scope", "col"));
            }
            match columns.get(i) {
                Some(Align::Left) => attrs.push(("class", "align-left")),
                Some(Align::Center) => attrs.push(("class", "align-center")),
                Some(Align::Right) => attrs.push(("class", "align-right")),
                Some(Align::None) | None => {}
            }
            self.xml.start(cell, &attrs);
            self.inlines(content);
            self.xml.end(cell);
        }
        self.xml.end("tr");
        self.xml.newline();
    }

    fn code(&mut self, lang: Option<&str>, text: &str) {
        let class = lang
            .map(|l| super::names::safe_stem(l, ""))
            .filter(|l| !l.is_empty())
            .map(|l| format!("language-{l}"));
        let attrs: Vec<Attr<'_>> = class.iter().map(|c| ("class", c.as_str())).collect();
        self.xml.start("pre", &[]);
        self.xml.start("code", &attrs);
        self.xml.text(text.strip_suffix('\n').unwrap_or(text));
        self.xml.end("code");
        self.xml.end("pre");
        self.xml.newline();
    }

    // ----- inline content ---------------------------------------------------

    fn inlines(&mut self, content: &[Inline]) {
        for inline in content {
            self.breaks_in_text(|b, pos| b.offset <= pos);
            match inline {
                Inline::Text(text) => self.text(text),
                Inline::Emph(inner) => self.wrapped("em", inner),
                Inline::Strong(inner) => self.wrapped("strong", inner),
                Inline::Strike(inner) => self.wrapped("s", inner),
                Inline::Code(code) => {
                    self.xml.leaf("code", &[], code);
                    self.text_pos += code.len();
                }
                Inline::Link { url, content } => self.link(url, content),
                Inline::Lang { lang, content } => self.foreign(lang, content),
                Inline::NoteRef(index) => {
                    if self.link_depth > 0 {
                        self.deferred_refs.push(*index);
                    } else {
                        self.note_ref(*index);
                    }
                }
                Inline::Break => {
                    self.xml.empty("br", &[]);
                    self.text_pos += 1;
                }
            }
        }
    }

    /// A passage in another language: `lang` (and `dir` when its script
    /// reads the other way) on a span.
    fn foreign(&mut self, lang: &str, content: &[Inline]) {
        let dir = crate::layout::bidi::direction_of_language(lang);
        let mut attrs: Vec<Attr<'_>> = vec![("lang", lang), ("xml:lang", lang)];
        if let Some(dir) = dir {
            attrs.push(("dir", dir));
        }
        self.xml.start("span", &attrs);
        self.inlines(content);
        self.xml.end("span");
    }

    fn wrapped(&mut self, name: &'static str, content: &[Inline]) {
        self.xml.start(name, &[]);
        self.inlines(content);
        self.xml.end(name);
    }

    /// A text node, split where page breaks fall inside it.
    fn text(&mut self, text: &str) {
        let start = self.text_pos;
        let end = start + text.len();
        let mut written = 0;
        while let Some(page_break) = self.next_break_in_text(|b, _| b.offset < end) {
            let at = word_start(text, page_break.offset.saturating_sub(start)).max(written);
            self.words(&text[written..at]);
            self.marker(page_break);
            written = at;
        }
        self.words(&text[written..]);
        self.text_pos = end;
    }

    /// Text between page breaks (whole words), with soft hyphens when it
    /// is a paragraph's and the book has them.
    fn words(&mut self, text: &str) {
        match self.hyphenator.as_mut().filter(|_| self.in_paragraph) {
            Some(hyphenator) => {
                let text = soft_hyphenate(hyphenator, self.language, text);
                self.xml.text(&text);
            }
            None => self.xml.text(text),
        }
    }

    fn link(&mut self, url: &str, content: &[Inline]) {
        let Some(href) = link_target(url) else {
            self.inlines(content);
            return;
        };
        self.xml.start("a", &[("href", &href)]);
        self.link_depth += 1;
        self.inlines(content);
        self.link_depth -= 1;
        self.xml.end("a");
        if self.link_depth == 0 {
            for index in std::mem::take(&mut self.deferred_refs) {
                self.note_ref(index);
            }
        }
    }

    /// `<sup><a epub:type="noteref" …>N</a></sup>`; the first reference
    /// to note N has id `fnref-N`, the back-link's target.
    fn note_ref(&mut self, index: usize) {
        let Some(count) = self.refs_made.get_mut(index) else {
            return; // checked by `referenced_notes`
        };
        *count += 1;
        let number = index + 1;
        let id = match *count {
            1 => format!("fnref-{number}"),
            n => format!("fnref-{number}-{n}"),
        };
        let href = format!("#fn-{number}");
        self.xml.start("sup", &[("class", "noteref")]);
        self.xml.leaf(
            "a",
            &[
                ("epub:type", "noteref"),
                ("role", "doc-noteref"),
                ("href", &href),
                ("id", &id),
            ],
            &number.to_string(),
        );
        self.xml.end("sup");
    }

    // ----- footnotes --------------------------------------------------------

    fn notes(&mut self) {
        let notes = &self.article.notes;
        if notes.is_empty() {
            return;
        }
        self.counting = false;
        self.xml.start(
            "section",
            &[("class", "notes"), ("aria-label", words::NOTES)],
        );
        self.xml.newline();
        for (index, note) in notes.iter().enumerate() {
            let number = index + 1;
            let id = format!("fn-{number}");
            self.xml.start(
                "aside",
                &[
                    ("class", "footnote"),
                    ("epub:type", "footnote"),
                    ("role", "doc-footnote"),
                    ("id", &id),
                ],
            );
            self.xml.newline();
            self.note_body(index, &note.blocks);
            self.xml.end("aside");
            self.xml.newline();
        }
        self.xml.end("section");
        self.xml.newline();
    }

    /// The note's blocks, its back-link first (inside the first paragraph
    /// when it starts with one).
    fn note_body(&mut self, index: usize, blocks: &[Block]) {
        match blocks.split_first() {
            Some((
                Block {
                    kind: BlockKind::Paragraph(content),
                    ..
                },
                rest,
            )) => {
                self.xml.start("p", &[]);
                self.back_link(index);
                self.in_paragraph = true;
                self.inlines(content);
                self.in_paragraph = false;
                self.xml.end("p");
                self.xml.newline();
                for block in rest {
                    self.block(block);
                }
            }
            _ => {
                self.xml.start("p", &[("class", "note-number")]);
                self.back_link(index);
                self.xml.end("p");
                self.xml.newline();
                for block in blocks {
                    self.block(block);
                }
            }
        }
    }

    fn back_link(&mut self, index: usize) {
        let number = index + 1;
        let label = format!("{number}.");
        if self.referenced.get(index).copied().unwrap_or(false) {
            let href = format!("#fnref-{number}");
            self.xml
                .leaf("a", &[("href", &href), ("role", "doc-backlink")], &label);
        } else {
            self.xml.text(&label);
        }
        self.xml.text(" ");
    }

    // ----- page breaks ------------------------------------------------------

    /// Writes the page breaks before block `index` (`None`: no breaks).
    fn breaks_before(&mut self, index: Option<usize>) {
        if let Some(index) = index {
            self.breaks_while(|b| b.block <= index);
        }
    }

    /// Writes the next page breaks while `wanted` holds for them.
    fn breaks_while(&mut self, wanted: impl Fn(&PlacedBreak) -> bool) {
        let breaks = self.breaks;
        while let Some(page_break) = breaks.get(self.next_break).filter(|b| wanted(b)) {
            self.next_break += 1;
            self.marker(page_break);
        }
    }

    /// Writes the page breaks of the current text block for which
    /// `wanted(break, position)` holds.
    fn breaks_in_text(&mut self, wanted: impl Fn(&PlacedBreak, usize) -> bool) {
        while let Some(page_break) = self.next_break_in_text(&wanted) {
            self.marker(page_break);
        }
    }

    /// Takes the next page break if it belongs to the current text block
    /// and `wanted(break, position)` holds.
    fn next_break_in_text(
        &mut self,
        wanted: impl Fn(&PlacedBreak, usize) -> bool,
    ) -> Option<&'a PlacedBreak> {
        let block = self.text_block?;
        let breaks = self.breaks;
        let page_break = breaks
            .get(self.next_break)
            .filter(|b| b.block == block && wanted(b, self.text_pos))?;
        self.next_break += 1;
        Some(page_break)
    }

    fn marker(&mut self, page_break: &PlacedBreak) {
        self.xml.empty(
            "span",
            &[
                ("epub:type", "pagebreak"),
                ("role", "doc-pagebreak"),
                ("id", &page_break.id),
                ("aria-label", &page_break.label),
            ],
        );
    }
}

/// The `href` for a link's URL: spaces and other characters that URLs
/// may not hold are percent-encoded; `None` when the URL has no usable
/// host, so that the text is kept without a broken link.
fn link_target(url: &str) -> Option<String> {
    let url = url.trim();
    let mut href = String::with_capacity(url.len());
    let bytes = url.as_bytes();
    for (i, c) in url.char_indices() {
        match c {
            '%' if !is_percent_escape(&bytes[i..]) => href.push_str("%25"),
            c if c.is_ascii_control() || " \"<>\\^`{|}".contains(c) => {
                href.push_str(&format!("%{:02X}", c as u32))
            }
            c => href.push(c),
        }
    }
    has_usable_host(&href).then_some(href)
}

fn is_percent_escape(bytes: &[u8]) -> bool {
    bytes.len() >= 3 && bytes[1].is_ascii_hexdigit() && bytes[2].is_ascii_hexdigit()
}

/// Web and FTP addresses need a host of letters, digits, dots and
/// hyphens (or an IPv6 literal); `mailto:` needs an address.
fn has_usable_host(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    if let Some(address) = lower.strip_prefix("mailto:") {
        return !address.is_empty();
    }
    let Some((_, rest)) = lower.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return host_port.contains(']');
    }
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
    !host.is_empty()
        && !host.starts_with('.')
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && port.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests;
