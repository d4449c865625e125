//! Flattened text to the breaker's items: glue for spaces, boxes for the
//! pieces of words between their break opportunities, penalties at those
//! opportunities; and, in parallel, what each item stands for.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use crate::layout::Engine;
use crate::layout::bidi::Levels;
use crate::layout::fonts::{FaceId, Role};
use crate::layout::linebreak::{FILL, FORCED, Item, NEVER, Pass};
use crate::layout::shape::{Glyph, Word};
use crate::units::Pt;

use super::flatten::{Flat, TextStyle, size_of, style_at};
use super::protrusion::{first_visible_char, hang, left_hang, right_hang};
use super::ties::{counts_a_number, tie_penalty};
use super::tracking::Letters;
use super::word_breaks::{
    HYPHEN_PENALTY, Opportunity, add_last_resort_breaks, code_span_breaks, defer_final_fragments,
    defer_hyphens, ends_paragraph, explicit_breaks, hyphenation_points, is_hyphen_like,
    keep_code_span_breaks, long_code_span_breaks, mark_code_breaks,
};
use super::words::{Mark, WordStyle};
use super::{Align, ParaStyle};

/// What a box or glue stands for when the line is set.
#[derive(Clone, Debug)]
pub(super) enum Content {
    Glyphs {
        face: FaceId,
        style: usize,
        glyphs: Range<usize>,
        text: Range<usize>,
    },
    Space {
        face: FaceId,
        style: usize,
        text: Range<usize>,
    },
    /// The mark a break adds: a hyphen, or in code a continuation mark.
    Hyphen {
        face: FaceId,
        style: usize,
        /// Glyph id and advance in ems.
        glyph: (u32, f32),
    },
    Nothing,
}

/// Items for the breaker and, in parallel, what each stands for.
pub(super) struct Prepared {
    pub(super) items: Vec<Item>,
    pub(super) content: Vec<Content>,
    pub(super) glyphs: Vec<Glyph>,
    pub(super) styles: Vec<TextStyle>,
    pub(super) text: String,
    pub(super) first_hang: f32,
    /// Bidi levels, for text with right-to-left characters.
    pub(super) levels: Option<Levels>,
    /// The widest word, in points, when no word has the breaks of a word
    /// too long for a line; `None` when one has (see [`Prepared::serves_width`]).
    pub(super) widest_word: Option<f32>,
    /// Its letters, for the letter-spacing a line may take: counted when
    /// first asked for, once for every width and looseness it is broken at.
    pub(super) letters: OnceCell<Letters>,
    /// The measure it was prepared at, and the widths of its spans of code
    /// with spaces inside, whose spaces are tied or not by that measure
    /// (see [`keeps_code_whole`]).
    measure: f32,
    code_spans: Vec<f32>,
    /// The penalties before spaces that are no sense breaks, with what a
    /// display line ending at each costs, by item index (see
    /// [`super::sense::mark_breaks_without_sense`]); empty until marked.
    pub(super) no_sense: Vec<(usize, f32)>,
}

/// Smallest word width (in ems) that gets last-resort breaks at every character.
const LONG_WORD_EMS: f32 = 12.0;

/// How much an interword space may stretch, as a share of its width.
const SPACE_STRETCH: f32 = 0.45;

/// How much an interword space may shrink, as a share of its width.
const SPACE_SHRINK: f32 = 0.36;

/// What a line ends with when a word of code goes on in the next.
pub(super) const CONTINUATION_MARK: char = '\u{21B5}';

/// Builds the breaker's items from flattened text.
pub(super) fn prepare(engine: &mut Engine<'_>, flat: &Flat, style: &ParaStyle) -> Prepared {
    // About a box and a glue for every six bytes of text, a glyph a byte.
    let items = flat.text.len() / 3 + 8;
    let mut p = Prepared {
        items: Vec::with_capacity(items),
        content: Vec::with_capacity(items),
        glyphs: Vec::with_capacity(flat.text.len()),
        styles: Vec::with_capacity(flat.spans.len()),
        text: flat.text.clone(),
        first_hang: 0.0,
        levels: Levels::of(&flat.text),
        widest_word: Some(0.0),
        letters: OnceCell::new(),
        measure: style.width.0,
        code_spans: Vec::new(),
        no_sense: Vec::new(),
    };
    if style.indent > Pt::ZERO {
        p.items.push(Item::Box {
            width: style.indent.0,
            stretch: 0.0,
            shrink: 0.0,
        });
        p.content.push(Content::Nothing);
    }
    for (range, text_style) in &flat.spans {
        p.styles.push(text_style.clone());
        let _ = range;
    }
    // The engine's word cache table for each span's words; none for
    // text with right-to-left characters, whose words are shaped by level.
    let tables: Vec<Option<usize>> = flat
        .spans
        .iter()
        .map(|(_, text_style)| {
            p.levels.is_none().then(|| {
                let words = WordStyle::of(engine, style, text_style);
                engine.word_items.table(words)
            })
        })
        .collect();
    let kept_code = kept_code_spans(engine, &mut p, flat, style);
    let any_kept_code = kept_code.iter().any(Option::is_some);
    let text = flat.text.as_str();
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ' || c == '\t';
        let newline = c == '\n';
        if space || newline {
            if let Some(start) = word_start.take() {
                push_word(engine, &mut p, flat, style, &tables, start..i);
            }
            let in_kept_code = any_kept_code
                && kept_code[style_at(flat, i)]
                    .as_ref()
                    .is_some_and(|inside| inside.contains(&i));
            if newline {
                push_line_break(&mut p);
            } else if in_kept_code {
                // A space of code is a character of its grid: it neither
                // breaks nor stretches.
                push_fixed_space(engine, &mut p, flat, style, i..i + 1);
            } else if !matches!(p.items.last(), Some(Item::Glue { .. }) | None) {
                if let Some(tie) = tie_penalty(text, i) {
                    p.items.push(tie);
                    p.content.push(Content::Nothing);
                }
                push_space(engine, &mut p, flat, style, i..i + 1);
            }
        } else if c == '\u{00A0}' {
            if let Some(start) = word_start.take() {
                push_word(engine, &mut p, flat, style, &tables, start..i);
            }
            if at_line_start(&p) {
                // A line of code keeps its indentation: spaces before its
                // first word are fixed, where glue would be dropped.
                push_fixed_space(engine, &mut p, flat, style, i..i + c.len_utf8());
                continue;
            }
            p.items.push(Item::penalty(NEVER, Pass::First));
            p.content.push(Content::Nothing);
            push_space(engine, &mut p, flat, style, i..i + c.len_utf8());
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        push_word(engine, &mut p, flat, style, &tables, start..text.len());
    }
    // The paragraph ends as a hard line break does.
    push_line_break(&mut p);
    p.first_hang = if style.protrusion && style.indent == Pt::ZERO {
        first_visible_char(&flat.text).map_or(0.0, |c| hang(engine, style, c, left_hang))
    } else {
        0.0
    };
    p
}

impl Prepared {
    /// True when this paragraph, prepared at one measure, is what
    /// [`prepare`] makes of it at `width` too: only a word too long for a
    /// line has breaks that depend on the measure.
    pub(super) fn serves_width(&self, width: Pt) -> bool {
        self.widest_word
            .is_some_and(|widest| !too_wide(widest, width.0))
            && self.code_spans.iter().all(|&code| {
                keeps_code_whole(code, self.measure) == keeps_code_whole(code, width.0)
            })
    }
}

/// Share of the measure up to which a span of code in running text keeps
/// its spaces tied, as a date's are ("align = "ragged"", "iskra serve"):
/// a reader types it as one, and the line breaks before or after it. A
/// longer one (a whole front-matter line, or any span in a narrow table
/// column) would leave too much of a line unbreakable, and breaks at its
/// spaces. At the book's measure 0.4 keeps up to 22 characters of code.
const KEPT_CODE_SHARE: f32 = 0.4;

/// True when a span of code `width` points wide keeps its spaces tied on
/// a line `measure` points wide.
fn keeps_code_whole(width: f32, measure: f32) -> bool {
    width <= measure * KEPT_CODE_SHARE
}

/// For each span of `flat`, the bytes between its first and last
/// character when it is code in running text short enough to be kept on
/// one line (see [`keeps_code_whole`]): a space there does not break.
/// Notes the width of every span of code with spaces inside in `p`.
fn kept_code_spans(
    engine: &Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
) -> Vec<Option<Range<usize>>> {
    let mut kept = vec![None; flat.spans.len()];
    if style.role == Role::Mono {
        return kept; // a code block breaks at its spaces
    }
    let face = engine.fonts.role(Role::Mono);
    for (s, (range, text_style)) in flat.spans.iter().enumerate() {
        if text_style.role != Role::Mono {
            continue;
        }
        let code = &flat.text[range.clone()];
        let inner = code.trim_matches(' ');
        if !inner.contains(' ') {
            continue;
        }
        // Monospace: every character is as wide as a space.
        let cell = engine.fonts.face(face).space * size_of(style, text_style);
        let width = cell * inner.chars().count() as f32;
        p.code_spans.push(width);
        if keeps_code_whole(width, style.width.0) {
            let start = range.start + (code.len() - code.trim_start_matches(' ').len());
            kept[s] = Some(start..start + inner.len());
        }
    }
    kept
}

/// True when a word `word_width` wide is too wide for a line `width` wide
/// to do without last-resort breaks.
fn too_wide(word_width: f32, width: f32) -> bool {
    word_width > width * 0.6
}

fn push_space(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    text: Range<usize>,
) {
    let s = style_at(flat, text.start);
    let text_style = &p.styles[s];
    let face = engine.fonts.role(text_style.role);
    let space = engine.fonts.face(face).space * size_of(style, text_style);
    let (stretch, shrink) = match style.align {
        Align::Justify => (space * SPACE_STRETCH, space * SPACE_SHRINK),
        Align::Left | Align::Right | Align::Center => (0.0, 0.0),
    };
    let hang_before = if style.protrusion {
        previous_hang(engine, p, style)
    } else {
        0.0
    };
    let hang_after = if style.protrusion {
        flat.text[text.end..]
            .chars()
            .next()
            .map_or(0.0, |c| hang(engine, style, c, left_hang))
    } else {
        0.0
    };
    p.items.push(Item::Glue {
        width: space,
        stretch,
        shrink,
        hang_before,
        hang_after,
    });
    p.content.push(Content::Space {
        face,
        style: s,
        text,
    });
}

/// True when nothing but spaces has been set since the paragraph's start
/// or its last hard line break.
fn at_line_start(p: &Prepared) -> bool {
    for (item, content) in p.items.iter().zip(&p.content).rev() {
        match (item, content) {
            (Item::Penalty { cost, .. }, _) if *cost <= FORCED => return true,
            (Item::Box { .. }, Content::Glyphs { .. }) => return false,
            _ => {}
        }
    }
    true
}

/// A space of the space's natural width that neither stretches, shrinks
/// nor breaks: indentation at the start of a line of code.
fn push_fixed_space(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    text: Range<usize>,
) {
    let s = style_at(flat, text.start);
    let face = engine.fonts.role(p.styles[s].role);
    let width = engine.fonts.face(face).space * size_of(style, &p.styles[s]);
    p.items.push(Item::Box {
        width,
        stretch: 0.0,
        shrink: 0.0,
    });
    p.content.push(Content::Space {
        face,
        style: s,
        text,
    });
}

/// A forced break: trailing glue dropped, then fill glue to end the line.
fn push_line_break(p: &mut Prepared) {
    while matches!(p.items.last(), Some(Item::Glue { .. })) {
        p.items.pop();
        p.content.pop();
    }
    p.items.push(Item::penalty(NEVER, Pass::First));
    p.content.push(Content::Nothing);
    p.items.push(Item::glue(0.0, FILL, 0.0));
    p.content.push(Content::Nothing);
    p.items.push(Item::penalty(FORCED, Pass::First));
    p.content.push(Content::Nothing);
}

/// How far the last character set so far may hang into the right margin.
fn previous_hang(engine: &mut Engine<'_>, p: &Prepared, style: &ParaStyle) -> f32 {
    let Some(Content::Glyphs { text, .. }) = p
        .content
        .iter()
        .rev()
        .find(|c| matches!(c, Content::Glyphs { .. }))
    else {
        return 0.0;
    };
    p.text[text.clone()]
        .chars()
        .last()
        .map_or(0.0, |c| hang(engine, style, c, right_hang))
}

/// Appends a word (text between spaces) as boxes and penalties. Soft
/// hyphens (U+00AD) in it are its only hyphenation points, as in TeX: a
/// break there prints a hyphen, and the soft hyphen itself prints nothing.
fn push_word(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    tables: &[Option<usize>],
    word: Range<usize>,
) {
    const SOFT_HYPHEN: char = '\u{00AD}';
    crate::cancel::checkpoint();
    let text = &flat.text[word.clone()];
    if !has_soft_hyphen(text) {
        // What the cache keeps depends on the word and its style only:
        // a rule that looks at the words around it adjusts what is pushed
        // here, after, or goes into the cache's key (`WordStyle`).
        let from = p.items.len();
        let s = style_at(flat, word.start);
        let table = tables[s].filter(|_| flat.spans[s].0.end >= word.end);
        match table {
            Some(table) => push_whole_word(engine, p, flat, style, table, word.clone()),
            None => {
                push_word_part(engine, p, flat, style, word.clone(), style.hyphenate);
            }
        }
        if counts_a_number(&flat.text, word.start) {
            defer_hyphens(&mut p.items[from..]);
        }
        if ends_paragraph(&flat.text, word.end) {
            defer_final_fragments(&mut p.items[from..], &p.content[from..], &flat.text);
        }
        return;
    }
    let mut from = word.start;
    for (at, _) in text.match_indices(SOFT_HYPHEN) {
        let at = word.start + at;
        if at > from {
            if matches!(p.content.last(), Some(Content::Glyphs { .. })) && from > word.start {
                push_soft_hyphen(engine, p, flat, style, from - SOFT_HYPHEN.len_utf8());
            }
            push_word_part(engine, p, flat, style, from..at, false);
        }
        from = at + SOFT_HYPHEN.len_utf8();
    }
    if from < word.end {
        if from > word.start && matches!(p.content.last(), Some(Content::Glyphs { .. })) {
            push_soft_hyphen(engine, p, flat, style, from - SOFT_HYPHEN.len_utf8());
        }
        push_word_part(engine, p, flat, style, from..word.end, false);
    }
}

/// True when `text` holds a soft hyphen (U+00AD). Its UTF-8 ends in the
/// byte 0xAD, which most words lack: a look for that byte alone is
/// cheaper for a short word than the search for the character.
fn has_soft_hyphen(text: &str) -> bool {
    text.bytes().any(|b| b == 0xAD) && text.contains('\u{00AD}')
}

/// Appends a word in one text style, without soft hyphens, as
/// [`push_word_part`] does: from the engine's word cache (table `table`)
/// when it holds the word, else made and kept there. A word too long for
/// a line at this measure, or with characters no face has (the shaper
/// notes those for the document), is made afresh.
fn push_whole_word(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    table: usize,
    word: Range<usize>,
) {
    let text = &flat.text[word.clone()];
    if let Some(known) = engine.word_items.get(table, text)
        && !is_long(known.width(), style)
    {
        known.append_to(p, word.start, style_at(flat, word.start));
        p.widest_word = p.widest_word.map(|widest| widest.max(known.width()));
        return;
    }
    let mark = Mark::of(p);
    let width = push_word_part(engine, p, flat, style, word.clone(), style.hyphenate);
    let missing = &engine.shaper.missing;
    let complete = missing.is_empty() || !text.chars().any(|c| missing.contains(&c));
    if complete && !is_long(width, style) {
        engine
            .word_items
            .insert(table, text, p, mark, word.start, width);
    }
}

/// A break at the soft hyphen at byte `at`: a hyphen is added when taken.
fn push_soft_hyphen(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    at: usize,
) {
    let s = style_at(flat, at);
    let ts = p.styles[s].clone();
    let face = engine.fonts.role(ts.role);
    let glyph = engine.fonts.face(face).hyphen;
    let hyphen_width = glyph.1 * size_of(style, &ts);
    let (hang_before, hang_after) = if style.protrusion {
        let next = flat.text[at..].chars().nth(1);
        (
            hang(engine, style, '-', right_hang),
            next.map_or(0.0, |c| hang(engine, style, c, left_hang)),
        )
    } else {
        (0.0, 0.0)
    };
    p.items.push(Item::Penalty {
        width: hyphen_width,
        cost: HYPHEN_PENALTY,
        flagged: true,
        pass: Pass::First,
        hang_before,
        hang_after,
    });
    p.content.push(Content::Hyphen {
        face,
        style: s,
        glyph,
    });
}

/// Appends a piece of a word as boxes and penalties: its breaks after
/// hyphens and dashes, and its hyphenation points when `patterns`. Gives
/// its width in points.
fn push_word_part(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    word: Range<usize>,
    patterns: bool,
) -> f32 {
    let text = &flat.text[word.clone()];
    let span_style = &p.styles[style_at(flat, word.start)];
    let code = span_style.role == Role::Mono;
    // A code block's line may go on in the next with a mark; code in
    // running text breaks as a URL does, with none.
    let code_span = code && style.role != Role::Mono;
    let mut opportunities = if code_span {
        code_span_breaks(text)
    } else {
        explicit_breaks(text, style.hyphen_min)
    };
    if patterns && !code {
        let tag = span_style.lang.as_deref().unwrap_or(&style.lang_tag);
        opportunities.extend(hyphenation_points(engine, tag, text, style.hyphen_min));
    }
    // Shape each style segment of the word whole, in the direction of its
    // bidi level: word-relative range, style index, glyphs.
    let mut segments: Vec<(Range<usize>, usize, Arc<Word>)> = Vec::new();
    let mut at = word.start;
    while at < word.end {
        let s = style_at(flat, at);
        let mut end = flat.spans[s].0.end.min(word.end);
        let mut rtl = false;
        if let Some(levels) = &p.levels {
            end = levels.run_end(at, end);
            rtl = levels.at(at) % 2 == 1;
        }
        let range = at - word.start..end - word.start;
        let lang = match &p.styles[s].lang {
            Some(tag) => engine.shaper.language(tag),
            None => style.lang,
        };
        let shaped = engine
            .shaper
            .word_in(p.styles[s].role, lang, &text[range.clone()], rtl);
        segments.push((range, s, shaped));
        at = end;
    }
    let word_width: f32 = segments
        .iter()
        .map(|(_, s, shaped)| shaped.width * size_of(style, &p.styles[*s]))
        .sum();
    let long = is_long(word_width, style);
    p.widest_word = p
        .widest_word
        .filter(|_| !long)
        .map(|widest| widest.max(word_width));
    if long {
        if code_span {
            opportunities.extend(long_code_span_breaks(text));
        }
        add_last_resort_breaks(&mut opportunities, text, word_width, style.width.0 * 0.4);
    }
    if code_span {
        keep_code_span_breaks(&mut opportunities, text);
    } else if code {
        mark_code_breaks(&mut opportunities, text);
    }
    opportunities.sort_by_key(|o| o.at);
    opportunities.dedup_by_key(|o| o.at);

    for (range, s, shaped) in segments {
        let ts = p.styles[s].clone();
        let size = size_of(style, &ts);
        for piece in &shaped.pieces {
            let piece_start = range.start + piece.start as usize;
            let piece_end = piece_start + piece_text_len(&shaped, piece, &text[range.clone()]);
            // Cut the piece's glyphs at each opportunity that is a cluster boundary.
            let mut glyph_from = 0;
            let mut text_from = piece_start;
            // The opportunities are sorted: find the piece's own by bisection,
            // and look for each cut's glyph only past the previous cut, so
            // that a word of n characters costs O(n), not O(n²).
            let first = opportunities.partition_point(|o| o.at <= piece_start);
            let last = opportunities.partition_point(|o| o.at < piece_end);
            for cut in &opportunities[first..last.max(first)] {
                let local = (cut.at - range.start) as u32;
                let Some(split) = piece.glyphs[glyph_from..]
                    .iter()
                    .position(|g| g.cluster >= local)
                    .map(|i| i + glyph_from)
                else {
                    continue;
                };
                if piece.glyphs[split].cluster != local || split <= glyph_from {
                    continue; // inside a ligature or cluster: no break here
                }
                push_glyphs(
                    p,
                    piece.face,
                    s,
                    &piece.glyphs[glyph_from..split],
                    size,
                    style,
                    word.start + text_from..word.start + cut.at,
                    range.start,
                    word.start,
                );
                push_opportunity(engine, p, cut, style, &ts, s, piece.face, word.start, text);
                glyph_from = split;
                text_from = cut.at;
            }
            push_glyphs(
                p,
                piece.face,
                s,
                &piece.glyphs[glyph_from..],
                size,
                style,
                word.start + text_from..word.start + piece_end,
                range.start,
                word.start,
            );
        }
    }
    word_width
}

/// True when a word `word_width` points wide is long enough for breaks
/// anywhere in it, as a last resort, in a paragraph in `style`.
fn is_long(word_width: f32, style: &ParaStyle) -> bool {
    word_width > LONG_WORD_EMS * style.size.0 || too_wide(word_width, style.width.0)
}

/// Byte length of a piece's text within its segment.
fn piece_text_len(shaped: &Word, piece: &crate::layout::shape::Piece, segment: &str) -> usize {
    let next = shaped
        .pieces
        .iter()
        .map(|q| q.start as usize)
        .filter(|&s| s > piece.start as usize)
        .min()
        .unwrap_or(segment.len());
    next - piece.start as usize
}

#[allow(clippy::too_many_arguments)]
fn push_glyphs(
    p: &mut Prepared,
    face: FaceId,
    style_index: usize,
    glyphs: &[Glyph],
    size: f32,
    style: &ParaStyle,
    text: Range<usize>,
    segment_start: usize,
    word_start: usize,
) {
    if glyphs.is_empty() {
        return;
    }
    let from = p.glyphs.len();
    // Clusters become offsets into the paragraph text.
    let base = (word_start + segment_start) as u32;
    p.glyphs.extend(glyphs.iter().map(|g| Glyph {
        cluster: g.cluster + base,
        ..*g
    }));
    let width: f32 = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
    let flex = width * style.expansion;
    p.items.push(Item::Box {
        width,
        stretch: flex,
        shrink: flex,
    });
    p.content.push(Content::Glyphs {
        face,
        style: style_index,
        glyphs: from..p.glyphs.len(),
        text,
    });
}

#[allow(clippy::too_many_arguments)]
fn push_opportunity(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    cut: &Opportunity,
    style: &ParaStyle,
    ts: &TextStyle,
    s: usize,
    face: FaceId,
    word_start: usize,
    word: &str,
) {
    let size = size_of(style, ts);
    let mark = if ts.role == Role::Mono {
        continuation_mark(engine, style, face)
    } else {
        engine.fonts.face(face).hyphen
    };
    let hyphen_width = if cut.hyphen { mark.1 * size } else { 0.0 };
    let before = word[..cut.at].chars().last();
    let after = word[cut.at..].chars().next();
    let (hang_before, hang_after) = if style.protrusion {
        let end = match (cut.hyphen, ts.role) {
            (true, Role::Mono) => 0.0, // the continuation mark stays inside
            (true, _) => hang(engine, style, '-', right_hang),
            (false, _) => before.map_or(0.0, |c| hang(engine, style, c, right_hang)),
        };
        (
            end,
            after.map_or(0.0, |c| hang(engine, style, c, left_hang)),
        )
    } else {
        (0.0, 0.0)
    };
    p.items.push(Item::Penalty {
        width: hyphen_width,
        cost: cut.cost,
        flagged: cut.hyphen || before.is_some_and(is_hyphen_like),
        pass: cut.pass,
        hang_before,
        hang_after,
    });
    p.content.push(if cut.hyphen {
        Content::Hyphen {
            face,
            style: s,
            glyph: mark,
        }
    } else {
        Content::Nothing
    });
    let _ = word_start;
}

/// The sign at the end of a line whose code goes on in the next (↵, as
/// editors show a wrapped line), with its advance in ems; a hyphen when the
/// code face has no such glyph.
pub(super) fn continuation_mark(
    engine: &mut Engine<'_>,
    style: &ParaStyle,
    face: FaceId,
) -> (u32, f32) {
    let mut buf = [0u8; 4];
    let shaped = engine.shaper.word(
        Role::Mono,
        style.lang,
        CONTINUATION_MARK.encode_utf8(&mut buf),
    );
    match shaped.pieces.as_slice() {
        [piece] if piece.face == face && piece.glyphs.len() == 1 && piece.glyphs[0].id != 0 => {
            (piece.glyphs[0].id, piece.width)
        }
        _ => engine.fonts.face(face).hyphen,
    }
}
