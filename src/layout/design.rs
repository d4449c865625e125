//! The book's design: every size and space layout uses, derived from the
//! user's [`Style`] so that changing the body size or the page scales
//! everything in proportion.

use crate::style::Style;
use crate::units::Pt;

use super::hyphenate::HyphenMin;
use super::paragraph::Align;

/// Sizes, spaces and switches for one document.
#[derive(Clone, Debug)]
pub struct Design {
    /// Trimmed page width.
    pub page_width: Pt,
    /// Trimmed page height.
    pub page_height: Pt,
    /// Text block width.
    pub measure: Pt,
    /// Left edge of the text block.
    pub margin_left: Pt,
    /// Top edge of the text block.
    pub margin_top: Pt,
    /// Height of the text block: a whole number of body lines.
    pub text_height: Pt,
    /// Body lines per full page.
    pub lines_per_page: usize,
    /// Body type size.
    pub body_size: Pt,
    /// Body baseline distance.
    pub leading: Pt,
    /// Where the baseline sits in a line's box, as a share of its height.
    pub baseline_ratio: f32,
    /// Body alignment.
    pub body_align: Align,
    /// Hyphenate body text.
    pub hyphenate: bool,
    /// Fewest letters a hyphen leaves on each side.
    pub hyphen_min: HyphenMin,
    /// First-line indent, in ems.
    pub indent_em: f32,
    /// Hang punctuation into the margins.
    pub protrusion: bool,
    /// Largest font expansion (0.02 = 2%).
    pub expansion: f32,
    /// Article titles.
    pub title_size: Pt,
    /// Leading of article titles.
    pub title_leading: Pt,
    /// Standfirsts.
    pub standfirst_size: Pt,
    /// Leading of standfirsts.
    pub standfirst_leading: Pt,
    /// Subheadings.
    pub heading_size: Pt,
    /// Bylines, captions, running heads, folios.
    pub small_size: Pt,
    /// Leading of captions.
    pub small_leading: Pt,
    /// Footnotes and tables.
    pub note_size: Pt,
    /// Leading of footnotes and tables.
    pub note_leading: Pt,
    /// Code.
    pub code_size: Pt,
    /// Leading of code.
    pub code_leading: Pt,
    /// Pull quotes.
    pub pull_size: Pt,
    /// Leading of pull quotes.
    pub pull_leading: Pt,
    /// Indent of block quotes and nested lists.
    pub quote_indent: Pt,
    /// Share of the text height a figure may take.
    pub max_figure_share: f32,
    /// Bleed around each page.
    pub bleed: Pt,
    /// Crop marks outside the bleed.
    pub crop_marks: bool,
    /// Extra inside margin for binding.
    pub gutter: Pt,
}

impl Design {
    /// From a body line's baseline to the bottom of its line box.
    pub fn body_depth(&self) -> Pt {
        self.leading * (1.0 - self.baseline_ratio)
    }

    /// Room beyond the bleed for crop marks.
    pub fn slug(&self) -> Pt {
        if self.crop_marks { Pt(18.0) } else { Pt::ZERO }
    }

    /// Where the last baseline of a full page lies, from the text block's top.
    pub fn bottom_baseline(&self) -> Pt {
        self.text_height - self.body_depth()
    }

    /// The design for `style`.
    pub fn new(style: &Style) -> Design {
        let body = style.font_size;
        let leading = style.leading;
        let scale = body.0 / 10.5;
        let lines_per_page = ((style.text_height().0 / leading.0).floor() as usize).max(8);
        Design {
            page_width: style.page.width,
            page_height: style.page.height,
            measure: style.measure,
            margin_left: style.margin_left(),
            margin_top: style.margin_top,
            text_height: leading * lines_per_page as f32,
            lines_per_page,
            body_size: body,
            leading,
            baseline_ratio: 0.78,
            body_align: if style.justify {
                Align::Justify
            } else {
                Align::Left
            },
            hyphenate: style.hyphenate,
            hyphen_min: HyphenMin {
                left: style.hyphen_min.0,
                right: style.hyphen_min.1,
            },
            indent_em: style.indent_em,
            protrusion: style.protrusion,
            expansion: style.expansion,
            title_size: Pt(19.0 * scale),
            title_leading: Pt(23.0 * scale),
            standfirst_size: Pt(12.0 * scale),
            standfirst_leading: Pt(15.0 * scale),
            heading_size: Pt(12.0 * scale),
            small_size: Pt(9.0 * scale),
            small_leading: Pt(11.0 * scale),
            note_size: Pt(8.5 * scale),
            note_leading: Pt(10.5 * scale),
            code_size: Pt(8.5 * scale),
            code_leading: Pt(11.0 * scale),
            pull_size: Pt(13.0 * scale),
            pull_leading: Pt(16.0 * scale),
            quote_indent: body * 1.5,
            max_figure_share: 0.6,
            bleed: style.bleed,
            crop_marks: style.crop_marks,
            gutter: style.gutter,
        }
    }
}
