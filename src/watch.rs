//! `iskra watch`: rebuild a series' PDF and EPUB whenever its files
//! change, keeping what each change left alone (see [`crate::build`]).
//!
//! File events come from notify through notify-debouncer-full, which
//! merges the bursts editors make when they save (a temporary file written
//! and renamed over the article, a backup moved aside) into one batch: a
//! rebuild starts [`DEBOUNCE`] after the last event of a save. The series
//! folder is watched as a whole (articles, images, `series.toml`), with
//! the covers folder and a font folder outside the series. A build that
//! fails leaves the last good outputs in place, and watching goes on.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use thiserror::Error;

use crate::build::{Outputs, Reuse, SeriesBuild, Settings};
use crate::diag::Diagnostics;
use crate::preview::Preview;
use crate::progress::Progress;

/// How long the file system must be quiet before a rebuild starts: long
/// enough to take an editor's save as one change, short enough not to be
/// felt.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// What to watch and build.
pub struct WatchOptions {
    /// The series folder.
    pub dir: PathBuf,
    /// Where the outputs go.
    pub out: PathBuf,
    /// What to build.
    pub settings: Settings,
    /// Where to serve the preview, if anywhere.
    pub preview: Option<SocketAddr>,
    /// Where builds show their stages.
    pub progress: Progress,
}

/// What the watcher tells its caller.
pub enum Event<'a> {
    /// The first build is done and changes are being watched.
    Ready {
        /// Where the preview listens, if it runs.
        preview: Option<SocketAddr>,
    },
    /// A build finished.
    Built(&'a Rebuilt),
}

/// One build's outcome.
pub struct Rebuilt {
    /// The files written and what was reused, or everything that stopped
    /// the build.
    pub result: Result<Written, Diagnostics>,
    /// From the start of the build to the last file written.
    pub elapsed: Duration,
}

/// What a successful build wrote.
pub struct Written {
    /// Each file, with its size in bytes.
    pub written: Vec<(PathBuf, usize)>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How much of the work was reused.
    pub reuse: Reuse,
}

/// Why watching could not start or go on.
#[derive(Debug, Error)]
pub enum WatchError {
    /// The series folder is not a folder.
    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),
    /// The file system cannot be watched.
    #[error("cannot watch {0}: {1}")]
    Watch(PathBuf, notify::Error),
    /// The preview cannot listen.
    #[error("cannot serve the preview on {0}: {1}")]
    Preview(SocketAddr, std::io::Error),
}

/// Builds the series, then again after every change, until the process
/// is stopped; each build's outcome goes to `report`.
pub fn watch(options: WatchOptions, mut report: impl FnMut(Event<'_>)) -> Result<(), WatchError> {
    let WatchOptions {
        dir,
        out,
        settings,
        preview,
        progress,
    } = options;
    if !dir.is_dir() {
        return Err(WatchError::NotAFolder(dir));
    }
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, sender).map_err(|e| WatchError::Watch(dir.clone(), e))?;
    debouncer
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(|e| WatchError::Watch(dir.clone(), e))?;
    let mut watched = vec![dir.clone()];
    let preview = match preview {
        Some(addr) => Some(Preview::start(addr).map_err(|e| WatchError::Preview(addr, e))?),
        None => None,
    };
    let mut build = SeriesBuild::incremental(&dir, settings);
    let ignored = Ignored::new(&out);
    let mut first = true;
    loop {
        let rebuilt = rebuild(&mut build, &out, &progress, preview.as_ref());
        report(Event::Built(&rebuilt));
        for path in extra_folders(&build) {
            if !watched.contains(&path)
                && debouncer.watch(&path, RecursiveMode::NonRecursive).is_ok()
            {
                watched.push(path);
            }
        }
        if first {
            report(Event::Ready {
                preview: preview.as_ref().map(Preview::address),
            });
            first = false;
        }
        wait_for_change(&events, &ignored);
    }
}

/// Builds once, writes the outputs if the build succeeded, and shows the
/// result in the preview.
fn rebuild(
    build: &mut SeriesBuild,
    out: &Path,
    progress: &Progress,
    preview: Option<&Preview>,
) -> Rebuilt {
    let start = Instant::now();
    let result = build
        .run(progress)
        .map_err(|e| e.diagnostics().clone())
        .and_then(|outputs| write(out, outputs, preview));
    if let (Err(diags), Some(preview)) = (&result, preview) {
        preview.show_errors(diags);
    }
    Rebuilt {
        result,
        elapsed: start.elapsed(),
    }
}

/// Writes the outputs and hands the book to the preview.
fn write(out: &Path, outputs: Outputs, preview: Option<&Preview>) -> Result<Written, Diagnostics> {
    let files = crate::build::write::output_paths(out, &outputs);
    crate::build::write::write_files(&files).map_err(Diagnostics::from)?;
    let written = files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.len()))
        .collect();
    if let (Some(preview), Some(book)) = (preview, outputs.book) {
        preview.show_book(book, &outputs.warnings);
    }
    Ok(Written {
        written,
        warnings: outputs.warnings,
        reuse: outputs.reuse,
    })
}

/// Folders outside the series that the build reads: the covers folder
/// and the font folder, where they exist.
fn extra_folders(build: &SeriesBuild) -> Vec<PathBuf> {
    let settings = build.settings();
    let covers = crate::parse::ParseOptions {
        covers_dir: settings.covers_dir.clone(),
    };
    let mut folders = crate::parse::covers_folders(build.dir(), &covers);
    folders.extend(settings.print.font_dir.clone());
    if let Some(font_dir) = series_font_dir(build.dir()) {
        folders.push(font_dir);
    }
    folders.retain(|f| f.is_dir() && !f.starts_with(build.dir()));
    folders
}

/// The `font-dir` that `series.toml` names, if any.
fn series_font_dir(dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(dir.join("series.toml")).ok()?;
    let (file, _) = crate::parse::series_file::parse(&text).ok()?;
    file.print.font_dir.map(|font_dir| dir.join(font_dir))
}

/// Paths whose changes never call for a rebuild: the outputs' folder
/// (which may sit inside the series folder) and editors' scratch files.
struct Ignored {
    out: PathBuf,
}

impl Ignored {
    fn new(out: &Path) -> Ignored {
        Ignored { out: absolute(out) }
    }

    /// True when a change at `path` may change the outputs.
    fn matters(&self, path: &Path) -> bool {
        if absolute(path).starts_with(&self.out) {
            return false;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let scratch = name.starts_with(".#")
            || name.ends_with('~')
            || [".swp", ".swx", ".tmp", ".part"]
                .iter()
                .any(|suffix| name.ends_with(suffix));
        !scratch
    }
}

/// `path` made absolute (canonical where it exists), for comparing.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// True for events that may change what a file holds: not a file opened
/// or closed after reading (as every build does).
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(
            AccessKind::Open(_) | AccessKind::Read | AccessKind::Close(AccessMode::Read)
        )
    )
}

/// Blocks until a batch of events names a path that matters, then takes
/// whatever else has arrived, so that one rebuild answers them all.
fn wait_for_change(events: &mpsc::Receiver<DebounceEventResult>, ignored: &Ignored) {
    let matters = |result: &DebounceEventResult| match result {
        Ok(batch) => batch.iter().any(|event| {
            changes_content(&event.kind) && event.paths.iter().any(|p| ignored.matters(p))
        }),
        // A watcher error (e.g. the kernel's queue overflowed) may have
        // lost a change: rebuild to be sure.
        Err(_) => true,
    };
    loop {
        let Ok(result) = events.recv() else {
            // The watcher is gone: nothing more will come.
            std::thread::park();
            continue;
        };
        if matters(&result) {
            break;
        }
    }
    while events.try_recv().is_ok() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files_and_the_output_folder_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let ignored = Ignored::new(&out);
        assert!(ignored.matters(&dir.path().join("01-a.md")));
        assert!(ignored.matters(&dir.path().join("images/x.png")));
        assert!(!ignored.matters(&out.join("series.pdf")));
        assert!(!ignored.matters(&dir.path().join(".01-a.md.swp")));
        assert!(!ignored.matters(&dir.path().join("01-a.md~")));
        assert!(!ignored.matters(&dir.path().join(".#01-a.md")));
    }

    #[test]
    fn reading_a_file_is_no_change() {
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Modify(
            notify::event::ModifyKind::Any
        )));
    }
}
