//! Paragraphs: inline content to Knuth–Plass items, items to set lines.
//!
//! Inline content is flattened into styled text (`flatten`); spaces
//! become glue, words become boxes, split wherever a line may break inside
//! them (`items`, `word_breaks`: hyphenation points, after explicit
//! hyphens and dashes, inside URLs, and as a last resort anywhere in a very
//! long word). Words are shaped whole, so kerning and ligatures survive a
//! hyphenation point unless the point falls inside a ligature, where no
//! break is offered. The breaker picks the breaks (`breaking`); each line
//! is then set to the measure (`setting`) with its spaces and a font
//! expansion of at most a few percent, punctuation hanging into the margin
//! (`protrusion`). Display paragraphs are balanced (`balance`).

mod balance;
mod breaking;
mod flatten;
mod items;
mod protrusion;
mod sense;
mod setting;
#[cfg(test)]
mod tests;
mod ties;
mod tracking;
mod word_breaks;
mod words;

use std::cell::OnceCell;
use std::ops::Range;

use crate::model::Inline;
use crate::units::Pt;

use super::Engine;
use super::fonts::{FaceId, Role};
use super::hyphenate::HyphenMin;
use super::linebreak::{self, Item};
use super::shape::LangId;

pub use balance::{set_balanced, set_balanced_title};
pub use breaking::Strain;
use breaking::{best_breaks, choose_breaks, loose_bounds, loose_search, pick_loose};
use flatten::{Flat, flatten, source_offset};
use items::{Prepared, prepare};
use setting::set_line;
pub(crate) use words::WordItemCache;

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

/// A paragraph flattened, shaped and hyphenated once, for the page
/// builder to ask for in other numbers of lines (see [`set_in_lines`])
/// without doing that work again for every try: its best breaks, too, are
/// found once.
pub struct PreparedParagraph {
    flat: Flat,
    prepared: Prepared,
    /// The width it was prepared for.
    width: Pt,
    /// Its best breaks at that width, once found.
    best: OnceCell<linebreak::Solution>,
    /// Its settings a line or two longer or shorter, and strained ones.
    loose: LooseSettings,
    strained: LooseSettings,
}

/// The search for a paragraph's settings a line or two longer or shorter
/// (the same for every looseness), made once a request needs it, and the
/// line counts it can find, told first without it.
#[derive(Default)]
struct LooseSettings {
    bounds: OnceCell<Option<(usize, usize)>>,
    search: OnceCell<Option<linebreak::Search>>,
}

/// Prepares `content` for [`set_in_lines`]; what [`set_paragraph`] does
/// before it breaks lines (the style's looseness plays no part here).
pub fn prepare_paragraph(
    engine: &mut Engine<'_>,
    content: &[Inline],
    style: &ParaStyle,
    note_label: &dyn Fn(usize) -> String,
) -> PreparedParagraph {
    let flat = flatten(content, style.role, note_label);
    let prepared = prepare(engine, &flat, style);
    PreparedParagraph {
        flat,
        prepared,
        width: style.width,
        best: OnceCell::new(),
        loose: LooseSettings::default(),
        strained: LooseSettings::default(),
    }
}

impl PreparedParagraph {
    /// Its breaks in `style`, the style it was prepared in with perhaps
    /// another looseness, strained at most by `strain`.
    fn breaks(&self, style: &ParaStyle, strain: Strain) -> linebreak::Solution {
        debug_assert_eq!(style.width, self.width, "prepared for another width");
        let best = self
            .best
            .get_or_init(|| best_breaks(&self.prepared, style))
            .clone();
        if style.looseness == 0 {
            return best;
        }
        let settings = match strain {
            Strain::Usual => &self.loose,
            Strain::Strained => &self.strained,
        };
        let wanted = best.lines() as i64 + i64::from(style.looseness);
        let bounds = settings
            .bounds
            .get_or_init(|| loose_bounds(&self.prepared, style, strain));
        if bounds.is_some_and(|(fewest, most)| wanted < fewest as i64 || wanted > most as i64) {
            // No setting the search could find has that many lines, so
            // it would give the best setting back.
            return best;
        }
        let search = settings
            .search
            .get_or_init(|| loose_search(&self.prepared, style, strain));
        pick_loose(&self.prepared, search.as_ref(), style, strain, best)
    }
}

/// Sets a prepared paragraph as [`set_paragraph`] would with `style` (the
/// style it was prepared in, with any looseness).
pub fn set_prepared_paragraph(
    engine: &mut Engine<'_>,
    paragraph: &PreparedParagraph,
    style: &ParaStyle,
) -> SetParagraph {
    let solution = paragraph.breaks(style, Strain::Usual);
    set_solution(
        engine,
        &paragraph.flat,
        &paragraph.prepared,
        style,
        solution,
    )
}

/// Sets a prepared paragraph as [`set_paragraph`] would with `style`, its
/// lines strained at most by `strain`, if its best setting has `lines`
/// lines; otherwise gives `None` without setting any line.
pub fn set_in_lines(
    engine: &mut Engine<'_>,
    paragraph: &PreparedParagraph,
    style: &ParaStyle,
    lines: usize,
    strain: Strain,
) -> Option<SetParagraph> {
    let solution = paragraph.breaks(style, strain);
    (solution.breaks.len() == lines).then(|| {
        set_solution(
            engine,
            &paragraph.flat,
            &paragraph.prepared,
            style,
            solution,
        )
    })
}

/// A paragraph prepared once to be broken at several measures, as
/// balancing does: prepared again at another measure only when a word of
/// it is long enough for that measure to change where it may break.
pub(super) struct AtWidths<'s> {
    flat: Flat,
    prepared: Prepared,
    style: &'s ParaStyle,
}

/// A paragraph's breaks at one measure, to count and perhaps set.
pub(super) struct Breaks {
    style: ParaStyle,
    /// The paragraph prepared at this measure, when the first would not do.
    prepared: Option<Prepared>,
    solution: linebreak::Solution,
}

impl Breaks {
    /// How many lines they make.
    pub(super) fn lines(&self) -> usize {
        self.solution.breaks.len()
    }

    /// The measure they were found at.
    pub(super) fn width(&self) -> Pt {
        self.style.width
    }
}

impl<'s> AtWidths<'s> {
    /// Prepares `content` in `style`, at its measure.
    pub(super) fn prepare(
        engine: &mut Engine<'_>,
        content: &[Inline],
        style: &'s ParaStyle,
        note_label: &dyn Fn(usize) -> String,
    ) -> AtWidths<'s> {
        let flat = flatten(content, style.role, note_label);
        let prepared = balance::prepare_display(engine, &flat, style);
        AtWidths {
            flat,
            prepared,
            style,
        }
    }

    /// The breaks [`set_paragraph`] would choose at `width`.
    pub(super) fn breaks_at(&self, engine: &mut Engine<'_>, width: Pt) -> Breaks {
        let style = ParaStyle {
            width,
            ..self.style.clone()
        };
        let prepared = (!self.prepared.serves_width(width))
            .then(|| balance::prepare_display(engine, &self.flat, &style));
        let solution = choose_breaks(prepared.as_ref().unwrap_or(&self.prepared), &style);
        Breaks {
            style,
            prepared,
            solution,
        }
    }

    /// Whether `breaks` cut a word where it has no hyphenation point (the
    /// emergency pass): a display line balanced onto a narrower measure
    /// must never pay for its evenness with a broken word.
    pub(super) fn break_inside_words(&self, breaks: &Breaks) -> bool {
        let items = &breaks.prepared.as_ref().unwrap_or(&self.prepared).items;
        breaks.solution.breaks.iter().any(|&at| {
            matches!(
                items.get(at),
                Some(linebreak::Item::Penalty {
                    pass: linebreak::Pass::Emergency,
                    ..
                })
            )
        })
    }

    /// Sets the paragraph with `breaks`, as [`set_paragraph`] would at
    /// their measure.
    pub(super) fn set(&self, engine: &mut Engine<'_>, breaks: Breaks) -> SetParagraph {
        let prepared = breaks.prepared.as_ref().unwrap_or(&self.prepared);
        set_solution(engine, &self.flat, prepared, &breaks.style, breaks.solution)
    }
}

fn set_prepared(
    engine: &mut Engine<'_>,
    flat: &Flat,
    prepared: &Prepared,
    style: &ParaStyle,
) -> SetParagraph {
    let solution = choose_breaks(prepared, style);
    set_solution(engine, flat, prepared, style, solution)
}

/// Sets the lines of a chosen set of breaks.
fn set_solution(
    engine: &mut Engine<'_>,
    flat: &Flat,
    prepared: &Prepared,
    style: &ParaStyle,
    solution: linebreak::Solution,
) -> SetParagraph {
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
