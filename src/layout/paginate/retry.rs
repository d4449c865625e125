//! Making a page better when it would cost too much: sending a float on,
//! or setting paragraphs on it (and on the page before) a line or two
//! longer or shorter.

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use crate::page::Item;

use super::super::design::Design;
use super::super::flow::{Break, Flow, FlowBox, NoteFlow};
use super::hoist::hoist_next_float;
use super::plan::{List, Plan, Spliced, fill};
use super::spacing::LAST_RESORT_COST;
use super::{ACCEPTABLE, Carry, Placed, ROUNDS, Reset, Strain};

/// Settings of paragraphs in other numbers of lines, by paragraph, lines
/// and strain, with a fast hasher: the paginator looks one up for each
/// change it weighs, and nothing iterates them.
pub(super) type Known =
    HashMap<(usize, usize, Strain), Option<Vec<FlowBox>>, foldhash::fast::FixedState>;

/// A paragraph's settings in other numbers of lines, each asked for once,
/// and what every page of the article is planned with.
pub(super) struct Settings<'r, 'a> {
    pub(super) reset: &'r mut Reset<'a>,
    /// The article's footnotes.
    pub(super) notes: &'r [NoteFlow],
    /// The page's measures.
    pub(super) design: &'r Design,
    pub(super) known: Known,
    /// How far the settings asked for now may strain their lines.
    pub(super) strain: Strain,
}

impl Settings<'_, '_> {
    /// Paragraph `id` set in `lines` lines, if it can be set well so.
    pub(super) fn get(&mut self, id: usize, lines: usize) -> Option<Vec<FlowBox>> {
        self.known_setting(id, lines).clone()
    }

    /// True when paragraph `id` can be set well in `lines` lines (asked
    /// for once, as [`Settings::get`]).
    pub(super) fn sets(&mut self, id: usize, lines: usize) -> bool {
        self.known_setting(id, lines).is_some()
    }

    /// Paragraph `id`'s setting in `lines` lines at the present strain,
    /// asked of `reset` the first time only.
    fn known_setting(&mut self, id: usize, lines: usize) -> &Option<Vec<FlowBox>> {
        let reset = &mut self.reset;
        let strain = self.strain;
        self.known
            .entry((id, lines, strain))
            .or_insert_with(|| reset(id, lines, strain))
    }
}

/// A page made better: the changed list, where the page starts (moved
/// when the pages before it were planned again) and its plan.
pub(super) struct Better {
    pub(super) flow: Vec<Flow>,
    pub(super) pos: usize,
    pub(super) carry: Carry,
    pub(super) plan: Plan,
    /// The last pages before it, planned again (none, one or two).
    pub(super) before: Vec<Plan>,
}

/// How many pages before a page the paginator may plan again to make it
/// better: each asks the paragraphs of one more page to be set a line
/// longer or shorter (an article's last page, say, filled from two pages
/// before when the page before has no paragraph that sets so).
pub(super) const PAGES_BACK: usize = 2;

impl Better {
    /// This change, and `later` made on top of it (which plans the pages
    /// before again only where this one did not).
    pub(super) fn then(self, later: Better) -> Better {
        let before = if later.before.is_empty() {
            self.before
        } else {
            later.before
        };
        Better { before, ..later }
    }
}

/// Makes a page that costs too much better, each way tried only while
/// it still does: its paragraphs (and those after it) set again or a
/// float sent on ([`improve`]), the next float brought onto it
/// ([`hoist_next_float`]), then the page before it planned again with
/// its paragraphs set again, and then the two before it
/// ([`improve_with_previous`]; `previous` holds where the last pages
/// start, the earliest first). `None` when nothing helps.
pub(super) fn better_page(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    previous: &[(usize, Carry)],
    plan: &Plan,
    settings: &mut Settings<'_, '_>,
) -> Option<Better> {
    let design = settings.design;
    let mut better: Option<Better> = None;
    let at = |b: &Option<Better>| {
        b.as_ref()
            .map_or(plan.cost(design), |b| b.plan.cost(design))
    };
    // A change to this page alone: it starts where it did.
    let on_this_page = |(flow, plan): (Vec<Flow>, Plan)| Better {
        flow,
        pos,
        carry: carry.clone(),
        plan,
        before: Vec::new(),
    };
    if let Some(found) = improve(flow, pos, carry, plan, settings) {
        better = Some(on_this_page(found));
    }
    if at(&better) > ACCEPTABLE {
        let (f, p) = better
            .as_ref()
            .map_or((flow, plan), |b| (&b.flow[..], &b.plan));
        if let Some(found) = hoist_next_float(f, pos, carry, p, settings) {
            better = Some(on_this_page(found));
        }
    }
    // A figure sent on to this page's head that leaves it opening its
    // white as a last resort waits for the next page's head, where that
    // lets this page end acceptably on its text and the next page too
    // (c100 seed 11 PDF 188: a gap of 9 pt under the figure).
    if at(&better) > LAST_RESORT_COST
        && better.is_none()
        && !carry.deferred.is_empty()
        && !carry.wait
        && let Some(found) = hold_figures(flow, pos, carry, settings)
    {
        better = Some(found);
    }
    for depth in 1..=previous.len().min(PAGES_BACK) {
        if at(&better) <= ACCEPTABLE {
            break;
        }
        let (start, start_carry) = &previous[previous.len() - depth];
        let f = better.as_ref().map_or(flow, |b| &b.flow[..]);
        let cost = at(&better);
        if let Some((flow, before, plan)) =
            improve_with_previous(f, *start, start_carry, depth, cost, settings)
        {
            let last = before.last()?;
            better = Some(Better {
                flow,
                pos: last.next,
                carry: last.carry.clone(),
                plan,
                before,
            });
        }
    }
    better
}

/// The page with the figures sent on to its head waiting one page more,
/// where the page is then acceptable and the next page, which they head,
/// too; `None` otherwise.
fn hold_figures(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    settings: &mut Settings<'_, '_>,
) -> Option<Better> {
    let (notes, design) = (settings.notes, settings.design);
    let held = Carry {
        wait: true,
        ..carry.clone()
    };
    let plan = fill(flow, pos, &held, notes, design);
    let (flow, plan) = if plan.cost(design) > ACCEPTABLE {
        let (changed, plan) = improve(flow, pos, &held, &plan, settings)?;
        (Cow::Owned(changed), plan)
    } else {
        (Cow::Borrowed(flow), plan)
    };
    (plan.cost(design) <= ACCEPTABLE && next_page_cost(&*flow, &plan, notes, design) <= ACCEPTABLE)
        .then(|| Better {
            flow: flow.into_owned(),
            pos,
            carry: held,
            plan,
            before: Vec::new(),
        })
}

/// Makes a page that would end short, on a hyphen or with wide gaps
/// better: by sending its last float to the next page, or by setting
/// paragraphs on it and just after it a line or two longer or shorter, a
/// few rounds, each keeping the change that lowers the page's cost most.
/// Of the changes that make the page acceptable, one that leaves the
/// next page acceptable too and no paragraph ending on a word's tail is
/// taken first. Gives the changed list and plan, or `None` if nothing
/// helps.
pub(super) fn improve(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    plan: &Plan,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, Plan)> {
    let (notes, design) = (settings.notes, settings.design);
    if !plan.full {
        // An article's last page, too short: it is filled from the page
        // before (see `improve_with_previous`), not by setting its own
        // lines looser.
        return None;
    }
    // The list changed so far, shared with the best change while that
    // is the last one: each round copies the list once, for the change
    // it keeps, and its trials read it through a [`Spliced`].
    let mut best: Option<(Rc<Vec<Flow>>, Plan)> = None;
    let mut best_cost = plan.cost(design);
    if let Some(trial) = defer_last_float(flow, pos, carry, notes, design, plan) {
        let cost = trial.cost(design);
        if cost <= ACCEPTABLE {
            return Some((flow.to_vec(), trial));
        }
        if cost < best_cost {
            best_cost = cost;
            best = Some((Rc::new(flow.to_vec()), trial));
        }
    }
    let mut current: Option<Rc<Vec<Flow>>> = None;
    let mut ids = candidates(flow, pos, plan);
    for _ in 0..ROUNDS {
        let base: &[Flow] = current.as_deref().map_or(flow, |c| &c[..]);
        let mut round: Option<(Splice, Plan, f32)> = None;
        // The settings that make the page acceptable, the best first: the
        // next page acceptable too, then no paragraph ending on a word's
        // tail, then the first found.
        let mut acceptable: Option<(Splice, Plan, (bool, bool))> = None;
        let extents = Extent::of_each(base, &ids);
        for (&id, &extent) in ids.iter().zip(&extents) {
            let lines = extent.map_or(0, |e| e.lines);
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
                let tail = ends_on_word_tail(&boxes);
                if tail && settings.strain == Strain::Strained {
                    // Strained lines are taken only at their best.
                    continue;
                }
                let change = Splice::at(base, extent, boxes);
                let candidate = change.on(base);
                let trial = fill(&candidate, pos, carry, notes, design);
                let cost = trial.cost(design);
                if cost <= ACCEPTABLE {
                    let next_costs = next_page_cost(&candidate, &trial, notes, design) > ACCEPTABLE;
                    let rank = (next_costs, tail);
                    if rank == (false, false) {
                        return Some((candidate.to_vec(), trial));
                    }
                    if acceptable.as_ref().is_none_or(|(_, _, r)| rank < *r) {
                        acceptable = Some((change, trial, rank));
                    }
                    continue;
                }
                if round.as_ref().is_none_or(|(_, _, c)| cost < *c) {
                    round = Some((change, trial, cost));
                }
            }
        }
        if let Some((change, trial, _)) = acceptable {
            return Some((change.on(base).to_vec(), trial));
        }
        let Some((change, trial, cost)) = round else {
            break;
        };
        let next = Rc::new(change.on(base).to_vec());
        ids = candidates(&next, pos, &trial);
        if cost < best_cost {
            best_cost = cost;
            best = Some((Rc::clone(&next), trial));
        }
        current = Some(next);
    }
    // The last round's change is dropped here, so that the best, unless
    // an earlier round's, is taken without a copy.
    drop(current);
    best.map(|(flow, plan)| (owned(flow), plan))
}

/// The list held by `flow`, copied only if another still holds it too.
fn owned(flow: Rc<Vec<Flow>>) -> Vec<Flow> {
    Rc::try_unwrap(flow).unwrap_or_else(|shared| (*shared).clone())
}

/// Sets paragraphs of the `depth` pages before this one (starting at
/// `start`), of this page and just after it a line or two longer or
/// shorter (two lines move a paragraph that cannot leave one line
/// behind), so that this page costs less than `cost` while the pages
/// before it stay acceptable: a few greedy rounds, each keeping the
/// change that helps this page most. Gives the changed list, the plans
/// of the pages before and this page's.
pub(super) fn improve_with_previous(
    flow: &[Flow],
    start: usize,
    carry: &Carry,
    depth: usize,
    cost: f32,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, Vec<Plan>, Plan)> {
    let (notes, design) = (settings.notes, settings.design);
    // The pages before and this page; with `acceptable`, `None` as soon
    // as a page before costs too much (the pages after it unfilled).
    let at = WindowStart {
        start,
        carry,
        depth,
        notes,
        design,
    };
    let pages = |flow: &[Flow]| at.window(flow, true);
    let (before, last) = at.window(flow, false)?;
    let mut ids: Vec<usize> = Vec::new();
    for id in before.iter().flat_map(Plan::paragraphs) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.retain(|&id| begins_at_or_after(flow, id, start));
    // An article's last page is filled from the pages before, not by
    // setting its own lines looser (the series note a line longer, its
    // "Part N." alone).
    if last.full {
        ids.extend(
            candidates(flow, start, &last)
                .into_iter()
                .filter(|id| !ids.contains(id))
                .collect::<Vec<_>>(),
        );
    }
    // As in [`improve`]: trials read the list through a [`Spliced`], and
    // each round copies it once, for the change it keeps.
    let mut current: Option<Rc<Vec<Flow>>> = None;
    let mut best: Option<(Rc<Vec<Flow>>, f32)> = None;
    let mut best_cost = cost;
    for _ in 0..ROUNDS {
        let base: &[Flow] = current.as_deref().map_or(flow, |c| &c[..]);
        let mut round: Option<(Splice, f32)> = None;
        let extents = Extent::of_each(base, &ids);
        for (&id, &extent) in ids.iter().zip(&extents) {
            let lines = extent.map_or(0, |e| e.lines);
            for wanted in [
                lines.wrapping_sub(1),
                lines + 1,
                lines.wrapping_sub(2),
                lines + 2,
            ] {
                if wanted == 0 || wanted > lines + 2 {
                    continue;
                }
                let Some(boxes) = settings.get(id, wanted) else {
                    continue;
                };
                let change = Splice::at(base, extent, boxes);
                let candidate = change.on(base);
                let Some((before, last)) = at.window(&candidate, true) else {
                    continue;
                };
                let c = last.cost(design);
                if c <= ACCEPTABLE {
                    return Some((candidate.to_vec(), before, last));
                }
                if round.as_ref().is_none_or(|(_, r)| c < *r) {
                    round = Some((change, c));
                }
            }
        }
        // A round that finds nothing ends the search, keeping what the
        // rounds before it found.
        let Some((change, c)) = round else {
            break;
        };
        let next = Rc::new(change.on(base).to_vec());
        if c < best_cost {
            best_cost = c;
            best = Some((Rc::clone(&next), c));
        }
        current = Some(next);
    }
    drop(current);
    // Each paragraph set a line shorter takes back one line of the last
    // page, its closing note's too.
    let taken_back = TAKEN_BACK_TOGETHER + last.closing_note_lines().saturating_sub(1);
    if !last.full
        && best_cost > ACCEPTABLE
        && let Some((found, c)) = lines_on(flow, &ids, taken_back, &pages, settings)
    {
        best = Some((Rc::new(found), c));
    }
    let (flow, _) = best?;
    let flow = owned(flow);
    let (before, last) = at.window(&flow, false)?;
    Some((flow, before, last))
}

/// Where a window of pages starts, and how many pages come before its
/// last.
struct WindowStart<'a> {
    start: usize,
    carry: &'a Carry,
    depth: usize,
    notes: &'a [NoteFlow],
    design: &'a Design,
}

impl WindowStart<'_> {
    /// The pages before and the last page, planned on `flow`; with
    /// `acceptable`, `None` as soon as a page before costs too much (the
    /// pages after it unfilled).
    fn window<L: List + ?Sized>(&self, flow: &L, acceptable: bool) -> Option<(Vec<Plan>, Plan)> {
        let (notes, design) = (self.notes, self.design);
        let mut before: Vec<Plan> = Vec::with_capacity(self.depth);
        let mut page = fill(flow, self.start, self.carry, notes, design);
        for _ in 0..self.depth {
            if acceptable && page.cost(design) > ACCEPTABLE {
                return None;
            }
            let next = fill(flow, page.next, &page.carry, notes, design);
            before.push(page);
            page = next;
        }
        Some((before, page))
    }
}

/// Plans the pages of a window from a changed list: the pages before a
/// page, and the page; `None` when a page before costs too much.
pub(super) type Window<'a> = dyn Fn(&[Flow]) -> Option<(Vec<Plan>, Plan)> + 'a;

/// The most paragraphs [`lines_on`] sets a line shorter together to
/// take an article's last page back: three lines, as for a last page of
/// two lines and a one-line series note; a note of more lines on the page
/// asks one more paragraph for each (two lines and a two-line note, four).
/// To fill the page, two at most: more lines sent on may start a page of
/// their own.
pub(super) const TAKEN_BACK_TOGETHER: usize = 3;

/// The most paragraphs [`lines_on`] chooses its groups from: those
/// nearest the last page (whose lines begin last). Every group of two or
/// three of them is tried, each planning the window again, so a window of
/// many short paragraphs that all set again (dozens a page) would try
/// thousands; those nearest the page turn are the ones whose lines reach
/// it. On c100 seeds 1 and 11 and EB Garamond seeds 7 and 3, every group
/// taken lies within the nearest three (of at most three that set again).
pub(super) const NEAREST_SETTABLE: usize = 8;

/// An article's last page still too short: two paragraphs of the pages
/// before set a line longer together (to fill it), or two to `taken_back`
/// set a line shorter together (to take it back), where one alone would leave
/// a page before ending a line short, as when the last page begins with
/// a two-line paragraph, which cannot be parted. The fewest paragraphs
/// first, chosen from the [`NEAREST_SETTABLE`] nearest the last page.
/// Gives the changed list and the last page's cost, where that makes the
/// last page acceptable with the pages before acceptable too.
pub(super) fn lines_on(
    flow: &[Flow],
    ids: &[usize],
    taken_back: usize,
    pages: &Window<'_>,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, f32)> {
    let design = settings.design;
    for (longer, most) in [(true, 2), (false, taken_back)] {
        let settable: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&id| sets_again(flow, id, longer, settings))
            .collect();
        let settable = nearest_the_end(flow, &settable, NEAREST_SETTABLE);
        for size in 2..=most.min(settable.len()) {
            'group: for group in Groups::new(&settable, size) {
                let mut candidate: Option<Vec<Flow>> = None;
                for &id in &group {
                    let now = candidate.as_deref().unwrap_or(flow);
                    let Some(set) = set_again(now, id, longer, settings) else {
                        continue 'group;
                    };
                    candidate = Some(set);
                }
                let Some(candidate) = candidate else {
                    continue;
                };
                let Some((_, last)) = pages(&candidate) else {
                    continue;
                };
                let c = last.cost(design);
                if c <= ACCEPTABLE {
                    return Some((candidate, c));
                }
            }
        }
    }
    None
}

/// Of the paragraphs `ids`, the `most` whose first lines come last in
/// `flow` (nearest the page the window ends on), in `ids`' order.
fn nearest_the_end(flow: &[Flow], ids: &[usize], most: usize) -> Vec<usize> {
    if ids.len() <= most {
        return ids.to_vec();
    }
    let mut begins: Vec<(usize, usize)> = Vec::with_capacity(ids.len());
    for (at, f) in flow.iter().enumerate() {
        if let Some(id) = f.para()
            && ids.contains(&id)
            && !begins.iter().any(|&(p, _)| p == id)
        {
            begins.push((id, at));
        }
    }
    begins.sort_by_key(|&(_, at)| std::cmp::Reverse(at));
    begins.truncate(most);
    ids.iter()
        .copied()
        .filter(|id| begins.iter().any(|(p, _)| p == id))
        .collect()
}

/// Every group of `size` of some paragraphs, in order (the first's
/// groups first), made one at a time as they are tried.
pub(super) struct Groups<'a> {
    ids: &'a [usize],
    /// The places in `ids` of the next group, rising; `None` when all
    /// were given.
    picks: Option<Vec<usize>>,
}

impl<'a> Groups<'a> {
    pub(super) fn new(ids: &'a [usize], size: usize) -> Groups<'a> {
        Groups {
            ids,
            picks: (size <= ids.len()).then(|| (0..size).collect()),
        }
    }
}

impl Iterator for Groups<'_> {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let picks = self.picks.as_mut()?;
        let group = picks.iter().map(|&k| self.ids[k]).collect();
        // The last place that can still move on moves one on, and the
        // places after it follow it closely.
        let n = self.ids.len();
        let size = picks.len();
        match (0..size).rev().find(|&j| picks[j] < n - size + j) {
            Some(j) => {
                picks[j] += 1;
                for k in j + 1..size {
                    picks[k] = picks[k - 1] + 1;
                }
            }
            None => self.picks = None,
        }
        Some(group)
    }
}

/// True when paragraph `id` can be set well a line longer (or shorter).
fn sets_again(flow: &[Flow], id: usize, longer: bool, settings: &mut Settings<'_, '_>) -> bool {
    lines_after_change(flow, id, longer).is_some_and(|wanted| settings.sets(id, wanted))
}

/// Paragraph `id`'s number of lines when set a line longer (or shorter);
/// `None` where shorter would leave it no line.
fn lines_after_change(flow: &[Flow], id: usize, longer: bool) -> Option<usize> {
    let lines = line_count(flow, id);
    let wanted = if longer {
        lines + 1
    } else {
        lines.checked_sub(1)?
    };
    (wanted > 0).then_some(wanted)
}

/// The list with paragraph `id` set a line longer (or shorter), if it
/// can be set well so.
fn set_again(
    flow: &[Flow],
    id: usize,
    longer: bool,
    settings: &mut Settings<'_, '_>,
) -> Option<Vec<Flow>> {
    let wanted = lines_after_change(flow, id, longer)?;
    Some(splice(flow, id, settings.get(id, wanted)?))
}

/// What the page after `plan` costs as it comes (nothing after the
/// article's end).
pub(super) fn next_page_cost<L: List + ?Sized>(
    flow: &L,
    plan: &Plan,
    notes: &[NoteFlow],
    design: &Design,
) -> f32 {
    let done = plan.next >= flow.len()
        && plan.carry.deferred.is_empty()
        && plan.carry.note_lines.is_empty();
    if done {
        0.0
    } else {
        fill(flow, plan.next, &plan.carry, notes, design).cost(design)
    }
}

/// True when a paragraph set in `lines` ends on the tail of a word
/// hyphenated on its second-last line: a setting that the paginator
/// takes only when no other lets the page end well.
fn ends_on_word_tail(lines: &[FlowBox]) -> bool {
    let [.., second_last, _] = lines else {
        return false;
    };
    let text = second_last.items.iter().rev().find_map(|item| match item {
        Item::Text(run) if !run.text.trim().is_empty() => Some(run.text.trim_end()),
        _ => None,
    });
    text.is_some_and(|t| {
        let mut chars = t.chars().rev();
        matches!(chars.next(), Some('-' | '\u{2010}' | '\u{ad}'))
            && chars.next().is_some_and(char::is_alphabetic)
    })
}

/// Where a paragraph's lines stand in a list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Extent {
    /// Its first line.
    pub(super) first: usize,
    /// Its last line.
    pub(super) last: usize,
    /// Its number of lines.
    pub(super) lines: usize,
}

impl Extent {
    /// Where each of the paragraphs `ids` stands in `flow` (`None` for
    /// one with no line there), found in one pass over the list rather
    /// than one for each paragraph and each setting tried.
    pub(super) fn of_each(flow: &[Flow], ids: &[usize]) -> Vec<Option<Extent>> {
        let mut extents: Vec<Option<Extent>> = vec![None; ids.len()];
        for (at, f) in flow.iter().enumerate() {
            let Some(p) = f.para() else {
                continue;
            };
            for (&id, extent) in ids.iter().zip(extents.iter_mut()) {
                if id == p {
                    let e = extent.get_or_insert(Extent {
                        first: at,
                        last: at,
                        lines: 0,
                    });
                    e.last = at;
                    e.lines += 1;
                }
            }
        }
        extents
    }
}

/// Number of lines paragraph `id` is set in, in `flow`.
fn line_count(flow: &[Flow], id: usize) -> usize {
    flow.iter().filter(|f| f.para() == Some(id)).count()
}

/// How far after a page's end (in list elements) a float may be that
/// keeps a heading off the page: the heading, its spaces and the float.
const FLOAT_HELD_WITHIN: usize = 4;

/// When a figure or pull quote placed on a page keeps it from ending
/// flush, tries it at the top of the next page instead (the text flowing
/// up into its place); not where another float would go on with it, the
/// two stacked at the next page's head (proof 7: seed 1 PDF 234, a figure
/// over a pull quote). Gives the page's plan with the float sent on (the
/// list stays as it is: the plan carries the float).
fn defer_last_float(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    plan: &Plan,
) -> Option<Plan> {
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
    let mut forced = FlowBox::clone(float);
    forced.height = design.text_height * 2.0;
    let forced = [Flow::Box(Arc::new(forced))];
    let candidate = Spliced {
        base: flow,
        from: index,
        to: index + 1,
        with: &forced,
    };
    let trial = fill(&candidate, pos, carry, notes, design);
    // A float heading the page cannot be sent on: the page would hold it
    // (at its forced height) and nothing else.
    let placed_here = trial
        .placed
        .iter()
        .any(|p| matches!(p, Placed::Box(b) if b.float && b.height == design.text_height * 2.0));
    if placed_here || (!trial.ends_flush(design) && trial.full) || trial.carry.deferred.len() > 1 {
        return None;
    }
    // The float waits with its real size.
    let mut trial = trial;
    for deferred in &mut trial.carry.deferred {
        if deferred.height == design.text_height * 2.0 {
            *deferred = Arc::new(FlowBox {
                moved: true,
                ..FlowBox::clone(float)
            });
        }
    }
    // The list stays as it was: the float is only sent on.
    Some(trial)
}

/// Paragraphs whose length decides where a page can end: those on it,
/// last first, then the first two after it; not one that began on an
/// earlier page (from `from`), whose lines there are already set.
pub(super) fn candidates(flow: &[Flow], from: usize, plan: &Plan) -> Vec<usize> {
    let mut ids = plan.paragraphs();
    ids.retain(|&id| begins_at_or_after(flow, id, from));
    let after = flow[plan.next.min(flow.len())..]
        .iter()
        .filter_map(Flow::para);
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
        .position(|f| f.para() == Some(id))
        .is_some_and(|first| first >= from)
}

/// The list with the lines of paragraph `id` replaced by `lines`.
fn splice(flow: &[Flow], id: usize, lines: Vec<FlowBox>) -> Vec<Flow> {
    Splice::of(flow, id, lines).on(flow).to_vec()
}

/// The lines of a paragraph in a list replaced by others: where they
/// stand, and the new ones.
struct Splice {
    from: usize,
    to: usize,
    with: Vec<Flow>,
}

impl Splice {
    /// Paragraph `id`'s lines in `flow` replaced by `lines` (no change
    /// when `flow` has none of its lines).
    fn of(flow: &[Flow], id: usize, lines: Vec<FlowBox>) -> Splice {
        Splice::at(flow, Extent::of_each(flow, &[id])[0], lines)
    }

    /// The lines of the paragraph that stands at `extent` in `flow`
    /// replaced by `lines` (no change when it has no lines there).
    fn at(flow: &[Flow], extent: Option<Extent>, lines: Vec<FlowBox>) -> Splice {
        let Some(Extent { first, last, .. }) = extent else {
            return Splice {
                from: 0,
                to: 0,
                with: Vec::new(),
            };
        };
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
        Splice {
            from: first,
            to: last + 1,
            with: lines
                .into_iter()
                .map(|line| Flow::Box(Arc::new(line)))
                .collect(),
        }
    }

    /// The change made on `flow` (the list it was found in), read where
    /// it lies.
    fn on<'a>(&'a self, flow: &'a [Flow]) -> Spliced<'a> {
        Spliced {
            base: flow,
            from: self.from,
            to: self.to,
            with: &self.with,
        }
    }
}
