//! Per-article renders as the "Download PDF" service does them: every
//! article of a corpus read (with its images) and set as its own PDF,
//! `ROUNDS` times over, on one thread; prints the mean time per render.
//!
//!     cargo bench --bench render -- CORPUS_DIR [ROUNDS]
//!
//! One worker's layout caches (shaped words, hyphenation points) are kept
//! from render to render, as the server keeps them; with `RENDER_FRESH=1`
//! in the environment every render starts from empty ones.
//!
//! Under callgrind (instructions per render: divide by the articles):
//!
//!     valgrind --tool=callgrind target/release/deps/render-* CORPUS_DIR 1
//!
//! Never part of `make test`; bench/README.md has the figures.

use std::path::PathBuf;
use std::time::Instant;

use iskra::layout::Caches;
use iskra::layout::fonts::FontSet;
use iskra::pdf::PdfOptions;
use iskra::render::{article_pdf, read_article};

/// The allocator the `iskra` binary uses, so that counts match a server's.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [corpus, rest @ ..] = args.as_slice() else {
        eprintln!("usage: render CORPUS_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut articles: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("the corpus folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    articles.sort();
    let fonts = FontSet::builtin();
    let options = PdfOptions::default();
    // One worker's caches, kept across renders as `iskra serve` keeps
    // them; `RENDER_FRESH=1` starts every render from empty ones.
    let fresh = std::env::var_os("RENDER_FRESH").is_some();
    let mut caches = Caches::default();
    let began = Instant::now();
    let mut bytes = 0;
    for _ in 0..rounds {
        for path in &articles {
            let series = read_article(path).expect("the article reads");
            if fresh {
                caches = Caches::default();
            }
            bytes += article_pdf(&series, &fonts, &options, &mut caches)
                .expect("the article sets")
                .len();
        }
    }
    let renders = rounds * articles.len();
    let elapsed = began.elapsed().as_secs_f64();
    println!(
        "{renders} renders, {:.3} ms each, {} KB each",
        elapsed * 1000.0 / renders as f64,
        bytes / renders / 1024
    );
}
