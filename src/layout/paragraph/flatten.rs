//! Inline content flattened into one string with styled ranges.

use std::ops::Range;

use crate::model::Inline;

use super::ParaStyle;
use crate::layout::fonts::Role;

/// How a piece of text is styled.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct TextStyle {
    pub(super) role: Role,
    pub(super) scale: f32,
    pub(super) rise: f32,
    pub(super) link: Option<String>,
    pub(super) note: Option<usize>,
    pub(super) strike: bool,
    pub(super) lang: Option<String>,
}

/// Inline content flattened: the text and the style of each range.
pub(super) struct Flat {
    pub(super) text: String,
    pub(super) spans: Vec<(Range<usize>, TextStyle)>,
}

/// Flattens inline content into text and styled ranges.
pub(super) fn flatten(
    content: &[Inline],
    role: Role,
    note_label: &dyn Fn(usize) -> String,
) -> Flat {
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

/// The size of code within running text, as a share of the text's: the
/// bundled monospace (DejaVu Sans Mono) has an x-height of 0.547 em
/// against Gentium's 0.454, so at the text's size it looks a size larger;
/// at 0.83 their x-heights match, as a designer sets a second face.
const INLINE_CODE_SCALE: f32 = 0.83;

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
                    scale: style.scale * INLINE_CODE_SCALE,
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

/// The index of the style span covering byte `at`.
pub(super) fn style_at(flat: &Flat, at: usize) -> usize {
    flat.spans
        .partition_point(|(range, _)| range.end <= at)
        .min(flat.spans.len().saturating_sub(1))
}

pub(super) fn size_of(style: &ParaStyle, text_style: &TextStyle) -> f32 {
    style.size.0 * text_style.scale
}

/// The offset in the content's plain text of offset `at` in its flattened
/// text: footnote marks, which the plain text leaves out, do not count.
pub(super) fn source_offset(flat: &Flat, at: usize) -> usize {
    let marks: usize = flat
        .spans
        .iter()
        .filter(|(range, style)| style.note.is_some() && range.end <= at)
        .map(|(range, _)| range.len())
        .sum();
    at.saturating_sub(marks)
}
