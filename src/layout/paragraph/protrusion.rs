//! How far punctuation hangs into the margins (after microtype's defaults).

use crate::layout::Engine;

use super::ParaStyle;

pub(super) fn first_visible_char(text: &str) -> Option<char> {
    text.chars().find(|c| !c.is_whitespace())
}

/// Advance of `c` in the paragraph's face and size.
fn char_width(engine: &mut Engine<'_>, style: &ParaStyle, c: char) -> f32 {
    let mut buf = [0u8; 4];
    engine
        .shaper
        .word(style.role, style.lang, c.encode_utf8(&mut buf))
        .width
        * style.size.0
}

/// How far `c` may hang into a margin: `fraction` of its width (measured
/// only for the few characters that hang at all).
pub(super) fn hang(
    engine: &mut Engine<'_>,
    style: &ParaStyle,
    c: char,
    fraction: fn(char) -> f32,
) -> f32 {
    let f = fraction(c);
    if f == 0.0 {
        0.0
    } else {
        f * char_width(engine, style, c)
    }
}

/// Fraction of a character's width that may hang into the right margin
/// (after microtype's defaults).
pub(super) fn right_hang(c: char) -> f32 {
    match c {
        '.' | ',' | '-' | '\u{2010}' | '\u{00AD}' => 0.6,
        '’' | '\'' => 0.5,
        '”' | '"' => 0.35,
        ':' | ';' => 0.4,
        '–' => 0.25,
        '—' => 0.15,
        '!' | '?' => 0.15,
        '…' => 0.1,
        _ => 0.0,
    }
}

/// Fraction of a character's width that may hang into the left margin.
pub(super) fn left_hang(c: char) -> f32 {
    match c {
        '‘' | '\'' => 0.5,
        '“' | '"' => 0.35,
        '–' => 0.25,
        '—' => 0.15,
        '(' | '[' => 0.05,
        _ => 0.0,
    }
}
