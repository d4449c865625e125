//! A paragraph's set lines as the list's boxes and the page's items, and
//! a paragraph set again for the paginator.

use std::sync::Arc;

use crate::page::{Color, Glyph, Item, LinkTarget, NodeId, StructKind, Tag, TextRun};
use crate::units::{Point, Pt, Rect};

use super::super::Engine;
use super::super::design::Design;
use super::super::paragraph::{ParaStyle, SetLine, Strain, set_in_lines};
use super::super::structure::Tree;
use super::{Break, FlowBox, NoteMark, ParaSource};

/// Sets paragraph `id` (from `source`) again in `lines` lines, as boxes,
/// its lines strained at most by `strain`; `None` when it cannot be set
/// well in that many.
pub fn reset_paragraph(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    source: &ParaSource,
    id: usize,
    lines: usize,
    strain: Strain,
) -> Option<Vec<FlowBox>> {
    let looseness = lines as i32 - source.lines as i32;
    let style = ParaStyle {
        looseness,
        ..source.style.clone()
    };
    let set = set_in_lines(engine, &source.prepared, &style, lines, strain)?;
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
pub(super) fn mark_sources(boxes: &mut [FlowBox], lines: &[SetLine], block: Option<usize>) {
    if let Some(block) = block {
        for (b, line) in boxes.iter_mut().zip(lines) {
            b.source = Some((block, line.source_start));
        }
    }
}

/// The printed mark of footnote `i`.
pub(super) fn note_label(i: usize) -> String {
    (i + 1).to_string()
}

/// Boxes for the lines of a paragraph. Running text (`body`) may break
/// between lines except after its first and before its last, and never
/// after a hyphen; other paragraphs are kept whole.
#[allow(clippy::too_many_arguments)]
pub(super) fn line_boxes(
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
            closing_note_line: false,
            heading: false,
            fixed_figure: false,
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

/// Width of a set line's ink.
pub(super) fn line_width(line: &SetLine) -> Pt {
    line.runs.last().map_or(Pt::ZERO, |r| r.x + r.width)
}

pub(super) fn rule_item(x0: Pt, x1: Pt, y: Pt) -> Item {
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
