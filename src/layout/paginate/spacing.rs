//! How a full page's white opens to make it end flush: the runs of space
//! around headings, quotes and floats first, then the gaps between
//! paragraphs, then the lines, each within bounds that keep it from
//! reading as a hole.

use crate::units::Pt;

use super::super::design::Design;
use super::super::flow::FlowBox;
use super::Placed;
use super::plan::Plan;

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

/// Most white a run of spaces above a figure set in the text (an
/// opening's lead image) may open to, in lines: the space under its
/// caption does not open, so the run above takes what both runs took
/// before (0.3 and 1.3 lines beyond their natural 1.5 and 0.5 lines).
const MAX_GAP_ABOVE_FIXED_FIGURE: f32 = 3.1;

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
pub(super) const BELOW_HEADING_COST: f32 = 5.0;

/// A run of consecutive spaces on a page, and how far it may open.
pub(super) struct SpaceRun {
    /// Index just after its last space in the page's list.
    pub(super) end: usize,
    /// How much it may grow with the page's other runs: its stretch, up
    /// to [`MAX_GAP_LINES`] in all (less beside floats and subheads).
    pub(super) room: Pt,
    /// How much more it may grow as a last resort (below a subhead).
    pub(super) reserve: Pt,
}

/// The runs of spaces between a page's boxes.
pub(super) fn space_runs(placed: &[Placed], design: &Design) -> Vec<SpaceRun> {
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
        let above_fixed_figure = matches!(placed.get(i), Some(Placed::Box(b)) if b.fixed_figure);
        let most = if below_heading {
            MAX_GAP_BELOW_HEADING
        } else if above_fixed_figure {
            MAX_GAP_ABOVE_FIXED_FIGURE
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
pub(super) const SPACE_RUN_COST: f32 = 2.0;

/// Most white the gap between two paragraphs may open to, in lines, when
/// nothing else lets a page end flush (as LaTeX stretches `\parskip`).
const MAX_PARAGRAPH_GAP: f32 = 0.5;

/// What opening paragraph gaps costs on top of their white: more than
/// any ordinary page, less than ending short.
pub(super) const PARAGRAPH_GAP_COST: f32 = 5.0;

/// Most white added between two lines, in lines, when even the paragraph
/// gaps cannot make a page end flush.
pub(super) const MAX_LINE_GAP: f32 = 0.1;

/// What spacing lines out costs on top of paragraph gaps.
pub(super) const LINE_GAP_COST: f32 = 20.0;

/// Where lines may be spaced out as a last resort: every box that follows
/// another box directly, paragraph gaps excepted.
pub(super) fn line_gaps(placed: &[Placed]) -> Vec<usize> {
    places(placed, is_line_gap).collect()
}

/// How many places [`line_gaps`] finds, counted without collecting them.
pub(super) fn line_gap_count(placed: &[Placed]) -> usize {
    places(placed, is_line_gap).count()
}

/// The indices `i` of a page's list (after its first) where `at(placed, i)`
/// holds: the one filter that both listing and counting a kind of gap use.
fn places(placed: &[Placed], at: fn(&[Placed], usize) -> bool) -> impl Iterator<Item = usize> + '_ {
    (1..placed.len()).filter(move |&i| at(placed, i))
}

/// True when `placed[i]` is a box right after another box, not the first
/// line of a paragraph after another's last.
fn is_line_gap(placed: &[Placed], i: usize) -> bool {
    matches!(
        (&placed[i - 1], &placed[i]),
        (Placed::Box(_), Placed::Box(_))
    ) && !is_paragraph_gap(placed, i)
}

pub(super) fn paragraph_gap_room(design: &Design) -> Pt {
    design.leading * MAX_PARAGRAPH_GAP
}

/// Where a page may open between two paragraphs of running text: the
/// index of each first line that follows another paragraph's last line.
pub(super) fn paragraph_gaps(placed: &[Placed]) -> Vec<usize> {
    places(placed, is_paragraph_gap).collect()
}

/// How many places [`paragraph_gaps`] finds, counted without collecting
/// them.
pub(super) fn paragraph_gap_count(placed: &[Placed]) -> usize {
    places(placed, is_paragraph_gap).count()
}

/// True when `placed[i]` is a paragraph's first line right after another
/// paragraph's last.
fn is_paragraph_gap(placed: &[Placed], i: usize) -> bool {
    match (&placed[i - 1], &placed[i]) {
        (
            Placed::Box(FlowBox { para: Some(a), .. }),
            Placed::Box(FlowBox { para: Some(b), .. }),
        ) => a != b,
        _ => false,
    }
}

/// How a full page's white opens to make it end flush: its runs of
/// spaces first, each by its share, then the gaps between paragraphs,
/// evenly; what is still missing leaves the page short.
pub(super) struct Opening {
    /// Each run of spaces: index after its last space, and its room.
    pub(super) runs: Vec<(usize, Pt)>,
    /// The share of its room each run opens by.
    pub(super) fill: f32,
    /// Runs below subheads: index after the last space, and the room they
    /// have beyond their share of `runs`.
    pub(super) reserves: Vec<(usize, Pt)>,
    /// The share of its reserve each opens by, after the paragraph gaps.
    pub(super) reserve_fill: f32,
    /// Paragraph gaps: index of the line after each.
    pub(super) gaps: Vec<usize>,
    /// White added at each paragraph gap.
    pub(super) per_gap: Pt,
    /// Gaps between lines: index of the box after each.
    pub(super) lines: Vec<usize>,
    /// White added between lines, when paragraph gaps are not enough.
    pub(super) per_line: Pt,
    /// What the page still ends short by.
    pub(super) missing: Pt,
}

impl Opening {
    pub(super) fn of(plan: &Plan, design: &Design) -> Opening {
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
        // Counted first, collected only where they open.
        let gap_room = paragraph_gap_room(design) * paragraph_gap_count(&plan.placed) as f32;
        let line_room = design.leading * MAX_LINE_GAP * line_gap_count(&plan.placed) as f32;
        let (mut gaps, mut lines) = (Vec::new(), Vec::new());
        let (mut per_gap, mut per_line, mut reserve_fill) = (Pt::ZERO, Pt::ZERO, 0.0);
        if missing <= Pt(0.01) || missing > gap_room + reserve_room + line_room + Pt(0.01) {
            reserves.clear();
        } else {
            gaps = paragraph_gaps(&plan.placed);
            lines = line_gaps(&plan.placed);
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
