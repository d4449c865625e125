//! Display paragraphs (titles, standfirsts, pull quotes) set on even lines.

use crate::model::Inline;
use crate::units::Pt;

use crate::layout::Engine;

use super::{AtWidths, ParaStyle, SetParagraph};

/// Sets a short display paragraph (a title, a standfirst, a pull quote)
/// in as many lines as at its full measure, but on the narrowest measure
/// that keeps that count, so that its lines come out even (what CSS calls
/// `text-wrap: balance`), and with its last two words tied, as a designer
/// ties them by hand, so that it never ends on one word alone where it can
/// keep its line count and its measure without. Gives the paragraph and
/// that measure.
pub fn set_balanced(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    let free = balance(engine, content, style, note_label);
    let Some(tied) = tie_last_two_words(content) else {
        return free;
    };
    let (set, width) = balance(engine, &tied, style, note_label);
    let fits = set.lines.iter().all(|line| {
        let width: f32 = line.runs.iter().map(|r| r.width.0).sum();
        width <= style.width.0 + 0.01
    });
    if fits && set.lines.len() == free.0.lines.len() {
        (set, width)
    } else {
        free
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
/// full measure, and the paragraph set on it.
pub(super) fn balance(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    let paragraph = AtWidths::prepare(engine, content, style, note_label);
    let mut best = paragraph.breaks_at(engine, style.width);
    let lines = best.lines();
    if lines >= 2 {
        let (mut narrow, mut wide) = (style.width * 0.5, style.width);
        for _ in 0..BALANCE_STEPS {
            let width = (narrow + wide) * 0.5;
            let trial = paragraph.breaks_at(engine, width);
            if trial.lines() == lines {
                wide = width;
                best = trial;
            } else {
                narrow = width;
            }
        }
    }
    let width = best.width();
    (paragraph.set(engine, best), width)
}

/// Halvings in the search for a balanced measure: within 1/256 of it.
const BALANCE_STEPS: usize = 8;
