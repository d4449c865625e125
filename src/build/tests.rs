//! Rebuilds against fresh builds: after a series of edits (an article's
//! text, an image, an article added, renamed and removed, `series.toml`,
//! a broken edit and its fix) a rebuild writes the same bytes as a fresh
//! build of the final files, and it reuses what the edit left alone.

use std::fs;
use std::path::Path;

use super::*;

/// The EPUB fixture (two articles with images) and the seed article, in
/// a folder of their own.
fn series() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/epub-series");
    fs::create_dir(dir.path().join("images")).unwrap();
    for name in ["01-everything.md", "02-russian.md", "series.toml"] {
        fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
    }
    for name in ["cover.png", "lead.png", "wide.png"] {
        fs::copy(
            fixture.join("images").join(name),
            dir.path().join("images").join(name),
        )
        .unwrap();
    }
    fs::copy(
        root.join("articles/russian-revolution/02-april-theses.md"),
        dir.path().join("03-april-theses.md"),
    )
    .unwrap();
    dir
}

fn settings() -> Settings {
    Settings {
        print: PrintOptions {
            system_fonts: Some(false),
            ..PrintOptions::default()
        },
        pdf: Some(PdfSettings::default()),
        epub: Some(EpubSettings::default()),
        ..Settings::default()
    }
}

fn outputs(build: &mut SeriesBuild) -> Outputs {
    match build.run(&Progress::hidden()) {
        Ok(outputs) => outputs,
        Err(e) => panic!("the build failed: {:?}", e.diagnostics()),
    }
}

/// Asserts that the rebuild's outputs are a fresh build's, byte for byte.
fn assert_as_fresh(dir: &Path, rebuilt: &Outputs, step: &str) {
    let fresh = outputs(&mut SeriesBuild::once(dir, settings()));
    assert!(rebuilt.pdf.is_some() && rebuilt.epub.is_some());
    assert!(rebuilt.pdf == fresh.pdf, "{step}: the PDFs differ");
    assert!(rebuilt.epub == fresh.epub, "{step}: the EPUBs differ");
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_rebuild_after_edits_is_byte_identical_to_a_fresh_build() {
    let dir = series();
    let path = |name: &str| dir.path().join(name);
    let mut build = SeriesBuild::incremental(dir.path(), settings());
    let first = outputs(&mut build);
    assert_eq!(first.reuse.laid_out, 0);
    assert_as_fresh(dir.path(), &first, "first build");

    // Nothing changed: everything is reused, the bytes are the same.
    let again = outputs(&mut build);
    assert_eq!(again.reuse.parsed, 3);
    assert_eq!(again.reuse.laid_out, 3);
    assert!(again.pdf == first.pdf && again.epub == first.epub);

    // One article's text: only it is parsed and laid out again.
    edit(
        &path("03-april-theses.md"),
        "The Bolshevik party",
        "The Bolshevik Party, edited,",
    );
    let edited = outputs(&mut build);
    assert_eq!(edited.reuse.parsed, 2);
    assert_eq!(edited.reuse.laid_out, 2);
    assert!(edited.pdf != first.pdf);
    assert_as_fresh(dir.path(), &edited, "text edit");

    // An image: the article that shows it is set again.
    fs::copy(path("images/wide.png"), path("images/lead.png")).unwrap();
    let image = outputs(&mut build);
    assert_eq!(image.reuse.laid_out, 2);
    assert_as_fresh(dir.path(), &image, "image edit");

    // An article added, as an editor saves: written aside, then renamed.
    let text = fs::read_to_string(path("03-april-theses.md"))
        .unwrap()
        .replace("part: 2", "part: 4")
        .replace("How Lenin won", "How the soviets won")
        + "\n![The wide band again, shared with the first article](images/wide.png)\n";
    fs::write(path(".04-soviets.md.tmp"), text).unwrap();
    fs::rename(path(".04-soviets.md.tmp"), path("04-soviets.md")).unwrap();
    let added = outputs(&mut build);
    assert_eq!(added.reuse.articles, 4);
    assert_eq!(added.reuse.laid_out, 3);
    assert_as_fresh(dir.path(), &added, "article added");

    // A broken edit fails with the place of the error; its fix builds.
    edit(
        &path("02-russian.md"),
        "date: ",
        "date: 2017-02-30\nold-date: ",
    );
    let broken = build
        .run(&Progress::hidden())
        .err()
        .expect("a failed build");
    let error = broken
        .diagnostics()
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert!(error.file.as_ref().unwrap().ends_with("02-russian.md"));
    assert!(error.span.line > 0, "{error}");
    edit(
        &path("02-russian.md"),
        "date: 2017-02-30\nold-date: ",
        "date: ",
    );
    let fixed = outputs(&mut build);
    assert_as_fresh(dir.path(), &fixed, "broken edit fixed");

    // The series' title and print settings: every page is set again.
    edit(&path("series.toml"), "Every kind of block", "Every block");
    // (and no cover image: the e-book's cover is drawn)
    edit(&path("series.toml"), "cover = \"images/cover.png\"", "");
    fs::write(
        path("series.toml"),
        fs::read_to_string(path("series.toml")).unwrap() + "\n[print]\nindent = 1.5\n",
    )
    .unwrap();
    let restyled = outputs(&mut build);
    assert_eq!(restyled.reuse.laid_out, 0);
    assert_as_fresh(dir.path(), &restyled, "series.toml edit");

    // A character the family lacks: the bundled Hebrew face joins the
    // family, so every article is set again in the extended family.
    edit(
        &path("02-russian.md"),
        "\n\n",
        "\n\nA word in Hebrew, שלום, stands here.\n\n",
    );
    let extended = outputs(&mut build);
    assert_eq!(extended.reuse.laid_out, 0);
    assert_as_fresh(dir.path(), &extended, "fallback face added");

    // An article renamed and another removed.
    fs::rename(path("04-soviets.md"), path("05-soviets.md")).unwrap();
    fs::remove_file(path("01-everything.md")).unwrap();
    let moved = outputs(&mut build);
    assert_eq!(moved.reuse.articles, 3);
    assert_as_fresh(dir.path(), &moved, "renamed and removed");
}

#[test]
fn a_build_run_once_gives_the_layout_modules_book() {
    let dir = series();
    let built = outputs(&mut SeriesBuild::once(dir.path(), settings()));
    let (series, _) = crate::parse::parse_series(dir.path(), &ParseOptions::default());
    let series = series.expect("parses");
    let fonts = FontSet::builtin();
    let (doc, _) = crate::layout::layout_series(&series, &Style::book(), &fonts);
    let pdf = write::pdf_bytes(doc, &PdfOptions::default(), &series, None).expect("a PDF");
    assert!(
        built.pdf == Some(pdf),
        "the same PDF as layout_series gives"
    );
}

#[test]
fn a_build_into_a_folder_writes_what_it_makes_or_nothing() {
    let dir = series();
    let out = tempfile::tempdir().unwrap();
    let made = SeriesBuild::once(dir.path(), settings())
        .run_into(&Progress::hidden(), out.path())
        .unwrap_or_else(|e| panic!("the build failed: {:?}", e.diagnostics()));
    let slug = made.slug.clone();
    let written = |extension: &str| fs::read(write::output_path(out.path(), &slug, extension));
    assert_eq!(written("pdf").ok(), made.pdf);
    assert_eq!(written("epub").ok(), made.epub);
    assert_eq!(
        fs::read_dir(out.path()).unwrap().count(),
        2,
        "no temporary file is left"
    );

    // An EPUB that cannot take its place (a folder stands there) leaves
    // the PDF as it was, though the PDF was made and written first.
    let old_pdf = written("pdf").unwrap();
    edit(
        &dir.path().join("01-everything.md"),
        "A standfirst",
        "Another standfirst",
    );
    fs::remove_file(write::output_path(out.path(), &slug, "epub")).unwrap();
    fs::create_dir(write::output_path(out.path(), &slug, "epub")).unwrap();
    let failed =
        SeriesBuild::once(dir.path(), settings()).run_into(&Progress::hidden(), out.path());
    assert!(failed.is_err());
    assert_eq!(written("pdf").unwrap(), old_pdf);
    assert_eq!(
        fs::read_dir(out.path()).unwrap().count(),
        2,
        "no temporary file is left"
    );
}

#[test]
fn the_cover_drawn_beside_the_layout_is_the_one_drawn_after_it() {
    let dir = series();
    edit(
        &dir.path().join("series.toml"),
        "cover = \"images/cover.png\"",
        "",
    );
    let fresh = outputs(&mut SeriesBuild::once(dir.path(), settings()));
    let kept = outputs(&mut SeriesBuild::incremental(dir.path(), settings()));
    let epub = fresh.epub.expect("an EPUB");
    // The drawn cover's PNG header, 1600 px wide (stored, not deflated).
    assert!(
        epub.windows(8).any(|w| w == b"IHDR\x00\x00\x06\x40"),
        "the EPUB carries the drawn cover"
    );
    assert!(Some(epub) == kept.epub, "the EPUBs differ");
}
