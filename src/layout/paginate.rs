//! Pagination: cutting an article's vertical list into pages.
//!
//! Pages are filled in order. A page may end only before a box that allows
//! it, so no paragraph leaves one line alone at the foot or head of a page,
//! no page ends on a hyphen, and no heading is parted from its text.
//! Footnotes go to the foot of the page that holds their reference; a note
//! is split onto the next page only when it cannot fit on a page at all. A
//! figure that does not fit where it is referenced goes to the top of the
//! next page while the text continues on this one.
//!
//! Every page but an article's last ends on the same baseline. When a page
//! must end early, the space around headings, figures and quotes stretches
//! to make up the difference (above a subhead rather than below it, which
//! opens only after the paragraph gaps, so that a subhead stays with its
//! text); when there is no such space, a paragraph on
//! the page is set one line longer or shorter (as TeX users do by hand with
//! `\looseness`) so that the page breaks at a legal place and ends full.
//! The same is tried when the spaces would have to open by more than two
//! lines. When nothing else serves (an opening page of short paragraphs
//! before a heading, say), the gaps between paragraphs open a little, up
//! to half a line each, and last of all the lines by up to a tenth of a
//! line: white spread thin rather than a page ending short.

use std::collections::HashMap;
use std::sync::Arc;

use crate::page::{Color, Item, LinkTarget, NodeId, Tag};
use crate::units::{Point, Pt, Rect};

use super::design::Design;
use super::flow::{Break, Flow, FlowBox, NoteFlow};

/// One page of an article, its content relative to the text block.
#[derive(Clone, Debug, Default)]
pub struct BodyPage {
    /// What is drawn, y from the top of the text block. Links to other
    /// pages of the article use page numbers relative to its first page.
    pub items: Vec<Item>,
    /// True for every page of an article but its last.
    pub full: bool,
    /// Headings on the page: level, text and height, for bookmarks.
    pub anchors: Vec<(u8, String, Pt)>,
    /// Where the page's text starts in the article (block number and
    /// offset, as in [`FlowBox::source`]): its first box in reading
    /// order, figures and pull quotes moved here from earlier aside.
    pub source: Option<(usize, usize)>,
    /// Footnote marks on the page: note and where.
    marks: Vec<(usize, Rect, NodeId)>,
    /// Footnotes starting on the page: note and where its number is.
    note_numbers: Vec<(usize, Rect, NodeId)>,
    /// True when footnote lines stand at the foot of the page.
    notes_at_foot: bool,
}

/// The cost (see [`Plan::cost`]) below which a page is taken as it is: it
/// ends flush, not on a hyphen, with its spaces opened by at most a line
/// in all.
const ACCEPTABLE: f32 = 1.0;

/// Rounds of paragraph changes the paginator tries on one page, each
/// keeping the change that helps most.
const ROUNDS: usize = 3;

/// Sets a paragraph again in a given number of lines, for the paginator:
/// `(paragraph, lines)` → its new line boxes, if it can be set well so.
pub type Reset<'a> = dyn FnMut(usize, usize) -> Option<Vec<FlowBox>> + 'a;

/// What carries over from one page to the next.
#[derive(Clone, Default)]
struct Carry {
    /// Figures waiting for the top of a page.
    deferred: Vec<FlowBox>,
    /// Lines of a footnote continued from the last page.
    note_lines: Vec<FlowBox>,
    /// The table header of the last row placed, if any.
    header: Option<Arc<FlowBox>>,
}

/// Something placed on a page.
#[derive(Clone)]
enum Placed {
    Space { height: Pt, stretch: Pt },
    Box(FlowBox),
}

/// How one page would be filled from a given place in the list.
struct Plan {
    placed: Vec<Placed>,
    /// Footnote lines at the foot.
    note_lines: Vec<FlowBox>,
    /// Notes that start on this page, with the index of their first line.
    note_starts: Vec<(usize, usize)>,
    /// Where the next page starts.
    next: usize,
    carry: Carry,
    full: bool,
    /// How the next page may begin: after a hyphen, it is discouraged.
    next_break: Option<Break>,
}

impl Plan {
    fn content_height(&self) -> Pt {
        self.placed
            .iter()
            .map(|p| match p {
                Placed::Space { height, .. } => *height,
                Placed::Box(b) => b.height,
            })
            .sum()
    }

    /// How far the page's spaces may open in all, each run of them no
    /// further than makes a hole (see [`space_runs`]), paragraph gaps
    /// included.
    fn stretch(&self, design: &Design) -> Pt {
        let runs: Pt = space_runs(&self.placed, design)
            .iter()
            .map(|run| run.room + run.reserve)
            .sum();
        runs + paragraph_gap_room(design) * paragraph_gaps(&self.placed).len() as f32
            + design.leading * MAX_LINE_GAP * line_gaps(&self.placed).len() as f32
    }

    /// How far the page's lowest baseline is above the lowest baseline it
    /// should reach: the last of a full page, or with footnotes the last
    /// one on the grid above them.
    fn shortfall(&self, design: &Design) -> Pt {
        let depth = self.placed.iter().rev().find_map(|p| match p {
            Placed::Box(b) => Some(b.depth),
            Placed::Space { .. } => None,
        });
        let notes = notes_area(&self.note_lines, design);
        let lines_for_notes = (notes / design.leading - 1e-3).ceil().max(0.0);
        let target = design.bottom_baseline() - design.leading * lines_for_notes;
        match depth {
            Some(depth) => (target - (self.content_height() - depth)).max(Pt::ZERO),
            None => Pt::ZERO,
        }
    }

    /// True when the page ends on the last baseline, stretching its spaces
    /// if needed.
    fn ends_flush(&self, design: &Design) -> bool {
        let short = self.shortfall(design);
        short <= Pt(0.01) || self.stretch(design) >= short
    }

    /// True when the page's last line ends in a hyphen (a word split
    /// across the page turn).
    fn ends_on_hyphen(&self) -> bool {
        self.next_break == Some(Break::Discouraged)
    }

    /// What a proofreader would hold against the page, in lines' worth:
    /// ending short (heavily), ending on a hyphen, and the white its
    /// spaces must open to make it end flush, the space between paragraphs
    /// (opened only as a last resort) counting most. A last page costs
    /// nothing.
    fn cost(&self, design: &Design) -> f32 {
        if !self.full {
            return 0.0;
        }
        let opening = Opening::of(self, design);
        let white: f32 = opening
            .runs
            .iter()
            .map(|(_, room)| (*room * opening.fill / design.leading).powi(2))
            .sum();
        // Any white opened breaks the page's spaces from those of every
        // other page (a subhead lower here than on the facing page): it is
        // taken only when no other break, setting or float move serves.
        let mut cost = if white > 1e-6 {
            SPACE_RUN_COST + white
        } else {
            0.0
        };
        if opening.reserve_fill > 0.0 {
            let white: f32 = opening
                .reserves
                .iter()
                .map(|(_, room)| (*room * opening.reserve_fill / design.leading).powi(2))
                .sum();
            cost += BELOW_HEADING_COST + white;
        }
        if opening.per_gap > Pt::ZERO {
            let share = opening.per_gap / design.leading;
            cost += PARAGRAPH_GAP_COST * (1.0 + share * share * opening.gaps.len() as f32);
        }
        if opening.per_line > Pt::ZERO {
            cost += LINE_GAP_COST * (1.0 + opening.per_line / design.leading * 10.0);
        }
        let missing = opening.missing / design.leading;
        if missing > 0.01 {
            cost += 100.0 + 10.0 * missing;
        }
        if self.ends_on_hyphen() {
            cost += 50.0;
        }
        cost
    }

    /// Paragraphs with lines on this page, last first.
    fn paragraphs(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = Vec::new();
        for p in self.placed.iter().rev() {
            if let Placed::Box(FlowBox { para: Some(id), .. }) = p
                && !ids.contains(id)
            {
                ids.push(*id);
            }
        }
        ids
    }
}

/// A paragraph's settings in other numbers of lines, each asked for once.
struct Settings<'r, 'a> {
    reset: &'r mut Reset<'a>,
    known: HashMap<(usize, usize), Option<Vec<FlowBox>>>,
}

impl Settings<'_, '_> {
    /// Paragraph `id` set in `lines` lines, if it can be set well so.
    fn get(&mut self, id: usize, lines: usize) -> Option<Vec<FlowBox>> {
        let reset = &mut self.reset;
        self.known
            .entry((id, lines))
            .or_insert_with(|| reset(id, lines))
            .clone()
    }
}

/// What running a whole article one line short costs, on top of the
/// cost of its pages: about one page with its spaces opened, so that it
/// is chosen only when it spares the article more than that.
const SHORT_ARTICLE_COST: f32 = 2.5;

/// Cuts an article's list into pages, as [`paginate`] does; when some page
/// could end flush only by opening its spaces, also tries the article
/// with every page a line shorter, and keeps that if it opens less. Every
/// spread of such an article is level one line early: its spaces stay
/// those of every other page, the flexibility coming from the breaks.
/// (Only a whole article can run short: a shorter run of short pages
/// would face a full page somewhere.)
pub fn paginate_article(
    flow: Vec<Flow>,
    notes: &[NoteFlow],
    design: &Design,
    reset: &mut Reset<'_>,
) -> Vec<BodyPage> {
    let mut settings = Settings {
        reset,
        known: HashMap::new(),
    };
    let (pages, cost) = paginate_costed(flow.clone(), notes, design, &mut settings, Bounds::NONE)
        .unwrap_or_default();
    if cost <= ACCEPTABLE || design.lines_per_page < 2 {
        return pages;
    }
    let mut short = design.clone();
    short.text_height -= design.leading;
    short.lines_per_page -= 1;
    // Footnotes stand at the foot of the page: on a page a line short,
    // a line above the foot, which reads as a page ending early.
    let bounds = Bounds {
        cost: cost - SHORT_ARTICLE_COST,
        notes: false,
    };
    match paginate_costed(flow, notes, &short, &mut settings, bounds) {
        Some((short_pages, _)) => short_pages,
        None => pages,
    }
}

/// What a pagination may come to before it is given up, as no better
/// than one already made.
#[derive(Clone, Copy)]
struct Bounds {
    /// Its pages' cost must stay below this.
    cost: f32,
    /// Whether a page that does not end the article may hold footnotes.
    notes: bool,
}

impl Bounds {
    /// No bounds: the pagination always ends.
    const NONE: Bounds = Bounds {
        cost: f32::INFINITY,
        notes: true,
    };
}

/// Cuts an article's list into pages. `reset` sets a paragraph again with
/// a different number of lines; pass one that returns `None` to forbid it.
pub fn paginate(
    flow: Vec<Flow>,
    notes: &[NoteFlow],
    design: &Design,
    reset: &mut Reset<'_>,
) -> Vec<BodyPage> {
    let mut settings = Settings {
        reset,
        known: HashMap::new(),
    };
    paginate_costed(flow, notes, design, &mut settings, Bounds::NONE)
        .map(|(pages, _)| pages)
        .unwrap_or_default()
}

/// Cuts a list into pages, and says what its pages cost in all (pages
/// taken as they are, at most [`ACCEPTABLE`] each, counting nothing);
/// `None` as soon as it passes its `bounds`.
fn paginate_costed(
    mut flow: Vec<Flow>,
    notes: &[NoteFlow],
    design: &Design,
    settings: &mut Settings<'_, '_>,
    bounds: Bounds,
) -> Option<(Vec<BodyPage>, f32)> {
    let mut total = 0.0;
    let mut pages: Vec<BodyPage> = Vec::new();
    let mut pos = 0;
    let mut carry = Carry::default();
    // Where the last page started, to plan it again if that helps this one.
    let mut previous: Option<(usize, Carry)> = None;
    while pos < flow.len() || !carry.deferred.is_empty() || !carry.note_lines.is_empty() {
        crate::cancel::checkpoint();
        let mut plan = fill(&flow, pos, &carry, notes, design);
        plan = weigh_earlier_breaks(&flow, pos, &carry, notes, design, plan);
        if plan.cost(design) > ACCEPTABLE {
            if let Some((better_flow, better)) =
                improve(&flow, pos, &carry, notes, design, &plan, settings)
            {
                flow = better_flow;
                plan = better;
            }
            if plan.cost(design) > ACCEPTABLE
                && let Some((start, start_carry)) = &previous
                && let Some((better_flow, before, better)) = improve_with_previous(
                    &flow,
                    *start,
                    start_carry,
                    notes,
                    design,
                    plan.cost(design),
                    settings,
                )
            {
                // The last page, set again, lets this one end better too.
                flow = better_flow;
                let last = pages.len() - 1;
                pages[last] = render(&before, design, notes);
                pos = before.next;
                carry = before.carry;
                plan = better;
            }
        }
        let cost = plan.cost(design);
        if cost > ACCEPTABLE {
            total += cost;
        }
        let notes_before_the_end = plan.full && !plan.note_lines.is_empty();
        if total >= bounds.cost || (notes_before_the_end && !bounds.notes) {
            return None;
        }
        pages.push(render(&plan, design, notes));
        previous = Some((pos, carry));
        pos = plan.next;
        carry = plan.carry;
        if pages.len() > 100_000 {
            break; // cannot happen: every page takes at least one element
        }
    }
    if let Some(last) = pages.last_mut() {
        last.full = false;
    }
    // A page set again after its notes were weighed may hold some.
    if !bounds.notes && pages.iter().rev().skip(1).any(|page| page.notes_at_foot) {
        return None;
    }
    link_notes(&mut pages);
    Some((pages, total))
}

/// Earlier breaks weighed against the fullest page: when this page or the
/// next costs too much, ending this one a break or a few earlier (and
/// opening its spaces) may serve both better.
const EARLIER_BREAKS: usize = 3;

/// Chooses where a page ends from its fullest plan and up to
/// [`EARLIER_BREAKS`] earlier legal breaks, by the cost of the page and of
/// the one after it.
fn weigh_earlier_breaks(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    plan: Plan,
) -> Plan {
    let then = |p: &Plan| {
        if p.next >= flow.len() && p.carry.deferred.is_empty() && p.carry.note_lines.is_empty() {
            0.0
        } else {
            fill(flow, p.next, &p.carry, notes, design).cost(design)
        }
    };
    let own = plan.cost(design);
    let mut best_total = own + then(&plan);
    if own <= ACCEPTABLE && best_total <= ACCEPTABLE * 2.0 {
        return plan;
    }
    let breaks: Vec<usize> = (pos + 1..plan.next.min(flow.len()))
        .rev()
        .filter(|&j| matches!(&flow[j], Flow::Box(b) if b.break_before != Break::Avoid))
        .take(EARLIER_BREAKS)
        .collect();
    let mut best = plan;
    for limit in breaks {
        let trial = fill_until(flow, pos, carry, notes, design, limit);
        if trial.next >= best.next && trial.next != limit {
            continue;
        }
        let total = trial.cost(design) + then(&trial);
        if total + 1e-3 < best_total {
            best_total = total;
            best = trial;
        }
    }
    best
}

/// Makes a page that would end short, on a hyphen or with wide gaps
/// better: by sending its last float to the next page, or by setting
/// paragraphs on it and just after it a line or two longer or shorter, a
/// few rounds, each keeping the change that lowers the page's cost most.
/// Gives the changed list and plan, or `None` if nothing helps.
fn improve(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    plan: &Plan,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, Plan)> {
    let mut best: Option<(Vec<Flow>, Plan)> = None;
    let mut best_cost = plan.cost(design);
    if let Some((candidate, trial)) = defer_last_float(flow, pos, carry, notes, design, plan) {
        let cost = trial.cost(design);
        if cost <= ACCEPTABLE {
            return Some((candidate, trial));
        }
        if cost < best_cost {
            best_cost = cost;
            best = Some((candidate, trial));
        }
    }
    let mut current = flow.to_vec();
    let mut ids = candidates(flow, pos, plan);
    for _ in 0..ROUNDS {
        let mut round: Option<(Vec<Flow>, Plan, f32)> = None;
        for &id in &ids {
            let lines = line_count(&current, id);
            for wanted in [
                lines + 1,
                lines.wrapping_sub(1),
                lines + 2,
                lines.wrapping_sub(2),
            ] {
                if wanted == 0 || wanted > lines + 2 {
                    continue;
                }
                let Some(boxes) = settings.get(id, wanted) else {
                    continue;
                };
                let candidate = splice(&current, id, boxes);
                let trial = fill(&candidate, pos, carry, notes, design);
                let cost = trial.cost(design);
                if cost <= ACCEPTABLE {
                    return Some((candidate, trial));
                }
                if round.as_ref().is_none_or(|(_, _, c)| cost < *c) {
                    round = Some((candidate, trial, cost));
                }
            }
        }
        let Some((next, trial, cost)) = round else {
            break;
        };
        if cost < best_cost {
            best_cost = cost;
            best = Some((next.clone(), fill(&next, pos, carry, notes, design)));
        }
        ids = candidates(&next, pos, &trial);
        current = next;
    }
    best
}

/// Sets paragraphs of the previous page (starting at `start`), of this
/// page and just after it a line or two longer or shorter, so that this
/// page costs less than `cost` while the previous one stays acceptable:
/// a few greedy rounds, each keeping the change that helps this page most.
/// Gives the changed list and the two plans.
fn improve_with_previous(
    flow: &[Flow],
    start: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    cost: f32,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, Plan, Plan)> {
    let two_pages = |flow: &[Flow]| {
        let first = fill(flow, start, carry, notes, design);
        let second = fill(flow, first.next, &first.carry, notes, design);
        (first, second)
    };
    let mut current = flow.to_vec();
    let (first, second) = two_pages(&current);
    let mut ids = first.paragraphs();
    ids.retain(|&id| begins_at_or_after(&current, id, start));
    ids.extend(
        candidates(&current, start, &second)
            .into_iter()
            .filter(|id| !ids.contains(id))
            .collect::<Vec<_>>(),
    );
    let mut best: Option<(Vec<Flow>, f32)> = None;
    let mut best_cost = cost;
    for _ in 0..ROUNDS {
        let mut round: Option<(Vec<Flow>, f32)> = None;
        for &id in &ids {
            let lines = line_count(&current, id);
            for wanted in [lines.wrapping_sub(1), lines + 1] {
                if wanted == 0 || wanted > lines + 1 {
                    continue;
                }
                let Some(boxes) = settings.get(id, wanted) else {
                    continue;
                };
                let candidate = splice(&current, id, boxes);
                let (first, second) = two_pages(&candidate);
                if first.cost(design) > ACCEPTABLE {
                    continue;
                }
                let c = second.cost(design);
                if c <= ACCEPTABLE {
                    return Some((candidate, first, second));
                }
                if round.as_ref().is_none_or(|(_, r)| c < *r) {
                    round = Some((candidate, c));
                }
            }
        }
        let (next, c) = round?;
        if c < best_cost {
            best_cost = c;
            best = Some((next.clone(), c));
        }
        current = next;
    }
    let (flow, _) = best?;
    let (first, second) = two_pages(&flow);
    Some((flow, first, second))
}

/// Number of lines paragraph `id` is set in, in `flow`.
fn line_count(flow: &[Flow], id: usize) -> usize {
    flow.iter()
        .filter(|f| matches!(f, Flow::Box(FlowBox { para: Some(p), .. }) if *p == id))
        .count()
}

/// How far after a page's end (in list elements) a float may be that
/// keeps a heading off the page: the heading, its spaces and the float.
const FLOAT_HELD_WITHIN: usize = 4;

/// When a figure or pull quote placed on a page keeps it from ending
/// flush, tries it at the top of the next page instead (the text flowing
/// up into its place).
fn defer_last_float(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    plan: &Plan,
) -> Option<(Vec<Flow>, Plan)> {
    let is_float = |f: &Flow| matches!(f, Flow::Box(b) if b.float);
    let end = plan.next.min(flow.len());
    // The last float on the page, or else one held to a heading just
    // after it, which keeps the heading off this page.
    let on_page = flow[pos..end].iter().rposition(is_float).map(|k| pos + k);
    let held = || {
        let after = &flow[end..(end + FLOAT_HELD_WITHIN).min(flow.len())];
        after.iter().position(is_float).map(|k| end + k)
    };
    let index = on_page.or_else(held)?;
    let Flow::Box(float) = &flow[index] else {
        return None;
    };
    // Mark it as too big to place here, so that fill defers it.
    let mut candidate = flow.to_vec();
    let mut forced = float.clone();
    forced.height = design.text_height * 2.0;
    candidate[index] = Flow::Box(forced);
    let trial = fill(&candidate, pos, carry, notes, design);
    if !trial.ends_flush(design) && trial.full {
        return None;
    }
    // The float waits with its real size.
    let mut trial = trial;
    for deferred in &mut trial.carry.deferred {
        if deferred.height == design.text_height * 2.0 {
            *deferred = FlowBox {
                moved: true,
                ..float.clone()
            };
        }
    }
    candidate[index] = Flow::Box(float.clone());
    Some((candidate, trial))
}

/// Paragraphs whose length decides where a page can end: those on it,
/// last first, then the first two after it; not one that began on an
/// earlier page (from `from`), whose lines there are already set.
fn candidates(flow: &[Flow], from: usize, plan: &Plan) -> Vec<usize> {
    let mut ids = plan.paragraphs();
    ids.retain(|&id| begins_at_or_after(flow, id, from));
    let after = flow[plan.next.min(flow.len())..]
        .iter()
        .filter_map(|f| match f {
            Flow::Box(FlowBox { para: Some(id), .. }) => Some(*id),
            _ => None,
        });
    let mut added = 0;
    for id in after {
        if added == 2 {
            break;
        }
        if !ids.contains(&id) {
            ids.push(id);
            added += 1;
        }
    }
    ids
}

/// True when paragraph `id`'s first line is at `from` or later in `flow`.
fn begins_at_or_after(flow: &[Flow], id: usize, from: usize) -> bool {
    flow.iter()
        .position(|f| matches!(f, Flow::Box(FlowBox { para: Some(p), .. }) if *p == id))
        .is_some_and(|first| first >= from)
}

/// The list with the lines of paragraph `id` replaced by `lines`.
fn splice(flow: &[Flow], id: usize, lines: Vec<FlowBox>) -> Vec<Flow> {
    let is_line = |f: &Flow| matches!(f, Flow::Box(FlowBox { para: Some(p), .. }) if *p == id);
    let Some(first) = flow.iter().position(is_line) else {
        return flow.to_vec();
    };
    let last = flow.iter().rposition(is_line).unwrap_or(first);
    let mut out = Vec::with_capacity(flow.len() + 1);
    out.extend_from_slice(&flow[..first]);
    // Lines of a paragraph right after a heading keep the heading's hold on them.
    let mut lines = lines;
    if let Some(Flow::Box(old)) = flow.get(first)
        && let Some(new) = lines.first_mut()
    {
        new.break_before = old.break_before;
    }
    if let (Some(Flow::Box(old)), Some(new)) = (flow.get(first + 1), lines.get_mut(1))
        && old.break_before == Break::Avoid
    {
        new.break_before = Break::Avoid;
    }
    out.extend(lines.into_iter().map(Flow::Box));
    out.extend_from_slice(&flow[last + 1..]);
    out
}

/// Plans one page starting at `start`.
fn fill(flow: &[Flow], start: usize, carry: &Carry, notes: &[NoteFlow], design: &Design) -> Plan {
    fill_until(flow, start, carry, notes, design, usize::MAX)
}

/// Plans one page starting at `start` that ends before flow index `limit`
/// at the latest.
fn fill_until(
    flow: &[Flow],
    start: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    limit: usize,
) -> Plan {
    let height = design.text_height;
    let mut placed: Vec<Placed> = Vec::new();
    let mut used = Pt::ZERO;
    let mut note_lines = carry.note_lines.clone();
    let mut note_starts: Vec<(usize, usize)> = Vec::new();
    let mut next_carry = Carry {
        header: carry.header.clone(),
        ..Carry::default()
    };

    // Where each float sent on stands in the list (0: from an earlier page).
    let mut deferred_at: Vec<usize> = Vec::new();
    // Figures waiting from the last page go on top, between the half-line
    // spaces a figure has in the text, so that a caption stands as far
    // from the text at the top of a page as anywhere (the image's top half
    // a line down, about where a facing first line's letters begin).
    let half_line = Placed::Space {
        height: design.leading * 0.5,
        stretch: Pt::ZERO,
    };
    for figure in &carry.deferred {
        let room = design.leading * 0.5 + figure.height;
        if placed.is_empty() || used + room + notes_area(&note_lines, design) <= height {
            used += room + design.leading * 0.5;
            placed.push(half_line.clone());
            placed.push(Placed::Box(figure.clone()));
            placed.push(half_line.clone());
        } else {
            next_carry.deferred.push(figure.clone());
            deferred_at.push(0);
        }
    }
    // A table running on from the last page gets its header again.
    let mut i = start;
    if let Some(Flow::Box(next)) = flow[start..].iter().find(|f| matches!(f, Flow::Box(_)))
        && let (Some(header), Some(previous)) = (&next.header, &carry.header)
        && Arc::ptr_eq(header, previous)
    {
        used += header.height;
        placed.push(Placed::Box((**header).clone()));
    }
    // White space at the top of a continued page vanishes (an article's
    // opening keeps its sink).
    if start > 0 {
        while matches!(flow.get(i), Some(Flow::Space { .. })) && !has_box(&placed) {
            i += 1;
        }
    }

    // The last place the page may end: (flow index, placed count, note lines, note starts).
    let mut legal: Option<(usize, usize, usize, usize)> = None;
    // The last place the page may end if nothing better exists.
    let mut soft: Option<(usize, usize, usize, usize)> = None;
    let mut overflow = false;
    // A float in the text stands between half-line spaces, which open
    // little: a float has white of its own.
    let float_space = Placed::Space {
        height: design.leading * 0.5,
        stretch: design.leading * 0.5,
    };
    while let Some(element) = flow.get(i) {
        match element {
            Flow::Space { height: h, stretch } => {
                placed.push(Placed::Space {
                    height: *h,
                    stretch: *stretch,
                });
                used += *h;
            }
            Flow::Box(b) if i >= limit && has_box(&placed) => {
                // The page is to end here: as if it were full.
                let _ = b;
                overflow = true;
                break;
            }
            Flow::Box(b) => {
                let new_notes: Vec<usize> = b
                    .marks
                    .iter()
                    .map(|m| m.note)
                    .filter(|n| !note_starts.iter().any(|(s, _)| s == n) && *n < notes.len())
                    .fold(Vec::new(), |mut v, n| {
                        if !v.contains(&n) {
                            v.push(n);
                        }
                        v
                    });
                let mut with_notes = note_lines.clone();
                let mut starts = Vec::new();
                for &n in &new_notes {
                    starts.push((n, with_notes.len()));
                    with_notes.extend(notes[n].lines.iter().cloned());
                }
                // Half a line before a float at the top of a page too,
                // so that the text after it stays on the baseline grid.
                let before = if b.float {
                    design.leading * 0.5
                } else {
                    Pt::ZERO
                };
                let fits =
                    used + before + b.height + notes_area(&with_notes, design) <= height + Pt(0.01);
                if b.float && !fits && has_box(&placed) {
                    // A float that does not fit here waits for the next
                    // page, leaving nothing behind: the text closes up.
                    next_carry.deferred.push(FlowBox {
                        moved: true,
                        ..b.clone()
                    });
                    deferred_at.push(i);
                    i += 1;
                    continue;
                }
                if has_box(&placed) {
                    let here = Some((i, placed.len(), note_lines.len(), note_starts.len()));
                    match b.break_before {
                        Break::Allowed => legal = here,
                        Break::Discouraged => soft = here,
                        Break::Avoid => {}
                    }
                }
                if !fits && has_box(&placed) {
                    overflow = true;
                    break;
                }
                if fits {
                    note_lines = with_notes;
                } else {
                    // Alone on an empty page and still too tall with its
                    // notes: the notes that do not fit go on the next page.
                    let room = height - used - b.height - design.leading;
                    let (keep, rest) = split_lines(with_notes, room);
                    note_lines = keep;
                    next_carry.note_lines = rest;
                }
                note_starts.extend(starts);
                if before > Pt::ZERO {
                    placed.push(float_space.clone());
                    used += before;
                }
                used += b.height;
                placed.push(Placed::Box(b.clone()));
                if b.float {
                    placed.push(float_space.clone());
                    used += design.leading * 0.5;
                }
            }
        }
        i += 1;
    }

    let plan = |at: usize, count: usize, lines: usize, starts: usize| {
        let mut placed = placed[..count].to_vec();
        while matches!(placed.last(), Some(Placed::Space { .. })) {
            placed.pop();
        }
        let mut carry = next_carry.clone();
        // A float sent on from beyond where the page ends stays in the list.
        let mut waiting = deferred_at.iter();
        carry
            .deferred
            .retain(|_| waiting.next().is_some_and(|&k| k < at));
        if let Some(Placed::Box(last)) = placed.iter().rev().find(|p| matches!(p, Placed::Box(_))) {
            carry.header = last.header.clone();
        }
        // A page with figures or note lines still waiting is followed by another.
        let full = overflow || !carry.deferred.is_empty() || !carry.note_lines.is_empty();
        let next_break = flow.get(at..).and_then(|rest| {
            rest.iter().find_map(|f| match f {
                Flow::Box(b) => Some(b.break_before),
                Flow::Space { .. } => None,
            })
        });
        Plan {
            placed,
            note_lines: note_lines[..lines].to_vec(),
            note_starts: note_starts[..starts].to_vec(),
            next: at,
            carry,
            full,
            next_break,
        }
    };
    let here = (i, placed.len(), note_lines.len(), note_starts.len());
    let next_break = flow.get(i).and_then(|f| match f {
        Flow::Box(b) => Some(b.break_before),
        Flow::Space { .. } => None,
    });
    if !overflow || next_break == Some(Break::Allowed) {
        return plan(here.0, here.1, here.2, here.3);
    }
    if next_break == Some(Break::Discouraged) {
        soft = Some(here);
    }
    // The page cannot end where it is full: end at the last legal place,
    // unless only a discouraged break (after a hyphen) lets it end flush.
    let strict = legal.map(|(a, b, c, d)| plan(a, b, c, d));
    let relaxed = soft
        .filter(|s| legal.is_none_or(|l| s.0 > l.0))
        .map(|(a, b, c, d)| plan(a, b, c, d));
    match (strict, relaxed) {
        (Some(strict), Some(relaxed)) if relaxed.cost(design) < strict.cost(design) => relaxed,
        (Some(strict), _) => strict,
        (None, Some(relaxed)) => relaxed,
        (None, None) => plan(here.0, here.1, here.2, here.3),
    }
}

/// Draws a planned page: spaces stretched so that a full page ends on the
/// last baseline, footnotes at the foot. Records where note numbers and
/// marks land, for the links between them.
fn render(plan: &Plan, design: &Design, notes: &[NoteFlow]) -> BodyPage {
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
        for &gap in &opening.lines {
            extra[gap - 1] += opening.per_line;
        }
    }
    let mut page = BodyPage {
        full: plan.full,
        notes_at_foot: !plan.note_lines.is_empty(),
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
fn link_notes(pages: &mut [BodyPage]) {
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

/// Height of a footnote area holding `lines`, separation included.
fn notes_area(lines: &[FlowBox], design: &Design) -> Pt {
    if lines.is_empty() {
        Pt::ZERO
    } else {
        design.leading + lines.iter().map(|l| l.height).sum::<Pt>()
    }
}

/// The lines that fit in `room`, and the rest.
fn split_lines(lines: Vec<FlowBox>, room: Pt) -> (Vec<FlowBox>, Vec<FlowBox>) {
    let mut used = Pt::ZERO;
    let mut keep = Vec::new();
    let mut rest = Vec::new();
    for line in lines {
        if rest.is_empty() && used + line.height <= room {
            used += line.height;
            keep.push(line);
        } else {
            rest.push(line);
        }
    }
    (keep, rest)
}

/// Most white a run of spaces between two boxes may open to, in lines:
/// more reads as a hole in the page.
const MAX_GAP_LINES: f32 = 1.8;

/// Most white a run of spaces beside a figure or pull quote may open to,
/// in lines.
const MAX_GAP_BESIDE_FLOAT: f32 = 1.0;

/// Most white a run of spaces above a subhead may open to, in lines: a
/// subhead's own line stands between it and the text above, so it reads
/// as a hole later than white between lines of text.
const MAX_GAP_ABOVE_HEADING: f32 = 2.0;

/// Most white a run of spaces below a subhead opens to with the others,
/// in lines: a subhead belongs to the text it introduces. Beyond that it
/// opens (to [`MAX_RESERVE_BELOW_HEADING`]) only after the paragraph
/// gaps, as the last resort but one.
const MAX_GAP_BELOW_HEADING: f32 = 0.3;

/// Most white a run of spaces below a subhead opens to in all, in lines:
/// half what may open above one.
const MAX_RESERVE_BELOW_HEADING: f32 = 1.0;

/// What opening the white below a subhead past [`MAX_GAP_BELOW_HEADING`]
/// costs on top of its white: as much as opening paragraph gaps.
const BELOW_HEADING_COST: f32 = 5.0;

/// A run of consecutive spaces on a page, and how far it may open.
struct SpaceRun {
    /// Index just after its last space in the page's list.
    end: usize,
    /// How much it may grow with the page's other runs: its stretch, up
    /// to [`MAX_GAP_LINES`] in all (less beside floats and subheads).
    room: Pt,
    /// How much more it may grow as a last resort (below a subhead).
    reserve: Pt,
}

/// The runs of spaces between a page's boxes.
fn space_runs(placed: &[Placed], design: &Design) -> Vec<SpaceRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < placed.len() {
        let (mut height, mut stretch) = (Pt::ZERO, Pt::ZERO);
        let start = i;
        while let Some(Placed::Space {
            height: h,
            stretch: s,
        }) = placed.get(i)
        {
            height += *h;
            stretch += *s;
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        // A float brings white of its own (its rules or image stand off
        // the text), so the space beside one opens less.
        let beside_float = [start.checked_sub(1), Some(i)]
            .into_iter()
            .flatten()
            .any(|k| matches!(placed.get(k), Some(Placed::Box(b)) if b.float));
        let is_heading = |k: Option<usize>| matches!(k.and_then(|k| placed.get(k)), Some(Placed::Box(b)) if b.heading);
        let below_heading = is_heading(start.checked_sub(1));
        let most = if below_heading {
            MAX_GAP_BELOW_HEADING
        } else if beside_float {
            MAX_GAP_BESIDE_FLOAT
        } else if is_heading(Some(i)) {
            MAX_GAP_ABOVE_HEADING
        } else {
            MAX_GAP_LINES
        };
        let cap = |lines: f32| stretch.min((design.leading * lines - height).max(Pt::ZERO));
        let room = cap(most);
        let reserve = if below_heading {
            cap(MAX_RESERVE_BELOW_HEADING) - room
        } else {
            Pt::ZERO
        };
        runs.push(SpaceRun {
            end: i,
            room,
            reserve,
        });
    }
    runs
}

/// What opening the spaces around headings, quotes and floats costs on
/// top of their white: more than a page taken as it is, so that every
/// other way to end the page flush is tried first.
const SPACE_RUN_COST: f32 = 2.0;

/// Most white the gap between two paragraphs may open to, in lines, when
/// nothing else lets a page end flush (as LaTeX stretches `\parskip`).
const MAX_PARAGRAPH_GAP: f32 = 0.5;

/// What opening paragraph gaps costs on top of their white: more than
/// any ordinary page, less than ending short.
const PARAGRAPH_GAP_COST: f32 = 5.0;

/// Most white added between two lines, in lines, when even the paragraph
/// gaps cannot make a page end flush.
const MAX_LINE_GAP: f32 = 0.1;

/// What spacing lines out costs on top of paragraph gaps.
const LINE_GAP_COST: f32 = 20.0;

/// Where lines may be spaced out as a last resort: every box that follows
/// another box directly, paragraph gaps excepted.
fn line_gaps(placed: &[Placed]) -> Vec<usize> {
    let gaps = paragraph_gaps(placed);
    (1..placed.len())
        .filter(|&i| {
            matches!(
                (&placed[i - 1], &placed[i]),
                (Placed::Box(_), Placed::Box(_))
            ) && !gaps.contains(&i)
        })
        .collect()
}

fn paragraph_gap_room(design: &Design) -> Pt {
    design.leading * MAX_PARAGRAPH_GAP
}

/// Where a page may open between two paragraphs of running text: the
/// index of each first line that follows another paragraph's last line.
fn paragraph_gaps(placed: &[Placed]) -> Vec<usize> {
    (1..placed.len())
        .filter(|&i| match (&placed[i - 1], &placed[i]) {
            (
                Placed::Box(FlowBox { para: Some(a), .. }),
                Placed::Box(FlowBox { para: Some(b), .. }),
            ) => a != b,
            _ => false,
        })
        .collect()
}

/// How a full page's white opens to make it end flush: its runs of
/// spaces first, each by its share, then the gaps between paragraphs,
/// evenly; what is still missing leaves the page short.
struct Opening {
    /// Each run of spaces: index after its last space, and its room.
    runs: Vec<(usize, Pt)>,
    /// The share of its room each run opens by.
    fill: f32,
    /// Runs below subheads: index after the last space, and the room they
    /// have beyond their share of `runs`.
    reserves: Vec<(usize, Pt)>,
    /// The share of its reserve each opens by, after the paragraph gaps.
    reserve_fill: f32,
    /// Paragraph gaps: index of the line after each.
    gaps: Vec<usize>,
    /// White added at each paragraph gap.
    per_gap: Pt,
    /// Gaps between lines: index of the box after each.
    lines: Vec<usize>,
    /// White added between lines, when paragraph gaps are not enough.
    per_line: Pt,
    /// What the page still ends short by.
    missing: Pt,
}

impl Opening {
    fn of(plan: &Plan, design: &Design) -> Opening {
        let short = plan.shortfall(design).max(Pt::ZERO);
        let all = space_runs(&plan.placed, design);
        let runs: Vec<(usize, Pt)> = all.iter().map(|run| (run.end, run.room)).collect();
        let mut reserves: Vec<(usize, Pt)> = all
            .iter()
            .filter(|run| run.reserve > Pt::ZERO)
            .map(|run| (run.end, run.reserve))
            .collect();
        let reserve_room: Pt = reserves.iter().map(|(_, room)| *room).sum();
        let stretch: Pt = runs.iter().map(|(_, room)| *room).sum();
        let fill = if stretch > Pt::ZERO {
            (short / stretch).min(1.0)
        } else {
            0.0
        };
        let mut missing = (short - stretch).max(Pt::ZERO);
        // Paragraph gaps, then the white below subheads, then lines,
        // open only if that makes the page end flush: white spread over a
        // page that ends short anyway helps nothing.
        let mut gaps = paragraph_gaps(&plan.placed);
        let mut lines = line_gaps(&plan.placed);
        let gap_room = paragraph_gap_room(design) * gaps.len() as f32;
        let line_room = design.leading * MAX_LINE_GAP * lines.len() as f32;
        let (mut per_gap, mut per_line, mut reserve_fill) = (Pt::ZERO, Pt::ZERO, 0.0);
        if missing <= Pt(0.01) || missing > gap_room + reserve_room + line_room + Pt(0.01) {
            gaps.clear();
            lines.clear();
            reserves.clear();
        } else {
            if !gaps.is_empty() {
                per_gap = (missing / gaps.len() as f32).min(paragraph_gap_room(design));
                missing = (missing - per_gap * gaps.len() as f32).max(Pt::ZERO);
            }
            if missing > Pt(0.01) && reserve_room > Pt::ZERO {
                reserve_fill = (missing / reserve_room).min(1.0);
                missing = (missing - reserve_room * reserve_fill).max(Pt::ZERO);
            } else {
                reserves.clear();
            }
            if missing <= Pt(0.01) || lines.is_empty() {
                lines.clear();
            } else {
                per_line = missing / lines.len() as f32;
            }
            missing = Pt::ZERO;
        }
        Opening {
            runs,
            fill,
            reserves,
            reserve_fill,
            gaps,
            per_gap,
            lines,
            per_line,
            missing,
        }
    }
}

fn has_box(placed: &[Placed]) -> bool {
    placed.iter().any(|p| matches!(p, Placed::Box(_)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::flow::NoteMark;
    use crate::style::Style;

    /// A design whose pages hold `lines` body lines of 13 pt.
    fn design(lines: usize) -> Design {
        let mut design = Design::new(&Style::book());
        design.text_height = design.leading * lines as f32;
        design.lines_per_page = lines;
        design
    }

    /// The lines of a paragraph of `count` lines, numbered for recognition.
    fn paragraph(id: usize, count: usize, design: &Design) -> Vec<Flow> {
        (0..count)
            .map(|i| {
                let legal = i == 0 || (i >= 2 && count - i >= 2);
                let mut b = FlowBox::line(
                    vec![marker(id * 100 + i)],
                    design.leading,
                    design.body_depth(),
                    if legal { Break::Allowed } else { Break::Avoid },
                );
                b.body_line = true;
                b.para = Some(id);
                Flow::Box(b)
            })
            .collect()
    }

    /// A floating figure `lines` lines tall, marked `n`.
    fn figure(n: usize, lines: f32, design: &Design) -> Flow {
        let mut figure = FlowBox::line(
            vec![marker(n)],
            design.leading * lines,
            design.body_depth(),
            Break::Allowed,
        );
        figure.float = true;
        Flow::Box(figure)
    }

    /// An item that says which line it is.
    fn marker(n: usize) -> Item {
        Item::Rule {
            from: Point::new(Pt(n as f32), Pt::ZERO),
            to: Point::new(Pt(n as f32), Pt::ZERO),
            width: Pt(1.0),
            color: Color::BLACK,
            tag: Tag::Artifact,
        }
    }

    /// Which lines each page holds.
    fn lines_per_page(pages: &[BodyPage]) -> Vec<Vec<usize>> {
        pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Rule { from, .. } => Some(from.x.0 as usize),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    fn no_reset(_: usize, _: usize) -> Option<Vec<FlowBox>> {
        None
    }

    /// Two lines, a space that may stretch by `stretch` lines, paragraph 2
    /// in `middle` lines, then a heading that keeps its three-line
    /// paragraph: a page that must break before the heading.
    fn lines_space_then_kept_heading(d: &Design, stretch: f32, middle: usize) -> Vec<Flow> {
        let mut flow = paragraph(1, 2, d);
        flow.push(Flow::Space {
            height: Pt::ZERO,
            stretch: d.leading * stretch,
        });
        flow.extend(paragraph(2, middle, d));
        let heading = FlowBox::line(vec![marker(500)], d.leading, d.body_depth(), Break::Allowed);
        flow.push(Flow::Box(heading));
        let mut after = paragraph(3, 3, d);
        if let Some(Flow::Box(first)) = after.first_mut() {
            first.break_before = Break::Avoid;
        }
        flow.extend(after);
        flow
    }

    /// A note of `lines` lines (each marked 900), referred to from line
    /// `at` of `flow`.
    fn note_at(flow: &mut [Flow], at: usize, lines: usize, d: &Design) -> NoteFlow {
        if let Flow::Box(b) = &mut flow[at] {
            b.marks.push(NoteMark {
                note: 0,
                rect: Rect::new(Pt::ZERO, Pt::ZERO, Pt(5.0), Pt(5.0)),
                link: NodeId(1),
            });
        }
        let line = FlowBox::line(vec![marker(900)], d.leading, d.body_depth(), Break::Allowed);
        NoteFlow {
            lines: vec![line; lines],
            number: Rect::default(),
            link: NodeId(2),
        }
    }

    /// The boxes of paragraph `id` set in `count` lines, as a reset gives them.
    fn boxes_of(id: usize, count: usize, d: &Design) -> Vec<FlowBox> {
        paragraph(id, count, d)
            .into_iter()
            .filter_map(|f| if let Flow::Box(b) = f { Some(b) } else { None })
            .collect()
    }

    #[test]
    fn splits_a_paragraph_leaving_two_lines_on_each_side() {
        let d = design(5);
        let mut flow = paragraph(1, 3, &d);
        flow.extend(paragraph(2, 4, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(
            lines_per_page(&pages),
            [vec![100, 101, 102, 200, 201], vec![202, 203]]
        );
        assert!(pages[0].full && !pages[1].full);
    }

    #[test]
    fn paragraph_gaps_open_when_nothing_else_lets_a_page_end_flush() {
        // Four 2-line paragraphs, then a 3-line one that cannot be split:
        // the page holds 8 of its 9 lines, and its three paragraph gaps
        // open by a third of a line each so that it still ends flush.
        let d = design(9);
        let mut flow = Vec::new();
        for id in 1..=4 {
            flow.extend(paragraph(id, 2, &d));
        }
        flow.extend(paragraph(5, 3, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(lines_per_page(&pages)[1], [500, 501, 502]);
        let y = |n| y_of(&pages[0], n).expect("line");
        let gap = d.leading + d.leading / 3.0;
        assert!(((y(200) - y(101)) - gap).0.abs() < 0.01, "opened gap");
        assert!(
            ((y(401) - y(400)) - d.leading).0.abs() < 0.01,
            "lines as set"
        );
        assert!(
            ((y(401) - y(100)) - d.leading * 8.0).0.abs() < 0.01,
            "flush"
        );
    }

    #[test]
    fn never_leaves_an_orphan_or_a_widow() {
        // 4 lines, then a 3-line paragraph: its first line would be an
        // orphan, and two would leave a widow, so it goes whole to page 2.
        let d = design(5);
        let mut flow = paragraph(1, 4, &d);
        flow.extend(paragraph(2, 3, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(
            lines_per_page(&pages),
            [vec![100, 101, 102, 103], vec![200, 201, 202]]
        );
    }

    #[test]
    fn sets_a_paragraph_a_line_longer_to_fill_the_page() {
        // As above, but the first paragraph can be set in five lines: the
        // page then ends full.
        let d = design(5);
        let mut flow = paragraph(1, 4, &d);
        flow.extend(paragraph(2, 3, &d));
        let longer = boxes_of(1, 5, &d);
        let mut reset = |id: usize, lines: usize| (id == 1 && lines == 5).then(|| longer.clone());
        let pages = paginate(flow, &[], &d, &mut reset);
        assert_eq!(
            lines_per_page(&pages),
            [vec![100, 101, 102, 103, 104], vec![200, 201, 202]]
        );
    }

    #[test]
    fn sets_a_paragraph_a_line_longer_rather_than_open_a_gap_of_three_lines() {
        // Eight-line pages: two lines, a stretchable space, three lines,
        // then a heading that must keep its three-line paragraph. The page
        // breaks before the heading with three lines to spare, which the
        // space could take; setting the middle paragraph in four lines
        // leaves a gap of two.
        let d = design(8);
        let flow = lines_space_then_kept_heading(&d, 4.0, 3);
        let longer = boxes_of(2, 4, &d);
        let mut reset = |id: usize, lines: usize| (id == 2 && lines == 4).then(|| longer.clone());
        let pages = paginate(flow.clone(), &[], &d, &mut reset);
        assert_eq!(
            lines_per_page(&pages)[0],
            [100, 101, 200, 201, 202, 203],
            "the gap is two lines, not three"
        );
        // Without the longer setting the page still ends flush, by the space.
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(lines_per_page(&pages)[0], [100, 101, 200, 201, 202]);
        assert!(pages[0].full);
    }

    #[test]
    fn a_paragraph_begun_on_an_earlier_page_is_not_set_again() {
        // Its lines up there are drawn already: setting it again would
        // lose or repeat words at the page turn.
        let d = design(5);
        let mut flow = paragraph(1, 6, &d);
        flow.extend(paragraph(2, 4, &d));
        let plan = fill(&flow, 3, &Carry::default(), &[], &d);
        let ids = candidates(&flow, 3, &plan);
        assert!(!ids.contains(&1), "{ids:?}");
        assert!(ids.contains(&2), "{ids:?}");
    }

    /// Where line (or figure) `n` is drawn on `page`.
    fn y_of(page: &BodyPage, n: usize) -> Option<Pt> {
        page.items.iter().find_map(|i| match i {
            Item::Rule { from, .. } if from.x.0 as usize == n => Some(from.y),
            _ => None,
        })
    }

    #[test]
    fn a_figure_sent_on_leaves_no_space_behind() {
        let d = design(6);
        let mut flow = paragraph(1, 4, &d);
        flow.push(figure(700, 3.0, &d));
        flow.extend(paragraph(2, 2, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(
            lines_per_page(&pages),
            [vec![100, 101, 102, 103, 200, 201], vec![700]]
        );
        let gap = y_of(&pages[0], 200).expect("line 200") - y_of(&pages[0], 103).expect("103");
        assert!(
            (gap - d.leading).0.abs() < 0.01,
            "the text closes up where the figure was: {gap:?}"
        );
    }

    #[test]
    fn a_figure_that_fits_stands_between_half_line_spaces() {
        let d = design(9);
        let mut flow = paragraph(1, 2, &d);
        flow.push(figure(700, 3.0, &d));
        flow.extend(paragraph(2, 2, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(lines_per_page(&pages), [vec![100, 101, 700, 200, 201]]);
        let above = y_of(&pages[0], 700).expect("figure") - y_of(&pages[0], 101).expect("101");
        let below = y_of(&pages[0], 200).expect("200") - y_of(&pages[0], 700).expect("figure");
        assert!((above - d.leading * 1.5).0.abs() < 0.01, "{above:?}");
        assert!((below - d.leading * 3.5).0.abs() < 0.01, "{below:?}");
    }

    #[test]
    fn a_subhead_opens_above_before_it_opens_below() {
        // Nine-line pages: three lines, a subhead, two lines kept with it,
        // then a three-line paragraph that cannot be split. The page ends
        // two lines early: the white above the subhead opens by a line,
        // the white below it by a line only once nothing else is left.
        let d = design(9);
        let mut flow = paragraph(1, 3, &d);
        flow.push(Flow::Space {
            height: d.leading,
            stretch: d.leading * 2.0,
        });
        let mut heading =
            FlowBox::line(vec![marker(900)], d.leading, d.body_depth(), Break::Allowed);
        heading.heading = true;
        flow.push(Flow::Box(heading));
        flow.push(Flow::Space {
            height: Pt::ZERO,
            stretch: d.leading * 2.0,
        });
        let mut kept = paragraph(2, 2, &d);
        if let Flow::Box(b) = &mut kept[0] {
            b.break_before = Break::Avoid;
        }
        flow.extend(kept);
        let mut whole = paragraph(3, 3, &d);
        if let Flow::Box(b) = &mut whole[2] {
            b.break_before = Break::Avoid;
        }
        flow.extend(whole);
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(lines_per_page(&pages)[1], [300, 301, 302]);
        let y = |n| y_of(&pages[0], n).expect("line");
        let near = |a: Pt, b: Pt| (a - b).0.abs() < 0.01;
        assert!(near(y(900) - y(102), d.leading * 3.0), "two lines above");
        assert!(near(y(200) - y(900), d.leading * 2.0), "one line below");
        assert!(near(y(201) - y(100), d.leading * 8.0), "flush");
    }

    #[test]
    fn notes_on_an_articles_last_page_follow_its_text() {
        // A two-line article with a one-line note on a nine-line page:
        // the note stands a line below the text, not at the page's foot.
        let d = design(9);
        let mut flow = paragraph(1, 2, &d);
        let notes = vec![note_at(&mut flow, 1, 1, &d)];
        let pages = paginate(flow, &notes, &d, &mut no_reset);
        assert_eq!(pages.len(), 1);
        let y = |n| y_of(&pages[0], n).expect("line");
        assert!(((y(900) - y(101)) - d.leading * 2.0).0.abs() < 0.01);
    }

    #[test]
    fn a_footnote_goes_to_the_page_of_its_reference() {
        // Five-line pages; line 3 refers to a two-line note, which takes
        // three lines' room (separation included): the reference's line
        // must still be on the page that prints the note.
        let d = design(5);
        let mut flow = paragraph(1, 6, &d);
        let notes = vec![note_at(&mut flow, 3, 2, &d)];
        let pages = paginate(flow, &notes, &d, &mut no_reset);
        let layout = lines_per_page(&pages);
        let with_ref = layout
            .iter()
            .position(|p| p.contains(&103))
            .expect("line 3 placed");
        assert!(layout[with_ref].contains(&900), "{layout:?}");
        // The mark links to the note and back.
        let links = pages[with_ref]
            .items
            .iter()
            .filter(|i| matches!(i, Item::Link { .. }))
            .count();
        assert_eq!(links, 2);
    }

    #[test]
    fn a_figure_that_does_not_fit_waits_while_the_text_goes_on() {
        let d = design(6);
        let mut flow = paragraph(1, 4, &d);
        flow.push(figure(700, 3.0, &d));
        flow.extend(paragraph(2, 2, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(
            lines_per_page(&pages),
            [vec![100, 101, 102, 103, 200, 201], vec![700]]
        );
    }

    #[test]
    fn sets_a_paragraph_a_line_longer_rather_than_open_a_space_at_all() {
        // Eight-line pages: two lines, a stretchable space, five lines,
        // then a heading that keeps its paragraph. The page breaks before
        // the heading a line short, which the space could take (a line of
        // white, once taken as it was); setting the middle paragraph in six
        // lines fills the page with every space as set.
        let d = design(8);
        let flow = lines_space_then_kept_heading(&d, 2.0, 5);
        let longer = boxes_of(2, 6, &d);
        let mut reset = |id: usize, lines: usize| (id == 2 && lines == 6).then(|| longer.clone());
        let pages = paginate(flow, &[], &d, &mut reset);
        assert_eq!(
            lines_per_page(&pages)[0],
            [100, 101, 200, 201, 202, 203, 204, 205]
        );
        let y = |n| y_of(&pages[0], n).expect("line");
        assert!(
            ((y(200) - y(101)) - d.leading).0.abs() < 0.01,
            "the space as set"
        );
    }

    #[test]
    fn an_article_runs_a_line_short_rather_than_open_its_paragraph_gaps() {
        // Thirteen-line pages of three-line paragraphs, which cannot be
        // split: four fill twelve lines, so each full page would open its
        // paragraph gaps by a third of a line. On twelve-line pages the
        // same paragraphs end flush, every gap as set.
        let d = design(13);
        let mut flow = Vec::new();
        for id in 1..=8 {
            flow.extend(paragraph(id, 3, &d));
        }
        let opened = paginate(flow.clone(), &[], &d, &mut no_reset);
        let y = |pages: &[BodyPage], n| y_of(&pages[0], n).expect("line");
        assert!((y(&opened, 200) - y(&opened, 102) - d.leading).0 > 1.0);
        let pages = paginate_article(flow, &[], &d, &mut no_reset);
        assert_eq!(lines_per_page(&pages)[0].len(), 12);
        assert!(pages[0].full);
        assert!(((y(&pages, 200) - y(&pages, 102)) - d.leading).0.abs() < 0.01);
        assert!(
            ((y(&pages, 402) - y(&pages, 100)) - d.leading * 11.0)
                .0
                .abs()
                < 0.01
        );
    }

    #[test]
    fn a_figure_heading_a_page_stands_between_half_line_spaces() {
        // The figure does not fit after six lines of an eight-line page;
        // on the next page it stands half a line down, as it would in the
        // text, and the text after it is back on the baseline grid.
        let d = design(8);
        let mut flow = paragraph(1, 6, &d);
        flow.push(figure(700, 3.0, &d));
        flow.extend(paragraph(2, 6, &d));
        let pages = paginate(flow, &[], &d, &mut no_reset);
        assert_eq!(
            lines_per_page(&pages),
            [
                vec![100, 101, 102, 103, 104, 105, 200, 201],
                vec![700, 202, 203, 204, 205]
            ]
        );
        let y = |n| y_of(&pages[1], n).expect("item");
        assert!((y(700) - d.leading * 0.5).0.abs() < 0.01, "{:?}", y(700));
        assert!((y(202) - d.leading * 4.0).0.abs() < 0.01, "{:?}", y(202));
    }
}
