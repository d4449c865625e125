//! The command line: argument parsing, running the pipeline, printing
//! diagnostics and choosing the exit code (0 done, 1 bad input, 2 bad usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::{Diagnostic, Diagnostics};
use crate::layout::fonts::FontSet;
use crate::model::Series;
use crate::parse::{self, ParseOptions};
use crate::style::{Openings, PageSize, PrintOptions, Style, TextAlign};
use crate::units::Pt;

/// Iskra: typesets article series as print-ready PDF books and EPUB 3
/// collections.
#[derive(Debug, Parser)]
#[command(name = "iskra", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a series folder into OUT_DIR/<folder>.pdf and .epub
    Build {
        /// The series folder (articles and series.toml)
        series: PathBuf,
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
    },
    /// Parse and validate series folders or article files; write nothing
    Check {
        /// Series folders or article files
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
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
    /// Turn off protrusion and font expansion
    #[arg(long)]
    no_microtype: bool,
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
        }
    }
}

fn parse_page_size(text: &str) -> Result<String, String> {
    PageSize::parse(text).map(|_| text.to_string())
}

fn parse_length(text: &str) -> Result<String, String> {
    Pt::parse(text).map(|_| text.to_string())
}

fn parse_points(text: &str, min: f32, max: f32) -> Result<f32, String> {
    let value: f32 = text
        .trim()
        .trim_end_matches("pt")
        .parse()
        .map_err(|_| format!("`{text}` is not a number of points"))?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} pt is outside {min} to {max} pt"))
    }
}

fn parse_font_size(text: &str) -> Result<f32, String> {
    parse_points(text, 4.0, 72.0)
}

fn parse_leading(text: &str) -> Result<f32, String> {
    parse_points(text, 4.0, 144.0)
}

fn parse_indent(text: &str) -> Result<f32, String> {
    let value: f32 = text
        .trim()
        .trim_end_matches("em")
        .parse()
        .map_err(|_| format!("`{text}` is not a number of ems"))?;
    if (0.0..=10.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} em is outside 0 to 10 em"))
    }
}

/// How a command ended.
enum Outcome {
    Done,
    InputErrors,
    UsageError,
}

/// Runs the command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Build {
            series,
            out,
            pdf,
            epub,
            print,
        } => build(&series, &out, !epub || pdf, !pdf || epub, &print.options()),
        Command::Pdf {
            article,
            output,
            print,
        } => article_pdf(&article, output.as_deref(), &print.options()),
        Command::Check { paths } => check(&paths),
    };
    match outcome {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::InputErrors => ExitCode::from(1),
        Outcome::UsageError => ExitCode::from(2),
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
    let fonts = match font_dir {
        Some(dir) => FontSet::from_dir(&dir).map_err(|e| {
            eprintln!("error: {e}");
            Outcome::InputErrors
        })?,
        None => FontSet::builtin(),
    };
    for (role, face) in &fonts.substituted {
        eprintln!(
            "warning: the font folder has no {role:?} face; {} stands in",
            fonts.face(*face).name
        );
    }
    Ok((style, fonts))
}

fn build(dir: &Path, out: &Path, want_pdf: bool, want_epub: bool, print: &PrintOptions) -> Outcome {
    let options = ParseOptions {
        covers_dir: Some(PathBuf::from("covers")),
    };
    let (series, diags) = parse::parse_series(dir, &options);
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
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if want_pdf {
        let (doc, diags) = crate::layout::layout_series(&series, &style, &fonts);
        if report(diags) {
            return Outcome::InputErrors;
        }
        match crate::pdf::write_pdf(&doc) {
            Ok(bytes) => outputs.push((out.join(format!("{}.pdf", series.slug)), bytes)),
            Err(e) => {
                report(Diagnostic::general(e.to_string()).into());
                return Outcome::InputErrors;
            }
        }
    }
    if want_epub {
        match crate::epub::write_epub(&series, &crate::epub::EpubOptions::default()) {
            Ok(bytes) => outputs.push((out.join(format!("{}.epub", series.slug)), bytes)),
            Err(e) => {
                report(Diagnostic::general(e.to_string()).into());
                return Outcome::InputErrors;
            }
        }
    }
    write_all(outputs)
}

/// Writes every output atomically, or none is reported as written.
fn write_all(outputs: Vec<(PathBuf, Vec<u8>)>) -> Outcome {
    for (path, bytes) in &outputs {
        if let Err(e) = crate::output::write_atomically(path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return Outcome::InputErrors;
        }
        println!(
            "wrote {} ({} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        );
    }
    Outcome::Done
}

fn article_pdf(path: &Path, output: Option<&Path>, print: &PrintOptions) -> Outcome {
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
    match crate::pdf::write_pdf(&doc) {
        Ok(bytes) => write_all(vec![(target, bytes)]),
        Err(e) => {
            report(Diagnostic::general(e.to_string()).into());
            Outcome::InputErrors
        }
    }
}

fn check(paths: &[PathBuf]) -> Outcome {
    let mut all = Diagnostics::new();
    let mut articles = 0;
    for path in paths {
        let (series, diags) = if path.is_dir() {
            parse::parse_series(
                path,
                &ParseOptions {
                    covers_dir: Some(PathBuf::from("covers")),
                },
            )
        } else {
            parse::parse_single_article(path)
        };
        articles += series.map_or(0, |s| s.articles.len());
        all.extend(diags);
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
