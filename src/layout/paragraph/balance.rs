//! Display paragraphs (titles, standfirsts, pull quotes) set on even lines,
//! broken at sense breaks (`sense`).

use crate::model::Inline;
use crate::units::Pt;

use crate::layout::Engine;

use super::flatten::Flat;
use super::items::{Prepared, prepare};
use super::sense::{NO_SENSE_COST, cost_breaks_without_sense, no_sense_breaks, set_no_sense_cost};
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
    let free = balanced(engine, content, style, note_label);
    let Some(tied) = tie_last_two_words(content) else {
        return (free.set, free.width);
    };
    let tied = balanced(engine, &tied, style, note_label);
    let fits = tied.set.lines.iter().all(|line| {
        let width: f32 = line.runs.iter().map(|r| r.width.0).sum();
        width <= style.width.0 + 0.01
    });
    // A tie that holds only by cutting a word ("The Iskra H- / andbook")
    // is worse than the lone last word it was to prevent.
    let cuts = tied.cuts_words && !free.cuts_words;
    if fits && !cuts && tied.set.lines.len() == free.set.lines.len() {
        (tied.set, tied.width)
    } else {
        (free.set, free.width)
    }
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
    let found = balanced(engine, content, style, note_label);
    (found.set, found.width)
}

/// A display paragraph set on its balanced measure.
struct Balanced {
    set: SetParagraph,
    width: Pt,
    /// Whether a line ends inside a word with no hyphenation point (the
    /// breaker's emergency pass): only where the full measure needs it.
    cuts_words: bool,
}

/// [`balance`], telling also whether it had to cut a word.
fn balanced(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> Balanced {
    let mut paragraph = AtWidths::prepare(engine, content, style, note_label);
    set_no_sense_cost(&mut paragraph.prepared, 0.0);
    let free = paragraph.breaks_at(engine, style.width);
    set_no_sense_cost(&mut paragraph.prepared, NO_SENSE_COST);
    let mut best = paragraph.breaks_at(engine, style.width);
    if best.lines() != free.lines() {
        set_no_sense_cost(&mut paragraph.prepared, 0.0);
        best = free;
    }
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
        let step = style.width * (0.5 / BALANCE_STEPS as f32);
        let mut narrowest = None;
        for n in 1..=BALANCE_STEPS {
            let width = style.width - step * n as f32;
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
                let trial = paragraph.breaks_at(engine, width);
                if trial.lines() == lines
                    && whole(&trial)
                    && no_sense(&paragraph, &trial) <= no_sense(&paragraph, &best)
                {
                    wide = width;
                    best = trial;
                } else {
                    narrow = width;
                }
            }
        }
        best = fewer_breaks_without_sense(engine, &paragraph, best, style.width);
    }
    let width = best.width();
    Balanced {
        set: paragraph.set(engine, best),
        width,
        cuts_words,
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
    if faults == 0 {
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

/// What [`super::items::prepare`] makes of a display paragraph, its breaks
/// without sense costed.
pub(super) fn prepare_display(engine: &mut Engine<'_>, flat: &Flat, style: &ParaStyle) -> Prepared {
    let mut prepared = prepare(engine, flat, style);
    cost_breaks_without_sense(&mut prepared, &style.lang_tag);
    prepared
}

/// How many of the breaks of `breaks` are no sense breaks.
fn no_sense(paragraph: &AtWidths<'_>, breaks: &Breaks) -> usize {
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
