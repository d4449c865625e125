//! Per-article renders as the "Download PDF" service does them: every
//! article of a corpus read (with its images) and set as its own PDF,
//! `ROUNDS` times over, on one thread; prints the mean time per render.
//!
//!     cargo bench --bench render -- CORPUS_DIR [ROUNDS]
//!
//! One worker's caches (shaped words, hyphenation points, the faces'
//! preset subsets) are kept from render to render, as the server keeps
//! them; with `RENDER_FRESH=1` in the environment every render starts
//! from empty ones. Prints how many faces were written from their preset
//! subset as made (hits) and how many drew glyphs past it (misses).
//!
//! Under callgrind (instructions per render: divide by the articles):
//!
//!     valgrind --tool=callgrind target/release/deps/render-* CORPUS_DIR 1
//!
//! With `RENDER_OUT=DIR` in the environment, the last round's PDFs are
//! also written to DIR (one `<article>.pdf` each), to compare builds'
//! bytes.
//!
//! Never part of `make test`; bench/README.md has the figures.

use std::path::PathBuf;
use std::time::Instant;

use iskra::layout::Caches;
use iskra::layout::fonts::FontSet;
use iskra::pdf::{PdfOptions, SubsetCache};
use iskra::render::{article_pdf_with_subsets, read_article};

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
    let out = std::env::var_os("RENDER_OUT");
    let mut caches = Caches::default();
    let mut subsets = SubsetCache::default();
    let (mut hits, mut misses) = (0, 0);
    let began = Instant::now();
    let mut bytes = 0;
    for _ in 0..rounds {
        for path in &articles {
            let series = read_article(path).expect("the article reads");
            if fresh {
                let (h, m) = subsets.counts();
                (hits, misses) = (hits + h, misses + m);
                caches = Caches::default();
                subsets = SubsetCache::default();
            }
            let pdf =
                article_pdf_with_subsets(&series, &fonts, &options, &mut caches, &mut subsets)
                    .expect("the article sets")
                    .0;
            bytes += pdf.len();
            if let (Some(dir), Some(name)) = (&out, path.file_stem()) {
                let file = PathBuf::from(dir).join(name).with_extension("pdf");
                std::fs::write(file, &pdf).expect("RENDER_OUT is writable");
            }
        }
    }
    let renders = rounds * articles.len();
    let elapsed = began.elapsed().as_secs_f64();
    let (h, m) = subsets.counts();
    println!(
        "{renders} renders, {:.3} ms each, {} KB each; faces from their preset subset: {} as made, {} with more glyphs",
        elapsed * 1000.0 / renders as f64,
        bytes / renders / 1024,
        hits + h,
        misses + m
    );
}
