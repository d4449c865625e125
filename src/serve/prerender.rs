//! Prerendering (`--prerender`): every article's PDF is set before anyone
//! asks for it, so that a reader's first request is a cache hit rather
//! than a render queued behind others. A scan of the articles folder runs
//! at start and then every `--rescan` seconds; it renders each article
//! whose PDF is not cached (new, edited, or evicted).
//!
//! Scans go through the pool as readers' requests do, one render at a time
//! and only while a worker is idle and no reader's render waits, so that a
//! reader is never queued behind more than the one prerender under way.
//! A scan stops early once the memory cache is nine-tenths full: filling
//! it further would only evict PDFs to make room for others.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::App;
use super::cache::{Key, MemoOutcome};
use super::resolve::ArticleRoot;

/// How often a scan waiting for an idle worker looks again.
const IDLE_POLL: Duration = Duration::from_millis(5);

/// What one scan did, for its log line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    articles: usize,
    rendered: usize,
    failed: usize,
    stopped_full: bool,
}

/// Scans at start and every `every` after the last scan ended; marks the
/// service ready after the first.
pub(super) async fn keep_warm(app: Arc<App>, every: Duration) {
    loop {
        let started = Instant::now();
        let scan = scan_once(&app).await;
        app.ready.store(true, Ordering::Release);
        if scan.rendered > 0 || scan.failed > 0 || scan.stopped_full {
            println!(
                "event=prerendered articles={} rendered={} failed={} cache_full={} ms={:.1}",
                scan.articles,
                scan.rendered,
                scan.failed,
                scan.stopped_full,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        tokio::time::sleep(every).await;
    }
}

/// Renders every article whose PDF is not in a cache.
async fn scan_once(app: &Arc<App>) -> Scan {
    let root = app.renderer.root.clone();
    let paths = tokio::task::spawn_blocking(move || articles(&root))
        .await
        .unwrap_or_default();
    let mut scan = Scan {
        articles: paths.len(),
        ..Scan::default()
    };
    for path in paths {
        if cache_nearly_full(app) {
            scan.stopped_full = true;
            break;
        }
        let Some(known) = needs_render(app, &path) else {
            continue;
        };
        while !app.pool.has_idle_worker() {
            tokio::time::sleep(IDLE_POLL).await;
        }
        match app.produce(path, known).await {
            Ok(produced) if produced.tier.is_none() => scan.rendered += 1,
            Ok(_) => {}
            Err(_) => scan.failed += 1,
        }
    }
    scan
}

/// `None` when the article's PDF is cached (or its failure is recent);
/// else the key a current memo knows (a disk-cache lookup), if any.
fn needs_render(app: &App, path: &Path) -> Option<Option<Key>> {
    let Some(memo) = app.renderer.memos.get(path).filter(|m| m.is_current()) else {
        return Some(None);
    };
    match &memo.outcome {
        MemoOutcome::Failed { .. } => None,
        MemoOutcome::Pdf { key, .. } if app.renderer.memory.contains_key(key) => None,
        MemoOutcome::Pdf { key, .. } => Some(Some(*key)),
    }
}

fn cache_nearly_full(app: &App) -> bool {
    let memory = &app.renderer.memory;
    memory.weight() >= memory.capacity() / 10 * 9
}

/// Every article under the root, by real path, in name order; each name
/// passes the same checks as a request's URL.
fn articles(root: &ArticleRoot) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for series in sorted_names(root.dir()) {
        for file in sorted_names(&root.dir().join(&series)) {
            let Some(slug) = file.strip_suffix(".md") else {
                continue;
            };
            if let Ok(path) = root.article(&series, &format!("{slug}.pdf")) {
                found.push(path);
            }
        }
    }
    found
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
            "b-series/02-second.md",
            "b-series/01-first.md",
            "b-series/README.md",
            "b-series/.hidden.md",
            "b-series/notes.txt",
            "b-series/with space.md",
            "a-series/01-only.md",
            "loose.md",
        ] {
            write(path);
        }
        let root = ArticleRoot::new(dir.path()).unwrap();
        let names: Vec<String> = articles(&root)
            .iter()
            .map(|p| {
                p.strip_prefix(root.dir())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "a-series/01-only.md",
                "b-series/01-first.md",
                "b-series/02-second.md"
            ]
        );
    }
}
