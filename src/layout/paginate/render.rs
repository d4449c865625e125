//! Drawing a planned page, and the links between footnotes and their
//! marks across an article's pages.

use crate::page::{Color, Item, LinkTarget, Tag};
use crate::units::{Point, Pt, Rect};

use super::super::design::Design;
use super::super::flow::NoteFlow;
use super::plan::{Plan, notes_area};
use super::spacing::Opening;
use super::{BodyPage, Placed};

/// Draws a planned page: spaces stretched so that a full page ends on the
/// last baseline, footnotes at the foot. Records where note numbers and
/// marks land, for the links between them.
pub(super) fn render(plan: &Plan, design: &Design, notes: &[NoteFlow]) -> BodyPage {
    // White opened after each placed element.
    let mut extra = vec![Pt::ZERO; plan.placed.len()];
    if plan.full {
        let opening = Opening::of(plan, design);
        for (end, room) in &opening.runs {
            extra[end - 1] += *room * opening.fill;
        }
        for (end, room) in &opening.reserves {
            extra[end - 1] += *room * opening.reserve_fill;
        }
        for &gap in &opening.gaps {
            extra[gap - 1] += opening.per_gap;
        }
    }
    let mut page = BodyPage {
        full: plan.full,
        notes_at_foot: !plan.note_lines.is_empty(),
        shallow_end: plan.placed.iter().rev().find_map(|p| match p {
            Placed::Box(b) => Some(b.depth < design.body_depth() - Pt(0.01) || b.header.is_some()),
            Placed::Space { .. } => None,
        }) == Some(true),
        ..BodyPage::default()
    };
    let in_place = plan.placed.iter().filter_map(|p| match p {
        Placed::Box(b) if !b.moved => b.source,
        _ => None,
    });
    let anywhere = plan.placed.iter().filter_map(|p| match p {
        Placed::Box(b) => b.source,
        Placed::Space { .. } => None,
    });
    page.source = in_place.chain(anywhere).next();
    page.items.reserve_exact(item_count(plan));
    let mut y = Pt::ZERO;
    // The lowest baseline of the page's text, if it has any.
    let mut last_baseline = None;
    for (p, extra) in plan.placed.iter().zip(&extra) {
        match p {
            Placed::Space { height, .. } => y += *height + *extra,
            Placed::Box(b) => {
                last_baseline = Some(y + b.height - b.depth);
                if let Some((level, title)) = &b.anchor {
                    page.anchors.push((*level, title.clone(), y));
                }
                for mark in &b.marks {
                    page.marks
                        .push((mark.note, translate_rect(mark.rect, y), mark.link));
                }
                page.items
                    .extend(b.items.iter().cloned().map(|item| translate(item, y)));
                y += b.height + *extra;
            }
        }
    }
    if !plan.note_lines.is_empty() {
        let lines_height: Pt = plan.note_lines.iter().map(|l| l.height).sum();
        let last_depth = plan.note_lines.last().map_or(Pt::ZERO, |l| l.depth);
        let bottom = notes_bottom(plan, last_baseline, design);
        let mut y = bottom + last_depth - lines_height;
        let rule_y = y - design.note_leading * 0.6;
        page.items.push(Item::Rule {
            from: Point::new(Pt::ZERO, rule_y),
            to: Point::new(design.measure * 0.3, rule_y),
            width: Pt(0.4),
            color: Color::GREY,
            tag: Tag::Artifact,
        });
        for line in &plan.note_lines {
            page.items
                .extend(line.items.iter().cloned().map(|item| translate(item, y)));
            y += line.height;
        }
        // A note's number is in the first line of that note.
        let top = bottom + last_depth - lines_height;
        for &(n, first) in &plan.note_starts {
            let offset: Pt = plan.note_lines[..first.min(plan.note_lines.len())]
                .iter()
                .map(|l| l.height)
                .sum();
            page.note_numbers.push((
                n,
                translate_rect(notes[n].number, top + offset),
                notes[n].link,
            ));
        }
    }
    page
}

/// The baseline of a page's last footnote line. On a full page it is
/// the page's last baseline; on an article's last page, which ends short,
/// the notes follow the text as they would on a full page (the same white
/// between them, on the baseline grid) rather than leave a hole above
/// them at the foot.
fn notes_bottom(plan: &Plan, text_baseline: Option<Pt>, design: &Design) -> Pt {
    let foot = design.bottom_baseline();
    match text_baseline {
        Some(text) if !plan.full => {
            let notes = notes_area(&plan.note_lines, design);
            let lines_for_notes = (notes / design.leading - 1e-3).ceil().max(0.0);
            (text + design.leading * lines_for_notes).min(foot)
        }
        _ => foot,
    }
}

/// How many items a page of `plan` draws (with its footnote rule and the
/// two links of each note added later), so that its list is allocated once.
fn item_count(plan: &Plan) -> usize {
    let boxes: usize = plan
        .placed
        .iter()
        .map(|p| match p {
            Placed::Box(b) => b.items.len(),
            Placed::Space { .. } => 0,
        })
        .sum();
    let notes: usize = plan.note_lines.iter().map(|l| l.items.len()).sum();
    boxes + notes + 1 + 2 * plan.note_starts.len()
}

/// Adds the links from each footnote mark to its note and back. Pages are
/// numbered from the article's first page.
pub(super) fn link_notes(pages: &mut [BodyPage]) {
    let mut links: Vec<(usize, Item)> = Vec::new();
    for (mark_page, page) in pages.iter().enumerate() {
        for (note, mark, mark_link) in &page.marks {
            let found = pages.iter().enumerate().find_map(|(i, p)| {
                p.note_numbers
                    .iter()
                    .find(|(n, _, _)| n == note)
                    .map(|(_, rect, link)| (i, *rect, *link))
            });
            let Some((note_page, number, number_link)) = found else {
                continue;
            };
            links.push((
                mark_page,
                Item::Link {
                    rect: *mark,
                    target: LinkTarget::Page {
                        page: note_page,
                        y: number.origin.y,
                    },
                    tag: Tag::Node(*mark_link),
                },
            ));
            links.push((
                note_page,
                Item::Link {
                    rect: number,
                    target: LinkTarget::Page {
                        page: mark_page,
                        y: mark.origin.y,
                    },
                    tag: Tag::Node(number_link),
                },
            ));
        }
    }
    for (page, link) in links {
        pages[page].items.push(link);
    }
}

fn translate_rect(rect: Rect, dy: Pt) -> Rect {
    Rect::new(
        rect.origin.x,
        rect.origin.y + dy,
        rect.size.width,
        rect.size.height,
    )
}

/// Moves an item down by `dy`.
pub fn translate(item: Item, dy: Pt) -> Item {
    shift(item, Pt::ZERO, dy)
}

/// Moves an item by (`dx`, `dy`).
pub fn shift(item: Item, dx: Pt, dy: Pt) -> Item {
    let mv = |p: Point| Point::new(p.x + dx, p.y + dy);
    match item {
        Item::Text(mut run) => {
            run.origin = mv(run.origin);
            Item::Text(run)
        }
        Item::Rule {
            from,
            to,
            width,
            color,
            tag,
        } => Item::Rule {
            from: mv(from),
            to: mv(to),
            width,
            color,
            tag,
        },
        Item::Fill {
            mut rect,
            color,
            tag,
        } => {
            rect.origin = mv(rect.origin);
            Item::Fill { rect, color, tag }
        }
        Item::Image {
            image,
            rect,
            clip,
            tag,
        } => Item::Image {
            image,
            rect: Rect::new(
                rect.origin.x + dx,
                rect.origin.y + dy,
                rect.size.width,
                rect.size.height,
            ),
            clip: clip.map(|c| {
                Rect::new(
                    c.origin.x + dx,
                    c.origin.y + dy,
                    c.size.width,
                    c.size.height,
                )
            }),
            tag,
        },
        Item::Link {
            mut rect,
            target,
            tag,
        } => {
            rect.origin = mv(rect.origin);
            Item::Link { rect, target, tag }
        }
    }
}
