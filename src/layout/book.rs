//! Assembling documents from laid-out articles: the book (cover, title
//! page, imprint, contents, articles) and the single article; page numbers,
//! running heads and folios, the gutter, crop marks, bookmarks and metadata.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Severity, Span};
use crate::model::{Article, Series, Timestamp};
use crate::page::{
    Document, DocumentMeta, Item, LinkTarget, OutlineEntry, Page, PageLabel, StructKind,
    TextPosition,
};
use crate::style::Style;
use crate::units::{Pt, Size};

use super::cover;
use super::design::Design;
use super::fallback;
use super::flow::{self, Break, Flow, FlowBox, FlowBuilder, NoteFlow};
use super::fonts::FontSet;
use super::furniture;
use super::paginate::{
    BodyPage, Reset, paginate, paginate_article, paginate_article_costed, shift,
};
use super::paragraph::SetParagraph;
use super::structure::Tree;
use super::{Caches, Engine};

/// A page being assembled: its body in text-block coordinates, its
/// furniture in page coordinates (both move with the gutter), and artwork
/// in page coordinates that may run into the bleed.
pub struct Sheet {
    /// Page number as printed.
    pub label: PageLabel,
    /// Content, from the top-left of the text block.
    pub body: Vec<Item>,
    /// Running head and folio.
    pub furniture: Vec<Item>,
    /// Full-page artwork (covers), drawn first, never moved.
    pub art: Vec<Item>,
    /// The article the page belongs to.
    pub article: Option<usize>,
    /// Where its text starts in the series, for EPUB page lists.
    pub start: Option<TextPosition>,
}

impl Sheet {
    /// An empty page with a number.
    pub fn blank(label: PageLabel) -> Sheet {
        Sheet {
            label,
            body: Vec::new(),
            furniture: Vec::new(),
            art: Vec::new(),
            article: None,
            start: None,
        }
    }
}

/// An article cut into pages, before page numbers are known.
#[derive(Clone)]
pub struct ArticlePages {
    pages: Vec<BodyPage>,
}

/// Typesets one article and cuts it into pages. `origin` is the line that
/// says where the article first appeared (per-article PDFs only).
pub fn article_pages(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    article: &Article,
    origin: Option<&str>,
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
        list_keeps,
    } = FlowBuilder::new(engine, design, tree, &lang).article(
        article,
        kicker.as_deref(),
        origin,
        section,
    );
    let mut reset = |id: usize, lines: usize, strain| {
        let source = paragraphs.get(id)?;
        flow::reset_paragraph(engine, design, tree, source, id, lines, strain)
    };
    ArticlePages {
        pages: paginate_keeping_lists(flow, &list_keeps, &notes, design, &mut reset),
    }
}

/// Cuts an article into pages with its lists kept whole where a page
/// would leave one item alone or part a lead-in from its list, unless
/// that costs the article a page or opens white that the pages cut as
/// paragraphs alone would not: a preference, as a compositor keeps a
/// list together only where the page allows. `keeps` are the boxes the
/// list rules hold to the box before them (see [`flow::ArticleFlow`]);
/// the article is cut a second time only when its lists split badly.
fn paginate_keeping_lists(
    flow: Vec<Flow>,
    keeps: &[(usize, Break)],
    notes: &[NoteFlow],
    design: &Design,
    reset: &mut Reset<'_>,
) -> Vec<BodyPage> {
    if keeps.is_empty() {
        return paginate_article(flow, notes, design, reset);
    }
    let mut loose = flow.clone();
    for &(at, allowed) in keeps {
        if let Flow::Box(b) = &mut loose[at] {
            Arc::make_mut(b).break_before = allowed;
        }
    }
    let kept: Vec<(usize, usize)> = keeps
        .iter()
        .filter_map(|&(at, _)| match &flow[at] {
            Flow::Box(b) => b.source,
            Flow::Space { .. } => None,
        })
        .collect();
    let (loose_pages, loose_cost) = paginate_article_costed(loose.clone(), notes, design, reset);
    let splits_badly = loose_pages
        .iter()
        .skip(1)
        .any(|page| page.source.is_some_and(|s| kept.contains(&s)));
    if !splits_badly {
        return loose_pages;
    }
    let (kept_pages, kept_cost) = paginate_article_costed(flow, notes, design, reset);
    if kept_pages.len() <= loose_pages.len() && kept_cost <= loose_cost + 1e-3 {
        return kept_pages;
    }
    // The list splits over a page turn: a float standing just before it,
    // sent on to the next page's head, would land inside the list. Set
    // after the list, it parts no items, where that costs nothing more.
    let moved = floats_after_lists(&loose, keeps);
    if moved.len() != loose.len() {
        return loose_pages;
    }
    let (moved_pages, moved_cost) = paginate_article_costed(moved, notes, design, reset);
    if moved_pages.len() <= loose_pages.len() && moved_cost <= loose_cost + 1e-3 {
        moved_pages
    } else {
        loose_pages
    }
}

/// How many list elements before a list's first kept box a float may
/// stand and still be taken for one set just before the list.
const FLOAT_BEFORE_LIST: usize = 8;

/// `flow` with each float that stands just before a list (within
/// [`FLOAT_BEFORE_LIST`] elements of its first kept box, no heading
/// between) moved past the list's last item; an empty list when no
/// float stands so. A list is a run of `keeps` with no paragraph's line
/// between them (an item's lines are not set again, see
/// [`flow::ArticleFlow`]), and ends where its last item's lines do.
fn floats_after_lists(flow: &[Flow], keeps: &[(usize, Break)]) -> Vec<Flow> {
    let is_item_line =
        |f: &Flow| matches!(f, Flow::Box(b) if b.para.is_none() && !b.float && !b.heading);
    let mut starts: Vec<usize> = keeps.iter().map(|&(at, _)| at).collect();
    starts.sort_unstable();
    let mut moves: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < starts.len() {
        let first = starts[k];
        let mut last = first;
        while k + 1 < starts.len() && flow[last..starts[k + 1]].iter().all(is_item_line) {
            k += 1;
            last = starts[k];
        }
        k += 1;
        let end = last + flow[last..].iter().take_while(|f| is_item_line(f)).count();
        let window = first.saturating_sub(FLOAT_BEFORE_LIST)..first;
        for at in window.rev() {
            match &flow[at] {
                Flow::Box(b) if b.heading => break,
                Flow::Box(b) if b.float => moves.push((at, end)),
                _ => {}
            }
        }
    }
    if moves.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Flow> = Vec::with_capacity(flow.len());
    for (i, f) in flow.iter().enumerate() {
        for &(at, end) in &moves {
            if end == i {
                out.push(sent_on(&flow[at]));
            }
        }
        if !moves.iter().any(|&(at, _)| at == i) {
            out.push(f.clone());
        }
    }
    for &(at, end) in &moves {
        if end >= flow.len() {
            out.push(sent_on(&flow[at]));
        }
    }
    out
}

/// `float` set where it was moved to: marked moved, and a page may end
/// before it.
fn sent_on(float: &Flow) -> Flow {
    match float {
        Flow::Box(b) => Flow::Box(Arc::new(FlowBox::clone(b).into_moved())),
        other => other.clone(),
    }
}

/// An article laid out on its own, on any thread: its pages, its part of
/// the structure, and the characters no face of the family had. It
/// depends only on the article, the series' language, the style and the
/// fonts, so `iskra watch` keeps it while those are unchanged.
#[derive(Clone)]
pub struct LaidOut {
    pages: ArticlePages,
    tree: Tree,
    missing: BTreeSet<char>,
}

/// Lays out one article of `series` for the book, with a structure of
/// its own; `engine`'s caches may be shared with other articles.
pub fn lay_out_article(
    engine: &mut Engine<'_>,
    design: &Design,
    series: &Series,
    article: &Article,
) -> LaidOut {
    let mut tree = Tree::new();
    let pages = article_pages(engine, design, &mut tree, series, article, None);
    LaidOut {
        pages,
        tree,
        missing: engine.shaper.missing.clone(),
    }
}

impl LaidOut {
    /// Its pages, their structure now part of `tree`, its missing
    /// characters noted in `engine`.
    fn graft_into(mut self, tree: &mut Tree, engine: &mut Engine<'_>) -> ArticlePages {
        let graft = tree.graft(self.tree);
        for page in &mut self.pages.pages {
            for item in &mut page.items {
                let tag = item.tag_mut();
                *tag = graft.tag(*tag);
            }
        }
        engine.shaper.missing.extend(self.missing);
        self.pages
    }
}

/// Every article of the series laid out, in parallel: each opens a new
/// page, so none depends on another, and page numbers come after. The
/// result does not depend on the number of threads.
fn lay_out_articles(series: &Series, design: &Design, fonts: &FontSet) -> Vec<LaidOut> {
    // One run of consecutive articles per thread, each with one engine, so
    // that every thread shapes a common word once.
    let per_thread = series
        .articles
        .len()
        .div_ceil(rayon::current_num_threads())
        .max(1);
    series
        .articles
        .par_chunks(per_thread)
        .flat_map_iter(|articles| {
            let mut engine = Engine::new(fonts);
            articles
                .iter()
                .map(|article| lay_out_article(&mut engine, design, series, article))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Lays out a whole series as a book.
pub fn book(series: &Series, style: &Style, fonts: &FontSet) -> (Document, Diagnostics) {
    let fonts = &*fallback::for_articles(fonts, series, &series.articles);
    let laid_out = lay_out_articles(series, &Design::new(style), fonts);
    book_from(series, style, fonts, laid_out)
}

/// The book of `series` from its articles laid out already, one per
/// article in order (by [`lay_out_article`] with the same style and
/// fonts, perhaps kept from an earlier build): numbered, with its front
/// matter, contents and furniture. `fonts` is the family with the
/// fallbacks the series needs ([`fallback::for_articles`]).
pub fn book_from(
    series: &Series,
    style: &Style,
    fonts: &FontSet,
    laid_out: Vec<LaidOut>,
) -> (Document, Diagnostics) {
    let design = Design::new(style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    let mut diags = Diagnostics::new();
    let lang = series.meta.language.clone();
    let articles: Vec<ArticlePages> = laid_out
        .into_iter()
        .map(|laid_out| laid_out.graft_into(&mut tree, &mut engine))
        .collect();
    let placements = place_articles(
        articles.iter().map(|article| article.pages.len()),
        style.openings_right,
    );

    let mut sheets: Vec<Sheet> = Vec::new();
    if style.cover {
        sheets.push(cover::front_cover_sheet(
            &mut engine,
            &design,
            &mut tree,
            series,
        ));
        sheets.push(Sheet::blank(PageLabel::Cover));
    }
    let front_start = sheets.len();
    sheets.extend(front_matter(
        &mut engine,
        &design,
        &mut tree,
        series,
        style,
        &placements,
        front_start,
        &mut diags,
    ));
    let mut outline = Vec::new();
    let mut heads = furniture::RunningHeads::default();
    for (index, (article, pages)) in series.articles.iter().zip(articles).enumerate() {
        let placement = &placements[index];
        if placement.blank_before {
            sheets.push(Sheet::blank(PageLabel::Arabic(
                placement.first_number as u32 - 1,
            )));
        }
        let first = sheets.len();
        outline.push(article_outline(
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
                _ => Some(article.running_title()),
            };
            let furniture = furniture::head_and_folio(
                &mut engine,
                &design,
                &lang,
                &mut heads,
                head,
                Some(&number.to_string()),
            );
            sheets.push(Sheet {
                label: PageLabel::Arabic(number as u32),
                start: text_position(index, body.source),
                body: resolve_article_links(body.items, first, &design),
                furniture,
                art: Vec::new(),
                article: Some(index),
            });
        }
    }
    // A printed book ends on a left-hand page: binders and print-on-demand
    // services take only an even number of pages.
    if sheets.len() % 2 == 1 {
        let next = match sheets.last().map(|s| s.label) {
            Some(PageLabel::Arabic(n)) => PageLabel::Arabic(n + 1),
            Some(PageLabel::Roman(n)) => PageLabel::Roman(n + 1),
            _ => PageLabel::Cover,
        };
        sheets.push(Sheet::blank(next));
    }
    let mut doc = empty_document(series, &series.articles, fonts, &mut diags);
    doc.page_starts = sheets.iter().map(|sheet| sheet.start).collect();
    doc.pages = sheets
        .into_iter()
        .map(|sheet| finish(&design, sheet))
        .collect();
    doc.outline = outline;
    doc.structure = tree.nodes;
    report_missing_glyphs(&engine, series, &series.articles, &mut diags);
    (doc, diags)
}

/// Where a page of article `article` starts, from its paginated source.
fn text_position(article: usize, source: Option<(usize, usize)>) -> Option<TextPosition> {
    source.map(|(block, offset)| TextPosition {
        article,
        block,
        offset,
    })
}

/// Lays out one article of a series as its own document, starting from
/// what `caches` hold and adding what it learns.
pub fn single_article(
    series: &Series,
    index: usize,
    style: &Style,
    fonts: &FontSet,
    caches: &mut Caches,
) -> (Document, Diagnostics) {
    let article = &series.articles[index];
    let fonts = &*fallback::for_articles(fonts, series, std::slice::from_ref(article));
    let design = Design::new(style);
    let mut engine = Engine::with_caches(fonts, std::mem::take(caches));
    let mut tree = Tree::new();
    let mut diags = Diagnostics::new();
    let lang = article.language(&series.meta.language).to_string();
    let origin = first_published(series, article);
    let pages = article_pages(
        &mut engine,
        &design,
        &mut tree,
        series,
        article,
        Some(&origin),
    );
    let mut doc = empty_document(series, std::slice::from_ref(article), fonts, &mut diags);
    doc.meta.title = article.meta.title.clone();
    doc.meta.authors = article.meta.authors.clone();
    doc.meta.language = lang.clone();
    doc.meta.subject = article.meta.standfirst.clone().or(Some(origin));
    doc.meta.keywords = article.meta.tags.clone();
    doc.outline.push(article_outline(
        &article.meta.title,
        0,
        &pages.pages,
        &design,
    ));
    let mut heads = furniture::RunningHeads::default();
    for (i, body) in pages.pages.into_iter().enumerate() {
        let number = i + 1;
        let head = (i > 0 && style.running_heads).then_some(article.running_title());
        let furniture = furniture::head_and_folio(
            &mut engine,
            &design,
            &lang,
            &mut heads,
            head,
            Some(&number.to_string()),
        );
        let sheet = Sheet {
            label: PageLabel::Arabic(number as u32),
            start: text_position(index, body.source),
            body: resolve_article_links(body.items, 0, &design),
            furniture,
            art: Vec::new(),
            article: Some(index),
        };
        doc.page_starts.push(sheet.start);
        doc.pages.push(finish(&design, sheet));
    }
    doc.structure = tree.nodes;
    report_missing_glyphs(&engine, series, std::slice::from_ref(article), &mut diags);
    *caches = engine.into_caches();
    (doc, diags)
}

/// "First published in Socialist Worker, issue 2548, 11 April 2017, as part 2
/// of 1917: The Russian Revolution."
fn first_published(series: &Series, article: &Article) -> String {
    let place = series
        .meta
        .publisher
        .clone()
        .unwrap_or_else(|| series.meta.title.clone());
    let mut line = format!("First published in {place}");
    if let Some(issue) = article.meta.issue {
        line.push_str(&format!(", issue {issue}"));
    }
    line.push_str(&format!(", {}", article.meta.date.long()));
    if series.meta.publisher.is_some() {
        match article.meta.part {
            Some(part) => line.push_str(&format!(
                ", as part {part} of the series {}",
                series.meta.title
            )),
            None => line.push_str(&format!(", in the series {}", series.meta.title)),
        }
    }
    line.push('.');
    line
}

/// Where an article lands in the book's body.
struct Placement {
    /// A blank page goes before it, so that it opens on a right-hand page.
    blank_before: bool,
    /// Page number of its opening page.
    first_number: usize,
}

/// Numbers the body pages from each article's page count: articles follow
/// each other, each on a new page, with a blank page before those that
/// would otherwise open on the left.
fn place_articles(
    page_counts: impl Iterator<Item = usize>,
    openings_right: bool,
) -> Vec<Placement> {
    let mut next = 1;
    page_counts
        .map(|pages| {
            let blank_before = openings_right && next % 2 == 0;
            if blank_before {
                next += 1;
            }
            let placement = Placement {
                blank_before,
                first_number: next,
            };
            next += pages;
            placement
        })
        .collect()
}

/// Each article page's printed number and where its text starts, in page
/// order: the same starts [`book_from`] gives its pages (front matter and
/// blank pages start no text), known as soon as the articles are laid
/// out, so that the EPUB's page list need not wait for the book's
/// contents, running heads, folios and structure to be assembled.
pub fn article_page_starts(laid_out: &[LaidOut], style: &Style) -> Vec<(PageLabel, TextPosition)> {
    let placements = place_articles(
        laid_out.iter().map(|laid| laid.pages.pages.len()),
        style.openings_right,
    );
    laid_out
        .iter()
        .zip(placements)
        .enumerate()
        .flat_map(|(index, (laid, placement))| {
            laid.pages
                .pages
                .iter()
                .enumerate()
                .filter_map(move |(i, body)| {
                    let start = text_position(index, body.source)?;
                    let number = placement.first_number + i;
                    Some((PageLabel::Arabic(number as u32), start))
                })
        })
        .collect()
}

/// The front matter: title page and imprint, then the contents, padded to
/// an even count so that the body starts on a right-hand page. The contents
/// are laid out again until the number of front pages, which moves the
/// pages their links point to, is stable. `start` is the index of the
/// first front page in the document.
#[allow(clippy::too_many_arguments)]
fn front_matter(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    style: &Style,
    placements: &[Placement],
    start: usize,
    diags: &mut Diagnostics,
) -> Vec<Sheet> {
    let lang = series.meta.language.clone();
    let mut pages: Vec<Sheet> = Vec::new();
    let front = |pages: &Vec<Sheet>| PageLabel::Roman(pages.len() as u32 + 1);
    if style.title_page {
        let body = furniture::title_page(engine, design, tree, series);
        pages.push(Sheet {
            body,
            ..Sheet::blank(front(&pages))
        });
        let body = furniture::imprint(engine, design, tree, series);
        pages.push(Sheet {
            body,
            ..Sheet::blank(front(&pages))
        });
    }
    if style.contents && !placements.is_empty() {
        let titles: Vec<SetParagraph> = series
            .articles
            .iter()
            .take(placements.len())
            .map(|article| {
                furniture::contents_title_lines(engine, design, &lang, &article.meta.title)
            })
            .collect();
        let mut guess = even(pages.len() + 1);
        for attempt in 0..5 {
            let entries: Vec<furniture::TocEntry> = titles
                .iter()
                .zip(series.articles.iter().zip(placements))
                .map(|(title, (article, placement))| furniture::TocEntry {
                    title,
                    part: article.meta.part,
                    folio: placement.first_number.to_string(),
                    page: start + guess + placement.first_number - 1,
                })
                .collect();
            let mut attempt_tree = tree.clone();
            let flow = furniture::contents(engine, design, &mut attempt_tree, &lang, &entries);
            let toc = paginate(flow, &[], design, &mut |_, _, _| None);
            let needed = even(pages.len() + toc.len());
            if needed == guess || attempt == 4 {
                if needed != guess {
                    diags.push(Diagnostic::general(
                        "the table of contents did not settle after 5 layouts; its links may point to the wrong page",
                    ));
                }
                *tree = attempt_tree;
                for body in toc {
                    let label = front(&pages);
                    let furniture = furniture::head_and_folio(
                        engine,
                        design,
                        &lang,
                        &mut furniture::RunningHeads::default(),
                        None,
                        Some(&label.to_string()),
                    );
                    pages.push(Sheet {
                        body: body.items,
                        furniture,
                        ..Sheet::blank(label)
                    });
                }
                break;
            }
            guess = needed;
        }
    }
    if pages.len() % 2 == 1 {
        let label = front(&pages);
        pages.push(Sheet::blank(label));
    }
    pages
}

fn even(n: usize) -> usize {
    n + n % 2
}

/// Links within an article point at its pages by their index from its
/// first page and at heights within the text block; make them point at
/// the document's pages.
fn resolve_article_links(items: Vec<Item>, first: usize, design: &Design) -> Vec<Item> {
    items
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
        .collect()
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

/// A finished page: artwork, then the body and furniture moved onto the
/// page (outwards by the gutter: right on odd pages, left on even ones),
/// then crop marks.
fn finish(design: &Design, sheet: Sheet) -> Page {
    let recto = match sheet.label {
        PageLabel::Arabic(n) | PageLabel::Roman(n) => n % 2 == 1,
        PageLabel::Cover => true,
    };
    // The gutter widens the inside margin: right-hand pages move right.
    let gutter = if recto { design.gutter } else { -design.gutter };
    let mut page = Page {
        size: Size::new(design.page_width, design.page_height),
        bleed: design.bleed,
        slug: design.slug(),
        label: sheet.label,
        article: sheet.article,
        items: Vec::new(),
    };
    let marks = if design.crop_marks {
        page.crop_marks()
    } else {
        Vec::new()
    };
    // Allocated once: a long book holds thousands of these lists.
    page.items
        .reserve_exact(sheet.art.len() + sheet.body.len() + sheet.furniture.len() + marks.len());
    page.items.extend(sheet.art);
    page.items.extend(
        sheet
            .body
            .into_iter()
            .map(|i| shift(i, design.margin_left + gutter, design.margin_top)),
    );
    page.items.extend(
        sheet
            .furniture
            .into_iter()
            .map(|i| shift(i, gutter, Pt::ZERO)),
    );
    page.items.extend(marks);
    page
}

/// A document with the series' fonts and metadata and no pages yet.
fn empty_document(
    series: &Series,
    articles: &[Article],
    fonts: &FontSet,
    diags: &mut Diagnostics,
) -> Document {
    let mut authors: Vec<String> = Vec::new();
    for author in articles.iter().flat_map(|a| a.meta.authors.iter()) {
        if !authors.contains(author) {
            authors.push(author.clone());
        }
    }
    let keywords: BTreeSet<String> = articles
        .iter()
        .flat_map(|a| a.meta.tags.iter().cloned())
        .collect();
    let date = Timestamp::of_edition(articles).unwrap_or_else(|text| {
        diags.push(Diagnostic::general(format!(
            "SOURCE_DATE_EPOCH `{text}` is not a number of seconds since 1970"
        )));
        None
    });
    Document {
        pages: Vec::new(),
        fonts: fonts.files(),
        outline: Vec::new(),
        meta: DocumentMeta {
            title: series.meta.title.clone(),
            authors,
            language: series.meta.language.clone(),
            subject: series.meta.subtitle.clone(),
            keywords: keywords.into_iter().collect(),
            date,
        },
        structure: Vec::new(),
        page_starts: Vec::new(),
    }
}

/// Warns, per article, about characters no face has (printed as boxes),
/// at their first place; about one set as a box in the series' title,
/// subtitle or publisher, at its place in series.toml; and about any
/// other (in text Iskra adds, such as a title made from the folder name).
fn report_missing_glyphs(
    engine: &Engine<'_>,
    series: &Series,
    articles: &[Article],
    diags: &mut Diagnostics,
) {
    fallback::report_missing(engine.fonts, articles, diags);
    let place = |characters: &[(char, Span)], c: char| {
        let found = characters.binary_search_by_key(&c, |(x, _)| *x);
        found.ok().map(|i| characters[i].1)
    };
    for &c in &engine.shaper.missing {
        if articles.iter().any(|a| place(&a.characters, c).is_some()) {
            continue;
        }
        diags.push(match place(&series.meta.characters, c) {
            Some(span) => fallback::missing_warning(&series.dir.join("series.toml"), span, c),
            None => Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::general(fallback::missing_message(c))
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Color, Tag};
    use crate::units::Point;

    /// A line marked `n` (a rule at x = n), of paragraph `para` if any.
    fn line(n: usize, para: Option<usize>, break_before: Break, d: &Design) -> Flow {
        let mark = Item::Rule {
            from: Point::new(Pt(n as f32), Pt::ZERO),
            to: Point::new(Pt(n as f32), Pt::ZERO),
            width: Pt(1.0),
            color: Color::BLACK,
            tag: Tag::Artifact,
        };
        let mut b = flow::FlowBox::line(vec![mark], d.leading, d.body_depth(), break_before);
        b.body_line = true;
        b.para = para;
        b.source = Some((n, 0));
        Flow::Box(Arc::new(b))
    }

    #[test]
    fn a_float_sent_on_from_before_a_split_list_stands_after_the_list() {
        let mut d = Design::new(&Style::book());
        d.lines_per_page = 10;
        d.text_height = d.leading * 10.0;
        // Paragraph 1 in seven lines, a pull quote five lines tall, a
        // lead-in and a list of three one-line items, then paragraph 3:
        // the list can split only by leaving an item alone.
        let mut flow: Vec<Flow> = (0..7)
            .map(|i| {
                let legal = i == 0 || (2..=5).contains(&i);
                let br = if legal { Break::Allowed } else { Break::Avoid };
                line(100 + i, Some(1), br, &d)
            })
            .collect();
        let mut quote = flow::FlowBox::line(
            vec![Item::Rule {
                from: Point::new(Pt(700.0), Pt::ZERO),
                to: Point::new(Pt(700.0), Pt::ZERO),
                width: Pt(1.0),
                color: Color::BLACK,
                tag: Tag::Artifact,
            }],
            d.leading * 5.0,
            d.body_depth(),
            Break::Allowed,
        );
        quote.float = true;
        flow.push(Flow::Box(Arc::new(quote)));
        flow.push(line(200, Some(2), Break::Allowed, &d));
        // The list rules hold item 1 to its lead-in and keep items in twos.
        let items = flow.len();
        for n in 400..403 {
            flow.push(line(n, None, Break::Avoid, &d));
        }
        let keeps = [
            (items, Break::Allowed),
            (items + 1, Break::Allowed),
            (items + 2, Break::Allowed),
        ];
        for i in 0..4 {
            let legal = i == 0 || i == 2;
            let br = if legal { Break::Allowed } else { Break::Avoid };
            flow.push(line(300 + i, Some(3), br, &d));
        }
        let pages = paginate_keeping_lists(flow, &keeps, &[], &d, &mut |_, _, _| None);
        let marks = crate::layout::paginate::tests::lines_per_page(&pages);
        let page = marks
            .iter()
            .find(|p| p.contains(&700))
            .expect("the quote is set");
        let quote_at = page.iter().position(|&n| n == 700).expect("quote");
        assert!(
            page[quote_at + 1..]
                .iter()
                .all(|&n| !(400..403).contains(&n)),
            "the quote stands inside the list: {marks:?}"
        );
    }

    /// A series of articles of 1, 30 and 3 paragraphs of a few lines.
    fn three_articles() -> Series {
        use crate::model::test_builders::{article, para, text};
        let sentence = "The workers of Petrograd met in the factories and voted to strike. ";
        let body = |paras: usize| {
            (0..paras)
                .map(|_| para(vec![text(&sentence.repeat(4))]))
                .collect()
        };
        let articles = vec![
            article("one", "The first article", body(1)),
            article("two", "A second, longer article", body(30)),
            article("three", "The third", body(3)),
        ];
        crate::epub::test_support::series(articles)
    }

    #[test]
    fn article_page_starts_are_the_page_map_of_the_assembled_book() {
        let series = three_articles();
        let fonts = FontSet::builtin();
        for openings_right in [false, true] {
            let style = Style {
                openings_right,
                ..Style::book()
            };
            let design = Design::new(&style);
            let mut engine = Engine::new(&fonts);
            let laid_out: Vec<LaidOut> = series
                .articles
                .iter()
                .map(|article| lay_out_article(&mut engine, &design, &series, article))
                .collect();
            let early = crate::epub::page_breaks_at(&article_page_starts(&laid_out, &style));
            let (doc, _) = book_from(&series, &style, &fonts, laid_out);
            let late = crate::epub::page_breaks(&doc);
            assert!(late.len() > 3, "the long article runs over pages");
            assert_eq!(early, late, "openings_right: {openings_right}");
        }
    }
}
