//! An article as a vertical list: every block typeset into lines and
//! blocks of known height, with the spaces between them and the rules for
//! where a page may break (no widows or orphans, headings kept with what
//! follows). The paginator cuts this list into pages.

use std::sync::Arc;

use crate::model::{Align as ColumnAlign, Article, Block, BlockKind, Figure, Inline, List, Table};
use crate::page::{Color, Glyph, Item, LinkTarget, NodeId, StructKind, Tag, TextRun};
use crate::units::{Point, Pt, Rect};

use super::Engine;
use super::design::Design;
use super::fonts::Role;
use super::paragraph::{Align, ParaStyle, SetLine, SetParagraph, set_paragraph};
use super::structure::Tree;

/// A piece of the vertical list.
#[derive(Clone, Debug)]
pub enum Flow {
    /// Something with a height: a line, a figure, a table row.
    Box(FlowBox),
    /// White space; it may stretch to fill a page and vanishes at a page break.
    Space {
        /// Natural height.
        height: Pt,
        /// How much it may grow.
        stretch: Pt,
    },
}

/// Content of known height, positioned relative to its own top-left corner
/// (x from the left edge of the text block).
#[derive(Clone, Debug)]
pub struct FlowBox {
    /// What is drawn.
    pub items: Vec<Item>,
    /// Height it occupies.
    pub height: Pt,
    /// Whether a page may break before it.
    pub break_before: Break,
    /// Footnotes referenced in it.
    pub notes: Vec<usize>,
    /// Placed where it fits, or at the top of the next page (figures).
    pub float: bool,
    /// A table header to repeat when the page breaks inside its table.
    pub header: Option<Arc<FlowBox>>,
    /// A line of running text, as opposed to headings and other material.
    pub body_line: bool,
}

impl FlowBox {
    /// A block that may start a page.
    fn block(items: Vec<Item>, height: Pt) -> FlowBox {
        FlowBox {
            items,
            height,
            break_before: Break::Allowed,
            notes: Vec::new(),
            float: false,
            header: None,
            body_line: false,
        }
    }
}

/// May a page break before this box?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// Yes.
    Allowed,
    /// Only if nothing else works (it would leave a widow or orphan, or
    /// separate a heading from its text).
    Avoid,
}

/// A footnote, typeset.
#[derive(Clone, Debug)]
pub struct NoteFlow {
    /// The note's lines, each `note_leading` tall.
    pub lines: Vec<FlowBox>,
}

/// An article typeset as a vertical list.
pub struct ArticleFlow {
    /// The list.
    pub flow: Vec<Flow>,
    /// Footnotes by index.
    pub notes: Vec<NoteFlow>,
}

/// A column within the text block: left edge and width.
#[derive(Clone, Copy, Debug)]
struct Column {
    x: Pt,
    width: Pt,
}

/// Builds the vertical list of one article.
pub struct FlowBuilder<'e, 'f> {
    engine: &'e mut Engine<'f>,
    design: &'e Design,
    tree: &'e mut Tree,
    lang_tag: String,
    flow: Vec<Flow>,
    /// The next paragraph starts without indent (after headings, figures…).
    no_indent: bool,
    /// Boxes still to keep with what precedes them (after a heading).
    keep: u8,
}

impl<'e, 'f> FlowBuilder<'e, 'f> {
    /// A builder for text in `lang_tag`.
    pub fn new(
        engine: &'e mut Engine<'f>,
        design: &'e Design,
        tree: &'e mut Tree,
        lang_tag: &str,
    ) -> Self {
        FlowBuilder {
            engine,
            design,
            tree,
            lang_tag: lang_tag.to_string(),
            flow: Vec::new(),
            no_indent: true,
            keep: 0,
        }
    }

    /// Typesets a whole article: opening, body and notes.
    pub fn article(
        mut self,
        article: &Article,
        kicker: Option<&str>,
        section: NodeId,
    ) -> ArticleFlow {
        self.opening(article, kicker, section);
        let column = Column {
            x: Pt::ZERO,
            width: self.design.measure,
        };
        for block in &article.body {
            self.block(block, section, column);
        }
        let notes = (0..article.notes.len())
            .map(|i| self.note(i, &article.notes[i].blocks, section))
            .collect();
        ArticleFlow {
            flow: self.flow,
            notes,
        }
    }

    /// Typesets free-standing paragraphs (title page, contents) as a flow.
    pub fn lines(
        mut self,
        content: &[Inline],
        role: Role,
        size: Pt,
        leading: Pt,
        align: Align,
        node: NodeId,
    ) -> Vec<Flow> {
        let style = self.para_style(role, size, self.design.measure, align, false);
        let column = Column {
            x: Pt::ZERO,
            width: self.design.measure,
        };
        self.paragraph(content, &style, leading, node, column, false);
        self.flow
    }

    fn para_style(
        &mut self,
        role: Role,
        size: Pt,
        width: Pt,
        align: Align,
        hyphenate: bool,
    ) -> ParaStyle {
        ParaStyle {
            role,
            size,
            width,
            indent: Pt::ZERO,
            align,
            hyphenate,
            lang: self.engine.shaper.language(&self.lang_tag),
            lang_tag: self.lang_tag.clone(),
            protrusion: self.design.protrusion,
            expansion: if align == Align::Justify {
                self.design.expansion
            } else {
                0.0
            },
            looseness: 0,
        }
    }

    /// Kicker, title, standfirst, byline and lead image.
    fn opening(&mut self, article: &Article, kicker: Option<&str>, section: NodeId) {
        let d = self.design;
        let full = Column {
            x: Pt::ZERO,
            width: d.measure,
        };
        self.space(d.leading * 3.0, Pt::ZERO);
        if let Some(kicker) = kicker {
            let style = self.para_style(Role::Italic, d.small_size, d.measure, Align::Left, false);
            let node = self.tree.add(StructKind::Paragraph, Some(section));
            self.paragraph(
                &[Inline::Text(kicker.to_string())],
                &style,
                d.leading,
                node,
                full,
                false,
            );
        }
        let style = self.para_style(Role::Bold, d.title_size, d.measure, Align::Left, false);
        let node = self.tree.add(StructKind::Heading(1), Some(section));
        self.paragraph(
            &[Inline::Text(article.meta.title.clone())],
            &style,
            d.title_leading,
            node,
            full,
            false,
        );
        if let Some(standfirst) = &article.meta.standfirst {
            self.space(d.leading * 0.5, Pt::ZERO);
            let style = self.para_style(
                Role::Italic,
                d.standfirst_size,
                d.measure,
                Align::Left,
                false,
            );
            let node = self.tree.add(StructKind::Paragraph, Some(section));
            self.paragraph(
                &[Inline::Text(standfirst.clone())],
                &style,
                d.standfirst_leading,
                node,
                full,
                false,
            );
        }
        let byline = byline(article);
        if !byline.is_empty() {
            self.space(d.leading * 0.5, Pt::ZERO);
            let style = self.para_style(Role::Regular, d.small_size, d.measure, Align::Left, false);
            let node = self.tree.add(StructKind::Paragraph, Some(section));
            self.paragraph(
                &[Inline::Text(byline)],
                &style,
                d.leading,
                node,
                full,
                false,
            );
        }
        if let Some(caption) = &article.meta.caption_without_image {
            self.space(d.leading * 0.5, Pt::ZERO);
            let style = self.para_style(Role::Italic, d.small_size, d.measure, Align::Left, false);
            let node = self.tree.add(StructKind::Caption, Some(section));
            self.paragraph(
                &[Inline::Text(caption.clone())],
                &style,
                d.small_leading,
                node,
                full,
                false,
            );
        }
        self.space(d.leading, Pt::ZERO);
        if let Some(figure) = &article.meta.image {
            self.figure(figure, section, false);
        }
        self.no_indent = true;
    }

    fn block(&mut self, block: &Block, parent: NodeId, column: Column) {
        let d = self.design;
        match &block.kind {
            BlockKind::Paragraph(content) => {
                let mut style = self.para_style(
                    Role::Regular,
                    d.body_size,
                    column.width,
                    d.body_align,
                    d.hyphenate,
                );
                if !self.no_indent {
                    style.indent = d.body_size * d.indent_em;
                }
                let node = self.tree.add(StructKind::Paragraph, Some(parent));
                self.paragraph(content, &style, d.leading, node, column, true);
                self.no_indent = false;
            }
            BlockKind::Heading { level, content } => {
                let (role, size) = if *level <= 2 {
                    (Role::Bold, d.heading_size)
                } else {
                    (Role::Italic, d.body_size)
                };
                self.space(d.leading, d.leading * 0.5);
                let style = self.para_style(role, size, column.width, Align::Left, false);
                let node = self
                    .tree
                    .add(StructKind::Heading((*level).clamp(2, 6)), Some(parent));
                self.paragraph(content, &style, d.leading, node, column, false);
                self.keep = 2;
                self.no_indent = true;
            }
            BlockKind::Quote(inner) => {
                self.space(d.leading * 0.5, d.leading * 0.5);
                let node = self.tree.add(StructKind::Quote, Some(parent));
                let inset = Column {
                    x: column.x + d.quote_indent,
                    width: column.width - d.quote_indent,
                };
                self.no_indent = true;
                for block in inner {
                    self.block(block, node, inset);
                }
                self.space(d.leading * 0.5, d.leading * 0.5);
                self.no_indent = true;
            }
            BlockKind::PullQuote(inner) => {
                self.pull_quote(inner, parent, column);
                self.no_indent = true;
            }
            BlockKind::List(list) => {
                let node = self.tree.add(StructKind::List, Some(parent));
                self.list(list, node, column);
                self.no_indent = true;
            }
            BlockKind::Figure(figure) => {
                self.figure(figure, parent, true);
                self.no_indent = true;
            }
            BlockKind::Table(table) => {
                self.space(d.leading * 0.5, d.leading * 0.5);
                let node = self.tree.add(StructKind::Table, Some(parent));
                self.table(table, node, column);
                self.space(d.leading * 0.5, d.leading * 0.5);
                self.no_indent = true;
            }
            BlockKind::Code { text, .. } => {
                self.space(d.leading * 0.5, d.leading * 0.5);
                let node = self.tree.add(StructKind::Code, Some(parent));
                let mut content = Vec::new();
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        content.push(Inline::Break);
                    }
                    content.push(Inline::Code(line.replace(' ', "\u{a0}")));
                }
                let inset = Column {
                    x: column.x + d.quote_indent,
                    width: column.width - d.quote_indent,
                };
                let style =
                    self.para_style(Role::Mono, d.code_size, inset.width, Align::Left, false);
                self.paragraph(&content, &style, d.code_leading, node, inset, false);
                self.space(d.leading * 0.5, d.leading * 0.5);
                self.no_indent = true;
            }
            BlockKind::Rule => {
                let mid = column.x + column.width / 2.0;
                let y = d.leading;
                let items = vec![Item::Rule {
                    from: Point::new(mid - d.body_size * 1.5, y),
                    to: Point::new(mid + d.body_size * 1.5, y),
                    width: Pt(0.5),
                    color: Color::GREY,
                    tag: Tag::Artifact,
                }];
                self.push_box(FlowBox::block(items, d.leading * 2.0));
                self.no_indent = true;
            }
        }
    }

    /// Sets a paragraph in a column; each line becomes a box `leading`
    /// tall. Running text (`body`) may break between lines except after its
    /// first and before its last; other paragraphs are kept whole.
    fn paragraph(
        &mut self,
        content: &[Inline],
        style: &ParaStyle,
        leading: Pt,
        node: NodeId,
        column: Column,
        body: bool,
    ) {
        let set = set_paragraph(self.engine, content, style, &|i| (i + 1).to_string());
        self.push_lines(set, leading, node, column, body);
    }

    fn push_lines(
        &mut self,
        set: SetParagraph,
        leading: Pt,
        node: NodeId,
        column: Column,
        body: bool,
    ) {
        let count = set.lines.len();
        let mut after_hyphen = false;
        for (i, line) in set.lines.into_iter().enumerate() {
            // A page never ends after a paragraph's first line, before its
            // last line, or on a hyphen.
            let legal = i == 0 || (body && i >= 2 && count - i >= 2 && !after_hyphen);
            let break_before = if legal { Break::Allowed } else { Break::Avoid };
            after_hyphen = line.hyphenated;
            let baseline = leading * self.design.baseline_ratio;
            let items = line_items(&line, column.x, baseline, node, self.tree);
            self.push_box(FlowBox {
                items,
                height: leading,
                break_before,
                notes: line.notes.clone(),
                float: false,
                header: None,
                body_line: body,
            });
        }
    }

    fn space(&mut self, height: Pt, stretch: Pt) {
        self.flow.push(Flow::Space { height, stretch });
    }

    fn push_box(&mut self, mut b: FlowBox) {
        if self.keep > 0 {
            b.break_before = Break::Avoid;
            self.keep -= 1;
        }
        self.flow.push(Flow::Box(b));
    }

    /// A pull quote: larger italic lines between two rules, kept whole.
    fn pull_quote(&mut self, blocks: &[Block], parent: NodeId, column: Column) {
        let d = self.design;
        let node = self.tree.add(StructKind::Quote, Some(parent));
        let mut items = vec![rule_item(
            column.x,
            column.x + column.width,
            d.leading * 0.5,
        )];
        let mut y = d.leading * 0.5 + d.leading * 0.5;
        for block in blocks {
            let content: Vec<Inline> = match &block.kind {
                BlockKind::Paragraph(content) => content.clone(),
                _ => vec![Inline::Text(crate::model::plain_text(&block_text(block)))],
            };
            let inset = Column {
                x: column.x + d.quote_indent * 0.5,
                width: column.width - d.quote_indent,
            };
            let style =
                self.para_style(Role::Italic, d.pull_size, inset.width, Align::Center, false);
            let p = self.tree.add(StructKind::Paragraph, Some(node));
            let set = set_paragraph(self.engine, &content, &style, &|i| (i + 1).to_string());
            for line in &set.lines {
                let baseline = y + d.pull_leading * d.baseline_ratio;
                items.extend(line_items(line, inset.x, baseline, p, self.tree));
                y += d.pull_leading;
            }
        }
        y += d.leading * 0.5;
        items.push(rule_item(column.x, column.x + column.width, y));
        y += d.leading * 0.5;
        self.space(d.leading * 0.5, d.leading * 0.5);
        self.push_box(FlowBox::block(items, y));
        self.space(d.leading * 0.5, d.leading * 0.5);
    }

    /// A list: labels hang in a column left of the items' text.
    fn list(&mut self, list: &List, node: NodeId, column: Column) {
        let d = self.design;
        let label_width = if list.start.is_some() {
            d.body_size * 1.6
        } else {
            d.body_size * 1.1
        };
        let body = Column {
            x: column.x + label_width,
            width: column.width - label_width,
        };
        for (i, item) in list.items.iter().enumerate() {
            let item_node = self.tree.add(StructKind::ListItem, Some(node));
            let label_node = self.tree.add(StructKind::Label, Some(item_node));
            let body_node = self.tree.add(StructKind::ListBody, Some(item_node));
            let label = match (list.start, item.checked) {
                (_, Some(true)) => "☑".to_string(),
                (_, Some(false)) => "☐".to_string(),
                (Some(start), None) => format!("{}.", start + i as u64),
                (None, None) => "•".to_string(),
            };
            let first_box = self.flow.len();
            self.no_indent = true;
            for block in &item.blocks {
                self.block(block, body_node, body);
            }
            // Put the label on the first line of the item.
            let style =
                self.para_style(Role::Regular, d.body_size, label_width, Align::Left, false);
            let set = set_paragraph(self.engine, &[Inline::Text(label)], &style, &|i| {
                (i + 1).to_string()
            });
            let Some(label_line) = set.lines.first() else {
                continue;
            };
            let label_x = body.x - label_width;
            if let Some(Flow::Box(first)) = self.flow[first_box..]
                .iter_mut()
                .find(|f| matches!(f, Flow::Box(_)))
            {
                let baseline = first.height * d.baseline_ratio;
                first.items.extend(line_items(
                    label_line, label_x, baseline, label_node, self.tree,
                ));
            }
        }
    }

    /// A figure: the image scaled to the column, its caption under it.
    fn figure(&mut self, figure: &Figure, parent: NodeId, float: bool) {
        let d = self.design;
        let image = &figure.image;
        let max_height = d.text_height * d.max_figure_share;
        let mut width = d.measure;
        let mut height = width * (image.height as f32 / image.width as f32);
        if height > max_height {
            width = width * (max_height / height);
            height = max_height;
        }
        let x = (d.measure - width) / 2.0;
        let node = self.tree.add(StructKind::Figure, Some(parent));
        self.tree.set_alt(node, &figure.alt);
        let mut items = vec![Item::Image {
            image: Arc::clone(image),
            rect: Rect::new(x, Pt::ZERO, width, height),
            tag: Tag::Node(node),
        }];
        let mut y = height + d.leading * 0.4;
        if !figure.caption.is_empty() {
            let caption = self.tree.add(StructKind::Caption, Some(parent));
            let style = self.para_style(Role::Italic, d.small_size, d.measure, Align::Left, false);
            let set = set_paragraph(self.engine, &figure.caption, &style, &|i| {
                (i + 1).to_string()
            });
            for line in &set.lines {
                items.extend(line_items(
                    line,
                    Pt::ZERO,
                    y + d.small_leading * d.baseline_ratio,
                    caption,
                    self.tree,
                ));
                y += d.small_leading;
            }
        }
        self.space(d.leading * 0.5, d.leading * 0.5);
        let mut b = FlowBox::block(items, y);
        b.float = float;
        self.push_box(b);
        self.space(d.leading * 0.5, d.leading * 0.5);
    }

    /// A table fitted to the column, one box per row, the header repeated
    /// on every page the table runs onto.
    fn table(&mut self, table: &Table, node: NodeId, column: Column) {
        let d = self.design;
        let columns = table
            .columns
            .len()
            .max(table.head.len())
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return;
        }
        let gap = d.note_size * 1.2;
        let widths = self.column_widths(table, columns, column.width, gap);
        let header_row = self.table_row(
            &table.head,
            &table.columns,
            &widths,
            column,
            gap,
            node,
            true,
        );
        let header = Arc::new(header_row);
        let mut top = (*header).clone();
        // A rule above the header; the header itself carries the rule below.
        top.items
            .push(rule_item(column.x, column.x + column.width, Pt(0.5)));
        self.push_box(top);
        self.keep = 1;
        for (r, row) in table.rows.iter().enumerate() {
            let mut b = self.table_row(row, &table.columns, &widths, column, gap, node, false);
            b.header = Some(Arc::clone(&header));
            if r + 1 == table.rows.len() {
                b.items
                    .push(rule_item(column.x, column.x + column.width, b.height));
            }
            self.push_box(b);
        }
    }

    /// Column widths: natural widths if they fit, else shared in proportion
    /// to them, never below the longest word.
    fn column_widths(&mut self, table: &Table, columns: usize, width: Pt, gap: Pt) -> Vec<Pt> {
        let d = self.design;
        let available = width - gap * (columns as f32 - 1.0);
        let mut natural = vec![Pt::ZERO; columns];
        let mut longest_word = vec![Pt::ZERO; columns];
        let rows = std::iter::once(&table.head).chain(table.rows.iter());
        for row in rows {
            for (c, cell) in row.iter().enumerate().take(columns) {
                let style = self.para_style(
                    Role::Regular,
                    d.note_size,
                    Pt(100_000.0),
                    Align::Left,
                    false,
                );
                let set = set_paragraph(self.engine, cell, &style, &|i| (i + 1).to_string());
                let w = set.lines.iter().map(line_width).fold(Pt::ZERO, Pt::max);
                natural[c] = natural[c].max(w);
                let text = crate::model::plain_text(cell);
                for word in text.split_whitespace() {
                    let style = self.para_style(
                        Role::Regular,
                        d.note_size,
                        Pt(100_000.0),
                        Align::Left,
                        false,
                    );
                    let set = set_paragraph(
                        self.engine,
                        &[Inline::Text(word.to_string())],
                        &style,
                        &|i| (i + 1).to_string(),
                    );
                    let w = set.lines.iter().map(line_width).fold(Pt::ZERO, Pt::max);
                    longest_word[c] = longest_word[c].max(w.min(available / columns as f32));
                }
            }
        }
        let total: Pt = natural.iter().copied().sum();
        if total <= available {
            // Share the spare room equally so the table spans the measure.
            let extra = (available - total) / columns as f32;
            return natural.iter().map(|w| *w + extra).collect();
        }
        let floor: Pt = longest_word.iter().copied().sum();
        let flexible = total - floor;
        let room = (available - floor).max(Pt::ZERO);
        natural
            .iter()
            .zip(&longest_word)
            .map(|(n, l)| {
                *l + if flexible > Pt::ZERO {
                    (*n - *l) * (room / flexible)
                } else {
                    Pt::ZERO
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Inline>],
        aligns: &[ColumnAlign],
        widths: &[Pt],
        column: Column,
        gap: Pt,
        table: NodeId,
        header: bool,
    ) -> FlowBox {
        let d = self.design;
        let row = self.tree.add(StructKind::TableRow, Some(table));
        let pad = d.note_leading * 0.3;
        let mut x = column.x;
        let mut items = Vec::new();
        let mut lines_max = 1usize;
        let mut notes = Vec::new();
        for (c, width) in widths.iter().enumerate() {
            let kind = if header {
                StructKind::TableHeader
            } else {
                StructKind::TableData
            };
            let cell_node = self.tree.add(kind, Some(row));
            let align = match aligns.get(c) {
                Some(ColumnAlign::Right) => Align::Right,
                Some(ColumnAlign::Center) => Align::Center,
                _ => Align::Left,
            };
            let role = if header { Role::Bold } else { Role::Regular };
            let empty = Vec::new();
            let cell = cells.get(c).unwrap_or(&empty);
            let style = self.para_style(role, d.note_size, *width, align, false);
            let set = set_paragraph(self.engine, cell, &style, &|i| (i + 1).to_string());
            lines_max = lines_max.max(set.lines.len());
            for (l, line) in set.lines.iter().enumerate() {
                notes.extend(line.notes.iter().copied());
                let baseline = pad + d.note_leading * l as f32 + d.note_leading * d.baseline_ratio;
                items.extend(line_items(line, x, baseline, cell_node, self.tree));
            }
            x += *width + gap;
        }
        let height = d.note_leading * lines_max as f32 + pad * 2.0;
        if header {
            items.push(rule_item(column.x, column.x + column.width, height));
        }
        FlowBox {
            items,
            height,
            break_before: Break::Allowed,
            notes,
            float: false,
            header: None,
            body_line: false,
        }
    }

    /// A footnote: its number, then its paragraphs in the note size.
    fn note(&mut self, index: usize, blocks: &[Block], section: NodeId) -> NoteFlow {
        let d = self.design;
        let node = self.tree.add(StructKind::Note, Some(section));
        let mut lines = Vec::new();
        let mut first = true;
        let column = Column {
            x: Pt::ZERO,
            width: d.measure,
        };
        let mut paragraphs: Vec<Vec<Inline>> = blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(content) => content.clone(),
                _ => block_text(b),
            })
            .collect();
        if paragraphs.is_empty() {
            paragraphs.push(Vec::new());
        }
        for content in paragraphs {
            let mut content = content;
            if first {
                content.insert(0, Inline::Text(format!("{}.\u{a0}", index + 1)));
                first = false;
            }
            let style = self.para_style(
                Role::Regular,
                d.note_size,
                column.width,
                d.body_align,
                d.hyphenate,
            );
            let p = self.tree.add(StructKind::Paragraph, Some(node));
            let set = set_paragraph(self.engine, &content, &style, &|i| (i + 1).to_string());
            for line in &set.lines {
                let items = line_items(
                    line,
                    column.x,
                    d.note_leading * d.baseline_ratio,
                    p,
                    self.tree,
                );
                lines.push(FlowBox {
                    items,
                    height: d.note_leading,
                    break_before: Break::Allowed,
                    notes: Vec::new(),
                    float: false,
                    header: None,
                    body_line: false,
                });
            }
        }
        NoteFlow { lines }
    }
}

/// "Jane Doe · 11 April 2017 · Issue 2548".
fn byline(article: &Article) -> String {
    let mut parts = Vec::new();
    match article.meta.authors.as_slice() {
        [] => {}
        [one] => parts.push(one.clone()),
        [init @ .., last] => parts.push(format!("{} and {last}", init.join(", "))),
    }
    parts.push(article.meta.date.long());
    if let Some(issue) = article.meta.issue {
        parts.push(format!("Issue {issue}"));
    }
    parts.join(" · ")
}

/// A block's inline content, for places that take text only.
fn block_text(block: &Block) -> Vec<Inline> {
    match &block.kind {
        BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => c.clone(),
        BlockKind::Quote(blocks) | BlockKind::PullQuote(blocks) => {
            let mut out = Vec::new();
            for b in blocks {
                if !out.is_empty() {
                    out.push(Inline::Text(" ".into()));
                }
                out.extend(block_text(b));
            }
            out
        }
        BlockKind::List(list) => {
            let mut out = Vec::new();
            for item in &list.items {
                for b in &item.blocks {
                    if !out.is_empty() {
                        out.push(Inline::Text(" ".into()));
                    }
                    out.extend(block_text(b));
                }
            }
            out
        }
        BlockKind::Code { text, .. } => vec![Inline::Code(text.clone())],
        BlockKind::Figure(f) => f.caption.clone(),
        BlockKind::Table(_) | BlockKind::Rule => Vec::new(),
    }
}

/// Width of a set line's ink.
fn line_width(line: &SetLine) -> Pt {
    line.runs.last().map_or(Pt::ZERO, |r| r.x + r.width)
}

fn rule_item(x0: Pt, x1: Pt, y: Pt) -> Item {
    Item::Rule {
        from: Point::new(x0, y),
        to: Point::new(x1, y),
        width: Pt(0.4),
        color: Color::GREY,
        tag: Tag::Artifact,
    }
}

/// Page items for a set line whose left edge is at `x` and baseline at
/// `baseline` (both relative to the box). Links get a structure node each.
pub fn line_items(line: &SetLine, x: Pt, baseline: Pt, node: NodeId, tree: &mut Tree) -> Vec<Item> {
    let mut items = Vec::with_capacity(line.runs.len() + line.links.len());
    let link_nodes: Vec<NodeId> = line
        .links
        .iter()
        .map(|_| tree.add(StructKind::Link, Some(node)))
        .collect();
    for run in &line.runs {
        let tag = Tag::Node(run.link.map_or(node, |l| link_nodes[l]));
        let origin = Point::new(x + run.x, baseline - run.rise);
        if run.strike {
            let y = origin.y - run.size * 0.25;
            items.push(Item::Rule {
                from: Point::new(origin.x, y),
                to: Point::new(origin.x + run.width, y),
                width: run.size * 0.05,
                color: Color::BLACK,
                tag: Tag::Artifact,
            });
        }
        items.push(Item::Text(TextRun {
            origin,
            font: run.face.0,
            size: run.size,
            h_scale: run.h_scale,
            glyphs: run
                .glyphs
                .iter()
                .map(|g| Glyph {
                    id: g.id,
                    advance: g.advance,
                    dx: g.dx,
                    dy: g.dy,
                    text: g.text.clone(),
                })
                .collect(),
            text: run.text.clone(),
            color: Color::BLACK,
            tag,
        }));
    }
    for ((x0, x1, url), link_node) in line.links.iter().zip(link_nodes) {
        let top = baseline - line.ascent;
        let rect = Rect::new(x + *x0, top, *x1 - *x0, line.ascent + line.descent);
        items.push(Item::Link {
            rect,
            target: LinkTarget::Url(url.clone()),
            tag: Tag::Node(link_node),
        });
    }
    items
}
