//! Display paragraphs (titles, standfirsts, pull quotes) set on even lines,
//! broken at sense breaks (`sense`).

use crate::model::Inline;
use crate::units::Pt;

use crate::layout::Engine;
use crate::layout::linebreak::{self, Params, Pass};

use super::breaking::base_params;
use super::flatten::Flat;
use super::items::{Prepared, prepare};
use super::sense::{
    NoSense, cost_breaks_without_sense, no_sense_breaks, sense_breaks_only, set_no_sense,
    splits_phrases_only,
};
use super::{AtWidths, Breaks, ParaStyle, SetParagraph};

/// Sets a short display paragraph (a title, a standfirst, a pull quote)
/// in as many lines as at its full measure, but on the narrowest measure
/// that keeps that count, so that its lines come out even (what CSS calls
/// `text-wrap: balance`), and with its last two words tied, as a designer
/// ties them by hand, so that it never ends on one word alone where it can
/// keep its line count and its measure without. Its lines end at sense
/// breaks where that keeps its line count (see `sense`). Gives the
/// paragraph and that measure.
pub fn set_balanced(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    set_display(engine, content, style, note_label, false)
}

/// Sets an opening's title as [`set_balanced`] sets a display paragraph,
/// but in a line more where only then every line ends at a sense break:
/// a designer takes three good lines of a title over two bad ones (not
/// of a contents entry or a standfirst, whose lines cost the page more).
pub fn set_balanced_title(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    set_display(engine, content, style, note_label, true)
}

/// [`set_balanced`], in a line more where that is what it takes to break
/// at sense breaks only and `extra_line` allows it.
fn set_display(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
    extra_line: bool,
) -> (SetParagraph, Pt) {
    let free = at_full_measure(engine, content, style, note_label);
    let Some(tied) = tie_last_two_words(content) else {
        return free.balance(engine, extra_line).set(engine);
    };
    let tied = balanced(engine, &tied, style, note_label, extra_line);
    // A tie that breaks at sense breaks only and cuts no word is taken
    // whatever the free setting's balance gives, if it has as many lines:
    // where that count is known before the search, the free setting is
    // balanced only when the tie does not fit. On c100 (seed 1) that
    // spares the search for 517 of 523 free settings.
    if free.takes_clean_tie(engine, &tied, extra_line) {
        return set_if_fits(engine, tied, style)
            .unwrap_or_else(|| free.balance(engine, extra_line).set(engine));
    }
    let free = free.balance(engine, extra_line);
    if !tie_holds(&tied, &free) {
        return free.set(engine);
    }
    set_if_fits(engine, tied, style).unwrap_or_else(|| free.set(engine))
}

/// Whether the tied setting is taken over the free one, if it fits. A
/// tie that holds only by cutting a word ("The Iskra H- / andbook") or by
/// a break without sense ("The / Iskra Handbook") is worse than the lone
/// last word it was to prevent, and so is one that costs a line.
fn tie_holds(tied: &Balanced<'_>, free: &Balanced<'_>) -> bool {
    let cuts = tied.cuts_words && !free.cuts_words;
    let senseless = tied.no_sense > free.no_sense;
    !cuts && !senseless && tied.breaks.lines() == free.breaks.lines()
}

/// The tied setting, set, where every line of it fits the measure.
fn set_if_fits(
    engine: &mut Engine<'_>,
    tied: Balanced<'_>,
    style: &ParaStyle,
) -> Option<(SetParagraph, Pt)> {
    let (set, width) = tied.set(engine);
    let fits = set.lines.iter().all(|line| {
        let width: f32 = line.runs.iter().map(|r| r.width.0).sum();
        width <= style.width.0 + 0.01
    });
    fits.then_some((set, width))
}

/// `content` with the last space of its last top-level text made
/// non-breaking, when it holds three words or more.
pub(super) fn tie_last_two_words(content: &[Inline]) -> Option<Vec<Inline>> {
    let spaces: usize = content
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.trim().matches(' ').count(),
            _ => 0,
        })
        .sum();
    if spaces < 2 {
        return None;
    }
    let last = content.len().checked_sub(1)?;
    let Inline::Text(text) = &content[last] else {
        return None;
    };
    let trimmed = text.trim_end();
    let at = trimmed.rfind(' ')?;
    let mut tied = content.to_vec();
    tied[last] = Inline::Text(format!("{}\u{a0}{}", &text[..at], &text[at + 1..]));
    Some(tied)
}

/// The narrowest measure that keeps the line count of `content` at the
/// full measure, and its breaks at sense breaks as far as they are there,
/// and the paragraph set on it. Where breaking only at sense breaks would
/// cost a line, the paragraph breaks as if every break were one.
#[cfg(test)]
pub(super) fn balance(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    balanced(engine, content, style, note_label, false).set(engine)
}

/// A display paragraph broken on its balanced measure, to be set if
/// taken.
struct Balanced<'s> {
    paragraph: AtWidths<'s>,
    breaks: Breaks,
    /// Whether a line ends inside a word with no hyphenation point (the
    /// breaker's emergency pass): only where the full measure needs it.
    cuts_words: bool,
    /// What its breaks without sense cost together.
    no_sense: f32,
}

impl Balanced<'_> {
    /// Whether it breaks at sense breaks only and cuts no word: a tie so
    /// set holds against any free setting with as many lines.
    fn is_clean(&self) -> bool {
        !self.cuts_words && self.no_sense == 0.0
    }

    /// The paragraph set with its breaks, and its measure.
    fn set(self, engine: &mut Engine<'_>) -> (SetParagraph, Pt) {
        let width = self.breaks.width();
        (self.paragraph.set(engine, self.breaks), width)
    }
}

/// [`balance`], telling also whether it had to cut a word.
fn balanced<'s>(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &'s ParaStyle,
    note_label: &dyn Fn(usize) -> String,
    extra_line: bool,
) -> Balanced<'s> {
    at_full_measure(engine, content, style, note_label).balance(engine, extra_line)
}

/// A display paragraph prepared and broken at its full measure, where
/// balancing starts: its line count is known before the search.
struct AtFullMeasure<'s> {
    paragraph: AtWidths<'s>,
    breaks: Breaks,
}

/// Prepares `content` and breaks it at the full measure of `style`.
fn at_full_measure<'s>(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &'s ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> AtFullMeasure<'s> {
    let mut paragraph = AtWidths::prepare(engine, content, style, note_label);
    let breaks = full_measure_breaks(engine, &mut paragraph, style);
    AtFullMeasure { paragraph, breaks }
}

impl<'s> AtFullMeasure<'s> {
    /// How many lines [`AtFullMeasure::balance`] will give, where that is
    /// known without it: the full measure's count, which every measure
    /// tried keeps, unless `extra_line` lets a line more be taken. That
    /// happens only where breaking at sense breaks alone at the full
    /// measure takes it, which one run of the breaker tells.
    fn balanced_lines(&self, engine: &mut Engine<'_>, extra_line: bool) -> Option<usize> {
        let lines = self.breaks.lines();
        if !extra_line || lines < 2 {
            return Some(lines);
        }
        let full = self.paragraph.style.width;
        match sense_breaks_at(engine, &self.paragraph, full) {
            Some(sensible) if sensible.lines() == lines + 1 => None,
            _ => Some(lines),
        }
    }

    /// Whether `tied` is taken without balancing this free setting: it
    /// breaks at sense breaks only, cuts no word, and has the line count
    /// the free setting's balance is known to give.
    fn takes_clean_tie(
        &self,
        engine: &mut Engine<'_>,
        tied: &Balanced<'_>,
        extra_line: bool,
    ) -> bool {
        tied.is_clean() && self.balanced_lines(engine, extra_line) == Some(tied.breaks.lines())
    }

    /// The paragraph broken on its balanced measure (see [`balance`]).
    fn balance(self, engine: &mut Engine<'_>, extra_line: bool) -> Balanced<'s> {
        let AtFullMeasure {
            paragraph,
            breaks: mut best,
        } = self;
        let style = paragraph.style;
        let lines = best.lines();
        // Narrower measures may not cut a word the full measure leaves whole.
        let cuts_words = paragraph.break_inside_words(&best);
        let whole = |trial: &Breaks| cuts_words || !paragraph.break_inside_words(trial);
        if lines >= 2 {
            // A ragged line much shorter than its measure is beyond the
            // breaker's tolerance, so the measures that keep the line count
            // without more breaks that make no sense need not be one range:
            // even steps down to half the measure are tried, and the
            // narrowest that does is narrowed down against the step below.
            // A measure too narrow for the line count is refused unbroken.
            let room = Room::of(&paragraph);
            let step = style.width * (0.5 / BALANCE_STEPS as f32);
            let mut narrowest = None;
            for n in 1..=BALANCE_STEPS {
                let width = style.width - step * n as f32;
                if room.too_narrow(&paragraph, width, lines) {
                    continue;
                }
                let trial = paragraph.breaks_at(engine, width);
                if trial.lines() == lines
                    && whole(&trial)
                    && no_sense(&paragraph, &trial) <= no_sense(&paragraph, &best)
                {
                    best = trial;
                    narrowest = Some(width);
                }
            }
            if let Some(found) = narrowest {
                let (mut narrow, mut wide) = (found - step, found);
                for _ in 0..BISECT_STEPS {
                    let width = (narrow + wide) * 0.5;
                    let trial = (!room.too_narrow(&paragraph, width, lines))
                        .then(|| paragraph.breaks_at(engine, width));
                    match trial {
                        Some(trial)
                            if trial.lines() == lines
                                && whole(&trial)
                                && no_sense(&paragraph, &trial) <= no_sense(&paragraph, &best) =>
                        {
                            wide = width;
                            best = trial;
                        }
                        _ => narrow = width,
                    }
                }
            }
            best = fewer_breaks_without_sense(engine, &paragraph, best, style.width);
            let extra_line = extra_line && !splits_phrases_only_at(&paragraph, &best);
            if no_sense(&paragraph, &best) > 0.0
                && let Some(sensible) =
                    at_sense_breaks_only(engine, &paragraph, style.width, lines, extra_line)
            {
                best = sensible;
            }
        }
        let no_sense = no_sense(&paragraph, &best);
        Balanced {
            paragraph,
            breaks: best,
            cuts_words,
            no_sense,
        }
    }
}

/// The paragraph's breaks at its full measure with its breaks without
/// sense costed, or free where costing them would cost it a line (it is
/// left so for the narrower measures). Where the free breaks take no
/// break without sense, costing those changes nothing, and the breaker is
/// not run again: which lines are feasible does not depend on costs,
/// every other way of breaking only costs more, and of equal ways the
/// breaker keeps the first. Not so with hyphenation, whose retry for a
/// paragraph ending on a hyphen may take another setting.
fn full_measure_breaks(
    engine: &mut Engine<'_>,
    paragraph: &mut AtWidths<'_>,
    style: &ParaStyle,
) -> Breaks {
    set_no_sense(&mut paragraph.prepared, NoSense::Free);
    let free = paragraph.breaks_at(engine, style.width);
    set_no_sense(&mut paragraph.prepared, NoSense::Costed);
    if !style.hyphenate && no_sense(paragraph, &free) == 0.0 {
        return free;
    }
    let costed = paragraph.breaks_at(engine, style.width);
    if costed.lines() == free.lines() {
        costed
    } else {
        set_no_sense(&mut paragraph.prepared, NoSense::Free);
        free
    }
}

/// What a paragraph's lines take of their measures at the least, to tell
/// a measure too narrow for a number of lines without breaking the
/// paragraph there. Every box is in some line, shrunk at most by its font
/// expansion; every space too, shrunk at most by its shrink, but for those
/// a break drops (the spaces between two boxes, at most, for each line but
/// the last); a line is at most its measure wide plus the hang of its two
/// ends. The breaker never takes an overfull line, so where the paragraph
/// needs more than `lines` such lines, every setting has more lines.
struct Room {
    /// The boxes' and spaces' widths, shrunk as far as they go.
    least: f64,
    /// The most a break drops: the spaces between two boxes, shrunk.
    dropped: f64,
    /// The most a line's two ends may hang into the margins.
    hang: f64,
}

/// Room for rounding: the breaker adds its widths in other orders, some
/// in single precision.
const ROOM_SLACK: f64 = 0.01;

impl Room {
    fn of(paragraph: &AtWidths<'_>) -> Room {
        let prepared = &paragraph.prepared;
        let mut least = 0.0_f64;
        let (mut gap, mut dropped) = (0.0_f64, 0.0_f64);
        let (mut before, mut after) = (0.0_f32, prepared.first_hang.max(0.0));
        for item in &prepared.items {
            match *item {
                linebreak::Item::Box { width, shrink, .. } => {
                    least += f64::from(width) - f64::from(shrink);
                    gap = 0.0;
                }
                linebreak::Item::Glue {
                    width,
                    shrink,
                    hang_before,
                    hang_after,
                    ..
                } => {
                    let shrunk = f64::from(width) - f64::from(shrink) * 1.001;
                    least += shrunk;
                    gap += shrunk.max(0.0);
                    dropped = dropped.max(gap);
                    before = before.max(hang_before);
                    after = after.max(hang_after);
                }
                linebreak::Item::Penalty {
                    width,
                    hang_before,
                    hang_after,
                    ..
                } => {
                    least += f64::from(width).min(0.0);
                    before = before.max(hang_before);
                    after = after.max(hang_after);
                }
            }
        }
        Room {
            least,
            dropped,
            hang: f64::from(before) + f64::from(after),
        }
    }

    /// True when breaking `paragraph` at `width` cannot give `lines`
    /// lines or fewer (it would be broken as prepared at its own measure).
    fn too_narrow(&self, paragraph: &AtWidths<'_>, width: Pt, lines: usize) -> bool {
        let needed = self.least - (lines.max(1) - 1) as f64 * self.dropped;
        let most = lines as f64 * (f64::from(width.0) + self.hang);
        paragraph.prepared.serves_width(width) && needed > most * (1.0 + 1e-4) + ROOM_SLACK
    }
}

/// `best`, or the breaks at the narrowest wider measure that keep its
/// line count with fewer breaks that are no sense breaks. A ragged line
/// much shorter than the measure is beyond the breaker's tolerance, so a
/// sense break that makes a short line is found only nearer the balanced
/// measure: the measures between it and the full measure are tried in
/// even steps, and the first that does better is narrowed down.
fn fewer_breaks_without_sense(
    engine: &mut Engine<'_>,
    paragraph: &AtWidths<'_>,
    best: Breaks,
    full: Pt,
) -> Breaks {
    let lines = best.lines();
    let faults = no_sense(paragraph, &best);
    if faults == 0.0 {
        return best;
    }
    let step = (full - best.width()) * (1.0 / SENSE_STEPS as f32);
    let mut narrow = best.width();
    for n in 1..=SENSE_STEPS {
        let width = best.width() + step * n as f32;
        let trial = paragraph.breaks_at(engine, width);
        if trial.lines() != lines || no_sense(paragraph, &trial) >= faults {
            narrow = width;
            continue;
        }
        let (mut better, mut wide) = (trial, width);
        for _ in 0..SENSE_STEPS / 2 {
            let width = (narrow + wide) * 0.5;
            let trial = paragraph.breaks_at(engine, width);
            if trial.lines() == lines && no_sense(paragraph, &trial) < faults {
                wide = width;
                better = trial;
            } else {
                narrow = width;
            }
        }
        return better;
    }
    best
}

/// The paragraph broken at sense breaks only, in `lines` lines, on the
/// narrowest measure that keeps them, where it can be. Within the
/// breaker's tolerance a sense break that leaves a short line
/// ("1917: / The Russian Revolution") loses to a break without sense at
/// any measure; here every line is taken, however short, and the evenest
/// set of sense breaks is found.
fn at_sense_breaks_only(
    engine: &mut Engine<'_>,
    paragraph: &AtWidths<'_>,
    full: Pt,
    lines: usize,
    extra_line: bool,
) -> Option<Breaks> {
    let mut best = sense_breaks_at(engine, paragraph, full)?;
    if best.lines() != lines && !(extra_line && best.lines() == lines + 1) {
        return None;
    }
    let lines = best.lines();
    let step = full * (0.5 / BALANCE_STEPS as f32);
    let mut narrowest = full;
    for n in 1..=BALANCE_STEPS {
        let width = full - step * n as f32;
        match sense_breaks_at(engine, paragraph, width) {
            Some(trial) if trial.lines() == lines => {
                best = trial;
                narrowest = width;
            }
            _ => break,
        }
    }
    let (mut narrow, mut wide) = (narrowest - step, narrowest);
    for _ in 0..BISECT_STEPS {
        let width = (narrow + wide) * 0.5;
        match sense_breaks_at(engine, paragraph, width) {
            Some(trial) if trial.lines() == lines => {
                wide = width;
                best = trial;
            }
            _ => narrow = width,
        }
    }
    Some(best)
}

/// The breaks at `width` at sense breaks only, every line taken however
/// loose; `None` when a line cannot be kept within the measure that way.
fn sense_breaks_at(engine: &mut Engine<'_>, paragraph: &AtWidths<'_>, width: Pt) -> Option<Breaks> {
    let style = ParaStyle {
        width,
        ..paragraph.style.clone()
    };
    let prepared = (!paragraph.prepared.serves_width(width))
        .then(|| prepare_display(engine, &paragraph.flat, &style));
    let at_width = prepared.as_ref().unwrap_or(&paragraph.prepared);
    let params = Params {
        tolerance: f32::INFINITY,
        pass: Pass::First,
        ..base_params(at_width, &style)
    };
    let solution = linebreak::break_lines(&sense_breaks_only(at_width), &[width.0], &params)?;
    Some(Breaks {
        style,
        prepared,
        solution,
    })
}

/// What [`super::items::prepare`] makes of a display paragraph, its breaks
/// without sense costed.
pub(super) fn prepare_display(engine: &mut Engine<'_>, flat: &Flat, style: &ParaStyle) -> Prepared {
    let mut prepared = prepare(engine, flat, style);
    cost_breaks_without_sense(&mut prepared, &style.lang_tag);
    prepared
}

/// Whether every break of `breaks` without sense splits a noun phrase only.
fn splits_phrases_only_at(paragraph: &AtWidths<'_>, breaks: &Breaks) -> bool {
    let prepared = breaks.prepared.as_ref().unwrap_or(&paragraph.prepared);
    splits_phrases_only(prepared, &breaks.solution.breaks)
}

/// What the breaks of `breaks` that are no sense breaks cost together.
fn no_sense(paragraph: &AtWidths<'_>, breaks: &Breaks) -> f32 {
    let prepared = breaks.prepared.as_ref().unwrap_or(&paragraph.prepared);
    no_sense_breaks(prepared, &breaks.solution.breaks)
}

/// Even steps between the full measure and half of it in the search for a
/// balanced measure.
const BALANCE_STEPS: usize = 12;

/// Halvings of the step found: the measure within 1/384 of the full one.
const BISECT_STEPS: usize = 4;

/// Even steps between the balanced and the full measure in the search for
/// fewer breaks without sense.
const SENSE_STEPS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::{FontSet, Role};
    use crate::layout::paragraph::{Align, SetLine};

    /// Where the free breaks at a measure take no break without sense,
    /// the costed breaks there are the same, at every measure tried, for
    /// titles ragged, centred and justified without hyphenation: what
    /// [`full_measure_breaks`] takes without a second run.
    #[test]
    fn costing_breaks_without_sense_that_the_free_breaks_avoid_changes_nothing() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let texts = [
            "Why the Provisional Government fell to the factory committees",
            "The Factory Committees and the Struggle for Workers' Control in Petrograd",
            "What the soviets can teach us about the future of the revolution",
            "From Moscow to Galicia: how the soldiers won the war against the Tsar",
        ];
        let (mut same, mut costed_apart) = (0, 0);
        for text in texts {
            for align in [Align::Left, Align::Center, Align::Justify] {
                let style = ParaStyle {
                    role: Role::Bold,
                    size: Pt(14.0),
                    align,
                    hyphenate: false,
                    ..super::super::tests::style(&mut engine, 300.0)
                };
                let content = [Inline::Text(text.into())];
                let label = |i: usize| (i + 1).to_string();
                let mut paragraph = AtWidths::prepare(&mut engine, &content, &style, &label);
                for width in (100..=300).step_by(4) {
                    let width = Pt(width as f32);
                    set_no_sense(&mut paragraph.prepared, NoSense::Free);
                    let free = paragraph.breaks_at(&mut engine, width);
                    set_no_sense(&mut paragraph.prepared, NoSense::Costed);
                    let costed = paragraph.breaks_at(&mut engine, width);
                    if no_sense(&paragraph, &free) > 0.0 {
                        costed_apart += usize::from(costed.solution != free.solution);
                        continue;
                    }
                    assert_eq!(
                        costed.solution, free.solution,
                        "{text:?} {align:?} at {width:?}"
                    );
                    same += 1;
                }
            }
        }
        assert!(same > 100 && costed_apart > 50, "{same} {costed_apart}");
    }

    /// What [`set_display`] gave before it knew a clean tie's line count
    /// ahead: both settings balanced, then compared.
    fn set_display_comparing_both(
        engine: &mut Engine<'_>,
        content: &[Inline],
        style: &ParaStyle,
        extra_line: bool,
    ) -> (SetParagraph, Pt) {
        let label = |i: usize| (i + 1).to_string();
        let free = balanced(engine, content, style, &label, extra_line);
        let tied = tie_last_two_words(content).expect("three words or more");
        let tied = balanced(engine, &tied, style, &label, extra_line);
        if !tie_holds(&tied, &free) {
            return free.set(engine);
        }
        set_if_fits(engine, tied, style).unwrap_or_else(|| free.set(engine))
    }

    /// A clean tie taken without balancing the free setting is the
    /// setting that balancing both and comparing them takes, for titles
    /// (a line more allowed) and other display paragraphs, ragged,
    /// centred and justified, at several measures; and most ties are
    /// taken that way.
    #[test]
    fn a_clean_tie_is_taken_as_comparing_both_settings_takes_it() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let texts = [
            "Why the Provisional Government fell to the factory committees",
            "1917: The Russian Revolution and the Struggle for Workers' Control",
            "What the soviets can teach us about the future of the revolution",
            "From Moscow to Galicia: how the soldiers won the war against the Tsar",
            "Lenin in Zurich",
            // At 230 pt, ragged, the title takes a line more to break at
            // sense breaks only, and its tie does not.
            "From Finland to Finland: how the soldiers won the ruling class",
        ];
        let (mut cases, mut shortcuts) = (0, 0);
        for text in texts {
            for align in [Align::Left, Align::Center, Align::Justify] {
                for width in [160.0, 230.0, 300.0] {
                    for extra_line in [false, true] {
                        let style = ParaStyle {
                            role: Role::Bold,
                            size: Pt(14.0),
                            align,
                            hyphenate: false,
                            ..super::super::tests::style(&mut engine, width)
                        };
                        let content = [Inline::Text(text.into())];
                        let label = |i: usize| (i + 1).to_string();
                        let (got, got_width) =
                            set_display(&mut engine, &content, &style, &label, extra_line);
                        let (want, want_width) =
                            set_display_comparing_both(&mut engine, &content, &style, extra_line);
                        let lines = |set: &SetParagraph| -> Vec<String> {
                            let text = |line: &SetLine| -> String {
                                line.runs.iter().map(|r| r.text.as_str()).collect()
                            };
                            set.lines.iter().map(text).collect()
                        };
                        assert!(
                            got.lines == want.lines && got_width == want_width,
                            "{text:?} {align:?} at {width} pt, a line more {extra_line}: \
                             {:?} at {got_width:?}, not {:?} at {want_width:?}",
                            lines(&got),
                            lines(&want),
                        );
                        let free = at_full_measure(&mut engine, &content, &style, &label);
                        let tied = tie_last_two_words(&content).expect("three words or more");
                        let tied = balanced(&mut engine, &tied, &style, &label, extra_line);
                        shortcuts +=
                            usize::from(free.takes_clean_tie(&mut engine, &tied, extra_line));
                        cases += 1;
                    }
                }
            }
        }
        assert!(
            shortcuts * 2 > cases && shortcuts < cases,
            "{shortcuts} of {cases}"
        );
    }

    /// The balance search skips a measure only where breaking there would
    /// be refused: a measure [`Room`] calls too narrow for a line count
    /// sets the paragraph in more lines, at every measure tried here, and
    /// the bound does skip some.
    #[test]
    fn a_measure_too_narrow_for_a_line_count_sets_more_lines() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let text = "The Factory Committees and the Struggle for Workers' Control \
                    in Petrograd, 1917–1918: Soviets, Unions and the Revolution";
        let mut skipped = 0;
        for align in [Align::Justify, Align::Left, Align::Center] {
            let style = ParaStyle {
                role: Role::Bold,
                size: Pt(14.0),
                align,
                ..super::super::tests::style(&mut engine, 300.0)
            };
            let content = [Inline::Text(text.into())];
            let label = |i: usize| (i + 1).to_string();
            let paragraph = AtWidths::prepare(&mut engine, &content, &style, &label);
            let room = Room::of(&paragraph);
            for width in (120..=300).step_by(2) {
                let width = Pt(width as f32);
                let lines = paragraph.breaks_at(&mut engine, width).lines();
                assert!(
                    !room.too_narrow(&paragraph, width, lines),
                    "{align:?} at {width:?}: set in {lines} lines"
                );
                if room.too_narrow(&paragraph, width, lines - 1) {
                    skipped += 1;
                }
            }
        }
        assert!(skipped > 20, "{skipped}");
    }
}
