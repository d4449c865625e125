//! Hand-made model values for the tests of the stages that read the model
//! (layout, the EPUB writer), so each stage's tests build the same article.

use std::path::PathBuf;

use crate::diag::Span;
use crate::model::{Article, Block, BlockKind, Date, Inline, Meta};

/// Plain text.
pub(crate) fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

/// A body block of `kind`, with no source position.
pub(crate) fn block(kind: BlockKind) -> Block {
    Block {
        kind,
        span: Span::default(),
    }
}

/// A paragraph of `content`.
pub(crate) fn para(content: Vec<Inline>) -> Block {
    block(BlockKind::Paragraph(content))
}

/// An article of `body`, with the metadata an opening and the EPUB's
/// package need.
pub(crate) fn article(slug: &str, title: &str, body: Vec<Block>) -> Article {
    Article {
        path: PathBuf::from(format!("series/{slug}.md")),
        slug: slug.to_string(),
        meta: Meta {
            title: title.to_string(),
            short_title: None,
            standfirst: None,
            authors: vec!["Jane Doe".into()],
            date: Date::new(2017, 4, 11).expect("a real date"),
            issue: Some(2548),
            series: None,
            part: None,
            image: None,
            tags: vec!["Lenin".into()],
            lang: None,
        },
        body,
        notes: Vec::new(),
        characters: Vec::new(),
    }
}
