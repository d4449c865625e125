//! Bringing a float forward: a figure or pull quote that stands just
//! after a page that cannot end flush is set on that page instead,
//! between two of its paragraphs, so that the page ends flush on a break
//! its text already has rather than by opening its white.

use std::sync::Arc;

use crate::page::Item;
use crate::units::Pt;

use super::super::design::Design;
use super::super::flow::{Flow, FlowBox};
use super::plan::{Plan, fill};
use super::retry::{Settings, improve, next_page_cost};
use super::{ACCEPTABLE, Carry};

/// How many list elements after a page's end a float may stand and still
/// be brought onto the page: about a page of running text, so that a
/// float moves at most to the page before the one it was set on.
const HOIST_WITHIN: usize = 40;

/// Sets the first float after the page (within [`HOIST_WITHIN`] elements)
/// on the page instead, between two paragraphs, the latest place first,
/// where that lets the page end flush without opening any white. Of the
/// places that do, one that leaves the next page acceptable too is
/// taken first; never onto a page that already holds a float. Gives the
/// changed list and the page's plan, or `None`.
pub(super) fn hoist_next_float(
    flow: &[Flow],
    pos: usize,
    carry: &Carry,
    plan: &Plan,
    settings: &mut Settings<'_, '_>,
) -> Option<(Vec<Flow>, Plan)> {
    let (notes, design) = (settings.notes, settings.design);
    if !plan.full || !plan.carry.deferred.is_empty() {
        return None;
    }
    let end = plan.next.min(flow.len());
    if holds_a_float(flow, pos, end, carry) {
        return None;
    }
    let at = next_float(flow, end)?;
    let mut fallback: Option<(Vec<Flow>, Plan)> = None;
    for place in places_between_paragraphs(flow, pos, end, design)
        .into_iter()
        .rev()
    {
        let candidate = moved_to(flow, at, place);
        let trial = fill(&candidate, pos, carry, notes, design);
        let set_here = trial.full && trial.next > place && trial.carry.deferred.is_empty();
        if !set_here {
            continue;
        }
        let (candidate, trial) = if trial.cost(design) > ACCEPTABLE {
            match improve(&candidate, pos, carry, &trial, settings) {
                Some((c, t)) if t.full && t.cost(design) <= ACCEPTABLE && t.next > place => (c, t),
                _ => continue,
            }
        } else {
            (candidate, trial)
        };
        if next_page_cost(&candidate, &trial, notes, design) <= ACCEPTABLE {
            return Some((candidate, trial));
        }
        if fallback.is_none() {
            fallback = Some((candidate, trial));
        }
    }
    fallback
}

/// True when the page from `pos` to `end` already holds a float, sent
/// on to its head or set in its text: a second one brought onto it would
/// leave it more float than text, the two perhaps stacked with no text
/// between (proof 7: seed 11 PDF 52, a figure and a pull quote on one
/// page, a block quote split to make room).
fn holds_a_float(flow: &[Flow], pos: usize, end: usize, carry: &Carry) -> bool {
    !carry.deferred.is_empty()
        || flow[pos..end]
            .iter()
            .any(|f| matches!(f, Flow::Box(b) if b.float))
}

/// The index of the first float at or after `end`, within
/// [`HOIST_WITHIN`] elements: a pull quote anywhere there, a figure only
/// before the next subhead (it shows what its own section tells).
fn next_float(flow: &[Flow], end: usize) -> Option<usize> {
    let mut past_heading = false;
    for (k, element) in flow.iter().enumerate().skip(end).take(HOIST_WITHIN) {
        match element {
            Flow::Box(b) if b.float && !(past_heading && is_figure(b)) => return Some(k),
            Flow::Box(b) if b.float => return None,
            Flow::Box(b) if b.heading => past_heading = true,
            _ => {}
        }
    }
    None
}

/// True when a float is a figure (it shows an image), not a pull quote.
fn is_figure(float: &FlowBox) -> bool {
    float
        .items
        .iter()
        .any(|item| matches!(item, Item::Image { .. }))
}

/// Places on the page (list indices in `pos + 1..end`) where a float may
/// stand: right before a paragraph's first line that follows another
/// paragraph's last line at the text's left edge (not in a block quote,
/// with no space between), so that it parts no paragraph, no quote and
/// no subhead from its text.
fn places_between_paragraphs(flow: &[Flow], pos: usize, end: usize, design: &Design) -> Vec<usize> {
    let running = |b: &FlowBox| b.para.is_some() && !b.heading && !b.float;
    (pos + 1..end.min(flow.len()))
        .filter(|&k| match (&flow[k - 1], &flow[k]) {
            (Flow::Box(before), Flow::Box(line)) => {
                running(before)
                    && running(line)
                    && before.para != line.para
                    && starts_at_left_edge(before, design)
            }
            _ => false,
        })
        .collect()
}

/// True when a line's text starts at the text block's left edge (within
/// half a quote's indent: a hanging mark may stand left of it), as a
/// paragraph's last line in running text does and one in a block quote
/// does not; a line with no text is taken to.
fn starts_at_left_edge(line: &FlowBox, design: &Design) -> bool {
    line.items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some(run.origin.x),
            _ => None,
        })
        .reduce(Pt::min)
        .is_none_or(|left| left < design.quote_indent * 0.5)
}

/// `flow` with the float at `at` set before the element at `place`
/// (earlier in the list), marked moved; a page may end before it.
fn moved_to(flow: &[Flow], at: usize, place: usize) -> Vec<Flow> {
    let mut out = flow.to_vec();
    let Flow::Box(float) = out.remove(at) else {
        return out;
    };
    out.insert(
        place,
        Flow::Box(Arc::new(Arc::unwrap_or_clone(float).into_moved())),
    );
    out
}
