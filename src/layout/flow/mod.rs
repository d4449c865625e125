//! An article as a vertical list: every block typeset into lines and
//! blocks of known height, with the spaces between them and the rules for
//! where a page may break (no widows or orphans, no page ending on a
//! hyphen, headings kept with what follows). The paginator cuts this list
//! into pages; it may ask for a paragraph to be set one line longer or
//! shorter ([`reset_paragraph`]) to fill a page exactly.

mod blocks;
mod lines;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Article, Block, BlockKind, Inline, List, block_index_walk, plain_text};
use crate::page::{Color, Item, ListMarks, NodeId, StructKind, Tag};
use crate::units::{Point, Pt, Rect};

use super::Engine;
use super::design::Design;
use super::fonts::Role;
use super::paragraph::{
    Align, ParaStyle, PreparedParagraph, prepare_paragraph, set_balanced, set_balanced_title,
    set_paragraph, set_prepared_paragraph,
};
use super::structure::Tree;

use lines::{line_boxes, mark_sources, note_label};
pub use lines::{line_items, reset_paragraph};

/// How far below a grid line a height may fall and still count as on it
/// (rounding of sums of leadings), as a share of a line.
const GRID_EPSILON: f32 = 1e-3;

/// The lines at an article's end that no page break parts: its last page
/// carries at least these.
const KEPT_LAST_LINES: usize = 3;

/// A piece of the vertical list.
#[derive(Clone, Debug)]
pub enum Flow {
    /// Something with a height: a line, a figure, a table row. Shared:
    /// the paginator copies the list and its boxes into every page it
    /// tries, and a count is cheaper to copy than a box.
    Box(Arc<FlowBox>),
    /// White space; it may stretch to fill a page and vanishes at a page break.
    Space {
        /// Natural height.
        height: Pt,
        /// How much it may grow.
        stretch: Pt,
    },
}

impl Flow {
    /// The paragraph whose line this is, if it is one that may be set
    /// again.
    pub fn para(&self) -> Option<usize> {
        match self {
            Flow::Box(b) => b.para,
            Flow::Space { .. } => None,
        }
    }
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
    /// A line of the article's closing note ([`Article::closing_note`]):
    /// a body line too, but not text that a page left over carries (see
    /// the paginator's last pages).
    pub closing_note_line: bool,
    /// A line of a subhead: the white above it may open, the white below
    /// it hardly, so that it stays with its text.
    pub heading: bool,
    /// A figure set where it stands in the text (an opening's lead image),
    /// not floated: the white above it opens, the white under its caption
    /// stays as designed.
    pub fixed_figure: bool,
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
    /// This float, set somewhere other than where its source put it:
    /// marked moved, and a page may end before it.
    pub(crate) fn into_moved(self) -> FlowBox {
        FlowBox {
            moved: true,
            break_before: Break::Allowed,
            ..self
        }
    }

    /// What a box shared in a list draws, taken without a copy where the
    /// list held the only reference.
    pub(crate) fn into_items(self: Arc<FlowBox>) -> Vec<Item> {
        Arc::unwrap_or_clone(Arc::unwrap_or_clone(self).items)
    }

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
            closing_note_line: false,
            heading: false,
            fixed_figure: false,
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
    pub lines: Vec<Arc<FlowBox>>,
    /// Where its number is drawn in its first line, for the link back.
    pub number: Rect,
    /// The structure node of the number's link back.
    pub link: NodeId,
}

/// A paragraph of running text as it was set, so that the paginator can
/// have it set again one line longer or shorter: prepared (shaped,
/// hyphenated, its best breaks found) once, however many settings the
/// paginator asks of it.
pub struct ParaSource {
    prepared: PreparedParagraph,
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
    /// The breaks the list rules forbid (no item alone on a page, a
    /// lead-in kept with its list): the box's index in `flow`, and the
    /// break a paragraph's rules alone would give it. The lists are
    /// kept where that costs the article no page and no white (see
    /// [`crate::layout::book`]).
    pub list_keeps: Vec<(usize, Break)>,
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
    /// The last block set was a paragraph that ends in a colon: it leads
    /// in to what follows ("…as follows:"), which a page does not part
    /// from it.
    lead_in: bool,
    /// See [`ArticleFlow::list_keeps`].
    list_keeps: Vec<(usize, Break)>,
    /// The number of each body block in [`block_index_walk`] order, by address.
    block_numbers: HashMap<*const Block, usize>,
    /// The number of the block being set.
    current_block: Option<usize>,
    /// The article's closing note ([`Article::closing_note`]), by address.
    closing_note: Option<*const Block>,
    /// The spaces above and below the block set last, when it stands off
    /// the text by half a line each side (quotes, code, tables): their
    /// indices in the list, for a subhead that follows to collapse them.
    block_edges: Option<(usize, usize)>,
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
            lead_in: false,
            list_keeps: Vec::new(),
            block_numbers: HashMap::new(),
            current_block: None,
            closing_note: None,
            block_edges: None,
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
        self.closing_note = article.closing_note().map(|b| b as *const Block);
        self.opening(article, kicker, origin, section);
        let column = Column {
            x: Pt::ZERO,
            width: self.design.measure,
        };
        for block in &article.body {
            self.block(block, section, column);
        }
        self.keep_last_lines_together();
        let notes = (0..article.notes.len())
            .map(|i| self.note(i, &article.notes[i].blocks, section))
            .collect();
        ArticleFlow {
            flow: self.flow,
            notes,
            paragraphs: self.paragraphs,
            list_keeps: self.list_keeps,
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
        self.balanced_paragraph(content, &style, leading, node, false);
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
            let content = [Inline::Text(text.to_string())];
            let title = matches!(kind, StructKind::Heading(_));
            self.balanced_paragraph(&content, &style, leading, node, title);
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
                Arc::make_mut(b).break_before = Break::Avoid;
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
                    Arc::make_mut(b).source = Some((number, 0));
                }
            }
        }
        self.current_block = outer;
    }

    fn set_block(&mut self, block: &Block, parent: NodeId, column: Column) {
        let d = self.design;
        let lead_in = std::mem::take(&mut self.lead_in);
        let edges = self.block_edges.take();
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
                if self.closing_note == Some(block as *const Block) {
                    self.set_closing_note(content, style, node, column);
                } else {
                    self.body_paragraph(content, style, node, column);
                }
                self.no_indent = false;
                self.lead_in = plain_text(content).trim_end().ends_with(':');
            }
            BlockKind::Heading { level, content } => {
                let (role, size) = if *level <= 2 {
                    (Role::Bold, d.heading_size)
                } else {
                    (Role::Italic, d.body_size)
                };
                self.collapse_edges(edges);
                self.space(d.leading, d.leading * 2.0);
                let style = self.para_style(role, size, column.width, Align::Left, false);
                let node = self
                    .tree
                    .heading((*level).clamp(2, 6), &plain_text(content), parent);
                let first = self.flow.len();
                self.paragraph(content, &style, d.leading, node, column, false);
                for flow in &mut self.flow[first..] {
                    if let Flow::Box(b) = flow {
                        Arc::make_mut(b).heading = true;
                    }
                }
                if let Some(Flow::Box(b)) = self.flow.get_mut(first) {
                    Arc::make_mut(b).anchor = Some(((*level).clamp(2, 6), plain_text(content)));
                }
                // The space around a heading is what stretches first when a
                // page must end early.
                self.space(Pt::ZERO, d.leading * 2.0);
                self.keep = 2;
                self.no_indent = true;
            }
            BlockKind::Quote(inner) => {
                let top = self.flow.len();
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
                self.block_edges = Some((top, self.flow.len() - 1));
                self.no_indent = true;
            }
            BlockKind::PullQuote(inner) => {
                // A float: the paragraph after it keeps its indent, since the
                // quote may end up elsewhere; a lead-in before it still
                // leads in to what follows.
                self.pull_quote(inner, parent, column);
                self.lead_in = lead_in;
            }
            BlockKind::List(list) => {
                let node = self
                    .tree
                    .add(StructKind::List(list_marks(list)), Some(parent));
                self.list(list, node, column, lead_in);
                self.no_indent = true;
            }
            BlockKind::Figure(figure) => {
                // A float, like a pull quote: the indent stays with the text.
                self.figure(figure, parent, true, d.text_height * d.max_figure_share);
                self.lead_in = lead_in;
            }
            BlockKind::Table(table) => {
                let top = self.flow.len();
                self.space(d.leading * 0.5, d.leading * 2.0);
                let node = self.tree.add(StructKind::Table, Some(parent));
                self.table(table, node, column);
                self.space(d.leading * 0.5, d.leading * 2.0);
                self.block_edges = Some((top, self.flow.len() - 1));
                self.no_indent = true;
            }
            BlockKind::Code { text, .. } => {
                let top = self.flow.len();
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
                self.block_edges = Some((top, self.flow.len() - 1));
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

    /// A subhead right after a block that stands off the text by half a
    /// line each side (`edges`: its spaces above and below): the white
    /// between them collapses to the subhead's, the larger, as CSS
    /// margins collapse, so that the subhead stands as far from what
    /// precedes it as anywhere. The half line that frees goes above the
    /// block, which then stands a whole line off the text above it, so
    /// that the text after the subhead stays on the page's baseline grid
    /// (a half line alone would have to open somewhere on the page).
    fn collapse_edges(&mut self, edges: Option<(usize, usize)>) {
        let Some((top, bottom)) = edges else { return };
        if bottom + 1 != self.flow.len() {
            return;
        }
        let (Some(Flow::Space { height: below, .. }), Some(Flow::Space { height: above, .. })) =
            (self.flow.last().cloned(), self.flow.get(top).cloned())
        else {
            return;
        };
        self.flow.pop();
        if let Some(Flow::Space { height, .. }) = self.flow.get_mut(top) {
            *height = above + below;
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
        let prepared = prepare_paragraph(self.engine, content, &style, &note_label);
        let set = set_prepared_paragraph(self.engine, &prepared, &style);
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
            prepared,
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

    /// An article's closing note set wholly in italic (the series note, a
    /// credit) is editorial matter, not running text: ragged and balanced
    /// like a standfirst, on the body's size and leading, so that it does
    /// not end on "Part 12." alone, as justified it must. A note that
    /// justified takes fewer lines (one, its spaces shrunk) is set so:
    /// balanced, it would take a line for nothing. Either way the page
    /// builder does not set it a line longer, which ends it on "Part 12."
    /// alone again. A display line, not a paragraph: it takes no indent,
    /// and a line of white sets it apart.
    fn set_closing_note(
        &mut self,
        content: &[Inline],
        style: ParaStyle,
        node: NodeId,
        column: Column,
    ) {
        let style = ParaStyle {
            indent: Pt::ZERO,
            ..style
        };
        let ragged = ParaStyle {
            align: Align::Left,
            hyphenate: false,
            expansion: 0.0,
            ..style.clone()
        };
        let (balanced, _) = set_balanced(self.engine, content, &ragged, &note_label);
        let justified = set_paragraph(self.engine, content, &style, &note_label);
        let set = if balanced.lines.len() > justified.lines.len() {
            justified
        } else {
            balanced
        };
        let mut boxes = line_boxes(
            &set.lines,
            self.design.leading,
            self.design,
            column.x,
            node,
            self.tree,
            true,
            None,
        );
        mark_sources(&mut boxes, &set.lines, self.current_block);
        // A line of white stands it off the text, as the e-book's
        // `p.closing-note` does: set solid under the last paragraph, it
        // reads as that paragraph's last lines.
        self.space(self.design.leading, Pt::ZERO);
        for mut b in boxes {
            b.closing_note_line = true;
            self.push_box(b);
        }
    }

    /// Sets a display paragraph (title, standfirst) balanced: its lines
    /// kept together, each about as long as the others; an opening's
    /// `title` in a line more where only that breaks it at sense breaks.
    fn balanced_paragraph(
        &mut self,
        content: &[Inline],
        style: &ParaStyle,
        leading: Pt,
        node: NodeId,
        title: bool,
    ) {
        let set_display = if title {
            set_balanced_title
        } else {
            set_balanced
        };
        let (set, width) = set_display(self.engine, content, style, &note_label);
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

    /// Keeps an article's last [`KEPT_LAST_LINES`] lines together, so
    /// that its last page is never one line or two left over (the series
    /// note alone, say): the page before gives up lines, or its paragraphs
    /// are set a line longer to fill it.
    fn keep_last_lines_together(&mut self) {
        let lines = self
            .flow
            .iter_mut()
            .enumerate()
            .rev()
            .filter_map(|(i, f)| match f {
                Flow::Box(b) if !b.float => Some((i, b)),
                _ => None,
            })
            .take(KEPT_LAST_LINES - 1);
        for (i, b) in lines {
            Arc::make_mut(b).break_before = Break::Avoid;
            // Kept for the article's end, whatever its lists allow.
            self.list_keeps.retain(|(at, _)| *at != i);
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
        self.flow.push(Flow::Box(Arc::new(b)));
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
