//! The command line: argument parsing, running the library's commands,
//! printing diagnostics and choosing the exit code (0 done, 1 bad input,
//! 2 bad usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{BuildError, EpubSettings, Imposition, PdfSettings, SeriesBuild, Settings};
use crate::diag::Diagnostics;
use crate::layout::cover::Paper;
use crate::parse;
use crate::pdf::{PdfOptions, Standard};
use crate::progress::Progress;
use crate::style::{Openings, PageSize, PrintOptions, TextAlign};
use crate::units::Pt;

/// The version and the commit it was built from.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ISKRA_COMMIT"), ")");

/// Iskra: typesets article series as print-ready PDF books and EPUB 3
/// collections.
#[derive(Debug, Parser)]
#[command(name = "iskra", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// Print diagnostics only: no progress bars, no list of files written
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
    /// Stop with an error, writing nothing, once the run has taken this
    /// many seconds (no limit by default; `serve` has --render-timeout)
    #[arg(long, global = true, value_name = "SECS", value_parser = crate::serve::seconds(1))]
    timeout: Option<u64>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build series folders into OUT_DIR/<folder>.pdf and .epub
    Build {
        /// Series folders (articles and series.toml), or folders of them
        /// such as articles/
        #[arg(required = true)]
        series: Vec<PathBuf>,
        /// Where to write the outputs
        #[arg(short, long, value_name = "OUT_DIR", default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        outputs: OutputArgs,
    },
    /// Rebuild a series' PDF and EPUB whenever its files change, and
    /// optionally show its pages in a browser
    Watch {
        /// The series folder
        series: PathBuf,
        /// Where to write the outputs
        #[arg(short, long, value_name = "OUT_DIR", default_value = "out")]
        out: PathBuf,
        /// Serve a page showing the book's pages, updated after each rebuild
        #[arg(long)]
        preview: bool,
        /// Where the preview listens (loopback unless you say otherwise;
        /// port 0 picks a free one)
        #[arg(
            long,
            value_name = "ADDR",
            default_value = "127.0.0.1:8017",
            requires = "preview"
        )]
        addr: std::net::SocketAddr,
        #[command(flatten)]
        outputs: OutputArgs,
    },
    /// Set articles as their own PDFs: one article to FILE.pdf, or many
    /// articles and series folders to OUT_DIR/<series>/<slug>.pdf
    Pdf {
        /// Article files, series folders, or folders of series
        #[arg(required = true, value_name = "ARTICLE.md|DIR")]
        paths: Vec<PathBuf>,
        /// For one article, the PDF to write (default: <article name>.pdf
        /// here); for many, the folder (default: out), where PDFs that are
        /// up to date are left alone
        #[arg(short, long, value_name = "FILE.pdf|OUT_DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        pdf: PdfArgs,
    },
    /// Write the print cover (back, spine, front) of a series' book
    Cover {
        /// The series folder
        series: PathBuf,
        /// Where to write <folder>-cover.pdf
        #[arg(short, long, value_name = "OUT_DIR", default_value = "out")]
        out: PathBuf,
        /// Paper stock, for the spine width: kdp-white, kdp-cream, kdp-color,
        /// ingram-white, ingram-cream, ingram-groundwood, or a thickness per
        /// page such as 0.0025in
        #[arg(long, value_name = "PAPER", default_value = "kdp-white")]
        paper: Paper,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Parse and validate series folders or article files (front matter,
    /// Markdown, images) without typesetting them; write nothing
    Check {
        /// Series folders (a folder of series checks each), or article files
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Do not look in the system's fonts for characters the family lacks
        #[arg(long)]
        ignore_system_fonts: bool,
    },
    /// Serve per-article PDFs over HTTP (the site's "Download PDF" button)
    Serve(crate::serve::ServeArgs),
    /// Start a series folder or its next article
    #[command(subcommand)]
    New(NewCommand),
    /// Print a completion script for a shell
    Completions {
        /// The shell
        shell: crate::completions::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a
    /// folder
    Man {
        /// Write iskra.1 and a page for each command (iskra-build.1, …) here
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What `iskra new` starts.
#[derive(Debug, Subcommand)]
enum NewCommand {
    /// A series folder with its series.toml
    Series {
        /// The folder to make
        dir: PathBuf,
        /// The series' title
        #[arg(long)]
        title: String,
        /// A line under the title
        #[arg(long)]
        subtitle: Option<String>,
        /// Who publishes it
        #[arg(long)]
        publisher: Option<String>,
        /// Its language (BCP 47)
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// The next article of a series: part number, file name from the
    /// title, today's date (or SOURCE_DATE_EPOCH)
    Article {
        /// The series folder
        dir: PathBuf,
        /// The article's title
        title: String,
        /// Its author
        #[arg(long)]
        author: Option<String>,
    },
}

/// What a build writes, with its settings.
#[derive(Debug, Args)]
struct OutputArgs {
    /// Write only the PDF
    #[arg(long, conflicts_with = "epub")]
    pdf: bool,
    /// Write only the EPUB
    #[arg(long)]
    epub: bool,
    #[command(flatten)]
    print: PrintArgs,
    #[command(flatten)]
    pdf_args: PdfArgs,
    #[command(flatten)]
    ebook: EpubArgs,
}

impl OutputArgs {
    fn settings(&self) -> Settings {
        let (want_pdf, want_epub) = (!self.epub || self.pdf, !self.pdf || self.epub);
        Settings {
            print: self.print.options(),
            pdf: want_pdf.then(|| self.pdf_args.settings()),
            epub: want_epub.then_some(EpubSettings {
                embed_fonts: self.ebook.embed_fonts,
                soft_hyphens: self.ebook.soft_hyphens,
            }),
            covers_dir: Some(PathBuf::from("covers")),
            keep_book: false,
        }
    }
}

/// E-book settings on the command line.
#[derive(Debug, Args)]
struct EpubArgs {
    /// Carry the book's fonts in the EPUB, subset to the characters it uses
    #[arg(long)]
    embed_fonts: bool,
    /// Put soft hyphens into paragraphs at the print layout's break points,
    /// for reading systems without hyphenation dictionaries
    #[arg(long)]
    soft_hyphens: bool,
}

/// Print settings on the command line; they override `[print]` in series.toml.
#[derive(Debug, Args)]
struct PrintArgs {
    /// Trim size: a5, a4, letter, b-format, 6x9, 5.5x8.5 or WxH (e.g. 150x220mm)
    #[arg(long, value_name = "SIZE", value_parser = parse_page_size)]
    page_size: Option<String>,
    /// Folder with the font family (Regular, Italic, Bold, Bold Italic)
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
    /// Body type size in points
    #[arg(long, value_name = "PT", value_parser = parse_font_size)]
    font_size: Option<f32>,
    /// Baseline-to-baseline distance of body text in points
    #[arg(long, value_name = "PT", value_parser = parse_leading)]
    leading: Option<f32>,
    /// Text width, e.g. 105mm or 4.1in
    #[arg(long, value_name = "LEN", value_parser = parse_length)]
    measure: Option<String>,
    /// Top margin, e.g. 20mm
    #[arg(long, value_name = "LEN", value_parser = parse_length)]
    margin_top: Option<String>,
    /// Body text alignment: justify or ragged (right)
    #[arg(long, value_name = "ALIGN")]
    align: Option<TextAlign>,
    /// Do not hyphenate
    #[arg(long)]
    no_hyphenate: bool,
    /// First-line indent of paragraphs, in ems
    #[arg(long, value_name = "EM", value_parser = parse_indent)]
    indent: Option<f32>,
    /// Where articles open: any page, or right-hand pages only
    #[arg(long, value_name = "any|right")]
    openings: Option<Openings>,
    /// Leave out running heads
    #[arg(long)]
    no_running_heads: bool,
    /// Leave out the table of contents
    #[arg(long)]
    no_contents: bool,
    /// Leave out the title page
    #[arg(long)]
    no_title_page: bool,
    /// Leave out the front cover (for a printer's interior file)
    #[arg(long)]
    no_cover: bool,
    /// Turn off protrusion and font expansion
    #[arg(long)]
    no_microtype: bool,
    /// Bleed around each page, e.g. 3mm or 0.125in
    #[arg(long, value_name = "LEN", value_parser = parse_length)]
    bleed: Option<String>,
    /// Draw crop marks outside the bleed
    #[arg(long)]
    crop_marks: bool,
    /// Extra inside margin for binding, e.g. 6mm
    #[arg(long, value_name = "LEN", value_parser = parse_length)]
    gutter: Option<String>,
    /// A fallback font file or folder, tried for characters the family
    /// lacks after the fonts that ship with Iskra (repeatable)
    #[arg(long, value_name = "PATH")]
    fallback_font: Vec<PathBuf>,
    /// Do not look in the system's fonts (the same output on every machine)
    #[arg(long)]
    ignore_system_fonts: bool,
}

impl PrintArgs {
    fn options(&self) -> PrintOptions {
        PrintOptions {
            page_size: self.page_size.clone(),
            font_dir: self.font_dir.clone(),
            font_size: self.font_size,
            leading: self.leading,
            measure: self.measure.clone(),
            margin_top: self.margin_top.clone(),
            align: self.align,
            hyphenate: self.no_hyphenate.then_some(false),
            indent: self.indent,
            openings: self.openings,
            running_heads: self.no_running_heads.then_some(false),
            contents: self.no_contents.then_some(false),
            title_page: self.no_title_page.then_some(false),
            protrusion: self.no_microtype.then_some(false),
            expansion: self.no_microtype.then_some(0.0),
            bleed: self.bleed.clone(),
            crop_marks: self.crop_marks.then_some(true),
            gutter: self.gutter.clone(),
            cover: self.no_cover.then_some(false),
            fallback_fonts: (!self.fallback_font.is_empty()).then(|| self.fallback_font.clone()),
            system_fonts: self.ignore_system_fonts.then_some(false),
            ..PrintOptions::default()
        }
    }
}

/// How the PDF is written.
#[derive(Debug, Args)]
struct PdfArgs {
    /// Standards the PDF must meet: pdf-ua-1 (the default), pdf-a-2b,
    /// pdf-a-2u, pdf-a-2a, or none; repeat to combine PDF/UA-1 with a PDF/A level
    #[arg(long, value_name = "STANDARD", value_parser = parse_standard)]
    standard: Vec<Option<Standard>>,
    /// Impose the pages for printing: booklet (saddle stitch, two pages per sheet side)
    #[arg(long, value_name = "LAYOUT")]
    impose: Option<Imposition>,
}

impl PdfArgs {
    fn settings(&self) -> PdfSettings {
        PdfSettings {
            options: self.options(),
            imposition: self.impose,
        }
    }

    fn options(&self) -> PdfOptions {
        if self.impose.is_some() {
            // A printer's imposed file carries no structure.
            return PdfOptions {
                standards: Vec::new(),
                tagged: false,
            };
        }
        match self.standard.as_slice() {
            [] => PdfOptions::default(),
            chosen => PdfOptions {
                standards: chosen.iter().flatten().copied().collect(),
                tagged: true,
            },
        }
    }
}

fn parse_standard(text: &str) -> Result<Option<Standard>, String> {
    if text.eq_ignore_ascii_case("none") {
        Ok(None)
    } else {
        text.parse().map(Some)
    }
}

fn parse_page_size(text: &str) -> Result<String, String> {
    PageSize::parse(text).map(|_| text.to_string())
}

fn parse_length(text: &str) -> Result<String, String> {
    Pt::parse(text).map(|_| text.to_string())
}

fn parse_number(text: &str, unit: &str, min: f32, max: f32) -> Result<f32, String> {
    let value: f32 = text
        .trim()
        .trim_end_matches(unit)
        .parse()
        .map_err(|_| format!("`{text}` is not a number of {unit}"))?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} {unit} is outside {min} to {max} {unit}"))
    }
}

fn parse_font_size(text: &str) -> Result<f32, String> {
    parse_number(text, "pt", 4.0, 72.0)
}

fn parse_leading(text: &str) -> Result<f32, String> {
    parse_number(text, "pt", 4.0, 144.0)
}

fn parse_indent(text: &str) -> Result<f32, String> {
    parse_number(text, "em", 0.0, 10.0)
}

/// How a command ended, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Done,
    InputErrors,
    UsageError,
}

impl Outcome {
    /// The worse of two outcomes, for a command that does several things.
    fn worse(self, other: Outcome) -> Outcome {
        self.max(other)
    }
}

/// Runs the command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.timeout {
        Some(_) if matches!(cli.command, Command::Serve(_)) => {
            eprintln!("error: --timeout limits one run; the service has --render-timeout");
            Outcome::UsageError
        }
        Some(secs) => {
            crate::cancel::set_process_deadline(std::time::Duration::from_secs(secs));
            crate::cancel::under_process_deadline(|| run_command(cli.command, cli.quiet))
                .unwrap_or_else(|cancelled| {
                    eprintln!("error: {cancelled} (--timeout); nothing more was written");
                    Outcome::InputErrors
                })
        }
        None => run_command(cli.command, cli.quiet),
    };
    match outcome {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::InputErrors => ExitCode::from(1),
        Outcome::UsageError => ExitCode::from(2),
    }
}

fn run_command(command: Command, quiet: bool) -> Outcome {
    match command {
        Command::Build {
            series,
            out,
            outputs,
        } => {
            let settings = outputs.settings();
            let progress = Progress::on_stderr(quiet);
            crate::build::series_folders(&series)
                .iter()
                .map(|dir| build(dir, &out, &settings, &progress, quiet))
                .fold(Outcome::Done, Outcome::worse)
        }
        Command::Watch {
            series,
            out,
            preview,
            addr,
            outputs,
        } => watch(
            &series,
            &out,
            outputs.settings(),
            preview.then_some(addr),
            quiet,
        ),
        Command::Pdf {
            paths,
            output,
            print,
            pdf,
        } => match single_article(&paths) {
            Some(article) => article_pdf(article, output.as_deref(), &print.options(), &pdf, quiet),
            None => archive(&paths, output.as_deref(), &print.options(), &pdf, quiet),
        },
        Command::Cover {
            series,
            out,
            paper,
            print,
        } => cover(&series, &out, paper, &print.options(), quiet),
        Command::Check {
            paths,
            ignore_system_fonts,
        } => check(&paths, ignore_system_fonts),
        Command::Serve(args) => crate::serve::run(&args).map_or_else(
            |e| {
                eprintln!("error: {e}");
                Outcome::UsageError
            },
            |()| Outcome::Done,
        ),
        Command::New(what) => new(what, quiet),
        Command::Completions { shell } => {
            crate::completions::write_completions(
                shell,
                &mut Cli::command(),
                &mut std::io::stdout(),
            );
            Outcome::Done
        }
        Command::Man { out } => {
            let written = match &out {
                Some(dir) => crate::completions::write_man_pages(Cli::command(), dir),
                None => crate::completions::write_man_page(Cli::command(), &mut std::io::stdout()),
            };
            match written {
                Ok(()) => Outcome::Done,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    Outcome::InputErrors
                }
            }
        }
    }
}

impl Cli {
    /// The command definitions, for completions and the manual page.
    pub fn command() -> clap::Command {
        <Cli as clap::CommandFactory>::command()
    }
}

/// Prints diagnostics to stderr; true when there were errors.
fn report(mut diags: Diagnostics) -> bool {
    diags.sort();
    for d in diags.iter() {
        eprintln!("{d}");
    }
    let errors = diags.error_count();
    if errors > 0 {
        eprintln!(
            "error: stopped after {errors} error{}",
            if errors == 1 { "" } else { "s" }
        );
    }
    errors > 0
}

/// Reports a failed build and gives its outcome.
fn failed(error: BuildError) -> Outcome {
    let outcome = match &error {
        BuildError::Input(_) => Outcome::InputErrors,
        BuildError::Usage(_) => Outcome::UsageError,
    };
    report(error.diagnostics().clone());
    outcome
}

fn build(dir: &Path, out: &Path, settings: &Settings, progress: &Progress, quiet: bool) -> Outcome {
    let outputs = match SeriesBuild::once(dir, settings.clone()).run_into(progress, out) {
        Ok(outputs) => outputs,
        Err(error) => return failed(error),
    };
    report(outputs.warnings.clone());
    if !quiet {
        say_written(&crate::build::write::output_paths(out, &outputs));
    }
    Outcome::Done
}

/// Writes every output atomically, saying what was written.
fn write_all(files: &[(PathBuf, &[u8])], quiet: bool) -> Outcome {
    if let Err(e) = crate::build::write::write_files(files) {
        report(e.into());
        return Outcome::InputErrors;
    }
    if !quiet {
        say_written(files);
    }
    Outcome::Done
}

/// Lists the files written, with their sizes.
fn say_written(files: &[(PathBuf, &[u8])]) {
    for (path, bytes) in files {
        println!(
            "wrote {} ({} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        );
    }
}

/// Watches a series until interrupted, printing each rebuild's outcome.
fn watch(
    dir: &Path,
    out: &Path,
    mut settings: Settings,
    preview: Option<std::net::SocketAddr>,
    quiet: bool,
) -> Outcome {
    settings.keep_book = preview.is_some();
    let options = crate::watch::WatchOptions {
        dir: dir.to_path_buf(),
        out: out.to_path_buf(),
        settings,
        preview,
        progress: Progress::on_stderr(quiet),
    };
    let result = crate::watch::watch(options, |event| match event {
        crate::watch::Event::Ready { preview } => {
            if let Some(address) = preview {
                eprintln!("preview at http://{address}/");
            }
            eprintln!("watching {} (Ctrl-C stops)", dir.display());
        }
        crate::watch::Event::Built(rebuilt) => match &rebuilt.result {
            Ok(done) => {
                report(done.warnings.clone());
                if !quiet {
                    for (path, size) in &done.written {
                        println!("wrote {} ({} KB)", path.display(), size.div_ceil(1024));
                    }
                    eprintln!(
                        "built in {} ms ({} of {} articles laid out again)",
                        rebuilt.elapsed.as_millis(),
                        done.reuse.articles - done.reuse.laid_out,
                        done.reuse.articles
                    );
                }
            }
            Err(diags) => {
                report(diags.clone());
                eprintln!("the last good output is left in place; watching for changes");
            }
        },
    });
    match result {
        Ok(()) => Outcome::Done,
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::UsageError
        }
    }
}

/// The article file when the paths name exactly one, for `iskra pdf`'s
/// one-file form.
fn single_article(paths: &[PathBuf]) -> Option<&Path> {
    match paths {
        [one] if !one.is_dir() => Some(one),
        _ => None,
    }
}

fn article_pdf(
    path: &Path,
    output: Option<&Path>,
    print: &PrintOptions,
    pdf: &PdfArgs,
    quiet: bool,
) -> Outcome {
    let (series, diags) = parse::parse_single_article(path);
    if report(diags) {
        return Outcome::InputErrors;
    }
    let Some(series) = series else {
        return Outcome::InputErrors;
    };
    // The hyphenation patterns load on another core while the fonts load
    // and the title is set: line breaking is the first to need them.
    let lang = series.articles[0].language(&series.meta.language);
    crate::layout::hyphenate::load_in_background(lang);
    let mut diags = Diagnostics::new();
    let resolved = crate::build::resolve_style(&series, print, &diags)
        .and_then(|style| Ok((style, crate::build::load_fonts(&series, print, &mut diags)?)));
    let (style, fonts) = match resolved {
        Ok(resolved) => resolved,
        Err(error) => return failed(error),
    };
    let target = output.map(Path::to_path_buf).unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "article".into());
        PathBuf::from(format!("{stem}.pdf"))
    });
    let settings = pdf.settings();
    let set = crate::build::single::article_pdf(
        &series,
        &style,
        &fonts,
        &mut crate::layout::Caches::default(),
        None,
        &settings.options,
        settings.imposition,
    );
    match set {
        Ok((bytes, warnings)) => {
            diags.extend(warnings);
            report(diags);
            write_all(&[(target, &bytes)], quiet)
        }
        Err(failure) => {
            diags.extend(failure);
            report(diags);
            Outcome::InputErrors
        }
    }
}

/// Many articles' PDFs, for a web team's static files.
fn archive(
    paths: &[PathBuf],
    output: Option<&Path>,
    print: &PrintOptions,
    pdf: &PdfArgs,
    quiet: bool,
) -> Outcome {
    let out = output.unwrap_or(Path::new("out"));
    let progress = Progress::on_stderr(quiet);
    let summary = crate::archive::write_pdfs(paths, out, print, &pdf.options(), &progress);
    let failed = report(summary.diagnostics);
    if !quiet {
        eprintln!(
            "{} PDFs in {}: {} written, {} up to date{}",
            summary.written + summary.up_to_date,
            out.display(),
            summary.written,
            summary.up_to_date,
            if summary.failed > 0 {
                format!(", {} failed", summary.failed)
            } else {
                String::new()
            }
        );
    }
    if failed || summary.failed > 0 {
        Outcome::InputErrors
    } else {
        Outcome::Done
    }
}

/// The print wrap, and what its spine measures.
fn cover(dir: &Path, out: &Path, paper: Paper, print: &PrintOptions, quiet: bool) -> Outcome {
    let wrap = match crate::build::single::cover_wrap(dir, paper, print) {
        Ok(wrap) => wrap,
        Err(error) => return failed(error),
    };
    report(wrap.warnings);
    if !quiet {
        eprintln!(
            "cover for {} pages: spine {:.2} mm{}",
            wrap.pages,
            wrap.spine.to_mm(),
            if wrap.pages < crate::layout::cover::SPINE_TEXT_MIN_PAGES {
                " (too thin for spine text)"
            } else {
                ""
            }
        );
    }
    let file = out.join(format!("{}-cover.pdf", wrap.slug));
    write_all(&[(file, &wrap.pdf)], quiet)
}

/// Every problem a build would report, without writing anything.
fn check(paths: &[PathBuf], ignore_system_fonts: bool) -> Outcome {
    let print = PrintOptions {
        system_fonts: ignore_system_fonts.then_some(false),
        ..PrintOptions::default()
    };
    let found = crate::build::single::check(paths, &print);
    let (errors, warnings) = (
        found.diagnostics.error_count(),
        found.diagnostics.warning_count(),
    );
    if report(found.diagnostics) {
        return Outcome::InputErrors;
    }
    eprintln!(
        "checked {} article(s): {errors} errors, {warnings} warnings",
        found.articles
    );
    Outcome::Done
}

/// `iskra new series|article`.
fn new(what: NewCommand, quiet: bool) -> Outcome {
    let made = match what {
        NewCommand::Series {
            dir,
            title,
            subtitle,
            publisher,
            language,
        } => crate::scaffold::new_series(
            &dir,
            &crate::scaffold::SeriesFields {
                title,
                subtitle,
                publisher,
                language,
            },
        ),
        NewCommand::Article { dir, title, author } => {
            crate::scaffold::new_article(&dir, &title, author.as_deref())
        }
    };
    match made {
        Ok(path) => {
            if !quiet {
                println!("wrote {}", path.display());
            }
            Outcome::Done
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::InputErrors
        }
    }
}
