//! The command line: argument parsing, running the pipeline, printing
//! diagnostics and choosing the exit code (0 done, 1 bad input, 2 bad usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::layout::cover::Paper;
use crate::layout::fonts::FontSet;
use crate::model::Series;
use crate::page::Document;
use crate::parse::{self, ParseOptions};
use crate::pdf::{PdfError, PdfOptions, Standard};
use crate::style::{Openings, PageSize, PrintOptions, Style, TextAlign};
use crate::units::Pt;

/// Iskra: typesets article series as print-ready PDF books and EPUB 3
/// collections.
#[derive(Debug, Parser)]
#[command(name = "iskra", version, about, long_about = None)]
pub struct Cli {
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
        /// Write only the PDF
        #[arg(long, conflicts_with = "epub")]
        pdf: bool,
        /// Write only the EPUB
        #[arg(long)]
        epub: bool,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        output: PdfArgs,
        #[command(flatten)]
        ebook: EpubArgs,
    },
    /// Set one article as its own PDF
    Pdf {
        /// The article file
        article: PathBuf,
        /// The PDF to write (default: <article name>.pdf here)
        #[arg(short, long, value_name = "FILE.pdf")]
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

impl EpubArgs {
    /// The faces to embed: the family's four styles and the code face.
    fn fonts(&self, fonts: &FontSet) -> Vec<crate::epub::FontToEmbed> {
        use crate::epub::{FontToEmbed, FontUse};
        use crate::layout::fonts::Role;
        if !self.embed_fonts {
            return Vec::new();
        }
        [
            (Role::Regular, FontUse::Regular),
            (Role::Italic, FontUse::Italic),
            (Role::Bold, FontUse::Bold),
            (Role::BoldItalic, FontUse::BoldItalic),
            (Role::Mono, FontUse::Mono),
        ]
        .into_iter()
        .map(|(role, use_for)| {
            let face = fonts.face(fonts.role(role));
            FontToEmbed {
                use_for,
                data: face.data.clone(),
                name: face.source.clone(),
            }
        })
        .chain(
            // The fallback faces with outlines, after the family (a colour
            // bitmap face is left to the reader's own emoji, a face of a
            // collection such as Noto CJK to the reader's CJK fonts).
            fonts
                .fallback_faces()
                .filter(|face| face.has_outlines())
                .filter(|face| read_fonts::FontRef::new((*face.data).as_ref()).is_ok())
                .enumerate()
                .map(|(n, face)| FontToEmbed {
                    use_for: FontUse::Fallback(n as u8 + 1),
                    data: face.data.clone(),
                    name: face.source.clone(),
                }),
        )
        .collect()
    }
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

/// Ways of imposing pages on sheets.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Imposition {
    /// Folded sheets, stapled in the middle.
    Booklet,
}

impl PdfArgs {
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

    fn impose(&self, doc: Document) -> Document {
        match self.impose {
            Some(Imposition::Booklet) => crate::impose::booklet(doc),
            None => doc,
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
            crate::cancel::under_process_deadline(|| run_command(cli.command)).unwrap_or_else(
                |cancelled| {
                    eprintln!("error: {cancelled} (--timeout); nothing more was written");
                    Outcome::InputErrors
                },
            )
        }
        None => run_command(cli.command),
    };
    match outcome {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::InputErrors => ExitCode::from(1),
        Outcome::UsageError => ExitCode::from(2),
    }
}

fn run_command(command: Command) -> Outcome {
    match command {
        Command::Build {
            series,
            out,
            pdf,
            epub,
            print,
            output,
            ebook,
        } => {
            let (want_pdf, want_epub) = (!epub || pdf, !pdf || epub);
            let print = print.options();
            let wanted = Wanted {
                pdf: want_pdf.then_some(&output),
                epub: want_epub.then_some(&ebook),
            };
            series_folders(&series)
                .iter()
                .map(|dir| build(dir, &out, &wanted, &print))
                .fold(Outcome::Done, Outcome::worse)
        }
        Command::Pdf {
            article,
            output,
            print,
            pdf,
        } => article_pdf(&article, output.as_deref(), &print.options(), &pdf),
        Command::Cover {
            series,
            out,
            paper,
            print,
        } => cover(&series, &out, paper, &print.options()),
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
    }
}

/// The series folders named on the command line: each folder that holds
/// articles is one; a folder without articles stands for its subfolders
/// that hold some (so that `articles/` builds every series).
fn series_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for path in paths {
        let mut inner: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|sub| sub.is_dir() && holds_articles(sub))
            .collect();
        if holds_articles(path) || inner.is_empty() {
            folders.push(path.clone());
        } else {
            inner.sort();
            folders.extend(inner);
        }
    }
    folders
}

fn holds_articles(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| parse::is_article_file(&entry.path()))
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

/// Reads a series folder; `Err` when it has errors (reported).
fn read_series(dir: &Path) -> Result<Series, Outcome> {
    let options = ParseOptions {
        covers_dir: Some(PathBuf::from("covers")),
    };
    let (series, diags) = parse::parse_series(dir, &options);
    if report(diags) {
        return Err(Outcome::InputErrors);
    }
    series.ok_or(Outcome::InputErrors)
}

/// The style and fonts for a series, with the command line winning over
/// series.toml; `Err` has been reported.
fn resolve(series: &Series, cli: &PrintOptions) -> Result<(Style, FontSet), Outcome> {
    let options = series.print.overridden_by(cli);
    let style = Style::resolve(&options).map_err(|message| {
        eprintln!("error: print settings: {message}");
        if *cli == PrintOptions::default() {
            Outcome::InputErrors
        } else {
            Outcome::UsageError
        }
    })?;
    let font_dir = match (&cli.font_dir, &series.print.font_dir) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Some(dir)) => Some(series.dir.join(dir)),
        (None, None) => None,
    };
    let mut fonts = match font_dir {
        Some(dir) => FontSet::from_dir(&dir).map_err(|e| {
            eprintln!("error: {e}");
            Outcome::InputErrors
        })?,
        None => FontSet::builtin(),
    };
    fonts.sources = fallback_sources(series, cli, &options)?;
    for (role, face) in &fonts.substituted {
        eprintln!(
            "warning: the font folder has no {role:?} face; {} stands in",
            fonts.face(*face).name
        );
    }
    Ok((style, fonts))
}

/// Where characters the family lacks are looked for: the fallback fonts
/// of the command line (as given) or of series.toml (relative to the
/// series folder), and the system's fonts unless turned off.
fn fallback_sources(
    series: &Series,
    cli: &PrintOptions,
    options: &PrintOptions,
) -> Result<crate::layout::fallback::Sources, Outcome> {
    let paths: Vec<PathBuf> = match (&cli.fallback_fonts, &series.print.fallback_fonts) {
        (Some(paths), _) => paths.clone(),
        (None, Some(paths)) => paths.iter().map(|p| series.dir.join(p)).collect(),
        (None, None) => Vec::new(),
    };
    let files = crate::layout::fallback::load_files(&paths).map_err(|e| {
        eprintln!("error: fallback font: {e}");
        Outcome::InputErrors
    })?;
    Ok(crate::layout::fallback::Sources {
        files,
        system: options.system_fonts.unwrap_or(true),
    })
}

/// The outputs a build writes, with their settings.
struct Wanted<'a> {
    pdf: Option<&'a PdfArgs>,
    epub: Option<&'a EpubArgs>,
}

fn build(dir: &Path, out: &Path, wanted: &Wanted<'_>, print: &PrintOptions) -> Outcome {
    let series = match read_series(dir) {
        Ok(series) => series,
        Err(outcome) => return outcome,
    };
    let (style, fonts) = match resolve(&series, print) {
        Ok(resolved) => resolved,
        Err(outcome) => return outcome,
    };
    // One layout serves both: the PDF, and the EPUB's list of print pages.
    let (doc, diags) = crate::layout::layout_series(&series, &style, &fonts);
    if report(diags) {
        return Outcome::InputErrors;
    }
    let page_breaks = crate::epub::page_breaks(&doc);
    // The two writers share nothing: they run side by side.
    let (pdf, epub) = rayon::join(
        || {
            wanted
                .pdf
                .map(|pdf| pdf_bytes(pdf.impose(doc), &pdf.options(), &series))
        },
        || {
            wanted
                .epub
                .map(|ebook| epub_bytes(&series, &fonts, ebook, page_breaks))
        },
    );
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (bytes, extension) in [(pdf, "pdf"), (epub, "epub")] {
        match bytes {
            Some(Ok(bytes)) => {
                outputs.push((out.join(format!("{}.{extension}", series.slug)), bytes))
            }
            Some(Err(outcome)) => return outcome,
            None => {}
        }
    }
    write_all(outputs)
}

/// The EPUB's bytes, with the print page map and, for a series without a
/// cover image, the book's cover drawn; a failure is reported.
fn epub_bytes(
    series: &Series,
    fonts: &FontSet,
    ebook: &EpubArgs,
    page_breaks: Vec<crate::epub::PageBreak>,
) -> Result<Vec<u8>, Outcome> {
    let cover = match &series.meta.cover {
        Some(_) => None,
        None => Some(drawn_cover(series, fonts).map_err(|e| {
            report(Diagnostic::general(format!("cannot draw the e-book cover: {e}")).into());
            Outcome::InputErrors
        })?),
    };
    report(crate::epub::store_warnings(series));
    let with_fallbacks = crate::layout::fallback::for_articles(fonts, series, &series.articles);
    let options = crate::epub::EpubOptions {
        page_breaks,
        cover,
        fonts: ebook.fonts(&with_fallbacks),
        soft_hyphens: ebook.soft_hyphens,
        ..crate::epub::EpubOptions::default()
    };
    crate::epub::write_epub(series, &options).map_err(|e| {
        report(Diagnostic::general(e.to_string()).into());
        Outcome::InputErrors
    })
}

/// The book's typographic cover drawn as the e-book's cover image, a
/// JPEG of 1600 × 2560 pixels.
fn drawn_cover(
    series: &Series,
    fonts: &FontSet,
) -> Result<std::sync::Arc<crate::model::Image>, String> {
    use crate::layout::cover::{EBOOK_COVER_WIDTH, ebook_cover};
    let picture = crate::raster::render_page(&ebook_cover(series, fonts), 0, EBOOK_COVER_WIDTH)
        .map_err(|e| e.to_string())?;
    let mut data = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, 90);
    picture
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    Ok(std::sync::Arc::new(crate::model::Image {
        path: series.dir.join("cover.jpg"),
        source: "cover.jpg".into(),
        format: crate::model::ImageFormat::Jpeg,
        width: picture.width(),
        height: picture.height(),
        data: data.into(),
    }))
}

/// The PDF's bytes; a failure is reported, naming the article of each
/// page that fails a standard.
fn pdf_bytes(doc: Document, options: &PdfOptions, series: &Series) -> Result<Vec<u8>, Outcome> {
    // Each page's article, folio and first text, to place a failure.
    let pages: Vec<PageOrigin> = doc
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| PageOrigin {
            article: page.article,
            label: page.label,
            start: doc.page_starts.get(i).copied().flatten(),
        })
        .collect();
    match crate::pdf::write_pdf(doc, options) {
        Ok(bytes) => Ok(bytes),
        Err(PdfError::Validation { standard, problems }) => {
            let mut diags = Diagnostics::new();
            for (page, problem) in problems {
                let page = page.and_then(|p| pages.get(p));
                diags.push(validation_failure(series, page, &problem, &standard));
            }
            report(diags);
            Err(Outcome::InputErrors)
        }
        Err(e) => {
            report(Diagnostic::general(e.to_string()).into());
            Err(Outcome::InputErrors)
        }
    }
}

/// Where a page of the book comes from.
struct PageOrigin {
    article: Option<usize>,
    label: crate::page::PageLabel,
    start: Option<crate::page::TextPosition>,
}

/// A standard the content cannot meet, reported at the article and line
/// where the failing page begins (or the article, or the book, when that
/// is all that is known).
fn validation_failure(
    series: &Series,
    page: Option<&PageOrigin>,
    problem: &str,
    standard: &str,
) -> Diagnostic {
    let on_page = page
        .map(|p| format!(" on page {} (which begins in this paragraph)", p.label))
        .unwrap_or_default();
    let message = format!("{problem}{on_page}; the PDF cannot meet {standard}");
    let found = page
        .and_then(|p| p.article)
        .and_then(|index| Some((index, series.articles.get(index)?)));
    let diagnostic = match found {
        Some((index, article)) => {
            let span = page
                .and_then(|p| p.start)
                .filter(|start| start.article == index)
                .and_then(|start| {
                    crate::model::block_index_walk(&article.body)
                        .get(start.block)
                        .map(|b| b.span)
                })
                .unwrap_or(Span::FILE);
            Diagnostic::error(&article.path, span, message)
        }
        None => Diagnostic::general(message),
    };
    diagnostic.hint("fix the content, or choose another standard with --standard (none for none)")
}

/// Writes every output atomically, and all of them or none.
fn write_all(outputs: Vec<(PathBuf, Vec<u8>)>) -> Outcome {
    if let Err(e) = crate::output::write_all_or_none(&outputs) {
        eprintln!("error: {e}");
        return Outcome::InputErrors;
    }
    for (path, bytes) in &outputs {
        println!(
            "wrote {} ({} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        );
    }
    Outcome::Done
}

fn article_pdf(path: &Path, output: Option<&Path>, print: &PrintOptions, pdf: &PdfArgs) -> Outcome {
    let (series, diags) = parse::parse_single_article(path);
    if report(diags) {
        return Outcome::InputErrors;
    }
    let Some(series) = series else {
        return Outcome::InputErrors;
    };
    let (style, fonts) = match resolve(&series, print) {
        Ok(resolved) => resolved,
        Err(outcome) => return outcome,
    };
    let (doc, diags) = crate::layout::layout_article(&series, 0, &style, &fonts);
    if report(diags) {
        return Outcome::InputErrors;
    }
    let target = output.map(Path::to_path_buf).unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "article".into());
        PathBuf::from(format!("{stem}.pdf"))
    });
    match pdf_bytes(pdf.impose(doc), &pdf.options(), &series) {
        Ok(bytes) => write_all(vec![(target, bytes)]),
        Err(outcome) => outcome,
    }
}

/// The print wrap: the book is laid out (without its front cover, as the
/// printer's interior) to count its pages for the spine.
fn cover(dir: &Path, out: &Path, paper: Paper, print: &PrintOptions) -> Outcome {
    let series = match read_series(dir) {
        Ok(series) => series,
        Err(outcome) => return outcome,
    };
    let interior = print.overridden_by(&PrintOptions {
        cover: Some(false),
        ..PrintOptions::default()
    });
    let (style, fonts) = match resolve(&series, &interior) {
        Ok(resolved) => resolved,
        Err(outcome) => return outcome,
    };
    let (book, diags) = crate::layout::layout_series(&series, &style, &fonts);
    if report(diags) {
        return Outcome::InputErrors;
    }
    let pages = book.pages.len();
    let wrap = crate::layout::cover::wrap(&series, &style, &fonts, pages, paper);
    eprintln!(
        "cover for {pages} pages: spine {:.2} mm{}",
        crate::layout::cover::spine_width(pages, paper).to_mm(),
        if pages < crate::layout::cover::SPINE_TEXT_MIN_PAGES {
            " (too thin for spine text)"
        } else {
            ""
        }
    );
    match pdf_bytes(
        wrap,
        &PdfOptions {
            standards: Vec::new(),
            tagged: false,
        },
        &series,
    ) {
        Ok(bytes) => write_all(vec![(
            out.join(format!("{}-cover.pdf", series.slug)),
            bytes,
        )]),
        Err(outcome) => outcome,
    }
}

fn check(paths: &[PathBuf], ignore_system_fonts: bool) -> Outcome {
    let mut all = Diagnostics::new();
    let mut articles = 0;
    let cli = PrintOptions {
        system_fonts: ignore_system_fonts.then_some(false),
        ..PrintOptions::default()
    };
    for path in &series_folders(paths) {
        let (series, mut diags) = if path.is_dir() {
            parse::parse_series(
                path,
                &ParseOptions {
                    covers_dir: Some(PathBuf::from("covers")),
                },
            )
        } else {
            parse::parse_single_article(path)
        };
        // Characters no font has, by a cmap lookup, as a build reports them.
        if let Some(series) = &series {
            match resolve(series, &cli) {
                Ok((_, fonts)) => {
                    let fonts =
                        crate::layout::fallback::for_articles(&fonts, series, &series.articles);
                    crate::layout::fallback::report_missing(&fonts, &series.articles, &mut diags);
                }
                Err(_) => diags.push(Diagnostic::general(format!(
                    "{}: the fonts or print settings cannot be used",
                    path.display()
                ))),
            }
        }
        articles += series.as_ref().map_or(0, |s| s.articles.len());
        all.extend(diags);
        if let Some(series) = series.filter(|_| path.is_dir()) {
            all.extend(crate::epub::cover_warnings(&series));
        }
    }
    let (errors, warnings) = (all.error_count(), all.warning_count());
    let failed = report(all);
    if !failed {
        eprintln!("checked {articles} article(s): {errors} errors, {warnings} warnings");
    }
    if failed {
        Outcome::InputErrors
    } else {
        Outcome::Done
    }
}
