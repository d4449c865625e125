//! The direct PDF writer: the page model written with `pdf-writer`'s
//! objects, fonts subset once per face per document with `subsetter`,
//! images passed through wherever PDF can read their files' own data.
//!
//! Pages are written one at a time, in order, and their drawing freed at
//! once; fonts, the structure tree and the navigation are written last,
//! when every glyph and every piece of content they must name is known.
//!
//! Everything that numbers something (objects, glyph codes, marked
//! content) happens in that one pass in page order. Only deflating a
//! page's content stream, which numbers nothing, is handed to other
//! threads in a long document; each page's objects wait until its stream
//! is back and then go into the file in the order a one-thread run writes
//! them, so the bytes do not depend on the threads.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, mpsc};

use pdf_writer::writers::WMode;
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Settings, TextStr};

use super::content::Content;
use super::deflate::deflate;
use super::fonts::{Face, IDENTITY, packed_piece_cmap, piece_cmap_name, programs};
use super::images::Images;
use super::presets::{Preset, SubsetCache};
use super::structure::{Tagging, role};
use super::{PdfError, PdfOptions, Standard, metadata, navigation};
use crate::page::{Document, FontFile, Item, Tag};

/// Writes `doc` as PDF bytes (see [`super::write_pdf`]).
pub fn write_pdf(doc: Document, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    write(doc, options, Vec::new()).map(|(pdf, _)| pdf)
}

/// [`write_pdf`] with the faces' presets from `cache` (see
/// [`super::presets`]).
pub fn write_pdf_with(
    doc: Document,
    options: &PdfOptions,
    cache: &mut SubsetCache,
) -> Result<Vec<u8>, PdfError> {
    let presets = doc.fonts.iter().map(|file| cache.preset(file)).collect();
    let (pdf, hits) = write(doc, options, presets)?;
    for hit in hits {
        cache.count(hit);
    }
    Ok(pdf)
}

/// Writes `doc`, numbering the glyphs of each face that has one of
/// `presets` (by font index) from it; returns the PDF and, for each face
/// written from a preset, whether it drew no glyph past it.
fn write(
    mut doc: Document,
    options: &PdfOptions,
    presets: Vec<Option<Arc<Preset>>>,
) -> Result<(Vec<u8>, Vec<bool>), PdfError> {
    let mut writer = Writer::new(&doc, options, presets)?;
    let (packed, deflated) = mpsc::channel();
    if doc.pages.len() >= SIDE_BY_SIDE_FROM {
        // In place: this thread writes the pages (a render's deadline is
        // this thread's), and rayon's threads deflate.
        rayon::in_place_scope(|scope| {
            write_pages(&mut writer, &mut doc, (packed, &deflated), Some(scope))
        })?;
    } else {
        // Without rayon's pool, which a short document does not need and
        // a lone article's process would otherwise start.
        write_pages(&mut writer, &mut doc, (packed, &deflated), None)?;
    }
    // Every stream is deflated once the scope is over.
    writer.write_deflated(&deflated);
    let hits = writer.write_fonts()?;
    Ok((writer.finish(&doc)?, hits))
}

/// A channel for pages' deflated content streams, by page index.
type Deflated<'a> = (
    mpsc::Sender<(usize, Vec<u8>)>,
    &'a mpsc::Receiver<(usize, Vec<u8>)>,
);

/// Writes every page of `doc`, each page's content stream deflated on one
/// of `scope`'s threads if given, else on this one, and sent back through
/// the channel (`packed` to `deflated`). A stream deflated elsewhere may
/// still be on its way when this returns.
fn write_pages<'scope>(
    writer: &mut Writer,
    doc: &mut Document,
    (packed, deflated): Deflated<'_>,
    scope: Option<&rayon::Scope<'scope>>,
) -> Result<(), PdfError> {
    for index in 0..doc.pages.len() {
        // Between pages: a render past its deadline stops here.
        crate::cancel::checkpoint();
        let items = std::mem::take(&mut doc.pages[index].items);
        let content = writer.page(doc, index, &items)?;
        drop(items);
        let packed = packed.clone();
        let deflate_page = move || {
            // The receiver lives until every page is written.
            let _ = packed.send((index, deflate(&content)));
        };
        match scope {
            Some(scope) => scope.spawn(move |_| deflate_page()),
            None => deflate_page(),
        }
        writer.write_deflated(deflated);
    }
    Ok(())
}

/// The fewest pages whose content streams are deflated on other threads:
/// a per-article PDF of a few pages is written on its request's thread
/// alone.
const SIDE_BY_SIDE_FROM: usize = 16;

/// A page whose objects are written but for its content stream.
struct Waiting {
    /// The objects that go before the stream: the images the page shows
    /// first.
    before: Chunk,
    /// The content stream's object.
    content: Ref,
    /// Its link annotations and its page object.
    after: Chunk,
}

/// The document being written.
struct Writer {
    pdf: Pdf,
    /// The next free object number.
    next: i32,
    standards: Vec<Standard>,
    page_tree: Ref,
    pages: Vec<Ref>,
    /// Pages waiting for their content stream, from `next_page` on.
    waiting: VecDeque<Waiting>,
    next_page: usize,
    /// Deflated content streams not yet written, by page.
    deflated: BTreeMap<usize, Vec<u8>>,
    faces: Vec<Option<Face>>,
    fonts: Vec<FontFile>,
    /// Each font's preset, if it has one (by font index).
    presets: Vec<Option<Arc<Preset>>>,
    images: Images,
    /// The structure learnt from the pages, when tagged.
    tagging: Option<Tagging>,
    /// What fails a requested standard, with the page it is on.
    problems: Vec<(Option<usize>, String)>,
}

impl Writer {
    fn new(
        doc: &Document,
        options: &PdfOptions,
        presets: Vec<Option<Arc<Preset>>>,
    ) -> Result<Writer, PdfError> {
        let standards = checked_standards(&options.standards)?;
        let tagged = options.tagged
            || standards
                .iter()
                .any(|s| matches!(s, Standard::Ua1 | Standard::A2a));
        let archival = standards.iter().any(|s| *s != Standard::Ua1);
        let mut writer = Writer {
            pdf: Pdf::with_settings_and_capacity(SETTINGS, expected_size(doc)),
            next: 1,
            standards,
            page_tree: Ref::new(1),
            pages: Vec::new(),
            waiting: VecDeque::new(),
            next_page: 0,
            deflated: BTreeMap::new(),
            faces: doc.fonts.iter().map(|_| None).collect(),
            fonts: doc.fonts.clone(),
            presets,
            images: Images::new(archival),
            tagging: tagged.then(|| Tagging::new(doc)),
            problems: Vec::new(),
        };
        writer.page_tree = writer.alloc();
        writer.pages = (0..doc.pages.len()).map(|_| writer.alloc()).collect();
        Ok(writer)
    }

    fn alloc(&mut self) -> Ref {
        let id = Ref::new(self.next);
        self.next += 1;
        id
    }

    /// Whether a requested standard forbids what `fails` says it does.
    fn forbids(&self, fails: impl Fn(Standard) -> bool) -> bool {
        self.standards.iter().any(|&s| fails(s))
    }

    /// Writes one page's objects but its content stream: the images it
    /// shows first, its dictionary and resources, and its link
    /// annotations; gives the content stream, to deflate, and leaves the
    /// objects waiting for it (see [`Writer::write_deflated`]).
    fn page(&mut self, doc: &Document, index: usize, items: &[Item]) -> Result<Vec<u8>, PdfError> {
        let mut before = Chunk::with_settings(SETTINGS);
        let mut after = Chunk::with_settings(SETTINGS);
        let page = &doc.pages[index];
        let offset = (page.bleed + page.slug).0;
        let media = (
            page.size.width.0 + 2.0 * offset,
            page.size.height.0 + 2.0 * offset,
        );
        let mut content = Content::new(offset, media.1);
        let mut images_used: Vec<(usize, Ref)> = Vec::new();
        // Consecutive items of one structure node share one marked sequence.
        let mut open: Option<Tag> = None;
        for item in items {
            if matches!(item, Item::Link { .. }) {
                continue;
            }
            if let Some(tagging) = &mut self.tagging {
                let tag = match item_tag(item) {
                    Tag::Node(node) if tagging.knows(node) => Tag::Node(node),
                    _ => Tag::Artifact,
                };
                if open != Some(tag) {
                    if open.is_some() {
                        content.end_marked();
                    }
                    match tag {
                        Tag::Artifact => content.begin_artifact(),
                        Tag::Node(node) => {
                            let mcid = tagging.content(node, index);
                            let kind = doc.structure[node.0 as usize].kind;
                            content.begin_tagged(role(kind, node.0 == 0), mcid);
                        }
                    }
                    open = Some(tag);
                }
            }
            match item {
                Item::Text(run) => {
                    let Some(face) = self.face(run.font)? else {
                        continue;
                    };
                    let notdef = content.text(run, run.font, face);
                    self.check_text(index, &run.text, notdef);
                }
                Item::Rule {
                    from,
                    to,
                    width,
                    color,
                    ..
                } => content.rule(*from, *to, width.0, *color),
                Item::Fill { rect, color, .. } => content.fill(*rect, *color),
                Item::Image {
                    image, rect, clip, ..
                } => {
                    let mut next = self.next;
                    let embedded = self.images.embed(
                        image,
                        rect.size.width.0,
                        rect.size.height.0,
                        &mut before,
                        &mut || {
                            next += 1;
                            Ref::new(next - 1)
                        },
                    )?;
                    self.next = next;
                    if !images_used.contains(&embedded) {
                        images_used.push(embedded);
                    }
                    content.image(embedded.0, *rect, *clip);
                }
                Item::Link { .. } => {}
            }
        }
        if open.is_some() {
            content.end_marked();
        }
        let content_ref = self.alloc();
        let fonts_used = content.fonts().to_vec();
        let annotations = self.links(&mut after, doc, index, items);

        let trim = Rect::new(
            offset,
            offset,
            offset + page.size.width.0,
            offset + page.size.height.0,
        );
        let slug = page.slug.0;
        let bleed = Rect::new(slug, slug, media.0 - slug, media.1 - slug);
        let font_refs: Vec<((u16, u16), Ref)> = fonts_used
            .iter()
            .map(|&(font, piece)| ((font, piece), self.font_object(font, piece)))
            .collect();
        let tagged = self.tagging.is_some();
        let mut dict = after.page(self.pages[index]);
        dict.parent(self.page_tree)
            .media_box(Rect::new(0.0, 0.0, media.0, media.1))
            .trim_box(trim)
            .bleed_box(bleed)
            .contents(content_ref);
        if tagged {
            dict.struct_parents(index as i32);
            dict.tab_order(pdf_writer::types::TabOrder::StructureOrder);
        }
        if !annotations.is_empty() {
            dict.annotations(annotations);
        }
        let mut resources = dict.resources();
        if !font_refs.is_empty() {
            let mut fonts = resources.fonts();
            for ((font, piece), id) in font_refs {
                let name = if piece == 0 {
                    format!("F{font}")
                } else {
                    format!("F{font}.{piece}")
                };
                fonts.pair(Name(name.as_bytes()), id);
            }
        }
        if !images_used.is_empty() {
            let mut objects = resources.x_objects();
            for (number, id) in &images_used {
                objects.pair(Name(format!("Im{number}").as_bytes()), *id);
            }
        }
        resources.finish();
        dict.finish();
        self.waiting.push_back(Waiting {
            before,
            content: content_ref,
            after,
        });
        Ok(content.finish())
    }

    /// Takes the deflated content streams that are back, and writes the
    /// waiting pages whose streams are all there, in page order.
    fn write_deflated(&mut self, deflated: &mpsc::Receiver<(usize, Vec<u8>)>) {
        self.deflated.extend(deflated.try_iter());
        while let Some(packed) = self.deflated.remove(&self.next_page) {
            let Some(page) = self.waiting.pop_front() else {
                break;
            };
            self.pdf.extend(&page.before);
            self.pdf
                .stream(page.content, &packed)
                .filter(Filter::FlateDecode);
            self.pdf.extend(&page.after);
            self.next_page += 1;
        }
    }

    /// The link annotations of page `index`, written into `chunk`; their
    /// objects.
    fn links(
        &mut self,
        chunk: &mut Chunk,
        doc: &Document,
        index: usize,
        items: &[Item],
    ) -> Vec<Ref> {
        let mut annotations = Vec::new();
        for item in items {
            let Item::Link { rect, target, tag } = item else {
                continue;
            };
            let id = self.alloc();
            let key = match (&mut self.tagging, tag) {
                (Some(tagging), Tag::Node(node)) if tagging.knows(*node) => {
                    Some(tagging.annotation(*node, index, id))
                }
                _ => None,
            };
            navigation::link(
                chunk,
                id,
                doc,
                &self.pages,
                (&doc.pages[index], rect),
                target,
                key,
            );
            annotations.push(id);
        }
        annotations
    }

    /// Notes what in a run of text fails a requested standard.
    fn check_text(&mut self, page: usize, text: &str, notdef: Option<String>) {
        if let Some(missing) = notdef
            && !self.standards.is_empty()
        {
            self.problems.push((
                Some(page),
                format!("the text `{missing}` has a character no font of the family has"),
            ));
        }
        if self.forbids(|s| s == Standard::A2a)
            && let Some(c) = text.chars().find(|&c| is_private_use(c))
        {
            self.problems.push((
                Some(page),
                format!(
                    "the private-use character U+{:04X} cannot be made accessible",
                    c as u32
                ),
            ));
        }
    }

    /// The face of font `index`, read on first use; `None` for an index
    /// the document does not have.
    fn face(&mut self, index: u16) -> Result<Option<&mut Face>, PdfError> {
        let index = usize::from(index);
        let Some(slot) = self.faces.get_mut(index) else {
            return Ok(None);
        };
        if slot.is_none() {
            let file = &self.fonts[index];
            *slot = Some(match self.presets.get(index).cloned().flatten() {
                Some(preset) => Face::with_preset(file, preset)?,
                None => Face::new(file)?,
            });
        }
        Ok(slot.as_mut())
    }

    /// The font object of `piece` of font `index` (see
    /// [`Face::piece`]), numbered on first use.
    fn font_object(&mut self, index: u16, piece: u16) -> Ref {
        let existing = self.faces[usize::from(index)]
            .as_ref()
            .and_then(|f| f.reference(piece));
        if let Some(id) = existing {
            return id;
        }
        let id = self.alloc();
        if let Some(face) = self.faces[usize::from(index)].as_mut() {
            face.set_reference(piece, id);
        }
        id
    }

    /// Writes the fonts, the structure, the navigation, the metadata, the
    /// page tree and the catalog.
    /// Called after [`write_fonts`](Self::write_fonts).
    fn finish(mut self, doc: &Document) -> Result<Vec<u8>, PdfError> {
        self.check_document(doc);
        if !self.problems.is_empty() {
            return Err(PdfError::Validation {
                standard: self
                    .standards
                    .iter()
                    .map(Standard::to_string)
                    .collect::<Vec<_>>()
                    .join(" and "),
                problems: self.problems,
            });
        }
        let mut next = self.next;
        let mut alloc = || {
            next += 1;
            Ref::new(next - 1)
        };
        let pdf = &mut self.pdf;
        let structure = self
            .tagging
            .take()
            .map(|tagging| tagging.write(pdf, doc, &self.pages, &mut alloc));
        let outline = navigation::outline(pdf, doc, &self.pages, &mut alloc);
        let labels = navigation::page_labels(pdf, doc, &mut alloc);
        let (catalog, info, xmp) = (alloc(), alloc(), alloc());
        let archival = self.standards.iter().any(|s| *s != Standard::Ua1);
        let intent = archival.then(|| {
            let (intent, profile) = (alloc(), alloc());
            metadata::output_intent(pdf, intent, profile);
            intent
        });
        pdf.pages(self.page_tree)
            .kids(self.pages.iter().copied())
            .count(self.pages.len() as i32);
        metadata::info(pdf, doc, info);
        let (file_id, document_id) = metadata::identifier(doc, pdf.len());
        metadata::xmp(pdf, doc, &self.standards, &document_id, xmp);
        let mut root = pdf.catalog(catalog);
        root.pages(self.page_tree).metadata(xmp);
        if !doc.meta.language.is_empty() {
            root.lang(TextStr(&doc.meta.language));
        }
        root.viewer_preferences().display_doc_title(true);
        if let Some(structure) = structure {
            root.mark_info().marked(true);
            root.pair(Name(b"StructTreeRoot"), structure);
        }
        if let Some(outline) = outline {
            root.outlines(outline);
        }
        if let Some(labels) = labels {
            root.pair(Name(b"PageLabels"), labels);
        }
        if let Some(intent) = intent {
            root.insert(Name(b"OutputIntents")).array().item(intent);
        }
        root.finish();
        metadata::set_identifier(pdf, file_id);
        // Give back the room reserved but not written (see
        // `expected_size`): the service keeps its PDFs.
        let mut bytes = self.pdf.finish();
        bytes.shrink_to_fit();
        Ok(bytes)
    }

    /// Writes the shared encoding and every face used, each subset to the
    /// glyphs drawn.
    /// Writes every face used; tells, for each written from a preset,
    /// whether it drew only the preset's glyphs.
    fn write_fonts(&mut self) -> Result<Vec<bool>, PdfError> {
        let mut faces = std::mem::take(&mut self.faces);
        if !faces.iter().flatten().any(Face::is_used) {
            return Ok(Vec::new());
        }
        // The encoding CMaps of the pieces any face with outlines uses.
        let pieces = faces
            .iter()
            .flatten()
            .filter(|f| f.has_outlines())
            .map(Face::pieces)
            .max()
            .unwrap_or(0);
        let mut encodings = Vec::with_capacity(pieces);
        for piece in 0..pieces as u16 {
            let id = self.alloc();
            let cmap = packed_piece_cmap(piece);
            let name = piece_cmap_name(piece);
            let mut stream = self.pdf.cmap(id, &cmap);
            stream
                .name(Name(name.as_bytes()))
                .system_info(IDENTITY)
                .writing_mode(WMode::Horizontal);
            stream.filter(Filter::FlateDecode);
            stream.finish();
            encodings.push(id);
        }
        let mapped = self.forbids(|s| s != Standard::A2b);
        let programs = programs(&faces.iter().flatten().collect::<Vec<_>>());
        for (face, program) in faces.iter_mut().flatten().zip(programs) {
            let mut next = self.next;
            let images = &mut self.images;
            let unmapped = face.write(&mut self.pdf, &encodings, images, program, &mut || {
                next += 1;
                Ref::new(next - 1)
            })?;
            self.next = next;
            if mapped && unmapped {
                self.problems.push((
                    None,
                    "a glyph stands for no character, so its text cannot be copied".into(),
                ));
            }
        }
        Ok(faces
            .iter()
            .flatten()
            .filter(|face| face.is_used())
            .filter_map(Face::preset_hit)
            .collect())
    }

    /// Notes what about the whole document fails a requested standard.
    fn check_document(&mut self, doc: &Document) {
        let meta = &doc.meta;
        let mut fail = |message: &str| self.problems.push((None, message.to_string()));
        let ua = self.standards.contains(&Standard::Ua1);
        if ua && meta.title.is_empty() {
            fail("the document has no title");
        }
        if ua && doc.outline.is_empty() {
            fail("the document has no bookmarks");
        }
        if self.standards.contains(&Standard::A2a) && meta.language.is_empty() {
            fail("the document has no language");
        }
        let archival = self.standards.iter().any(|s| *s != Standard::Ua1);
        if archival && meta.date.is_none() {
            fail("the document has no date");
        }
    }
}

/// Room for a document's PDF, so that the file is not copied again each
/// time its buffer doubles: some 12 KB a page (c100's pages take 8 KB,
/// their images included) and 64 KB for the fonts and the structure. What
/// is not written is only reserved, never touched.
fn expected_size(doc: &Document) -> usize {
    (doc.pages.len() * 12 + 64) * 1024
}

/// How every object is written: compactly.
pub(super) const SETTINGS: Settings = Settings { pretty: false };

/// The standards, refused when they cannot be combined: at most one
/// PDF/A level, each standard once.
fn checked_standards(standards: &[Standard]) -> Result<Vec<Standard>, PdfError> {
    let archival = standards.iter().filter(|s| **s != Standard::Ua1).count();
    let accessible = standards.iter().filter(|s| **s == Standard::Ua1).count();
    if archival > 1 || accessible > 1 {
        let names: Vec<String> = standards.iter().map(Standard::to_string).collect();
        return Err(PdfError::Standards(names.join(", ")));
    }
    Ok(standards.to_vec())
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

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;
    use crate::page::{Color, DocumentMeta, Glyph, Page, PageLabel, TextRun};
    use crate::units::{Point, Pt, Size};

    /// A page whose one run draws "全" with `.notdef` (glyph 0), as a
    /// character no font has would be drawn without a placeholder.
    fn notdef_document() -> Document {
        let fonts = FontSet::builtin();
        let text = "全";
        Document {
            pages: vec![Page {
                size: Size::new(Pt(100.0), Pt(50.0)),
                bleed: Pt::ZERO,
                slug: Pt::ZERO,
                label: PageLabel::Arabic(1),
                article: None,
                items: vec![Item::Text(TextRun {
                    origin: Point::new(Pt(10.0), Pt(40.0)),
                    font: 0,
                    size: Pt(12.0),
                    h_scale: 1.0,
                    vertical: false,
                    right_to_left: false,
                    glyphs: vec![Glyph::new(0, Pt(0.5), Pt::ZERO, Pt::ZERO, 0..3, text)],
                    text: text.into(),
                    color: Color::BLACK,
                    tag: Tag::Artifact,
                })],
            }],
            fonts: fonts.files(),
            outline: Vec::new(),
            meta: DocumentMeta {
                title: "Notdef".into(),
                language: "zh".into(),
                ..DocumentMeta::default()
            },
            structure: Vec::new(),
            page_starts: Vec::new(),
        }
    }

    #[test]
    fn a_notdef_glyph_fails_pdf_ua_naming_its_text_and_page() {
        let options = PdfOptions {
            standards: vec![Standard::Ua1],
            tagged: true,
        };
        let Err(PdfError::Validation { problems, .. }) = write_pdf(notdef_document(), &options)
        else {
            panic!("a .notdef glyph must fail PDF/UA-1");
        };
        assert!(
            problems.contains(&(
                Some(0),
                "the text `全` has a character no font of the family has".to_string()
            )),
            "{problems:?}"
        );
        // Without a standard the same page is written.
        let options = PdfOptions {
            standards: Vec::new(),
            tagged: false,
        };
        assert!(write_pdf(notdef_document(), &options).is_ok());
    }
}
