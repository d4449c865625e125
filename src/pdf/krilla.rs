//! The krilla-based PDF writer, for the documents the direct writer cannot
//! write yet: those drawing with a face that has no outlines (colour emoji
//! bitmaps, which krilla writes as Type 3 fonts). krilla subsets and embeds
//! the fonts, maps glyphs back to text, and writes byte-identical files
//! for identical input.
//!
//! Content is tagged: every drawn item belongs to a node of the document's
//! structure (headings, paragraphs, lists, tables, figures, notes, links)
//! or is marked as an artifact (running heads, folios, rules, crop marks),
//! so that screen readers get the logical reading order. The print boxes
//! (trim, bleed) come from the page model. Standards (PDF/UA-1, PDF/A-2)
//! are validated by krilla while writing; what fails is reported with the
//! page it is on.

use std::collections::HashMap;
use std::num::{NonZeroU16, NonZeroU32, NonZeroU64};
use std::sync::Arc;

use krilla::Data;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::destination::{Destination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as KrillaLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag as KTag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as KrillaDocument, SerializeSettings};

use super::{PdfError, PdfOptions, Standard};
use crate::model::ImageFormat;
use crate::page::{
    Color, Document, Item, LinkTarget, ListMarks, NodeId, OutlineEntry, PageLabel, StructKind, Tag,
    TextRun,
};

/// Writes `doc` as PDF bytes. It takes the document so that each page's
/// drawing is freed as soon as it is written: a long book is never held in
/// memory twice, once as pages and once as PDF.
pub(super) fn write_pdf(mut doc: Document, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let fonts = doc
        .fonts
        .iter()
        .map(|f| {
            Font::new(Data::from(Arc::clone(&f.data)), f.index)
                .ok_or_else(|| PdfError::Font(f.name.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let tagged = options.tagged
        || options
            .standards
            .iter()
            .any(|s| matches!(s, Standard::Ua1 | Standard::A2a));
    let mut pdf = KrillaDocument::new_with(serialize_settings(options, tagged)?);
    let mut writer = Writer {
        fonts,
        images: HashMap::new(),
        tagged,
        leaves: vec![Vec::new(); doc.structure.len()],
        sequence: 0,
        location: None,
    };
    for index in 0..doc.pages.len() {
        crate::cancel::checkpoint();
        let items = std::mem::take(&mut doc.pages[index].items);
        writer.page(&mut pdf, &doc, index, &items)?;
    }
    pdf.set_outline(outline(&doc.outline));
    pdf.set_metadata(metadata(&doc));
    if tagged {
        pdf.set_tag_tree(writer.tag_tree(&doc));
    }
    pdf.finish().map_err(|e| map_error(e, options))
}

fn serialize_settings(options: &PdfOptions, tagged: bool) -> Result<SerializeSettings, PdfError> {
    let mut builder = ConfigurationBuilder::new();
    for standard in &options.standards {
        builder = match standard {
            Standard::Ua1 => builder.with_accessibility_validator(Accessibility::UA1),
            Standard::A2b => builder.with_archival_validator(Archival::A2_B),
            Standard::A2u => builder.with_archival_validator(Archival::A2_U),
            Standard::A2a => builder.with_archival_validator(Archival::A2_A),
        };
    }
    let configuration = builder
        .finish()
        .map_err(|e| PdfError::Standards(format!("{e:?}")))?;
    Ok(SerializeSettings {
        configuration,
        enable_tagging: tagged,
        ..SerializeSettings::default()
    })
}

/// State while writing pages: fonts, images already embedded, and the
/// content identifiers of each structure node in reading order.
struct Writer {
    fonts: Vec<Font>,
    images: HashMap<*const crate::model::Image, Image>,
    tagged: bool,
    /// For each structure node, its leaves with their place in drawing order.
    leaves: Vec<Vec<(u64, Identifier)>>,
    sequence: u64,
    /// The page being written, for validation messages (krilla's locations
    /// are page numbers from 1 here).
    location: Option<NonZeroU64>,
}

impl Writer {
    fn page(
        &mut self,
        pdf: &mut KrillaDocument,
        doc: &Document,
        index: usize,
        items: &[Item],
    ) -> Result<(), PdfError> {
        let page = &doc.pages[index];
        let offset = page.bleed + page.slug;
        let media = (
            page.size.width + offset * 2.0,
            page.size.height + offset * 2.0,
        );
        let trim = Rect::from_xywh(offset.0, offset.0, page.size.width.0, page.size.height.0);
        let bleed = Rect::from_xywh(
            page.slug.0,
            page.slug.0,
            (page.size.width + page.bleed * 2.0).0,
            (page.size.height + page.bleed * 2.0).0,
        );
        let settings = PageSettings::from_wh(media.0.0, media.1.0)
            .ok_or_else(|| PdfError::Writer(format!("page {} has no size", index + 1)))?
            .with_trim_box(trim)
            .with_bleed_box(bleed)
            .with_page_label(label(page.label));
        let mut krilla_page = pdf.start_page_with(settings);
        let mut surface = krilla_page.surface();
        self.location = NonZeroU64::new(index as u64 + 1);
        if let Some(location) = self.location {
            surface.set_location(location);
        }
        if offset > crate::units::Pt::ZERO {
            surface.push_transform(&Transform::from_translate(offset.0, offset.0));
        }
        // Consecutive items of one node share one tagged block.
        let mut open: Option<Tag> = None;
        for item in items {
            if matches!(item, Item::Link { .. }) {
                continue;
            }
            let tag = item_tag(item);
            if self.tagged && open != Some(tag) {
                if open.is_some() {
                    surface.end_tagged();
                }
                let id = surface.start_tagged(content_tag(item));
                if let Tag::Node(node) = tag {
                    self.push_leaf(node, id);
                }
                open = Some(tag);
            }
            self.draw(&mut surface, item)?;
        }
        if open.is_some() {
            surface.end_tagged();
        }
        if offset > crate::units::Pt::ZERO {
            surface.pop();
        }
        surface.finish();
        for item in items {
            if let Item::Link { rect, target, tag } = item {
                self.link(&mut krilla_page, doc, offset, rect, target, *tag);
            }
        }
        krilla_page.finish();
        Ok(())
    }

    fn push_leaf(&mut self, node: NodeId, id: Identifier) {
        self.sequence += 1;
        if let Some(leaves) = self.leaves.get_mut(node.0 as usize) {
            leaves.push((self.sequence, id));
        }
    }

    fn link(
        &mut self,
        page: &mut krilla::page::Page<'_>,
        doc: &Document,
        offset: crate::units::Pt,
        rect: &crate::units::Rect,
        target: &LinkTarget,
        tag: Tag,
    ) {
        let Some(r) = Rect::from_xywh(
            (rect.origin.x + offset).0,
            (rect.origin.y + offset).0,
            rect.size.width.0.max(0.1),
            rect.size.height.0.max(0.1),
        ) else {
            return;
        };
        let (target, alt) = match target {
            LinkTarget::Url(url) => (
                Target::Action(LinkAction::new(url.clone()).into()),
                url.clone(),
            ),
            LinkTarget::Page { page: to, y } => {
                let to_offset = doc
                    .pages
                    .get(*to)
                    .map_or(crate::units::Pt::ZERO, |p| p.bleed + p.slug);
                let label = doc
                    .pages
                    .get(*to)
                    .map(|p| p.label.to_string())
                    .unwrap_or_default();
                (
                    Target::Destination(Destination::Xyz(XyzDestination::new(
                        *to,
                        Point::from_xy(0.0, (*y + to_offset).0),
                    ))),
                    format!("Go to page {label}"),
                )
            }
        };
        let annotation = Annotation::new_link(LinkAnnotation::new(r, target), Some(alt));
        match (self.tagged, tag) {
            (true, Tag::Node(node)) => {
                let id = page.add_tagged_annotation(annotation);
                self.push_leaf(node, id);
            }
            _ => page.add_annotation(annotation),
        }
    }

    fn draw(&mut self, surface: &mut Surface<'_>, item: &Item) -> Result<(), PdfError> {
        match item {
            Item::Text(run) => draw_text(surface, run, &self.fonts, self.location),
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
            Item::Image {
                image, rect, clip, ..
            } => {
                let embedded = self.image(image, rect.size.width.0, rect.size.height.0)?;
                let clip_path = clip
                    .and_then(|c| {
                        Rect::from_xywh(c.origin.x.0, c.origin.y.0, c.size.width.0, c.size.height.0)
                    })
                    .and_then(|r| {
                        let mut path = PathBuilder::new();
                        path.push_rect(r);
                        path.finish()
                    });
                if let Some(path) = &clip_path {
                    surface.push_clip_path(path, &krilla::paint::FillRule::NonZero);
                }
                if let Some(size) = Size::from_wh(rect.size.width.0, rect.size.height.0) {
                    surface.push_transform(&Transform::from_translate(
                        rect.origin.x.0,
                        rect.origin.y.0,
                    ));
                    surface.draw_image(embedded, size);
                    surface.pop();
                }
                if clip_path.is_some() {
                    surface.pop();
                }
            }
            Item::Link { .. } => {}
        }
        Ok(())
    }

    /// The image, embedded once: JPEG as it is, PNG losslessly, and either
    /// scaled down first when it has far more pixels than print needs.
    fn image(
        &mut self,
        image: &Arc<crate::model::Image>,
        width_pt: f32,
        height_pt: f32,
    ) -> Result<Image, PdfError> {
        let key = Arc::as_ptr(image);
        if let Some(embedded) = self.images.get(&key) {
            return Ok(embedded.clone());
        }
        let failed = |reason: String| PdfError::Image {
            path: image.path.display().to_string(),
            reason,
        };
        let data = match downsampled(image, width_pt, height_pt) {
            Some(bytes) => bytes,
            None => image.data.to_vec(),
        };
        let made = match image.format {
            ImageFormat::Jpeg => Image::from_jpeg(Data::from(data), false),
            ImageFormat::Png => Image::from_png(Data::from(data), false),
        }
        .map_err(failed)?;
        self.images.insert(key, made.clone());
        Ok(made)
    }

    /// The tag tree: every structure node with its leaves and child nodes in
    /// the order they were drawn.
    fn tag_tree(&mut self, doc: &Document) -> TagTree {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); doc.structure.len()];
        for (i, node) in doc.structure.iter().enumerate() {
            if let Some(parent) = node.parent {
                children[parent.0 as usize].push(i);
            }
        }
        let mut leaves = std::mem::take(&mut self.leaves);
        let root = build_node(doc, 0, &children, &mut leaves);
        let nodes = match root {
            Some((_, Node::Group(group))) => group.children,
            _ => Vec::new(),
        };
        TagTree::from(nodes).with_lang(Some(doc.meta.language.clone()))
    }
}

/// The group for structure node `index` and the drawing position of its
/// first content, or `None` when it has no content at all.
fn build_node(
    doc: &Document,
    index: usize,
    children: &[Vec<usize>],
    leaves: &mut [Vec<(u64, Identifier)>],
) -> Option<(u64, Node)> {
    let mut parts: Vec<(u64, Node)> = std::mem::take(&mut leaves[index])
        .into_iter()
        .map(|(seq, id)| (seq, Node::Leaf(id)))
        .collect();
    for &child in &children[index] {
        if let Some(part) = build_node(doc, child, children, leaves) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.sort_by_key(|(seq, _)| *seq);
    let first = parts[0].0;
    let node = &doc.structure[index];
    let mut kind = tag_kind(node.kind, node.alt.as_deref());
    if let Some(lang) = &node.lang {
        kind = kind.with_lang(Some(lang.clone()));
    }
    Some((
        first,
        Node::Group(TagGroup::with_children(
            kind,
            parts.into_iter().map(|(_, n)| n).collect(),
        )),
    ))
}

/// The PDF structure type of a node.
fn tag_kind(kind: StructKind, alt: Option<&str>) -> TagKind {
    match kind {
        StructKind::Document | StructKind::Section => KTag::Section.into(),
        StructKind::Heading(level) => KTag::Hn(
            NonZeroU16::new(u16::from(level.max(1))).expect("level is at least 1"),
            alt.map(str::to_string),
        )
        .into(),
        StructKind::Paragraph => KTag::P.into(),
        StructKind::Quote => KTag::BlockQuote.into(),
        StructKind::List(ListMarks::Numbers) => KTag::L(ListNumbering::Decimal).into(),
        StructKind::List(ListMarks::Bullets) => KTag::L(ListNumbering::Disc).into(),
        StructKind::List(ListMarks::Checkboxes) => KTag::L(ListNumbering::None).into(),
        StructKind::ListItem => KTag::LI.into(),
        StructKind::Label => KTag::Lbl.into(),
        StructKind::ListBody => KTag::LBody.into(),
        StructKind::Table => KTag::Table.into(),
        StructKind::TableRow => KTag::TR.into(),
        StructKind::TableHeader => KTag::TH(TableHeaderScope::Column).into(),
        StructKind::TableData => KTag::TD.into(),
        StructKind::Figure => KTag::Figure(Some(
            alt.filter(|a| !a.is_empty())
                .unwrap_or("Picture")
                .to_string(),
        ))
        .into(),
        StructKind::Caption => KTag::Caption.into(),
        StructKind::Note => KTag::Note.into(),
        StructKind::Link => KTag::Link.into(),
        StructKind::Toc => KTag::TOC.into(),
        StructKind::TocItem => KTag::TOCI.into(),
        StructKind::Span => KTag::Span.into(),
        StructKind::Code => KTag::Code.into(),
    }
}

fn item_tag(item: &Item) -> Tag {
    match item {
        Item::Text(run) => run.tag,
        Item::Rule { tag, .. }
        | Item::Fill { tag, .. }
        | Item::Image { tag, .. }
        | Item::Link { tag, .. } => *tag,
    }
}

/// How an item is marked in the content stream.
fn content_tag(item: &Item) -> ContentTag<'static> {
    match (item, item_tag(item)) {
        (_, Tag::Artifact) => {
            ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::Layout, None))
        }
        (Item::Text(_), _) => ContentTag::Span(SpanTag::empty()),
        _ => ContentTag::Other,
    }
}

/// Re-encoded image bytes when the image has far more pixels than 300 per
/// inch at its placed size; `None` to embed it as it is.
fn downsampled(image: &crate::model::Image, width_pt: f32, height_pt: f32) -> Option<Vec<u8>> {
    const PRINT_PPI: f32 = 300.0;
    const FAR_ABOVE: f32 = 1.5;
    let ppi = image.width as f32 / (width_pt / 72.0);
    if ppi <= PRINT_PPI * FAR_ABOVE || width_pt <= 0.0 || height_pt <= 0.0 {
        return None;
    }
    let width = (width_pt / 72.0 * PRINT_PPI).round().max(1.0) as u32;
    let height = (height_pt / 72.0 * PRINT_PPI).round().max(1.0) as u32;
    let format = match image.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
    };
    let decoded = image::load_from_memory_with_format(&image.data, format).ok()?;
    let resized = decoded.resize_exact(width, height, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    match image.format {
        ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
            resized.to_rgb8().write_with_encoder(encoder).ok()?;
        }
        ImageFormat::Png => resized
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .ok()?,
    }
    Some(out)
}

fn label(label: PageLabel) -> KrillaLabel {
    match label {
        PageLabel::Cover => KrillaLabel::new(None, Some("Cover".to_string()), None),
        PageLabel::Roman(n) => {
            KrillaLabel::new(Some(NumberingStyle::LowerRoman), None, NonZeroU32::new(n))
        }
        PageLabel::Arabic(n) => {
            KrillaLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(n))
        }
    }
}

fn paint(color: Color) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn draw_text(
    surface: &mut Surface<'_>,
    run: &TextRun,
    fonts: &[Font],
    location: Option<NonZeroU64>,
) {
    let Some(font) = fonts.get(usize::from(run.font)) else {
        return;
    };
    let size = run.size.0;
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .map(|g| KrillaGlyph {
            glyph_id: GlyphId::new(u32::from(g.id)),
            text_range: g.text(),
            x_advance: g.advance.0 / size,
            x_offset: g.dx().0 / size,
            y_offset: -g.dy().0 / size,
            y_advance: 0.0,
            location,
        })
        .collect();
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: paint(run.color),
        ..Fill::default()
    }));
    let mut transform = None;
    if run.vertical {
        // Spine text reads from top to bottom.
        transform = Some(Transform::from_row(
            0.0,
            1.0,
            -1.0,
            0.0,
            run.origin.x.0 + run.origin.y.0,
            run.origin.y.0 - run.origin.x.0,
        ));
    } else if (run.h_scale - 1.0).abs() > 1e-4 {
        let ox = run.origin.x.0;
        transform = Some(Transform::from_row(
            run.h_scale,
            0.0,
            0.0,
            1.0,
            ox - run.h_scale * ox,
            0.0,
        ));
    }
    if let Some(t) = &transform {
        surface.push_transform(t);
    }
    surface.draw_glyphs(
        Point::from_xy(run.origin.x.0, run.origin.y.0),
        &glyphs,
        font.clone(),
        &run.text,
        size,
        false,
    );
    if transform.is_some() {
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
    if let Some(time) = meta.date {
        let (date, seconds) = (time.date, time.seconds);
        m = m.creation_date(
            DateTime::new(date.year.clamp(0, 9999) as u16)
                .month(date.month)
                .day(date.day)
                .hour((seconds / 3600) as u8)
                .minute((seconds / 60 % 60) as u8)
                .second((seconds % 60) as u8)
                .utc_offset_hour(0),
        );
    }
    m
}

/// The validation errors, each with the page it concerns.
fn map_error(error: KrillaError, options: &PdfOptions) -> PdfError {
    let standard = options
        .standards
        .iter()
        .map(Standard::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    match error {
        KrillaError::Validation(errors) => PdfError::Validation {
            standard,
            problems: errors
                .into_iter()
                .map(|(e, _)| (error_page(&e), describe(&e)))
                .collect(),
        },
        other => PdfError::Writer(format!("{other:?}")),
    }
}

fn error_page(error: &ValidationError) -> Option<usize> {
    let location = match error {
        ValidationError::ContainsNotDefGlyph(_, l, _)
        | ValidationError::NoCodepointMapping(_, _, l)
        | ValidationError::InvalidCodepointMapping(_, _, _, l)
        | ValidationError::UnicodePrivateArea(_, _, _, l)
        | ValidationError::MissingAltText(l)
        | ValidationError::MissingAnnotationAltText(l)
        | ValidationError::Transparency(l)
        | ValidationError::ImageInterpolation(l) => *l,
        _ => None,
    };
    location.map(|l| l.get() as usize - 1)
}

fn describe(error: &ValidationError) -> String {
    match error {
        ValidationError::ContainsNotDefGlyph(_, _, text) => {
            format!("the text `{text}` has a character no font of the family has")
        }
        ValidationError::NoDocumentLanguage => "the document has no language".into(),
        ValidationError::NoDocumentTitle => "the document has no title".into(),
        ValidationError::MissingAltText(_) => "an image has no alternative text".into(),
        ValidationError::MissingDocumentOutline => "the document has no bookmarks".into(),
        ValidationError::UnicodePrivateArea(_, _, c, _) => format!(
            "the private-use character U+{:04X} cannot be made accessible",
            *c as u32
        ),
        other => format!("{other:?}"),
    }
}
