//! The service's metrics, for `GET /metrics` in the Prometheus (OpenMetrics)
//! text format: requests by status, cache hits by tier and misses, render
//! times, and the render queue.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Where a cached answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The memory cache.
    Memory,
    /// The disk cache.
    Disk,
    /// The client's copy was current (304) and nothing was read.
    NotModified,
}

impl Tier {
    /// The label value.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Memory => "memory",
            Tier::Disk => "disk",
            Tier::NotModified => "not-modified",
        }
    }
}

type Label<V> = [(&'static str, V); 1];

/// Every metric, registered once.
pub struct Metrics {
    registry: Registry,
    requests: Family<Label<u16>, Counter>,
    hits: Family<Label<&'static str>, Counter>,
    misses: Counter,
    render_seconds: Histogram,
    render_failures: Counter,
    rejected: Counter,
    timeouts: Counter,
    queue_depth: Gauge,
    running: Gauge,
    cache_bytes: Gauge,
    cache_entries: Gauge,
    prerender_scans: Counter,
    prerendered: Counter,
    log_dropped: Counter,
    cancelled: Counter,
}

impl Metrics {
    /// Registers the metrics.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("iskra");
        let requests = Family::<Label<u16>, Counter>::default();
        let hits = Family::<Label<&'static str>, Counter>::default();
        let misses = Counter::default();
        // 1 ms to about 16 s.
        let render_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        let render_failures = Counter::default();
        let rejected = Counter::default();
        let timeouts = Counter::default();
        let queue_depth = Gauge::default();
        let running = Gauge::default();
        let cache_bytes = Gauge::default();
        let cache_entries = Gauge::default();
        let prerender_scans = Counter::default();
        let prerendered = Counter::default();
        let log_dropped = Counter::default();
        let cancelled = Counter::default();
        registry.register(
            "log_lines_dropped",
            "Log lines dropped because the log's reader fell behind or closed it",
            log_dropped.clone(),
        );
        registry.register(
            "render_cancelled",
            "Renders stopped at --render-timeout, their worker freed",
            cancelled.clone(),
        );
        registry.register(
            "prerender_scans",
            "Prerender scans of the articles folder completed",
            prerender_scans.clone(),
        );
        registry.register(
            "prerendered",
            "PDFs set by prerendering, before anyone asked",
            prerendered.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests answered, by status",
            requests.clone(),
        );
        registry.register(
            "cache_hits",
            "PDF requests answered without rendering, by tier",
            hits.clone(),
        );
        registry.register(
            "cache_misses",
            "PDF requests that needed a render",
            misses.clone(),
        );
        registry.register(
            "render_duration_seconds",
            "Time to lay out and write one article's PDF",
            render_seconds.clone(),
        );
        registry.register(
            "render_failures",
            "Articles that could not be set",
            render_failures.clone(),
        );
        registry.register(
            "render_rejected",
            "Renders refused because workers and queue were full (503)",
            rejected.clone(),
        );
        registry.register(
            "render_timeouts",
            "Requests that gave up waiting for a render (503)",
            timeouts.clone(),
        );
        registry.register(
            "render_queue_depth",
            "Renders waiting for a worker",
            queue_depth.clone(),
        );
        registry.register("renders_running", "Renders on a worker", running.clone());
        registry.register(
            "cache_memory_bytes",
            "Bytes of PDFs in the memory cache",
            cache_bytes.clone(),
        );
        registry.register(
            "cache_memory_entries",
            "PDFs in the memory cache",
            cache_entries.clone(),
        );
        Metrics {
            registry,
            requests,
            hits,
            misses,
            render_seconds,
            render_failures,
            rejected,
            timeouts,
            queue_depth,
            running,
            cache_bytes,
            cache_entries,
            prerender_scans,
            prerendered,
            log_dropped,
            cancelled,
        }
    }

    /// Counts a render stopped at its time limit.
    pub fn cancelled(&self) {
        self.cancelled.inc();
    }

    /// Counts an answered request.
    pub fn request(&self, status: u16) {
        self.requests.get_or_create(&[("status", status)]).inc();
    }

    /// Counts a request answered from a cache.
    pub fn hit(&self, tier: Tier) {
        self.hits.get_or_create(&[("tier", tier.name())]).inc();
    }

    /// Counts a request that waited for a render.
    pub fn miss(&self) {
        self.misses.inc();
    }

    /// Records one render's duration.
    pub fn rendered(&self, seconds: f64) {
        self.render_seconds.observe(seconds);
    }

    /// Counts an article that could not be set.
    pub fn failed(&self) {
        self.render_failures.inc();
    }

    /// Counts a render refused for want of room.
    pub fn rejected(&self) {
        self.rejected.inc();
    }

    /// Counts a request that stopped waiting for its render.
    pub fn timed_out(&self) {
        self.timeouts.inc();
    }

    /// Counts a completed prerender scan.
    pub fn scanned(&self) {
        self.prerender_scans.inc();
    }

    /// Counts a PDF set by prerendering.
    pub fn prerendered(&self) {
        self.prerendered.inc();
    }

    /// The text exposition, with the gauges set to the given values.
    pub fn render_text(&self, gauges: Gauges) -> String {
        let as_gauge = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.queue_depth.set(as_gauge(gauges.queued));
        self.running.set(as_gauge(gauges.running));
        self.cache_bytes.set(as_gauge(gauges.cache_bytes));
        self.cache_entries.set(as_gauge(gauges.cache_entries));
        // A counter kept by the log: bring ours up to it.
        let seen = self.log_dropped.get();
        if gauges.log_dropped > seen {
            self.log_dropped.inc_by(gauges.log_dropped - seen);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// Values read at scrape time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gauges {
    /// Renders waiting.
    pub queued: u64,
    /// Renders running.
    pub running: u64,
    /// Bytes in the memory cache.
    pub cache_bytes: u64,
    /// PDFs in the memory cache.
    pub cache_entries: u64,
    /// Log lines dropped so far.
    pub log_dropped: u64,
}
