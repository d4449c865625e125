//! Layout: from the typed model to finished pages.
//!
//! Each article is typeset into a vertical list ([`flow`]) of lines and
//! blocks, whose paragraphs are shaped ([`shape`]), hyphenated
//! ([`hyphenate`]) and broken into lines ([`linebreak`], [`paragraph`]);
//! the list is cut into pages ([`paginate`]). The book is then assembled:
//! title page and contents in front, running heads and folios on every
//! page ([`furniture`]), bookmarks and metadata for the PDF.

pub mod design;
pub mod flow;
pub mod fonts;
pub mod furniture;
pub mod hyphenate;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;
pub mod structure;

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{Article, Series};
use crate::page::{
    Document, DocumentMeta, FontFile, Item, OutlineEntry, Page, PageLabel, StructKind,
};
use crate::style::Style;
use crate::units::{Pt, Size};

use design::Design;
use flow::FlowBuilder;
use fonts::FontSet;
use hyphenate::Hyphenator;
use paginate::{BodyPage, paginate, shift};
use shape::Shaper;
use structure::Tree;

/// The tools layout works with: the font family, a shaper with its word
/// cache, and the hyphenation patterns.
pub struct Engine<'f> {
    /// The font family.
    pub fonts: &'f FontSet,
    /// Shapes and caches words.
    pub shaper: Shaper<'f>,
    /// Finds hyphenation points.
    pub hyphenator: Hyphenator,
}

impl<'f> Engine<'f> {
    /// An engine for `fonts` with empty caches.
    pub fn new(fonts: &'f FontSet) -> Engine<'f> {
        Engine {
            fonts,
            shaper: Shaper::new(fonts),
            hyphenator: Hyphenator::new(),
        }
    }
}

/// An article cut into pages, before page numbers are known.
struct ArticlePages {
    pages: Vec<BodyPage>,
}

/// Lays out a whole series as a book: title page, contents, articles.
pub fn layout_series(series: &Series, style: &Style, fonts: &FontSet) -> (Document, Diagnostics) {
    let design = Design::new(style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    let mut diags = Diagnostics::new();
    let lang = series.meta.language.clone();

    let title_items = furniture::title_page(&mut engine, &design, &mut tree, series);
    let mut articles = Vec::with_capacity(series.articles.len());
    for article in &series.articles {
        articles.push(layout_article_pages(
            &mut engine,
            &design,
            &mut tree,
            series,
            article,
            &mut diags,
        ));
    }

    // Body page numbers are fixed by the articles alone; the contents are
    // laid out until the number of front pages (which moves the links'
    // page indices) is stable.
    let mut starts = Vec::with_capacity(articles.len());
    let mut next = 1usize;
    for article in &articles {
        starts.push(next);
        next += article.pages.len();
    }
    let mut front_pages = 2usize;
    let mut toc_pages = Vec::new();
    let mut toc_tree = tree.clone();
    for attempt in 0..5 {
        let entries: Vec<furniture::TocEntry> = series
            .articles
            .iter()
            .zip(&starts)
            .map(|(a, &start)| furniture::TocEntry {
                title: a.meta.title.clone(),
                folio: start.to_string(),
                page: front_pages + start - 1,
            })
            .collect();
        toc_tree = tree.clone();
        let flow = furniture::contents(&mut engine, &design, &mut toc_tree, &lang, &entries);
        toc_pages = paginate(
            flow::ArticleFlow {
                flow,
                notes: Vec::new(),
            },
            &design,
        );
        let needed = 1 + toc_pages.len();
        if needed == front_pages {
            break;
        }
        front_pages = needed;
        if attempt == 4 {
            diags.push(Diagnostic::general("the table of contents did not settle after 5 layouts; its links may point one page off"));
        }
    }
    let tree = toc_tree;

    let mut doc = empty_document(series, fonts, &design);
    doc.pages
        .push(page(&design, PageLabel::Roman(1), title_items, Vec::new()));
    for (i, body) in toc_pages.into_iter().enumerate() {
        let label = PageLabel::Roman(2 + i as u32);
        let folio =
            furniture::head_and_folio(&mut engine, &design, &lang, None, Some(&label.to_string()));
        doc.pages.push(page(&design, label, body.items, folio));
    }
    for ((article, pages), &start) in series.articles.iter().zip(articles).zip(&starts) {
        doc.outline.push(OutlineEntry {
            title: article.meta.title.clone(),
            page: doc.pages.len(),
            y: Pt::ZERO,
            children: Vec::new(),
        });
        for (i, body) in pages.pages.into_iter().enumerate() {
            let number = start + i;
            let head = if i == 0 {
                None
            } else if number % 2 == 0 {
                Some(series.meta.title.as_str())
            } else {
                Some(article.meta.title.as_str())
            };
            let furniture = furniture::head_and_folio(
                &mut engine,
                &design,
                &lang,
                head,
                Some(&number.to_string()),
            );
            doc.pages.push(page(
                &design,
                PageLabel::Arabic(number as u32),
                body.items,
                furniture,
            ));
        }
    }
    doc.structure = tree.nodes;
    report_missing_glyphs(&engine, series, &mut diags);
    (doc, diags)
}

/// Lays out one article as its own document (the per-article PDF).
pub fn layout_article(
    series: &Series,
    index: usize,
    style: &Style,
    fonts: &FontSet,
) -> (Document, Diagnostics) {
    let design = Design::new(style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    let mut diags = Diagnostics::new();
    let article = &series.articles[index];
    let lang = article.language(&series.meta.language).to_string();
    let pages = layout_article_pages(&mut engine, &design, &mut tree, series, article, &mut diags);
    let mut doc = empty_document(series, fonts, &design);
    doc.meta.title = article.meta.title.clone();
    doc.meta.authors = article.meta.authors.clone();
    doc.meta.language = lang.clone();
    doc.meta.subject = article.meta.standfirst.clone();
    doc.meta.keywords = article.meta.tags.clone();
    doc.meta.date = Some(article.meta.date);
    doc.outline.push(OutlineEntry {
        title: article.meta.title.clone(),
        page: 0,
        y: Pt::ZERO,
        children: Vec::new(),
    });
    for (i, body) in pages.pages.into_iter().enumerate() {
        let number = i + 1;
        let head = (i > 0).then_some(article.meta.title.as_str());
        let furniture =
            furniture::head_and_folio(&mut engine, &design, &lang, head, Some(&number.to_string()));
        doc.pages.push(page(
            &design,
            PageLabel::Arabic(number as u32),
            body.items,
            furniture,
        ));
    }
    doc.structure = tree.nodes;
    report_missing_glyphs(&engine, series, &mut diags);
    (doc, diags)
}

fn layout_article_pages(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    article: &Article,
    _diags: &mut Diagnostics,
) -> ArticlePages {
    let lang = article.language(&series.meta.language).to_string();
    let section = tree.add(StructKind::Section, Some(tree.root()));
    if lang != series.meta.language {
        tree.set_lang(section, &lang);
    }
    let kicker = article.meta.part.map(|p| format!("Part {p}"));
    let flow =
        FlowBuilder::new(engine, design, tree, &lang).article(article, kicker.as_deref(), section);
    ArticlePages {
        pages: paginate(flow, design),
    }
}

fn empty_document(series: &Series, fonts: &FontSet, _design: &Design) -> Document {
    let mut authors: Vec<String> = Vec::new();
    for a in &series.articles {
        for author in &a.meta.authors {
            if !authors.contains(author) {
                authors.push(author.clone());
            }
        }
    }
    let keywords: BTreeSet<String> = series
        .articles
        .iter()
        .flat_map(|a| a.meta.tags.iter().cloned())
        .collect();
    Document {
        pages: Vec::new(),
        fonts: fonts
            .faces()
            .map(|(_, f)| FontFile {
                data: f.data.clone(),
                name: f.name.clone(),
            })
            .collect(),
        outline: Vec::new(),
        meta: DocumentMeta {
            title: series.meta.title.clone(),
            authors,
            language: series.meta.language.clone(),
            subject: series.meta.subtitle.clone(),
            keywords: keywords.into_iter().collect(),
            date: series.articles.iter().map(|a| a.meta.date).max(),
        },
        structure: Vec::new(),
        page_starts: Vec::new(),
    }
}

/// A page from body items (text-block coordinates) and furniture (page
/// coordinates).
fn page(design: &Design, label: PageLabel, body: Vec<Item>, furniture: Vec<Item>) -> Page {
    let mut items: Vec<Item> = body
        .into_iter()
        .map(|i| shift(i, design.margin_left, design.margin_top))
        .collect();
    items.extend(furniture);
    Page {
        size: Size::new(design.page_width, design.page_height),
        bleed: Pt::ZERO,
        label,
        items,
    }
}

/// Warns, per article, about characters no face of the family has.
fn report_missing_glyphs(engine: &Engine<'_>, series: &Series, diags: &mut Diagnostics) {
    if engine.shaper.missing.is_empty() {
        return;
    }
    for article in &series.articles {
        let text = std::fs::read_to_string(&article.path).unwrap_or_default();
        for c in engine.shaper.missing.iter().filter(|c| text.contains(**c)) {
            let span = text
                .lines()
                .enumerate()
                .find_map(|(l, line)| {
                    line.chars()
                        .position(|x| x == *c)
                        .map(|col| Span::new(l as u32 + 1, col as u32 + 1))
                })
                .unwrap_or(Span::FILE);
            diags.push(
                Diagnostic::warning(&article.path, span, format!("no face of the font family has the character U+{:04X} ‘{c}’; it prints as an empty box", *c as u32))
                    .hint("use --font-dir with a family that covers it"),
            );
        }
    }
}
