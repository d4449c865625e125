//! Planning one page: what fits on it from a place in the list, where it
//! may end, and what a proofreader would hold against it.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::page::Item;
use crate::units::Pt;

use super::super::design::Design;
use super::super::flow::{Break, Flow, FlowBox, NoteFlow};
use super::spacing::{
    AT_MOST, BELOW_HEADING_COST, LAST_RESORT_COST, Opening, PARAGRAPH_GAP_COST, SPACE_RUN_COST,
    paragraph_gap_count, paragraph_gap_room, space_runs,
};
use super::{Carry, Placed};

/// How one page would be filled from a given place in the list.
pub(super) struct Plan {
    pub(super) placed: Vec<Placed>,
    /// Footnote lines at the foot.
    pub(super) note_lines: Vec<Arc<FlowBox>>,
    /// Notes that start on this page, with the index of their first line.
    pub(super) note_starts: Vec<(usize, usize)>,
    /// Where the next page starts.
    pub(super) next: usize,
    pub(super) carry: Carry,
    pub(super) full: bool,
    /// True when the page starts the article.
    pub(super) first: bool,
    /// How the next page may begin: after a hyphen, it is discouraged.
    pub(super) next_break: Option<Break>,
    /// True when nothing on the page may end it (an opening whose lead
    /// image leaves room for a line of text or none), so that it ends
    /// where it was forced to.
    pub(super) forced: bool,
    /// True when the page ends inside a paragraph where it should not,
    /// leaving its first line alone at the foot or its last alone at the
    /// head of the next page: forced where nothing on the page may end it.
    pub(super) parts_lines: bool,
    /// What the page costs, once weighed ([`Plan::cost`]): a plan is
    /// weighed many times (against each change tried, for the page before
    /// and after) and never changes but for what it carries on.
    weight: OnceCell<f32>,
    /// The text height and leading of the design the page was filled
    /// for, the only design its cost may be weighed with.
    filled_for: (Pt, Pt),
}

/// The fewest lines of text an article's last page should carry when the
/// article runs over more than one: fewer look like a page left over.
const LAST_PAGE_LINES: usize = 5;

/// An article's last page (not its first) with fewer lines of running
/// text than this, its closing note's lines not counted, is a page left
/// over: two lines and the series note. Such a page is worth setting the
/// paragraphs before it with strained lines to fill or take back
/// ([`Plan::left_over`]); as [`FlowBox::closing_note_line`]s the note's
/// lines count towards [`LAST_PAGE_LINES`] all the same.
pub(super) const LEFT_OVER_TEXT_LINES: usize = 3;

/// What an article's last page with fewer than [`LAST_PAGE_LINES`] lines
/// costs at most (the fewer its lines, the more): more than a page taken
/// as it is, so that the paginator tries to set paragraphs before it a
/// line longer (or shorter, to take its lines back); less than opening
/// any space, which would be worse.
const LEFTOVER_PAGE_COST: f32 = 1.5;

/// What each line on a last page of fewer than [`LAST_PAGE_LINES`] takes
/// off [`LEFTOVER_PAGE_COST`]: a page of four lines is nearer to one that
/// stands on its own than a page of two, so that the paginator, setting
/// the paragraphs before it a line longer one by one, sees each step.
const LEFTOVER_LINE_GAIN: f32 = 0.1;

/// What a page that nothing on it may end costs: as much as ending short,
/// so that a pagination with such a page (an article run a line short,
/// say) is taken only when every other has one too.
const FORCED_END_COST: f32 = 100.0;

/// What a page ending on an orphan or before a widow costs on top: more
/// than ending a line or two short, which a proofreader would let pass
/// first.
const PARTED_LINES_COST: f32 = 200.0;

impl Plan {
    pub(super) fn content_height(&self) -> Pt {
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
    pub(super) fn stretch(&self, design: &Design) -> Pt {
        let runs: Pt = space_runs(&self.placed, design, AT_MOST)
            .iter()
            .map(|run| run.room + run.reserve)
            .sum();
        runs + paragraph_gap_room(design, AT_MOST) * paragraph_gap_count(&self.placed) as f32
    }

    /// How far the page's lowest baseline is above the lowest baseline it
    /// should reach: the last of a full page, or with footnotes the last
    /// one on the grid above them.
    pub(super) fn shortfall(&self, design: &Design) -> Pt {
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
    pub(super) fn ends_flush(&self, design: &Design) -> bool {
        let short = self.shortfall(design);
        short <= Pt(0.01) || self.stretch(design) >= short
    }

    /// True when the page's last line ends in a hyphen (a word split
    /// across the page turn).
    pub(super) fn ends_on_hyphen(&self) -> bool {
        self.next_break == Some(Break::Discouraged)
    }

    /// What a proofreader would hold against the page, in lines' worth:
    /// ending short (heavily), ending on a hyphen, and the white its
    /// spaces must open to make it end flush, the space between paragraphs
    /// (opened only as a last resort) counting most. A last page costs
    /// nothing, unless it is nearly empty (see [`LEFTOVER_PAGE_COST`]); a
    /// page with nothing left to place (the page before took it all back)
    /// costs nothing. Weighed once, with the design the page was filled
    /// for (`design` must be that one: checked in debug builds).
    pub(super) fn cost(&self, design: &Design) -> f32 {
        debug_assert!(
            self.filled_for == (design.text_height, design.leading),
            "a page is weighed with the design it was filled for"
        );
        *self.weight.get_or_init(|| self.weigh(design))
    }

    /// [`Plan::cost`], weighed afresh.
    fn weigh(&self, design: &Design) -> f32 {
        if !self.full {
            let lines = self.body_lines(true);
            return if self.first || self.is_empty() || lines >= LAST_PAGE_LINES {
                0.0
            } else {
                LEFTOVER_PAGE_COST - LEFTOVER_LINE_GAIN * lines as f32
            };
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
        if opening.last_resort {
            cost += LAST_RESORT_COST;
        }
        let missing = opening.missing / design.leading;
        if missing > 0.01 {
            cost += 100.0 + 10.0 * missing;
        }
        if self.ends_on_hyphen() {
            cost += 50.0;
        }
        if self.forced {
            cost += FORCED_END_COST;
        }
        if self.parts_lines {
            cost += PARTED_LINES_COST;
        }
        cost
    }

    /// Lines of running text on the page, its closing note's lines
    /// included when `note`.
    fn body_lines(&self, note: bool) -> usize {
        self.placed
            .iter()
            .filter(
                |p| matches!(p, Placed::Box(b) if b.body_line && (note || !b.closing_note_line)),
            )
            .count()
    }

    /// Lines of the article's closing note on the page.
    pub(super) fn closing_note_lines(&self) -> usize {
        self.placed
            .iter()
            .filter(|p| matches!(p, Placed::Box(b) if b.closing_note_line))
            .count()
    }

    /// True when the page is an article's last, not its first, and holds
    /// fewer than [`LEFT_OVER_TEXT_LINES`] lines of text besides its
    /// closing note: a page left over, which a proofreader circles.
    pub(super) fn left_over(&self) -> bool {
        !self.full
            && !self.first
            && !self.is_empty()
            && self.body_lines(false) < LEFT_OVER_TEXT_LINES
    }

    /// True when the page holds nothing: the article ended on the page
    /// before.
    pub(super) fn is_empty(&self) -> bool {
        !self.full && self.placed.is_empty() && self.note_lines.is_empty()
    }

    /// Paragraphs with lines on this page, last first.
    pub(super) fn paragraphs(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = Vec::new();
        for p in self.placed.iter().rev() {
            if let Placed::Box(b) = p
                && let Some(id) = b.para
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        ids
    }
}

/// A vertical list as [`fill`] reads it, element by element: an
/// article's list, or that list with a run of its elements replaced
/// ([`Spliced`]), which a trial reads without copying the whole list.
pub(super) trait List {
    /// Number of elements.
    fn len(&self) -> usize;
    /// The element at `i`, if there is one.
    fn get(&self, i: usize) -> Option<&Flow>;
}

impl List for [Flow] {
    fn len(&self) -> usize {
        <[Flow]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&Flow> {
        <[Flow]>::get(self, i)
    }
}

impl List for Vec<Flow> {
    fn len(&self) -> usize {
        <[Flow]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&Flow> {
        <[Flow]>::get(self, i)
    }
}

/// A list with the elements `from..to` of `base` replaced by `with`, read
/// where it lies: a paragraph set again, tried on a page, costs the
/// paragraph's new lines, not a copy of the article's list (made only for
/// the change that is kept, by [`Spliced::to_vec`]).
pub(super) struct Spliced<'a> {
    pub(super) base: &'a [Flow],
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) with: &'a [Flow],
}

impl Spliced<'_> {
    /// The list as one vector.
    pub(super) fn to_vec(&self) -> Vec<Flow> {
        let mut out = Vec::with_capacity(List::len(self));
        out.extend_from_slice(&self.base[..self.from]);
        out.extend_from_slice(self.with);
        out.extend_from_slice(&self.base[self.to..]);
        out
    }
}

impl List for Spliced<'_> {
    fn len(&self) -> usize {
        self.base.len() - (self.to - self.from) + self.with.len()
    }

    fn get(&self, i: usize) -> Option<&Flow> {
        if i < self.from {
            self.base.get(i)
        } else if i - self.from < self.with.len() {
            self.with.get(i - self.from)
        } else {
            self.base.get(i - self.with.len() + (self.to - self.from))
        }
    }
}

/// Places on a page besides its lines, before its list must grow: the
/// spaces between blocks and around floats.
const PLACED_SLACK: usize = 16;

/// Plans one page starting at `start`.
pub(super) fn fill<L: List + ?Sized>(
    flow: &L,
    start: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
) -> Plan {
    fill_until(flow, start, carry, notes, design, usize::MAX)
}

/// Whether a box draws an image: a figure, not a pull quote.
fn shows_an_image(b: &FlowBox) -> bool {
    b.items.iter().any(|i| matches!(i, Item::Image { .. }))
}

/// The spaces that stand in the list right before `start`.
fn spaces_before<L: List + ?Sized>(flow: &L, start: usize) -> impl Iterator<Item = &Flow> {
    let first = (0..start)
        .rev()
        .find(|&k| matches!(flow.get(k), Some(Flow::Box(_))))
        .map_or(0, |k| k + 1);
    (first..start).filter_map(|k| flow.get(k))
}

/// The first box at or after `from`.
fn box_from<L: List + ?Sized>(flow: &L, from: usize) -> Option<&FlowBox> {
    (from..flow.len()).find_map(|k| match flow.get(k) {
        Some(Flow::Box(b)) => Some(b.as_ref()),
        _ => None,
    })
}

/// Plans one page starting at `start` that ends before flow index `limit`
/// at the latest.
pub(super) fn fill_until<L: List + ?Sized>(
    flow: &L,
    start: usize,
    carry: &Carry,
    notes: &[NoteFlow],
    design: &Design,
    limit: usize,
) -> Plan {
    let height = design.text_height;
    // Room for a page of lines and the spaces between its blocks: the
    // paginator fills many pages for each it keeps, and a list grown
    // from empty is copied five times over as it grows.
    let mut placed: Vec<Placed> = Vec::with_capacity(design.lines_per_page + PLACED_SLACK);
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
        // Unless they sit this page out (see `Carry::wait`).
        let fits = placed.is_empty() || used + room + notes_area(&note_lines, design) <= height;
        if fits && !carry.wait {
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
    if let Some(next) = box_from(flow, start)
        && let (Some(header), Some(previous)) = (&next.header, &carry.header)
        && Arc::ptr_eq(header, previous)
    {
        used += header.height;
        placed.push(Placed::Box(Arc::clone(header)));
    }
    // Under a figure sent on, a page that begins at a subhead keeps the
    // white the text has above it, which the page break left behind: the
    // subhead stands off the caption as it would off text, not as close
    // as the caption's own text. (A pull quote's rule parts it already.)
    let begins_at_subhead = matches!(flow.get(start), Some(Flow::Box(b)) if b.heading);
    if start > 0 && begins_at_subhead && last_box(&placed).is_some_and(shows_an_image) {
        for space in spaces_before(flow, start) {
            if let Flow::Space { height, stretch } = space {
                used += *height;
                placed.push(Placed::Space {
                    height: *height,
                    stretch: *stretch,
                });
            }
        }
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
    // The last place between two blocks, not after a heading, where the
    // page may be forced to end when it has no legal break at all (an
    // opening whose lead image leaves room for one line of text).
    let mut between_blocks: Option<(usize, usize, usize, usize)> = None;
    let mut overflow = false;
    // A float in the text stands between half-line spaces, which open
    // little: a float has white of its own.
    let float_space = Placed::Space {
        height: design.leading * 0.5,
        stretch: design.leading * 0.5,
    };
    while let Some(element) = flow.get(i) {
        match element {
            Flow::Space { height: h, .. }
                if no_room_for_white_above_closing_note(
                    closing_note_height(flow, i + 1),
                    || used + *h + notes_area_with(&note_lines, &[], notes, design),
                    height,
                ) =>
            {
                // The white above the closing note gives way where the
                // note would not fit with it: the note set solid under the
                // text rather than the article's last lines sent on.
            }
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
                // Half a line before a float at the top of a page too,
                // so that the text after it stays on the baseline grid.
                let before = if b.float {
                    design.leading * 0.5
                } else {
                    Pt::ZERO
                };
                let fits = used
                    + before
                    + b.height
                    + notes_area_with(&note_lines, &new_notes, notes, design)
                    <= height + Pt(0.01);
                if b.float && !fits && has_box(&placed) {
                    // A float that does not fit here waits for the next
                    // page, leaving nothing behind: the text closes up.
                    next_carry.deferred.push(Arc::new(FlowBox {
                        moved: true,
                        ..FlowBox::clone(b)
                    }));
                    deferred_at.push(i);
                    i += 1;
                    continue;
                }
                if let Some(last) = last_box(&placed) {
                    let here = Some((i, placed.len(), note_lines.len(), note_starts.len()));
                    match b.break_before {
                        Break::Allowed => legal = here,
                        Break::Discouraged => soft = here,
                        Break::Avoid => {}
                    }
                    if !last.heading && !same_paragraph(last, b) {
                        between_blocks = here;
                    }
                }
                if !fits && has_box(&placed) {
                    overflow = true;
                    break;
                }
                let starts = add_notes(&mut note_lines, &new_notes, notes);
                if !fits {
                    // Alone on an empty page and still too tall with its
                    // notes: the notes that do not fit go on the next page.
                    let room = height - used - b.height - design.leading;
                    let (keep, rest) = split_lines(std::mem::take(&mut note_lines), room);
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

    let plan = |at: usize, mut placed: Vec<Placed>, lines: usize, starts: usize| {
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
        let next_box = box_from(flow, at);
        let next_break = next_box.map(|b| b.break_before);
        let parts_lines = overflow
            && next_box.zip(last_box(&placed)).is_some_and(|(next, last)| {
                next.break_before == Break::Avoid && same_paragraph(last, next)
            });
        Plan {
            placed,
            note_lines: note_lines[..lines].to_vec(),
            note_starts: note_starts[..starts].to_vec(),
            next: at,
            carry,
            full,
            first: start == 0,
            next_break,
            forced: false,
            parts_lines,
            weight: OnceCell::new(),
            filled_for: (design.text_height, design.leading),
        }
    };
    let here = (i, placed.len(), note_lines.len(), note_starts.len());
    let next_break = flow.get(i).and_then(|f| match f {
        Flow::Box(b) => Some(b.break_before),
        Flow::Space { .. } => None,
    });
    if !overflow || next_break == Some(Break::Allowed) {
        // The page ends where it is full: what was placed is the page's.
        return plan(here.0, placed, here.2, here.3);
    }
    let plan = |at: usize, count: usize, lines: usize, starts: usize| {
        plan(at, placed[..count].to_vec(), lines, starts)
    };
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
        (None, None) => {
            // Nothing on the page may end it: end it where it is full, or
            // between two blocks if that parts no paragraph's lines.
            let forced = |(a, b, c, d)| Plan {
                forced: true,
                ..plan(a, b, c, d)
            };
            let full = forced(here);
            match between_blocks.map(forced) {
                Some(earlier) if earlier.cost(design) < full.cost(design) => earlier,
                _ => full,
            }
        }
    }
}

/// True when two boxes are lines of the same paragraph.
fn same_paragraph(a: &FlowBox, b: &FlowBox) -> bool {
    a.para.is_some() && a.para == b.para
}

/// The last box placed, if any.
fn last_box(placed: &[Placed]) -> Option<&FlowBox> {
    placed.iter().rev().find_map(|p| match p {
        Placed::Box(b) => Some(b.as_ref()),
        Placed::Space { .. } => None,
    })
}

/// Height of a footnote area holding `lines`, separation included.
pub(super) fn notes_area(lines: &[Arc<FlowBox>], design: &Design) -> Pt {
    if lines.is_empty() {
        Pt::ZERO
    } else {
        design.leading + lines.iter().map(|l| l.height).sum::<Pt>()
    }
}

/// True when the white before an article's closing note, `note` high
/// (zero where no note follows), would leave the note no room on the
/// page, `used()` high with the white: the white then gives way.
/// `used` is only weighed where a note follows.
fn no_room_for_white_above_closing_note(note: Pt, used: impl FnOnce() -> Pt, height: Pt) -> bool {
    note > Pt::ZERO && used() + note > height + Pt(0.01)
}

/// Height of the closing note's lines that start at `flow[at]`; zero
/// where none do.
fn closing_note_height<L: List + ?Sized>(flow: &L, at: usize) -> Pt {
    (at..flow.len())
        .map_while(|k| match flow.get(k) {
            Some(Flow::Box(b)) if b.closing_note_line => Some(b.height),
            _ => None,
        })
        .sum()
}

/// Height of a footnote area holding `lines` and the lines of the notes
/// `new` ([`notes_area`] of them all), without gathering them.
fn notes_area_with(
    lines: &[Arc<FlowBox>],
    new: &[usize],
    notes: &[NoteFlow],
    design: &Design,
) -> Pt {
    let added = new.iter().flat_map(|&n| notes[n].lines.iter());
    let mut all = lines.iter().chain(added).peekable();
    if all.peek().is_none() {
        Pt::ZERO
    } else {
        design.leading + all.map(|l| l.height).sum::<Pt>()
    }
}

/// Adds the lines of the notes `new` to the page's `lines`; gives each
/// note with the index of its first line.
fn add_notes(
    lines: &mut Vec<Arc<FlowBox>>,
    new: &[usize],
    notes: &[NoteFlow],
) -> Vec<(usize, usize)> {
    let mut starts = Vec::with_capacity(new.len());
    for &n in new {
        starts.push((n, lines.len()));
        lines.extend(notes[n].lines.iter().cloned());
    }
    starts
}

/// The lines that fit in `room`, and the rest.
fn split_lines(lines: Vec<Arc<FlowBox>>, room: Pt) -> (Vec<Arc<FlowBox>>, Vec<Arc<FlowBox>>) {
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

fn has_box(placed: &[Placed]) -> bool {
    placed.iter().any(|p| matches!(p, Placed::Box(_)))
}
