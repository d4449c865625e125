//! The files a series gives besides its book and e-book, and the check
//! that writes nothing: one article's PDF (`iskra pdf`, the static
//! archive), the print cover wrap (`iskra cover`) and `iskra check`. The
//! command line only parses arguments and reports; these do the work.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::layout::Caches;
use crate::layout::cover::{self, Paper};
use crate::layout::fonts::FontSet;
use crate::model::Series;
use crate::parse::{self, ParseOptions};
use crate::pdf::{PdfOptions, SubsetCache};
use crate::style::{PrintOptions, Style};
use crate::units::Pt;

use super::{BuildError, Imposition, impose, load_fonts, resolve_style, series_folders, write};

/// The first article of `series` (a series of one, from
/// [`parse::parse_single_article`]) as a PDF: laid out in `style` and
/// `fonts`, starting from what `caches` learnt, its faces subset in
/// `subsets` if given (a worker's, see [`write::pdf_bytes`]), imposed if
/// asked. Gives the bytes and layout's warnings, or every diagnostic when
/// it failed. `iskra pdf`, the static archive and the service all set an
/// article's PDF here.
pub fn article_pdf(
    series: &Series,
    style: &Style,
    fonts: &FontSet,
    caches: &mut Caches,
    subsets: Option<&mut SubsetCache>,
    options: &PdfOptions,
    imposition: Option<Imposition>,
) -> Result<(Vec<u8>, Diagnostics), Diagnostics> {
    let (doc, diags) = crate::layout::layout_article_with(series, 0, style, fonts, caches);
    if diags.has_errors() {
        return Err(diags);
    }
    let doc = impose(doc, imposition);
    let bytes = write::pdf_bytes(doc, options, series, subsets).map_err(|failure| {
        let mut all = diags.clone();
        all.extend(failure);
        all
    })?;
    Ok((bytes, diags))
}

/// A series' print cover wrap (back, spine and front on one sheet) and
/// what its spine measures.
pub struct CoverWrap {
    /// The series' folder name, which names the file.
    pub slug: String,
    /// The untagged PDF of the wrap.
    pub pdf: Vec<u8>,
    /// Pages of the book's interior, which set the spine's width.
    pub pages: usize,
    /// The spine's width on the chosen paper.
    pub spine: Pt,
    /// Warnings from reading and laying out the series.
    pub warnings: Diagnostics,
}

/// The print cover of the series in `dir` on `paper`: the book is laid out
/// without its front cover, as the printer's interior, to count the pages
/// that set the spine's width.
pub fn cover_wrap(dir: &Path, paper: Paper, print: &PrintOptions) -> Result<CoverWrap, BuildError> {
    let options = ParseOptions {
        covers_dir: Some(PathBuf::from("covers")),
    };
    let (series, mut diags) = parse::parse_series(dir, &options);
    let series = match series {
        Some(series) if !diags.has_errors() => series,
        _ => return Err(BuildError::Input(diags)),
    };
    let interior = print.overridden_by(&PrintOptions {
        cover: Some(false),
        ..PrintOptions::default()
    });
    let style = resolve_style(&series, &interior, &diags)?;
    let fonts = load_fonts(&series, &interior, &mut diags)?;
    let (book, layout_diags) = crate::layout::layout_series(&series, &style, &fonts);
    diags.extend(layout_diags);
    if diags.has_errors() {
        return Err(BuildError::Input(diags));
    }
    let pages = book.pages.len();
    let wrap = cover::wrap(&series, &style, &fonts, pages, paper);
    let untagged = PdfOptions {
        standards: Vec::new(),
        tagged: false,
    };
    match write::pdf_bytes(wrap, &untagged, &series, None) {
        Ok(pdf) => Ok(CoverWrap {
            slug: series.slug.clone(),
            pdf,
            pages,
            spine: cover::spine_width(pages, paper),
            warnings: diags,
        }),
        Err(failure) => {
            diags.extend(failure);
            Err(BuildError::Input(diags))
        }
    }
}

/// What `iskra check` found in the series and articles it was given.
pub struct CheckReport {
    /// Every error and warning a build would report, the characters no
    /// font has among them.
    pub diagnostics: Diagnostics,
    /// How many articles were read.
    pub articles: usize,
}

/// Reads every series folder or article in `paths` as a build would, and
/// looks up each character in the fonts (a cmap lookup, not a layout), so
/// that writers learn of every problem without waiting for the outputs.
pub fn check(paths: &[PathBuf], print: &PrintOptions) -> CheckReport {
    let mut report = CheckReport {
        diagnostics: Diagnostics::new(),
        articles: 0,
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
        if let Some(series) = &series {
            report_characters_without_a_font(series, path.is_dir(), print, &mut diags);
            report.articles += series.articles.len();
            if path.is_dir() {
                diags.extend(crate::epub::cover_warnings(series));
            }
        }
        report.diagnostics.extend(diags);
    }
    report
}

/// Adds to `diags` the characters of `series` that no font has, as a
/// build reports them; with `whole_series`, the series' own strings
/// (its title, say) too.
fn report_characters_without_a_font(
    series: &Series,
    whole_series: bool,
    print: &PrintOptions,
    diags: &mut Diagnostics,
) {
    let fonts = resolve_style(series, print, &Diagnostics::new())
        .and_then(|_| load_fonts(series, print, diags));
    match fonts {
        Ok(fonts) => {
            let fonts = crate::layout::fallback::for_articles(&fonts, series, &series.articles);
            crate::layout::fallback::report_missing(&fonts, &series.articles, diags);
            if whole_series {
                crate::layout::fallback::report_missing_in_series(&fonts, series, diags);
            }
        }
        Err(error) => diags.extend(error.diagnostics().clone()),
    }
}
