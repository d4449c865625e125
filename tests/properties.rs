//! Property tests on the stable toolchain, a bounded number of cases each
//! (the coverage-guided fuzz targets in `fuzz/` run for as long as one
//! likes): arbitrary articles parse to a series or diagnostics inside the
//! file, and lay out without a panic; arbitrary URL names never resolve
//! outside the articles folder.

use std::path::Path;

use iskra::layout::fonts::FontSet;
use iskra::serve::resolve::ArticleRoot;
use iskra::style::Style;
use proptest::prelude::*;

/// Cases per property: enough to shake out a regression in `make test`
/// without slowing it (the fuzzers do the long search).
const CASES: u32 = 48;

/// Markdown made of the pieces that interact: emphasis, links, notes,
/// code, tables, quotes, lists, headings, long words, any character.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z ]{0,12}",
        Just("*".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("[^1]".to_string()),
        Just("[^x]".to_string()),
        Just("[link](https://example.com/)".to_string()),
        Just("\n\n".to_string()),
        Just("\n> ".to_string()),
        Just("\n- ".to_string()),
        Just("\n## ".to_string()),
        Just("\n| a | b |\n|---|---|\n| c | d |\n".to_string()),
        Just("  \n".to_string()),
        "x{50,400}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn any_article_parses_and_lays_out_without_a_panic(body in markdown()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = format!("---\ntitle: A title\ndate: 2017-04-11\n---\n{body}\n\n[^1]: A note.\n");
        std::fs::write(&path, &text).unwrap();
        let (series, diags) = iskra::parse::parse_single_article(&path);
        let lines = text.lines().count() as u32 + 1;
        for d in diags.iter() {
            prop_assert!(d.span.line <= lines, "{d} is past the file's {lines} lines");
        }
        if let Some(series) = series {
            let style = Style::resolve(&series.print).unwrap();
            let (doc, _) = iskra::layout::layout_article(&series, 0, &style, &FontSet::builtin());
            prop_assert!(!doc.pages.is_empty());
        }
    }

    #[test]
    fn no_url_name_resolves_outside_the_articles_folder(
        series in "[a-z./\\\\%-]{0,12}",
        file in "[a-z./\\\\%-]{0,16}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("s")).unwrap();
        std::fs::write(site.join("s/a.md"), "x").unwrap();
        std::fs::write(dir.path().join("secret.md"), "x").unwrap();
        let root = ArticleRoot::new(&site).unwrap();
        if let Ok(path) = root.article(&series, &file) {
            prop_assert!(path.starts_with(root.dir()), "{}", path.display());
            prop_assert_eq!(path, root.dir().join("s/a.md"));
        }
    }
}

#[test]
fn the_property_fixture_sets_at_all() {
    // The properties above would pass vacuously if no article ever parsed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(
        &path,
        "---\ntitle: T\ndate: 2017-04-11\n---\nText[^1].\n\n[^1]: A note.\n",
    )
    .unwrap();
    let (series, diags) = iskra::parse::parse_single_article(Path::new(&path));
    assert!(series.is_some(), "{diags:?}");
}
