//! Fonts carried in the EPUB (`--embed-fonts`), so that readers that allow
//! it show the book in the print edition's type. Each face is subset to
//! the characters the book's documents use, with the glyphs its layout
//! features reach from them (ligatures, small figures), which keeps a
//! family of four faces to a few tens of kilobytes.

use std::collections::BTreeSet;

use read_fonts::FontRef;
use read_fonts::collections::IntSet;
use read_fonts::types::{GlyphId, NameId, Tag};
use skera::{DEFAULT_LAYOUT_FEATURES, Plan, SubsetFlags, subset_font};

use super::EpubError;
use crate::page::FontBytes;

/// A face for the e-book to carry.
#[derive(Clone)]
pub struct FontToEmbed {
    /// What it is for: text (roman, italic, bold, bold italic) or code.
    pub use_for: FontUse,
    /// The font file.
    pub data: FontBytes,
    /// Its name, for messages.
    pub name: String,
}

impl std::fmt::Debug for FontToEmbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontToEmbed")
            .field("use_for", &self.use_for)
            .field("name", &self.name)
            .finish()
    }
}

/// The style a face provides in the stylesheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FontUse {
    /// Running text.
    Regular,
    /// Emphasis.
    Italic,
    /// Headings and strong emphasis.
    Bold,
    /// Strong emphasis inside emphasis.
    BoldItalic,
    /// Code.
    Mono,
    /// The n-th fallback face: characters the text faces lack.
    Fallback(u8),
}

impl FontUse {
    fn family(self) -> String {
        match self {
            FontUse::Mono => TEXT_MONO.into(),
            FontUse::Fallback(n) => format!("{TEXT_FALLBACK} {n}"),
            _ => TEXT_SERIF.into(),
        }
    }

    fn weight(self) -> &'static str {
        match self {
            FontUse::Bold | FontUse::BoldItalic => "bold",
            _ => "normal",
        }
    }

    fn style(self) -> &'static str {
        match self {
            FontUse::Italic | FontUse::BoldItalic => "italic",
            _ => "normal",
        }
    }

    fn file_stem(self) -> String {
        let stem = match self {
            FontUse::Fallback(n) => return format!("fallback-{n}"),
            FontUse::Regular => "text-regular",
            FontUse::Italic => "text-italic",
            FontUse::Bold => "text-bold",
            FontUse::BoldItalic => "text-bold-italic",
            FontUse::Mono => "code",
        };
        stem.into()
    }
}

/// The stylesheet's names for the carried families.
const TEXT_SERIF: &str = "Iskra Text";
const TEXT_MONO: &str = "Iskra Code";
const TEXT_FALLBACK: &str = "Iskra Fallback";

/// A subset face ready to go into the package.
pub(super) struct SubsetFont {
    /// Path inside the package, `fonts/text-regular.ttf`.
    pub href: String,
    /// The subset file.
    pub data: Vec<u8>,
}

/// Every character in the book's documents, markup included (which costs
/// a few ASCII glyphs and misses nothing the reader shows).
pub(super) fn characters<'a>(documents: impl Iterator<Item = &'a [u8]>) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    for document in documents {
        chars.extend(String::from_utf8_lossy(document).chars());
    }
    chars
}

/// Each face subset to `chars`.
pub(super) fn subset_all(
    fonts: &[FontToEmbed],
    chars: &BTreeSet<char>,
) -> Result<Vec<SubsetFont>, EpubError> {
    let unicodes: IntSet<u32> = chars.iter().map(|&c| c as u32).collect();
    fonts
        .iter()
        .map(|font| {
            crate::cancel::checkpoint_now();
            let failed = |reason: String| EpubError::Font {
                name: font.name.clone(),
                reason,
            };
            let parsed = FontRef::new((*font.data).as_ref()).map_err(|e| failed(e.to_string()))?;
            let data = subset_font(&parsed, &plan(&parsed, &unicodes))
                .map_err(|e| failed(e.to_string()))?;
            Ok(SubsetFont {
                href: format!("fonts/{}.ttf", font.use_for.file_stem()),
                data,
            })
        })
        .collect()
}

/// A subsetting plan like HarfBuzz's defaults: every script, the default
/// layout features, the naming needed to identify the font (including its
/// licence), hinting dropped (e-readers do not use it), and tables no
/// e-reader reads (Graphite, AAT, bitmaps) left out.
fn plan(font: &FontRef<'_>, unicodes: &IntSet<u32>) -> Plan {
    let glyphs = IntSet::<GlyphId>::empty();
    let dropped: IntSet<Tag> = [
        "morx", "mort", "kerx", "JSTF", "DSIG", "EBDT", "EBLC", "EBSC", "SVG ", "PCLT", "LTSH",
        "Feat", "Glat", "Gloc", "Silf", "Sill",
    ]
    .iter()
    .map(|t| Tag::new(t.as_bytes().try_into().expect("four bytes")))
    .collect();
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let features: IntSet<Tag> = DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    let mut names = IntSet::<NameId>::empty();
    // Family and style names, the copyright and the licence (OFL 4.2
    // asks that the licence stay with the font).
    names.insert_range(NameId::from(0)..=NameId::from(6));
    names.insert(NameId::from(13));
    names.insert(NameId::from(14));
    let mut languages = IntSet::<u16>::empty();
    languages.insert(0x0409);
    Plan::new(
        &glyphs,
        unicodes,
        font,
        SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &dropped,
        &scripts,
        &features,
        &names,
        &languages,
    )
}

/// `@font-face` rules for the carried faces, and the rules that use them.
pub(super) fn stylesheet(fonts: &[FontToEmbed], subsets: &[SubsetFont]) -> String {
    let mut css = String::from("\n/* Fonts carried in the book (iskra --embed-fonts). */\n");
    for (font, subset) in fonts.iter().zip(subsets) {
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"{}\");\n}}\n\n",
            font.use_for.family(),
            font.use_for.weight(),
            font.use_for.style(),
            subset.href
        ));
    }
    // Fallback faces follow the text face in the stack, each once.
    let fallbacks: String = fonts
        .iter()
        .filter(|f| matches!(f.use_for, FontUse::Fallback(_)))
        .map(|f| format!("\"{}\", ", f.use_for.family()))
        .collect();
    if fonts.iter().any(|f| f.use_for != FontUse::Mono) {
        css.push_str(&format!(
            "body {{\n  font-family: \"{TEXT_SERIF}\", {fallbacks}serif;\n}}\n\n"
        ));
    }
    if fonts.iter().any(|f| f.use_for == FontUse::Mono) {
        css.push_str(&format!(
            "code, pre {{\n  font-family: \"{TEXT_MONO}\", monospace;\n}}\n"
        ));
    }
    css
}
