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
    Document, DocumentMeta, FontFile, Item, LinkTarget, OutlineEntry, Page, PageLabel, StructKind,
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

/// Lays out a whole series as a book: title page and imprint, contents,
/// then the articles, each opening on a new (optionally right-hand) page.
pub fn layout_series(series: &Series, style: &Style, fonts: &FontSet) -> (Document, Diagnostics) {
    let design = Design::new(style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    let mut diags = Diagnostics::new();
    let lang = series.meta.language.clone();

    let articles: Vec<ArticlePages> = series
        .articles
        .iter()
        .map(|article| {
            layout_article_pages(&mut engine, &design, &mut tree, series, article, &mut diags)
        })
        .collect();
    let placements = place_articles(&articles, style.openings_right);
    let body_pages = placements
        .last()
        .zip(articles.last())
        .map_or(0, |(p, a)| p.first_number - 1 + a.pages.len());
    let front = front_matter(
        &mut engine,
        &design,
        &mut tree,
        series,
        style,
        &placements,
        &mut diags,
    );

    let mut doc = empty_document(series, fonts, &design);
    for (i, (body, furniture)) in front.into_iter().enumerate() {
        doc.pages.push(page(
            &design,
            PageLabel::Roman(i as u32 + 1),
            body,
            furniture,
        ));
    }
    let front_len = doc.pages.len();
    for ((article, pages), placement) in series.articles.iter().zip(articles).zip(&placements) {
        if placement.blank_before {
            let number = placement.first_number - 1;
            doc.pages.push(page(
                &design,
                PageLabel::Arabic(number as u32),
                Vec::new(),
                Vec::new(),
            ));
        }
        let first = doc.pages.len();
        doc.outline.push(article_outline(
            &article.meta.title,
            first,
            &pages.pages,
            &design,
        ));
        for (i, body) in pages.pages.into_iter().enumerate() {
            let number = placement.first_number + i;
            let head = match (style.running_heads, i, number % 2) {
                (false, _, _) | (_, 0, _) => None,
                (true, _, 0) => Some(series.meta.title.as_str()),
                _ => Some(article.meta.title.as_str()),
            };
            let furniture = furniture::head_and_folio(
                &mut engine,
                &design,
                &lang,
                head,
                Some(&number.to_string()),
            );
            doc.pages.push(body_page(
                &design,
                PageLabel::Arabic(number as u32),
                body,
                first,
                furniture,
            ));
        }
    }
    debug_assert_eq!(doc.pages.len(), front_len + body_pages);
    doc.structure = tree.nodes;
    report_missing_glyphs(&engine, series, &mut diags);
    (doc, diags)
}

/// Where an article lands in the book's body.
struct Placement {
    /// A blank page goes before it, so that it opens on a right-hand page.
    blank_before: bool,
    /// Page number of its opening page.
    first_number: usize,
}

/// Numbers the body pages: articles follow each other, each on a new page,
/// with a blank page before those that would otherwise open on the left.
fn place_articles(articles: &[ArticlePages], openings_right: bool) -> Vec<Placement> {
    let mut next = 1;
    articles
        .iter()
        .map(|article| {
            let blank_before = openings_right && next % 2 == 0;
            if blank_before {
                next += 1;
            }
            let placement = Placement {
                blank_before,
                first_number: next,
            };
            next += article.pages.len();
            placement
        })
        .collect()
}

/// The front matter's pages (content in text-block coordinates, furniture
/// in page coordinates): title page and imprint, then the contents, padded to an even count so that the body
/// starts on a right-hand page. The contents are laid out again until the
/// number of front pages, which moves the pages their links point to, is
/// stable.
fn front_matter(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    style: &Style,
    placements: &[Placement],
    diags: &mut Diagnostics,
) -> Vec<(Vec<Item>, Vec<Item>)> {
    let lang = series.meta.language.clone();
    let mut pages: Vec<(Vec<Item>, Vec<Item>)> = Vec::new();
    if style.title_page {
        pages.push((
            furniture::title_page(engine, design, tree, series),
            Vec::new(),
        ));
        pages.push((furniture::imprint(engine, design, tree, series), Vec::new()));
    }
    if !style.contents || placements.is_empty() {
        return pad_to_even(pages);
    }
    let mut guess = even(pages.len() + 1);
    for attempt in 0..5 {
        let entries: Vec<furniture::TocEntry> = series
            .articles
            .iter()
            .zip(placements)
            .map(|(article, placement)| furniture::TocEntry {
                title: article.meta.title.clone(),
                folio: placement.first_number.to_string(),
                page: guess + placement.first_number - 1,
            })
            .collect();
        let mut attempt_tree = tree.clone();
        let flow = furniture::contents(engine, design, &mut attempt_tree, &lang, &entries);
        let toc = paginate(flow, &[], design, &mut |_, _| None);
        let needed = even(pages.len() + toc.len());
        if needed == guess || attempt == 4 {
            if needed != guess {
                diags.push(Diagnostic::general("the table of contents did not settle after 5 layouts; its links may point to the wrong page"));
            }
            *tree = attempt_tree;
            for body in toc {
                let label = PageLabel::Roman(pages.len() as u32 + 1).to_string();
                let folio = furniture::head_and_folio(engine, design, &lang, None, Some(&label));
                pages.push((body.items, folio));
            }
            break;
        }
        guess = needed;
    }
    pad_to_even(pages)
}

fn even(n: usize) -> usize {
    n + n % 2
}

fn pad_to_even(mut pages: Vec<(Vec<Item>, Vec<Item>)>) -> Vec<(Vec<Item>, Vec<Item>)> {
    if pages.len() % 2 == 1 {
        pages.push((Vec::new(), Vec::new()));
    }
    pages
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
    doc.outline.push(article_outline(
        &article.meta.title,
        0,
        &pages.pages,
        &design,
    ));
    for (i, body) in pages.pages.into_iter().enumerate() {
        let number = i + 1;
        let head = (i > 0 && style.running_heads).then_some(article.meta.title.as_str());
        let furniture =
            furniture::head_and_folio(&mut engine, &design, &lang, head, Some(&number.to_string()));
        doc.pages.push(body_page(
            &design,
            PageLabel::Arabic(number as u32),
            body,
            0,
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
    let flow::ArticleFlow {
        flow,
        notes,
        paragraphs,
    } = FlowBuilder::new(engine, design, tree, &lang).article(article, kicker.as_deref(), section);
    let mut reset = |id: usize, lines: usize| {
        let source = paragraphs.get(id)?;
        flow::reset_paragraph(engine, design, tree, source, id, lines)
    };
    ArticlePages {
        pages: paginate(flow, &notes, design, &mut reset),
    }
}

/// A body page: its content moved onto the page, links within the article
/// pointed at the article's pages (it starts at page index `first`).
fn body_page(
    design: &Design,
    label: PageLabel,
    body: BodyPage,
    first: usize,
    furniture: Vec<Item>,
) -> Page {
    let items = body
        .items
        .into_iter()
        .map(|item| match item {
            Item::Link {
                rect,
                target: LinkTarget::Page { page, y },
                tag,
            } => Item::Link {
                rect,
                target: LinkTarget::Page {
                    page: page + first,
                    y: y + design.margin_top,
                },
                tag,
            },
            other => other,
        })
        .collect();
    page(design, label, items, furniture)
}

/// Bookmarks for an article: its title, its headings nested by level.
fn article_outline(title: &str, first: usize, pages: &[BodyPage], design: &Design) -> OutlineEntry {
    let mut entry = OutlineEntry {
        title: title.to_string(),
        page: first,
        y: Pt::ZERO,
        children: Vec::new(),
    };
    for (i, page) in pages.iter().enumerate() {
        for (level, text, y) in &page.anchors {
            let node = OutlineEntry {
                title: text.clone(),
                page: first + i,
                y: *y + design.margin_top,
                children: Vec::new(),
            };
            let mut parent = &mut entry;
            for _ in 2..*level {
                if parent.children.is_empty() {
                    break;
                }
                parent = parent.children.last_mut().expect("not empty");
            }
            parent.children.push(node);
        }
    }
    entry
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
