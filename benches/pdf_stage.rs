//! The PDF stage alone: a corpus is parsed and laid out once, then
//! written `RUNS` times; prints the mean and best wall time.
//!
//!     cargo bench --bench pdf_stage -- CORPUS_DIR [tagged|untagged] [RUNS]
//!
//! Under callgrind, count only the writer (it runs on one thread):
//!
//!     valgrind --tool=callgrind --toggle-collect='iskra::pdf::direct::write_pdf*' \
//!         target/release/deps/pdf_stage-* CORPUS_DIR tagged 1
//!
//! Never part of `make test`; bench/README.md has the figures (and the
//! krilla writer's, measured with this program's first version).

use std::path::PathBuf;
use std::time::Instant;

use iskra::layout::fonts::FontSet;
use iskra::parse::{ParseOptions, parse_series};
use iskra::pdf::{PdfOptions, Standard, write_pdf};
use iskra::style::Style;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [corpus, rest @ ..] = args.as_slice() else {
        eprintln!("usage: pdf_stage CORPUS_DIR [tagged|untagged] [RUNS]");
        std::process::exit(2);
    };
    let tagged = rest.first().is_none_or(|t| t == "tagged");
    let runs: usize = rest.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let (series, _) = parse_series(&PathBuf::from(corpus), &ParseOptions::default());
    let series = series.expect("the corpus parses");
    let style = Style::resolve(&series.print).expect("print settings");
    let fonts = FontSet::builtin();
    let (doc, _) = iskra::layout::layout_series(&series, &style, &fonts);
    let options = if tagged {
        PdfOptions {
            standards: vec![Standard::Ua1],
            tagged: true,
        }
    } else {
        PdfOptions {
            standards: Vec::new(),
            tagged: false,
        }
    };
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let input = doc.clone();
        let start = Instant::now();
        let pdf = write_pdf(input, &options).expect("PDF");
        times.push(start.elapsed().as_secs_f64());
        size = pdf.len();
    }
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{} {corpus}: {} pages, {size} bytes, mean {:.1} ms, best {:.1} ms over {runs} runs",
        if tagged { "tagged" } else { "untagged" },
        doc.pages.len(),
        mean * 1e3,
        best * 1e3
    );
}
