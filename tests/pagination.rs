//! Pagination, checked on the finished pages (the page model the PDF is
//! written from), not on the paginator's own bookkeeping:
//!
//! - every footnote starts on the page that holds its reference;
//! - every full page (one that is not the last of its article) ends on the
//!   same baseline, or an article's full pages all one line above it (an
//!   article run a line short, so that its spreads stay level);
//! - the table of contents gives the page on which each article opens;
//! - a table that runs onto a new page repeats its header row there.
//!
//! The fixture series is built here from hand-written sentences. Set
//! `ISKRA_PAGINATION_CORPUS=DIR` to run the same checks on another series
//! (`make conformance` does so on the generated 100-article corpus).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iskra::page::{Document, Item, PageLabel, Tag};

mod common;
use common::text::paragraph;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

/// A series of four articles with footnotes in many places, subheadings,
/// quotes, lists and a long table.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("fixture");
    std::fs::create_dir_all(&dir).expect("dir");
    write(
        &dir,
        "series.toml",
        "title = \"Pagination fixture\"\nlanguage = \"en\"\n",
    );
    for article in 0..4 {
        let mut body = String::new();
        let mut notes = String::new();
        for p in 0..40 {
            if p % 9 == 4 {
                body.push_str(&format!("## Section {p}\n\n"));
            }
            let mut text = paragraph(article * 40 + p, 1 + (p * 5 + article) % 4);
            if p % 6 == 2 {
                let label = format!("n{p}");
                text.push_str(&format!("[^{label}]"));
                let length = 1 + (p % 4);
                notes.push_str(&format!("[^{label}]: {}\n\n", paragraph(p, length)));
            }
            if p % 13 == 7 {
                body.push_str(&format!("> {}\n\n", paragraph(p + 3, 2)));
            }
            if p % 17 == 10 {
                body.push_str(
                    "Three points:\n\n- the land\n- the banks\n  - and the factories\n- peace\n\n",
                );
            }
            body.push_str(&text);
            body.push_str("\n\n");
        }
        if article == 2 {
            body.push_str("| Year | City | Strikers |\n|---:|---|---:|\n");
            for row in 0..60 {
                body.push_str(&format!(
                    "| {} | {} | {} |\n",
                    1900 + row,
                    ["Petrograd", "Moscow", "Baku"][row % 3],
                    1000 + row * 37
                ));
            }
            body.push('\n');
            body.push_str(&paragraph(3, 3));
            body.push_str("\n\n");
        }
        let front = format!(
            "---\ntitle: Article number {article} of the fixture\ndate: 2017-0{}-11\npart: {}\n---\n\n",
            article + 1,
            article + 1
        );
        write(
            &dir,
            &format!("{article:02}-article.md"),
            &format!("{front}{body}{notes}"),
        );
    }
    (temp, dir)
}

/// The series to check: the fixture, or `ISKRA_PAGINATION_CORPUS`.
fn documents() -> Vec<Document> {
    let mut docs = Vec::new();
    let (_temp, dir) = fixture();
    docs.push(common::lay_out_series(&dir));
    if let Ok(extra) = std::env::var("ISKRA_PAGINATION_CORPUS") {
        docs.push(common::lay_out_series(Path::new(&extra)));
    }
    docs
}

/// A text run: baseline, left edge, size, text, and whether it is furniture.
struct Run {
    y: f32,
    x: f32,
    size: f32,
    text: String,
    artifact: bool,
}

fn runs(doc: &Document, page: usize) -> Vec<Run> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some(Run {
                y: run.origin.y.0,
                x: run.origin.x.0,
                size: run.size.0,
                text: run.text.clone(),
                artifact: run.tag == Tag::Artifact,
            }),
            _ => None,
        })
        .collect()
}

/// Lines of a page: runs grouped by baseline, left to right.
fn lines(doc: &Document, page: usize) -> Vec<(f32, String)> {
    let mut by_y: BTreeMap<i64, Vec<Run>> = BTreeMap::new();
    for run in runs(doc, page).into_iter().filter(|r| !r.artifact) {
        by_y.entry((run.y * 10.0).round() as i64)
            .or_default()
            .push(run);
    }
    by_y.into_iter()
        .map(|(y, mut runs)| {
            runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            (
                y as f32 / 10.0,
                runs.iter().map(|r| r.text.as_str()).collect::<String>(),
            )
        })
        .collect()
}

/// Pages on which an article opens.
fn openings(doc: &Document) -> Vec<usize> {
    doc.outline.iter().map(|e| e.page).collect()
}

#[test]
fn footnotes_start_on_the_page_of_their_reference() {
    for doc in documents() {
        let body = doc
            .pages
            .iter()
            .position(|p| matches!(p.label, PageLabel::Arabic(_)))
            .expect("body pages");
        let body_size = 10.5;
        let mut checked = 0;
        for page in body..doc.pages.len() {
            let runs = runs(&doc, page);
            // Note marks: small raised numbers in the text.
            let marks: Vec<&str> = runs
                .iter()
                .filter(|r| !r.artifact && (r.size - body_size * 0.65).abs() < 0.05)
                .map(|r| r.text.as_str())
                .collect();
            // Notes: lines in the note size starting "N.".
            let notes: Vec<String> = runs
                .iter()
                .filter(|r| !r.artifact && (r.size - 8.5).abs() < 0.05)
                .filter_map(|r| r.text.split_once('.').map(|(n, _)| n.to_string()))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .collect();
            for mark in marks {
                assert!(
                    notes.iter().any(|n| n == mark),
                    "page {page}: note {mark} is referenced here but does not start here (notes here: {notes:?})"
                );
                checked += 1;
            }
        }
        assert!(checked > 10, "only {checked} note references checked");
    }
}

#[test]
fn every_full_page_ends_on_the_same_baseline() {
    for doc in documents() {
        let opens = openings(&doc);
        let mut bottoms: Vec<(usize, f32)> = Vec::new();
        for page in 0..doc.pages.len().saturating_sub(1) {
            let is_body = matches!(doc.pages[page].label, PageLabel::Arabic(_));
            let next_opens = opens.contains(&(page + 1)) || doc.pages[page + 1].items.is_empty();
            if !is_body || next_opens || doc.pages[page].items.is_empty() {
                continue;
            }
            let lowest = runs(&doc, page)
                .iter()
                .filter(|r| !r.artifact)
                .map(|r| r.y)
                .fold(f32::MIN, f32::max);
            bottoms.push((page, lowest));
        }
        assert!(bottoms.len() > 5);
        let expected = bottoms.iter().map(|(_, y)| *y).fold(f32::MIN, f32::max);
        // An article may run a line short, all its full pages alike.
        let leading = 13.0; // the default design's line pitch
        let article_bottom = |page: usize| {
            let article = doc.pages[page].article;
            bottoms
                .iter()
                .find(|(p, _)| doc.pages[*p].article == article)
                .map_or(expected, |(_, y)| *y)
        };
        let short: Vec<String> = bottoms
            .iter()
            .filter(|(page, y)| {
                let own = article_bottom(*page);
                (y - own).abs() > 0.05
                    || ((own - expected).abs() > 0.05 && (own - (expected - leading)).abs() > 0.05)
            })
            .map(|(page, y)| {
                let tail: Vec<String> = lines(&doc, *page)
                    .into_iter()
                    .rev()
                    .take(3)
                    .map(|(y, t)| format!("{y}: {t}"))
                    .collect();
                format!("page {page} ends at {y}: {tail:?}")
            })
            .collect();
        assert!(
            short.is_empty(),
            "{} of {} full pages end elsewhere than {expected}:\n{}",
            short.len(),
            bottoms.len(),
            short.join("\n")
        );
    }
}

/// Lines of a page as their runs: baseline and the runs' texts, left to right.
fn line_runs(doc: &Document, page: usize) -> Vec<(f32, Vec<String>)> {
    let mut by_y: BTreeMap<i64, Vec<Run>> = BTreeMap::new();
    for run in runs(doc, page).into_iter().filter(|r| !r.artifact) {
        by_y.entry((run.y * 10.0).round() as i64)
            .or_default()
            .push(run);
    }
    by_y.into_iter()
        .map(|(y, mut runs)| {
            runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            (y as f32 / 10.0, runs.into_iter().map(|r| r.text).collect())
        })
        .collect()
}

#[test]
fn contents_give_the_page_each_article_opens_on() {
    for doc in documents() {
        // The contents start on the front page headed "Contents" and run
        // to the end of the front matter.
        let front: Vec<usize> = (0..doc.pages.len())
            .filter(|&p| matches!(doc.pages[p].label, PageLabel::Roman(_)))
            .collect();
        let first = front
            .iter()
            .position(|&p| lines(&doc, p).iter().any(|(_, t)| t == "Contents"));
        let toc_pages: Vec<usize> = first.map(|i| front[i..].to_vec()).unwrap_or_default();
        assert!(!toc_pages.is_empty(), "no contents page");
        // Each entry: its part, its title (maybe over several lines), and
        // the page number as the last run of the title's last line.
        let mut toc: Vec<Vec<String>> = Vec::new();
        for &p in &toc_pages {
            toc.extend(line_runs(&doc, p).into_iter().map(|(_, runs)| runs));
        }
        let mut from = 0;
        for entry in &doc.outline {
            let folio = doc.pages[entry.page].label.to_string();
            let words: Vec<&str> = entry.title.split_whitespace().take(3).collect();
            let start = (from..toc.len())
                .find(|&i| toc[i].concat().contains(&words.join(" ")))
                .unwrap_or_else(|| panic!("no contents entry `{}…`", words.join(" ")));
            let number = toc[start..]
                .iter()
                .find_map(|runs| {
                    let last = runs.last()?;
                    (runs.len() > 1 && last.chars().all(|c| c.is_ascii_digit()))
                        .then(|| last.clone())
                })
                .unwrap_or_else(|| panic!("no page number after `{}…`", words.join(" ")));
            assert_eq!(number, folio, "`{}`", entry.title);
            from = start + 1;
            let opening: String = lines(&doc, entry.page)
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                opening.contains(words[0]),
                "page {} does not open `{}`",
                entry.page,
                entry.title
            );
        }
    }
}

#[test]
fn a_table_running_onto_a_new_page_repeats_its_header() {
    let (_temp, dir) = fixture();
    let doc = common::lay_out_series(&dir);
    let header_pages: Vec<usize> = (0..doc.pages.len())
        .filter(|&p| {
            lines(&doc, p)
                .iter()
                .any(|(_, t)| t.contains("Year") && t.contains("Strikers"))
        })
        .collect();
    assert!(
        header_pages.len() >= 2,
        "the 60-row table should span pages and repeat its header: {header_pages:?}"
    );
    for pair in header_pages.windows(2) {
        assert_eq!(
            pair[1],
            pair[0] + 1,
            "header repeated on consecutive pages only"
        );
    }
}

/// Text lines of a page in the body size below its lowest image: the
/// running text under an opening's lead picture and caption.
fn text_lines_below_images(doc: &Document, page: usize) -> usize {
    let below = doc.pages[page]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Image { rect, .. } => Some(rect.origin.y.0 + rect.size.height.0),
            _ => None,
        })
        .fold(f32::MIN, f32::max);
    let mut baselines: Vec<i64> = runs(doc, page)
        .iter()
        .filter(|r| !r.artifact && (r.size - 10.5).abs() < 0.05 && r.y > below)
        .map(|r| (r.y * 10.0).round() as i64)
        .collect();
    baselines.dedup();
    baselines.len()
}

#[test]
fn an_opening_under_a_tall_lead_picture_leaves_no_line_alone_at_its_foot() {
    // A portrait at the tallest a lead picture may stand, with captions
    // of more and more lines at its narrow width: somewhere the opening
    // has room for one line of text under it (the handbook's "Images and
    // captions" opened so). Two lines stand there, or none.
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("openings");
    std::fs::create_dir_all(dir.join("images")).expect("dir");
    write(
        &dir,
        "series.toml",
        "title = \"Openings\"\nlanguage = \"en\"\n",
    );
    image::RgbImage::from_pixel(100, 300, image::Rgb([90, 40, 120]))
        .save(dir.join("images").join("tall.png"))
        .expect("image written");
    let articles = 8;
    for n in 0..articles {
        let caption = format!(
            "The opening page of a book as the raster backend draws it{}, \
             with the picture's source and its licence",
            " and as the reader sees it".repeat(n)
        );
        let front = format!(
            "---\ntitle: Images and captions\ndate: 2017-04-11\npart: {}\n\
             image: images/tall.png\ncaption: {caption}\n---\n\n",
            n + 1
        );
        let body = (0..12)
            .map(|p| paragraph(n + p, 2 + p % 3))
            .collect::<Vec<_>>()
            .join("\n\n");
        write(
            &dir,
            &format!("{n:02}-article.md"),
            &format!("{front}{body}\n"),
        );
    }
    let doc = common::lay_out_series(&dir);
    let counts: Vec<usize> = openings(&doc)
        .into_iter()
        .map(|page| text_lines_below_images(&doc, page))
        .collect();
    assert_eq!(counts.len(), articles, "every article opens");
    assert!(
        counts.iter().any(|&c| c <= 2),
        "the fixture's premise: captions that leave little room ({counts:?})"
    );
    assert!(
        !counts.contains(&1),
        "an opening ends on one line of text alone: lines under the picture {counts:?}"
    );
}
