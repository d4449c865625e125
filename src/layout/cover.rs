//! Covers: the front cover that opens the book PDF, and the full print
//! wrap (back, spine, front) a print-on-demand service asks for, with the
//! spine as wide as the book is thick.
//!
//! A series with a cover image (its own, or `covers/<series>.jpg|png`)
//! gets that image, cropped to fill the page and its bleed. Otherwise
//! Iskra draws a typographic cover: the series title large and white on a
//! deep red ground, subtitle and publisher, nothing else.

use std::sync::Arc;

use crate::model::{Image, Inline, Series};
use crate::page::{Color, Document, Item, NodeId, Page, PageLabel, StructKind, Tag};
use crate::style::Style;
use crate::units::{Point, Pt, Rect, Size};

use super::Engine;
use super::book::Sheet;
use super::design::Design;
use super::fallback;
use super::flow::{Flow, FlowBuilder};
use super::fonts::{FontSet, Role};
use super::paragraph::Align;
use super::structure::Tree;

/// The ground of a generated cover.
pub const COVER_RED: Color = Color(138, 21, 30);
/// Its lettering.
const PAPER: Color = Color::WHITE;

/// Paper thickness per page, for the spine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paper {
    /// Thickness of one page (one side of a leaf).
    pub per_page: Pt,
}

impl std::str::FromStr for Paper {
    type Err = String;
    /// A printer's stock by name, or a thickness per page such as
    /// `0.0025in` or `0.064mm`. The calipers are KDP's published factors
    /// and IngramSpark's usual ones; check IngramSpark's cover template
    /// generator for your exact stock.
    fn from_str(text: &str) -> Result<Paper, String> {
        let inches = match text.to_ascii_lowercase().as_str() {
            "kdp-white" | "white" => 0.002252,
            "kdp-cream" | "cream" => 0.0025,
            "kdp-color" | "kdp-premium-color" => 0.002347,
            "ingram-white" => 0.002252,
            "ingram-cream" => 0.0025,
            "ingram-groundwood" => 0.002625,
            _ => {
                let per_page = Pt::parse(text).map_err(|_| {
                    format!("unknown paper `{text}` (use kdp-white, kdp-cream, kdp-color, ingram-white, ingram-cream, ingram-groundwood, or a thickness per page such as 0.0025in)")
                })?;
                if per_page <= Pt::ZERO || per_page > Pt::mm(1.0) {
                    return Err(format!(
                        "a page {:.3} mm thick is not paper",
                        per_page.to_mm()
                    ));
                }
                return Ok(Paper { per_page });
            }
        };
        Ok(Paper {
            per_page: Pt::inches(inches),
        })
    }
}

/// Fewest pages for which KDP prints text on the spine.
pub const SPINE_TEXT_MIN_PAGES: usize = 80;
/// Bleed of a print cover (KDP and IngramSpark: 0.125 in).
pub const COVER_BLEED_IN: f32 = 0.125;

/// The front cover as the first page of the book.
pub fn front_cover_sheet(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
) -> Sheet {
    let panel = Rect::new(Pt::ZERO, Pt::ZERO, design.page_width, design.page_height);
    let art = front_panel(engine, design, tree, series, panel, design.bleed);
    Sheet {
        art,
        ..Sheet::blank(PageLabel::Cover)
    }
}

/// The front of the cover in `panel` (page coordinates), artwork running
/// `bleed` beyond it.
fn front_panel(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    panel: Rect,
    bleed: Pt,
) -> Vec<Item> {
    let section = tree.add(StructKind::Section, Some(tree.root()));
    let with_bleed = panel.outset(bleed);
    if let Some(image) = &series.meta.cover {
        let node = tree.add(StructKind::Figure, Some(section));
        tree.set_alt(node, &format!("Cover of {}", series.meta.title));
        return vec![Item::Image {
            image: Arc::clone(image),
            rect: cover_fill(image, with_bleed),
            clip: Some(with_bleed),
            tag: Tag::Node(node),
        }];
    }
    let mut items = vec![Item::Fill {
        rect: with_bleed,
        color: COVER_RED,
        tag: Tag::Artifact,
    }];
    let margin = panel.size.width * 0.12;
    let width = panel.size.width - margin * 2.0;
    let x = panel.origin.x + margin;
    let scale = panel.size.width / Pt::mm(148.0);
    let lang = series.meta.language.clone();
    if let Some(publisher) = &series.meta.publisher {
        let lines = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            publisher,
            Role::Bold,
            Pt(11.0) * scale,
            width,
        );
        items.extend(place(lines, x, panel.origin.y + margin * 0.9));
    }
    let rule_y = panel.origin.y + panel.size.height * 0.36;
    items.push(Item::Rule {
        from: Point::new(x, rule_y),
        to: Point::new(x + width, rule_y),
        width: Pt(3.0) * scale,
        color: PAPER,
        tag: Tag::Artifact,
    });
    let mut size = Pt(38.0) * scale;
    let mut title = lettering(
        engine,
        design,
        tree,
        &lang,
        section,
        &series.meta.title,
        Role::Bold,
        size,
        width,
    );
    while count_lines(&title) > 4 && size > Pt(16.0) * scale {
        size = size * 0.85;
        title = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            &series.meta.title,
            Role::Bold,
            size,
            width,
        );
    }
    let after_title = place_into(&mut items, title, x, rule_y + size * 0.5);
    if let Some(subtitle) = &series.meta.subtitle {
        let lines = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            subtitle,
            Role::Italic,
            Pt(15.0) * scale,
            width,
        );
        place_into(&mut items, lines, x, after_title + Pt(8.0) * scale);
    }
    if let Some(span) = years(series) {
        let lines = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            &span,
            Role::Regular,
            Pt(11.0) * scale,
            width,
        );
        items.extend(place(
            lines,
            x,
            panel.origin.y + panel.size.height - margin * 1.2,
        ));
    }
    items
}

/// "A series of 21 articles, 2017–2018".
fn years(series: &Series) -> Option<String> {
    let first = series.articles.iter().map(|a| a.meta.date.year).min()?;
    let last = series.articles.iter().map(|a| a.meta.date.year).max()?;
    let count = series.articles.len();
    let noun = if count == 1 { "article" } else { "articles" };
    Some(if first == last {
        format!("{count} {noun}, {first}")
    } else {
        format!("{count} {noun}, {first}–{last}")
    })
}

/// White lettering set in a column of `width`, as a flow.
#[allow(clippy::too_many_arguments)]
fn lettering(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    lang: &str,
    section: NodeId,
    text: &str,
    role: Role,
    size: Pt,
    width: Pt,
) -> Vec<Flow> {
    let node = tree.add(StructKind::Paragraph, Some(section));
    let mut narrow = design.clone();
    narrow.measure = width;
    FlowBuilder::new(engine, &narrow, tree, lang)
        .lines(
            &[Inline::Text(text.to_string())],
            role,
            size,
            size * 1.15,
            Align::Left,
            node,
        )
        .into_iter()
        .map(|flow| match flow {
            Flow::Box(mut b) => {
                for item in Arc::make_mut(&mut Arc::make_mut(&mut b).items) {
                    if let Item::Text(run) = item {
                        run.color = PAPER;
                    }
                }
                Flow::Box(b)
            }
            space => space,
        })
        .collect()
}

fn count_lines(flow: &[Flow]) -> usize {
    flow.iter().filter(|f| matches!(f, Flow::Box(_))).count()
}

/// The flow's items placed from (`x`, `y`).
fn place(flow: Vec<Flow>, x: Pt, y: Pt) -> Vec<Item> {
    let mut items = Vec::new();
    place_into(&mut items, flow, x, y);
    items
}

/// Places the flow from (`x`, `y`); gives the height below it.
fn place_into(items: &mut Vec<Item>, flow: Vec<Flow>, x: Pt, mut y: Pt) -> Pt {
    for f in flow {
        match f {
            Flow::Space { height, .. } => y += height,
            Flow::Box(b) => {
                let height = b.height;
                items.extend(
                    b.into_items()
                        .into_iter()
                        .map(|i| super::paginate::shift(i, x, y)),
                );
                y += height;
            }
        }
    }
    y
}

/// The image scaled to cover `area`, centred, keeping its proportions.
fn cover_fill(image: &Image, area: Rect) -> Rect {
    let scale =
        (area.size.width.0 / image.width as f32).max(area.size.height.0 / image.height as f32);
    let (w, h) = (
        Pt(image.width as f32 * scale),
        Pt(image.height as f32 * scale),
    );
    Rect::new(
        area.origin.x + (area.size.width - w) / 2.0,
        area.origin.y + (area.size.height - h) / 2.0,
        w,
        h,
    )
}

/// The width of the spine of a book of `pages` pages on `paper`.
pub fn spine_width(pages: usize, paper: Paper) -> Pt {
    paper.per_page * pages as f32
}

/// The print wrap of a book of `pages` pages: back, spine and front on one
/// page with bleed, spine text only on a spine wide enough to carry it, and
/// a clear area on the back for the barcode. Lettering the series' family
/// lacks is drawn from the fallback fonts, as in the book.
pub fn wrap(
    series: &Series,
    style: &Style,
    fonts: &FontSet,
    pages: usize,
    paper: Paper,
) -> Document {
    let fonts = &*fallback::for_articles(fonts, series, &series.articles);
    let design = Design::new(style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    // The printer's bleed when one is asked for, else what KDP and
    // IngramSpark require of a cover.
    let bleed = if design.bleed > Pt::ZERO {
        design.bleed
    } else {
        Pt::inches(COVER_BLEED_IN)
    };
    let spine = spine_width(pages, paper);
    let (w, h) = (design.page_width, design.page_height);
    let front = Rect::new(w + spine, Pt::ZERO, w, h);
    let mut items = vec![Item::Fill {
        rect: Rect::new(Pt::ZERO, Pt::ZERO, w * 2.0 + spine, h).outset(bleed),
        color: COVER_RED,
        tag: Tag::Artifact,
    }];
    items.extend(
        front_panel(&mut engine, &design, &mut tree, series, front, Pt::ZERO)
            .into_iter()
            .filter(|i| !matches!(i, Item::Fill { .. })),
    );
    items.extend(back_panel(
        &mut engine,
        &design,
        &mut tree,
        series,
        Rect::new(Pt::ZERO, Pt::ZERO, w, h),
    ));
    if pages >= SPINE_TEXT_MIN_PAGES {
        items.extend(spine_text(
            &mut engine,
            &design,
            &mut tree,
            series,
            Rect::new(w, Pt::ZERO, spine, h),
        ));
    }
    let mut page = Page {
        size: Size::new(w * 2.0 + spine, h),
        bleed,
        slug: design.slug(),
        label: PageLabel::Cover,
        article: None,
        items,
    };
    if design.crop_marks {
        let marks = page.crop_marks();
        page.items.extend(marks);
    }
    cover_document(
        series,
        fonts,
        page,
        tree,
        format!("{} — cover", series.meta.title),
    )
}

/// The width of an e-book cover image in pixels; its height is 1.6 times
/// that (1600 × 2560, what the stores ask for).
pub const EBOOK_COVER_WIDTH: u32 = 1600;

/// The front cover alone on a page of the e-book cover's proportions, to
/// be drawn as the EPUB's cover image: the same design as the book's,
/// with the same fallback fonts.
pub fn ebook_cover(series: &Series, fonts: &FontSet) -> Document {
    let fonts = &*fallback::for_articles(fonts, series, &series.articles);
    let mut style = Style::book();
    style.page = Size::new(Pt::mm(148.0), Pt::mm(148.0 * 1.6));
    let design = Design::new(&style);
    let mut engine = Engine::new(fonts);
    let mut tree = Tree::new();
    let sheet = front_cover_sheet(&mut engine, &design, &mut tree, series);
    let page = Page {
        size: style.page,
        bleed: Pt::ZERO,
        slug: Pt::ZERO,
        label: PageLabel::Cover,
        article: None,
        items: sheet.art,
    };
    cover_document(series, fonts, page, tree, series.meta.title.clone())
}

/// A one-page document of a cover with the series' fonts and metadata.
fn cover_document(
    series: &Series,
    fonts: &FontSet,
    page: Page,
    tree: Tree,
    title: String,
) -> Document {
    Document {
        pages: vec![page],
        fonts: fonts.files(),
        outline: vec![crate::page::OutlineEntry {
            title: series.meta.title.clone(),
            page: 0,
            y: Pt::ZERO,
            children: Vec::new(),
        }],
        meta: crate::page::DocumentMeta {
            title,
            authors: Vec::new(),
            language: series.meta.language.clone(),
            subject: series.meta.subtitle.clone(),
            keywords: Vec::new(),
            date: crate::model::Timestamp::of_edition(&series.articles)
                .ok()
                .flatten(),
        },
        structure: tree.nodes,
        page_starts: vec![None],
    }
}

/// The back: the series' subtitle and the articles it collects, and a
/// white box where the printer puts the barcode (2 × 1.2 in, 0.25 in
/// from the trim, bottom right).
fn back_panel(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    panel: Rect,
) -> Vec<Item> {
    let section = tree.add(StructKind::Section, Some(tree.root()));
    let lang = series.meta.language.clone();
    let margin = panel.size.width * 0.12;
    let width = panel.size.width - margin * 2.0;
    let x = panel.origin.x + margin;
    let scale = panel.size.width / Pt::mm(148.0);
    let mut items = Vec::new();
    let mut y = panel.origin.y + margin;
    if let Some(subtitle) = &series.meta.subtitle {
        let lines = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            subtitle,
            Role::Bold,
            Pt(13.0) * scale,
            width,
        );
        y = place_into(&mut items, lines, x, y) + Pt(10.0) * scale;
    }
    let barcode = Rect::new(
        panel.right() - Pt::inches(0.25) - Pt::inches(2.0),
        panel.bottom() - Pt::inches(0.25) - Pt::inches(1.2),
        Pt::inches(2.0),
        Pt::inches(1.2),
    );
    for article in &series.articles {
        let lines = lettering(
            engine,
            design,
            tree,
            &lang,
            section,
            &article.meta.title,
            Role::Regular,
            Pt(9.5) * scale,
            width,
        );
        let height: Pt = lines
            .iter()
            .map(|f| match f {
                Flow::Box(b) => b.height,
                Flow::Space { height, .. } => *height,
            })
            .sum();
        if y + height > barcode.origin.y - Pt(12.0) {
            let more = lettering(
                engine,
                design,
                tree,
                &lang,
                section,
                "and more.",
                Role::Italic,
                Pt(9.5) * scale,
                width,
            );
            place_into(&mut items, more, x, y);
            break;
        }
        y = place_into(&mut items, lines, x, y) + Pt(2.0) * scale;
    }
    items.push(Item::Fill {
        rect: barcode,
        color: PAPER,
        tag: Tag::Artifact,
    });
    items
}

/// The title and publisher along the spine, reading downwards.
fn spine_text(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
    spine: Rect,
) -> Vec<Item> {
    let section = tree.add(StructKind::Section, Some(tree.root()));
    let lang = series.meta.language.clone();
    let size = (spine.size.width * 0.45).min(Pt(14.0));
    let text = match &series.meta.publisher {
        Some(publisher) => format!("{}   ·   {publisher}", series.meta.title),
        None => series.meta.title.clone(),
    };
    let lines = lettering(
        engine,
        design,
        tree,
        &lang,
        section,
        &text,
        Role::Bold,
        size,
        spine.size.height * 0.8,
    );
    let Some(Flow::Box(line)) = lines.into_iter().find(|f| matches!(f, Flow::Box(_))) else {
        return Vec::new();
    };
    // Lay the line along the spine: its baseline runs down the middle.
    let x = spine.origin.x + spine.size.width / 2.0 - size * 0.35;
    let y = spine.origin.y + spine.size.height * 0.1;
    line.into_items()
        .into_iter()
        .filter_map(|item| match item {
            Item::Text(mut run) => {
                let along = run.origin.x;
                run.origin = Point::new(x, y + along);
                run.vertical = true;
                Some(Item::Text(run))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_by_name_and_thickness() {
        let white: Paper = "kdp-white".parse().unwrap();
        assert!((spine_width(300, white).0 / 72.0 - 0.6756).abs() < 1e-3);
        let cream: Paper = "kdp-cream".parse().unwrap();
        assert!(
            (spine_width(300, cream).0 / 72.0 - 0.75).abs() < 1e-3,
            "KDP's example: 300 pages on cream is 0.75 in"
        );
        let custom: Paper = "0.1mm".parse().unwrap();
        assert!((custom.per_page.to_mm() - 0.1).abs() < 1e-4);
        assert!("cardboard".parse::<Paper>().is_err());
        assert!("5mm".parse::<Paper>().is_err());
    }
}
