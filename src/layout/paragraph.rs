//! Paragraphs: inline content to Knuth–Plass items, items to set lines.
//!
//! Inline content is flattened into styled text; spaces become glue, words
//! become boxes, split wherever a line may break inside them (hyphenation
//! points, after explicit hyphens and dashes, inside URLs, and as a last
//! resort anywhere in a very long word). Words are shaped whole, so kerning
//! and ligatures survive a hyphenation point unless the point falls inside
//! a ligature, where no break is offered. The breaker picks the breaks;
//! each line is then set to the measure with its spaces and a font
//! expansion of at most a few percent, punctuation hanging into the margin.

use std::ops::Range;
use std::sync::Arc;

use crate::model::Inline;
use crate::units::Pt;

use unicode_script::{Script, UnicodeScript};

use super::Engine;
use super::bidi::{self, Levels};
use super::fonts::{FaceId, Role};
use super::hyphenate::HyphenMin;
use super::linebreak::{self, FILL, FORCED, Item, NEVER, Params, Pass};
use super::shape::{Glyph, LangId, Word};

/// How the lines of a paragraph are aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Flush left and right.
    Justify,
    /// Flush left, ragged right.
    Left,
    /// Flush right, ragged left (figures in tables).
    Right,
    /// Centred lines.
    Center,
}

/// How to set one paragraph.
#[derive(Clone, Debug)]
pub struct ParaStyle {
    /// Face of plain text.
    pub role: Role,
    /// Type size.
    pub size: Pt,
    /// Line width.
    pub width: Pt,
    /// Indent of the first line.
    pub indent: Pt,
    /// Alignment.
    pub align: Align,
    /// Break words with hyphens at line ends.
    pub hyphenate: bool,
    /// Fewest letters a hyphen leaves on each side.
    pub hyphen_min: HyphenMin,
    /// Language for shaping and hyphenation.
    pub lang: LangId,
    /// The language's BCP 47 tag.
    pub lang_tag: String,
    /// Let punctuation hang into the margins.
    pub protrusion: bool,
    /// Largest font expansion, as a fraction (0.02 = 2%).
    pub expansion: f32,
    /// Lines more than optimal (positive) or fewer; 0 for the best setting.
    pub looseness: i32,
}

/// A run of glyphs in one face, size and style, positioned on a line.
#[derive(Clone, Debug, PartialEq)]
pub struct SetRun {
    /// The face.
    pub face: FaceId,
    /// Type size.
    pub size: Pt,
    /// Left edge, from the start of the line.
    pub x: Pt,
    /// Baseline shift (positive raises, for note numbers).
    pub rise: Pt,
    /// Horizontal scale of the glyphs (font expansion), 1.0 = natural.
    pub h_scale: f32,
    /// Glyphs with advances in points (before `h_scale`).
    pub glyphs: Vec<SetGlyph>,
    /// The text the glyphs stand for.
    pub text: String,
    /// Width of the run after scaling.
    pub width: Pt,
    /// Draw a line through the run.
    pub strike: bool,
    /// The link the run belongs to (index into [`SetLine::links`]).
    pub link: Option<usize>,
    /// The footnote this run is the reference mark of.
    pub note: Option<usize>,
    /// Its bidi embedding level: odd reads right to left, and then its
    /// glyphs are in visual order once the line is set.
    pub level: u8,
    /// Its language, when marked apart from the paragraph's.
    pub lang: Option<String>,
}

/// One positioned glyph.
#[derive(Clone, Debug, PartialEq)]
pub struct SetGlyph {
    /// Glyph id.
    pub id: u32,
    /// Advance, in points at the run's size, before scaling.
    pub advance: Pt,
    /// Horizontal offset.
    pub dx: Pt,
    /// Vertical offset (up).
    pub dy: Pt,
    /// Byte range of the run's text the glyph stands for.
    pub text: Range<u32>,
}

/// A set line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetLine {
    /// Glyph runs, left to right.
    pub runs: Vec<SetRun>,
    /// Clickable areas: horizontal extent and target URL.
    pub links: Vec<(Pt, Pt, String)>,
    /// Footnotes referenced on this line (indices into the article's notes).
    pub notes: Vec<usize>,
    /// Byte offset in the paragraph text where the line starts.
    pub text_start: usize,
    /// The same place as a byte offset into [`crate::model::plain_text`]
    /// of the paragraph's content (which has no footnote marks), so that
    /// other outputs can find where the line starts.
    pub source_start: usize,
    /// True when the line ends with a hyphen added by hyphenation.
    pub hyphenated: bool,
    /// Largest ascent of its runs.
    pub ascent: Pt,
    /// Largest descent of its runs.
    pub descent: Pt,
}

/// A set paragraph and what the breaker thought of it.
#[derive(Clone, Debug, Default)]
pub struct SetParagraph {
    /// The lines.
    pub lines: Vec<SetLine>,
    /// Total demerits of the chosen breaks.
    pub demerits: f64,
}

/// How a piece of text is styled.
#[derive(Clone, Debug, PartialEq)]
struct TextStyle {
    role: Role,
    scale: f32,
    rise: f32,
    link: Option<String>,
    note: Option<usize>,
    strike: bool,
    lang: Option<String>,
}

/// Inline content flattened: the text and the style of each range.
struct Flat {
    text: String,
    spans: Vec<(Range<usize>, TextStyle)>,
}

/// What a box or glue stands for when the line is set.
#[derive(Clone, Debug)]
enum Content {
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
struct Prepared {
    items: Vec<Item>,
    content: Vec<Content>,
    glyphs: Vec<Glyph>,
    styles: Vec<TextStyle>,
    text: String,
    first_hang: f32,
    /// Bidi levels, for text with right-to-left characters.
    levels: Option<Levels>,
}

/// Smallest word width (in ems) that gets last-resort breaks at every character.
const LONG_WORD_EMS: f32 = 12.0;
/// Cost of a hyphen (TeX's \hyphenpenalty). Higher than TeX's 50: with
/// font expansion taking the first part of every adjustment, a hyphen is
/// worth it only where spacing would otherwise suffer; on the anchors' text
/// (anchors-quality.md) this gives 4.4% hyphenated lines with a gap
/// deviation of 0.028 em, against 50's 9% and 100's 6.7%.
const HYPHEN_PENALTY: f32 = 200.0;
/// Cost of a hyphen in a capitalised word (a name, mostly), offered only
/// in the emergency passes: taken only where every setting without one
/// leaves a line looser than [`NAME_TOLERANCE`] (a loose line).
const CAPITALISED_PENALTY: f32 = 1000.0;
/// How much an interword space may stretch, as a share of its width.
const SPACE_STRETCH: f32 = 0.45;
/// How much an interword space may shrink, as a share of its width.
const SPACE_SHRINK: f32 = 0.36;
/// Largest badness a line may take when a paragraph is set a line longer or
/// shorter to fill a page (TeX's default tolerance is 200).
const LOOSENESS_TOLERANCE: f32 = 1000.0;
/// Largest badness of the emergency pass before any line is accepted.
const EMERGENCY_TOLERANCE: f32 = 3000.0;
/// Largest badness a line may take rather than break a name: spaces up to
/// about 2.5 times their width (0.55 em in the built-in face), short of
/// the 0.6 em where pdf-report calls a line loose.
const NAME_TOLERANCE: f32 = 5000.0;
/// Cost of a break after an explicit hyphen or dash.
const EXPLICIT_PENALTY: f32 = 50.0;
/// Cost of a break inside a URL.
const URL_PENALTY: f32 = 100.0;
/// Cost of a break inside a word of code (not at its spaces): that of a
/// hyphen, which it is as visible as.
const CODE_BREAK_PENALTY: f32 = HYPHEN_PENALTY;
/// What a line ends with when a word of code goes on in the next.
const CONTINUATION_MARK: char = '\u{21B5}';
/// Cost of a last-resort break inside a word.
const EMERGENCY_PENALTY: f32 = 5000.0;

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
fn tie_last_two_words(content: &[Inline]) -> Option<Vec<Inline>> {
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
fn balance(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> (SetParagraph, Pt) {
    let full = set_paragraph(engine, content, style, note_label);
    let lines = full.lines.len();
    let mut best = (full, style.width);
    if lines < 2 {
        return best;
    }
    let (mut narrow, mut wide) = (style.width * 0.5, style.width);
    for _ in 0..BALANCE_STEPS {
        let width = (narrow + wide) * 0.5;
        let trial_style = ParaStyle {
            width,
            ..style.clone()
        };
        let trial = set_paragraph(engine, content, &trial_style, note_label);
        if trial.lines.len() == lines {
            wide = width;
            best = (trial, width);
        } else {
            narrow = width;
        }
    }
    best
}

/// Halvings in the search for a balanced measure: within 1/256 of it.
const BALANCE_STEPS: usize = 8;

/// Sets `content` in `style`. `note_label` gives the printed mark of a
/// footnote reference.
pub fn set_paragraph(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> SetParagraph {
    let flat = flatten(content, style.role, note_label);
    let prepared = prepare(engine, &flat, style);
    set_prepared(engine, &flat, &prepared, style)
}

/// Sets `content` as [`set_paragraph`] does, or gives `None` when its
/// unbroken width is more than the measure: a table measures a cell's
/// natural width on a line as long as any table could be, and breaking a
/// cell wider than that would keep one active breakpoint per character of
/// such a line.
pub fn set_paragraph_within(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> Option<SetParagraph> {
    let flat = flatten(content, style.role, note_label);
    let prepared = prepare(engine, &flat, style);
    let unbroken: f32 = prepared
        .items
        .iter()
        .map(|item| match *item {
            Item::Box { width, .. } | Item::Glue { width, .. } => width,
            Item::Penalty { .. } => 0.0,
        })
        .sum();
    (unbroken <= style.width.0).then(|| set_prepared(engine, &flat, &prepared, style))
}

fn set_prepared(
    engine: &mut Engine<'_>,
    flat: &Flat,
    prepared: &Prepared,
    style: &ParaStyle,
) -> SetParagraph {
    let solution = choose_breaks(prepared, style);
    let mut lines = Vec::with_capacity(solution.breaks.len());
    let mut start = 0;
    for (n, &end) in solution.breaks.iter().enumerate() {
        let last = n + 1 == solution.breaks.len();
        let mut line = set_line(engine, prepared, style, start, end, last, n == 0);
        line.source_start = source_offset(flat, line.text_start);
        lines.push(line);
        start = end + 1;
    }
    SetParagraph {
        lines,
        demerits: solution.demerits,
    }
}

/// Runs the passes: no hyphenation, hyphenation, emergency. With a
/// looseness, finds the best setting `looseness` lines longer or shorter
/// than the optimum, within a wider tolerance, or else keeps the optimum.
fn choose_breaks(prepared: &Prepared, style: &ParaStyle) -> linebreak::Solution {
    let width = style.width.0;
    let em = style.size.0;
    let ragged = style.align != Align::Justify;
    let base = Params {
        first_hang: prepared.first_hang,
        background_stretch: if ragged { 3.0 * em } else { 0.0 },
        ..Params::default()
    };
    let mut passes = vec![Params {
        tolerance: 100.0,
        pass: Pass::First,
        ..base.clone()
    }];
    if style.hyphenate {
        passes.push(Params {
            tolerance: 200.0,
            pass: Pass::Hyphenate,
            ..base.clone()
        });
        // A name is broken only when nothing else avoids a loose line:
        // first every setting without one whose spaces stay short of loose.
        passes.push(Params {
            tolerance: NAME_TOLERANCE,
            pass: Pass::Hyphenate,
            ..base.clone()
        });
    }
    // The last passes break inside long words and URLs, first within a
    // wider tolerance, then taking any line, with extra stretch in every
    // line (a line of one unbreakable piece cannot stretch otherwise).
    passes.push(Params {
        tolerance: EMERGENCY_TOLERANCE,
        pass: Pass::Emergency,
        ..base.clone()
    });
    passes.push(Params {
        tolerance: f32::INFINITY,
        pass: Pass::Emergency,
        background_stretch: base.background_stretch + 1.5 * em,
        ..base.clone()
    });
    let optimum = passes
        .iter()
        .find_map(|params| linebreak::break_lines(&prepared.items, &[width], params))
        // The emergency pass breaks anywhere, so only a single glyph wider
        // than the measure can get here; set everything on one line.
        .unwrap_or_else(|| linebreak::Solution {
            breaks: vec![prepared.items.len() - 1],
            ratios: vec![0.0],
            demerits: f64::INFINITY,
        });
    if style.looseness == 0 {
        return optimum;
    }
    let wanted = optimum.lines() as i64 + i64::from(style.looseness);
    let loose = Params {
        tolerance: LOOSENESS_TOLERANCE,
        pass: if style.hyphenate {
            Pass::Hyphenate
        } else {
            Pass::First
        },
        looseness: style.looseness,
        ..base
    };
    linebreak::break_lines(&prepared.items, &[width], &loose)
        .filter(|solution| solution.lines() as i64 == wanted)
        .unwrap_or(optimum)
}

/// Flattens inline content into text and styled ranges.
fn flatten(content: &[Inline], role: Role, note_label: &dyn Fn(usize) -> String) -> Flat {
    let mut flat = Flat {
        text: String::new(),
        spans: Vec::new(),
    };
    let style = TextStyle {
        role,
        scale: 1.0,
        rise: 0.0,
        link: None,
        note: None,
        strike: false,
        lang: None,
    };
    flatten_into(content, &style, note_label, &mut flat);
    flat
}

fn flatten_into(
    content: &[Inline],
    style: &TextStyle,
    note_label: &dyn Fn(usize) -> String,
    flat: &mut Flat,
) {
    let push = |text: &str, style: TextStyle, flat: &mut Flat| {
        if text.is_empty() {
            return;
        }
        let start = flat.text.len();
        flat.text.push_str(text);
        match flat.spans.last_mut() {
            Some((range, last)) if *last == style && range.end == start => {
                range.end = flat.text.len()
            }
            _ => flat.spans.push((start..flat.text.len(), style)),
        }
    };
    for inline in content {
        match inline {
            Inline::Text(text) => push(text, style.clone(), flat),
            Inline::Code(code) => push(
                code,
                TextStyle {
                    role: Role::Mono,
                    ..style.clone()
                },
                flat,
            ),
            Inline::Emph(inner) => {
                let role = if style.role == Role::Italic || style.role == Role::BoldItalic {
                    // Emphasis inside italics is set upright.
                    if style.role == Role::BoldItalic {
                        Role::Bold
                    } else {
                        Role::Regular
                    }
                } else {
                    style.role.italic()
                };
                flatten_into(
                    inner,
                    &TextStyle {
                        role,
                        ..style.clone()
                    },
                    note_label,
                    flat,
                )
            }
            Inline::Strong(inner) => flatten_into(
                inner,
                &TextStyle {
                    role: style.role.bold(),
                    ..style.clone()
                },
                note_label,
                flat,
            ),
            Inline::Strike(inner) => flatten_into(
                inner,
                &TextStyle {
                    strike: true,
                    ..style.clone()
                },
                note_label,
                flat,
            ),
            Inline::Link { url, content } => flatten_into(
                content,
                &TextStyle {
                    link: Some(url.clone()),
                    ..style.clone()
                },
                note_label,
                flat,
            ),
            Inline::Lang { lang, content } => flatten_into(
                content,
                &TextStyle {
                    lang: Some(lang.clone()),
                    ..style.clone()
                },
                note_label,
                flat,
            ),
            Inline::NoteRef(index) => push(
                &note_label(*index),
                TextStyle {
                    scale: 0.65,
                    rise: 0.38,
                    note: Some(*index),
                    link: None,
                    ..style.clone()
                },
                flat,
            ),
            Inline::Break => push("\n", style.clone(), flat),
        }
    }
}

/// Builds the breaker's items from flattened text.
fn prepare(engine: &mut Engine<'_>, flat: &Flat, style: &ParaStyle) -> Prepared {
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
    let text = flat.text.as_str();
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ' || c == '\t';
        let newline = c == '\n';
        if space || newline {
            if let Some(start) = word_start.take() {
                push_word(engine, &mut p, flat, style, start..i);
            }
            if newline {
                push_line_break(&mut p);
            } else if !matches!(p.items.last(), Some(Item::Glue { .. }) | None) {
                if ties_a_number(text, i) {
                    p.items.push(Item::penalty(NEVER, Pass::First));
                    p.content.push(Content::Nothing);
                }
                push_space(engine, &mut p, flat, style, i..i + 1);
            }
        } else if c == '\u{00A0}' {
            if let Some(start) = word_start.take() {
                push_word(engine, &mut p, flat, style, start..i);
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
        push_word(engine, &mut p, flat, style, start..text.len());
    }
    // Trailing glue is dropped; then the paragraph's end.
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
    p.first_hang = if style.protrusion && style.indent == Pt::ZERO {
        first_visible_char(&flat.text).map_or(0.0, |c| hang(engine, style, c, left_hang))
    } else {
        0.0
    };
    p
}

/// True when the space at byte `at` stands between a word and a short
/// number ("Part 100", "October 1917", "page 5"), which a line never parts
/// (TeX users tie them with `~`).
fn ties_a_number(text: &str, at: usize) -> bool {
    let after_word = text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic);
    let next = text[at + 1..]
        .split([' ', '\t', '\n', '\u{00A0}'])
        .next()
        .unwrap_or("");
    let digits = next.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &next[digits..];
    after_word && (1..=4).contains(&digits) && rest.chars().all(|c| ".,;:!?)]’”'\"".contains(c))
}

/// The index of the style span covering byte `at`.
fn style_at(flat: &Flat, at: usize) -> usize {
    flat.spans
        .partition_point(|(range, _)| range.end <= at)
        .min(flat.spans.len().saturating_sub(1))
}

fn size_of(style: &ParaStyle, text_style: &TextStyle) -> f32 {
    style.size.0 * text_style.scale
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

/// A break opportunity inside a word: its byte offset in the word, its
/// cost, whether taking it adds a hyphen, and the first pass that may.
struct Opportunity {
    at: usize,
    cost: f32,
    hyphen: bool,
    pass: Pass,
}

/// Appends a word (text between spaces) as boxes and penalties. Soft
/// hyphens (U+00AD) in it are its only hyphenation points, as in TeX: a
/// break there prints a hyphen, and the soft hyphen itself prints nothing.
fn push_word(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    word: Range<usize>,
) {
    const SOFT_HYPHEN: char = '\u{00AD}';
    crate::cancel::checkpoint();
    let text = &flat.text[word.clone()];
    if !text.contains(SOFT_HYPHEN) {
        push_word_part(engine, p, flat, style, word, style.hyphenate);
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
/// hyphens and dashes, and its hyphenation points when `patterns`.
fn push_word_part(
    engine: &mut Engine<'_>,
    p: &mut Prepared,
    flat: &Flat,
    style: &ParaStyle,
    word: Range<usize>,
    patterns: bool,
) {
    let text = &flat.text[word.clone()];
    let mut opportunities = explicit_breaks(text, style.hyphen_min);
    let span_style = &p.styles[style_at(flat, word.start)];
    let span_lang = span_style.lang.clone();
    let code = span_style.role == Role::Mono;
    if patterns && !code {
        let tag = span_lang.as_deref().unwrap_or(&style.lang_tag);
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
    if word_width > LONG_WORD_EMS * style.size.0 || word_width > style.width.0 * 0.6 {
        add_last_resort_breaks(&mut opportunities, text, word_width, style.width.0 * 0.4);
    }
    if code {
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
}

/// Adds a break at every character of the stretches of `word` (between
/// its other break opportunities) that are wider than `longest`, so that no
/// line need ever be wider than the measure; a word's breaks get a hyphen,
/// a URL's do not.
fn add_last_resort_breaks(
    opportunities: &mut Vec<Opportunity>,
    word: &str,
    width: f32,
    longest: f32,
) {
    let chars = word.chars().count().max(1);
    let per_char = width / chars as f32;
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let hyphen = letters * 2 > chars && !looks_like_url(word);
    let mut bounds: Vec<usize> = opportunities.iter().map(|o| o.at).collect();
    bounds.push(0);
    bounds.push(word.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut extra = Vec::new();
    for pair in bounds.windows(2) {
        let stretch = &word[pair[0]..pair[1]];
        if stretch.chars().count() as f32 * per_char <= longest {
            continue;
        }
        for (i, _) in stretch.char_indices().skip(1) {
            extra.push(Opportunity {
                at: pair[0] + i,
                cost: EMERGENCY_PENALTY,
                hyphen,
                pass: Pass::Emergency,
            });
        }
    }
    opportunities.extend(extra);
}

/// Byte length of a piece's text within its segment.
fn piece_text_len(
    shaped: &super::shape::Word,
    piece: &super::shape::Piece,
    segment: &str,
) -> usize {
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

fn is_hyphen_like(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Code breaks inside a word only where nothing else will do, and then
/// shows it: a reader must not take a line end for the end of a name or an
/// option, nor an added hyphen for part of it. So code gets no
/// hyphenation points, and each break left in it (after a hyphen or
/// slash, inside a URL, a last resort) leaves three characters or more on
/// each side, costs what a hyphen does, waits for the hyphenation pass and
/// prints [`CONTINUATION_MARK`].
fn mark_code_breaks(opportunities: &mut Vec<Opportunity>, word: &str) {
    let chars = word.chars().count();
    opportunities.retain(|o| {
        let before = word[..o.at].chars().count();
        before >= CODE_BREAK_MIN && chars - before >= CODE_BREAK_MIN
    });
    for o in opportunities {
        o.cost = o.cost.max(CODE_BREAK_PENALTY);
        o.pass = o.pass.max(Pass::Hyphenate);
        o.hyphen = true;
    }
}

/// Fewest characters a break inside a word of code leaves on either side.
const CODE_BREAK_MIN: usize = 3;

/// The sign at the end of a line whose code goes on in the next (↵, as
/// editors show a wrapped line), with its advance in ems; a hyphen when the
/// code face has no such glyph.
fn continuation_mark(engine: &mut Engine<'_>, style: &ParaStyle, face: FaceId) -> (u32, f32) {
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

/// Breaks allowed by the text itself: after hyphens and dashes (not before
/// a dash), and inside URLs after `/ . - ? & = _ #`.
fn explicit_breaks(word: &str, min: HyphenMin) -> Vec<Opportunity> {
    let mut out = Vec::new();
    let url = looks_like_url(word);
    if !url && is_plain_word(word) {
        return out;
    }
    for (at, _) in unicode_linebreak::linebreaks(word) {
        if at == 0 || at >= word.len() {
            continue;
        }
        let before = word[..at].chars().last().unwrap_or(' ');
        let next = word[at..].chars().next().unwrap_or(' ');
        if matches!(next, '—' | '–') {
            continue; // a line never starts with a dash
        }
        // An explicit hyphen keeps the hyphenation minimums too, and one
        // that ends a capitalised word (a name) is a last resort.
        let left: Vec<char> = word[..at]
            .chars()
            .rev()
            .skip(1)
            .take_while(|c| c.is_alphabetic())
            .collect();
        let right = word[at..].chars().take_while(|c| c.is_alphabetic()).count();
        let hyphen = is_hyphen_like(before);
        if hyphen && (left.len() < min.left || right < min.right) {
            continue;
        }
        let name = hyphen && left.last().is_some_and(|c| c.is_uppercase());
        // Between ideographs a line breaks freely (CJK has no spaces).
        let cost = if is_ideographic(before) || is_ideographic(next) {
            0.0
        } else if name {
            CAPITALISED_PENALTY
        } else {
            EXPLICIT_PENALTY
        };
        out.push(Opportunity {
            at,
            cost,
            hyphen: false,
            pass: if name { Pass::Capitalised } else { Pass::First },
        });
    }
    if url {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        for window in chars.windows(2) {
            let (_, c) = window[0];
            let (next_at, next) = window[1];
            let after_separator = matches!(c, '/' | '.' | '-' | '?' | '&' | '=' | '_' | '#');
            if after_separator && next != '/' && !out.iter().any(|o| o.at == next_at) {
                out.push(Opportunity {
                    at: next_at,
                    cost: URL_PENALTY,
                    hyphen: false,
                    pass: Pass::First,
                });
            }
        }
    }
    out
}

/// True for the common word that Unicode line breaking cannot break
/// inside: ASCII letters and digits, and the stops that never allow a
/// break before a letter or digit (`, . : ;`); checked before running the
/// full algorithm on it.
fn is_plain_word(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b',' | b'.' | b':' | b';'))
}

fn looks_like_url(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.")
}

/// Characters of the scripts written without spaces between words, where
/// UAX #14 lets a line break between characters: CJK ideographs, kana,
/// Hangul and their punctuation.
fn is_ideographic(c: char) -> bool {
    !c.is_ascii()
        && (matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
            || matches!(
                c.script(),
                Script::Han
                    | Script::Hiragana
                    | Script::Katakana
                    | Script::Hangul
                    | Script::Bopomofo
            ))
}

/// Hyphenation points of each run of letters in the word, by the
/// patterns of `lang_tag`; those in a capitalised run (a name, mostly) are
/// left to the passes after the hyphenation pass.
fn hyphenation_points(
    engine: &mut Engine<'_>,
    lang_tag: &str,
    word: &str,
    min: HyphenMin,
) -> Vec<Opportunity> {
    engine
        .hyphenator
        .word_points(lang_tag, word, min)
        .into_iter()
        .map(|at| {
            let name = run_is_capitalised(word, at);
            Opportunity {
                at,
                cost: if name {
                    CAPITALISED_PENALTY
                } else {
                    HYPHEN_PENALTY
                },
                hyphen: true,
                pass: if name {
                    Pass::Capitalised
                } else {
                    Pass::Hyphenate
                },
            }
        })
        .collect()
}

/// True when the run of letters around byte `at` of `word` starts with a
/// capital.
fn run_is_capitalised(word: &str, at: usize) -> bool {
    word[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .last()
        .is_some_and(char::is_uppercase)
}

fn first_visible_char(text: &str) -> Option<char> {
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
fn hang(engine: &mut Engine<'_>, style: &ParaStyle, c: char, fraction: fn(char) -> f32) -> f32 {
    let f = fraction(c);
    if f == 0.0 {
        0.0
    } else {
        f * char_width(engine, style, c)
    }
}

/// Fraction of a character's width that may hang into the right margin
/// (after microtype's defaults).
fn right_hang(c: char) -> f32 {
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
fn left_hang(c: char) -> f32 {
    match c {
        '‘' | '\'' => 0.5,
        '“' | '"' => 0.35,
        '–' => 0.25,
        '—' => 0.15,
        '(' | '[' => 0.05,
        _ => 0.0,
    }
}

/// Sets the items `start..=end` as one line.
fn set_line(
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

    let mut line = SetLine {
        text_start: text_start_of(p, from),
        hyphenated: ends_with_hyphen,
        ..SetLine::default()
    };
    let mut x = -hang_left;
    let mut indent = 0.0f32;
    let mut open: Option<SetRun> = None;
    let mut link: Option<(f32, String)> = None;
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
                glyphs: Vec::new(),
                text: String::new(),
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
        let run = open.as_mut().expect("a run is open");
        let run_text_base = run.text.len() as u32;
        if let Some(set_width) = advance_override {
            // A space: one space glyph whose advance makes the gap exact.
            let space_glyph = engine.fonts.face(face).glyph(' ').unwrap_or(0);
            run.text.push(' ');
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
            let text_end = run.text.len() as u32;
            for (k, g) in slice.iter().enumerate() {
                let cluster_start =
                    g.cluster.saturating_sub(text_range.start as u32) + run_text_base;
                let next_cluster = slice[k + 1..]
                    .iter()
                    .map(|n| n.cluster.saturating_sub(text_range.start as u32) + run_text_base)
                    .find(|&c| c > cluster_start)
                    .unwrap_or(text_end);
                run.glyphs.push(SetGlyph {
                    id: g.id,
                    advance: Pt(g.advance * size),
                    dx: Pt(g.dx * size),
                    dy: Pt(g.dy * size),
                    text: cluster_start.min(text_end)
                        ..next_cluster.max(cluster_start).min(text_end),
                });
                x += g.advance * size * scale;
            }
            run.width = Pt(x) - run.x;
        } else if let Some((glyph, advance)) = mark {
            // The hyphen (or code's continuation mark) added at a break,
            // written as a soft hyphen: text taken from the page joins the
            // two parts.
            run.text.push('\u{00AD}');
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

/// The offset in the content's plain text of offset `at` in its flattened
/// text: footnote marks, which the plain text leaves out, do not count.
fn source_offset(flat: &Flat, at: usize) -> usize {
    let marks: usize = flat
        .spans
        .iter()
        .filter(|(range, style)| style.note.is_some() && range.end <= at)
        .map(|(range, _)| range.len())
        .sum();
    at.saturating_sub(marks)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;

    #[test]
    fn plain_words_have_no_break_inside_by_unicode_rules() {
        let words = [
            "Petrograd",
            "1917",
            "e.g.",
            "3.14",
            "10km",
            "workers,",
            "soviet;",
            "end.",
            "a:b",
            "x.y,z",
            "A1b2",
            "No.5",
            "1,000",
            "etc.:",
            "Lenin's",
        ];
        for word in words {
            let inner = unicode_linebreak::linebreaks(word)
                .filter(|&(at, _)| at > 0 && at < word.len())
                .count();
            if is_plain_word(word) {
                assert_eq!(inner, 0, "{word}");
            }
        }
        assert!(is_plain_word("workers,") && !is_plain_word("Lenin's"));
        assert!(!is_plain_word("self-made") && !is_plain_word("Ленин"));
    }

    fn style(engine: &mut Engine<'_>, width: f32) -> ParaStyle {
        ParaStyle {
            role: Role::Regular,
            size: Pt(10.5),
            width: Pt(width),
            indent: Pt::ZERO,
            align: Align::Justify,
            hyphenate: true,
            hyphen_min: HyphenMin::default(),
            lang: engine.shaper.language("en"),
            lang_tag: "en".into(),
            protrusion: true,
            expansion: 0.02,
            looseness: 0,
        }
    }

    fn text_of(line: &SetLine) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    fn right_edge(line: &SetLine) -> f32 {
        line.runs.last().map_or(0.0, |r| (r.x + r.width).0)
    }

    fn left_edge(line: &SetLine) -> f32 {
        line.runs.iter().map(|r| r.x.0).fold(f32::MAX, f32::min)
    }

    fn max_right_edge(line: &SetLine) -> f32 {
        line.runs
            .iter()
            .map(|r| (r.x + r.width).0)
            .fold(f32::MIN, f32::max)
    }

    #[test]
    fn a_right_to_left_paragraph_is_indented_and_hangs_on_the_right_side() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 160.0);
        style.indent = Pt(12.0);
        // Hebrew, its own full stops and commas: the first line is indented
        // at the right, where the lines start; the paragraph's last line
        // sits right and is ragged at the left.
        let text = "פועלי כל העולם, התאחדו. השביתה נמשכת והפועלים דורשים שכר הוגן. \
                    המורים, הנהגים והאחיות עומדים יחד מול ההנהלה, והציבור תומך בהם. \
                    אין לנו מה להפסיד מלבד השלשלאות.";
        let para = set_paragraph(&mut engine, &[Inline::Text(text.into())], &style, &|i| {
            (i + 1).to_string()
        });
        let lines = &para.lines;
        assert!(lines.len() >= 3, "{}", lines.len());
        let first = &lines[0];
        assert!(
            (max_right_edge(first) - (160.0 - 12.0)).abs() < 0.5,
            "the first line ends at {} (left {}): the indent is not at the right",
            max_right_edge(first),
            left_edge(first)
        );
        assert!(
            left_edge(first) > -3.0 && left_edge(first) < 1.0,
            "{}",
            left_edge(first)
        );
        for line in &lines[1..lines.len() - 1] {
            let (left, right) = (left_edge(line), max_right_edge(line));
            assert!((-4.0..=0.5).contains(&left), "a full line starts at {left}");
            assert!(
                (159.5..=164.0).contains(&right),
                "a full line ends at {right}"
            );
        }
        let last = lines.last().expect("a last line");
        assert!(
            left_edge(last) > 20.0,
            "the last line is ragged at the left"
        );
        assert!(
            (max_right_edge(last) - 160.0).abs() < 4.0,
            "{}",
            max_right_edge(last)
        );
        // A line that ends (at the left) with a full stop or comma lets it
        // hang into the left margin, as a left-to-right line does at the right.
        assert!(
            lines[..lines.len() - 1].iter().any(|l| left_edge(l) < -0.5),
            "no punctuation hangs at the left: {:?}",
            lines.iter().map(left_edge).collect::<Vec<_>>()
        );
    }

    const LENIN: &str = "The Bolshevik party that led the Russian Revolution in October 1917 had risked being left behind just a few months earlier in April. It would take a short, but very sharp, argument inside the party to put it back on course. The outcome of that argument would decide whether the revolution succeeded or was crushed.";

    #[test]
    fn justified_lines_fill_the_measure_and_keep_every_word() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 200.0);
        let para = set_paragraph(&mut engine, &[Inline::Text(LENIN.into())], &style, &|i| {
            (i + 1).to_string()
        });
        assert!(para.lines.len() >= 5);
        for line in &para.lines[..para.lines.len() - 1] {
            let edge = right_edge(line);
            assert!(
                (199.0..=206.0).contains(&edge),
                "line ends at {edge}: {}",
                text_of(line)
            );
        }
        let joined: String = para
            .lines
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
            .join(" ")
            .replace("\u{ad} ", "");
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&joined), words(LENIN));
    }

    #[test]
    fn no_line_is_wider_than_the_measure_even_with_a_monster_word() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 120.0);
        let text = "See https://example.org/2017/a-very-long-path/that-never-ends/and-keeps-going?with=query&more=yes and pneumonoultramicroscopicsilicovolcanoconiosisxxxxxxxxxxxxxxxxxxxx too.";
        let para = set_paragraph(&mut engine, &[Inline::Text(text.into())], &style, &|i| {
            (i + 1).to_string()
        });
        for line in &para.lines {
            let hang = 0.6 * 10.5 * 0.4; // at most a hanging hyphen or full stop
            assert!(
                right_edge(line) <= 120.0 + hang + 0.01,
                "overfull: {} ({})",
                text_of(line),
                right_edge(line)
            );
        }
    }

    #[test]
    fn hyphen_at_a_break_is_a_soft_hyphen_in_the_text() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 90.0);
        let text = "Revolutionary representatives internationally demonstrated extraordinary determination.";
        let para = set_paragraph(&mut engine, &[Inline::Text(text.into())], &style, &|i| {
            (i + 1).to_string()
        });
        assert!(
            para.lines
                .iter()
                .any(|l| l.hyphenated && text_of(l).ends_with('\u{ad}'))
        );
    }

    #[test]
    fn styles_links_and_notes_become_runs() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 300.0);
        let content = vec![
            Inline::Text("Plain ".into()),
            Inline::Emph(vec![Inline::Text("italic".into())]),
            Inline::Text(" and ".into()),
            Inline::Link {
                url: "https://example.org".into(),
                content: vec![Inline::Text("a link".into())],
            },
            Inline::NoteRef(0),
            Inline::Text(" end.".into()),
        ];
        let para = set_paragraph(&mut engine, &content, &style, &|i| (i + 1).to_string());
        let line = &para.lines[0];
        assert!(line.runs.len() >= 4);
        assert_eq!(line.notes, [0]);
        assert_eq!(line.links.len(), 1);
        assert!(line.runs.iter().any(|r| r.rise > Pt::ZERO && r.text == "1"));
    }

    #[test]
    fn a_line_ended_by_a_hard_break_keeps_natural_spaces() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 200.0);
        let content = [
            Inline::Text("Short line".into()),
            Inline::Break,
            Inline::Text(LENIN.into()),
        ];
        let para = set_paragraph(&mut engine, &content, &style, &|i| (i + 1).to_string());
        assert_eq!(text_of(&para.lines[0]), "Short line");
        let edge = right_edge(&para.lines[0]);
        assert!(
            edge < 80.0,
            "the short line is not stretched: it ends at {edge}"
        );
        let edge = right_edge(&para.lines[1]);
        assert!(
            (199.0..=206.0).contains(&edge),
            "the next line is justified: {edge}"
        );
    }

    #[test]
    fn ragged_right_keeps_natural_spaces() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 200.0);
        style.align = Align::Left;
        let para = set_paragraph(&mut engine, &[Inline::Text(LENIN.into())], &style, &|i| {
            (i + 1).to_string()
        });
        let space = fonts.face(fonts.role(Role::Regular)).space * 10.5;
        for line in &para.lines {
            for run in &line.runs {
                assert!((run.h_scale - 1.0).abs() < 1e-6);
                for g in run
                    .glyphs
                    .iter()
                    .filter(|g| run.text[g.text.start as usize..g.text.end as usize] == *" ")
                {
                    assert!((g.advance.0 - space).abs() < 0.01);
                }
            }
        }
    }

    fn lines_of(text: &str, width: f32) -> Vec<String> {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, width);
        set_paragraph(&mut engine, &[Inline::Text(text.into())], &style, &|i| {
            (i + 1).to_string()
        })
        .lines
        .iter()
        .map(text_of)
        .collect()
    }

    #[test]
    fn pins_the_breaks_of_a_short_paragraph() {
        // The seed article's second and third sentences at 180 pt, as the
        // optimum sets them: two hyphens, each line filled.
        let lines = lines_of(
            "It would take a short, but very sharp, argument inside the party to put it back on course. The outcome of that argument would decide whether the revolution succeeded or was crushed.",
            180.0,
        );
        assert_eq!(
            lines,
            [
                "It would take a short, but very sharp, argu\u{ad}",
                "ment inside the party to put it back on",
                "course. The outcome of that argument",
                "would decide whether the revolution suc\u{ad}",
                "ceeded or was crushed.",
            ]
        );
    }

    #[test]
    fn lines_break_after_a_dash_never_before_it() {
        let text = "A network of workers’ councils—or soviets—made up of delegates from workplaces—rivalled the power of the government—and had the potential—to replace it—entirely—in time.";
        for width in [120.0, 150.0, 180.0, 210.0] {
            let lines = lines_of(text, width);
            assert!(
                lines.iter().skip(1).all(|l| !l.starts_with('—')),
                "{width}: {lines:?}"
            );
        }
        // Breaks after a dash are used where they make the best lines.
        let ends_on_dash = [120.0, 150.0, 180.0, 210.0, 240.0]
            .iter()
            .flat_map(|&w| lines_of(text, w))
            .filter(|l| l.ends_with('—'))
            .count();
        assert!(ends_on_dash > 0);
    }

    #[test]
    fn a_url_breaks_after_its_separators_without_a_hyphen() {
        let lines = lines_of(
            "The programme is at https://example.org/archive/2022/04/the-forgotten-march-that-armed-the-fight today.",
            150.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        for line in &lines[..lines.len() - 1] {
            let last = line.chars().last().unwrap_or(' ');
            assert!(
                "/.-?&=_#".contains(last) || line.ends_with("at"),
                "break inside a URL part: {lines:?}"
            );
        }
    }

    #[test]
    fn a_hyphenated_compound_breaks_only_at_its_own_hyphen() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 200.0);
        assert!(
            hyphenation_points(
                &mut engine,
                &style.lang_tag,
                "post-captains",
                style.hyphen_min
            )
            .is_empty()
        );
        assert!(
            !hyphenation_points(&mut engine, &style.lang_tag, "captains", style.hyphen_min)
                .is_empty()
        );
        // Across measures where no word needs an emergency break, a line
        // may end at a compound's hyphen, never inside one of its parts.
        let text = "the well-established post-captains of the revolutionary navies";
        for width in [110.0, 125.0, 140.0, 155.0, 170.0] {
            for line in lines_of(text, width) {
                let last = line.split_whitespace().last().unwrap_or("");
                assert!(
                    !(last.ends_with('\u{00AD}') && last.contains('-')),
                    "{line:?} at {width}"
                );
            }
        }
    }

    #[test]
    fn a_balanced_paragraph_keeps_its_lines_and_evens_them() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 260.0);
        style.align = Align::Center;
        let quote = [Inline::Text(
            "But whatever may be proud without being flattered and less spoilt, said the road."
                .into(),
        )];
        let label = |i: usize| (i + 1).to_string();
        let full = set_paragraph(&mut engine, &quote, &style, &label);
        let (balanced, width) = set_balanced(&mut engine, &quote, &style, &label);
        assert_eq!(balanced.lines.len(), full.lines.len());
        assert!(full.lines.len() >= 2, "a quote of two lines or more");
        assert!(width < style.width, "a narrower measure: {width:?}");
        let widths = |p: &SetParagraph| -> Vec<f32> {
            p.lines
                .iter()
                .map(|l| l.runs.iter().map(|r| r.width.0).sum())
                .collect()
        };
        let spread = |w: Vec<f32>| {
            w.iter().cloned().fold(f32::MIN, f32::max) - w.iter().cloned().fold(f32::MAX, f32::min)
        };
        assert!(
            spread(widths(&balanced)) < spread(widths(&full)),
            "lines more even: {:?} against {:?}",
            widths(&balanced),
            widths(&full)
        );
    }

    #[test]
    fn a_name_is_not_hyphenated_while_wider_spaces_would_do() {
        // Within the hyphenation pass's tolerance this paragraph can be set
        // only by breaking "Ker-ensky" (or another name); without a name,
        // its first line is wide but not loose, and the rule for names
        // takes it.
        let text = "Bukharin even jumped with surprise, and horror struck Kerensky and Shlyapnikov at once.";
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 275.0);
        style.indent = Pt(10.5);
        let flat = flatten(&[Inline::Text(text.into())], style.role, &|i| i.to_string());
        let prepared = prepare(&mut engine, &flat, &style);
        let within = |pass, tolerance| {
            let params = Params {
                tolerance,
                pass,
                first_hang: prepared.first_hang,
                ..Params::default()
            };
            linebreak::break_lines(&prepared.items, &[275.0], &params)
        };
        assert!(within(Pass::Hyphenate, 200.0).is_none());
        let with_names = within(Pass::Capitalised, 200.0).expect("a setting breaking a name");
        let breaks_a_name = |solution: &linebreak::Solution| {
            solution.breaks.iter().any(|&b| {
                matches!(
                    prepared.items[b],
                    Item::Penalty {
                        pass: Pass::Capitalised,
                        ..
                    }
                )
            })
        };
        assert!(breaks_a_name(&with_names));
        let chosen = choose_breaks(&prepared, &style);
        assert!(!breaks_a_name(&chosen));
        let lines: Vec<String> =
            set_paragraph(&mut engine, &[Inline::Text(text.into())], &style, &|i| {
                (i + 1).to_string()
            })
            .lines
            .iter()
            .map(text_of)
            .collect();
        assert_eq!(
            lines,
            [
                "Bukharin even jumped with surprise, and horror struck",
                "Kerensky and Shlyapnikov at once."
            ]
        );
    }

    #[test]
    fn code_breaks_inside_a_word_only_with_a_continuation_mark() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = style(&mut engine, 120.0);
        let code =
            "--embed-fonts https://example.org/articles/commune/first-of-many.pdf revolutionary";
        let content = [
            Inline::Text("Run it with ".into()),
            Inline::Code(code.into()),
            Inline::Text(" and the revolutionary faces go with it.".into()),
        ];
        let set = set_paragraph(&mut engine, &content, &style, &|i| (i + 1).to_string());
        let mono = engine.fonts.role(Role::Mono);
        let (mark, _) = continuation_mark(&mut engine, &style, mono);
        let hyphen = engine.fonts.face(mono).hyphen.0;
        assert_ne!(mark, hyphen, "the code face has a continuation mark");
        let mut marked = 0;
        for line in &set.lines[..set.lines.len() - 1] {
            let run = line.runs.last().expect("a run");
            if !run.text.ends_with('\u{ad}') {
                continue;
            }
            let end = run.glyphs.last().expect("a glyph").id;
            if run.face == mono {
                // Inside code: the mark, never a hyphen, and never at a
                // hyphenation point of the word "revolutionary".
                assert_eq!(end, mark, "{:?}", run.text);
                assert!(!run.text.contains("revo"), "{:?}", run.text);
                marked += 1;
            } else {
                assert_ne!(end, mark, "{:?}", run.text);
            }
        }
        assert!(marked >= 2, "the URL breaks: {marked}");
    }

    #[test]
    fn a_line_of_code_keeps_its_leading_spaces() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 300.0);
        style.role = Role::Mono;
        style.align = Align::Left;
        style.hyphenate = false;
        let content = [
            Inline::Code("if x:".into()),
            Inline::Break,
            Inline::Code("\u{a0}\u{a0}\u{a0}\u{a0}return\u{a0}\u{a0}x".into()),
        ];
        let set = set_paragraph(&mut engine, &content, &style, &|i| (i + 1).to_string());
        let texts: Vec<String> = set.lines.iter().map(text_of).collect();
        assert_eq!(texts, ["if x:", "    return  x"]);
        // Monospace: the body of the second line starts four characters in.
        let second = &set.lines[1].runs[0];
        let cell = second.glyphs[4].advance.0;
        let before: f32 = second.glyphs[..4].iter().map(|g| g.advance.0).sum();
        assert!(
            cell > 0.0 && (before - 4.0 * cell).abs() < 0.01,
            "{before} {cell}"
        );
        assert_eq!(second.x, set.lines[0].runs[0].x);
    }

    #[test]
    fn a_balanced_title_does_not_end_on_one_word() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let mut style = style(&mut engine, 297.0);
        style.size = Pt(25.65);
        style.role = Role::Bold;
        style.align = Align::Center;
        style.hyphenate = false;
        let title = [Inline::Text("1917: The Russian Revolution".into())];
        let label = |i: usize| (i + 1).to_string();
        // Balanced on measure alone, the title keeps "Revolution" alone.
        let (free, _) = balance(&mut engine, &title, &style, &label);
        let texts = |p: &SetParagraph| p.lines.iter().map(text_of).collect::<Vec<_>>();
        assert_eq!(texts(&free), ["1917: The Russian", "Revolution"]);
        let (tied, _) = set_balanced(&mut engine, &title, &style, &label);
        assert_eq!(texts(&tied), ["1917: The", "Russian Revolution"]);
        // Two words are never tied onto one line.
        let short = [Inline::Text("Winter Palace".into())];
        assert!(tie_last_two_words(&short).is_none());
    }
}
