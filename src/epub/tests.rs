use super::test_support::*;
use super::*;
use crate::model::{Article, BlockKind, Inline};

const HOSTILE: &str = "<script>alert(\"x\") & 'y'</script>";

fn options() -> EpubOptions {
    EpubOptions {
        modified: Some("2017-04-11T00:00:00Z".into()),
        ..EpubOptions::default()
    }
}

/// Two articles, one with a note, a figure and a lead image; a cover.
fn sample() -> Series {
    let mut first = article(
        "01-february",
        "February",
        vec![
            para(vec![
                text("The February revolution"),
                Inline::NoteRef(0),
                text("."),
            ]),
            heading(2, "Dual power"),
            para(vec![text("A new, unstable system.")]),
            block(BlockKind::Figure(figure(
                png("crowd.png", 6, 4),
                "A crowd",
                "A crowd",
            ))),
        ],
    );
    first.meta.part = Some(1);
    first.notes = vec![note(vec![para(vec![text("Old style dates.")])])];
    first.meta.image = Some(figure(png("lenin.png", 4, 6), "Lenin", "Lenin"));
    let mut second = article(
        "02-april",
        "April",
        vec![para(vec![text("The April Theses.")]), heading(3, "Theses")],
    );
    second.meta.part = Some(2);
    second.meta.authors = vec!["John Smith".into(), "jane doe".into()];
    let mut series = series(vec![first, second]);
    series.meta.cover = Some(png("cover.png", 4, 6));
    series
}

/// Every entry of the EPUB that is XML, parsed (panics on ill-formed XML).
fn parse_all(epub: &[u8]) -> Vec<(String, Parsed)> {
    unzip(epub)
        .into_iter()
        .filter(|(name, _, _)| {
            [".xhtml", ".opf", ".ncx", ".xml"]
                .iter()
                .any(|e| name.ends_with(e))
        })
        .map(|(name, _, data)| {
            let text = String::from_utf8(data).expect("UTF-8");
            let parsed = parse_xml(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            (name, parsed)
        })
        .collect()
}

fn opf(epub: &[u8]) -> Parsed {
    parse_xml(&entry(epub, "EPUB/package.opf")).unwrap()
}

fn meta_values(epub: &[u8], property: &str) -> Vec<String> {
    let opf = entry(epub, "EPUB/package.opf");
    let open = format!("<meta property=\"{property}\">");
    opf.match_indices(&open)
        .map(|(at, _)| {
            let rest = &opf[at + open.len()..];
            rest[..rest.find("</meta>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn same_series_gives_same_bytes() {
    let series = sample();
    let mut options = options();
    options.page_breaks = vec![PageBreak {
        label: "3".into(),
        article: 1,
        block: 0,
        offset: 4,
    }];
    let first = write_epub(&series, &options).unwrap();
    let second = write_epub(&series.clone(), &options).unwrap();
    assert_eq!(first, second);
}

#[test]
fn mimetype_is_first_and_stored_and_text_deflated() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let entries = unzip(&epub);
    assert_eq!(entries[0].0, "mimetype");
    assert_eq!(entries[0].1, zip::CompressionMethod::Stored);
    assert_eq!(entries[0].2, b"application/epub+zip");
    assert_eq!(entries[1].0, "META-INF/container.xml");
    assert!(
        entries[1..]
            .iter()
            .filter(|(name, _, _)| name.ends_with(".xhtml") || name.ends_with(".opf"))
            .all(|(_, method, _)| *method == zip::CompressionMethod::Deflated)
    );
}

#[test]
fn every_xml_file_is_well_formed_with_unique_ids() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let parsed = parse_all(&epub);
    assert!(parsed.len() >= 8, "{}", parsed.len());
    for (name, doc) in &parsed {
        let mut ids = doc.ids();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate id in {name}");
    }
}

#[test]
fn manifest_and_zip_agree() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let opf = opf(&epub);
    let mut declared: Vec<String> = opf
        .named("item")
        .map(|i| format!("EPUB/{}", i.attr("href").unwrap()))
        .collect();
    declared.push("EPUB/package.opf".into());
    declared.push("META-INF/container.xml".into());
    declared.push("mimetype".into());
    declared.sort();
    let mut stored: Vec<String> = unzip(&epub).into_iter().map(|(n, _, _)| n).collect();
    stored.sort();
    assert_eq!(declared, stored);
    // Each image once, although the cover and figures could share files.
    assert_eq!(
        opf.named("item")
            .filter(|i| i.attr("media-type") == Some("image/png"))
            .count(),
        3
    );
}

#[test]
fn hostile_strings_come_out_literally() {
    let mut series = sample();
    series.meta.title = HOSTILE.into();
    series.meta.subtitle = Some(HOSTILE.into());
    series.meta.publisher = Some(HOSTILE.into());
    let article = &mut series.articles[0];
    article.meta.title = HOSTILE.into();
    article.meta.standfirst = Some(HOSTILE.into());
    article.meta.authors = vec![HOSTILE.into()];
    article.meta.tags = vec![HOSTILE.into()];
    article.meta.image = Some(figure(png("lenin.png", 4, 6), HOSTILE, HOSTILE));
    article.body.push(heading(2, HOSTILE));
    article.body.push(para(vec![Inline::Link {
        url: format!("https://example.org/?q={HOSTILE}"),
        content: vec![text(HOSTILE)],
    }]));
    let epub = write_epub(&series, &options()).unwrap();
    let parsed = parse_all(&epub);
    let doc = |name: &str| &parsed.iter().find(|(n, _)| n == name).unwrap().1;
    for name in [
        "EPUB/package.opf",
        "EPUB/nav.xhtml",
        "EPUB/toc.ncx",
        "EPUB/title.xhtml",
        "EPUB/text/01-february.xhtml",
    ] {
        assert!(
            doc(name).text.contains(HOSTILE),
            "{name}: {}",
            doc(name).text
        );
        assert!(
            !doc(name).elements.iter().any(|e| e.name == "script"),
            "{name}"
        );
    }
    let article = doc("EPUB/text/01-february.xhtml");
    let img = article.named("img").next().unwrap();
    assert_eq!(img.attr("alt"), Some(HOSTILE));
    let link = article
        .named("a")
        .find(|a| a.attr("href").is_some_and(|h| h.contains("?q=")))
        .unwrap();
    assert!(!link.attr("href").unwrap().contains(['<', '"', ' ']));
    let cover = doc("EPUB/cover.xhtml");
    let frame = cover.named("svg").next().unwrap();
    assert!(frame.attr("aria-label").unwrap().contains(HOSTILE));
    assert!(cover.text.contains(HOSTILE), "the SVG's title");
}

#[test]
fn nav_and_ncx_list_every_article_and_subheading() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let nav = parse_xml(&entry(&epub, "EPUB/nav.xhtml")).unwrap();
    let hrefs: Vec<&str> = nav.named("a").filter_map(|a| a.attr("href")).collect();
    for href in [
        "text/01-february.xhtml",
        "text/01-february.xhtml#sec-1",
        "text/02-april.xhtml",
        "text/02-april.xhtml#sec-1",
    ] {
        assert!(hrefs.contains(&href), "{href} in {hrefs:?}");
    }
    assert!(nav.text.contains("Part 1: February"));
    assert!(nav.text.contains("Part 2: April"));
    let ncx = parse_xml(&entry(&epub, "EPUB/toc.ncx")).unwrap();
    let sources: Vec<&str> = ncx.named("content").filter_map(|c| c.attr("src")).collect();
    assert_eq!(
        sources,
        [
            "text/01-february.xhtml",
            "text/01-february.xhtml#sec-1",
            "text/02-april.xhtml",
            "text/02-april.xhtml#sec-1"
        ]
    );
    let uid = ncx
        .named("meta")
        .find(|m| m.attr("name") == Some("dtb:uid"))
        .unwrap();
    assert_eq!(
        uid.attr("content"),
        Some("urn:uuid:091ad4cf-92a6-519c-a7f3-b5cd45be1e12")
    );
}

#[test]
fn landmarks_and_spine_put_the_cover_first() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let nav = parse_xml(&entry(&epub, "EPUB/nav.xhtml")).unwrap();
    let landmarks: Vec<(&str, &str)> = nav
        .named("a")
        .filter_map(|a| Some((a.attr("epub:type")?, a.attr("href")?)))
        .collect();
    assert_eq!(
        landmarks,
        [
            ("cover", "cover.xhtml"),
            ("titlepage", "title.xhtml"),
            ("toc", "nav.xhtml#toc"),
            ("bodymatter", "text/01-february.xhtml")
        ]
    );
    let opf = opf(&epub);
    let spine: Vec<&str> = opf
        .named("itemref")
        .filter_map(|i| i.attr("idref"))
        .collect();
    assert_eq!(
        spine,
        ["cover", "title-page", "nav", "article-1", "article-2"]
    );
    let cover = opf
        .named("item")
        .find(|i| i.attr("properties") == Some("cover-image"))
        .unwrap();
    assert_eq!(cover.attr("href"), Some("images/cover.png"));
    let legacy = opf
        .named("meta")
        .find(|m| m.attr("name") == Some("cover"))
        .unwrap();
    assert_eq!(legacy.attr("content"), cover.attr("id"));
}

#[test]
fn metadata_describes_the_series() {
    let epub = write_epub(&sample(), &options()).unwrap();
    let opf_text = entry(&epub, "EPUB/package.opf");
    for expected in [
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"en\">",
        "<dc:title id=\"title\">1917</dc:title>",
        "<dc:language>en</dc:language>",
        // Two bylines: a collection, the paper's, by its writers.
        "<dc:creator id=\"creator-1\">Socialist Worker</dc:creator>",
        "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">edt</meta>",
        "<meta refines=\"#creator-1\" property=\"file-as\">Socialist Worker</meta>",
        "<dc:contributor id=\"contributor-1\">Jane Doe</dc:contributor>",
        "<meta refines=\"#contributor-1\" property=\"role\" scheme=\"marc:relators\">aut</meta>",
        "<dc:contributor id=\"contributor-2\">John Smith</dc:contributor>",
        "<dc:publisher>Socialist Worker</dc:publisher>",
        "<dc:subject>Lenin</dc:subject>",
        "<dc:date>2017-04-11</dc:date>",
        "<meta property=\"belongs-to-collection\" id=\"series\">1917</meta>",
        "<meta refines=\"#series\" property=\"collection-type\">series</meta>",
    ] {
        assert!(
            opf_text.contains(expected),
            "missing {expected}\n{opf_text}"
        );
    }
    assert_eq!(opf_text.matches("<dc:creator").count(), 1);
    assert_eq!(
        opf_text.matches("<dc:contributor").count(),
        2,
        "jane doe is Jane Doe"
    );
    assert_eq!(opf_text.matches("<dc:subject>").count(), 1);
    assert_eq!(
        meta_values(&epub, "dcterms:modified"),
        ["2017-04-11T00:00:00Z"]
    );
    assert_eq!(
        meta_values(&epub, "schema:accessMode"),
        ["textual", "visual"]
    );
    assert_eq!(
        meta_values(&epub, "schema:accessModeSufficient"),
        ["textual"]
    );
    assert_eq!(
        meta_values(&epub, "schema:accessibilityFeature"),
        [
            "structuralNavigation",
            "tableOfContents",
            "readingOrder",
            "alternativeText"
        ]
    );
    assert_eq!(meta_values(&epub, "schema:accessibilityHazard"), ["none"]);
    assert_eq!(
        meta_values(&epub, "dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    );
    assert!(meta_values(&epub, "pageBreakSource").is_empty());
}

#[test]
fn an_image_without_alt_text_withdraws_the_claims() {
    let mut series = sample();
    series.articles[1].body.push(block(BlockKind::Figure(figure(
        png("bare.png", 2, 2),
        "",
        " ",
    ))));
    let epub = write_epub(&series, &options()).unwrap();
    assert!(
        !meta_values(&epub, "schema:accessibilityFeature").contains(&"alternativeText".to_string())
    );
    assert_eq!(
        meta_values(&epub, "schema:accessModeSufficient"),
        ["textual,visual"]
    );
    assert!(meta_values(&epub, "dcterms:conformsTo").is_empty());
    assert!(entry(&epub, "EPUB/text/02-april.xhtml").contains("alt=\"\""));
}

#[test]
fn identifier_is_derived_from_the_series_when_absent() {
    let mut series = sample();
    series.meta.identifier = None;
    let epub = write_epub(&series, &options()).unwrap();
    let id = meta_id(&epub);
    assert!(id.starts_with("urn:uuid:"), "{id}");
    assert_eq!(&id[9 + 14..9 + 15], "5", "version 5 UUID: {id}");
    assert_eq!(id, meta_id(&write_epub(&series, &options()).unwrap()));
    series.meta.title = "Another series".into();
    assert_ne!(id, meta_id(&write_epub(&series, &options()).unwrap()));
}

fn meta_id(epub: &[u8]) -> String {
    let opf = entry(epub, "EPUB/package.opf");
    let start = opf.find("<dc:identifier id=\"pub-id\">").unwrap() + 27;
    opf[start..start + opf[start..].find('<').unwrap()].to_string()
}

#[test]
fn file_names_are_safe_and_unique() {
    let articles: Vec<Article> = ["a b", "a-b", "A-B", "../x", "февраль"]
        .iter()
        .map(|slug| article(slug, "T", vec![para(vec![text("x")])]))
        .collect();
    let epub = write_epub(&series(articles), &options()).unwrap();
    let names: Vec<String> = unzip(&epub)
        .into_iter()
        .map(|(n, _, _)| n)
        .filter(|n| n.starts_with("EPUB/text/"))
        .collect();
    assert_eq!(
        names,
        [
            "EPUB/text/a-b.xhtml",
            "EPUB/text/a-b-2.xhtml",
            "EPUB/text/A-B-3.xhtml",
            "EPUB/text/x.xhtml",
            "EPUB/text/article-5.xhtml"
        ]
    );
}

#[test]
fn an_article_in_another_language_says_so() {
    let mut series = sample();
    series.articles[1].meta.lang = Some("ru".into());
    let epub = write_epub(&series, &options()).unwrap();
    assert!(entry(&epub, "EPUB/text/02-april.xhtml").contains("lang=\"ru\" xml:lang=\"ru\""));
    assert!(entry(&epub, "EPUB/text/01-february.xhtml").contains("lang=\"en\" xml:lang=\"en\""));
}

#[test]
fn page_breaks_make_a_page_list() {
    let mut options = options();
    options.page_breaks = vec![
        PageBreak {
            label: "2".into(),
            article: 0,
            block: 2,
            offset: 6,
        },
        PageBreak {
            label: "1".into(),
            article: 0,
            block: 0,
            offset: 0,
        },
        PageBreak {
            label: "3".into(),
            article: 1,
            block: 1,
            offset: 0,
        },
    ];
    let epub = write_epub(&sample(), &options).unwrap();
    let nav = parse_xml(&entry(&epub, "EPUB/nav.xhtml")).unwrap();
    let page_hrefs: Vec<&str> = nav
        .named("a")
        .filter_map(|a| a.attr("href"))
        .filter(|h| h.contains("#page-"))
        .collect();
    assert_eq!(
        page_hrefs,
        [
            "text/01-february.xhtml#page-1",
            "text/01-february.xhtml#page-2",
            "text/02-april.xhtml#page-3"
        ]
    );
    assert!(
        entry(&epub, "EPUB/nav.xhtml")
            .contains("<nav epub:type=\"page-list\" id=\"page-list\" hidden=\"hidden\">")
    );
    let first = entry(&epub, "EPUB/text/01-february.xhtml");
    assert!(first.contains("<p>A new, <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-2\" aria-label=\"2\"/>unstable system.</p>"), "{first}");
    let source = meta_values(&epub, "pageBreakSource");
    assert_eq!(source.len(), 1);
    assert!(
        source[0].starts_with("urn:uuid:") && source[0].len() == "urn:uuid:".len() + 36,
        "a UUID URN: {source:?}"
    );
    assert_ne!(
        source[0], "urn:uuid:091ad4cf-92a6-519c-a7f3-b5cd45be1e12",
        "not the e-book's own"
    );
    let features = meta_values(&epub, "schema:accessibilityFeature");
    assert!(features.contains(&"pageBreakMarkers".to_string()));
    assert!(features.contains(&"pageNavigation".to_string()));
}

#[test]
fn page_breaks_with_odd_labels_get_safe_unique_ids() {
    let mut options = options();
    let at = |label: &str, offset| PageBreak {
        label: label.into(),
        article: 0,
        block: 0,
        offset,
    };
    options.page_breaks = vec![at("x ii", 4), at("x/ii", 8), at("<5>", 12)];
    let epub = write_epub(&sample(), &options).unwrap();
    let doc = parse_xml(&entry(&epub, "EPUB/text/01-february.xhtml")).unwrap();
    let markers: Vec<(&str, &str)> = doc
        .named("span")
        .filter_map(|s| Some((s.attr("id")?, s.attr("aria-label")?)))
        .collect();
    assert_eq!(
        markers,
        [
            ("page-x-ii", "x ii"),
            ("page-x-ii-2", "x/ii"),
            ("page-5", "<5>")
        ]
    );
}

#[test]
fn page_breaks_pointing_nowhere_are_errors() {
    let at = |label: &str, article, block| PageBreak {
        label: label.into(),
        article,
        block,
        offset: 0,
    };
    for (page_break, expected) in [
        (at("1", 5, 0), "article 5 does not exist"),
        (at("1", 0, 99), "block 99 does not exist"),
        (at(" ", 0, 0), "the page label is empty"),
    ] {
        let mut options = options();
        options.page_breaks = vec![page_break];
        let error = write_epub(&sample(), &options).unwrap_err();
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[test]
fn unusable_input_is_an_error_not_a_broken_book() {
    assert!(matches!(
        write_epub(&series(Vec::new()), &options()),
        Err(EpubError::NoArticles)
    ));
    let mut bad_lang = sample();
    bad_lang.articles[0].meta.lang = Some("english please".into());
    let error = write_epub(&bad_lang, &options()).unwrap_err();
    assert!(
        error.to_string().contains("series/01-february.md"),
        "{error}"
    );
    let bad_modified = EpubOptions {
        modified: Some("yesterday".into()),
        ..EpubOptions::default()
    };
    assert!(matches!(
        write_epub(&sample(), &bad_modified),
        Err(EpubError::BadModified(_))
    ));
}
