//! The PDF backend: translates a [`page::Document`](crate::page::Document)
//! into PDF with krilla, which subsets and embeds the fonts, maps glyphs
//! back to text, and writes byte-identical files for identical input.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use krilla::Data;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as KrillaLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use thiserror::Error;

use crate::model::ImageFormat;
use crate::page::{Color, Document, Item, LinkTarget, OutlineEntry, PageLabel, TextRun};

/// Why a PDF could not be written.
#[derive(Debug, Error)]
pub enum PdfError {
    /// A font could not be read by the PDF writer.
    #[error("the PDF writer cannot use font {0}")]
    Font(String),
    /// An image could not be embedded.
    #[error("image {path} cannot be embedded: {reason}")]
    Image {
        /// The image file.
        path: String,
        /// Why.
        reason: String,
    },
    /// krilla refused the document.
    #[error("the PDF could not be written: {0}")]
    Writer(String),
}

/// Writes `doc` as PDF bytes.
pub fn write_pdf(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = doc
        .fonts
        .iter()
        .map(|f| {
            Font::new(Data::from(Arc::clone(&f.data)), 0)
                .ok_or_else(|| PdfError::Font(f.name.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut images: HashMap<*const crate::model::Image, Image> = HashMap::new();
    let mut pdf = krilla::Document::new();
    for (index, page) in doc.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.size.width.0, page.size.height.0)
            .ok_or_else(|| PdfError::Writer(format!("page {} has no size", index + 1)))?
            .with_page_label(label(page.label));
        let mut krilla_page = pdf.start_page_with(settings);
        let mut surface = krilla_page.surface();
        for item in &page.items {
            draw(&mut surface, item, &fonts, &mut images)?;
        }
        surface.finish();
        for item in &page.items {
            if let Item::Link { rect, target, .. } = item
                && let Some(r) = Rect::from_xywh(
                    rect.origin.x.0,
                    rect.origin.y.0,
                    rect.size.width.0.max(0.1),
                    rect.size.height.0.max(0.1),
                )
            {
                let target = match target {
                    LinkTarget::Url(url) => Target::Action(LinkAction::new(url.clone()).into()),
                    LinkTarget::Page { page, y } => Target::Destination(Destination::Xyz(
                        XyzDestination::new(*page, Point::from_xy(0.0, y.0)),
                    )),
                };
                krilla_page
                    .add_annotation(Annotation::new_link(LinkAnnotation::new(r, target), None));
            }
        }
        krilla_page.finish();
    }
    pdf.set_outline(outline(&doc.outline));
    pdf.set_metadata(metadata(doc));
    pdf.finish().map_err(|e| PdfError::Writer(format!("{e:?}")))
}

fn label(label: PageLabel) -> KrillaLabel {
    let (style, n) = match label {
        PageLabel::Roman(n) => (NumberingStyle::LowerRoman, n),
        PageLabel::Arabic(n) => (NumberingStyle::Arabic, n),
    };
    KrillaLabel::new(Some(style), None, NonZeroU32::new(n))
}

fn paint(color: Color) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn draw(
    surface: &mut Surface<'_>,
    item: &Item,
    fonts: &[Font],
    images: &mut HashMap<*const crate::model::Image, Image>,
) -> Result<(), PdfError> {
    match item {
        Item::Text(run) => draw_text(surface, run, fonts),
        Item::Rule {
            from,
            to,
            width,
            color,
            ..
        } => {
            let mut path = PathBuilder::new();
            path.move_to(from.x.0, from.y.0);
            path.line_to(to.x.0, to.y.0);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: paint(*color),
                    width: width.0,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Item::Fill { rect, color, .. } => {
            if let Some(r) = Rect::from_xywh(
                rect.origin.x.0,
                rect.origin.y.0,
                rect.size.width.0,
                rect.size.height.0,
            ) {
                let mut path = PathBuilder::new();
                path.push_rect(r);
                if let Some(path) = path.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*color),
                        ..Fill::default()
                    }));
                    surface.draw_path(&path);
                }
            }
        }
        Item::Image { image, rect, .. } => {
            let key = Arc::as_ptr(image);
            let embedded = match images.get(&key) {
                Some(embedded) => embedded.clone(),
                None => {
                    let data = Data::from(Arc::new(image.data.to_vec()));
                    let made = match image.format {
                        ImageFormat::Jpeg => Image::from_jpeg(data, false),
                        ImageFormat::Png => Image::from_png(data, false),
                    }
                    .map_err(|reason| PdfError::Image {
                        path: image.path.display().to_string(),
                        reason,
                    })?;
                    images.insert(key, made.clone());
                    made
                }
            };
            if let Some(size) = Size::from_wh(rect.size.width.0, rect.size.height.0) {
                surface
                    .push_transform(&Transform::from_translate(rect.origin.x.0, rect.origin.y.0));
                surface.draw_image(embedded, size);
                surface.pop();
            }
        }
        Item::Link { .. } => {}
    }
    Ok(())
}

fn draw_text(surface: &mut Surface<'_>, run: &TextRun, fonts: &[Font]) {
    let Some(font) = fonts.get(usize::from(run.font)) else {
        return;
    };
    let size = run.size.0;
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .map(|g| KrillaGlyph {
            glyph_id: GlyphId::new(g.id),
            text_range: g.text.start as usize..g.text.end as usize,
            x_advance: g.advance.0 / size,
            x_offset: g.dx.0 / size,
            y_offset: -g.dy.0 / size,
            y_advance: 0.0,
            location: None,
        })
        .collect();
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: paint(run.color),
        ..Fill::default()
    }));
    let scaled = (run.h_scale - 1.0).abs() > 1e-4;
    if scaled {
        let ox = run.origin.x.0;
        surface.push_transform(&Transform::from_row(
            run.h_scale,
            0.0,
            0.0,
            1.0,
            ox - run.h_scale * ox,
            0.0,
        ));
    }
    surface.draw_glyphs(
        Point::from_xy(run.origin.x.0, run.origin.y.0),
        &glyphs,
        font.clone(),
        &run.text,
        size,
        false,
    );
    if scaled {
        surface.pop();
    }
}

fn outline(entries: &[OutlineEntry]) -> Outline {
    let mut outline = Outline::new();
    for entry in entries {
        outline.push_child(outline_node(entry));
    }
    outline
}

fn outline_node(entry: &OutlineEntry) -> OutlineNode {
    let mut node = OutlineNode::new(
        entry.title.clone(),
        XyzDestination::new(entry.page, Point::from_xy(0.0, entry.y.0)),
    );
    for child in &entry.children {
        node.push_child(outline_node(child));
    }
    node
}

fn metadata(doc: &Document) -> Metadata {
    let meta = &doc.meta;
    let mut m = Metadata::new()
        .title(meta.title.clone())
        .language(meta.language.clone())
        .creator("Iskra".to_string())
        .producer(format!("Iskra {}", env!("CARGO_PKG_VERSION")));
    if !meta.authors.is_empty() {
        m = m.authors(meta.authors.clone());
    }
    if let Some(subject) = &meta.subject {
        m = m.description(subject.clone());
    }
    if !meta.keywords.is_empty() {
        m = m.keywords(meta.keywords.clone());
    }
    if let Some(date) = meta.date {
        m = m.creation_date(
            DateTime::new(date.year.clamp(0, 9999) as u16)
                .month(date.month)
                .day(date.day),
        );
    }
    m
}
