//! How a full page's white opens to make it end flush: the runs of space
//! around headings, quotes and floats first, then the gaps between
//! paragraphs, then the lines, each within bounds that keep it from
//! reading as a hole.

use crate::units::Pt;

use super::super::design::Design;
use super::Placed;
use super::plan::Plan;

/// Most white a run of spaces between two boxes may open to, in lines:
/// more reads as a hole in the page.
const MAX_GAP_LINES: f32 = 1.8;

/// Most white a run of spaces above a figure set in the text (an
/// opening's lead image) may open to, in lines: the space under its
/// caption does not open, so the run above takes what both runs took
/// before (0.3 and 1.3 lines beyond their natural 1.5 and 0.5 lines).
const MAX_GAP_ABOVE_FIXED_FIGURE: f32 = 3.1;

/// Most white a run of spaces below a subhead opens to with the others,
/// in lines: a subhead belongs to the text it introduces. Beyond that it
/// opens (within [`Limits`]) only after the paragraph
/// gaps, as the last resort but one.
const MAX_GAP_BELOW_HEADING: f32 = 0.3;

/// How far a page's white may open, in lines: the spaces beside a float
/// and above a subhead (to the white they stand in, in all), below a
/// subhead as the last resort but one, and each gap between paragraphs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Limits {
    beside_float: f32,
    above_heading: f32,
    reserve_below_heading: f32,
    paragraph_gap: f32,
}

/// How far a page's white opens where a little serves: a subhead at most
/// half a line lower than on the facing page (32.5 pt baseline to
/// baseline instead of 26), a float's white by a quarter line, a gap
/// between paragraphs by 2 pt, which a reader does not see as a gap
/// opened (proof 29 rejects gaps of 3 pt and more, and subheads 36 to 39
/// pt below the text).
pub(super) const A_LITTLE: Limits = Limits {
    beside_float: 0.75,
    above_heading: 1.5,
    reserve_below_heading: 0.5,
    paragraph_gap: 0.15,
};

/// How far a page's white opens at most, as the last resort before a
/// page ending short: a subhead a line lower, gaps between paragraphs of
/// up to a line (where the leading opened before: c100 seed 1 PDF 238,
/// seed 11 PDF 142, an opening of six short paragraphs before a subhead
/// that keeps a footnote, end 2.7 and 4 lines short with gaps of half a
/// line, and no paragraph on them sets again). Taken only where no setting, float moved or article run
/// a line short ends the page otherwise (see [`LAST_RESORT_COST`]).
pub(super) const AT_MOST: Limits = Limits {
    beside_float: 1.0,
    above_heading: 2.0,
    reserve_below_heading: 1.0,
    paragraph_gap: 1.0,
};

/// What opening a page's white past [`A_LITTLE`] costs on top: more than
/// any page opened a little, so that an article run a line short is
/// taken rather than one such page; less than a page ending short.
pub(super) const LAST_RESORT_COST: f32 = 30.0;

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

/// The runs of spaces between a page's boxes, each free to open within
/// `limits`.
pub(super) fn space_runs(placed: &[Placed], design: &Design, limits: Limits) -> Vec<SpaceRun> {
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
            limits.beside_float
        } else if is_heading(Some(i)) {
            limits.above_heading
        } else {
            MAX_GAP_LINES
        };
        let cap = |lines: f32| stretch.min((design.leading * lines - height).max(Pt::ZERO));
        let room = cap(most);
        let reserve = if below_heading {
            cap(limits.reserve_below_heading) - room
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

/// What opening paragraph gaps costs on top of their white: more than
/// any ordinary page, less than ending short.
pub(super) const PARAGRAPH_GAP_COST: f32 = 5.0;

/// The indices `i` of a page's list (after its first) where `at(placed, i)`
/// holds: the one filter that both listing and counting a kind of gap use.
fn places(placed: &[Placed], at: fn(&[Placed], usize) -> bool) -> impl Iterator<Item = usize> + '_ {
    (1..placed.len()).filter(move |&i| at(placed, i))
}

/// Most white one gap between two paragraphs may open by within
/// `limits`, when nothing else lets a page end flush (as LaTeX stretches
/// `\parskip`).
pub(super) fn paragraph_gap_room(design: &Design, limits: Limits) -> Pt {
    design.leading * limits.paragraph_gap
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
        (Placed::Box(a), Placed::Box(b)) => {
            matches!((a.para, b.para), (Some(a), Some(b)) if a != b)
        }
        _ => false,
    }
}

/// How a full page's white opens to make it end flush: its runs of
/// spaces first, each by its share, then the gaps between paragraphs,
/// evenly, then the white below subheads; what is still missing leaves
/// the page short. Lines never open: the leading is the same on every page.
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
    /// What the page still ends short by.
    pub(super) missing: Pt,
    /// True when the white opens past [`A_LITTLE`] (within [`AT_MOST`]).
    pub(super) last_resort: bool,
}

impl Opening {
    /// How the page's white opens: within [`A_LITTLE`] where that ends it
    /// flush, else within [`AT_MOST`].
    pub(super) fn of(plan: &Plan, design: &Design) -> Opening {
        let little = Opening::within(plan, design, A_LITTLE);
        if little.missing <= Pt(0.01) {
            return little;
        }
        Opening {
            last_resort: true,
            ..Opening::within(plan, design, AT_MOST)
        }
    }

    /// How the page's white opens within `limits`.
    fn within(plan: &Plan, design: &Design, limits: Limits) -> Opening {
        let short = plan.shortfall(design).max(Pt::ZERO);
        let all = space_runs(&plan.placed, design, limits);
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
        // Paragraph gaps, then the white below subheads, open only if
        // that makes the page end flush: white spread over a page that
        // ends short anyway helps nothing. The leading never opens: a
        // page's lines back up those of the page facing it.
        // Counted first, collected only where they open.
        let gap_room =
            paragraph_gap_room(design, limits) * paragraph_gap_count(&plan.placed) as f32;
        let mut gaps = Vec::new();
        let (mut per_gap, mut reserve_fill) = (Pt::ZERO, 0.0);
        if missing <= Pt(0.01) || missing > gap_room + reserve_room + Pt(0.01) {
            reserves.clear();
        } else {
            gaps = paragraph_gaps(&plan.placed);
            if !gaps.is_empty() {
                per_gap = (missing / gaps.len() as f32).min(paragraph_gap_room(design, limits));
                missing = (missing - per_gap * gaps.len() as f32).max(Pt::ZERO);
            }
            // What the gaps leave, the white below subheads makes up.
            if missing > Pt(0.01) && reserve_room > Pt::ZERO {
                reserve_fill = (missing / reserve_room).min(1.0);
            } else {
                reserves.clear();
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
            missing,
            last_resort: false,
        }
    }
}
