//! The blocks with a shape of their own: pull quotes, lists, figures,
//! tables and footnotes.

use std::sync::Arc;

use crate::model::{
    Align as ColumnAlign, Block, BlockKind, Figure, Inline, List, Table, plain_text,
};
use crate::page::{Item, NodeId, StructKind, Tag};
use crate::units::{Pt, Rect};

use super::super::design::Design;
use super::super::fonts::Role;
use super::super::paragraph::{
    Align, SetLine, SetParagraph, set_balanced, set_paragraph, set_paragraph_within,
};
use super::lines::{line_items, line_width, note_label, rule_item};
use super::{Break, Column, Flow, FlowBox, FlowBuilder, GRID_EPSILON, NoteFlow, block_text};

impl FlowBuilder<'_, '_> {
    /// A pull quote: larger italic lines between two rules, kept whole.
    /// The rules stand up to half a line from the text, closer by what
    /// brings the quote with its half-line spaces to whole lines, so that
    /// the text around it stays on the baseline grid.
    pub(super) fn pull_quote(&mut self, blocks: &[Block], parent: NodeId, column: Column) {
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
    /// text, half an em from it. After a `lead_in` ("…as follows:") its
    /// first line stays on the lead-in's page.
    pub(super) fn list(&mut self, list: &List, node: NodeId, column: Column, lead_in: bool) {
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
        let mut item_starts = Vec::with_capacity(list.items.len());
        for (item, label) in list.items.iter().zip(&labels) {
            let item_node = self.tree.add(StructKind::ListItem, Some(node));
            let label_node = self.tree.add(StructKind::Label, Some(item_node));
            let body_node = self.tree.add(StructKind::ListBody, Some(item_node));
            let first_box = self.flow.len();
            item_starts.push(first_box);
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
                let first = Arc::make_mut(first);
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
                            Arc::make_mut(b).para = None;
                        }
                    }
                }
            }
        }
        self.keep_list_items_in_twos(&item_starts);
        if lead_in && let Some(&start) = item_starts.first() {
            self.avoid_break_before(start);
        }
    }

    /// As no paragraph leaves one line alone at a page break, no list
    /// leaves one item alone: a page may break between items only where
    /// two or more stand on each side (starting at `item_starts` in the list).
    fn keep_list_items_in_twos(&mut self, item_starts: &[usize]) {
        let count = item_starts.len();
        for (k, &start) in item_starts.iter().enumerate().skip(1) {
            if k < 2 || count - k < 2 {
                self.avoid_break_before(start);
            }
        }
    }

    /// No page breaks before the first box (not a float) from flow index
    /// `start`; the break it had is kept in [`FlowBuilder::list_keeps`].
    fn avoid_break_before(&mut self, start: usize) {
        let first = self.flow[start..]
            .iter_mut()
            .enumerate()
            .find_map(|(k, f)| match f {
                Flow::Box(b) if !b.float => Some((start + k, b)),
                _ => None,
            });
        if let Some((at, b)) = first
            && b.break_before != Break::Avoid
        {
            self.list_keeps.push((at, b.break_before));
            Arc::make_mut(b).break_before = Break::Avoid;
        }
    }

    /// A figure: the image scaled to the measure (and to at most
    /// `max_height` with its caption), its caption under it.
    pub(super) fn figure(&mut self, figure: &Figure, parent: NodeId, float: bool, max_height: Pt) {
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
        // The caption is set to the image's width, as a book sets it; the
        // image then gives up what the figure has beyond whole lines; if
        // that leaves the caption wider than the image, it is set again.
        let natural = (width, height);
        let mut caption = None;
        let mut measure = width;
        for _ in 0..3 {
            caption = (!figure.caption.is_empty()).then(|| self.caption(&figure.caption, measure));
            let depth = caption.as_ref().map_or(Pt::ZERO, |c| c.depth);
            (width, height) = on_grid(natural, depth, d);
            if caption
                .as_ref()
                .is_none_or(|c| c.centred || c.width <= width + Pt(0.01))
            {
                break;
            }
            measure = width;
        }
        let x = (d.measure - width) / 2.0;
        let mut items = vec![Item::Image {
            clip: None,
            image: Arc::clone(image),
            rect: Rect::new(x, Pt::ZERO, width, height),
            tag: Tag::Node(node),
        }];
        let mut caption_depth = Pt::ZERO;
        if let Some(caption) = caption {
            let caption_node = self.tree.add(StructKind::Caption, Some(parent));
            // Flush with the image's left edge, or centred under it.
            let left = if caption.centred {
                (d.measure - caption.width) / 2.0
            } else {
                x
            };
            for (line, depth) in caption
                .set
                .lines
                .iter()
                .zip(caption_baselines(&caption.set, d))
            {
                caption_depth = depth;
                let baseline = height + depth;
                items.extend(line_items(line, left, baseline, caption_node, self.tree).0);
            }
        }
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
            // The white above opens when the page must end flush; the
            // caption stands off the text by the same half line as a
            // float's does, wherever the page ends.
            b.fixed_figure = true;
            self.space(d.leading * 0.5, d.leading * 2.0);
            self.push_box(b);
            self.space(d.leading * 0.5, Pt::ZERO);
        }
    }

    /// A figure's caption set for an image `width` wide: flush left on
    /// that measure, its lines balanced so that it ends on no word alone;
    /// under an image narrower than [`MIN_CAPTION_SHARE`] of the measure,
    /// centred on that share.
    fn caption(&mut self, content: &[Inline], width: Pt) -> Caption {
        let d = self.design;
        let least = d.measure * MIN_CAPTION_SHARE;
        let centred = width < least;
        let (measure, align) = if centred {
            (least, Align::Center)
        } else {
            (width.min(d.measure), Align::Left)
        };
        let style = self.para_style(Role::Italic, d.small_size, measure, align, false);
        let (set, width) = set_balanced(self.engine, content, &style, &note_label);
        let depth = caption_baselines(&set, d)
            .last()
            .copied()
            .unwrap_or(Pt::ZERO);
        Caption {
            set,
            width,
            centred,
            depth,
        }
    }

    /// A table at its natural width (up to the column's), one box per row
    /// of lines at the body leading, the header repeated on every page the
    /// table runs onto.
    pub(super) fn table(&mut self, table: &Table, node: NodeId, column: Column) {
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
    pub(super) fn column_widths(
        &mut self,
        table: &Table,
        columns: usize,
        width: Pt,
        gap: Pt,
    ) -> Vec<Pt> {
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
    pub(super) fn natural_width(&mut self, content: &[Inline]) -> Pt {
        let size = self.design.note_size;
        let style = self.para_style(Role::Regular, size, Pt(100_000.0), Align::Left, false);
        match set_paragraph_within(self.engine, content, &style, &note_label) {
            Some(set) => set.lines.iter().map(line_width).fold(Pt::ZERO, Pt::max),
            None => style.width,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn table_row(
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
    pub(super) fn note(&mut self, index: usize, blocks: &[Block], section: NodeId) -> NoteFlow {
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
                lines.push(Arc::new(b));
            }
        }
        NoteFlow {
            lines,
            number,
            link,
        }
    }
}

/// The narrowest measure a caption is set on, as a share of the text
/// measure: under a narrower image it is centred on this.
const MIN_CAPTION_SHARE: f32 = 0.5;

/// A figure's caption, set.
struct Caption {
    set: SetParagraph,
    /// The measure its lines were balanced on.
    width: Pt,
    /// Centred under a narrow image, rather than flush with its edge.
    centred: bool,
    /// From the foot of the image to the caption's last baseline.
    depth: Pt,
}

/// An image's size once it gives up what its figure, with the caption's
/// `caption_depth` and its half-line spaces, has beyond whole lines, so
/// that the text around it stays on the page's baseline grid.
fn on_grid((width, height): (Pt, Pt), caption_depth: Pt, d: &Design) -> (Pt, Pt) {
    let whole = height + caption_depth + d.body_depth() + d.leading;
    let excess = whole - d.leading * (whole / d.leading + GRID_EPSILON).floor();
    if excess > Pt::ZERO && height - excess > d.leading * 2.0 {
        (width * ((height - excess) / height), height - excess)
    } else {
        (width, height)
    }
}

/// Each caption line's baseline, from the foot of the image.
fn caption_baselines(set: &SetParagraph, d: &Design) -> Vec<Pt> {
    let mut y = d.leading * 0.4;
    let mut baselines = Vec::with_capacity(set.lines.len());
    for _ in &set.lines {
        baselines.push(y + d.small_leading * d.baseline_ratio);
        y += d.small_leading;
    }
    baselines
}
