//! End-to-end EPUB tests: the fixture series under `tests/fixtures/`
//! (every block kind, footnotes, a hostile title, a cover, an image too
//! wide for a reader, a Russian article) parsed and written as an EPUB,
//! then read back as a zip of XML files.
//!
//! EPUBCheck is not needed here; to check these books with it, run
//! `ISKRA_EPUB_SAMPLES=/tmp/samples cargo test --test epub` and then
//! `epubcheck /tmp/samples/*.epub`.

use std::io::{Cursor, Read};
use std::path::Path;

use iskra::epub::{EpubOptions, PageBreak, write_epub};
use iskra::model::Series;
use iskra::parse::{ParseOptions, parse_series};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

const FIXTURE: &str = "tests/fixtures/epub-series";
/// The fixture's title, `<script>alert("x") & 'y'</script>`, as the parser
/// gives it: with smart quotes.
const HOSTILE: &str = "<script>alert(“x”) & ‘y’</script>";

fn fixture() -> Series {
    let (series, diags) = parse_series(Path::new(FIXTURE), &ParseOptions::default());
    assert!(
        !diags.has_errors(),
        "{:?}",
        diags.iter().collect::<Vec<_>>()
    );
    series.expect("the fixture parses")
}

fn options() -> EpubOptions {
    EpubOptions {
        modified: Some("2017-04-18T12:00:00Z".into()),
        ..EpubOptions::default()
    }
}

fn build(options: &EpubOptions) -> Vec<u8> {
    write_epub(&fixture(), options).expect("the EPUB is written")
}

/// The entries of the zip: name, whether stored uncompressed, bytes.
fn entries(epub: &[u8]) -> Vec<(String, bool, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("a zip file");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("an entry");
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("the entry reads");
            let stored = file.compression() == zip::CompressionMethod::Stored;
            (file.name().expect("a UTF-8 name").to_string(), stored, data)
        })
        .collect()
}

fn text_of(epub: &[u8], name: &str) -> String {
    let (_, _, data) = entries(epub)
        .into_iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the EPUB"));
    String::from_utf8(data).expect("UTF-8")
}

/// An XML document read back: (element name, attributes) in order, and
/// all character data. Panics when the document is not well-formed.
struct Doc {
    elements: Vec<(String, Vec<(String, String)>)>,
    text: String,
}

impl Doc {
    fn attr_values(&self, element: &str, attr: &str) -> Vec<&str> {
        self.elements
            .iter()
            .filter(|(name, _)| name == element)
            .filter_map(|(_, attrs)| attrs.iter().find(|(a, _)| a == attr))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn read_xml(name: &str, xml: &str) -> Doc {
    let mut reader = Reader::from_str(xml);
    let mut doc = Doc {
        elements: Vec::new(),
        text: String::new(),
    };
    let mut open = 0usize;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        let opens = matches!(event, Event::Start(_));
        match event {
            Event::Start(start) | Event::Empty(start) => {
                open += usize::from(opens);
                let attrs = start
                    .attributes()
                    .with_checks(true)
                    .map(|a| {
                        let a = a.unwrap_or_else(|e| panic!("{name}: bad attribute: {e}"));
                        let value = a
                            .normalized_value(XmlVersion::Explicit1_0)
                            .unwrap_or_else(|e| panic!("{name}: bad attribute value: {e}"));
                        (a.key.as_ref().to_string(), value.into_owned())
                    })
                    .collect();
                doc.elements
                    .push((start.name().as_ref().to_string(), attrs));
            }
            Event::End(_) => open -= 1,
            Event::Text(text) => doc.text.push_str(&text.xml10_content()),
            Event::GeneralRef(reference) => {
                let c = reference.resolve_char_ref().expect("a valid reference");
                let resolved = c.map(String::from).unwrap_or_else(|| {
                    resolve_predefined_entity(&reference)
                        .unwrap_or_else(|| panic!("{name}: unknown entity {}", &*reference))
                        .to_string()
                });
                doc.text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(open, 0, "{name} leaves elements open");
    doc
}

fn read(epub: &[u8], name: &str) -> Doc {
    read_xml(name, &text_of(epub, name))
}

#[test]
fn every_xml_file_is_well_formed() {
    let epub = build(&options());
    let mut checked = 0;
    for (name, _, data) in entries(&epub) {
        if [".xhtml", ".opf", ".ncx", ".xml"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            read_xml(&name, std::str::from_utf8(&data).expect("UTF-8"));
            checked += 1;
        }
    }
    // container, package, nav, ncx, cover, title page, two articles
    assert_eq!(checked, 8);
}

#[test]
fn mimetype_comes_first_uncompressed_and_images_are_stored_as_they_are() {
    let epub = build(&options());
    assert_eq!(&epub[30..58], b"mimetypeapplication/epub+zip");
    let entries = entries(&epub);
    assert_eq!(entries[0].0, "mimetype");
    assert!(entries[0].1, "mimetype is stored");
    let compressed_already =
        |name: &str| [".jpg", ".jpeg", ".png"].iter().any(|e| name.ends_with(e));
    assert!(
        entries[1..]
            .iter()
            .any(|(name, _, _)| compressed_already(name)),
        "the fixture has images"
    );
    for (name, stored, _) in &entries[1..] {
        assert_eq!(*stored, compressed_already(name), "{name}");
    }
}

#[test]
fn two_builds_give_the_same_bytes() {
    assert_eq!(build(&options()), build(&options()));
}

#[test]
fn a_hostile_title_is_shown_as_text() {
    let epub = build(&options());
    for name in [
        "EPUB/package.opf",
        "EPUB/nav.xhtml",
        "EPUB/toc.ncx",
        "EPUB/title.xhtml",
        "EPUB/text/01-everything.xhtml",
    ] {
        let doc = read(&epub, name);
        assert!(doc.text.contains(HOSTILE), "{name}: {}", doc.text);
        assert!(
            doc.elements.iter().all(|(element, _)| element != "script"),
            "{name}"
        );
    }
    let publisher = read(&epub, "EPUB/title.xhtml");
    assert!(publisher.text.contains("Fixture & Sons <Press>"));
}

#[test]
fn nav_lists_every_article() {
    let epub = build(&options());
    let nav = read(&epub, "EPUB/nav.xhtml");
    let hrefs = nav.attr_values("a", "href");
    assert!(hrefs.contains(&"text/01-everything.xhtml"));
    assert!(hrefs.contains(&"text/02-russian.xhtml"));
    assert!(hrefs.contains(&"text/02-russian.xhtml#sec-1"));
    assert!(nav.text.contains("Part 2: Апрельские тезисы"));
    let ncx = read(&epub, "EPUB/toc.ncx");
    assert!(
        ncx.attr_values("content", "src")
            .contains(&"text/02-russian.xhtml")
    );
}

#[test]
fn footnotes_are_linked_both_ways() {
    let epub = build(&options());
    let article = text_of(&epub, "EPUB/text/01-everything.xhtml");
    let doc = read_xml("article", &article);
    let ids = doc.attr_values("a", "id");
    assert_eq!(ids, ["fnref-1", "fnref-1-2", "fnref-2"]);
    for number in [1, 2] {
        let aside = format!(
            "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{number}\">\n\
             <p><a href=\"#fnref-{number}\" role=\"doc-backlink\">{number}.</a> "
        );
        assert!(article.contains(&aside), "note {number}:\n{article}");
    }
    assert!(article.contains("With a second paragraph."));
    // The reference inside a link is moved just after it.
    assert!(
        article.contains("linked note</a><sup class=\"noteref\">"),
        "{article}"
    );
}

#[test]
fn the_russian_article_is_marked_russian() {
    let epub = build(&options());
    let article = text_of(&epub, "EPUB/text/02-russian.xhtml");
    assert!(article.contains("lang=\"ru\" xml:lang=\"ru\""));
    assert!(text_of(&epub, "EPUB/package.opf").contains("xml:lang=\"en\""));
}

#[test]
fn a_wide_image_is_scaled_to_fit_a_reader() {
    let epub = build(&options());
    let (_, _, data) = entries(&epub)
        .into_iter()
        .find(|(n, _, _)| n == "EPUB/images/wide.png")
        .expect("the wide image");
    let image = image::load_from_memory(&data).expect("a PNG");
    assert_eq!((image.width(), image.height()), (1600, 80));
}

/// One rule of a stylesheet: the at-rules it stands in, its selectors and
/// its declarations, each with its spaces as written.
struct CssRule {
    within: Vec<String>,
    selectors: Vec<String>,
    declarations: Vec<String>,
}

/// The rules of a stylesheet without comments, nested at-rules followed.
fn css_rules(css: &str) -> Vec<CssRule> {
    let mut text = css.to_string();
    while let Some(start) = text.find("/*") {
        let end = text[start..].find("*/").expect("a closed comment") + start + 2;
        text.replace_range(start..end, "");
    }
    let (mut rules, mut within, mut prelude) = (Vec::new(), Vec::new(), String::new());
    let mut body: Option<(Vec<String>, String)> = None;
    for c in text.chars() {
        match (c, body.as_mut()) {
            ('}', Some(_)) => {
                let (selectors, declarations) = body.take().expect("in a rule");
                rules.push(CssRule {
                    within: within.clone(),
                    selectors,
                    declarations: declarations
                        .split(';')
                        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                        .filter(|d| !d.is_empty())
                        .collect(),
                });
            }
            (c, Some((_, declarations))) => declarations.push(c),
            ('{', None) if prelude.trim().starts_with('@') => {
                within.push(prelude.trim().to_string());
                prelude.clear();
            }
            ('{', None) => {
                let selectors = prelude.split(',').map(|s| s.trim().to_string()).collect();
                body = Some((selectors, String::new()));
                prelude.clear();
            }
            ('}', None) => {
                within.pop();
            }
            (c, None) => prelude.push(c),
        }
    }
    rules
}

/// Whether a rule for `selector`, inside exactly the at-rules `within`,
/// declares `declaration`.
fn declares(rules: &[CssRule], within: &[&str], selector: &str, declaration: &str) -> bool {
    rules.iter().any(|rule| {
        rule.within == within
            && rule.selectors.iter().any(|s| s == selector)
            && rule.declarations.iter().any(|d| d == declaration)
    })
}

/// Titles and standfirsts are balanced in the e-book as in print, and a
/// caption is set to its picture's width, flush with its left edge, where
/// the reading system can size the figure to the picture; where it cannot,
/// the caption is centred under it (proof 1, items 5 and 12).
#[test]
fn titles_are_balanced_and_captions_set_under_their_picture() {
    let epub = build(&options());
    let rules = css_rules(&text_of(&epub, "EPUB/style.css"));
    for selector in ["h1", ".standfirst", "figcaption"] {
        assert!(
            declares(&rules, &[], selector, "text-wrap: balance"),
            "{selector} is not balanced"
        );
    }
    assert!(declares(&rules, &[], "figcaption", "text-align: center"));
    assert!(declares(&rules, &[], "figure", "margin: 1.2em auto"));
    assert!(declares(
        &rules,
        &[],
        "figure.lead",
        "margin: 0 auto 1.5em auto"
    ));
    let sized = ["@supports (width: fit-content)"];
    assert!(declares(&rules, &sized, "figure", "width: fit-content"));
    assert!(declares(&rules, &sized, "figcaption", "width: 0"));
    assert!(declares(&rules, &sized, "figcaption", "min-width: 100%"));
    assert!(declares(&rules, &sized, "figcaption", "text-align: left"));
    // Each article's figure holds its picture, then its caption.
    let article = text_of(&epub, "EPUB/text/01-everything.xhtml");
    let figure = &article[article.find("<figure").expect("a figure")..];
    let figure = &figure[..figure.find("</figure>").expect("a closed figure")];
    assert!(
        figure.find("<img").expect("a picture") < figure.find("<figcaption").expect("a caption")
    );
}

fn with_pages() -> EpubOptions {
    let page = |label: &str, article, block, offset| PageBreak {
        label: label.into(),
        article,
        block,
        offset,
    };
    EpubOptions {
        page_breaks: vec![
            page("1", 0, 0, 0),
            page("2", 0, 0, 30),
            page("3", 0, 5, 0),
            page("4", 1, 2, 10),
        ],
        ..options()
    }
}

#[test]
fn page_breaks_give_markers_and_a_page_list() {
    let epub = build(&with_pages());
    let nav = read(&epub, "EPUB/nav.xhtml");
    let pages: Vec<&str> = nav
        .attr_values("a", "href")
        .into_iter()
        .filter(|h| h.contains("#page-"))
        .collect();
    assert_eq!(
        pages,
        [
            "text/01-everything.xhtml#page-1",
            "text/01-everything.xhtml#page-2",
            "text/01-everything.xhtml#page-3",
            "text/02-russian.xhtml#page-4"
        ]
    );
    for (file, id) in pages.iter().map(|h| h.split_once('#').unwrap()) {
        let doc = read(&epub, &format!("EPUB/{file}"));
        assert!(
            doc.attr_values("span", "id").contains(&id),
            "{id} in {file}"
        );
    }
    let russian = text_of(&epub, "EPUB/text/02-russian.xhtml");
    // Offset 10 is the space after "Новая": the marker goes before the next word.
    assert!(
        russian.contains("<p>Новая <span epub:type=\"pagebreak\""),
        "{russian}"
    );
    assert!(text_of(&epub, "EPUB/package.opf").contains("<meta property=\"pageBreakSource\">"));
}

/// Writes the fixture books for EPUBCheck when `ISKRA_EPUB_SAMPLES`
/// names a folder (see the module comment).
#[test]
fn write_samples_for_epubcheck() {
    let Some(dir) = std::env::var_os("ISKRA_EPUB_SAMPLES") else {
        return;
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("the samples folder");
    std::fs::write(dir.join("fixture.epub"), build(&options())).expect("written");
    std::fs::write(dir.join("fixture-pages.epub"), build(&with_pages())).expect("written");
}

#[test]
fn a_series_without_a_cover_gets_one_drawn_in_the_book_design() {
    let temp = tempfile::tempdir().expect("temp dir");
    let series = temp.path().join("bare");
    std::fs::create_dir_all(&series).expect("dir");
    std::fs::write(
        series.join("series.toml"),
        "title = \"The Paris Commune\"\npublisher = \"Socialist Worker\"\n",
    )
    .expect("write");
    std::fs::write(
        series.join("01.md"),
        "---\ntitle: Seventy-two days\ndate: 1871-03-18\n---\n\nThe workers took the city.\n",
    )
    .expect("write");
    let out = temp.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(["build", "--epub", "-o"])
        .arg(&out)
        .arg(&series)
        .status()
        .expect("run iskra");
    assert!(status.success());
    let epub = std::fs::read(out.join("bare.epub")).expect("EPUB written");
    let opf = text_of(&epub, "EPUB/package.opf");
    assert!(opf.contains("properties=\"cover-image\""), "{opf}");
    let cover = entries(&epub)
        .into_iter()
        .find(|(name, _, _)| name == "EPUB/images/cover.png")
        .expect("a PNG cover");
    let image =
        image::load_from_memory_with_format(&cover.2, image::ImageFormat::Png).expect("a PNG");
    assert_eq!((image.width(), image.height()), (1600, 2560));
    // The design's deep red ground, not a blank page.
    let rgb = image.to_rgb8();
    let corner = rgb.get_pixel(20, 20);
    assert!(
        corner[0] > 110 && corner[1] < 50 && corner[2] < 60,
        "{corner:?}"
    );
}

#[test]
fn embedded_fonts_are_subset_and_cover_the_text() {
    use skrifa::MetadataProvider;
    let out = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(["build", "--epub", "--embed-fonts", "-o"])
        .arg(out.path())
        .arg(FIXTURE)
        .status()
        .expect("run iskra");
    assert!(status.success());
    let epub = std::fs::read(out.path().join("epub-series.epub")).expect("EPUB written");
    let css = text_of(&epub, "EPUB/style.css");
    assert_eq!(css.matches("@font-face").count(), 5, "{css}");
    let files = entries(&epub);
    let font = |name: &str| {
        files
            .iter()
            .find(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("{name} in the EPUB"))
            .2
            .clone()
    };
    let regular = font("EPUB/fonts/text-regular.ttf");
    let full = std::fs::read("fonts/GentiumBookPlus-Regular.ttf").expect("the shipped font");
    assert!(
        regular.len() * 10 < full.len(),
        "{} bytes of {}",
        regular.len(),
        full.len()
    );
    let face = skrifa::FontRef::new(&regular).expect("a font a reader can load");
    let charmap = face.charmap();
    // Every letter of the Russian article's text has a glyph.
    let russian = text_of(&epub, "EPUB/text/02-russian.xhtml");
    let body = &russian[russian.find("<body").expect("a body")..];
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_alphanumeric() => {
                assert!(charmap.map(c).is_some(), "no glyph for {c:?} in the subset")
            }
            _ => {}
        }
    }
    let opf = text_of(&epub, "EPUB/package.opf");
    assert!(opf.contains("media-type=\"font/ttf\""), "{opf}");
}

/// A one-article series in a new folder, its files last changed at the
/// given times (seconds since 1970), and the iskra command to build it.
fn dated_series(article_time: u64, toml_time: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let series = temp.path().join("dated");
    std::fs::create_dir_all(&series).expect("dir");
    let set = |name: &str, text: &str, time: u64| {
        let path = series.join(name);
        std::fs::write(&path, text).expect("write");
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(time))
            .expect("set mtime");
    };
    set(
        "series.toml",
        "title = \"Dated\"\npublisher = \"Socialist Worker\"\n",
        toml_time,
    );
    set(
        "01.md",
        "---\ntitle: Dual power\ndate: 2017-04-11\n---\n\nThe revolutionary workers.\n",
        article_time,
    );
    (temp, series)
}

fn build_cli(series: &Path, out: &Path, args: &[&str], epoch: Option<&str>) -> (Vec<u8>, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_iskra"));
    command
        .args(["build", "--epub", "-o"])
        .arg(out)
        .args(args)
        .arg(series);
    command.env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    let output = command.output().expect("run iskra");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let name = series.file_name().expect("a folder name").to_string_lossy();
    (
        std::fs::read(out.join(format!("{name}.epub"))).expect("EPUB written"),
        stderr,
    )
}

fn modified(epub: &[u8]) -> String {
    let opf = text_of(epub, "EPUB/package.opf");
    let open = "<meta property=\"dcterms:modified\">";
    let start = opf.find(open).expect("dcterms:modified") + open.len();
    opf[start..start + 20].to_string()
}

#[test]
fn modified_is_when_the_newest_input_changed_and_builds_repeat() {
    // The article changed 2017-04-12 10:00:00 UTC, series.toml earlier.
    let (temp, series) = dated_series(1_491_991_200, 1_491_900_000);
    let out = temp.path().join("out");
    let (first, _) = build_cli(&series, &out, &[], None);
    assert_eq!(modified(&first), "2017-04-12T10:00:00Z");
    let (again, _) = build_cli(&series, &out, &[], None);
    assert_eq!(first, again, "the same files give the same bytes");
    // A correction a day later is a new release of the same edition.
    let file = std::fs::File::options()
        .write(true)
        .open(series.join("01.md"))
        .expect("open");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_492_075_800))
        .expect("set mtime");
    let (corrected, _) = build_cli(&series, &out, &[], None);
    assert_eq!(modified(&corrected), "2017-04-13T09:30:00Z");
    // SOURCE_DATE_EPOCH wins, for builds from a fresh checkout.
    let (pinned, _) = build_cli(&series, &out, &[], Some("1491868800"));
    assert_eq!(modified(&pinned), "2017-04-11T00:00:00Z");
}

#[test]
fn soft_hyphens_are_an_option_of_the_command_line() {
    let (temp, series) = dated_series(1_491_991_200, 1_491_900_000);
    let out = temp.path().join("out");
    let (plain, _) = build_cli(&series, &out, &[], None);
    let (hyphenated, _) = build_cli(&series, &out, &["--soft-hyphens"], None);
    let article = |epub: &[u8]| text_of(epub, "EPUB/text/01.xhtml");
    assert!(!article(&plain).contains('\u{ad}'));
    assert!(article(&hyphenated).contains("rev\u{ad}o\u{ad}lu\u{ad}tion\u{ad}ary"));
}

#[test]
fn a_cover_below_store_sizes_is_warned_about_at_its_path() {
    let (temp, series) = dated_series(1_491_991_200, 1_491_900_000);
    let cover = image::RgbImage::from_pixel(400, 600, image::Rgb([120, 20, 20]));
    cover.save(series.join("cover.png")).expect("cover written");
    std::fs::write(
        series.join("series.toml"),
        "title = \"Dated\"\npublisher = \"Socialist Worker\"\ncover = \"cover.png\"\n",
    )
    .expect("write");
    let (_, stderr) = build_cli(&series, &temp.path().join("out"), &[], None);
    let expected = format!(
        "{}: warning: the e-book cover is 400 × 600 px, below what stores ask for",
        series.join("cover.png").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    let big = image::RgbImage::from_pixel(1600, 2560, image::Rgb([120, 20, 20]));
    big.save(series.join("cover.png")).expect("cover written");
    let (_, stderr) = build_cli(&series, &temp.path().join("out"), &[], None);
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn the_shipped_series_give_their_web_address_as_an_identifier() {
    // calibre lists a `url:…` identifier under "Identifiers" (a urn:uuid
    // it does not): the shipped series give one, so a store shows it.
    for name in ["russian-revolution", "handbook"] {
        let dir = Path::new("articles").join(name);
        let (series, diags) = parse_series(&dir, &ParseOptions::default());
        assert!(!diags.has_errors(), "{name}");
        let series = series.expect("the series parses");
        let url = series.meta.url.clone().expect("series.toml gives a url");
        let opf = text_of(
            &write_epub(&series, &options()).expect("the EPUB is written"),
            "EPUB/package.opf",
        );
        assert!(opf.contains("unique-identifier=\"pub-id\""), "{name}");
        assert!(
            opf.contains("<dc:identifier id=\"pub-id\">urn:uuid:"),
            "{name}: the unique identifier stays the series' own\n{opf}"
        );
        let second = format!("<dc:identifier id=\"id-2\">url:{url}</dc:identifier>");
        assert!(opf.contains(&second), "{name}: missing {second}\n{opf}");
    }
}

#[test]
fn writing_past_the_deadline_is_cancelled() {
    use iskra::cancel::{Cancelled, within};
    use std::time::Duration;
    let series = fixture();
    let cancelled = within(Duration::ZERO, || write_epub(&series, &options()));
    assert_eq!(cancelled.err(), Some(Cancelled(Duration::ZERO)));
    // Within its time the same work gives the book.
    let written = within(Duration::from_secs(600), || write_epub(&series, &options()));
    assert!(written.expect("in time").is_ok());
}
