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
//! to 2 pt each, a subhead by half a line at most; an article run a line
//! short is taken rather than more ([`spacing::A_LITTLE`]). Only as the
//! last resort before a page ending short does white open further
//! ([`spacing::AT_MOST`]). The leading never opens: a page's lines back up
//! the facing page's.

mod hoist;
mod plan;
mod render;
mod retry;
mod spacing;
#[cfg(test)]
pub(crate) mod tests;

use std::borrow::Cow;
use std::sync::Arc;

use crate::page::{Item, NodeId};
use crate::units::{Pt, Rect};

use super::design::Design;
use super::flow::{Break, Flow, FlowBox, NoteFlow};
pub use super::paragraph::Strain;

use plan::{Plan, fill, fill_until};
use render::{link_notes, render};
pub use render::{shift, translate};
use retry::{PAGES_BACK, Settings, better_page};

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
    /// True when the page's last line has less depth than running text
    /// (a code line) or is a table row (smaller text), so that its foot
    /// stands higher.
    shallow_end: bool,
}

impl BodyPage {
    /// True when the page's foot stands higher than a page of running
    /// text's: footnotes at the foot, or a last line of less depth.
    fn foot_rises(&self) -> bool {
        self.notes_at_foot || self.shallow_end
    }
}

/// The cost (see [`Plan::cost`]) below which a page is taken as it is: it
/// ends flush, not on a hyphen, with its spaces opened by at most a line
/// in all.
const ACCEPTABLE: f32 = 1.0;

/// Rounds of paragraph changes the paginator tries on one page, each
/// keeping the change that helps most.
const ROUNDS: usize = 3;

/// Sets a paragraph again in a given number of lines, for the paginator:
/// `(paragraph, lines, strain)` → its new line boxes, if it can be set
/// well so, its lines strained at most by `strain`.
pub type Reset<'a> = dyn FnMut(usize, usize, Strain) -> Option<Vec<FlowBox>> + 'a;

/// What carries over from one page to the next.
#[derive(Clone, Default)]
struct Carry {
    /// Figures waiting for the top of a page.
    deferred: Vec<Arc<FlowBox>>,
    /// Lines of a footnote continued from the last page.
    note_lines: Vec<Arc<FlowBox>>,
    /// The table header of the last row placed, if any.
    header: Option<Arc<FlowBox>>,
    /// True when the figures waiting sit this page out and go to the
    /// next page's top (see [`retry::better_page`]).
    wait: bool,
}

/// Something placed on a page.
#[derive(Clone)]
enum Placed {
    Space { height: Pt, stretch: Pt },
    Box(Arc<FlowBox>),
}

/// What running a whole article one line short costs, on top of the
/// cost of its pages: nothing, so that it is chosen whenever it spares
/// the article any white opened. Its spreads are level and every space
/// keeps its value; a page whose white opened would differ from every
/// other page's.
const SHORT_ARTICLE_COST: f32 = 0.0;

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
    paginate_article_costed(flow, notes, design, reset).0
}

/// [`paginate_article`], and what its pages cost in all (the pages that
/// cost more than an acceptable page, see [`Plan::cost`]), for a caller
/// weighing two lists of the same article.
pub fn paginate_article_costed(
    flow: Vec<Flow>,
    notes: &[NoteFlow],
    design: &Design,
    reset: &mut Reset<'_>,
) -> (Vec<BodyPage>, f32) {
    let flow = keep_subheads_with_their_text(flow);
    let mut settings = Settings {
        reset,
        notes,
        design,
        known: retry::Known::default(),
        strain: Strain::Usual,
    };
    let (pages, cost) = paginate_costed(&flow, &mut settings, Bounds::NONE).unwrap_or_default();
    if cost <= ACCEPTABLE || design.lines_per_page < 2 {
        return (pages, cost);
    }
    let short = Design {
        text_height: design.text_height - design.leading,
        lines_per_page: design.lines_per_page - 1,
        ..design.clone()
    };
    settings.design = &short;
    // Footnotes stand at the foot of the page, and a code line's foot
    // stands higher than running text's: on a page a line short, either
    // reads as a page ending early.
    let bounds = Bounds {
        cost: cost - SHORT_ARTICLE_COST,
        foot_may_rise: false,
    };
    match paginate_costed(&flow, &mut settings, bounds) {
        Some((short_pages, short_cost)) => (short_pages, short_cost + SHORT_ARTICLE_COST),
        None => (pages, cost),
    }
}

/// A float (a pull quote, a figure) that stands right after a subhead
/// would part the subhead from its text wherever it is placed: it goes
/// after the subhead's first paragraph instead, between two blocks of
/// text, where a page may end before it as before the text after it.
fn keep_subheads_with_their_text(mut flow: Vec<Flow>) -> Vec<Flow> {
    let mut i = 0;
    while i < flow.len() {
        if follows_a_subhead(&flow, i)
            && let Some(end) = end_of_paragraph_at(&flow, i + 1)
            && let Flow::Box(mut float) = flow.remove(i)
        {
            // Removing the float moved the paragraph's end down by one.
            let at = end - 1;
            let break_before = match flow.get(at) {
                Some(Flow::Box(next)) => next.break_before,
                _ => Break::Allowed,
            };
            let moved = Arc::make_mut(&mut float);
            moved.moved = true;
            moved.break_before = break_before;
            flow.insert(at, Flow::Box(float));
        }
        i += 1;
    }
    flow
}

/// True when `flow[i]` is a float whose nearest box before it is a
/// subhead's line.
fn follows_a_subhead(flow: &[Flow], i: usize) -> bool {
    let is_float = matches!(&flow[i], Flow::Box(b) if b.float);
    let before = flow[..i].iter().rev().find_map(|f| match f {
        Flow::Box(b) => Some(b),
        Flow::Space { .. } => None,
    });
    is_float && before.is_some_and(|b| b.heading)
}

/// When `flow[at]` is a paragraph's first line, the index just after its
/// last line, if anything follows it.
fn end_of_paragraph_at(flow: &[Flow], at: usize) -> Option<usize> {
    let id = match flow.get(at) {
        Some(Flow::Box(b)) if !b.float => b.para?,
        _ => return None,
    };
    let end = at
        + flow[at..]
            .iter()
            .take_while(|f| matches!(f, Flow::Box(b) if !b.float && b.para == Some(id)))
            .count();
    (end < flow.len()).then_some(end)
}

/// What a pagination may come to before it is given up, as no better
/// than one already made.
#[derive(Clone, Copy)]
struct Bounds {
    /// Its pages' cost must stay below this.
    cost: f32,
    /// Whether a page that does not end the article may hold footnotes
    /// or end on a line whose foot stands higher than running text's.
    foot_may_rise: bool,
}

impl Bounds {
    /// No bounds: the pagination always ends.
    const NONE: Bounds = Bounds {
        cost: f32::INFINITY,
        foot_may_rise: true,
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
        notes,
        design,
        known: retry::Known::default(),
        strain: Strain::Usual,
    };
    paginate_costed(&flow, &mut settings, Bounds::NONE)
        .map(|(pages, _)| pages)
        .unwrap_or_default()
}

/// Cuts a list into pages, and says what its pages cost in all (pages
/// taken as they are, at most [`ACCEPTABLE`] each, counting nothing);
/// `None` as soon as it passes its `bounds`.
fn paginate_costed(
    flow: &[Flow],
    settings: &mut Settings<'_, '_>,
    bounds: Bounds,
) -> Option<(Vec<BodyPage>, f32)> {
    let (notes, design) = (settings.notes, settings.design);
    // The article's list, borrowed until a page set again changes it: a
    // second pagination (a line short) starts from the same list.
    let mut flow: Cow<'_, [Flow]> = Cow::Borrowed(flow);
    let mut total = 0.0;
    let mut pages: Vec<BodyPage> = Vec::new();
    let mut pos = 0;
    let mut carry = Carry::default();
    // Where the last pages started, the earliest first, to plan them
    // again if that helps this one.
    let mut previous: Vec<(usize, Carry)> = Vec::new();
    // This page's plan as weighing the last page's breaks filled it, if
    // nothing was set again since.
    let mut ahead: Option<Plan> = None;
    while pos < flow.len() || !carry.deferred.is_empty() || !carry.note_lines.is_empty() {
        crate::cancel::checkpoint();
        let fullest = ahead
            .take()
            .unwrap_or_else(|| fill(&*flow, pos, &carry, notes, design));
        let (mut plan, mut next) = weigh_earlier_breaks(&flow, pos, &carry, notes, design, fullest);
        if plan.cost(design) > ACCEPTABLE {
            let mut better = better_page(&flow, pos, &carry, &previous, &plan, settings);
            let still = better.as_ref().map_or(&plan, |b| &b.plan);
            if still.cost(design) > ACCEPTABLE && strained_helps(still, design) {
                // Lines strained further, only where that ends the page
                // with no white opened; the pages before are planned
                // again only if the first try left them as they were.
                settings.strain = Strain::Strained;
                let (flow_now, pos_now, carry_now, earlier) = match &better {
                    Some(b) if !b.before.is_empty() => (&b.flow[..], b.pos, &b.carry, &[][..]),
                    Some(b) => (&b.flow[..], b.pos, &b.carry, &previous[..]),
                    None => (&*flow, pos, &carry, &previous[..]),
                };
                let strained = better_page(flow_now, pos_now, carry_now, earlier, still, settings);
                settings.strain = Strain::Usual;
                if let Some(strained) = strained
                    && strained.plan.cost(design) <= ACCEPTABLE
                {
                    better = Some(match better {
                        Some(b) => b.then(strained),
                        None => strained,
                    });
                }
            }
            if let Some(better) = better {
                // The last pages, set again, let this one end better too.
                let first = pages.len() - better.before.len();
                for (k, before) in better.before.iter().enumerate() {
                    pages[first + k] = render(before, design, notes);
                    if k > 0 {
                        let at = previous.len() - better.before.len() + k;
                        previous[at] = (
                            better.before[k - 1].next,
                            better.before[k - 1].carry.clone(),
                        );
                    }
                }
                flow = Cow::Owned(better.flow);
                pos = better.pos;
                carry = better.carry;
                plan = better.plan;
                next = None;
            }
        }
        if plan.is_empty() {
            break; // the last page took the article's end back
        }
        let cost = plan.cost(design);
        if cost > ACCEPTABLE {
            total += cost;
        }
        let page = render(&plan, design, notes);
        if total >= bounds.cost || (plan.full && page.foot_rises() && !bounds.foot_may_rise) {
            return None;
        }
        pages.push(page);
        previous.push((pos, carry));
        if previous.len() > PAGES_BACK {
            previous.remove(0);
        }
        pos = plan.next;
        carry = plan.carry;
        ahead = next;
        if pages.len() > 100_000 {
            break; // cannot happen: every page takes at least one element
        }
    }
    if let Some(last) = pages.last_mut() {
        last.full = false;
    }
    // A page set again after its foot was weighed may have changed.
    if !bounds.foot_may_rise && pages.iter().rev().skip(1).any(BodyPage::foot_rises) {
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
/// the one after it. Gives the plan chosen and the next page's as it
/// comes after it (`None` after the article's end).
fn weigh_earlier_breaks(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    plan: Plan,
) -> (Plan, Option<Plan>) {
    let then = |p: &Plan| {
        let done =
            p.next >= flow.len() && p.carry.deferred.is_empty() && p.carry.note_lines.is_empty();
        (!done).then(|| fill(flow, p.next, &p.carry, notes, design))
    };
    let cost_of = |next: &Option<Plan>| next.as_ref().map_or(0.0, |n| n.cost(design));
    let own = plan.cost(design);
    let mut best_then = then(&plan);
    let mut best_total = own + cost_of(&best_then);
    if own <= ACCEPTABLE && best_total <= ACCEPTABLE * 2.0 {
        return (plan, best_then);
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
        let after = then(&trial);
        let total = trial.cost(design) + cost_of(&after);
        if total + 1e-3 < best_total {
            best_total = total;
            best = trial;
            best_then = after;
        }
    }
    (best, best_then)
}

/// True when a page still ends flush only by opening white (around its
/// subheads and quotes, between its paragraphs or its lines) or ends
/// short: the only pages worth setting paragraphs with strained lines for
/// ([`Strain::Strained`]). A subhead lower on one page than on the facing
/// one reads worse than a few looser lines: c100 seeds 1 / 11 29 -> 28 /
/// 41 -> 37 pages with white opened, for gap sd .034 / .033 -> .034 /
/// .034 and EB Garamond seed 7's .027 -> .028 (within the targets).
/// Also an article's last page left over ([`Plan::left_over`]: two lines
/// and the series note), which the pages before may fill or take back
/// with strained lines.
fn strained_helps(plan: &Plan, design: &Design) -> bool {
    if plan.left_over() {
        return true;
    }
    let opening = spacing::Opening::of(plan, design);
    plan.full
        && (opening.fill > 0.0
            || opening.reserve_fill > 0.0
            || opening.per_gap > Pt::ZERO
            || opening.missing > Pt::ZERO)
}
