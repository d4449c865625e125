//! The passes of the breaker, from the strictest to the emergency, and
//! the looseness asked for by the page builder.

use crate::layout::linebreak::{self, Params, Pass};

use super::items::{Content, Prepared};
use super::tracking::line_capacity;
use super::{Align, ParaStyle};

/// Largest badness a line may take when a paragraph is set a line longer or
/// shorter to fill a page (TeX's default tolerance is 200).
const LOOSENESS_TOLERANCE: f32 = 1000.0;

/// Largest badness a line may take in a [`Strain::Strained`] setting, asked
/// for only where no setting within [`LOOSENESS_TOLERANCE`] (nor a float
/// brought onto the page) lets a page end without opening its white:
/// spaces up to about twice their width, short of where pdf-report calls
/// a line loose.
const STRAINED_TOLERANCE: f32 = 2500.0;

/// How far a paragraph set a line longer or shorter for the page builder
/// may strain its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strain {
    /// Within [`LOOSENESS_TOLERANCE`]: taken wherever it helps a page.
    Usual,
    /// Within [`STRAINED_TOLERANCE`]: only so that a page opens no white.
    Strained,
}

impl Strain {
    /// The largest badness a line may take.
    fn tolerance(self) -> f32 {
        match self {
            Strain::Usual => LOOSENESS_TOLERANCE,
            Strain::Strained => STRAINED_TOLERANCE,
        }
    }
}

/// A paragraph set a line longer or shorter for the page builder ends on
/// a last line narrower than this many ems (pdf-report's "runt": one
/// short word) only at the demerits of a paragraph ending on the rest of a
/// hyphenated word, so that any other setting with as many lines is
/// taken first. On c100 (seeds 1 / 11) this takes pdf-report's runt last
/// lines from 139 to 117 / 143 to 119, with no page set otherwise.
const SHORT_LAST_LINE_EMS: f32 = 3.0;

/// Fewest characters a strained setting a line longer or shorter may
/// leave on the paragraph's last line where the optimum leaves more: a
/// two-letter word and its stop ("it.", "it!") below loose lines is
/// refused outright, so that the page builder fills the page some other
/// way. Measured on c100 (seeds 1 / 11, with [`SHORT_LAST_LINE_EMS`]):
/// refused in every setting, 4 takes runts 117 -> 110 / 119 -> 113 for
/// 2 / 1 more pages that open their white (check-spacing) and an article
/// of seed 11 onto a fourth page of four lines; in strained settings only,
/// 117 -> 116 / 119 for 1 / 0 more, no page longer. Without the demerits,
/// 4 / 6 / 8 in every setting take seed 1's runts 139 -> 127 / 100 / 83
/// for 3 / 9 / 20 more such pages.
const FEWEST_LAST_LINE_CHARS: usize = 4;

/// Largest badness of the emergency pass before any line is accepted.
const EMERGENCY_TOLERANCE: f32 = 3000.0;

/// Largest badness a line may take rather than break a name: spaces up to
/// about 2.5 times their width (0.55 em in the built-in face), short of
/// the 0.6 em where pdf-report calls a line loose.
const NAME_TOLERANCE: f32 = 5000.0;

/// Share of a line's letter-spacing that a line may take rather than break
/// a name. Its stretch is counted at this tolerance's ratio, so that the
/// spaces left stay within it. With all of it, hyphenated names on c100
/// fall from 2 to 1 (seed 11: 3 to 1), but lines spaced to 0.57 em, three
/// in a row, take their place (seed 1, p. 130); with half, 2 (seed 11: 2)
/// and no body line past 0.5 em.
const NAME_TRACKING: f32 = 0.5;

/// Runs the passes: no hyphenation, hyphenation, emergency. With a
/// looseness, finds the best setting `looseness` lines longer or shorter
/// than the optimum, within a wider tolerance, or else keeps the optimum.
pub(super) fn choose_breaks(prepared: &Prepared, style: &ParaStyle) -> linebreak::Solution {
    loosen(prepared, style, best_breaks(prepared, style))
}

/// The parameters every pass starts from.
pub(super) fn base_params(prepared: &Prepared, style: &ParaStyle) -> Params {
    let ragged = style.align != Align::Justify;
    Params {
        first_hang: prepared.first_hang,
        background_stretch: if ragged { 3.0 * style.size.0 } else { 0.0 },
        ..Params::default()
    }
}

/// The optimum: the breaks of the first pass that finds any (the style's
/// looseness plays no part), so that a caller trying several looseness
/// values finds it once. A paragraph that would end on the rest of a
/// hyphenated word is tried once more within the looseness tolerance.
pub(super) fn best_breaks(prepared: &Prepared, style: &ParaStyle) -> linebreak::Solution {
    let width = style.width.0;
    let em = style.size.0;
    let base = base_params(prepared, style);
    let pass = |params: Params| linebreak::break_lines(&prepared.items, &[width], &params);
    // Each pass is tried only when the one before found nothing: most
    // paragraphs are set by the first two, and the third needs the
    // paragraph's letters counted.
    let optimum = pass(Params {
        tolerance: 100.0,
        pass: Pass::First,
        ..base.clone()
    })
    .or_else(|| {
        let hyphens = || {
            pass(Params {
                tolerance: 200.0,
                pass: Pass::Hyphenate,
                ..base.clone()
            })
        };
        style.hyphenate.then(hyphens).flatten()
    })
    .or_else(|| {
        let names = || pass(name_pass(prepared, style, &base));
        style.hyphenate.then(names).flatten()
    })
    // The last passes break inside long words and URLs, first within a
    // wider tolerance, then taking any line, with extra stretch in every
    // line (a line of one unbreakable piece cannot stretch otherwise).
    .or_else(|| {
        pass(Params {
            tolerance: EMERGENCY_TOLERANCE,
            pass: Pass::Emergency,
            ..base.clone()
        })
    })
    .or_else(|| {
        pass(Params {
            tolerance: f32::INFINITY,
            pass: Pass::Emergency,
            background_stretch: base.background_stretch + 1.5 * em,
            ..base.clone()
        })
    })
    // The emergency pass breaks anywhere, so only a single glyph wider
    // than the measure can get here; set everything on one line.
    .unwrap_or_else(|| linebreak::Solution {
        breaks: vec![prepared.items.len() - 1],
        ratios: vec![0.0],
        demerits: f64::INFINITY,
    });
    // A paragraph ends on the rest of a hyphenated word only when every
    // other setting needs a line looser than the page builder's looser
    // settings take.
    if style.hyphenate && ends_on_hyphen(prepared, &optimum) {
        let wider = Params {
            tolerance: LOOSENESS_TOLERANCE,
            pass: Pass::Hyphenate,
            ..base
        };
        linebreak::break_lines(&prepared.items, &[width], &wider)
            .filter(|solution| !ends_on_hyphen(prepared, solution))
            .unwrap_or(optimum)
    } else {
        optimum
    }
}

/// The pass that breaks a name only when nothing else avoids a loose
/// line: first every setting without one whose spaces stay short of loose
/// once its letters take part of their spacing. A number and the word it
/// counts ("46,700 roubles") may part here, and a paragraph's last word
/// leave a short fragment alone on its last line, each at a high cost.
fn name_pass(prepared: &Prepared, style: &ParaStyle, base: &Params) -> Params {
    let tracking = if style.align != Align::Justify {
        0.0
    } else {
        NAME_TRACKING * line_capacity(prepared, style) / (NAME_TOLERANCE / 100.0).cbrt()
    };
    Params {
        tolerance: NAME_TOLERANCE,
        pass: Pass::Tied,
        background_stretch: base.background_stretch + tracking,
        ..base.clone()
    }
}

/// The best setting `style.looseness` lines longer or shorter than
/// `optimum` (the paragraph's [`best_breaks`] in `style`), within a wider
/// tolerance, or else `optimum`.
pub(super) fn loosen(
    prepared: &Prepared,
    style: &ParaStyle,
    optimum: linebreak::Solution,
) -> linebreak::Solution {
    if style.looseness == 0 {
        return optimum;
    }
    pick_loose(
        prepared,
        loose_search(prepared, style, Strain::Usual).as_ref(),
        style,
        Strain::Usual,
        optimum,
    )
}

/// The search of [`loosen`] within the wider tolerance of `strain`: the
/// same for every nonzero looseness of `style`, so that it can be kept.
pub(super) fn loose_search(
    prepared: &Prepared,
    style: &ParaStyle,
    strain: Strain,
) -> Option<linebreak::Search> {
    debug_assert_ne!(style.looseness, 0, "a search for the optimum");
    // A setting a line longer or shorter never breaks a word tied to its
    // number: on c100 that would end three paragraphs "6,960 rou-/bles.".
    // It may leave a short fragment alone on the last line, at that
    // break's cost, only where no other setting has its number of lines:
    // refused, the page builder opens white on two more pages of c100
    // (seed 1) instead.
    linebreak::search(
        &prepared.items,
        &[style.width.0],
        &loose_params(prepared, style, strain),
    )
}

/// The fewest and the most lines [`loose_search`] can find, told without
/// it (see [`linebreak::line_count_bounds`]).
pub(super) fn loose_bounds(
    prepared: &Prepared,
    style: &ParaStyle,
    strain: Strain,
) -> Option<(usize, usize)> {
    let params = loose_params(prepared, style, strain);
    linebreak::line_count_bounds(&prepared.items, style.width.0, &params)
}

/// The parameters of [`loose_search`].
fn loose_params(prepared: &Prepared, style: &ParaStyle, strain: Strain) -> Params {
    Params {
        tolerance: strain.tolerance(),
        pass: if style.hyphenate {
            Pass::FinalFragment
        } else {
            Pass::First
        },
        looseness: style.looseness,
        short_last_line: SHORT_LAST_LINE_EMS * style.size.0,
        short_last_demerits: linebreak::FINAL_HYPHEN_DEMERITS,
        ..base_params(prepared, style)
    }
}

/// What [`loosen`] gives, from its `search` ([`loose_search`] with the
/// same `strain`).
pub(super) fn pick_loose(
    prepared: &Prepared,
    search: Option<&linebreak::Search>,
    style: &ParaStyle,
    strain: Strain,
    optimum: linebreak::Solution,
) -> linebreak::Solution {
    if style.looseness == 0 {
        return optimum;
    }
    let wanted = optimum.lines() as i64 + i64::from(style.looseness);
    // Refused outright, so that the page builder fills the page some
    // other way: three hyphens in a row, and a last line that is only the
    // rest of a broken word ("partic-/ulars.") where the optimum's is not.
    // A proof reader circles such an ending sooner than a page whose white
    // opens a little: refusing it takes these endings on c100 from 16 to
    // 4 (seed 1) and 20 to 6 (seed 11), for 4 and 1 more pages that open
    // their white.
    let lone_rest =
        |solution: &linebreak::Solution| last_line_is_the_rest_of_a_word(&prepared.items, solution);
    let optimum_lone_rest = lone_rest(&optimum);
    let optimum_last = last_line_chars(prepared, &optimum);
    let refuse_short = strain == Strain::Strained;
    let fits = |solution: &linebreak::Solution| {
        solution.lines() as i64 == wanted
            && !three_hyphens_in_a_row(&prepared.items, solution)
            && (!lone_rest(solution) || optimum_lone_rest)
            && !(refuse_short
                && brings_a_short_last_line(last_line_chars(prepared, solution), optimum_last))
    };
    let Some(chosen) = search
        .and_then(|search| search.choose(style.looseness))
        .filter(fits)
    else {
        return optimum;
    };
    // A short fragment alone on the last line is the optimum's last
    // resort (`Pass::FinalFragment`), and so it is here: its cost alone
    // lets it beat a setting with as many lines whose loosest line is
    // near the tolerance, so every setting without one is searched first.
    if !leaves_a_final_fragment(&prepared.items, &chosen) {
        return chosen;
    }
    let without = Params {
        pass: Pass::Hyphenate,
        ..loose_params(prepared, style, strain)
    };
    linebreak::break_lines(&prepared.items, &[style.width.0], &without)
        .filter(fits)
        .unwrap_or(chosen)
}

/// True when a line of `solution` ends at a break left to
/// `Pass::FinalFragment`: the paragraph's last word leaves a short
/// fragment alone on its last line.
fn leaves_a_final_fragment(items: &[linebreak::Item], solution: &linebreak::Solution) -> bool {
    solution.breaks.iter().any(|&at| {
        matches!(
            items[at],
            linebreak::Item::Penalty {
                pass: Pass::FinalFragment,
                ..
            }
        )
    })
}

/// True when three lines in a row of `solution` end in a hyphen.
fn three_hyphens_in_a_row(items: &[linebreak::Item], solution: &linebreak::Solution) -> bool {
    let hyphenated =
        |&at: &usize| matches!(items[at], linebreak::Item::Penalty { flagged: true, .. });
    let ends: Vec<bool> = solution.breaks.iter().map(hyphenated).collect();
    ends.windows(3).any(|run| run.iter().all(|&h| h))
}

/// True when the last line of `solution` holds only the rest of the word
/// hyphenated at the end of the line before: no word space on it.
fn last_line_is_the_rest_of_a_word(
    items: &[linebreak::Item],
    solution: &linebreak::Solution,
) -> bool {
    let [.., second_last, last] = solution.breaks[..] else {
        return false;
    };
    let word_space = |item: &linebreak::Item| matches!(*item, linebreak::Item::Glue { stretch, .. } if stretch < linebreak::FILL);
    matches!(
        items[second_last],
        linebreak::Item::Penalty { flagged: true, .. }
    ) && !items[second_last + 1..last].iter().any(word_space)
}

/// True when a last line of `chars` characters is shorter than the
/// optimum's (`optimum_chars`) and than [`FEWEST_LAST_LINE_CHARS`].
fn brings_a_short_last_line(chars: usize, optimum_chars: usize) -> bool {
    chars < FEWEST_LAST_LINE_CHARS && chars < optimum_chars
}

/// The characters on the last line of `solution`, word spaces counted.
fn last_line_chars(prepared: &Prepared, solution: &linebreak::Solution) -> usize {
    let [.., second_last, last] = solution.breaks[..] else {
        return prepared.text.chars().count();
    };
    prepared.content[second_last + 1..last]
        .iter()
        .map(|content| match content {
            Content::Glyphs { text, .. } => prepared.text[text.clone()].chars().count(),
            Content::Space { .. } => 1,
            _ => 0,
        })
        .sum()
}

/// True when the second-last line of `solution` ends in a hyphen, so that
/// the paragraph ends on the rest of a broken word.
fn ends_on_hyphen(prepared: &Prepared, solution: &linebreak::Solution) -> bool {
    let n = solution.breaks.len();
    n >= 2
        && matches!(
            prepared.items[solution.breaks[n - 2]],
            linebreak::Item::Penalty { flagged: true, .. }
        )
}
