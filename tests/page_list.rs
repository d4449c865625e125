//! The EPUB's print page numbers: for every page of the book laid out in
//! the same run, the EPUB's marker for that page stands right before the
//! first word printed on the page.
//!
//! The fixture is long running text with subheadings, footnotes, block
//! quotes, lists and a table that runs over pages; it has no figures or
//! pull quotes, which may float away from their place in the text. Set
//! `ISKRA_PAGE_LIST_CORPUS=DIR` to check another series too (there, a page
//! that starts with a figure or quote may also match at its first other
//! text).

use std::io::Read;
use std::path::Path;

use iskra::layout::fonts::FontSet;
use iskra::model::Series;
use iskra::page::{Document, Item, StructKind, Tag};
use iskra::parse::{ParseOptions, parse_series};
use iskra::style::Style;

mod common;
use common::text::paragraph;

/// Three articles, each over several pages.
fn write_fixture(dir: &Path) {
    std::fs::write(
        dir.join("series.toml"),
        "title = \"Page list fixture\"\nlanguage = \"en\"\n",
    )
    .expect("write");
    for article in 0..3 {
        let mut body = String::new();
        let mut notes = String::new();
        for p in 0..36 {
            if p % 10 == 5 {
                body.push_str(&format!("## Part {p} of the argument\n\n"));
            }
            if p % 11 == 7 {
                body.push_str(&format!("> {}\n\n", paragraph(p + 2, 2)));
            }
            if p % 13 == 3 {
                body.push_str("- the land to the peasants\n- the factories to the workers\n  - under their committees\n- peace\n\n");
            }
            let mut text = paragraph(article * 36 + p, 1 + (p + article) % 5);
            if p % 7 == 2 {
                text.push_str(&format!("[^n{p}]"));
                notes.push_str(&format!("[^n{p}]: {}\n\n", paragraph(p, 1 + p % 3)));
            }
            body.push_str(&text);
            body.push_str("\n\n");
        }
        if article == 1 {
            body.push_str("| Year | City | Strikers |\n|---:|---|---:|\n");
            for row in 0..70 {
                body.push_str(&format!(
                    "| {} | {} | {} |\n",
                    1900 + row,
                    ["Petrograd", "Moscow", "Baku"][row % 3],
                    1000 + row * 37
                ));
            }
            body.push_str("\nAfter the table, the story goes on.\n\n");
        }
        let front = format!(
            "---\ntitle: Article {} of the page list fixture\ndate: 2017-0{}-11\n---\n\n",
            article + 1,
            article + 1
        );
        std::fs::write(
            dir.join(format!("{article:02}.md")),
            format!("{front}{body}{notes}"),
        )
        .expect("write");
    }
}

fn series(dir: &Path) -> Series {
    let (series, diags) = parse_series(dir, &ParseOptions::default());
    series.unwrap_or_else(|| panic!("fixture parses: {:?}", diags.iter().collect::<Vec<_>>()))
}

/// The book and its EPUB from one layout run, as `iskra build` makes them.
fn build(series: &Series) -> (Document, Vec<(String, String)>) {
    let style = Style::resolve(&series.print).expect("style");
    let (doc, diags) = iskra::layout::layout_series(series, &style, &FontSet::builtin());
    assert!(!diags.has_errors());
    let options = iskra::epub::EpubOptions {
        page_breaks: iskra::epub::page_breaks(&doc),
        ..iskra::epub::EpubOptions::default()
    };
    let epub = iskra::epub::write_epub(series, &options).expect("EPUB");
    (doc, xhtml_documents(&epub))
}

/// Every XHTML document of the EPUB: name and text.
fn xhtml_documents(epub: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("entry");
        let name = file.name().expect("entry name").to_string();
        if name.ends_with(".xhtml") {
            let mut text = String::new();
            file.read_to_string(&mut text).expect("utf-8");
            out.push((name, text));
        }
    }
    out
}

/// Letters and digits only, so that quotes and punctuation around a word
/// do not count.
fn bare(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The first word printed on a page in reading order: the first text of
/// the content (not running heads or folios), passing over text under
/// structure nodes of the kinds in `skip`: a figure or pull quote that
/// floated to the top of the page is not where its text begins.
fn first_word_on(doc: &Document, page: usize, skip: &[StructKind]) -> Option<String> {
    let floats = |node: usize| {
        let mut at = Some(node);
        while let Some(n) = at {
            let s = &doc.structure[n];
            if skip.contains(&s.kind) {
                return true;
            }
            at = s.parent.map(|p| p.0 as usize);
        }
        false
    };
    doc.pages[page].items.iter().find_map(|item| match item {
        Item::Text(run) => match run.tag {
            Tag::Node(node) if !floats(node.0 as usize) => run
                .text
                .split_whitespace()
                .next()
                .map(bare)
                .filter(|w| !w.is_empty()),
            _ => None,
        },
        _ => None,
    })
}

/// The first word after the page-break marker labelled `label`.
fn first_word_after_marker(docs: &[(String, String)], label: &str) -> Option<String> {
    let marker = format!("role=\"doc-pagebreak\" id=\"page-{label}\" aria-label=\"{label}\"/>");
    docs.iter().find_map(|(_, text)| {
        let at = text.find(&marker)? + marker.len();
        let mut words = String::new();
        let mut in_tag = false;
        for c in text[at..].chars() {
            match c {
                '<' => {
                    in_tag = true;
                    words.push(' ');
                }
                '>' => in_tag = false,
                _ if !in_tag => words.push(c),
                _ => {}
            }
            if words.split_whitespace().nth(1).is_some() {
                break;
            }
        }
        words.split_whitespace().next().map(bare)
    })
}

/// Checks every page; returns how many carried a marker. With
/// `floats`, a page may also begin after figures and quotes at its top.
fn check(series: &Series, floats: bool) -> usize {
    let (doc, xhtml) = build(series);
    let mut checked = 0;
    for (index, page) in doc.pages.iter().enumerate() {
        let label = page.label.to_string();
        let Some(start) = doc.page_starts[index] else {
            assert!(
                first_word_after_marker(&xhtml, &label).is_none() || page.article.is_none(),
                "page {label} has a marker but no start"
            );
            continue;
        };
        let printed = first_word_on(&doc, index, &[])
            .unwrap_or_else(|| panic!("page {label} starts at {start:?} but prints no text"));
        let marked = first_word_after_marker(&xhtml, &label)
            .unwrap_or_else(|| panic!("no marker for page {label} in the EPUB"));
        // A page that begins inside a word hyphenated across the break
        // prints the word's end; the marker stands before the whole word.
        let matches = |printed: &str| {
            marked == printed || (marked.ends_with(printed) && marked.len() > printed.len())
        };
        let figures = [StructKind::Figure, StructKind::Caption];
        let figures_and_quotes = [StructKind::Figure, StructKind::Caption, StructKind::Quote];
        let after_floats = [&figures[..], &figures_and_quotes[..]]
            .iter()
            .filter_map(|skip| first_word_on(&doc, index, skip))
            .any(|word| floats && matches(&word));
        assert!(
            matches(&printed) || after_floats,
            "page {label}: the PDF page begins with `{printed}`, the EPUB marker stands before `{marked}`"
        );
        checked += 1;
    }
    checked
}

#[test]
fn each_page_marker_stands_before_the_first_word_of_its_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    write_fixture(temp.path());
    let series = series(temp.path());
    let checked = check(&series, false);
    assert!(checked >= 20, "only {checked} pages checked");
    if let Ok(corpus) = std::env::var("ISKRA_PAGE_LIST_CORPUS") {
        let checked = check(&self::series(Path::new(&corpus)), true);
        assert!(checked > 0);
    }
}
