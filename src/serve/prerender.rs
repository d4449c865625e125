//! Prerendering (`--prerender`): every article's PDF is set before anyone
//! asks for it, so that a reader's first request is a cache hit rather
//! than a render queued behind others. A scan of the articles folder runs
//! at start and then `--rescan` seconds after the previous one ended; it
//! renders each article whose PDF is not cached (new, edited, or evicted).
//!
//! Prerenders take a worker only when one is idle and no request waits for
//! one, so a request queues behind at most the prerenders already running:
//! up to every worker during the first scan (before the service is ready),
//! one at a time after it. A scan stops once the memory cache has had to
//! drop a PDF, or before a new article's render once the cache is
//! nine-tenths full: going on would only evict PDFs to make room for
//! others. An edited article is always set again (its old PDF leaves).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::cache::{Key, MemoOutcome};
use super::pool::Place;
use super::resolve::ArticleRoot;
use super::{App, MAX_MEMOS, Outcome, Render};

/// How often a scan waiting for an idle worker looks again.
const IDLE_POLL: Duration = Duration::from_millis(5);

/// Articles a scan looks at, at most: well within what the service
/// remembers, so that scans do not push readers' memos out.
const MAX_SCANNED: usize = MAX_MEMOS / 2;

/// What one scan did, for its log line.
#[derive(Debug, Default)]
struct Scan {
    articles: usize,
    rendered: usize,
    failed: usize,
    cache_full: bool,
}

/// An article a scan sets.
struct Wanted {
    path: PathBuf,
    /// The key its current memo knows (a disk-cache lookup), if any.
    known: Option<Key>,
    /// It had a PDF, whose place in memory its new one takes.
    replaces: bool,
}

/// How a prerender ended.
enum Ended {
    Rendered,
    Failed,
    /// Found in a cache after all, or the service is stopping.
    Nothing,
}

/// Scans at start and `every` after each scan ends, until `stop` turns
/// true; marks the service ready after the first scan.
pub(super) async fn keep_warm(app: Arc<App>, every: Duration, mut stop: watch::Receiver<bool>) {
    let mut first = true;
    loop {
        let started = Instant::now();
        let scan = scan_once(&app, first, &stop).await;
        if *stop.borrow() {
            return;
        }
        if first || scan.rendered > 0 || scan.failed > 0 || scan.cache_full {
            tracing::info!(
                event = "prerendered",
                articles = scan.articles,
                rendered = scan.rendered,
                failed = scan.failed,
                cache_full = scan.cache_full,
                ms = super::log::millis(started.elapsed()),
            );
        }
        app.metrics.scanned();
        if first {
            app.ready.store(true, Ordering::Release);
            first = false;
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Renders the articles whose PDFs are not cached, as many at once as
/// the first scan may (every worker) or later scans (one).
async fn scan_once(app: &Arc<App>, first: bool, stop: &watch::Receiver<bool>) -> Scan {
    let evicted_before = app.renderer.evictions.count();
    let evicted = || app.renderer.evictions.count() > evicted_before;
    let (articles, wanted) = {
        let app = Arc::clone(app);
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || articles_to_render(&app, &stop))
            .await
            .unwrap_or_default()
    };
    let mut scan = Scan {
        articles,
        ..Scan::default()
    };
    let at_once = if first { app.pool.workers() } else { 1 };
    let mut running = JoinSet::new();
    for Wanted {
        path,
        known,
        replaces,
    } in wanted
    {
        while running.len() >= at_once {
            count(&mut scan, running.join_next().await);
        }
        if *stop.borrow() {
            break;
        }
        if evicted() || (!replaces && cache_nearly_full(app)) {
            scan.cache_full = true;
            break;
        }
        let Some(outcome) = start(app, &path, known, stop).await else {
            continue;
        };
        let app = Arc::clone(app);
        running.spawn(async move { ended(&app, outcome).await });
    }
    while let Some(done) = running.join_next().await {
        count(&mut scan, Some(done));
    }
    scan.cache_full |= evicted();
    scan
}

/// Starts the article's render once a worker is idle; `None` when another
/// render of it is under way or the service is stopping.
async fn start(
    app: &Arc<App>,
    path: &Path,
    known: Option<Key>,
    stop: &watch::Receiver<bool>,
) -> Option<watch::Receiver<Outcome>> {
    loop {
        let idle_worker = || app.pool.try_start().map(Place::Working);
        match app.render_of(path, known, idle_worker) {
            Render::Started(outcome) => return Some(outcome),
            Render::Joined(_) => return None,
            Render::NoPlace if *stop.borrow() => return None,
            Render::NoPlace => tokio::time::sleep(IDLE_POLL).await,
        }
    }
}

/// Waits for a prerender's outcome.
async fn ended(app: &App, mut outcome: watch::Receiver<Outcome>) -> Ended {
    let Ok(seen) = outcome.wait_for(Option::is_some).await else {
        return Ended::Nothing;
    };
    let Some(result) = seen.clone() else {
        return Ended::Nothing;
    };
    match result {
        Err(_) => Ended::Failed,
        Ok(produced) if produced.tier.is_some() => Ended::Nothing,
        Ok(_) => {
            app.metrics.prerendered();
            Ended::Rendered
        }
    }
}

fn count(scan: &mut Scan, done: Option<Result<Ended, tokio::task::JoinError>>) {
    match done {
        Some(Ok(Ended::Rendered)) => scan.rendered += 1,
        Some(Ok(Ended::Failed) | Err(_)) => scan.failed += 1,
        Some(Ok(Ended::Nothing)) | None => {}
    }
}

fn cache_nearly_full(app: &App) -> bool {
    let memory = &app.renderer.memory;
    memory.weight() >= memory.capacity() / 10 * 9
}

/// The number of articles under the root (at most [`MAX_SCANNED`]) and
/// those to render, each with the key its memo knows if any (blocking:
/// lists folders and checks files).
fn articles_to_render(app: &App, stop: &watch::Receiver<bool>) -> (usize, Vec<Wanted>) {
    let all = articles(&app.renderer.root, MAX_SCANNED, stop);
    let wanted = all
        .iter()
        .take_while(|_| !*stop.borrow())
        .filter_map(|path| needs_render(app, path))
        .collect();
    (all.len(), wanted)
}

/// `None` when the article's PDF is in memory, or it failed and none of
/// its files has changed since; else what setting it involves.
fn needs_render(app: &App, path: &Path) -> Option<Wanted> {
    let wanted = |known, replaces| Wanted {
        path: path.to_path_buf(),
        known,
        replaces,
    };
    let Some(memo) = app.renderer.memos.get(path) else {
        return Some(wanted(None, false));
    };
    let had_pdf = matches!(memo.outcome, MemoOutcome::Pdf { .. });
    if !memo.files_unchanged() {
        return Some(wanted(None, had_pdf));
    }
    match &memo.outcome {
        MemoOutcome::Failed { .. } => None,
        MemoOutcome::Pdf { key, .. } if app.renderer.memory.contains_key(key) => None,
        MemoOutcome::Pdf { key, .. } => Some(wanted(Some(*key), false)),
    }
}

/// Up to `limit` articles under the root, by real path, in name order,
/// each once (an article linked under a second name is one article); each
/// name passes the same checks as a request's URL, and a series folder
/// leading outside the root is not listed.
fn articles(root: &ArticleRoot, limit: usize, stop: &watch::Receiver<bool>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for series in sorted_names(root.dir()) {
        let Ok(folder) = root.series(&series) else {
            continue;
        };
        for file in sorted_names(&folder) {
            if found.len() >= limit || *stop.borrow() {
                return found;
            }
            let Some(slug) = file.strip_suffix(".md") else {
                continue;
            };
            if let Ok(path) = root.article(&series, &format!("{slug}.pdf"))
                && seen.insert(path.clone())
            {
                found.push(path);
            }
        }
    }
    found
}

/// The `count` articles of the folder changed last (by their files'
/// modification times, then by path), newest first.
pub(super) fn newest_articles(root: &ArticleRoot, count: usize) -> Vec<PathBuf> {
    let (_, never) = watch::channel(false);
    let mut found: Vec<(Option<std::time::SystemTime>, PathBuf)> =
        articles(root, MAX_SCANNED, &never)
            .into_iter()
            .map(|path| {
                let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                (modified, path)
            })
            .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found
        .into_iter()
        .take(count)
        .map(|(_, path)| path)
        .collect()
}

/// The names in `dir` that are UTF-8, sorted; none if it is not a folder.
fn sorted_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_articles_a_url_could_name() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str| {
            let target = dir.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, "x").unwrap();
        };
        for path in [
            "site/b-series/02-second.md",
            "site/b-series/01-first.md",
            "site/b-series/README.md",
            "site/b-series/.hidden.md",
            "site/b-series/notes.txt",
            "site/b-series/with space.md",
            "site/a-series/01-only.md",
            "site/loose.md",
            "outside/01-secret.md",
        ] {
            write(path);
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("outside"), dir.path().join("site/linked"))
            .unwrap();
        let root = ArticleRoot::new(&dir.path().join("site")).unwrap();
        let (_keep, stop) = watch::channel(false);
        let relative = |paths: Vec<PathBuf>| -> Vec<String> {
            paths
                .iter()
                .map(|p| {
                    p.strip_prefix(root.dir())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(
            relative(articles(&root, 10, &stop)),
            [
                "a-series/01-only.md",
                "b-series/01-first.md",
                "b-series/02-second.md"
            ]
        );
        assert_eq!(
            relative(articles(&root, 2, &stop)),
            ["a-series/01-only.md", "b-series/01-first.md"]
        );
    }
}
