//! Optimal line breaking in the model of Knuth and Plass (1981).
//!
//! A paragraph is a sequence of boxes (material of fixed width), glue
//! (space that can stretch and shrink) and penalties (places where a break
//! costs something, such as a hyphen). Among all ways of breaking it into
//! lines, the algorithm finds the one with the fewest total demerits, where
//! a line's demerits grow with the cube of how far its glue is stretched or
//! shrunk, and extra demerits punish two hyphens in a row, a hyphen on the
//! second-last line, and a tight line next to a loose one.
//!
//! It keeps a list of "active" breakpoints: places where an optimal line
//! may end and from which the next line can still reach. At each new
//! legal breakpoint it measures the line from every active breakpoint, keeps
//! the best way to arrive for each class of tightness, and drops active
//! breakpoints that can no longer reach (the line would be overfull).
//!
//! Boxes can carry stretch and shrink of their own: that is font expansion,
//! glyphs set up to 2% wider or narrower, which the breaker uses like glue.
//! Breakpoints carry how far the character before and after them may hang
//! into the margin (protrusion), which widens the lines ending and starting
//! there.
//!
//! The caller runs passes: first without hyphenation at a low tolerance, then
//! with hyphenation, and finally an emergency pass with extra stretch,
//! last-resort breaks inside long words and unlimited tolerance, which
//! always finds a solution in which no line is wider than the measure.

/// Cost of a break that must happen (end of paragraph, hard line break).
pub const FORCED: f32 = -10_000.0;
/// Cost of a break that must not happen.
pub const NEVER: f32 = 10_000.0;
/// Stretch that no finite stretch can rival (the last line's fill).
pub const FILL: f32 = 1.0e6;

mod bounds;
mod scratch;

pub use bounds::line_count_bounds;
use scratch::Scratch;

/// Which pass first allows a penalty to be used as a break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pass {
    /// Breaks every pass may use (after dashes, forced breaks).
    First,
    /// Hyphenation points.
    Hyphenate,
    /// Breaks in a paragraph's last word that leave a short fragment alone
    /// on its last line ("rou-/bles."): offered to settings a line longer
    /// or shorter, at a cost that puts every other such setting first, and
    /// to the optimum only when nothing else sets the paragraph within the
    /// hyphenation pass's tolerance.
    FinalFragment,
    /// Breaks between a number and the word it counts ("46,700 /
    /// roubles"), when nothing else sets the paragraph within the
    /// hyphenation pass's tolerance.
    Tied,
    /// Hyphenation points in capitalised words (names) and in words tied
    /// to their number, when nothing else sets the paragraph without a
    /// loose line.
    Capitalised,
    /// Breaks inside words that have no hyphenation point, as a last resort.
    Emergency,
}

/// An element of a paragraph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item {
    /// Material of fixed natural width; stretch and shrink come from font expansion.
    Box {
        /// Natural width.
        width: f32,
        /// How much wider expansion may make it.
        stretch: f32,
        /// How much narrower expansion may make it.
        shrink: f32,
    },
    /// Space between words; a legal break when it follows a box.
    Glue {
        /// Natural width.
        width: f32,
        /// How much it may grow.
        stretch: f32,
        /// How much it may shrink.
        shrink: f32,
        /// How far the character before may hang into the right margin
        /// when a line ends here.
        hang_before: f32,
        /// How far the character after may hang into the left margin when
        /// a line starts after this break.
        hang_after: f32,
    },
    /// A possible break with a cost, and material (a hyphen) added if taken.
    Penalty {
        /// Width added to the line when breaking here (the hyphen).
        width: f32,
        /// Cost of breaking here, [`FORCED`] to [`NEVER`].
        cost: f32,
        /// True for hyphen breaks (consecutive ones cost extra).
        flagged: bool,
        /// First pass allowed to break here.
        pass: Pass,
        /// Hang of the line end (the hyphen, or the character before).
        hang_before: f32,
        /// Hang of the next line's first character.
        hang_after: f32,
    },
}

impl Item {
    /// A plain interword space.
    pub fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item::Glue {
            width,
            stretch,
            shrink,
            hang_before: 0.0,
            hang_after: 0.0,
        }
    }

    /// A penalty with no material and no hang.
    pub fn penalty(cost: f32, pass: Pass) -> Item {
        Item::Penalty {
            width: 0.0,
            cost,
            flagged: false,
            pass,
            hang_before: 0.0,
            hang_after: 0.0,
        }
    }
}

/// What the breaker optimises for.
#[derive(Clone, Debug)]
pub struct Params {
    /// Largest badness a line may have (100 is "fairly loose"). Above
    /// 10 000 means anything goes.
    pub tolerance: f32,
    /// Demerits added to every line, favouring fewer lines.
    pub line_penalty: f32,
    /// Demerits for two consecutive hyphenated lines.
    pub double_hyphen_demerits: f32,
    /// Demerits for a third hyphenated line in a row (and each one after).
    pub triple_hyphen_demerits: f32,
    /// Demerits for a hyphen on the second-last line: a paragraph that
    /// ends on the rest of a broken word ("facto-/ries.").
    pub final_hyphen_demerits: f32,
    /// Demerits for adjacent lines of very different tightness.
    pub adjacent_demerits: f32,
    /// Extra stretch every line may use (ragged right, emergency pass).
    pub background_stretch: f32,
    /// Lines more (positive) or fewer than optimal; 0 for the optimum.
    pub looseness: i32,
    /// The latest pass whose penalties may be used.
    pub pass: Pass,
    /// Hang into the left margin of the paragraph's first character.
    pub first_hang: f32,
    /// A last line (before a forced break) narrower than this, in points,
    /// costs [`Params::short_last_demerits`]; 0 for none.
    pub short_last_line: f32,
    /// Demerits for a last line narrower than [`Params::short_last_line`].
    pub short_last_demerits: f32,
}

/// Demerits for a paragraph that ends on the rest of a hyphenated word:
/// those of a line of badness 990, where TeX's 5,000 are those of a
/// decent line. Within a pass's tolerance a paragraph is set any other
/// way first; on c100 (seed 1) this takes such endings from 102 to 79.
pub const FINAL_HYPHEN_DEMERITS: f32 = 1_000_000.0;

/// Demerits for a third hyphen in a row ("con-/com-/impropri-/ety."),
/// which TeX does not count apart from two: those of a line of badness
/// 3,150, so that within a pass's tolerance a paragraph is set any other
/// way first. A book designer allows two hyphens in a row, not three.
pub const TRIPLE_HYPHEN_DEMERITS: f32 = 10_000_000.0;

impl Default for Params {
    fn default() -> Params {
        Params {
            tolerance: 200.0,
            line_penalty: 10.0,
            double_hyphen_demerits: 10_000.0,
            triple_hyphen_demerits: TRIPLE_HYPHEN_DEMERITS,
            final_hyphen_demerits: FINAL_HYPHEN_DEMERITS,
            adjacent_demerits: 10_000.0,
            background_stretch: 0.0,
            looseness: 0,
            pass: Pass::Hyphenate,
            first_hang: 0.0,
            short_last_line: 0.0,
            short_last_demerits: 0.0,
        }
    }
}

/// A way of breaking a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// For each line, the index of the item it ends at.
    pub breaks: Vec<usize>,
    /// For each line, how far its flexible material is stretched (positive,
    /// 1.0 = all of its stretch) or shrunk (negative).
    pub ratios: Vec<f32>,
    /// Total demerits.
    pub demerits: f64,
}

impl Solution {
    /// Number of lines.
    pub fn lines(&self) -> usize {
        self.breaks.len()
    }
}

#[derive(Clone, Copy, Default, Debug)]
struct Sums {
    width: f64,
    /// Glue stretch.
    stretch: f64,
    /// Glue shrink.
    shrink: f64,
    /// Font expansion available in boxes.
    flex_stretch: f64,
    /// Font compression available in boxes.
    flex_shrink: f64,
}

struct Node {
    position: usize,
    line: usize,
    fitness: u8,
    /// How many lines in a row, this one included, end in a hyphen
    /// (counted up to 2).
    hyphens: u8,
    /// Totals at the start of the line that follows this break.
    totals: Sums,
    /// Hang of the first character of that line.
    hang_after: f32,
    demerits: f64,
    ratio: f32,
    previous: Option<usize>,
}

/// Breaks `items` into lines of the given widths (line `i` is
/// `widths[min(i, len-1)]`). `None` when no solution meets the tolerance.
pub fn break_lines(items: &[Item], widths: &[f32], params: &Params) -> Option<Solution> {
    let mut scratch = Scratch::take();
    let found = search_in(&mut scratch, items, widths, params);
    let solution = found.as_ref().and_then(|s| s.choose(params.looseness));
    if let Some(found) = found {
        scratch.nodes = found.nodes;
        scratch.active = found.active;
    }
    scratch.put_back();
    solution
}

/// The feasible breaks of a paragraph, found by [`search`]: every
/// setting within the tolerance that may end it, to choose from.
pub struct Search {
    nodes: Vec<Node>,
    active: Vec<usize>,
    end: usize,
}

impl Search {
    /// The best setting, or with a `looseness` the best of those whose
    /// line count is nearest to the best's plus that looseness, as
    /// [`break_lines`] chooses. The search must have tracked line counts
    /// (a nonzero looseness in its parameters) for a nonzero `looseness`.
    pub fn choose(&self, looseness: i32) -> Option<Solution> {
        choose(&self.nodes, &self.active, self.end, looseness)
    }
}

/// The search of [`break_lines`] without the choice at its end, so that a
/// caller wanting several looseness values searches once. Only whether
/// `params.looseness` is zero matters to the search.
pub fn search(items: &[Item], widths: &[f32], params: &Params) -> Option<Search> {
    let mut scratch = Scratch::take();
    let found = search_in(&mut scratch, items, widths, params);
    scratch.put_back();
    found
}

/// [`search`] in `scratch`'s buffers: the search found takes its nodes
/// and active list.
fn search_in(
    scratch: &mut Scratch,
    items: &[Item],
    widths: &[f32],
    params: &Params,
) -> Option<Search> {
    assert!(!widths.is_empty(), "at least one line width");
    prefix_sums(items, &mut scratch.sums);
    let sums = &scratch.sums;
    let track_lines = params.looseness != 0 || widths.len() > 1;
    let mut nodes = std::mem::take(&mut scratch.nodes);
    nodes.push(Node {
        position: 0,
        line: 0,
        fitness: 1,
        hyphens: 0,
        totals: Sums::default(),
        hang_after: params.first_hang,
        demerits: 0.0,
        ratio: 0.0,
        previous: None,
    });
    let mut active = std::mem::take(&mut scratch.active);
    active.push(0);
    let width_of = |line: usize| widths[line.min(widths.len() - 1)];
    let unlimited = params.tolerance > NEVER;
    // Best way to reach a breakpoint per fitness class, run of hyphens
    // and line: one buffer for every breakpoint.
    let best = &mut scratch.best;
    let mut since_checkpoint = 0;

    for b in 0..items.len() {
        let Some(Breakpoint {
            width: penalty_width,
            cost,
            flagged,
            hang_before,
            hang_after,
        }) = breakpoint(items, b, params)
        else {
            continue;
        };
        since_checkpoint += 1;
        if since_checkpoint == CHECKPOINT_EVERY {
            since_checkpoint = 0;
            crate::cancel::checkpoint();
        }
        let forced = cost <= FORCED;
        best.clear();
        let mut i = 0;
        while i < active.len() {
            let a = &nodes[active[i]];
            let target = f64::from(width_of(a.line) + hang_before + a.hang_after);
            let natural = sums[b].width - a.totals.width + f64::from(penalty_width);
            let (ratio, overfull) = adjustment_ratio(
                target - natural,
                sums[b].stretch - a.totals.stretch + f64::from(params.background_stretch),
                sums[b].shrink - a.totals.shrink,
                (
                    sums[b].flex_stretch - a.totals.flex_stretch,
                    sums[b].flex_shrink - a.totals.flex_shrink,
                ),
            );
            let short = forced && natural < f64::from(params.short_last_line);
            if overfull || forced {
                // This line (and every longer one from `a`) is overfull, or
                // a forced break ends every line: `a` stops being active,
                // but a forced break still takes its candidate.
                if !overfull {
                    consider(
                        best,
                        a,
                        active[i],
                        ratio,
                        cost,
                        flagged,
                        params,
                        unlimited,
                        track_lines,
                        forced,
                        short,
                    );
                }
                active.remove(i);
                continue;
            }
            consider(
                best,
                a,
                active[i],
                ratio,
                cost,
                flagged,
                params,
                unlimited,
                track_lines,
                forced,
                short,
            );
            i += 1;
        }
        // Most breakpoints end no feasible line: the totals after one are
        // found only when a line may end there.
        let totals = if best.is_empty() {
            Sums::default()
        } else {
            totals_after_break(items, sums, b)
        };
        for candidate in best.drain(..) {
            nodes.push(Node {
                position: b,
                line: candidate.line,
                fitness: candidate.fitness,
                hyphens: candidate.hyphens,
                totals,
                hang_after,
                demerits: candidate.demerits,
                ratio: candidate.ratio,
                previous: Some(candidate.from),
            });
            active.push(nodes.len() - 1);
        }
        if active.is_empty() {
            scratch.nodes = nodes;
            scratch.active = active;
            return None;
        }
    }
    Some(Search {
        nodes,
        active,
        end: items.len(),
    })
}

/// What a line ending at a breakpoint takes from it.
#[derive(Clone, Copy)]
struct Breakpoint {
    /// The width it adds to the line (a hyphen's).
    width: f32,
    cost: f32,
    flagged: bool,
    hang_before: f32,
    hang_after: f32,
}

/// Item `b` as a place a line may end in `params`' pass: a glue right
/// after a box, or a penalty short of [`NEVER`] that the pass takes.
#[inline(always)]
fn breakpoint(items: &[Item], b: usize, params: &Params) -> Option<Breakpoint> {
    match items[b] {
        Item::Box { .. } => None,
        Item::Glue {
            hang_before,
            hang_after,
            ..
        } => (b > 0 && matches!(items[b - 1], Item::Box { .. })).then_some(Breakpoint {
            width: 0.0,
            cost: 0.0,
            flagged: false,
            hang_before,
            hang_after,
        }),
        Item::Penalty {
            width,
            cost,
            flagged,
            pass,
            hang_before,
            hang_after,
        } => (cost < NEVER && pass <= params.pass).then_some(Breakpoint {
            width,
            cost,
            flagged,
            hang_before,
            hang_after,
        }),
    }
}

/// Breakpoints the breaker weighs between two looks at the run's
/// deadline ([`crate::cancel::checkpoint`]): a look at every one cost
/// about as much as weighing it.
const CHECKPOINT_EVERY: usize = 16;

/// Share of a line's badness scale that font expansion uses up when it
/// absorbs all of its room: glyphs take the first part of any adjustment
/// (see `paragraph::distribute`), at a lower cost than spacing.
const EXPANSION_COST: f64 = 0.2;

/// How far a line's flexible material must move to fill `excess`, as the
/// ratio badness is computed from, and whether the line is overfull. Font
/// expansion (`flex`) absorbs the first part of the excess, the glue the
/// rest; the line is overfull when the glue would shrink past its limit.
fn adjustment_ratio(excess: f64, stretch: f64, shrink: f64, flex: (f64, f64)) -> (f32, bool) {
    let (room, glue) = if excess >= 0.0 {
        (flex.0, stretch)
    } else {
        (flex.1, shrink)
    };
    let by_glyphs = excess.abs().min(room);
    let rest = excess.abs() - by_glyphs;
    let glyph_part = if room > 0.0 {
        by_glyphs / room * EXPANSION_COST
    } else {
        0.0
    };
    let glue_part = if rest <= 1e-9 {
        0.0
    } else if glue > 0.0 {
        rest / glue
    } else {
        100.0
    };
    let overfull = excess < 0.0 && glue_part > 1.0 + 1e-6;
    let sign = if excess >= 0.0 { 1.0 } else { -1.0 };
    ((sign * (glyph_part + glue_part)) as f32, overfull)
}

/// TeX's badness: 100 × ratio³, capped at 10 000.
fn badness(ratio: f32) -> f32 {
    (100.0 * ratio.abs().powi(3)).min(NEVER)
}

/// TeX's fitness classes: 0 very loose, 1 loose, 2 decent, 3 tight.
fn fitness(ratio: f32) -> u8 {
    if ratio < -0.5 {
        3
    } else if ratio <= 0.5 {
        2
    } else if ratio <= 1.0 {
        1
    } else {
        0
    }
}

/// The best way found so far to reach a breakpoint in one fitness class,
/// run of hyphens and (when tracked) line.
struct Candidate {
    fitness: u8,
    hyphens: u8,
    line: usize,
    demerits: f64,
    /// The node the line starts from.
    from: usize,
    ratio: f32,
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn consider(
    best: &mut Vec<Candidate>,
    a: &Node,
    a_index: usize,
    ratio: f32,
    cost: f32,
    flagged: bool,
    params: &Params,
    unlimited: bool,
    track_lines: bool,
    forced: bool,
    short: bool,
) {
    // With unlimited tolerance every line is feasible; badness then keeps
    // growing past TeX's cap so that the least loose choice still wins.
    let bad = if unlimited {
        100.0 * ratio.abs().powi(3)
    } else {
        badness(ratio)
    };
    if bad > params.tolerance && !unlimited {
        return;
    }
    let class = fitness(ratio);
    let base = f64::from(params.line_penalty + bad);
    let mut demerits = base * base;
    if cost >= 0.0 {
        demerits += f64::from(cost) * f64::from(cost);
    } else if cost > FORCED {
        demerits -= f64::from(cost) * f64::from(cost);
    }
    let hyphens = if flagged { (a.hyphens + 1).min(2) } else { 0 };
    if flagged && a.hyphens >= 1 {
        demerits += f64::from(params.double_hyphen_demerits);
    }
    if flagged && a.hyphens >= 2 {
        demerits += f64::from(params.triple_hyphen_demerits);
    }
    if forced && a.hyphens >= 1 {
        demerits += f64::from(params.final_hyphen_demerits);
    }
    if short {
        demerits += f64::from(params.short_last_demerits);
    }
    if class.abs_diff(a.fitness) > 1 {
        demerits += f64::from(params.adjacent_demerits);
    }
    let candidate = Candidate {
        fitness: class,
        hyphens,
        line: a.line + 1,
        demerits: a.demerits + demerits,
        from: a_index,
        ratio,
    };
    // A line ending in a hyphen is kept apart by the run it continues, so
    // that a way in after one hyphen is not lost to a cheaper one after
    // two, which a third would cost more.
    match best.iter_mut().find(|c| {
        c.fitness == class && c.hyphens == hyphens && (!track_lines || c.line == candidate.line)
    }) {
        Some(entry) if entry.demerits <= candidate.demerits => {}
        Some(entry) => *entry = candidate,
        None => best.push(candidate),
    }
}

/// Running totals of width, stretch and shrink before each item (and at
/// the end), into `sums`.
fn prefix_sums(items: &[Item], sums: &mut Vec<Sums>) {
    sums.clear();
    sums.reserve(items.len() + 1);
    let mut total = Sums::default();
    for item in items {
        sums.push(total);
        match *item {
            Item::Box {
                width,
                stretch,
                shrink,
            } => {
                total.width += f64::from(width);
                total.flex_stretch += f64::from(stretch);
                total.flex_shrink += f64::from(shrink);
            }
            Item::Glue {
                width,
                stretch,
                shrink,
                ..
            } => {
                total.width += f64::from(width);
                total.stretch += f64::from(stretch);
                total.shrink += f64::from(shrink);
            }
            Item::Penalty { .. } => {}
        }
    }
    sums.push(total);
}

/// The totals at the start of a line that follows a break at `b`.
fn totals_after_break(items: &[Item], sums: &[Sums], b: usize) -> Sums {
    sums[start_after_break(items, b)]
}

/// Where a line that follows a break at `b` starts: glue and penalties
/// right after a break disappear, up to the next box.
fn start_after_break(items: &[Item], b: usize) -> usize {
    let mut i = b;
    while i < items.len() {
        match items[i] {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if i > b && cost <= FORCED => break,
            _ => i += 1,
        }
    }
    i
}

/// The best final breakpoint (for the requested looseness) and its chain.
fn choose(nodes: &[Node], active: &[usize], end: usize, looseness: i32) -> Option<Solution> {
    let finals = || {
        active
            .iter()
            .map(|&i| &nodes[i])
            .filter(|n| n.position + 1 == end || n.position == end)
    };
    let optimum = finals().min_by(|a, b| a.demerits.total_cmp(&b.demerits))?;
    let chosen = if looseness == 0 {
        optimum
    } else {
        let wanted = optimum.line as i64 + i64::from(looseness);
        finals()
            .min_by(|a, b| {
                let da = (a.line as i64 - wanted).abs();
                let db = (b.line as i64 - wanted).abs();
                da.cmp(&db).then(a.demerits.total_cmp(&b.demerits))
            })
            .expect("finals is not empty")
    };
    let mut breaks = Vec::with_capacity(chosen.line);
    let mut ratios = Vec::with_capacity(chosen.line);
    let mut cursor = Some(chosen);
    while let Some(node) = cursor {
        if node.previous.is_none() {
            break;
        }
        breaks.push(node.position);
        ratios.push(node.ratio);
        cursor = node.previous.map(|p| &nodes[p]);
    }
    breaks.reverse();
    ratios.reverse();
    Some(Solution {
        breaks,
        ratios,
        demerits: chosen.demerits,
    })
}

/// Breaks greedily: each line takes as much as fits. Used only to show, in
/// tests, what optimal breaking gains.
pub fn break_greedy(items: &[Item], width: f32) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut line_width = 0.0;
    let mut last_break: Option<(usize, f32)> = None;
    for (i, item) in items.iter().enumerate() {
        match *item {
            Item::Box { width: w, .. } => line_width += w,
            Item::Glue { width: w, .. } => {
                if i > 0 && matches!(items[i - 1], Item::Box { .. }) {
                    last_break = Some((i, line_width));
                }
                line_width += w;
            }
            Item::Penalty { cost, .. } if cost <= FORCED => {
                breaks.push(i);
                line_width = 0.0;
                last_break = None;
                continue;
            }
            Item::Penalty { .. } => {}
        }
        if line_width > width
            && let Some((at, used)) = last_break.take()
        {
            breaks.push(at);
            line_width -= used;
            if let Item::Glue { width: w, .. } = items[at] {
                line_width -= w;
            }
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph of words of the given widths, spaces 3 wide (stretch 1.5,
    /// shrink 1), ending with a fill.
    pub(super) fn paragraph(words: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                items.push(Item::glue(3.0, 1.5, 1.0));
            }
            items.push(Item::Box {
                width: w,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
        items.push(Item::penalty(NEVER, Pass::First));
        items.push(Item::glue(0.0, FILL, 0.0));
        items.push(Item::penalty(FORCED, Pass::First));
        items
    }

    fn line_widths(items: &[Item], breaks: &[usize]) -> Vec<f32> {
        let mut start = 0;
        let mut out = Vec::new();
        for &b in breaks {
            let w: f32 = items[start..b]
                .iter()
                .map(|i| match *i {
                    Item::Box { width, .. } | Item::Glue { width, .. } => width,
                    Item::Penalty { .. } => 0.0,
                })
                .sum();
            out.push(w);
            start = b + 1;
        }
        out
    }

    #[test]
    fn single_line_fits() {
        let items = paragraph(&[10.0, 10.0]);
        let solution = break_lines(&items, &[100.0], &Params::default()).unwrap();
        assert_eq!(solution.lines(), 1);
    }

    /// Adjustment ratio of each line but the last.
    fn ratios(items: &[Item], breaks: &[usize], width: f32) -> Vec<f32> {
        let mut start = 0;
        let mut out = Vec::new();
        for (&b, w) in breaks.iter().zip(line_widths(items, breaks)) {
            let spaces = items[start..b]
                .iter()
                .filter(|i| matches!(i, Item::Glue { .. }))
                .count() as f32;
            let excess = width - w;
            out.push(if excess >= 0.0 {
                excess / (1.5 * spaces)
            } else {
                excess / spaces
            });
            start = b + 1;
        }
        out
    }

    #[test]
    fn optimal_beats_greedy_on_a_known_paragraph() {
        // Greedy ends the first line before the 14 because it does not fit
        // at natural width, leaving that line very loose (ratio 5.3). The
        // optimum shrinks the first line a little and keeps every line decent.
        let words = [
            12.0, 6.0, 20.0, 14.0, 16.0, 12.0, 8.0, 14.0, 8.0, 12.0, 6.0, 6.0,
        ];
        let items = paragraph(&words);
        let greedy = break_greedy(&items, 60.0);
        let optimal = break_lines(&items, &[60.0], &Params::default()).unwrap();
        let greedy_ratios = ratios(&items, &greedy, 60.0);
        assert!(greedy_ratios[0] > 5.0, "{greedy_ratios:?}");
        let body = &optimal.breaks[..optimal.lines() - 1];
        for r in ratios(&items, body, 60.0) {
            assert!(r.abs() <= 0.5, "optimal line ratio {r}");
        }
    }

    #[test]
    fn no_solution_under_tight_tolerance_then_emergency_finds_one() {
        let mut items = vec![Item::Box {
            width: 30.0,
            stretch: 0.0,
            shrink: 0.0,
        }];
        // A long word with emergency breaks inside.
        for _ in 0..10 {
            items.push(Item::penalty(5000.0, Pass::Emergency));
            items.push(Item::Box {
                width: 10.0,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
        items.extend(paragraph(&[5.0]));
        let tight = Params {
            pass: Pass::Hyphenate,
            ..Params::default()
        };
        assert!(break_lines(&items, &[50.0], &tight).is_none());
        let emergency = Params {
            pass: Pass::Emergency,
            tolerance: f32::INFINITY,
            background_stretch: 10.0,
            ..Params::default()
        };
        let solution = break_lines(&items, &[50.0], &emergency).unwrap();
        let widths = line_widths(&items, &solution.breaks);
        assert!(widths.iter().all(|&w| w <= 50.0 + 1e-3), "{widths:?}");
    }

    #[test]
    fn a_short_last_line_costs_its_demerits() {
        // A setting a line longer ends on a last line under 8 wide less
        // often once such a line costs its demerits: where another with
        // as many lines is within the tolerance, that one is taken (here 1
        // of 41 widths against 3).
        let words = [
            12.0, 9.0, 14.0, 8.0, 11.0, 10.0, 13.0, 7.0, 12.0, 9.0, 14.0, 8.0, 11.0, 10.0, 4.0,
        ];
        let items = paragraph(&words);
        let last_width = |solution: &Solution| {
            let [.., from, to] = solution.breaks[..] else {
                return 0.0;
            };
            items[from + 1..to]
                .iter()
                .map(|item| match *item {
                    Item::Box { width, .. } | Item::Glue { width, .. } => width,
                    Item::Penalty { .. } => 0.0,
                })
                .sum::<f32>()
        };
        let short_endings = |short_last_line: f32| {
            let params = Params {
                tolerance: 1000.0,
                looseness: 1,
                short_last_line,
                short_last_demerits: FINAL_HYPHEN_DEMERITS,
                ..Params::default()
            };
            (50..=90)
                .filter_map(|width| break_lines(&items, &[width as f32], &params))
                .filter(|solution| last_width(solution) < 8.0)
                .count()
        };
        let (without, with) = (short_endings(0.0), short_endings(8.0));
        assert!(with < without, "{with} short last lines of {without}");
    }

    #[test]
    fn looseness_adds_a_line() {
        let words = [
            12.0, 9.0, 14.0, 8.0, 11.0, 10.0, 13.0, 7.0, 12.0, 9.0, 14.0, 8.0, 11.0, 10.0, 6.0,
        ];
        let items = paragraph(&words);
        let params = Params {
            tolerance: 10_001.0,
            ..Params::default()
        };
        let optimum = break_lines(&items, &[60.0], &params).unwrap();
        let looser = break_lines(
            &items,
            &[60.0],
            &Params {
                looseness: 1,
                ..params.clone()
            },
        )
        .unwrap();
        let tighter = break_lines(
            &items,
            &[60.0],
            &Params {
                looseness: -1,
                ..params
            },
        )
        .unwrap();
        assert_eq!(looser.lines(), optimum.lines() + 1);
        assert!(tighter.lines() <= optimum.lines());
    }

    #[test]
    fn protrusion_lets_a_line_end_past_the_measure() {
        // "30 18," is 51 wide with a space that shrinks by 0.5 at most: too
        // wide for 50, unless the comma after 18 may hang 1.5 into the margin.
        let items = |hang: f32| {
            vec![
                Item::Box {
                    width: 30.0,
                    stretch: 0.0,
                    shrink: 0.0,
                },
                Item::glue(3.0, 1.5, 0.5),
                Item::Box {
                    width: 18.0,
                    stretch: 0.0,
                    shrink: 0.0,
                },
                Item::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 0.5,
                    hang_before: hang,
                    hang_after: 0.0,
                },
                Item::Box {
                    width: 20.0,
                    stretch: 0.0,
                    shrink: 0.0,
                },
                Item::penalty(NEVER, Pass::First),
                Item::glue(0.0, FILL, 0.0),
                Item::penalty(FORCED, Pass::First),
            ]
        };
        let params = Params {
            tolerance: 10_001.0,
            ..Params::default()
        };
        let with_hang = break_lines(&items(1.5), &[50.0], &params).unwrap();
        assert_eq!(with_hang.breaks[0], 3);
        let without = break_lines(&items(0.0), &[50.0], &params).unwrap();
        assert_eq!(without.breaks[0], 1);
    }

    #[test]
    fn two_hyphens_in_a_row_are_avoided_when_possible() {
        // Build a paragraph where each line could end on a hyphen.
        let mut items = Vec::new();
        for i in 0..12 {
            if i > 0 {
                items.push(Item::glue(3.0, 1.5, 1.0));
            }
            items.push(Item::Box {
                width: 8.0,
                stretch: 0.0,
                shrink: 0.0,
            });
            items.push(Item::Penalty {
                width: 2.0,
                cost: 50.0,
                flagged: true,
                pass: Pass::Hyphenate,
                hang_before: 0.0,
                hang_after: 0.0,
            });
            items.push(Item::Box {
                width: 7.0,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
        items.push(Item::penalty(NEVER, Pass::First));
        items.push(Item::glue(0.0, FILL, 0.0));
        items.push(Item::penalty(FORCED, Pass::First));
        let solution = break_lines(
            &items,
            &[47.0],
            &Params {
                tolerance: 10_001.0,
                ..Params::default()
            },
        )
        .unwrap();
        let hyphenated: Vec<bool> = solution
            .breaks
            .iter()
            .map(|&b| matches!(items[b], Item::Penalty { flagged: true, .. }))
            .collect();
        assert!(
            hyphenated.windows(2).all(|w| !(w[0] && w[1])),
            "{hyphenated:?}"
        );
    }
}
