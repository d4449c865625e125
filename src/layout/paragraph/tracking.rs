//! Letter-spacing as a justified line's last resort. Where a line's word
//! spaces would open past [`TRACK_FROM`] times their natural width, even
//! after font expansion, its letters are spaced a little (at most
//! [`MAX_TRACK`] of an em after each) until the spaces are back at that
//! width, as a book designer lets a loose line take a little letter-spacing
//! rather than show holes between its words. Only letters of the scripts
//! set with separate letters (Latin, Greek, Cyrillic) are spaced, only
//! between two letters of one word, never after a combining mark's base or
//! inside a ligature (a glyph is spaced only after its cluster's last
//! glyph), never in code or a note mark, and never in right-to-left text.

use unicode_script::{Script, UnicodeScript};

use crate::layout::fonts::Role;
use crate::layout::linebreak::{FILL, Item};

use super::ParaStyle;
use super::items::{Content, Prepared};

/// How wide a word space may open, as a multiple of its natural width,
/// before the line's letters take the rest: 0.30 em in EB Garamond (the
/// layout issue's p99 target), 0.33 em in the built-in face.
pub(super) const TRACK_FROM: f32 = 1.5;
/// Most letter-spacing after a letter, in ems: 0.3 pt at 10.5 pt, 3% of
/// the em, within the few percent book designers allow. On the EB Garamond
/// texts (lenin.md with gen-corpus 20 seed 7 or 3) 0.02 leaves a space of
/// 0.385 em where 0.03 leaves 0.328 (target 0.36); from 1.5 times the
/// natural space, 1–2% of justified lines are spaced, by 0.011 em on
/// average.
pub(super) const MAX_TRACK: f32 = 0.03;

/// The letter-spacing of the line `from..end` (in points, after each
/// spaced glyph) and the glue ratio left to its spaces, given the ratio
/// they would take without it.
pub(super) fn line_tracking(
    p: &Prepared,
    style: &ParaStyle,
    from: usize,
    end: usize,
    glue_ratio: f32,
) -> (f32, f32) {
    if glue_ratio <= 0.0 {
        return (0.0, glue_ratio);
    }
    let (mut glue, mut stretch) = (0.0f32, 0.0f32);
    for item in &p.items[from..end] {
        if let Item::Glue {
            width, stretch: s, ..
        } = *item
            && s < FILL
        {
            glue += width;
            stretch += s;
        }
    }
    let over = glue_ratio * stretch - (TRACK_FROM - 1.0) * glue;
    if over <= 0.0 || stretch <= 0.0 {
        return (0.0, glue_ratio);
    }
    let slots = (from..end)
        .map(|i| match &p.content[i] {
            Content::Glyphs { glyphs, .. } => (0..glyphs.len())
                .filter(|&k| is_spaced(p, style, i, k, end))
                .count(),
            _ => 0,
        })
        .sum::<usize>();
    if slots == 0 {
        return (0.0, glue_ratio);
    }
    let track = (over / slots as f32).min(MAX_TRACK * style.size.0);
    (track, glue_ratio - track * slots as f32 / stretch)
}

/// What the paragraph's letters are like, for [`line_capacity`]: the
/// same at every width and looseness it is broken at.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Letters {
    /// Glyphs in boxes.
    glyphs: usize,
    /// Those that take letter-spacing on a line that goes on past them.
    spaced: usize,
    /// The boxes' natural width, in points.
    width: f32,
}

impl Letters {
    /// Counts the glyphs of `p`, prepared in `style`.
    fn of(p: &Prepared, style: &ParaStyle) -> Letters {
        let end = p.items.len() - 1;
        let mut letters = Letters::default();
        for (i, (item, content)) in p.items.iter().zip(&p.content).enumerate() {
            if let (Item::Box { width: w, .. }, Content::Glyphs { glyphs: range, .. }) =
                (item, content)
            {
                letters.glyphs += range.len();
                letters.width += w;
                letters.spaced += (0..range.len())
                    .filter(|&k| is_spaced(p, style, i, k, end))
                    .count();
            }
        }
        letters
    }
}

/// About how much letter-spacing a full line of the paragraph can take,
/// in points: its spaced glyphs at [`MAX_TRACK`] each, from the
/// paragraph's share of spaced glyphs and their mean advance.
pub(super) fn line_capacity(p: &Prepared, style: &ParaStyle) -> f32 {
    let Letters {
        glyphs,
        spaced,
        width,
    } = *p.letters.get_or_init(|| Letters::of(p, style));
    if glyphs == 0 || width <= 0.0 {
        return 0.0;
    }
    let per_line = style.width.0 / (width / glyphs as f32);
    per_line * (spaced as f32 / glyphs as f32) * MAX_TRACK * style.size.0
}

/// True when glyph `k` of the glyph content at item `i` (on a line ending
/// at item `end`) takes letter-spacing after it: it ends its cluster, a
/// letter of the same word follows on the line, and both are in a script
/// set with separate letters, outside code and note marks.
pub(super) fn is_spaced(p: &Prepared, style: &ParaStyle, i: usize, k: usize, end: usize) -> bool {
    let Content::Glyphs {
        style: s, glyphs, ..
    } = &p.content[i]
    else {
        return false;
    };
    let ts = &p.styles[*s];
    if ts.role == Role::Mono || ts.note.is_some() || style.role == Role::Mono {
        return false;
    }
    let glyph = &p.glyphs[glyphs.start + k];
    if !separate_letters(p, glyph.cluster as usize) {
        return false;
    }
    if let Some(next) = p.glyphs[glyphs.clone()].get(k + 1) {
        return next.cluster != glyph.cluster && separate_letters(p, next.cluster as usize);
    }
    // The piece's last glyph: spaced when the word goes on, in another
    // piece or in the hyphen that ends the line.
    for j in i + 1..=end {
        match &p.content[j] {
            Content::Glyphs {
                style: next_style,
                glyphs,
                ..
            } if j < end => {
                let next = &p.styles[*next_style];
                return next.role != Role::Mono
                    && next.note.is_none()
                    && p.glyphs
                        .get(glyphs.start)
                        .is_some_and(|g| separate_letters(p, g.cluster as usize));
            }
            Content::Hyphen { .. } if j == end => return true,
            Content::Hyphen { .. } | Content::Nothing => {}
            _ => return false,
        }
    }
    false
}

/// True when the character at byte `at` of the paragraph belongs to a
/// script written with separate letters, left to right.
fn separate_letters(p: &Prepared, at: usize) -> bool {
    if p.levels.as_ref().is_some_and(|l| l.at(at) % 2 == 1) {
        return false;
    }
    p.text
        .get(at..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| {
            // Every ASCII character is Latin or Common: no table to search.
            c.is_ascii()
                || matches!(
                    c.script(),
                    Script::Latin
                        | Script::Greek
                        | Script::Cyrillic
                        | Script::Common
                        | Script::Inherited
                )
        })
}

#[cfg(test)]
mod tests {
    use unicode_script::{Script, UnicodeScript};

    #[test]
    fn every_ascii_character_is_latin_or_common_as_separate_letters_assumes() {
        for c in (0u8..=127).map(char::from) {
            assert!(
                matches!(c.script(), Script::Latin | Script::Common),
                "{c:?}"
            );
        }
    }
}
