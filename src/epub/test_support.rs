//! Builders for hand-made series and an XML reader for checking what the
//! EPUB writer produced (tests only).

use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::diag::Span;
use crate::model::{
    Article, Block, BlockKind, Figure, Footnote, Image, ImageFormat, Series, SeriesMeta,
};
use crate::style::PrintOptions;

pub(super) use crate::model::test_builders::{article, block, para, text};

pub(super) fn heading(level: u8, s: &str) -> Block {
    block(BlockKind::Heading {
        level,
        content: vec![text(s)],
    })
}

pub(super) fn note(blocks: Vec<Block>) -> Footnote {
    Footnote {
        label: "n".into(),
        blocks,
        span: Span::default(),
    }
}

pub(crate) fn series(articles: Vec<Article>) -> Series {
    Series {
        dir: PathBuf::from("series"),
        slug: "series".into(),
        meta: SeriesMeta {
            title: "1917".into(),
            subtitle: Some("A weekly series".into()),
            authors: Vec::new(),
            editors: Vec::new(),
            publisher: Some("Socialist Worker".into()),
            language: "en".into(),
            identifier: Some("urn:uuid:091ad4cf-92a6-519c-a7f3-b5cd45be1e12".into()),
            isbn: None,
            url: None,
            characters: Vec::new(),
            cover: None,
        },
        articles,
        print: PrintOptions::default(),
    }
}

/// A small PNG image named `name`.
pub(super) fn png(name: &str, width: u32, height: u32) -> Arc<Image> {
    let pixels = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 40]));
    let mut data = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut data), image::ImageFormat::Png)
        .expect("PNG encodes");
    Arc::new(Image {
        path: PathBuf::from(format!("series/images/{name}")),
        source: format!("images/{name}"),
        format: ImageFormat::Png,
        width,
        height,
        data: Arc::from(data),
    })
}

pub(super) fn figure(image: Arc<Image>, caption: &str, alt: &str) -> Figure {
    Figure {
        image,
        caption: vec![text(caption)],
        alt: alt.to_string(),
        span: Span::default(),
    }
}

/// An element as read back: name and attributes (values unescaped).
#[derive(Debug)]
pub(super) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A document read back: its elements in order and its text content.
#[derive(Debug)]
pub(super) struct Parsed {
    pub elements: Vec<Element>,
    pub text: String,
}

impl Parsed {
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |e| e.name == name)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.elements.iter().filter_map(|e| e.attr("id")).collect()
    }
}

/// Reads `xml`, failing on anything not well-formed: mismatched or
/// unclosed tags, duplicate attributes, unknown entities, several roots.
pub(super) fn parse_xml(xml: &str) -> Result<Parsed, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut parsed = Parsed {
        elements: Vec::new(),
        text: String::new(),
    };
    let mut depth = 0usize;
    let mut roots = 0;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if depth == 0 && roots > 0 => {
                return Err(format!("second root element {:?}", name_of(&start)));
            }
            Event::Start(start) => {
                roots += usize::from(depth == 0);
                depth += 1;
                parsed.elements.push(element(&start)?);
            }
            Event::Empty(start) => {
                roots += usize::from(depth == 0);
                parsed.elements.push(element(&start)?);
            }
            Event::End(_) => depth = depth.checked_sub(1).ok_or("end tag without start")?,
            Event::Text(text) => parsed.text.push_str(&text.xml10_content()),
            Event::CData(data) => parsed.text.push_str(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&reference)
                        .ok_or_else(|| format!("unknown entity &{};", &*reference))?
                        .to_string(),
                };
                parsed.text.push_str(&resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if depth != 0 {
        return Err(format!("{depth} element(s) left open"));
    }
    if roots != 1 {
        return Err("no root element".into());
    }
    Ok(parsed)
}

fn name_of(start: &BytesStart<'_>) -> String {
    start.name().as_ref().to_string()
}

fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| format!("in <{}>: {e}", name_of(start)))?;
        let name = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(XmlVersion::Explicit1_0)
            .map_err(|e| format!("in <{}> {name}: {e}", name_of(start)))?;
        attrs.push((name, value.into_owned()));
    }
    Ok(Element {
        name: name_of(start),
        attrs,
    })
}

/// The entries of an EPUB: name, compression method and text (or bytes).
pub(super) fn unzip(epub: &[u8]) -> Vec<(String, zip::CompressionMethod, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("a zip file");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("an entry");
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("entry reads");
            (
                file.name().expect("a UTF-8 name").to_string(),
                file.compression(),
                data,
            )
        })
        .collect()
}

/// The text of the EPUB entry `name`.
pub(super) fn entry(epub: &[u8], name: &str) -> String {
    unzip(epub)
        .into_iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, _, data)| String::from_utf8(data).expect("UTF-8"))
        .unwrap_or_else(|| panic!("no entry {name}"))
}
