//! Pagination: cutting an article's vertical list into pages.
//!
//! Pages are filled in order. A page may break only before a box that
//! allows it, so no paragraph leaves one line alone at the foot or head of a
//! page and no heading is parted from its text. Footnotes go to the foot of
//! the page that holds their reference; a note is split onto the next page
//! only when it cannot fit on a page at all. A figure that does not fit
//! where it is referenced goes to the top of the next page while the text
//! continues on this one. When a page must break early, the space around
//! headings, figures and quotes stretches so that every full page ends on
//! the same baseline.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::page::{Color, Item, Tag};
use crate::units::{Point, Pt};

use super::design::Design;
use super::flow::{ArticleFlow, Break, Flow, FlowBox, NoteFlow};

/// One page of an article, its content relative to the text block.
#[derive(Debug, Default)]
pub struct BodyPage {
    /// What is drawn, y from the top of the text block.
    pub items: Vec<Item>,
    /// True when the page ended where it did because it was full (every
    /// page of an article but the last).
    pub full: bool,
    /// Lowest baseline of running text or notes on the page.
    pub last_baseline: Option<Pt>,
    /// Footnotes whose text is on this page, with the page's own note marks.
    pub notes: Vec<usize>,
    /// Footnotes referenced on this page.
    pub references: Vec<usize>,
}

/// Something placed on the page being filled.
enum Placed {
    Space { height: Pt, stretch: Pt },
    Box(FlowBox),
}

/// Space between the text and the footnotes' rule.
fn note_separation(design: &Design) -> Pt {
    design.leading
}

/// Cuts `article` into pages.
pub fn paginate(article: ArticleFlow, design: &Design) -> Vec<BodyPage> {
    let ArticleFlow { flow, notes } = article;
    let mut pages = Vec::new();
    let mut queue: VecDeque<Flow> = flow.into();
    let mut deferred: VecDeque<FlowBox> = VecDeque::new();
    let mut carried_notes: Vec<FlowBox> = Vec::new();
    let mut last_box_header: Option<Arc<FlowBox>> = None;
    while !queue.is_empty() || !deferred.is_empty() || !carried_notes.is_empty() {
        let page = fill_page(
            &mut queue,
            &mut deferred,
            &mut carried_notes,
            &notes,
            design,
            &mut last_box_header,
        );
        pages.push(page);
        if pages.len() > 100_000 {
            break; // cannot happen: every page takes at least one element
        }
    }
    if let Some(last) = pages.last_mut() {
        last.full = false;
    }
    pages
}

/// Fills one page from the front of `queue`.
fn fill_page(
    queue: &mut VecDeque<Flow>,
    deferred: &mut VecDeque<FlowBox>,
    carried_notes: &mut Vec<FlowBox>,
    notes: &[NoteFlow],
    design: &Design,
    last_box_header: &mut Option<Arc<FlowBox>>,
) -> BodyPage {
    let height = design.text_height;
    let mut placed: Vec<Placed> = Vec::new();
    let mut used = Pt::ZERO;
    // Notes continued from the previous page come first at the foot.
    let mut note_lines: Vec<FlowBox> = std::mem::take(carried_notes);
    let mut page_notes: Vec<usize> = Vec::new();
    let mut references: Vec<usize> = Vec::new();
    let mut note_height = notes_area(&note_lines, design);

    // Figures waiting from the previous page go on top.
    while let Some(figure) = deferred.front() {
        if used + figure.height + note_height <= height || placed.is_empty() {
            let figure = deferred.pop_front().expect("front exists");
            used += figure.height;
            placed.push(Placed::Box(figure));
            placed.push(Placed::Space {
                height: design.leading * 0.5,
                stretch: design.leading * 0.5,
            });
            used += design.leading * 0.5;
        } else {
            break;
        }
    }
    // A table continuing from the last page gets its header again.
    if let Some(Flow::Box(next)) = first_box(queue)
        && let (Some(header), Some(previous)) = (&next.header, last_box_header.as_ref())
        && Arc::ptr_eq(header, previous)
    {
        used += header.height;
        placed.push(Placed::Box((**header).clone()));
    }
    // Drop white space at the top of the page.
    while matches!(queue.front(), Some(Flow::Space { .. })) && !has_box(&placed) {
        queue.pop_front();
    }

    // `breaks[k]` is the number of placed elements before which the page may end.
    let mut last_legal: Option<(usize, usize, Vec<usize>, Pt, usize)> = None; // (placed len, queue consumed, notes, note height, note lines)
    let mut taken: Vec<Flow> = Vec::new();
    let mut overflow = false;
    while let Some(next) = queue.front() {
        match next {
            Flow::Space { height: h, stretch } => {
                let (h, stretch) = (*h, *stretch);
                queue.pop_front();
                taken.push(Flow::Space { height: h, stretch });
                placed.push(Placed::Space { height: h, stretch });
                used += h;
            }
            Flow::Box(b) => {
                if b.float && used + b.height + note_height > height && has_box(&placed) {
                    // A figure that does not fit here waits for the next page.
                    if let Some(Flow::Box(figure)) = queue.pop_front() {
                        deferred.push_back(figure);
                    }
                    continue;
                }
                let new_notes: Vec<usize> = b
                    .notes
                    .iter()
                    .copied()
                    .filter(|n| !page_notes.contains(n))
                    .collect();
                let mut extra_note_lines: Vec<FlowBox> = new_notes
                    .iter()
                    .flat_map(|&n| notes.get(n).map(|f| f.lines.clone()).unwrap_or_default())
                    .collect();
                let mut all_notes = note_lines.clone();
                all_notes.append(&mut extra_note_lines);
                let needed_notes = notes_area(&all_notes, design);
                let can_break_here = b.break_before == Break::Allowed && has_box(&placed);
                if can_break_here {
                    last_legal = Some((
                        placed.len(),
                        taken.len(),
                        page_notes.clone(),
                        note_height,
                        note_lines.len(),
                    ));
                }
                let fits = used + b.height + needed_notes <= height;
                if !fits && has_box(&placed) {
                    overflow = true;
                    break;
                }
                let b = match queue.pop_front() {
                    Some(Flow::Box(b)) => b,
                    _ => unreachable!("front was a box"),
                };
                if !fits {
                    // Alone on an empty page and still too tall with its
                    // notes: split the notes that do not fit.
                    let room = height - used - b.height - note_separation(design);
                    let (keep, carry) = split_notes(all_notes, room, design);
                    note_lines = keep;
                    *carried_notes = carry;
                } else {
                    note_lines = all_notes;
                }
                page_notes.extend(new_notes.iter().copied());
                references.extend(b.notes.iter().copied());
                note_height = notes_area(&note_lines, design);
                used += b.height;
                taken.push(Flow::Box(b.clone()));
                placed.push(Placed::Box(b));
            }
        }
    }

    let mut full = false;
    if overflow {
        full = true;
        let next_allows =
            matches!(queue.front(), Some(Flow::Box(b)) if b.break_before == Break::Allowed);
        if !next_allows
            && let Some((placed_len, taken_len, notes_then, _, note_count)) = last_legal.take()
        {
            // Break at the last legal place: give back what follows it.
            let give_back: Vec<Flow> = taken.drain(taken_len..).collect();
            for flow in give_back.into_iter().rev() {
                queue.push_front(flow);
            }
            placed.truncate(placed_len);
            page_notes = notes_then;
            note_lines.truncate(note_count);
            references.retain(|n| page_notes.contains(n));
        }
    }
    // Trailing white space does not count.
    while matches!(placed.last(), Some(Placed::Space { .. })) {
        placed.pop();
    }
    if let Some(last) = taken
        .iter()
        .rev()
        .find_map(|f| if let Flow::Box(b) = f { Some(b) } else { None })
    {
        *last_box_header = last.header.clone();
    }
    let note_height = notes_area(&note_lines, design);
    let content: Pt = placed
        .iter()
        .map(|p| match p {
            Placed::Space { height, .. } => *height,
            Placed::Box(b) => b.height,
        })
        .sum();
    let room = height - note_height - content;
    let stretch_total: Pt = placed
        .iter()
        .map(|p| match p {
            Placed::Space { stretch, .. } => *stretch,
            Placed::Box(_) => Pt::ZERO,
        })
        .sum();
    let fill = if full && room > Pt(0.01) && stretch_total > Pt::ZERO {
        room / stretch_total
    } else {
        0.0
    };

    let mut page = BodyPage {
        full,
        references,
        notes: page_notes,
        ..BodyPage::default()
    };
    let mut y = Pt::ZERO;
    for p in placed {
        match p {
            Placed::Space { height, stretch } => y += height + stretch * fill,
            Placed::Box(b) => {
                if b.body_line {
                    page.last_baseline = Some(y + b.height * design.baseline_ratio);
                }
                page.items
                    .extend(b.items.into_iter().map(|item| translate(item, y)));
                y += b.height;
            }
        }
    }
    if !note_lines.is_empty() {
        let mut y = height - note_lines.iter().map(|l| l.height).sum::<Pt>();
        page.items.push(Item::Rule {
            from: Point::new(Pt::ZERO, y - design.note_leading * 0.5),
            to: Point::new(design.measure * 0.3, y - design.note_leading * 0.5),
            width: Pt(0.4),
            color: Color::GREY,
            tag: Tag::Artifact,
        });
        for line in note_lines {
            page.items
                .extend(line.items.into_iter().map(|item| translate(item, y)));
            y += line.height;
            page.last_baseline = Some(y - line.height * (1.0 - design.baseline_ratio));
        }
    }
    page
}

/// Height of a footnote area holding `lines`, separator included.
fn notes_area(lines: &[FlowBox], design: &Design) -> Pt {
    if lines.is_empty() {
        Pt::ZERO
    } else {
        note_separation(design) + lines.iter().map(|l| l.height).sum::<Pt>()
    }
}

/// The note lines that fit in `room`, and the rest.
fn split_notes(lines: Vec<FlowBox>, room: Pt, _design: &Design) -> (Vec<FlowBox>, Vec<FlowBox>) {
    let mut used = Pt::ZERO;
    let mut keep = Vec::new();
    let mut carry = Vec::new();
    for line in lines {
        if carry.is_empty() && used + line.height <= room {
            used += line.height;
            keep.push(line);
        } else {
            carry.push(line);
        }
    }
    (keep, carry)
}

fn has_box(placed: &[Placed]) -> bool {
    placed.iter().any(|p| matches!(p, Placed::Box(_)))
}

fn first_box(queue: &VecDeque<Flow>) -> Option<&Flow> {
    queue.iter().find(|f| matches!(f, Flow::Box(_)))
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
            mut rect,
            tag,
        } => {
            rect.origin = mv(rect.origin);
            Item::Image { image, rect, tag }
        }
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
