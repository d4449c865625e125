//! Layout: arbitrary inline structure and strings (any characters, any
//! nesting the parser allows, links, code, breaks, note references) in
//! paragraphs, headings and quotes, set on pages. Layout must finish
//! without a panic, whatever the text.
#![no_main]

use std::sync::OnceLock;

use iskra::diag::Span;
use iskra::layout::fonts::FontSet;
use iskra::model::{Block, BlockKind, Inline, Series};
use iskra::style::Style;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum FuzzInline {
    Text(String),
    Emph(Vec<FuzzInline>),
    Strong(Vec<FuzzInline>),
    Strike(Vec<FuzzInline>),
    Code(String),
    Link(Vec<FuzzInline>),
    NoteRef,
    Break,
}

#[derive(Arbitrary, Debug)]
enum FuzzBlock {
    Paragraph(Vec<FuzzInline>),
    Heading(u8, Vec<FuzzInline>),
    Quote(Vec<FuzzInline>),
}

/// The parser refuses deeper nesting; deeper structure becomes text.
const MAX_DEPTH: usize = 24;

fn inlines(from: &[FuzzInline], depth: usize) -> Vec<Inline> {
    from.iter().map(|i| inline(i, depth + 1)).collect()
}

fn inline(from: &FuzzInline, depth: usize) -> Inline {
    if depth > MAX_DEPTH {
        return Inline::Text("deep".into());
    }
    match from {
        FuzzInline::Text(text) => Inline::Text(text.clone()),
        FuzzInline::Emph(content) => Inline::Emph(inlines(content, depth)),
        FuzzInline::Strong(content) => Inline::Strong(inlines(content, depth)),
        FuzzInline::Strike(content) => Inline::Strike(inlines(content, depth)),
        FuzzInline::Code(text) => Inline::Code(text.clone()),
        FuzzInline::Link(content) => Inline::Link {
            url: "https://example.com/".into(),
            content: inlines(content, depth),
        },
        FuzzInline::NoteRef => Inline::NoteRef(0),
        FuzzInline::Break => Inline::Break,
    }
}

fn block(from: &FuzzBlock) -> Block {
    let kind = match from {
        FuzzBlock::Paragraph(content) => BlockKind::Paragraph(inlines(content, 0)),
        FuzzBlock::Heading(level, content) => BlockKind::Heading {
            level: level % 6 + 1,
            content: inlines(content, 0),
        },
        FuzzBlock::Quote(content) => BlockKind::Quote(vec![Block {
            kind: BlockKind::Paragraph(inlines(content, 0)),
            span: Span::new(1, 1),
        }]),
    };
    Block {
        kind,
        span: Span::new(1, 1),
    }
}

/// An article with one footnote, parsed once; each input replaces its body.
fn base() -> &'static (Series, Style, FontSet) {
    static BASE: OnceLock<(Series, Style, FontSet)> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("iskra-fuzz-layout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("fuzz folder");
        let path = dir.join("a.md");
        std::fs::write(
            &path,
            "---\ntitle: Fuzz\ndate: 2020-01-01\n---\nText[^1].\n\n[^1]: A note.\n",
        )
        .expect("write article");
        let (series, diags) = iskra::parse::parse_single_article(&path);
        let series = series.unwrap_or_else(|| panic!("base article: {diags:?}"));
        let style = Style::resolve(&series.print).expect("default style");
        (series, style, FontSet::builtin())
    })
}

fuzz_target!(|body: Vec<FuzzBlock>| {
    let (series, style, fonts) = base();
    let mut series = series.clone();
    series.articles[0].body = body.iter().map(block).collect();
    let _ = iskra::layout::layout_article(&series, 0, style, fonts);
});
