//! Caching rendered PDFs.
//!
//! A PDF is stored under a [`Key`]: a BLAKE3 hash of everything it depends
//! on (the engine and its settings, the article's text, `series.toml`, the
//! images, the fonts). Computing the key means reading and parsing the
//! article, so each article also has a [`Memo`]: the files it was made
//! from with their [`Stamp`]s (device, inode, size, modification and
//! change times) and the key they gave. While every stamp is unchanged the
//! key still holds and a request costs a few `stat` calls; an edited file
//! changes its stamp and the next request renders afresh.
//!
//! PDFs live in a memory cache bounded in bytes ([`MemoryCache`]) and, if
//! configured, in a folder ([`DiskCache`]) that survives restarts and can
//! be shared by instances.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::http::HeaderValue;
use quick_cache::Weighter;

/// Identifies a PDF by what it was made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub blake3::Hash);

impl Key {
    /// The key as 64 hex digits (a safe file name).
    pub fn hex(&self) -> String {
        self.0.to_hex().to_string()
    }
}

/// Builds a [`Key`] from fields, each length-prefixed so that no two
/// different field lists hash alike.
#[derive(Default)]
pub struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    /// Adds one field.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The key of the fields added so far.
    pub fn finish(&self) -> Key {
        Key(self.0.finalize())
    }
}

/// Everything an article's PDF is made from besides the article's name:
/// the parts of its [`Key`], shared by the service and `iskra pdf` over
/// many articles, so that both cache by the same rule.
pub struct ArticleSources<'a> {
    /// The engine and its settings.
    pub engine: &'a blake3::Hash,
    /// The article's path relative to the articles folder.
    pub name: &'a str,
    /// The article file's bytes.
    pub text: &'a [u8],
    /// `series.toml`'s bytes, if there is one.
    pub series_file: Option<&'a [u8]>,
    /// The font family's hash.
    pub fonts: &'a blake3::Hash,
    /// The fingerprint of each fallback face the article needs, so that a
    /// font installed or changed on the machine sets the article again.
    pub fallbacks: Vec<[u8; 32]>,
    /// Each image the PDF shows: its name and bytes.
    pub images: Vec<(String, &'a [u8])>,
}

impl ArticleSources<'_> {
    /// The PDF's key.
    pub fn key(&self) -> Key {
        let mut key = KeyBuilder::default();
        key.field(self.engine.as_bytes())
            .field(self.name.as_bytes())
            .field(self.text)
            .field(self.series_file.unwrap_or(b"\0absent"))
            .field(self.fonts.as_bytes());
        for fingerprint in &self.fallbacks {
            key.field(fingerprint);
        }
        for (name, data) in &self.images {
            key.field(name.as_bytes()).field(data);
        }
        key.finish()
    }
}

/// A rendered PDF with its strong entity tag.
#[derive(Clone, Debug)]
pub struct Pdf {
    /// The file.
    pub bytes: Bytes,
    /// `"<hash of the bytes>"`: identical bytes, identical tag, on any
    /// instance.
    pub etag: HeaderValue,
}

impl Pdf {
    /// Wraps PDF bytes, tagging them with a hash of their content.
    pub fn new(bytes: Bytes) -> Pdf {
        let hash = blake3::hash(&bytes);
        let hex = hash.to_hex();
        let tag = format!("\"{}\"", &hex.as_str()[..32]);
        Pdf {
            bytes,
            etag: HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\"")),
        }
    }
}

/// What identifies a version of a file without reading it. `None` stands
/// for "absent", so that a file appearing is a change too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
    changed: Option<SystemTime>,
}

/// A change this close before a render started may not have been seen by
/// it (file times are kept at the kernel's clock tick).
const CLOCK_SLACK: Duration = Duration::from_millis(20);

impl Stamp {
    /// The stamp of `path` now (following symbolic links), or `None`.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp::from_metadata(&meta))
    }

    #[cfg(unix)]
    fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let changed = u64::try_from(meta.ctime())
            .ok()
            .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
            .and_then(|t| {
                t.checked_add(Duration::from_nanos(
                    u64::try_from(meta.ctime_nsec()).unwrap_or(0),
                ))
            });
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
        }
    }

    #[cfg(not(unix))]
    fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            dev: 0,
            ino: 0,
            len: meta.len(),
            modified: meta.modified().ok(),
            changed: None,
        }
    }

    /// True when the file may have changed at or after `start` (so a
    /// render that began then may have read an older version).
    pub fn is_newer_than(&self, start: SystemTime) -> bool {
        let since = start.checked_sub(CLOCK_SLACK).unwrap_or(start);
        // The change time, which no program can set back, where there is one.
        self.changed.or(self.modified).is_some_and(|t| t >= since)
    }
}

/// A file a render read, with its stamp at the time.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The real path.
    pub path: PathBuf,
    /// Its stamp (`None`: it was absent).
    pub stamp: Option<Stamp>,
}

impl Dependency {
    /// `path` with its stamp now.
    pub fn now(path: PathBuf) -> Dependency {
        let stamp = Stamp::of(&path);
        Dependency { path, stamp }
    }

    /// True while the file is as it was.
    pub fn is_current(&self) -> bool {
        Stamp::of(&self.path) == self.stamp
    }
}

/// What the last render of an article found, and from which files.
#[derive(Clone, Debug)]
pub struct Memo {
    /// The files the render read.
    pub deps: Vec<Dependency>,
    /// The outcome.
    pub outcome: MemoOutcome,
}

/// The outcome of an article's last render.
#[derive(Clone, Debug)]
pub enum MemoOutcome {
    /// A PDF, stored under `key`, tagged `etag`.
    Pdf {
        /// Where the bytes are cached.
        key: Key,
        /// Their entity tag.
        etag: HeaderValue,
    },
    /// The article cannot be set; not retried before `until` (never,
    /// when `None`) unless one of its files changes, or an image it
    /// lacked appears.
    Failed {
        /// Why, for the log.
        reason: std::sync::Arc<str>,
        /// When to try again.
        until: Option<Instant>,
    },
}

impl Memo {
    /// True while every file is as it was (and a failure is recent).
    pub fn is_current(&self) -> bool {
        if let MemoOutcome::Failed {
            until: Some(until), ..
        } = &self.outcome
            && Instant::now() >= *until
        {
            return false;
        }
        self.files_unchanged()
    }

    /// True while every file the render read is as it was.
    pub fn files_unchanged(&self) -> bool {
        self.deps.iter().all(Dependency::is_current)
    }
}

/// Weighs a cached PDF by its size, plus the bookkeeping around it.
#[derive(Clone, Copy, Debug)]
pub struct PdfWeight;

/// Bytes of bookkeeping counted for each cached PDF.
const ENTRY_OVERHEAD: u64 = 256;

impl Weighter<Key, Pdf> for PdfWeight {
    fn weight(&self, _key: &Key, pdf: &Pdf) -> u64 {
        pdf.bytes.len() as u64 + ENTRY_OVERHEAD
    }
}

/// PDFs in memory, at most a configured number of bytes; the least
/// useful are evicted first (CLOCK-Pro, by `quick_cache`).
pub type MemoryCache =
    quick_cache::sync::Cache<Key, Pdf, PdfWeight, quick_cache::DefaultHashBuilder, Evictions>;

/// A memory cache holding at most `bytes` bytes of PDFs, counting what it
/// drops in `evictions`.
pub fn memory_cache(bytes: u64, evictions: Evictions) -> MemoryCache {
    const TYPICAL_PDF: u64 = 64 << 10;
    let items = usize::try_from(bytes / TYPICAL_PDF).unwrap_or(usize::MAX);
    MemoryCache::with(
        items.max(16),
        bytes,
        PdfWeight,
        quick_cache::DefaultHashBuilder::default(),
        evictions,
    )
}

/// Counts the PDFs the memory cache dropped to make room or could not
/// admit (the cache is sharded, so one shard can be full while the whole is
/// not): prerendering stops when it rises. Removing a superseded PDF is not
/// counted.
#[derive(Clone, Debug, Default)]
pub struct Evictions(Arc<AtomicU64>);

impl Evictions {
    /// PDFs dropped so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl quick_cache::Lifecycle<Key, Pdf> for Evictions {
    type RequestState = ();

    fn on_evict(&self, _state: &mut (), _key: Key, _pdf: Pdf) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The memos of articles, by real path; bounded in count.
pub type MemoTable = quick_cache::sync::Cache<PathBuf, std::sync::Arc<Memo>>;

/// Largest PDF read back from the disk cache.
const MAX_DISK_PDF: u64 = 256 << 20;

/// The end of each disk cache file after its PDF: the PDF's length (8
/// bytes, little-endian) and its BLAKE3 hash (32 bytes), checked on every
/// read, so that a file cut short or altered is never served.
const TRAILER: usize = 40;

/// PDFs in a folder, one file per key, written atomically, each with a
/// trailer giving its length and hash.
#[derive(Clone, Debug)]
pub struct DiskCache {
    dir: PathBuf,
}

impl DiskCache {
    /// The cache in `dir`, created if missing.
    pub fn new(dir: &Path) -> std::io::Result<DiskCache> {
        std::fs::create_dir_all(dir)?;
        Ok(DiskCache {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}.pdf", key.hex()))
    }

    /// The PDF stored under `key`, if any and intact (blocking). A file
    /// whose length or hash does not match its trailer is removed, so that
    /// the render that follows stores a sound one.
    pub fn get(&self, key: &Key) -> Option<Bytes> {
        let path = self.path(key);
        let mut bytes = crate::files::read_regular(&path, MAX_DISK_PDF).ok()?;
        if !verify(&bytes) {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        bytes.truncate(bytes.len() - TRAILER);
        Some(Bytes::from(bytes))
    }

    /// Stores `bytes` under `key` (blocking); a failure only costs a
    /// later render.
    pub fn put(&self, key: &Key, bytes: &[u8]) -> Result<(), crate::output::OutputError> {
        let path = self.path(key);
        if path.exists() {
            return Ok(());
        }
        let mut file = Vec::with_capacity(bytes.len() + TRAILER);
        file.extend_from_slice(bytes);
        file.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        file.extend_from_slice(blake3::hash(bytes).as_bytes());
        crate::output::write_atomically(&path, &file)
    }
}

/// True when a disk cache file's trailer matches the PDF before it.
fn verify(file: &[u8]) -> bool {
    let Some(pdf_len) = file.len().checked_sub(TRAILER) else {
        return false;
    };
    let (pdf, trailer) = file.split_at(pdf_len);
    let (length, hash) = trailer.split_at(8);
    let length = u64::from_le_bytes(length.try_into().unwrap_or([0xFF; 8]));
    length == pdf_len as u64 && pdf.starts_with(b"%PDF-") && blake3::hash(pdf).as_bytes() == hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_fields() {
        let mut a = KeyBuilder::default();
        a.field(b"ab").field(b"c");
        let mut b = KeyBuilder::default();
        b.field(b"a").field(b"bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn memory_is_bounded_in_bytes() {
        let evictions = Evictions::default();
        let cache = memory_cache(1 << 20, evictions.clone());
        for i in 0..100u32 {
            let mut key = KeyBuilder::default();
            key.field(&i.to_le_bytes());
            cache.insert(key.finish(), Pdf::new(Bytes::from(vec![b'x'; 100 << 10])));
        }
        assert!(cache.weight() <= 1 << 20, "{}", cache.weight());
        assert!(cache.len() >= 5);
        assert_eq!(evictions.count(), 100 - cache.len() as u64);
    }

    #[test]
    fn stamps_see_edits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let dep = Dependency::now(file.clone());
        assert!(dep.is_current());
        std::fs::write(&file, "two!").unwrap();
        assert!(!dep.is_current());
        let absent = Dependency::now(dir.path().join("series.toml"));
        assert!(absent.is_current());
        std::fs::write(dir.path().join("series.toml"), "").unwrap();
        assert!(!absent.is_current());
    }

    #[test]
    fn disk_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let disk = DiskCache::new(&dir.path().join("cache")).unwrap();
        let mut key = KeyBuilder::default();
        key.field(b"k");
        let key = key.finish();
        assert!(disk.get(&key).is_none());
        disk.put(&key, b"%PDF-1.7 test").unwrap();
        assert_eq!(disk.get(&key).as_deref(), Some(&b"%PDF-1.7 test"[..]));
        // Cut short, or one byte altered: not served, and removed.
        let file = dir.path().join("cache").join(format!("{}.pdf", key.hex()));
        let whole = std::fs::read(&file).unwrap();
        std::fs::write(&file, &whole[..whole.len() - 1]).unwrap();
        assert!(disk.get(&key).is_none());
        assert!(!file.exists());
        let mut altered = whole.clone();
        altered[6] ^= 1;
        std::fs::write(&file, &altered).unwrap();
        assert!(disk.get(&key).is_none());
    }
}
