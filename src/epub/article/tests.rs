use super::*;
use crate::epub::test_support::*;
use crate::model::{Align, List, ListItem, Table};

fn render_article(article: &Article, breaks: &[PlacedBreak]) -> Result<RenderedArticle, EpubError> {
    let series = series(vec![article.clone()]);
    let images = ImageSet::collect(&series, None)?;
    render(&ArticleInput {
        article: &series.articles[0],
        title: &series.articles[0].meta.title,
        language: "en",
        images: &images,
        breaks,
        soft_hyphens: false,
    })
}

fn xhtml(article: &Article, breaks: &[PlacedBreak]) -> String {
    let rendered = render_article(article, breaks).unwrap();
    let parsed = parse_xml(&rendered.xhtml).unwrap_or_else(|e| panic!("{e}\n{}", rendered.xhtml));
    let mut ids = parsed.ids();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique: {}", rendered.xhtml);
    rendered.xhtml
}

fn page_break(label: &str, block: usize, offset: usize) -> PlacedBreak {
    PlacedBreak {
        label: label.to_string(),
        id: format!("page-{label}"),
        block,
        offset,
    }
}

fn marker(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{label}\" aria-label=\"{label}\"/>"
    )
}

fn list(start: Option<u64>, items: Vec<Vec<Block>>) -> Block {
    block(BlockKind::List(List {
        start,
        items: items
            .into_iter()
            .map(|blocks| ListItem {
                blocks,
                checked: None,
            })
            .collect(),
    }))
}

// ----- footnotes ----------------------------------------------------------

fn annotated() -> Article {
    let mut article = article(
        "a",
        "Notes",
        vec![
            para(vec![text("First"), Inline::NoteRef(0), text(" claim.")]),
            para(vec![
                text("Again"),
                Inline::NoteRef(0),
                text(" and another"),
                Inline::NoteRef(1),
                text("."),
            ]),
        ],
    );
    article.notes = vec![
        note(vec![para(vec![text("Note one.")])]),
        note(vec![list(
            None,
            vec![vec![para(vec![text("Listed note.")])]],
        )]),
    ];
    article
}

#[test]
fn note_references_are_epub_noterefs() {
    let out = xhtml(&annotated(), &[]);
    let parsed = parse_xml(&out).unwrap();
    let refs: Vec<&Element> = parsed
        .named("a")
        .filter(|a| a.attr("epub:type") == Some("noteref"))
        .collect();
    assert_eq!(refs.len(), 3);
    for (element, (href, id)) in refs.iter().zip([
        ("#fn-1", "fnref-1"),
        ("#fn-1", "fnref-1-2"),
        ("#fn-2", "fnref-2"),
    ]) {
        assert_eq!(element.attr("role"), Some("doc-noteref"));
        assert_eq!(element.attr("href"), Some(href));
        assert_eq!(element.attr("id"), Some(id));
    }
    assert!(out.contains(
        "First<sup class=\"noteref\"><a epub:type=\"noteref\" role=\"doc-noteref\" \
         href=\"#fn-1\" id=\"fnref-1\">1</a></sup> claim."
    ));
}

#[test]
fn notes_are_asides_with_the_back_link_first() {
    let out = xhtml(&annotated(), &[]);
    assert!(
        out.contains(
            "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\">\n\
             <p><a href=\"#fnref-1\" role=\"doc-backlink\">1.</a> Note one.</p>"
        ),
        "{out}"
    );
    // A note that does not start with a paragraph gets its number on its own.
    assert!(
        out.contains(
            "id=\"fn-2\">\n<p class=\"note-number\"><a href=\"#fnref-2\" \
             role=\"doc-backlink\">2.</a> </p>\n<ul>"
        ),
        "{out}"
    );
    // The notes come after the body.
    assert!(out.find("id=\"fn-1\"").unwrap() > out.find("another").unwrap());
}

#[test]
fn a_note_nobody_refers_to_has_no_back_link() {
    let mut article = annotated();
    article.body.pop();
    let out = xhtml(&article, &[]);
    assert!(
        out.contains("id=\"fn-2\">\n<p class=\"note-number\">2. </p>"),
        "{out}"
    );
    assert!(!out.contains("#fnref-2"));
}

#[test]
fn a_reference_to_a_missing_note_is_an_error() {
    let mut article = annotated();
    article.notes.pop();
    let error = render_article(&article, &[]).unwrap_err();
    assert!(matches!(error, EpubError::MissingNote { number: 2, .. }));
    assert!(error.to_string().contains("series/a.md"), "{error}");
}

#[test]
fn a_note_reference_in_a_link_follows_the_link() {
    let mut article = annotated();
    article.body = vec![para(vec![Inline::Link {
        url: "https://example.org/".into(),
        content: vec![text("linked"), Inline::NoteRef(0)],
    }])];
    article.notes.truncate(1);
    let out = xhtml(&article, &[]);
    assert!(
        out.contains("<a href=\"https://example.org/\">linked</a><sup class=\"noteref\">"),
        "{out}"
    );
}

#[test]
fn headings_in_notes_stay_out_of_the_contents() {
    let mut article = annotated();
    article.body.push(heading(2, "Section"));
    article.notes[0].blocks.push(heading(2, "In a note"));
    let rendered = render_article(&article, &[]).unwrap();
    let texts: Vec<&str> = rendered.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(texts, ["Section"]);
}

// ----- blocks and inlines -------------------------------------------------

#[test]
fn header_has_part_title_standfirst_and_byline() {
    let mut article = article("a", "Title", vec![para(vec![text("Body.")])]);
    article.meta.part = Some(2);
    article.meta.standfirst = Some("Standfirst.".into());
    article.meta.authors = vec!["A".into(), "B".into()];
    let out = xhtml(&article, &[]);
    // The part label inside the h1, nothing before it: calibre's Kindle
    // conversion breaks the page before an h1 that follows an element.
    assert!(
        out.contains(
            "<header>\n<h1 id=\"title\"><span class=\"part\">Part 2</span> Title</h1>\n\
         <p class=\"standfirst\">Standfirst.</p>\n<p class=\"byline\"><span class=\"author\">A \
         and B</span> · <time datetime=\"2017-04-11\">11 April 2017</time> · \
         <span class=\"issue\">Issue 2548</span></p>\n</header>"
        ),
        "{out}"
    );
}

#[test]
fn lead_image_comes_after_the_header_with_its_caption() {
    let mut article = article("a", "Title", vec![para(vec![text("Body.")])]);
    article.meta.image = Some(figure(
        png("lenin.png", 4, 3),
        "Lenin speaks",
        "Lenin speaks",
    ));
    let out = xhtml(&article, &[]);
    assert!(out.contains(
        "</header>\n<figure class=\"lead\">\n<img src=\"../images/lenin.png\" alt=\"Lenin speaks\"/>\n\
         <figcaption>Lenin speaks</figcaption>\n</figure>\n<p>Body.</p>"
    ), "{out}");
}

#[test]
fn every_block_kind_is_semantic_xhtml() {
    let table = Table {
        columns: vec![Align::None, Align::Left, Align::Center, Align::Right],
        head: vec![
            vec![text("w")],
            vec![text("x")],
            vec![text("y")],
            vec![text("z")],
        ],
        rows: vec![vec![
            vec![text("1")],
            vec![text("2")],
            vec![text("3")],
            vec![text("4")],
        ]],
    };
    let mut tasks = List {
        start: None,
        items: vec![
            ListItem {
                blocks: vec![para(vec![text("done")])],
                checked: Some(true),
            },
            ListItem {
                blocks: vec![para(vec![text("open")])],
                checked: Some(false),
            },
        ],
    };
    tasks.items[0].checked = Some(true);
    let body = vec![
        heading(1, "One"),
        heading(3, "Three"),
        heading(9, "Nine"),
        block(BlockKind::Quote(vec![para(vec![text("quoted")])])),
        block(BlockKind::PullQuote(vec![para(vec![text("pulled")])])),
        list(Some(3), vec![vec![para(vec![text("third")])]]),
        list(Some(1), vec![vec![para(vec![text("first")])]]),
        list(
            None,
            vec![vec![para(vec![text("p1")]), para(vec![text("p2")])]],
        ),
        block(BlockKind::List(tasks)),
        block(BlockKind::Figure(figure(png("x.png", 2, 2), "Cap", ""))),
        block(BlockKind::Table(table)),
        block(BlockKind::Code {
            lang: Some("rust <x>".into()),
            text: "fn main() {}\n".into(),
        }),
        block(BlockKind::Rule),
        para(vec![
            Inline::Emph(vec![text("em")]),
            Inline::Strong(vec![text("strong")]),
            Inline::Strike(vec![text("gone")]),
            Inline::Code("a < b".into()),
            Inline::Break,
            Inline::Link {
                url: "https://example.org/a b?q=1&r=\"2\"".into(),
                content: vec![text("link")],
            },
            Inline::Link {
                url: "javascript:alert(1)".into(),
                content: vec![text("unlinked")],
            },
        ]),
    ];
    let out = xhtml(&article("a", "Title", body), &[]);
    for expected in [
        "<h2 id=\"sec-1\">One</h2>",
        "<h3 id=\"sec-2\">Three</h3>",
        "<h6 id=\"sec-3\">Nine</h6>",
        "<blockquote>\n<p>quoted</p>\n</blockquote>",
        "<aside class=\"pullquote\" role=\"doc-pullquote\">\n<p>pulled</p>\n</aside>",
        "<ol start=\"3\">\n<li>third</li>\n</ol>",
        "<ol>\n<li>first</li>\n</ol>",
        "<ul>\n<li>\n<p>p1</p>\n<p>p2</p>\n</li>\n</ul>",
        "<li class=\"task done\"><span class=\"task-box\" role=\"img\" aria-label=\"done\">☑</span> done</li>",
        "<li class=\"task\"><span class=\"task-box\" role=\"img\" aria-label=\"not done\">☐</span> open</li>",
        "<figure>\n<img src=\"../images/x.png\" alt=\"\"/>\n<figcaption>Cap</figcaption>\n</figure>",
        "<thead>\n<tr><th scope=\"col\">w</th><th scope=\"col\" class=\"align-left\">x</th>\
         <th scope=\"col\" class=\"align-center\">y</th><th scope=\"col\" class=\"align-right\">z</th></tr>\n</thead>",
        "<tbody>\n<tr><td>1</td><td class=\"align-left\">2</td><td class=\"align-center\">3</td>\
         <td class=\"align-right\">4</td></tr>\n</tbody>",
        "<pre><code class=\"language-rust-x\">fn main() {}</code></pre>",
        "<hr/>",
        "<p><em>em</em><strong>strong</strong><s>gone</s><code>a &lt; b</code><br/>\
         <a href=\"https://example.org/a%20b?q=1&amp;r=%222%22\">link</a>unlinked</p>",
    ] {
        assert!(out.contains(expected), "missing {expected}\nin\n{out}");
    }
}

#[test]
fn link_targets_are_made_valid_or_dropped() {
    assert_eq!(
        link_target("https://example.org/x").as_deref(),
        Some("https://example.org/x")
    );
    assert_eq!(
        link_target(" https://example.org/50% off ").as_deref(),
        Some("https://example.org/50%25%20off")
    );
    assert_eq!(
        link_target("https://example.org/%20").as_deref(),
        Some("https://example.org/%20")
    );
    assert_eq!(
        link_target("mailto:a@example.org").as_deref(),
        Some("mailto:a@example.org")
    );
    assert_eq!(
        link_target("https://user@example.org:8080/").as_deref(),
        Some("https://user@example.org:8080/")
    );
    assert_eq!(
        link_target("https://[::1]/").as_deref(),
        Some("https://[::1]/")
    );
    assert_eq!(
        link_target("https://пример.рф/").as_deref(),
        Some("https://пример.рф/")
    );
    assert_eq!(link_target("https://exa mple.org/"), None);
    assert_eq!(link_target("https://"), None);
    assert_eq!(link_target("https://example.org:80a/"), None);
    assert_eq!(link_target("mailto:"), None);
    assert_eq!(link_target("javascript:alert(1)"), None);
}

// ----- page breaks ----------------------------------------------------------

#[test]
fn page_break_goes_before_the_word_at_its_offset() {
    let body = vec![
        para(vec![text("Intro.")]),
        para(vec![text("The quick brown fox")]),
    ];
    let article = article("a", "Title", body);
    let out = xhtml(&article, &[page_break("7", 1, 10)]);
    assert!(
        out.contains(&format!("<p>The quick {}brown fox</p>", marker("7"))),
        "{out}"
    );
    // Inside a word: before that word.
    let out = xhtml(&article, &[page_break("7", 1, 12)]);
    assert!(
        out.contains(&format!("<p>The quick {}brown fox</p>", marker("7"))),
        "{out}"
    );
    // At a paragraph's start: inside it, before its first word, so that
    // the marker does not stand between two paragraphs.
    let out = xhtml(&article, &[page_break("7", 1, 0)]);
    assert!(
        out.contains(&format!("<p>{}The quick", marker("7"))),
        "{out}"
    );
    // Past the end: at the end of the block.
    let out = xhtml(&article, &[page_break("7", 1, 500)]);
    assert!(
        out.contains(&format!("brown fox{}</p>", marker("7"))),
        "{out}"
    );
}

#[test]
fn page_break_offsets_count_through_inline_markup() {
    let content = vec![
        text("The "),
        Inline::Emph(vec![text("quick")]),
        Inline::NoteRef(0),
        text(" brown"),
        Inline::Break,
        Inline::Code("fox".into()),
        text(" jumps"),
    ];
    let mut article = article("a", "Title", vec![para(vec![text("x")]), para(content)]);
    article.notes = vec![note(vec![para(vec![text("n")])])];
    // plain text: "The quick brown fox jumps"; "quick" at 4, "brown" at 10,
    // "fox" at 16 (after the break's space), "jumps" at 20.
    let breaks = [
        page_break("1", 1, 4),
        page_break("2", 1, 10),
        page_break("3", 1, 16),
        page_break("4", 1, 20),
    ];
    let out = xhtml(&article, &breaks);
    let expected = format!(
        "<p>The {}<em>quick</em><sup class=\"noteref\">",
        marker("1")
    );
    assert!(out.contains(&expected), "{out}");
    assert!(
        out.contains(&format!(
            "</sup> {}brown<br/>{}<code>fox</code> {}jumps</p>",
            marker("2"),
            marker("3"),
            marker("4")
        )),
        "{out}"
    );
}

#[test]
fn page_break_at_the_first_block_goes_before_the_title() {
    let article = article("a", "Title", vec![para(vec![text("Body.")])]);
    let out = xhtml(&article, &[page_break("5", 0, 0)]);
    assert!(
        out.contains(&format!(
            "aria-labelledby=\"title\">\n{}<header>",
            marker("5")
        )),
        "{out}"
    );
}

#[test]
fn page_breaks_on_other_blocks_go_before_them() {
    let body = vec![
        para(vec![text("Intro.")]),
        block(BlockKind::Figure(figure(png("x.png", 2, 2), "Cap", "Alt"))),
        block(BlockKind::Rule),
    ];
    let out = xhtml(
        &article("a", "Title", body),
        &[page_break("8", 1, 3), page_break("9", 2, 0)],
    );
    assert!(out.contains(&format!("{}<figure>", marker("8"))), "{out}");
    assert!(out.contains(&format!("{}<hr/>", marker("9"))), "{out}");
}

/// The writer numbers blocks exactly as `block_index_walk` does: a marker
/// at every block lands right before that block's own text.
#[test]
fn block_numbers_match_the_shared_walk() {
    let body = vec![
        para(vec![text("A")]),
        block(BlockKind::Quote(vec![
            para(vec![text("B")]),
            list(
                None,
                vec![
                    vec![para(vec![text("C")])],
                    vec![para(vec![text("D")]), para(vec![text("E")])],
                ],
            ),
        ])),
        block(BlockKind::PullQuote(vec![para(vec![text("F")])])),
        heading(2, "G"),
        list(
            Some(2),
            vec![vec![list(None, vec![vec![para(vec![text("H")])]])]],
        ),
        para(vec![text("I")]),
    ];
    let walk = block_index_walk(&body);
    let breaks: Vec<PlacedBreak> = (0..walk.len())
        .map(|i| page_break(&i.to_string(), i, 0))
        .collect();
    let out = xhtml(&article("a", "Title", body.clone()), &breaks);
    let mut last = 0;
    for (i, block) in walk.iter().enumerate() {
        let at = out
            .find(&marker(&i.to_string()))
            .unwrap_or_else(|| panic!("marker {i}"));
        assert!(at >= last, "marker {i} is out of order");
        last = at;
        let own_text = first_text(block);
        let text_at = out[at..]
            .find(&format!(">{own_text}<"))
            .map(|p| p + at)
            .unwrap();
        let between = &out[at..text_at];
        for other in &walk {
            let other_text = first_text(other);
            if other_text != own_text {
                assert!(
                    !between.contains(&format!(">{other_text}<")),
                    "block {i}: {between}"
                );
            }
        }
    }
}

fn first_text(block: &Block) -> String {
    match &block.kind {
        BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => plain_text(content),
        BlockKind::Quote(children) | BlockKind::PullQuote(children) => first_text(&children[0]),
        BlockKind::List(list) => first_text(&list.items[0].blocks[0]),
        _ => String::new(),
    }
}

// ----- the closing note ---------------------------------------------------

#[test]
fn an_article_s_closing_note_is_set_apart_from_its_text() {
    let series_note = || {
        para(vec![Inline::Emph(vec![text(
            "This is part of a series. Part 16.",
        )])])
    };
    let article_ending =
        |last: Block| article("a", "Closing", vec![para(vec![text("The text.")]), last]);
    let classes = |article: &Article| -> Vec<Option<String>> {
        parse_xml(&xhtml(article, &[]))
            .unwrap()
            .named("p")
            .filter(|p| p.attr("class") != Some("byline"))
            .map(|p| p.attr("class").map(str::to_string))
            .collect()
    };
    assert_eq!(
        classes(&article_ending(series_note())),
        [None, Some("closing-note".to_string())]
    );
    // Emphasis inside running text, or a last paragraph only partly in
    // italic, is text like any other.
    let partly = para(vec![
        Inline::Emph(vec![text("Partly")]),
        text(" in italic."),
    ]);
    assert_eq!(classes(&article_ending(partly)), [None, None]);
}
