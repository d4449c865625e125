//! Print settings: the partial options a user gives (in `series.toml` under
//! `[print]`, or on the command line) and the complete [`Style`] that layout
//! works from. Defaults are those of a well-made A5 book.

use std::path::PathBuf;

use serde::Deserialize;
use thiserror::Error;

use crate::units::{Pt, Size};

/// A trim size, by name or given as width × height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageSize {
    /// Trimmed page width.
    pub width: Pt,
    /// Trimmed page height.
    pub height: Pt,
}

/// Named trim sizes: (names, width, height).
const NAMED_SIZES: &[(&[&str], f32, f32, Unit)] = &[
    (&["a5"], 148.0, 210.0, Unit::Mm),
    (&["a4"], 210.0, 297.0, Unit::Mm),
    (&["letter"], 8.5, 11.0, Unit::In),
    (&["b-format", "b"], 129.0, 198.0, Unit::Mm),
    (&["6x9", "us-trade"], 6.0, 9.0, Unit::In),
    (&["5.5x8.5", "digest"], 5.5, 8.5, Unit::In),
];

#[derive(Clone, Copy)]
enum Unit {
    Mm,
    In,
}

impl PageSize {
    /// Parses a named size (`a5`, `a4`, `letter`, `b-format`, `6x9`,
    /// `5.5x8.5`) or `WxH` with a unit (`150x220mm`, `6x9in`, `400x600pt`,
    /// `15cmx22cm`).
    pub fn parse(text: &str) -> Result<PageSize, String> {
        let lower = text.trim().to_ascii_lowercase();
        for (names, w, h, unit) in NAMED_SIZES {
            if names.contains(&lower.as_str()) {
                let to_pt = |v: f32| match unit {
                    Unit::Mm => Pt::mm(v),
                    Unit::In => Pt::inches(v),
                };
                return Ok(PageSize {
                    width: to_pt(*w),
                    height: to_pt(*h),
                });
            }
        }
        let (w, h) = lower.split_once('x').ok_or_else(|| {
            format!("unknown page size `{text}` (use a5, a4, letter, b-format, 6x9, 5.5x8.5 or WxH such as 150x220mm)")
        })?;
        // A unit written only after the height applies to both numbers.
        let unit: String = h.chars().skip_while(|c| !c.is_ascii_alphabetic()).collect();
        let w = if w.chars().any(|c| c.is_ascii_alphabetic()) {
            w.to_string()
        } else {
            format!("{w}{unit}")
        };
        let size = PageSize {
            width: Pt::parse(&w)?,
            height: Pt::parse(h)?,
        };
        let min = Pt::mm(50.0);
        let max = Pt::mm(1200.0);
        if size.width < min || size.height < min || size.width > max || size.height > max {
            return Err(format!(
                "page size `{text}` is outside 50 mm to 1200 mm on a side"
            ));
        }
        Ok(size)
    }
}

/// How body text is aligned.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TextAlign {
    /// Flush left and right.
    Justify,
    /// Flush left, ragged right.
    Ragged,
}

impl std::str::FromStr for TextAlign {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "justify" => Ok(TextAlign::Justify),
            "ragged" | "left" => Ok(TextAlign::Ragged),
            other => Err(format!(
                "`{other}` is not an alignment (use justify or ragged)"
            )),
        }
    }
}

/// Where articles open.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Openings {
    /// On the next page, left or right.
    Any,
    /// On the next right-hand (odd) page, leaving a blank page if needed.
    Right,
}

impl std::str::FromStr for Openings {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "any" => Ok(Openings::Any),
            "right" => Ok(Openings::Right),
            other => Err(format!(
                "`{other}` is not an opening rule (use any or right)"
            )),
        }
    }
}

/// Print settings as given: every field optional, so that `series.toml`
/// and the command line can each set some and the later one wins.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrintOptions {
    /// Trim size, e.g. `a5` or `150x220mm`.
    pub page_size: Option<String>,
    /// Folder holding the font family (Regular, Italic, Bold, Bold Italic).
    pub font_dir: Option<PathBuf>,
    /// Body type size in points.
    pub font_size: Option<f32>,
    /// Distance between baselines of body text, in points.
    pub leading: Option<f32>,
    /// Text width, e.g. `105mm`.
    pub measure: Option<String>,
    /// From the top edge of the page to the text, e.g. `20mm`.
    pub margin_top: Option<String>,
    /// Justified or ragged-right body text.
    pub align: Option<TextAlign>,
    /// Hyphenate words at line ends.
    pub hyphenate: Option<bool>,
    /// Fewest letters a hyphen leaves before it.
    pub left_hyphen_min: Option<u8>,
    /// Fewest letters a hyphen carries to the next line.
    pub right_hyphen_min: Option<u8>,
    /// First-line indent of paragraphs, in ems.
    pub indent: Option<f32>,
    /// Articles open on any page or on right-hand pages.
    pub openings: Option<Openings>,
    /// Print running heads.
    pub running_heads: Option<bool>,
    /// Print a table of contents.
    pub contents: Option<bool>,
    /// Print a title page.
    pub title_page: Option<bool>,
    /// Let punctuation hang into the margins.
    pub protrusion: Option<bool>,
    /// Largest font expansion, in percent (0 turns it off).
    pub expansion: Option<f32>,
    /// Bleed around each page, e.g. `3mm` (0 for none).
    pub bleed: Option<String>,
    /// Draw crop marks outside the bleed.
    pub crop_marks: Option<bool>,
    /// Extra inside margin for binding, e.g. `6mm`.
    pub gutter: Option<String>,
    /// Open the book with its front cover.
    pub cover: Option<bool>,
    /// Fallback font files or folders, tried after the bundled fallbacks
    /// and before the system's fonts (relative to the series folder).
    #[serde(alias = "fallback_fonts")]
    pub fallback_fonts: Option<Vec<PathBuf>>,
    /// Look in the system's fonts for characters no other font has
    /// (false for builds that must be the same on every machine).
    pub system_fonts: Option<bool>,
}

/// Takes each field from `over` when it is set there, else from `base`.
macro_rules! merge_options {
    ($base:expr, $over:expr, $($field:ident),*) => {
        PrintOptions { $($field: $over.$field.clone().or_else(|| $base.$field.clone())),* }
    };
}

impl PrintOptions {
    /// These options with every field that `over` sets replaced by its value.
    pub fn overridden_by(&self, over: &PrintOptions) -> PrintOptions {
        merge_options!(
            self,
            over,
            page_size,
            font_dir,
            font_size,
            leading,
            measure,
            margin_top,
            align,
            hyphenate,
            left_hyphen_min,
            right_hyphen_min,
            indent,
            openings,
            running_heads,
            contents,
            title_page,
            protrusion,
            expansion,
            bleed,
            crop_marks,
            gutter,
            cover,
            fallback_fonts,
            system_fonts
        )
    }

    /// Leaves out `option` (named as in `series.toml`, one that
    /// [`Style::resolve`] may blame); false when it was not set.
    pub fn forget(&mut self, option: &str) -> bool {
        match option {
            "page-size" => self.page_size.take().is_some(),
            "font-size" => self.font_size.take().is_some(),
            "leading" => self.leading.take().is_some(),
            "measure" => self.measure.take().is_some(),
            "margin-top" => self.margin_top.take().is_some(),
            "bleed" => self.bleed.take().is_some(),
            "gutter" => self.gutter.take().is_some(),
            _ => false,
        }
    }

    /// True when `option` (as [`PrintOptions::forget`] names it) is set.
    pub fn sets(&self, option: &str) -> bool {
        self.clone().forget(option)
    }

    /// Checks each value on its own; returns one message per bad value,
    /// naming the option.
    pub fn check(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if let Some(size) = &self.page_size
            && let Err(e) = PageSize::parse(size)
        {
            problems.push(("page-size", e));
        }
        for (name, length) in [
            ("measure", &self.measure),
            ("margin-top", &self.margin_top),
            ("bleed", &self.bleed),
            ("gutter", &self.gutter),
        ] {
            if let Some(length) = length
                && let Err(e) = Pt::parse(length)
            {
                problems.push((name, e));
            }
        }
        let letters = |v: Option<u8>| v.map(f32::from);
        let ranges: [(&'static str, Option<f32>, f32, f32, &str); 6] = [
            ("font-size", self.font_size, 4.0, 72.0, "pt"),
            ("leading", self.leading, 4.0, 144.0, "pt"),
            ("indent", self.indent, 0.0, 10.0, "em"),
            ("expansion", self.expansion, 0.0, 5.0, "%"),
            (
                "left-hyphen-min",
                letters(self.left_hyphen_min),
                1.0,
                10.0,
                "letters",
            ),
            (
                "right-hyphen-min",
                letters(self.right_hyphen_min),
                1.0,
                10.0,
                "letters",
            ),
        ];
        for (name, value, min, max, unit) in ranges {
            if let Some(v) = value
                && !(min..=max).contains(&v)
            {
                problems.push((name, format!("{v} {unit} is outside {min} to {max} {unit}")));
            }
        }
        problems
    }
}

/// Print settings that cannot be used together, naming the option to
/// change, so that a diagnostic can point at its line in `series.toml`
/// or at its flag.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{message}")]
pub struct StyleError {
    /// The option at fault, as `series.toml` spells it (`measure`).
    pub option: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Everything layout needs to know about the book's design, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// Trimmed page size.
    pub page: Size,
    /// Body type size.
    pub font_size: Pt,
    /// Body baseline-to-baseline distance.
    pub leading: Pt,
    /// Text width.
    pub measure: Pt,
    /// From the top trim edge to the top of the text block.
    pub margin_top: Pt,
    /// From the bottom of the text block to the bottom trim edge.
    pub margin_bottom: Pt,
    /// Justified text (`false`: ragged right).
    pub justify: bool,
    /// Hyphenate words at line ends.
    pub hyphenate: bool,
    /// Fewest letters a hyphen leaves before and after it.
    pub hyphen_min: (usize, usize),
    /// First-line indent of paragraphs, in ems of the body size.
    pub indent_em: f32,
    /// Articles open on right-hand pages.
    pub openings_right: bool,
    /// Print running heads.
    pub running_heads: bool,
    /// Print a table of contents.
    pub contents: bool,
    /// Print a title page.
    pub title_page: bool,
    /// Hang punctuation into the margins.
    pub protrusion: bool,
    /// Largest font expansion as a fraction (0.02 = 2%).
    pub expansion: f32,
    /// Bleed around each page.
    pub bleed: Pt,
    /// Crop marks outside the bleed.
    pub crop_marks: bool,
    /// Extra inside margin for binding: the text block moves outwards by
    /// this much on each page (the outside margin shrinks as much).
    pub gutter: Pt,
    /// The book opens with its front cover.
    pub cover: bool,
}

impl Style {
    /// The default book: A5, 10.5 on 13 pt, 105 mm measure.
    pub fn book() -> Style {
        let page = PageSize::parse("a5").expect("a5 is a named size");
        Style {
            page: Size::new(page.width, page.height),
            font_size: Pt(10.5),
            leading: Pt(13.0),
            measure: Pt::mm(105.0),
            margin_top: Pt::mm(20.0),
            margin_bottom: Pt::mm(24.0),
            justify: true,
            hyphenate: true,
            hyphen_min: (3, 3),
            indent_em: 1.0,
            openings_right: false,
            running_heads: true,
            contents: true,
            title_page: true,
            protrusion: true,
            // 3%, as book designers set glyph scaling (97–103%): at 2%
            // (microtype's default) the c100 book's word gaps vary by
            // 0.042 em and 5.4% of its lines end in a hyphen; at 3%, by
            // 0.032 em with 3.3% hyphenated and no loose line.
            expansion: 0.03,
            bleed: Pt::ZERO,
            crop_marks: false,
            gutter: Pt::ZERO,
            cover: true,
        }
    }

    /// The default book with `options` applied. The options must have
    /// passed [`PrintOptions::check`]; what remains to check is how the
    /// values fit together. An error names the option to change.
    pub fn resolve(options: &PrintOptions) -> Result<Style, StyleError> {
        let fail = |option, message| Err(StyleError { option, message });
        let length =
            |option, text: &str| Pt::parse(text).map_err(|message| StyleError { option, message });
        let mut style = Style::book();
        if let Some(size) = &options.page_size {
            let page = PageSize::parse(size).map_err(|message| StyleError {
                option: "page-size",
                message,
            })?;
            style.page = Size::new(page.width, page.height);
            // A page size without a measure gets the A5 proportions.
            style.measure = page.width * (105.0 / 148.0);
            style.margin_top = page.height * (20.0 / 210.0);
            style.margin_bottom = page.height * (24.0 / 210.0);
        }
        if let Some(size) = options.font_size {
            style.font_size = Pt(size);
            style.leading = Pt(size * 13.0 / 10.5);
        }
        if let Some(leading) = options.leading {
            style.leading = Pt(leading);
        }
        if let Some(measure) = &options.measure {
            style.measure = length("measure", measure)?;
        }
        if let Some(top) = &options.margin_top {
            style.margin_top = length("margin-top", top)?;
        }
        style.justify = options.align.is_none_or(|a| a == TextAlign::Justify);
        style.hyphenate = options.hyphenate.unwrap_or(style.hyphenate);
        style.hyphen_min = (
            options
                .left_hyphen_min
                .map_or(style.hyphen_min.0, usize::from),
            options
                .right_hyphen_min
                .map_or(style.hyphen_min.1, usize::from),
        );
        style.indent_em = options.indent.unwrap_or(style.indent_em);
        style.openings_right = options.openings == Some(Openings::Right);
        style.running_heads = options.running_heads.unwrap_or(style.running_heads);
        style.contents = options.contents.unwrap_or(style.contents);
        style.title_page = options.title_page.unwrap_or(style.title_page);
        style.protrusion = options.protrusion.unwrap_or(style.protrusion);
        style.expansion = options
            .expansion
            .map_or(style.expansion, |percent| percent / 100.0);
        if let Some(bleed) = &options.bleed {
            style.bleed = length("bleed", bleed)?;
            if style.bleed > Pt::mm(10.0) {
                return fail(
                    "bleed",
                    format!(
                        "a bleed of {:.1} mm is more than the 10 mm any printer asks for",
                        style.bleed.to_mm()
                    ),
                );
            }
        }
        style.crop_marks = options.crop_marks.unwrap_or(style.crop_marks);
        if let Some(gutter) = &options.gutter {
            style.gutter = length("gutter", gutter)?;
        }
        style.cover = options.cover.unwrap_or(style.cover);
        // The option at fault when two disagree: the one given, of the
        // pair, else the one that set the other's default.
        let given = |option: &'static str, value: bool, otherwise: &'static str| {
            if value { option } else { otherwise }
        };
        let measure_or_page = given("measure", options.measure.is_some(), "page-size");
        let min_side = Pt::mm(5.0);
        if style.measure > style.page.width - min_side * 2.0 {
            return fail(
                measure_or_page,
                format!(
                    "the measure ({:.1} mm) leaves less than 5 mm of margin on a {:.1} mm wide page",
                    style.measure.to_mm(),
                    style.page.width.to_mm()
                ),
            );
        }
        let outside = (style.page.width - style.measure) / 2.0 - style.gutter;
        if outside < min_side {
            return fail(
                "gutter",
                format!(
                    "a gutter of {:.1} mm leaves an outside margin of {:.1} mm; keep it at 5 mm or more with a narrower measure",
                    style.gutter.to_mm(),
                    outside.to_mm()
                ),
            );
        }
        if style.measure < style.font_size * 8.0 {
            return fail(
                given("measure", options.measure.is_some(), "font-size"),
                format!(
                    "the measure ({:.1} mm) is too narrow for {} pt type",
                    style.measure.to_mm(),
                    style.font_size.0
                ),
            );
        }
        if style.leading < style.font_size * 0.8 {
            return fail(
                given("leading", options.leading.is_some(), "font-size"),
                format!(
                    "a leading of {} pt is too tight for {} pt type (lines would overlap)",
                    style.leading.0, style.font_size.0
                ),
            );
        }
        let text_height = style.page.height - style.margin_top - style.margin_bottom;
        if text_height < style.leading * 8.0 {
            let option = if options.margin_top.is_some() {
                "margin-top"
            } else if options.page_size.is_some() {
                "page-size"
            } else {
                given("leading", options.leading.is_some(), "font-size")
            };
            return fail(
                option,
                format!(
                    "a {:.1} mm tall page holds fewer than 8 lines at {} pt leading",
                    style.page.height.to_mm(),
                    style.leading.0
                ),
            );
        }
        Ok(style)
    }

    /// Height of the text block.
    pub fn text_height(&self) -> Pt {
        self.page.height - self.margin_top - self.margin_bottom
    }

    /// Left edge of the text block (centred on the page).
    pub fn margin_left(&self) -> Pt {
        (self.page.width - self.measure) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_custom_sizes() {
        let a5 = PageSize::parse("A5").unwrap();
        assert!((a5.width.to_mm() - 148.0).abs() < 0.01);
        let trade = PageSize::parse("6x9").unwrap();
        assert_eq!(trade.width, Pt(432.0));
        let custom = PageSize::parse("150x220mm").unwrap();
        assert!((custom.height.to_mm() - 220.0).abs() < 0.01);
        let mixed = PageSize::parse("6inx230mm").unwrap();
        assert_eq!(mixed.width, Pt(432.0));
        assert!(PageSize::parse("huge").is_err());
        assert!(PageSize::parse("10x10mm").is_err());
    }

    #[test]
    fn command_line_wins() {
        let toml = PrintOptions {
            font_size: Some(11.0),
            measure: Some("100mm".into()),
            ..Default::default()
        };
        let cli = PrintOptions {
            font_size: Some(12.0),
            ..Default::default()
        };
        let merged = toml.overridden_by(&cli);
        assert_eq!(merged.font_size, Some(12.0));
        assert_eq!(merged.measure.as_deref(), Some("100mm"));
    }

    #[test]
    fn rejects_impossible_combinations() {
        let wide = PrintOptions {
            measure: Some("145mm".into()),
            ..Default::default()
        };
        assert_eq!(Style::resolve(&wide).unwrap_err().option, "measure");
        let tight = PrintOptions {
            font_size: Some(12.0),
            leading: Some(6.0),
            ..Default::default()
        };
        assert_eq!(Style::resolve(&tight).unwrap_err().option, "leading");
        let small = PrintOptions {
            page_size: Some("100x150mm".into()),
            font_size: Some(30.0),
            ..Default::default()
        };
        assert_eq!(Style::resolve(&small).unwrap_err().option, "font-size");
        assert_eq!(
            Style::resolve(&PrintOptions::default()).unwrap(),
            Style::book()
        );
    }
}
