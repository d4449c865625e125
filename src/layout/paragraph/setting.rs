//! Setting a line: its excess width shared between font expansion and
//! spaces, its glyph runs, links and notes, its hangs and its alignment.

use crate::layout::Engine;
use crate::layout::bidi;
use crate::layout::fonts::FaceId;
use crate::layout::linebreak::{FILL, FORCED, Item};
use crate::units::Pt;

use super::flatten::size_of;
use super::items::{Content, Prepared};
use super::tracking::{is_spaced, line_tracking};
use super::{Align, ParaStyle, SetGlyph, SetLine, SetRun};

/// Sets the items `start..=end` as one line.
pub(super) fn set_line(
    engine: &mut Engine<'_>,
    p: &Prepared,
    style: &ParaStyle,
    start: usize,
    end: usize,
    last: bool,
    first: bool,
) -> SetLine {
    // Glue and penalties after the previous break are dropped.
    let mut from = start;
    while from < end && !matches!(p.items[from], Item::Box { .. }) {
        from += 1;
    }
    let ends_with_hyphen = matches!(p.content.get(end), Some(Content::Hyphen { .. }));
    let (hang_left, hang_right) = line_hangs(p, style, from, end, first);
    // Natural widths, and the flexibility the breaker counted on.
    let mut glyphs = 0.0f32; // material that font expansion scales
    let mut fixed = 0.0f32; // the indent
    let mut flex = (0.0f32, 0.0f32); // expansion: (stretch, shrink)
    let mut glue = 0.0f32;
    let mut stretch = 0.0f32;
    let mut shrink = 0.0f32;
    for (item, content) in p.items[from..end].iter().zip(&p.content[from..end]) {
        match (*item, content) {
            (Item::Box { width, .. }, Content::Nothing) => fixed += width,
            (
                Item::Box {
                    width,
                    stretch: s,
                    shrink: z,
                },
                _,
            ) => {
                glyphs += width;
                flex.0 += s;
                flex.1 += z;
            }
            (
                Item::Glue {
                    width,
                    stretch: s,
                    shrink: z,
                    ..
                },
                _,
            ) if s < FILL => {
                glue += width;
                stretch += s;
                shrink += z;
            }
            _ => {}
        }
    }
    if let Item::Penalty { width, .. } = p.items[end] {
        glyphs += width;
    }
    let target = style.width.0 + hang_left + hang_right;
    let excess = target - glyphs - fixed - glue;
    // Justified lines fill the measure; any line too long for it (a last
    // line the breaker squeezed in) shrinks; others keep natural spacing,
    // as does a line ended by a hard break (its fill glue takes the rest).
    let hard_break = p.items[from..end]
        .iter()
        .any(|item| matches!(*item, Item::Glue { stretch, .. } if stretch >= FILL));
    let justify = style.align == Align::Justify && !last && !hard_break;
    let (scale, glue_ratio) = if justify || excess < 0.0 {
        distribute(excess, glyphs, flex, stretch, shrink)
    } else {
        (1.0, 0.0)
    };
    let (track, glue_ratio) = if justify {
        line_tracking(p, style, from, end, glue_ratio)
    } else {
        (0.0, glue_ratio)
    };

    let mut line = SetLine {
        text_start: text_start_of(p, from),
        hyphenated: ends_with_hyphen,
        ..SetLine::default()
    };
    let mut x = -hang_left;
    let mut indent = 0.0f32;
    let mut open: Option<SetRun> = None;
    // Glyphs and text bytes still to come on the line, so that each run
    // is allocated once at the size it may reach.
    let (mut glyphs_left, mut text_left) = line_size(p, from, end);
    let mut link: Option<(f32, String)> = None;
    // The text style and face of the last item set.
    let mut last: Option<(usize, FaceId)> = None;
    let close = |open: &mut Option<SetRun>, line: &mut SetLine| {
        if let Some(run) = open.take() {
            line.runs.push(run);
        }
    };
    for i in from..=end {
        let (face, style_index, glyph_range, text_range, advance_override, mark) =
            match &p.content[i] {
                Content::Glyphs {
                    face,
                    style: s,
                    glyphs,
                    text,
                } if i < end => (*face, *s, Some(glyphs.clone()), text.clone(), None, None),
                Content::Space {
                    face,
                    style: s,
                    text,
                } if i < end => {
                    let set = match p.items[i] {
                        Item::Glue {
                            width, stretch: st, ..
                        } if glue_ratio >= 0.0 => width + glue_ratio * st,
                        Item::Glue {
                            width, shrink: sh, ..
                        } => width + glue_ratio * sh,
                        // A fixed space (indentation) is not scaled with the glyphs.
                        Item::Box { width, .. } => width * scale,
                        Item::Penalty { .. } => continue,
                    };
                    (*face, *s, None, text.clone(), Some(set), None)
                }
                Content::Hyphen {
                    face,
                    style: s,
                    glyph,
                } if i == end => (*face, *s, None, 0..0, None, Some(*glyph)),
                Content::Nothing if i < end => {
                    // The first-line indent.
                    if let Item::Box { width, .. } = p.items[i] {
                        x += width;
                        indent += width;
                    }
                    continue;
                }
                _ => continue,
            };
        let ts = &p.styles[style_index];
        let size = size_of(style, ts);
        // An item in the text style and face of the one before goes on in
        // its run, with its link and note: most items do, and skip the
        // comparisons below (a bidi level may change within a style).
        let continues = p.levels.is_none() && last == Some((style_index, face));
        if !continues {
            last = Some((style_index, face));
            // Links.
            match (&link, &ts.link) {
                (Some((_, url)), Some(current)) if url == current => {}
                _ => {
                    if let Some((x0, url)) = link.take() {
                        line.links.push((Pt(x0), Pt(x), url));
                    }
                    if let Some(url) = &ts.link {
                        link = Some((x, url.clone()));
                    }
                }
            }
            if let Some(note) = ts.note
                && !line.notes.contains(&note)
            {
                line.notes.push(note);
            }
            let link_index = link.as_ref().map(|_| line.links.len());
            let level = p.levels.as_ref().map_or(0, |l| l.at(text_range.start));
            let same_run = open.as_ref().is_some_and(|r| {
                r.face == face
                    && r.level == level
                    && r.lang == ts.lang
                    && r.size.0 == size
                    && r.rise.0 == ts.rise * style.size.0
                    && r.strike == ts.strike
                    && r.link == link_index
                    && r.note == ts.note
            });
            if !same_run {
                close(&mut open, &mut line);
                open = Some(SetRun {
                    face,
                    size: Pt(size),
                    x: Pt(x),
                    rise: Pt(ts.rise * style.size.0),
                    h_scale: scale,
                    glyphs: Vec::with_capacity(glyphs_left),
                    text: String::with_capacity(text_left),
                    width: Pt::ZERO,
                    strike: ts.strike,
                    link: link_index,
                    note: ts.note,
                    level,
                    lang: ts.lang.clone(),
                });
                let f = engine.fonts.face(face);
                line.ascent = line
                    .ascent
                    .max(Pt(f.ascender * size + ts.rise * style.size.0));
                line.descent = line.descent.max(Pt(f.descender * size));
            }
        }
        let run = open.as_mut().expect("a run is open");
        let run_text_base = run.text.len() as u32;
        if let Some(set_width) = advance_override {
            // A space: one space glyph whose advance makes the gap exact.
            let space_glyph = engine.fonts.face(face).glyph(' ').unwrap_or(0);
            run.text.push(' ');
            (glyphs_left, text_left) = (glyphs_left.saturating_sub(1), text_left.saturating_sub(1));
            run.glyphs.push(SetGlyph {
                id: space_glyph,
                advance: Pt(set_width / scale),
                dx: Pt::ZERO,
                dy: Pt::ZERO,
                text: run_text_base..run_text_base + 1,
            });
            x += set_width;
            run.width += Pt(set_width);
        } else if let Some(range) = glyph_range {
            let slice = &p.glyphs[range];
            run.text.push_str(&p.text[text_range.clone()]);
            glyphs_left = glyphs_left.saturating_sub(slice.len());
            text_left = text_left.saturating_sub(text_range.len());
            let text_end = run.text.len() as u32;
            for (k, g) in slice.iter().enumerate() {
                let cluster_start =
                    g.cluster.saturating_sub(text_range.start as u32) + run_text_base;
                let next_cluster = slice[k + 1..]
                    .iter()
                    .map(|n| n.cluster.saturating_sub(text_range.start as u32) + run_text_base)
                    .find(|&c| c > cluster_start)
                    .unwrap_or(text_end);
                let spaced = track > 0.0 && is_spaced(p, style, i, k, end);
                let advance = g.advance * size + if spaced { track / scale } else { 0.0 };
                run.glyphs.push(SetGlyph {
                    id: g.id,
                    advance: Pt(advance),
                    dx: Pt(g.dx * size),
                    dy: Pt(g.dy * size),
                    text: cluster_start.min(text_end)
                        ..next_cluster.max(cluster_start).min(text_end),
                });
                x += advance * scale;
            }
            run.width = Pt(x) - run.x;
        } else if let Some((glyph, advance)) = mark {
            // The hyphen (or code's continuation mark) added at a break,
            // written as a soft hyphen: text taken from the page joins the
            // two parts.
            run.text.push('\u{00AD}');
            (glyphs_left, text_left) = (
                glyphs_left.saturating_sub(1),
                text_left.saturating_sub(SOFT_HYPHEN_BYTES),
            );
            run.glyphs.push(SetGlyph {
                id: glyph,
                advance: Pt(advance * size),
                dx: Pt::ZERO,
                dy: Pt::ZERO,
                text: run_text_base..run.text.len() as u32,
            });
            x += advance * size * scale;
            run.width = Pt(x) - run.x;
        }
    }
    close(&mut open, &mut line);
    if let Some((x0, url)) = link.take() {
        line.links.push((Pt(x0), Pt(x), url));
    }
    bidi::reorder(&mut line);
    // Trailing spaces never end a line; drop a final space glyph if any.
    let natural_width = x + hang_left;
    let rtl = p.levels.as_ref().is_some_and(|l| l.rtl);
    let shift = match style.align {
        Align::Center => (style.width.0 - natural_width) / 2.0,
        Align::Right => style.width.0 - natural_width,
        // A right-to-left paragraph's lines start at the right: the indent
        // is there, the first character hangs past the right edge and the
        // last past the left, and ragged and last lines sit right.
        Align::Justify | Align::Left if rtl => line
            .runs
            .iter()
            .map(|r| (r.x + r.width).0)
            .reduce(f32::max)
            .map_or(0.0, |right| style.width.0 + hang_left - indent - right),
        Align::Justify | Align::Left => 0.0,
    };
    if shift != 0.0 {
        for run in &mut line.runs {
            run.x += Pt(shift);
        }
        for link in &mut line.links {
            link.0 += Pt(shift);
            link.1 += Pt(shift);
        }
    }
    line
}

/// Bytes of the soft hyphen that stands in a run's text for a hyphen added
/// at a break.
const SOFT_HYPHEN_BYTES: usize = '\u{00AD}'.len_utf8();

/// How many glyphs and text bytes the runs of the line `from..=end` hold
/// in all: the glyphs and text of its words, a glyph and a byte for each
/// space, and the mark its break adds.
fn line_size(p: &Prepared, from: usize, end: usize) -> (usize, usize) {
    let (mut glyphs, mut bytes) = (0, 0);
    for content in &p.content[from..end] {
        match content {
            Content::Glyphs {
                glyphs: g, text, ..
            } => {
                glyphs += g.len();
                bytes += text.len();
            }
            Content::Space { .. } => (glyphs, bytes) = (glyphs + 1, bytes + 1),
            Content::Hyphen { .. } | Content::Nothing => {}
        }
    }
    if let Some(Content::Hyphen { .. }) = p.content.get(end) {
        (glyphs, bytes) = (glyphs + 1, bytes + SOFT_HYPHEN_BYTES);
    }
    (glyphs, bytes)
}

/// Splits a line's excess width between font expansion and glue: the
/// boxes' scale factor and the glue's ratio.
fn distribute(excess: f32, glyphs: f32, flex: (f32, f32), stretch: f32, shrink: f32) -> (f32, f32) {
    // Glyphs take the adjustment first, up to the expansion limit, so that
    // word spaces stay as close to natural as the line allows; the glue
    // takes the rest.
    let by_glyphs = excess.clamp(-flex.1, flex.0);
    let rest = excess - by_glyphs;
    let scale = 1.0 + by_glyphs / glyphs.max(1e-6);
    let glue_ratio = if rest > 0.0 && stretch > 0.0 {
        rest / stretch
    } else if rest < 0.0 && shrink > 0.0 {
        (rest / shrink).max(-1.0)
    } else {
        0.0
    };
    (scale, glue_ratio)
}

/// Hangs at the two ends of the line `from..end`.
fn line_hangs(p: &Prepared, style: &ParaStyle, from: usize, end: usize, first: bool) -> (f32, f32) {
    if !style.protrusion {
        return (0.0, 0.0);
    }
    let left = if first {
        p.first_hang
    } else {
        // The break before this line carries the hang of its first character.
        (0..from)
            .rev()
            .find_map(|i| match p.items[i] {
                Item::Glue { hang_after, .. } | Item::Penalty { hang_after, .. } => {
                    Some(hang_after)
                }
                Item::Box { .. } => None,
            })
            .unwrap_or(0.0)
    };
    let right = match p.items[end] {
        Item::Glue { hang_before, .. } => hang_before,
        Item::Penalty {
            hang_before, cost, ..
        } if cost > FORCED => hang_before,
        _ => 0.0,
    };
    (left, right)
}

fn text_start_of(p: &Prepared, from: usize) -> usize {
    p.content[from..]
        .iter()
        .find_map(|c| match c {
            Content::Glyphs { text, .. } | Content::Space { text, .. } => Some(text.start),
            _ => None,
        })
        .unwrap_or(p.text.len())
}
