//! The service's log, written off the request path.
//!
//! Events go through `tracing` and are formatted on the thread that
//! records them; the finished line is appended to a [`Batched`] buffer,
//! one per stream (requests and other information to standard output,
//! warnings and errors to standard error). A thread per stream owns the
//! stream and writes the buffer out in batches. A request never waits on
//! the stream: it takes a lock held only for copying a line, and when the
//! reader falls behind (a log driver that blocks, a `| sleep`) the buffer
//! fills and further lines are dropped and counted. A reader that goes
//! away (`| head -1`) closes the pipe: the writer stops writing and counts
//! what it discards, and the service goes on. [`LogStats::dropped`] gives
//! the count for `/metrics`.
//!
//! Why not `tracing-appender`'s non-blocking writer (used before): it
//! sends each line through a channel whose receiver parks between lines,
//! so every request line woke the writing thread. Under cached load on two
//! cores that thread took 15 % of the service's CPU, and the wake-ups 3 %
//! more on the request threads, more than the `println!` it replaced. Here
//! the writer is woken only when it sleeps with nothing to write, then
//! lets lines gather for [`GATHER`] before each write: a few hundred
//! wake-ups a second at most, whatever the load.
//!
//! Lines are logfmt (`key=value`, as log shippers and `grep` read them)
//! or, with `--log-format json`, JSON objects, one per line.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use clap::ValueEnum;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Bytes of log buffered per stream before new lines are dropped: about
/// 5,000 request lines, a log driver's hiccup of a quarter of a second at
/// the cached load this machine serves (20,000 requests a second).
const BUFFERED_BYTES: usize = 512 << 10;

/// How long the writing thread lets lines gather after it wakes, before
/// it writes them: it bounds the wake-ups to a few hundred a second, and
/// delays a line by no more than this.
const GATHER: Duration = Duration::from_millis(5);

/// The longest the service waits, when it stops, for its log to be
/// written out: a stalled reader must not hold up the exit.
const FLUSH_AT_EXIT: Duration = Duration::from_secs(2);

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `key=value` pairs.
    #[default]
    Logfmt,
    /// One JSON object per line, with a timestamp and level.
    Json,
}

/// What the log has had to drop, for `/metrics`.
#[derive(Clone, Default)]
pub struct LogStats {
    dropped: Arc<AtomicU64>,
}

impl LogStats {
    /// Lines dropped because a reader fell behind or closed its pipe.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// The running log: flushes (for a bounded time) when dropped.
pub struct Log {
    streams: Vec<Batched>,
    writers: Vec<std::thread::JoinHandle<()>>,
    /// Its drop counts.
    pub stats: LogStats,
}

impl Drop for Log {
    fn drop(&mut self) {
        for stream in &self.streams {
            stream.stop();
        }
        // A writer with a stalled reader may never finish: let a helper
        // thread wait for them, for a bounded time, and exit without them
        // if need be.
        let writers = std::mem::take(&mut self.writers);
        let (done, waited) = std::sync::mpsc::channel();
        let joiner = std::thread::Builder::new()
            .name("iskra-log-flush".into())
            .spawn(move || {
                for writer in writers {
                    let _ = writer.join();
                }
                let _ = done.send(());
            });
        if joiner.is_ok() {
            let _ = waited.recv_timeout(FLUSH_AT_EXIT);
        }
    }
}

/// Starts the service's log as the process's `tracing` subscriber (if one
/// was set already, events go there and nothing is counted).
pub fn start(format: LogFormat) -> Log {
    let stats = LogStats::default();
    let mut writers = Vec::new();
    let mut stream = |name: &str, sink: Box<dyn Write + Send>| {
        let batched = Batched::new(Arc::clone(&stats.dropped));
        if let Ok(writer) = batched.spawn_writer(name, sink) {
            writers.push(writer);
        }
        batched
    };
    let out = stream("iskra-log-stdout", Box::new(io::stdout()));
    let err = stream("iskra-log-stderr", Box::new(io::stderr()));
    let make_writer = err.clone().with_max_level(Level::WARN).or_else(out.clone());
    let builder = tracing_subscriber::fmt()
        .with_writer(make_writer)
        .with_max_level(Level::INFO);
    let set = match format {
        LogFormat::Logfmt => {
            tracing::subscriber::set_global_default(builder.event_format(Logfmt).finish())
        }
        LogFormat::Json => tracing::subscriber::set_global_default(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .finish(),
        ),
    };
    // Already set (a second service in one process): events go there.
    let _ = set;
    Log {
        streams: vec![out, err],
        writers,
        stats,
    }
}

/// A bounded buffer of finished log lines for one stream, filled by the
/// threads that log and emptied by the stream's writing thread.
#[derive(Clone)]
pub struct Batched {
    shared: Arc<Shared>,
}

struct Shared {
    pending: Mutex<Pending>,
    /// Signalled when the writer sleeps and there is something to write.
    wake: Condvar,
    /// Lines dropped, shared with [`LogStats`].
    dropped: Arc<AtomicU64>,
}

/// Lines waiting for the writer.
#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    lines: u64,
    /// The writer waits on `wake` (only then is it signalled).
    writer_asleep: bool,
    stopping: bool,
}

/// Lines taken by the writer, to write outside the lock.
struct Batch {
    bytes: Vec<u8>,
    lines: u64,
    last: bool,
}

impl Batched {
    /// An empty buffer whose drops are counted in `dropped`.
    pub fn new(dropped: Arc<AtomicU64>) -> Batched {
        Batched {
            shared: Arc::new(Shared {
                pending: Mutex::new(Pending::default()),
                wake: Condvar::new(),
                dropped,
            }),
        }
    }

    /// Starts the thread that writes the buffer to `sink`.
    pub fn spawn_writer(
        &self,
        name: &str,
        sink: Box<dyn Write + Send>,
    ) -> io::Result<std::thread::JoinHandle<()>> {
        let shared = Arc::clone(&self.shared);
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || shared.write_out(sink))
    }

    /// Adds one finished line, or drops and counts it when the buffer is
    /// full.
    pub fn push(&self, line: &[u8]) {
        let mut pending = self.shared.lock();
        if pending.bytes.len() + line.len() > BUFFERED_BYTES {
            drop(pending);
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        pending.bytes.extend_from_slice(line);
        pending.lines += 1;
        let wake = std::mem::take(&mut pending.writer_asleep);
        drop(pending);
        if wake {
            self.shared.wake.notify_one();
        }
    }

    /// Tells the writer to write what is left and end.
    fn stop(&self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_one();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The writing thread: waits for lines, lets more gather, and writes
    /// them in one go, until told to stop. A batch the stream refuses is
    /// counted as dropped; once its reader has closed it, every later
    /// batch is, unwritten.
    fn write_out(&self, mut sink: Box<dyn Write + Send>) {
        let mut spare = Vec::new();
        let mut closed = false;
        loop {
            let batch = self.next_batch(std::mem::take(&mut spare));
            let written = !closed
                && match sink.write_all(&batch.bytes).and_then(|()| sink.flush()) {
                    Ok(()) => true,
                    Err(e) => {
                        closed = e.kind() == io::ErrorKind::BrokenPipe;
                        false
                    }
                };
            if !written {
                self.dropped.fetch_add(batch.lines, Ordering::Relaxed);
            }
            if batch.last {
                return;
            }
            spare = batch.bytes;
            spare.clear();
        }
    }

    /// Waits until there are lines (or the log stops), waits [`GATHER`]
    /// for more, and takes them all, leaving `spare` in their place.
    fn next_batch(&self, spare: Vec<u8>) -> Batch {
        let mut pending = self.lock();
        while pending.bytes.is_empty() && !pending.stopping {
            pending.writer_asleep = true;
            pending = self
                .wake
                .wait(pending)
                .unwrap_or_else(PoisonError::into_inner);
        }
        pending.writer_asleep = false;
        if !pending.stopping {
            drop(pending);
            std::thread::sleep(GATHER);
            pending = self.lock();
        }
        Batch {
            bytes: std::mem::replace(&mut pending.bytes, spare),
            lines: std::mem::take(&mut pending.lines),
            last: pending.stopping,
        }
    }
}

/// One event's line on its way into a [`Batched`] buffer.
pub struct LineWriter<'a>(&'a Batched);

impl Write for LineWriter<'_> {
    /// The formatter hands over each event's finished line in one call.
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        self.0.push(line);
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Batched {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(self)
    }
}

/// Formats an event as logfmt: its fields as `name=value`, separated by
/// spaces; strings that need it quoted.
struct Logfmt;

impl<S, N> FormatEvent<S, N> for Logfmt
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = LogfmtFields {
            writer: &mut writer,
            first: true,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        writeln!(writer)
    }
}

struct LogfmtFields<'w, 'a> {
    writer: &'w mut Writer<'a>,
    first: bool,
    result: fmt::Result,
}

impl LogfmtFields<'_, '_> {
    fn pair(&mut self, field: &Field, value: fmt::Arguments<'_>) {
        if self.result.is_err() {
            return;
        }
        let space = if self.first { "" } else { " " };
        self.first = false;
        self.result = write!(self.writer, "{space}{}={value}", field.name());
    }
}

impl Visit for LogfmtFields<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let bare = !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '=' || c.is_control());
        if bare {
            self.pair(field, format_args!("{value}"));
        } else {
            self.pair(field, format_args!("{value:?}"));
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.pair(field, format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.pair(field, format_args!("{value:?}"));
    }
}

/// Milliseconds, rounded to the microsecond, for a log field.
pub fn millis(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1e6).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream whose reader has gone.
    struct Shut;

    impl Write for Shut {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    /// A stream that keeps what it is given.
    #[derive(Clone, Default)]
    struct Kept(Arc<Mutex<Vec<u8>>>);

    impl Write for Kept {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_written_in_order_and_all_at_the_stop() {
        let dropped = Arc::new(AtomicU64::new(0));
        let log = Batched::new(Arc::clone(&dropped));
        let kept = Kept::default();
        let writer = log
            .spawn_writer("test-log", Box::new(kept.clone()))
            .unwrap();
        for i in 0..1000 {
            log.push(format!("line={i}\n").as_bytes());
        }
        log.stop();
        writer.join().unwrap();
        let text = String::from_utf8(kept.0.lock().unwrap().clone()).unwrap();
        let expected: String = (0..1000).map(|i| format!("line={i}\n")).collect();
        assert_eq!(text, expected);
        assert_eq!(dropped.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_full_buffer_drops_and_counts() {
        let dropped = Arc::new(AtomicU64::new(0));
        let log = Batched::new(Arc::clone(&dropped));
        // No writer: nothing is taken out.
        let line = [b'x'; 1000];
        for _ in 0..1000 {
            log.push(&line);
        }
        let kept = (BUFFERED_BYTES / line.len()) as u64;
        assert_eq!(dropped.load(Ordering::Relaxed), 1000 - kept);
    }

    #[test]
    fn a_closed_stream_discards_and_counts() {
        let dropped = Arc::new(AtomicU64::new(0));
        let log = Batched::new(Arc::clone(&dropped));
        let writer = log.spawn_writer("test-log", Box::new(Shut)).unwrap();
        log.push(b"one\n");
        log.push(b"two\n");
        log.stop();
        writer.join().unwrap();
        assert_eq!(dropped.load(Ordering::Relaxed), 2);
    }
}
