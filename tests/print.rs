//! The print PDF as a printer and a screen reader receive it: print boxes
//! on every page, tagging, reproducible bytes, the cover wrap and booklet
//! imposition. Built from `tests/fixtures/epub-series` (every kind of
//! block, a cover image, hostile metadata).

use std::path::{Path, PathBuf};
use std::process::Command;

use iskra::layout::cover::{Paper, spine_width, wrap};
use iskra::layout::fonts::FontSet;
use iskra::model::Series;
use iskra::page::Item;
use iskra::parse::{ParseOptions, parse_series};
use iskra::style::Style;
use iskra::units::Pt;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/epub-series")
}

fn fixture() -> Series {
    let (series, diags) = parse_series(&fixture_dir(), &ParseOptions { covers_dir: None });
    assert_eq!(diags.error_count(), 0, "{diags:?}");
    series.expect("fixture parses")
}

/// Runs iskra with `args`; returns the exit code and stderr.
fn iskra(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_iskra"));
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run iskra");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Builds the fixture's PDF with `flags` into a fresh folder; its bytes.
fn build_pdf(flags: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = fixture_dir();
    let mut args = vec!["build", dir.to_str().expect("utf-8 path"), "--pdf", "-o"];
    args.push(out.path().to_str().expect("utf-8 path"));
    args.extend(flags);
    let (code, stderr) = iskra(&args, env);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read(out.path().join("epub-series.pdf")).expect("PDF written")
}

/// The fixture's cover wrap, made by `iskra cover` with `flags`.
fn cover_pdf(flags: &[&str]) -> Vec<u8> {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = fixture_dir();
    let mut args = vec!["cover", dir.to_str().expect("utf-8 path"), "-o"];
    args.push(out.path().to_str().expect("utf-8 path"));
    args.extend(flags);
    let (code, stderr) = iskra(&args, &[]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read(out.path().join("epub-series-cover.pdf")).expect("cover written")
}

/// The numbers of every `/NAME[x0 y0 x1 y1]` box in the file, in order.
/// Page dictionaries are written uncompressed, so they can be read
/// straight from the bytes.
fn boxes(pdf: &[u8], name: &str) -> Vec<[f32; 4]> {
    let text = String::from_utf8_lossy(pdf).replace(&format!("/{name} ["), &format!("/{name}["));
    let key = format!("/{name}[");
    text.match_indices(&key)
        .filter_map(|(at, _)| {
            let rest = &text[at + key.len()..];
            let numbers: Vec<f32> = rest[..rest.find(']')?]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            numbers.try_into().ok()
        })
        .collect()
}

fn size(b: [f32; 4]) -> (f32, f32) {
    (b[2] - b[0], b[3] - b[1])
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

/// Page objects: `/Type/Page` not followed by more of a name (`/Pages`,
/// `/PageLabel`).
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf).replace("/Type /", "/Type/");
    text.match_indices("/Type/Page")
        .filter(|(at, key)| {
            !text[at + key.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
        .count()
}

#[test]
fn every_page_has_trim_and_bleed_boxes_of_the_right_size() {
    let pdf = build_pdf(&["--bleed", "3mm", "--crop-marks"], &[]);
    let (trims, bleeds, medias) = (
        boxes(&pdf, "TrimBox"),
        boxes(&pdf, "BleedBox"),
        boxes(&pdf, "MediaBox"),
    );
    let pages = page_count(&pdf);
    assert!(pages > 4, "{pages} pages");
    assert_eq!(trims.len(), pages, "a TrimBox on every page");
    assert_eq!(bleeds.len(), pages, "a BleedBox on every page");
    let a5 = (Pt::mm(148.0).0, Pt::mm(210.0).0);
    let bleed = Pt::mm(3.0).0;
    for ((trim, bleed_box), media) in trims.iter().zip(&bleeds).zip(&medias) {
        let (w, h) = size(*trim);
        assert!(close(w, a5.0) && close(h, a5.1), "trim {w}×{h}");
        let (bw, bh) = size(*bleed_box);
        assert!(
            close(bw, a5.0 + 2.0 * bleed) && close(bh, a5.1 + 2.0 * bleed),
            "bleed {bw}×{bh}"
        );
        assert!(
            close(trim[0] - bleed_box[0], bleed),
            "bleed box centred on the trim"
        );
        let (mw, _) = size(*media);
        assert!(mw > bw + 10.0, "room for crop marks outside the bleed");
    }
}

#[test]
fn without_bleed_the_boxes_are_the_page() {
    let pdf = build_pdf(&["--page-size", "6x9"], &[]);
    for (trim, media) in boxes(&pdf, "TrimBox").iter().zip(boxes(&pdf, "MediaBox")) {
        assert_eq!(*trim, media);
        let (w, h) = size(*trim);
        assert!(
            close(w, 432.0) && close(h, 648.0),
            "6×9 in is 432×648 pt, got {w}×{h}"
        );
    }
}

#[test]
fn the_book_is_tagged_with_language_and_title() {
    let pdf = build_pdf(&[], &[]);
    let text = String::from_utf8_lossy(&pdf);
    for needle in [
        "/StructTreeRoot",
        "/Marked true",
        "/Lang(en)",
        "/DisplayDocTitle true",
        "pdfuaid:part>1<",
        // The numbered list is announced as numbered, the task list as unmarked.
        "/ListNumbering/Decimal",
        "/ListNumbering/None",
    ] {
        assert!(text.contains(needle), "no {needle} in the PDF");
    }
}

#[test]
fn two_builds_give_the_same_bytes() {
    let flags = ["--bleed", "3mm", "--crop-marks"];
    let first = build_pdf(&flags, &[]);
    let second = build_pdf(&flags, &[]);
    assert!(first == second, "two PDF builds differ");
    // The whole build, PDF and EPUB (with its drawn cover and page list),
    // into two folders.
    let dir = fixture_dir();
    let outputs: Vec<(Vec<u8>, Vec<u8>)> = (0..2)
        .map(|_| {
            let out = tempfile::tempdir().expect("temp dir");
            let (code, stderr) = iskra(
                &[
                    "build",
                    dir.to_str().unwrap(),
                    "--embed-fonts",
                    "-o",
                    out.path().to_str().unwrap(),
                ],
                &[],
            );
            assert_eq!(code, 0, "{stderr}");
            let read = |ext: &str| {
                std::fs::read(out.path().join(format!("epub-series.{ext}"))).expect("written")
            };
            (read("pdf"), read("epub"))
        })
        .collect();
    assert!(outputs[0].0 == outputs[1].0, "two PDFs differ");
    assert!(outputs[0].1 == outputs[1].1, "two EPUBs differ");
}

#[test]
fn the_date_comes_from_source_date_epoch_or_the_newest_article() {
    let text = |pdf: Vec<u8>| String::from_utf8_lossy(&pdf).into_owned();
    let from_articles = text(build_pdf(&[], &[]));
    // The fixture's newest article is dated 2017-04-18.
    assert!(
        from_articles.contains("2017-04-18T00:00:00"),
        "edition date from the articles"
    );
    let pinned = text(build_pdf(&[], &[("SOURCE_DATE_EPOCH", "1500000000")]));
    assert!(
        pinned.contains("2017-07-14T02:40:00"),
        "date from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn a_noncharacter_is_dropped_with_a_warning_and_the_book_still_meets_pdf_ua() {
    // U+FFFE is no character: a glyph mapped to it fails PDF/UA-1, so it
    // must never reach the PDF (it once failed the whole book).
    let temp = tempfile::tempdir().expect("temp dir");
    let series = temp.path().join("signs");
    std::fs::create_dir_all(&series).expect("dir");
    std::fs::write(
        series.join("01-signs.md"),
        "---\ntitle: Signs\ndate: 2017-05-01\n---\n\nA sign: \u{FFFE} here.\n",
    )
    .expect("write");
    let out = temp.path().join("out");
    let (code, stderr) = iskra(
        &[
            "build",
            series.to_str().unwrap(),
            "--pdf",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("01-signs.md:6:9: warning: U+FFFE is a noncharacter, not text; dropped"),
        "{stderr}"
    );
    assert!(out.join("signs.pdf").exists(), "{stderr}");
}

/// Text runs set along the spine.
fn spine_runs(items: &[Item]) -> usize {
    items
        .iter()
        .filter(|i| matches!(i, Item::Text(run) if run.vertical))
        .count()
}

#[test]
fn the_spine_is_pages_times_paper_thickness() {
    for (name, inches) in [
        ("kdp-white", 0.002252),
        ("kdp-cream", 0.0025),
        ("ingram-cream", 0.0025),
    ] {
        let paper: Paper = name.parse().expect("known paper");
        for pages in [60, 200, 372] {
            let spine = spine_width(pages, paper);
            assert!(
                (spine.0 / 72.0 - pages as f32 * inches).abs() < 1e-4,
                "{name}, {pages} pages: {} in",
                spine.0 / 72.0
            );
        }
    }
    let custom: Paper = "0.1mm".parse().expect("a thickness");
    assert!((spine_width(200, custom).to_mm() - 20.0).abs() < 1e-3);
}

#[test]
fn spine_text_only_on_a_thick_enough_book() {
    let series = fixture();
    let style = Style::book();
    let fonts = FontSet::builtin();
    let paper: Paper = "kdp-white".parse().expect("known paper");
    let thin = wrap(&series, &style, &fonts, 60, paper);
    assert_eq!(
        spine_runs(&thin.pages[0].items),
        0,
        "no spine text at 60 pages"
    );
    let thick = wrap(&series, &style, &fonts, 200, paper);
    assert!(
        spine_runs(&thick.pages[0].items) > 0,
        "spine text at 200 pages"
    );
    // KDP prints spine text on books of more than 79 pages.
    let at = |pages| spine_runs(&wrap(&series, &style, &fonts, pages, paper).pages[0].items);
    assert_eq!(at(79), 0);
    assert!(at(80) > 0);
}

#[test]
fn the_wrap_is_back_spine_front_and_bleed() {
    let series = fixture();
    let style = Style::book();
    let fonts = FontSet::builtin();
    let paper: Paper = "kdp-cream".parse().expect("known paper");
    let doc = wrap(&series, &style, &fonts, 200, paper);
    let page = &doc.pages[0];
    let spine = spine_width(200, paper);
    let trim = style.page;
    assert!(
        close(page.size.width.0, (trim.width * 2.0 + spine).0),
        "back + spine + front"
    );
    assert!(close(page.size.height.0, trim.height.0));
    assert!(close(page.bleed.0, 9.0), "0.125 in of bleed");
    // On the file: the bleed box is the trim grown by the bleed on each side.
    let bytes = iskra::pdf::write_pdf(doc, &iskra::pdf::PdfOptions::default()).expect("cover PDF");
    let (bw, bh) = size(boxes(&bytes, "BleedBox")[0]);
    assert!(
        close(bw, (trim.width * 2.0 + spine).0 + 18.0) && close(bh, trim.height.0 + 18.0),
        "{bw}×{bh}"
    );
}

#[test]
fn the_cover_command_sizes_the_spine_from_the_page_count() {
    let pdf = cover_pdf(&["--paper", "0.1mm"]);
    // The interior without its front cover: count it the same way.
    let interior = build_pdf(&["--no-cover"], &[]);
    let pages = page_count(&interior);
    let (w, _) = size(boxes(&pdf, "TrimBox")[0]);
    let expected = Pt::mm(148.0).0 * 2.0 + Pt::mm(0.1 * pages as f32).0;
    assert!(
        close(w, expected),
        "trim {w} pt for {pages} pages, expected {expected}"
    );
}

#[test]
fn the_cover_takes_the_bleed_and_crop_marks_asked_for() {
    let pdf = cover_pdf(&["--bleed", "5mm", "--crop-marks"]);
    let (tw, th) = size(boxes(&pdf, "TrimBox")[0]);
    let (bw, bh) = size(boxes(&pdf, "BleedBox")[0]);
    let (mw, _) = size(boxes(&pdf, "MediaBox")[0]);
    let bleed = Pt::mm(5.0).0;
    assert!(
        close(bw, tw + 2.0 * bleed) && close(bh, th + 2.0 * bleed),
        "5 mm of bleed: trim {tw}×{th}, bleed box {bw}×{bh}"
    );
    assert!(mw > bw + 10.0, "room for crop marks outside the bleed");
}

#[test]
fn a_booklet_is_padded_and_printed_two_up() {
    let plain = build_pdf(&["--bleed", "3mm", "--crop-marks"], &[]);
    let pages = page_count(&plain);
    let booklet = build_pdf(
        &["--bleed", "3mm", "--crop-marks", "--impose", "booklet"],
        &[],
    );
    let sides = page_count(&booklet);
    assert_eq!(
        sides,
        pages.div_ceil(4) * 2,
        "{pages} pages padded to a multiple of 4, two per side"
    );
    for trim in boxes(&booklet, "TrimBox") {
        let (w, h) = size(trim);
        assert!(
            close(w, Pt::mm(296.0).0) && close(h, Pt::mm(210.0).0),
            "two A5 pages side by side"
        );
    }
    assert!(
        !String::from_utf8_lossy(&booklet).contains("/StructTreeRoot"),
        "a printer's file is untagged"
    );
}

#[test]
fn the_seed_article_alone_is_accessible_and_small() {
    let out = tempfile::tempdir().expect("temp dir");
    let article = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("articles/russian-revolution/02-april-theses.md");
    let file = out.path().join("seed.pdf");
    // PDF/UA-1 is the default standard: the writer checks it while writing,
    // and a failure would be an error with no file written.
    let (code, stderr) = iskra(
        &[
            "pdf",
            article.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let pdf = std::fs::read(&file).expect("PDF written");
    assert!(pdf.len() < 150 * 1024, "{} bytes", pdf.len());
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("pdfuaid:part>1<"),
        "identifies itself as PDF/UA-1"
    );
    assert!(
        text.contains("How Lenin won the Bolshevik party"),
        "the article's own title in the metadata"
    );
}
