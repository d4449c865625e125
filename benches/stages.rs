//! Micro-benchmarks of the pipeline's stages, on the seed article of
//! `articles/` (real text): shaping, hyphenation, breaking a paragraph
//! into lines, laying out and paginating a series, and writing the PDF
//! and the EPUB. Run with `make bench` (or `cargo bench --bench stages`);
//! never part of `make test`.

use std::path::Path;

use divan::{Bencher, black_box};
use iskra::epub::{EpubOptions, write_epub};
use iskra::layout::Engine;
use iskra::layout::fonts::{FontSet, Role};
use iskra::layout::hyphenate::HyphenMin;
use iskra::layout::paragraph::{Align, ParaStyle, set_paragraph};
use iskra::model::{Inline, Series};
use iskra::parse::{ParseOptions, parse_series};
use iskra::pdf::{PdfOptions, write_pdf};
use iskra::style::Style;
use iskra::units::Pt;

fn main() {
    divan::main();
}

fn series() -> Series {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles/russian-revolution");
    let (series, _) = parse_series(&dir, &ParseOptions::default());
    series.expect("the seed series parses")
}

/// The seed article's text as words.
fn words() -> Vec<String> {
    let series = series();
    let text: String = series.articles[0]
        .body
        .iter()
        .filter_map(|b| match &b.kind {
            iskra::model::BlockKind::Paragraph(content) => Some(iskra::model::plain_text(content)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    text.split_whitespace().map(str::to_string).collect()
}

fn style(engine: &mut Engine<'_>) -> ParaStyle {
    ParaStyle {
        role: Role::Regular,
        size: Pt(10.5),
        width: Pt::mm(105.0),
        indent: Pt(10.5),
        align: Align::Justify,
        hyphenate: true,
        hyphen_min: HyphenMin::default(),
        lang: engine.shaper.language("en"),
        lang_tag: "en".into(),
        protrusion: true,
        expansion: 0.02,
        looseness: 0,
    }
}

/// Shaping every word of the article with an empty word cache.
#[divan::bench]
fn shape_words(bencher: Bencher) {
    let fonts = FontSet::builtin();
    let words = words();
    bencher.bench_local(|| {
        let mut engine = Engine::new(&fonts);
        let lang = engine.shaper.language("en");
        for word in &words {
            black_box(engine.shaper.word(Role::Regular, lang, word));
        }
    });
}

/// Hyphenation points of every word, patterns already loaded.
#[divan::bench]
fn hyphenate_words(bencher: Bencher) {
    let words = words();
    // Load the patterns once, as a process does; each run starts with an
    // empty word cache.
    iskra::layout::hyphenate::Hyphenator::new().supports("en");
    bencher.bench_local(|| {
        let mut fresh = iskra::layout::hyphenate::Hyphenator::new();
        for word in &words {
            black_box(fresh.points("en", word, HyphenMin::default()));
        }
    });
}

/// One 150-word paragraph set justified with hyphenation: the
/// Knuth–Plass breaker and its passes, words already shaped.
#[divan::bench]
fn break_paragraph(bencher: Bencher) {
    let fonts = FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let text = words()[..150].join(" ");
    let content = vec![Inline::Text(text)];
    let style = style(&mut engine);
    let label = |i: usize| (i + 1).to_string();
    set_paragraph(&mut engine, &content, &style, &label);
    bencher.bench_local(|| black_box(set_paragraph(&mut engine, &content, &style, &label)));
}

/// The whole series laid out: flow, line breaking and pagination, front
/// matter and furniture.
#[divan::bench]
fn lay_out_series(bencher: Bencher) {
    let fonts = FontSet::builtin();
    let series = series();
    let style = Style::book();
    bencher.bench_local(|| black_box(iskra::layout::layout_series(&series, &style, &fonts)));
}

/// The laid-out series written as a tagged PDF/UA-1 file.
#[divan::bench]
fn write_book_pdf(bencher: Bencher) {
    let fonts = FontSet::builtin();
    let series = series();
    let (doc, _) = iskra::layout::layout_series(&series, &Style::book(), &fonts);
    let options = PdfOptions::default();
    bencher
        .with_inputs(|| doc.clone())
        .bench_local_values(|doc| black_box(write_pdf(doc, &options).expect("PDF")));
}

/// The series written as an EPUB.
#[divan::bench]
fn write_book_epub(bencher: Bencher) {
    let series = series();
    let options = EpubOptions {
        modified: Some("2017-04-11T00:00:00Z".into()),
        ..EpubOptions::default()
    };
    bencher.bench_local(|| black_box(write_epub(&series, &options).expect("EPUB")));
}
