//! An article as a vertical list: every block typeset into lines and
//! blocks of known height, with the spaces between them and the rules for
//! where a page may break (no widows or orphans, no page ending on a
//! hyphen, headings kept with what follows). The paginator cuts this list
//! into pages; it may ask for a paragraph to be set one line longer or
//! shorter ([`reset_paragraph`]) to fill a page exactly.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{
    Align as ColumnAlign, Article, Block, BlockKind, Figure, Inline, List, Table, block_index_walk,
    plain_text,
};
use crate::page::{Color, Glyph, Item, LinkTarget, ListMarks, NodeId, StructKind, Tag, TextRun};
use crate::units::{Point, Pt, Rect};

use super::Engine;
use super::design::Design;
use super::fonts::Role;
use super::paragraph::{
    Align, ParaStyle, PreparedParagraph, SetLine, prepare_paragraph, set_balanced, set_in_lines,
    set_paragraph, set_paragraph_within,
};
use super::structure::Tree;

/// How far below a grid line a height may fall and still count as on it
/// (rounding of sums of leadings), as a share of a line.
const GRID_EPSILON: f32 = 1e-3;

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
    /// What is drawn; shared, as the paginator copies boxes into the many
    /// pages it tries.
    pub items: Arc<Vec<Item>>,
    /// Height it occupies.
    pub height: Pt,
    /// From its lowest baseline to its bottom: pages end flush when the
    /// last box's lowest baseline sits on the last baseline of the page.
    pub depth: Pt,
    /// Whether a page may break before it.
    pub break_before: Break,
    /// Footnote reference marks in it, with where they are drawn.
    pub marks: Vec<NoteMark>,
    /// Placed where it fits, or at the top of the next page (figures).
    pub float: bool,
    /// A float the paginator moved past the text that follows it.
    pub moved: bool,
    /// A table header to repeat when the page breaks inside its table.
    pub header: Option<Arc<FlowBox>>,
    /// A line of running text, as opposed to headings and other material.
    pub body_line: bool,
    /// A line of a subhead: the white above it may open, the white below
    /// it hardly, so that it stays with its text.
    pub heading: bool,
    /// The paragraph this line belongs to, if it may be set again.
    pub para: Option<usize>,
    /// A heading for the bookmarks: level and text.
    pub anchor: Option<(u8, String)>,
    /// Where its text starts in the article: block number in
    /// [`crate::model::block_index_walk`] order and byte offset into the
    /// block's plain text; for EPUB page lists.
    pub source: Option<(usize, usize)>,
}

impl FlowBox {
    /// A line of other material than running text (contents entries).
    pub fn line(items: Vec<Item>, height: Pt, depth: Pt, break_before: Break) -> FlowBox {
        FlowBox {
            break_before,
            ..FlowBox::block(items, height, height - depth)
        }
    }

    /// A block that may start a page, whose lowest baseline is at `last_baseline`.
    fn block(items: Vec<Item>, height: Pt, last_baseline: Pt) -> FlowBox {
        FlowBox {
            items: Arc::new(items),
            height,
            depth: height - last_baseline,
            break_before: Break::Allowed,
            marks: Vec::new(),
            float: false,
            moved: false,
            header: None,
            body_line: false,
            heading: false,
            para: None,
            anchor: None,
            source: None,
        }
    }
}

/// A footnote reference mark on a line.
#[derive(Clone, Debug)]
pub struct NoteMark {
    /// The note (index into the article's notes).
    pub note: usize,
    /// Where the mark is drawn, relative to its box.
    pub rect: Rect,
    /// Its link's structure node, which the link annotation joins.
    pub link: NodeId,
}

/// May a page break before this box?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// Yes.
    Allowed,
    /// Only when the page would otherwise end short (it would end the page
    /// on a hyphen).
    Discouraged,
    /// Only if nothing else fits at all (it would leave a widow or orphan,
    /// or separate a heading from its text).
    Avoid,
}

/// A footnote, typeset.
#[derive(Clone, Debug)]
pub struct NoteFlow {
    /// The note's lines, each `note_leading` tall.
    pub lines: Vec<FlowBox>,
    /// Where its number is drawn in its first line, for the link back.
    pub number: Rect,
    /// The structure node of the number's link back.
    pub link: NodeId,
}

/// A paragraph of running text as it was set, so that the paginator can
/// have it set again one line longer or shorter.
#[derive(Clone, Debug)]
pub struct ParaSource {
    content: Vec<Inline>,
    style: ParaStyle,
    leading: Pt,
    node: NodeId,
    x: Pt,
    /// Lines of its best setting.
    lines: usize,
    /// Its block number in the article, for [`FlowBox::source`].
    block: Option<usize>,
}

/// An article typeset as a vertical list.
pub struct ArticleFlow {
    /// The list.
    pub flow: Vec<Flow>,
    /// Footnotes by index.
    pub notes: Vec<NoteFlow>,
    /// Paragraphs of running text, by [`FlowBox::para`].
    pub paragraphs: Vec<ParaSource>,
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
    paragraphs: Vec<ParaSource>,
    /// The next paragraph starts without indent (after headings, figures…).
    no_indent: bool,
    /// Boxes still to keep with what precedes them (after a heading).
    keep: u8,
    /// The number of each body block in [`block_index_walk`] order, by address.
    block_numbers: HashMap<*const Block, usize>,
    /// The number of the block being set.
    current_block: Option<usize>,
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
            paragraphs: Vec::new(),
            no_indent: true,
            keep: 0,
            block_numbers: HashMap::new(),
            current_block: None,
        }
    }

    /// Typesets a whole article: opening, body and notes.
    pub fn article(
        mut self,
        article: &Article,
        kicker: Option<&str>,
        origin: Option<&str>,
        section: NodeId,
    ) -> ArticleFlow {
        self.block_numbers = block_index_walk(&article.body)
            .into_iter()
            .enumerate()
            .map(|(n, block)| (block as *const Block, n))
            .collect();
        self.opening(article, kicker, origin, section);
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
            paragraphs: self.paragraphs,
        }
    }

    /// Typesets a free-standing display paragraph (title page, contents
    /// heading) as a flow, its lines balanced.
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
        self.balanced_paragraph(content, &style, leading, node);
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
            hyphen_min: self.design.hyphen_min,
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
    fn opening(
        &mut self,
        article: &Article,
        kicker: Option<&str>,
        origin: Option<&str>,
        section: NodeId,
    ) {
        let d = self.design;
        self.space(d.leading * 3.0, Pt::ZERO);
        let byline = byline(article);
        let parts = [
            (
                kicker,
                Role::Italic,
                d.small_size,
                d.leading,
                StructKind::Paragraph,
            ),
            (
                Some(article.meta.title.as_str()),
                Role::Bold,
                d.title_size,
                d.title_leading,
                StructKind::Heading(1),
            ),
            (
                article.meta.standfirst.as_deref(),
                Role::Italic,
                d.standfirst_size,
                d.standfirst_leading,
                StructKind::Paragraph,
            ),
            (
                Some(byline.as_str()).filter(|b| !b.is_empty()),
                Role::Regular,
                d.small_size,
                d.leading,
                StructKind::Paragraph,
            ),
            (
                origin,
                Role::Italic,
                d.small_size,
                d.small_leading,
                StructKind::Paragraph,
            ),
        ];
        let mut after_title = false;
        // The spaces between the parts, by index in the list.
        let mut gaps = Vec::new();
        for (text, role, size, leading, kind) in parts {
            let Some(text) = text else { continue };
            if after_title {
                gaps.push(self.flow.len());
                self.space(d.leading * 0.5, Pt::ZERO);
            }
            let style = self.para_style(role, size, d.measure, Align::Left, false);
            let node = match kind {
                StructKind::Heading(level) => {
                    after_title = true;
                    self.tree.heading(level, text, section)
                }
                _ => self.tree.add(kind, Some(section)),
            };
            // Balanced, as a designer breaks display lines: no title or
            // standfirst ends on one word alone.
            self.balanced_paragraph(&[Inline::Text(text.to_string())], &style, leading, node);
        }
        // The sink and the line before the text are the same on every
        // opening; the spaces between the parts open by what brings the
        // text onto the page's baseline grid (less than a line in all).
        let opening = self.height();
        let to_grid = d.leading * (opening / d.leading - GRID_EPSILON).ceil() - opening;
        let to_grid = to_grid.max(Pt::ZERO);
        if gaps.is_empty() {
            self.space(d.leading + to_grid, Pt::ZERO);
        } else {
            let share = to_grid / gaps.len() as f32;
            for &at in &gaps {
                if let Flow::Space { height, .. } = &mut self.flow[at] {
                    *height += share;
                }
            }
            self.space(d.leading, Pt::ZERO);
        }
        if let Some(figure) = &article.meta.image {
            let opening = self.height();
            // The lead image shares the opening page with the title and at
            // least three lines of text.
            let room = d.text_height - opening - d.leading * 5.0;
            self.figure(figure, section, false, room);
        }
        // Nothing of the opening is left alone at the foot of the page.
        for flow in &mut self.flow {
            if let Flow::Box(b) = flow {
                b.break_before = Break::Avoid;
            }
        }
        self.keep = 2;
        self.no_indent = true;
    }

    /// Sets a body block; every box it adds records where in the article
    /// its text starts.
    fn block(&mut self, block: &Block, parent: NodeId, column: Column) {
        crate::cancel::checkpoint();
        let number = self.block_numbers.get(&(block as *const Block)).copied();
        let outer = std::mem::replace(&mut self.current_block, number);
        let first = self.flow.len();
        self.set_block(block, parent, column);
        // Boxes without a place of their own (figures, tables, rules) start
        // at the start of their block.
        if let Some(number) = number {
            for flow in &mut self.flow[first..] {
                if let Flow::Box(b) = flow
                    && b.source.is_none()
                {
                    b.source = Some((number, 0));
                }
            }
        }
        self.current_block = outer;
    }

    fn set_block(&mut self, block: &Block, parent: NodeId, column: Column) {
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
                self.body_paragraph(content, style, node, column);
                self.no_indent = false;
            }
            BlockKind::Heading { level, content } => {
                let (role, size) = if *level <= 2 {
                    (Role::Bold, d.heading_size)
                } else {
                    (Role::Italic, d.body_size)
                };
                self.space(d.leading, d.leading * 2.0);
                let style = self.para_style(role, size, column.width, Align::Left, false);
                let node = self
                    .tree
                    .heading((*level).clamp(2, 6), &plain_text(content), parent);
                let first = self.flow.len();
                self.paragraph(content, &style, d.leading, node, column, false);
                for flow in &mut self.flow[first..] {
                    if let Flow::Box(b) = flow {
                        b.heading = true;
                    }
                }
                if let Some(Flow::Box(b)) = self.flow.get_mut(first) {
                    b.anchor = Some(((*level).clamp(2, 6), plain_text(content)));
                }
                // The space around a heading is what stretches first when a
                // page must end early.
                self.space(Pt::ZERO, d.leading * 2.0);
                self.keep = 2;
                self.no_indent = true;
            }
            BlockKind::Quote(inner) => {
                self.space(d.leading * 0.5, d.leading * 2.0);
                let node = self.tree.add(StructKind::Quote, Some(parent));
                let inset = Column {
                    x: column.x + d.quote_indent,
                    width: column.width - d.quote_indent,
                };
                self.no_indent = true;
                for block in inner {
                    self.block(block, node, inset);
                }
                self.space(d.leading * 0.5, d.leading * 2.0);
                self.no_indent = true;
            }
            BlockKind::PullQuote(inner) => {
                // A float: the paragraph after it keeps its indent, since the
                // quote may end up elsewhere.
                self.pull_quote(inner, parent, column);
            }
            BlockKind::List(list) => {
                let node = self
                    .tree
                    .add(StructKind::List(list_marks(list)), Some(parent));
                self.list(list, node, column);
                self.no_indent = true;
            }
            BlockKind::Figure(figure) => {
                // A float, like a pull quote: the indent stays with the text.
                self.figure(figure, parent, true, d.text_height * d.max_figure_share);
            }
            BlockKind::Table(table) => {
                self.space(d.leading * 0.5, d.leading * 2.0);
                let node = self.tree.add(StructKind::Table, Some(parent));
                self.table(table, node, column);
                self.space(d.leading * 0.5, d.leading * 2.0);
                self.no_indent = true;
            }
            BlockKind::Code { text, .. } => {
                self.space(d.leading * 0.5, d.leading * 2.0);
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
                self.space(d.leading * 0.5, d.leading * 2.0);
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
                let height = d.leading * 2.0;
                self.push_box(FlowBox::block(items, height, height - d.body_depth()));
                self.no_indent = true;
            }
        }
    }

    /// A paragraph of running text: kept so that it can be set again.
    fn body_paragraph(
        &mut self,
        content: &[Inline],
        style: ParaStyle,
        node: NodeId,
        column: Column,
    ) {
        let id = self.paragraphs.len();
        let set = set_paragraph(self.engine, content, &style, &note_label);
        let mut boxes = line_boxes(
            &set.lines,
            self.design.leading,
            self.design,
            column.x,
            node,
            self.tree,
            true,
            Some(id),
        );
        mark_sources(&mut boxes, &set.lines, self.current_block);
        self.paragraphs.push(ParaSource {
            content: content.to_vec(),
            style,
            leading: self.design.leading,
            node,
            x: column.x,
            lines: boxes.len(),
            block: self.current_block,
        });
        for b in boxes {
            self.push_box(b);
        }
    }

    /// Sets a paragraph that is not running text (headings, captions…):
    /// its lines are kept together.
    fn paragraph(
        &mut self,
        content: &[Inline],
        style: &ParaStyle,
        leading: Pt,
        node: NodeId,
        column: Column,
        body: bool,
    ) {
        let set = set_paragraph(self.engine, content, style, &note_label);
        let mut boxes = line_boxes(
            &set.lines,
            leading,
            self.design,
            column.x,
            node,
            self.tree,
            body,
            None,
        );
        mark_sources(&mut boxes, &set.lines, self.current_block);
        for b in boxes {
            self.push_box(b);
        }
    }

    /// Sets a display paragraph (title, standfirst) balanced: its lines
    /// kept together, each about as long as the others.
    fn balanced_paragraph(
        &mut self,
        content: &[Inline],
        style: &ParaStyle,
        leading: Pt,
        node: NodeId,
    ) {
        let (set, width) = set_balanced(self.engine, content, style, &note_label);
        // Centred lines stay centred on the full measure.
        let x = match style.align {
            Align::Center => (style.width - width) * 0.5,
            Align::Right => style.width - width,
            Align::Justify | Align::Left => Pt::ZERO,
        };
        let boxes = line_boxes(
            &set.lines,
            leading,
            self.design,
            x,
            node,
            self.tree,
            false,
            None,
        );
        for b in boxes {
            self.push_box(b);
        }
    }

    /// Height of the list so far.
    fn height(&self) -> Pt {
        self.flow
            .iter()
            .map(|f| match f {
                Flow::Space { height, .. } => *height,
                Flow::Box(b) => b.height,
            })
            .sum()
    }

    fn space(&mut self, height: Pt, stretch: Pt) {
        self.flow.push(Flow::Space { height, stretch });
    }

    fn push_box(&mut self, mut b: FlowBox) {
        if self.keep > 0 {
            b.break_before = Break::Avoid;
            // A float right after a heading stays with it if it is placed
            // there, but the heading keeps its lines of text all the same.
            if !b.float {
                self.keep -= 1;
            }
        }
        self.flow.push(Flow::Box(b));
    }

    /// A pull quote: larger italic lines between two rules, kept whole.
    /// The rules stand up to half a line from the text, closer by what
    /// brings the quote with its half-line spaces to whole lines, so that
    /// the text around it stays on the baseline grid.
    fn pull_quote(&mut self, blocks: &[Block], parent: NodeId, column: Column) {
        let d = self.design;
        let node = self.tree.add(StructKind::Quote, Some(parent));
        let inset = Column {
            x: column.x + d.quote_indent * 0.5,
            width: column.width - d.quote_indent,
        };
        let style = self.para_style(Role::Italic, d.pull_size, inset.width, Align::Center, false);
        let mut sets = Vec::new();
        for block in blocks {
            let content: Vec<Inline> = match &block.kind {
                BlockKind::Paragraph(content) => content.clone(),
                _ => block_text(block),
            };
            let p = self.tree.add(StructKind::Paragraph, Some(node));
            sets.push((p, set_balanced(self.engine, &content, &style, &note_label)));
        }
        let lines: usize = sets.iter().map(|(_, (set, _))| set.lines.len()).sum();
        let text = d.pull_leading * lines as f32;
        // Rule, padding, text, padding, rule, and the spaces outside.
        let whole = d.leading * 3.0 + text;
        let excess = whole - d.leading * (whole / d.leading + GRID_EPSILON).floor();
        let pad = (d.leading * 0.5 - excess * 0.5).max(Pt::ZERO);
        let mut items = vec![rule_item(
            column.x,
            column.x + column.width,
            d.leading * 0.5,
        )];
        let mut y = d.leading * 0.5 + pad;
        let mut last_baseline = y;
        for (p, (set, width)) in &sets {
            // Centred on the narrower measure: centred in the column too.
            let x = inset.x + (inset.width - *width) * 0.5;
            for line in &set.lines {
                last_baseline = y + d.pull_leading * d.baseline_ratio;
                items.extend(line_items(line, x, last_baseline, *p, self.tree).0);
                y += d.pull_leading;
            }
        }
        y += pad;
        items.push(rule_item(column.x, column.x + column.width, y));
        y += d.leading * 0.5;
        // Like a figure, a pull quote goes where it fits or atop the next
        // page; the paginator gives it its spaces where it lands.
        let mut b = FlowBox::block(items, y, last_baseline);
        b.float = true;
        self.push_box(b);
    }

    /// A list: labels hang, flush right, in a column left of the items'
    /// text, half an em from it.
    fn list(&mut self, list: &List, node: NodeId, column: Column) {
        let d = self.design;
        let labels: Vec<SetLine> = list
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let label = match (list.start, item.checked) {
                    (_, Some(true)) => "☑".to_string(),
                    (_, Some(false)) => "☐".to_string(),
                    (Some(start), None) => format!("{}.", start + i as u64),
                    (None, None) => "•".to_string(),
                };
                let style =
                    self.para_style(Role::Regular, d.body_size, d.measure, Align::Left, false);
                set_paragraph(self.engine, &[Inline::Text(label)], &style, &note_label)
                    .lines
                    .into_iter()
                    .next()
            })
            .collect();
        let widest = labels.iter().map(line_width).fold(Pt::ZERO, Pt::max);
        let label_width = widest + d.body_size * 0.5;
        let body = Column {
            x: column.x + label_width,
            width: column.width - label_width,
        };
        for (item, label) in list.items.iter().zip(&labels) {
            let item_node = self.tree.add(StructKind::ListItem, Some(node));
            let label_node = self.tree.add(StructKind::Label, Some(item_node));
            let body_node = self.tree.add(StructKind::ListBody, Some(item_node));
            let first_box = self.flow.len();
            self.no_indent = true;
            for block in &item.blocks {
                self.block(block, body_node, body);
            }
            // The label goes on the first line of the item.
            let label_x = body.x - d.body_size * 0.5 - line_width(label);
            if let Some(Flow::Box(first)) = self.flow[first_box..]
                .iter_mut()
                .find(|f| matches!(f, Flow::Box(_)))
            {
                let baseline = first.height * d.baseline_ratio;
                Arc::make_mut(&mut first.items)
                    .extend(line_items(label, label_x, baseline, label_node, self.tree).0);
                // The label belongs to the item's first line wherever it
                // goes, so that paragraph is never set again in another
                // number of lines (which would set its first line anew
                // beside the one that carries the label).
                if let Some(para) = first.para.take() {
                    for flow in &mut self.flow[first_box..] {
                        if let Flow::Box(b) = flow
                            && b.para == Some(para)
                        {
                            b.para = None;
                        }
                    }
                }
            }
        }
    }

    /// A figure: the image scaled to the measure (and to at most
    /// `max_height` with its caption), its caption under it.
    fn figure(&mut self, figure: &Figure, parent: NodeId, float: bool, max_height: Pt) {
        let d = self.design;
        let image = &figure.image;
        let caption_room = if figure.caption.is_empty() {
            Pt::ZERO
        } else {
            d.small_leading * 3.0
        };
        let max_height = (max_height - caption_room).max(d.leading * 4.0);
        let mut width = d.measure;
        let mut height = width * (image.height as f32 / image.width as f32);
        if height > max_height {
            width = width * (max_height / height);
            height = max_height;
        }
        let node = self.tree.add(StructKind::Figure, Some(parent));
        self.tree.set_alt(node, &figure.alt);
        // The caption, from the foot of the image: its lines and the
        // baseline of its last.
        let mut caption_items = Vec::new();
        let mut caption_depth = Pt::ZERO;
        if !figure.caption.is_empty() {
            let caption = self.tree.add(StructKind::Caption, Some(parent));
            let style = self.para_style(Role::Italic, d.small_size, d.measure, Align::Left, false);
            let set = set_paragraph(self.engine, &figure.caption, &style, &note_label);
            let mut y = d.leading * 0.4;
            for line in &set.lines {
                caption_depth = y + d.small_leading * d.baseline_ratio;
                caption_items
                    .extend(line_items(line, Pt::ZERO, caption_depth, caption, self.tree).0);
                y += d.small_leading;
            }
        }
        // The image gives up what the figure, with its half-line spaces,
        // has beyond whole lines, so that the text around it stays on the
        // page's baseline grid.
        let whole = height + caption_depth + d.body_depth() + d.leading;
        let excess = whole - d.leading * (whole / d.leading + GRID_EPSILON).floor();
        if excess > Pt::ZERO && height - excess > d.leading * 2.0 {
            width = width * ((height - excess) / height);
            height -= excess;
        }
        let x = (d.measure - width) / 2.0;
        let mut items = vec![Item::Image {
            clip: None,
            image: Arc::clone(image),
            rect: Rect::new(x, Pt::ZERO, width, height),
            tag: Tag::Node(node),
        }];
        items.extend(
            caption_items
                .into_iter()
                .map(|item| super::paginate::translate(item, height)),
        );
        let last_baseline = height + caption_depth;
        // The box ends one body depth below its last baseline, so that a page
        // ending with a figure ends on the same baseline as any other.
        let box_height = last_baseline + d.body_depth();
        let mut b = FlowBox::block(items, box_height, last_baseline);
        if float {
            // A float takes its spaces where the paginator places it, so
            // that none stays behind in the text when it moves on.
            b.float = true;
            self.push_box(b);
        } else {
            self.space(d.leading * 0.5, d.leading * 2.0);
            self.push_box(b);
            self.space(d.leading * 0.5, d.leading * 2.0);
        }
    }

    /// A table at its natural width (up to the column's), one box per row
    /// of lines at the body leading, the header repeated on every page the
    /// table runs onto.
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
        let width: Pt = widths.iter().copied().sum::<Pt>() + gap * (columns as f32 - 1.0);
        let rules = (column.x, column.x + width);
        let header = Arc::new(self.table_row(
            &table.head,
            &table.columns,
            &widths,
            column,
            gap,
            node,
            true,
        ));
        let mut top = (*header).clone();
        // A rule above the header; the header itself carries the rule below.
        Arc::make_mut(&mut top.items).push(rule_item(rules.0, rules.1, Pt(0.5)));
        self.push_box(top);
        self.keep = 1;
        for (r, row) in table.rows.iter().enumerate() {
            let mut b = self.table_row(row, &table.columns, &widths, column, gap, node, false);
            b.header = Some(Arc::clone(&header));
            if r + 1 == table.rows.len() {
                Arc::make_mut(&mut b.items).push(rule_item(rules.0, rules.1, b.height));
            }
            self.push_box(b);
        }
    }

    /// Column widths: natural widths if they fit (the table is no wider
    /// than its text), else shared in proportion to them, never below the
    /// longest word.
    fn column_widths(&mut self, table: &Table, columns: usize, width: Pt, gap: Pt) -> Vec<Pt> {
        let available = width - gap * (columns as f32 - 1.0);
        let mut natural = vec![Pt::ZERO; columns];
        let mut longest_word = vec![Pt::ZERO; columns];
        for row in std::iter::once(&table.head).chain(table.rows.iter()) {
            for (c, cell) in row.iter().enumerate().take(columns) {
                natural[c] = natural[c].max(self.natural_width(cell));
                for word in plain_text(cell).split_whitespace() {
                    let w = self.natural_width(&[Inline::Text(word.to_string())]);
                    longest_word[c] = longest_word[c].max(w.min(available / columns as f32));
                }
            }
        }
        let total: Pt = natural.iter().copied().sum();
        if total <= available {
            // A little room beyond the natural width, so that no cell breaks.
            return natural.iter().map(|w| *w + Pt(3.0)).collect();
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

    /// Width of inline content set on one line at the table size.
    fn natural_width(&mut self, content: &[Inline]) -> Pt {
        let size = self.design.note_size;
        let style = self.para_style(Role::Regular, size, Pt(100_000.0), Align::Left, false);
        match set_paragraph_within(self.engine, content, &style, &note_label) {
            Some(set) => set.lines.iter().map(line_width).fold(Pt::ZERO, Pt::max),
            None => style.width,
        }
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
        let mut x = column.x;
        let mut items = Vec::new();
        let mut lines_max = 1usize;
        let mut marks = Vec::new();
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
            let cell = cells.get(c).map(Vec::as_slice).unwrap_or(&[]);
            let style = self.para_style(role, d.note_size, *width, align, false);
            let set = set_paragraph(self.engine, cell, &style, &note_label);
            lines_max = lines_max.max(set.lines.len());
            for (l, line) in set.lines.iter().enumerate() {
                let baseline = d.leading * (l as f32 + d.baseline_ratio);
                let (line_items, line_marks) = line_items(line, x, baseline, cell_node, self.tree);
                items.extend(line_items);
                marks.extend(line_marks);
            }
            x += *width + gap;
        }
        // Rows are whole body lines, so the text after the table stays on
        // the page's baseline grid.
        let last_baseline = d.leading * (lines_max as f32 - 1.0 + d.baseline_ratio);
        let height = d.leading * lines_max as f32;
        if header {
            let right =
                column.x + widths.iter().copied().sum::<Pt>() + gap * (widths.len() as f32 - 1.0);
            items.push(rule_item(column.x, right, height));
        }
        let mut b = FlowBox::block(items, height, last_baseline);
        b.marks = marks;
        b
    }

    /// A footnote: its number, a link back to the reference, then its
    /// paragraphs in the note size, the first indented to make room for it.
    fn note(&mut self, index: usize, blocks: &[Block], section: NodeId) -> NoteFlow {
        let d = self.design;
        let node = self.tree.add(StructKind::Note, Some(section));
        let label_node = self.tree.add(StructKind::Label, Some(node));
        let link = self.tree.add(StructKind::Link, Some(label_node));
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
        let label_style =
            self.para_style(Role::Regular, d.note_size, d.measure, Align::Left, false);
        let label = set_paragraph(
            self.engine,
            &[Inline::Text(format!("{}.", index + 1))],
            &label_style,
            &note_label,
        )
        .lines
        .into_iter()
        .next();
        let label_width = label.as_ref().map_or(Pt::ZERO, line_width);
        let baseline = d.note_leading * d.baseline_ratio;
        let number = Rect::new(
            Pt::ZERO,
            baseline - d.note_size * 0.8,
            label_width.max(d.note_size * 0.5),
            d.note_size,
        );
        let mut lines = Vec::new();
        for content in paragraphs {
            let mut style = self.para_style(
                Role::Regular,
                d.note_size,
                d.measure,
                d.body_align,
                d.hyphenate,
            );
            if lines.is_empty() {
                style.indent = label_width + d.note_size * 0.3;
            }
            let p = self.tree.add(StructKind::Paragraph, Some(node));
            let set = set_paragraph(self.engine, &content, &style, &note_label);
            for line in &set.lines {
                let mut items = Vec::new();
                if let (true, Some(label)) = (lines.is_empty(), &label) {
                    items.extend(line_items(label, Pt::ZERO, baseline, link, self.tree).0);
                }
                items.extend(line_items(line, Pt::ZERO, baseline, p, self.tree).0);
                let mut b = FlowBox::block(items, d.note_leading, baseline);
                b.break_before = Break::Allowed;
                lines.push(b);
            }
        }
        NoteFlow {
            lines,
            number,
            link,
        }
    }
}

/// Paragraphs of an article prepared for setting again, by
/// [`FlowBox::para`]: each is shaped and hyphenated once, however many
/// settings the paginator asks of it.
pub type Prepared = HashMap<usize, PreparedParagraph>;

/// Sets paragraph `id` (from `source`) again in `lines` lines, as boxes;
/// `None` when it cannot be set well in that many. `prepared` keeps what
/// every setting of the paragraph shares.
pub fn reset_paragraph(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    prepared: &mut Prepared,
    source: &ParaSource,
    id: usize,
    lines: usize,
) -> Option<Vec<FlowBox>> {
    let looseness = lines as i32 - source.lines as i32;
    let style = ParaStyle {
        looseness,
        ..source.style.clone()
    };
    let paragraph = prepared
        .entry(id)
        .or_insert_with(|| prepare_paragraph(engine, &source.content, &style, &note_label));
    let set = set_in_lines(engine, paragraph, &style, lines)?;
    let mut boxes = line_boxes(
        &set.lines,
        source.leading,
        design,
        source.x,
        source.node,
        tree,
        true,
        Some(id),
    );
    mark_sources(&mut boxes, &set.lines, source.block);
    Some(boxes)
}

/// Records in each line's box where its text starts in block `block`.
fn mark_sources(boxes: &mut [FlowBox], lines: &[SetLine], block: Option<usize>) {
    if let Some(block) = block {
        for (b, line) in boxes.iter_mut().zip(lines) {
            b.source = Some((block, line.source_start));
        }
    }
}

/// The printed mark of footnote `i`.
fn note_label(i: usize) -> String {
    (i + 1).to_string()
}

/// Boxes for the lines of a paragraph. Running text (`body`) may break
/// between lines except after its first and before its last, and never
/// after a hyphen; other paragraphs are kept whole.
#[allow(clippy::too_many_arguments)]
fn line_boxes(
    lines: &[SetLine],
    leading: Pt,
    design: &Design,
    x: Pt,
    node: NodeId,
    tree: &mut Tree,
    body: bool,
    para: Option<usize>,
) -> Vec<FlowBox> {
    let count = lines.len();
    let baseline = leading * design.baseline_ratio;
    let mut after_hyphen = false;
    let mut boxes = Vec::with_capacity(count);
    for (i, line) in lines.iter().enumerate() {
        let legal = i == 0 || (body && i >= 2 && count - i >= 2);
        let break_before = match (legal, after_hyphen) {
            (false, _) => Break::Avoid,
            (true, true) => Break::Discouraged,
            (true, false) => Break::Allowed,
        };
        after_hyphen = line.hyphenated || ends_in_a_hyphen(line);
        let (items, marks) = line_items(line, x, baseline, node, tree);
        boxes.push(FlowBox {
            items: Arc::new(items),
            height: leading,
            depth: leading - baseline,
            break_before,
            marks,
            float: false,
            moved: false,
            header: None,
            body_line: body,
            heading: false,
            para,
            anchor: None,
            source: None,
        });
    }
    boxes
}

/// True when a line ends in a word's own hyphen ("sisters-in-" or a URL
/// broken after one): a page should no more end there than on a
/// hyphenation.
fn ends_in_a_hyphen(line: &SetLine) -> bool {
    let text = line.runs.last().map_or("", |run| run.text.trim_end());
    let mut chars = text.chars().rev();
    matches!(chars.next(), Some('-' | '\u{2010}')) && chars.next().is_some_and(char::is_alphabetic)
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
    let join = |blocks: &mut dyn Iterator<Item = &Block>| {
        let mut out = Vec::new();
        for b in blocks {
            if !out.is_empty() {
                out.push(Inline::Text(" ".into()));
            }
            out.extend(block_text(b));
        }
        out
    };
    match &block.kind {
        BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => c.clone(),
        BlockKind::Quote(blocks) | BlockKind::PullQuote(blocks) => join(&mut blocks.iter()),
        BlockKind::List(list) => join(&mut list.items.iter().flat_map(|i| i.blocks.iter())),
        BlockKind::Code { text, .. } => vec![Inline::Code(text.clone())],
        BlockKind::Figure(f) => f.caption.clone(),
        BlockKind::Table(_) | BlockKind::Rule => Vec::new(),
    }
}

/// What marks a list's items, as its labels show: checkboxes when every
/// item is a task, else numbers or bullets.
fn list_marks(list: &List) -> ListMarks {
    if list.items.iter().all(|item| item.checked.is_some()) {
        ListMarks::Checkboxes
    } else if list.start.is_some() {
        ListMarks::Numbers
    } else {
        ListMarks::Bullets
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
/// `baseline` (both relative to its box), and its footnote marks. Links
/// and footnote marks get a structure node each, for their annotations.
pub fn line_items(
    line: &SetLine,
    x: Pt,
    baseline: Pt,
    node: NodeId,
    tree: &mut Tree,
) -> (Vec<Item>, Vec<NoteMark>) {
    let mut items = Vec::with_capacity(line.runs.len() + line.links.len());
    let mut marks = Vec::new();
    let link_nodes: Vec<NodeId> = line
        .links
        .iter()
        .map(|_| tree.add(StructKind::Link, Some(node)))
        .collect();
    // Runs in a marked language share a span node with that language.
    let mut lang_span: Option<(NodeId, &str, NodeId)> = None;
    for run in &line.runs {
        let mark_node = run.note.map(|_| tree.add(StructKind::Link, Some(node)));
        let owner = mark_node
            .or(run.link.map(|l| link_nodes[l]))
            .unwrap_or(node);
        let tag = Tag::Node(match run.lang.as_deref() {
            None => owner,
            Some(lang) => match lang_span {
                Some((parent, open, span)) if parent == owner && open == lang => span,
                _ => {
                    let span = tree.add(StructKind::Span, Some(owner));
                    tree.set_lang(span, lang);
                    lang_span = Some((owner, lang, span));
                    span
                }
            },
        });
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
        if let (Some(note), Some(link)) = (run.note, mark_node) {
            marks.push(NoteMark {
                note,
                rect: Rect::new(origin.x, origin.y - run.size, run.width, run.size * 1.2),
                link,
            });
        }
        items.push(Item::Text(TextRun {
            origin,
            font: run.face.0,
            size: run.size,
            h_scale: run.h_scale,
            vertical: false,
            right_to_left: run.level % 2 == 1,
            glyphs: run
                .glyphs
                .iter()
                .map(|g| {
                    // OpenType glyph ids are 16-bit; a larger one cannot come from a font.
                    let id = u16::try_from(g.id).unwrap_or(0);
                    Glyph::new(id, g.advance, g.dx, g.dy, g.text.clone(), &run.text)
                })
                .collect(),
            text: run.text.clone(),
            color: Color::BLACK,
            tag,
        }));
    }
    for ((x0, x1, url), link_node) in line.links.iter().zip(link_nodes) {
        let rect = Rect::new(
            x + *x0,
            baseline - line.ascent,
            *x1 - *x0,
            line.ascent + line.descent,
        );
        items.push(Item::Link {
            rect,
            target: LinkTarget::Url(url.clone()),
            tag: Tag::Node(link_node),
        });
    }
    (items, marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ListItem;

    fn list(start: Option<u64>, checked: &[Option<bool>]) -> List {
        List {
            start,
            items: checked
                .iter()
                .map(|&checked| ListItem {
                    blocks: Vec::new(),
                    checked,
                })
                .collect(),
        }
    }

    #[test]
    fn a_list_is_tagged_with_the_marks_its_labels_show() {
        assert_eq!(
            list_marks(&list(Some(1), &[None, None])),
            ListMarks::Numbers
        );
        assert_eq!(list_marks(&list(None, &[None, None])), ListMarks::Bullets);
        let tasks = [Some(true), Some(false)];
        assert_eq!(list_marks(&list(None, &tasks)), ListMarks::Checkboxes);
        assert_eq!(list_marks(&list(Some(1), &tasks)), ListMarks::Checkboxes);
        // One ordinary item among tasks shows a bullet or number.
        assert_eq!(
            list_marks(&list(None, &[Some(true), None])),
            ListMarks::Bullets
        );
    }
}
