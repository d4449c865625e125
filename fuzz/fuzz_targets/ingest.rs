//! Ingest: an article file (front matter and Markdown), its folder's
//! `series.toml` and an image it names, as arbitrary bytes. Parsing must
//! end in a series or diagnostics, never a panic or a hang, and every
//! diagnostic about the article must point inside it.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    /// Give the article valid front matter and a figure of the image, so
    /// that the body and the image are reached.
    framed: bool,
    article: String,
    series_toml: Option<String>,
    image: Vec<u8>,
}

/// One series folder for the whole run, rewritten for each input.
fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("iskra-fuzz-ingest-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("images")).expect("fuzz folder");
        dir
    })
}

fuzz_target!(|input: Input| {
    let dir = folder();
    let text = if input.framed {
        format!(
            "---\ntitle: Fuzz\ndate: 2020-01-01\nimage: images/i.png\n---\n{}\n\n![f](images/i.png)\n",
            input.article
        )
    } else {
        input.article.clone()
    };
    let article = dir.join("a.md");
    std::fs::write(&article, &text).expect("write article");
    std::fs::write(dir.join("images/i.png"), &input.image).expect("write image");
    let toml = dir.join("series.toml");
    match &input.series_toml {
        Some(series) => std::fs::write(&toml, series).expect("write series.toml"),
        None => {
            let _ = std::fs::remove_file(&toml);
        }
    }
    let (_, diags) = iskra::parse::parse_single_article(&article);
    let lines = text.lines().count() as u32 + 1;
    for d in diags.iter() {
        let shown = d.to_string();
        if d.file.as_deref() == Some(article.as_path()) {
            assert!(
                d.span.line <= lines,
                "{shown}: line {} of {lines}",
                d.span.line
            );
        }
    }
    let _ = iskra::parse::images::check_image(&input.image, "i.png");
});
