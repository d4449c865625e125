//! The fewest and the most lines any setting found by a [`search`] can
//! have, told in one pass over the paragraph. The page builder asks a
//! paragraph for a line more or fewer some 7,000 times on c100, and only
//! one request in twenty-five can be met; a request outside these bounds
//! is answered without the search.
//!
//! Each bound solves a looser problem than the search's, one where the
//! greedy choice is the best. For the fewest lines, a line need only not
//! be overfull on the widest measure its hanging punctuation allows:
//! taking the furthest break each time gives the fewest lines. For the
//! most, a line need only be within the tolerance on the narrowest
//! measure: taking the nearest break each time gives the most. Every
//! setting the search can find is a setting of both looser problems.
//!
//! [`search`]: super::search

use super::{
    Breakpoint, FORCED, Item, NEVER, Params, Sums, breakpoint, prefix_sums, start_after_break,
};

/// Slack for the rounding of sums of thousands of widths, in points:
/// bounds that err wide only cost a search.
const SLACK: f64 = 1e-3;

/// The fewest and the most lines of any setting of `items` at `width`
/// that a search with `params` can find; `None` where the bounds would
/// not be sure (an item that narrows a line by being in it, a paragraph
/// not ended by a forced break), or where no line fits at all.
pub fn line_count_bounds(items: &[Item], width: f32, params: &Params) -> Option<(usize, usize)> {
    let breaks = breakpoints(items, params);
    let ends = breaks
        .last()
        .is_some_and(|b| b.forced && b.at + 1 == items.len());
    if !ends || !items_grow_lines(items) {
        return None;
    }
    let mut sums = Vec::new();
    prefix_sums(items, &mut sums);
    let measures = Measures::of(&breaks, width, params);
    let fewest = fewest_lines(items, &sums, &breaks, measures.widest)?;
    let most = if params.tolerance >= NEVER {
        // Every line is within the tolerance: no bound but the breaks.
        usize::MAX
    } else {
        most_lines(items, &sums, &breaks, &measures, params)
    };
    Some((fewest, most))
}

/// A place a line may end, as the search weighs it.
struct Break {
    at: usize,
    forced: bool,
    taken: Breakpoint,
}

/// The breaks the search weighs, in order.
fn breakpoints(items: &[Item], params: &Params) -> Vec<Break> {
    (0..items.len())
        .filter_map(|at| {
            let taken = breakpoint(items, at, params)?;
            Some(Break {
                at,
                forced: taken.cost <= FORCED,
                taken,
            })
        })
        .collect()
}

/// True when no item makes a line narrower, shrink further or stretch
/// less by being in it, and no penalty's width is negative: then a line
/// that reaches further is never shorter, which the greedy choices rely
/// on.
fn items_grow_lines(items: &[Item]) -> bool {
    items.iter().all(|item| match *item {
        Item::Box {
            width,
            stretch,
            shrink,
        }
        | Item::Glue {
            width,
            stretch,
            shrink,
            ..
        } => width >= 0.0 && stretch >= 0.0 && shrink >= 0.0 && shrink <= width,
        Item::Penalty { width, .. } => width >= 0.0,
    })
}

/// The widest and the narrowest a line's measure can be with hanging
/// punctuation at both its ends, and the widest penalty it can end on.
struct Measures {
    widest: f64,
    narrowest: f64,
    widest_penalty: f64,
}

impl Measures {
    fn of(breaks: &[Break], width: f32, params: &Params) -> Measures {
        let before = || breaks.iter().map(|b| b.taken.hang_before);
        let after = || {
            breaks
                .iter()
                .map(|b| b.taken.hang_after)
                .chain([params.first_hang])
        };
        let width = f64::from(width);
        Measures {
            widest: width + largest(before()) + largest(after()),
            narrowest: width + smallest(before()) + smallest(after()),
            widest_penalty: largest(breaks.iter().map(|b| b.taken.width)).max(0.0),
        }
    }
}

fn largest(values: impl Iterator<Item = f32>) -> f64 {
    f64::from(values.fold(f32::MIN, f32::max))
}

fn smallest(values: impl Iterator<Item = f32>) -> f64 {
    f64::from(values.fold(f32::MAX, f32::min))
}

/// The fewest lines when a line need only not be overfull on the widest
/// measure: from each start, the furthest break whose line, shrunk in
/// full, fits, none past a forced break. `None` when no line fits.
fn fewest_lines(items: &[Item], sums: &[Sums], breaks: &[Break], widest: f64) -> Option<usize> {
    let slack = SLACK + 1e-5 * sums[items.len()].shrink;
    let shrunk_to = |i: usize| sums[i].width - sums[i].shrink - sums[i].flex_shrink;
    let (mut start, mut next, mut lines) = (0, 0, 0);
    loop {
        let mut end = None;
        while let Some(b) = breaks.get(next) {
            if shrunk_to(b.at) - shrunk_to(start) > widest + slack {
                break;
            }
            end = Some(b.at);
            next += 1;
            if b.forced {
                break;
            }
        }
        let end = end?;
        lines += 1;
        if end + 1 == items.len() {
            return Some(lines);
        }
        start = start_after_break(items, end);
    }
}

/// The most lines when a line need only be within the tolerance on the
/// narrowest measure, ending on the widest penalty: from each start, the
/// nearest break whose line, stretched to the tolerance, fills it, or
/// the forced break that ends it.
fn most_lines(
    items: &[Item],
    sums: &[Sums],
    breaks: &[Break],
    measures: &Measures,
    params: &Params,
) -> usize {
    // The badness is 100 r³: the loosest ratio the tolerance allows.
    let loosest = f64::from(params.tolerance / 100.0).cbrt() + SLACK;
    let stretched_to = |i: usize| sums[i].width + sums[i].flex_stretch + loosest * sums[i].stretch;
    let extra = measures.widest_penalty + loosest * f64::from(params.background_stretch);
    let (mut start, mut lines) = (0, 0);
    for b in breaks {
        let fills = stretched_to(b.at) - stretched_to(start) + extra >= measures.narrowest - SLACK;
        if !fills && !b.forced {
            continue;
        }
        lines += 1;
        start = start_after_break(items, b.at);
    }
    lines
}

#[cfg(test)]
mod tests;
