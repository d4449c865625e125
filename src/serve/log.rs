//! The service's log, written off the request path.
//!
//! Events go through `tracing` to two lossy non-blocking writers
//! (`tracing-appender`): requests and other information to standard
//! output, warnings and errors to standard error. Each writer's thread
//! owns its stream; a request only puts its line in a bounded buffer, and
//! when the reader falls behind (a log driver that blocks, a `| sleep`)
//! the buffer fills and further lines are dropped and counted, never
//! waited for. A reader that goes away (`| head -1`) closes the pipe: the
//! writer stops writing and counts what it discards, and the service goes
//! on. [`LogStats::dropped`] gives the count for `/metrics`.
//!
//! Lines are logfmt (`key=value`, as log shippers and `grep` read them)
//! or, with `--log-format json`, JSON objects, one per line.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::ValueEnum;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::{ErrorCounter, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Lines buffered per stream before new ones are dropped: a log driver's
/// hiccup of a fraction of a second at full load, under a megabyte.
const BUFFERED_LINES: usize = 4096;

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
#[derive(Clone)]
pub struct LogStats {
    full: Vec<ErrorCounter>,
    closed: Arc<AtomicU64>,
}

impl LogStats {
    /// Lines dropped because a reader fell behind or closed its pipe.
    pub fn dropped(&self) -> u64 {
        let full: usize = self.full.iter().map(ErrorCounter::dropped_lines).sum();
        full as u64 + self.closed.load(Ordering::Relaxed)
    }
}

impl Default for LogStats {
    fn default() -> Self {
        LogStats {
            full: Vec::new(),
            closed: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// The running log: flushes (for a bounded time) when dropped.
pub struct Log {
    guards: Vec<WorkerGuard>,
    /// Its drop counts.
    pub stats: LogStats,
}

impl Drop for Log {
    fn drop(&mut self) {
        // A guard's drop waits for its thread to write what is buffered;
        // with a stalled reader that could be forever: let a helper thread
        // wait, for a bounded time, and exit without it if need be.
        let guards = std::mem::take(&mut self.guards);
        let (done, waited) = std::sync::mpsc::channel();
        let flusher = std::thread::Builder::new()
            .name("iskra-log-flush".into())
            .spawn(move || {
                drop(guards);
                let _ = done.send(());
            });
        if flusher.is_ok() {
            let _ = waited.recv_timeout(FLUSH_AT_EXIT);
        }
    }
}

/// Starts the service's log as the process's `tracing` subscriber (if one
/// was set already, events go there and nothing is counted).
pub fn start(format: LogFormat) -> Log {
    let closed = Arc::new(AtomicU64::new(0));
    let writer = |stream: Box<dyn Write + Send>, name: &str| {
        NonBlockingBuilder::default()
            .lossy(true)
            .buffered_lines_limit(BUFFERED_LINES)
            .thread_name(name)
            .finish(Closable {
                inner: stream,
                closed: false,
                discarded: Arc::clone(&closed),
            })
    };
    // Buffered: the writing thread flushes whenever it has emptied its
    // queue, so that a busy service costs one write call per batch of
    // lines, not one per line.
    let buffered = |stream: Box<dyn Write + Send>| -> Box<dyn Write + Send> {
        Box::new(io::BufWriter::with_capacity(1 << 16, stream))
    };
    let (out, out_guard) = writer(buffered(Box::new(io::stdout())), "iskra-log-stdout");
    let (err, err_guard) = writer(buffered(Box::new(io::stderr())), "iskra-log-stderr");
    let stats = LogStats {
        full: vec![out.error_counter(), err.error_counter()],
        closed,
    };
    let make_writer = err.with_max_level(Level::WARN).or_else(out);
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
        guards: vec![out_guard, err_guard],
        stats,
    }
}

/// A stream that, once its reader has closed it, stops writing and counts
/// the lines it discards instead of failing each write.
struct Closable {
    inner: Box<dyn Write + Send>,
    closed: bool,
    discarded: Arc<AtomicU64>,
}

impl Write for Closable {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.closed {
            match self.inner.write(buf) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.closed = true,
                other => return other,
            }
        }
        // Each write of the log's thread is one line.
        self.discarded.fetch_add(1, Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
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

    struct Shut;

    impl Write for Shut {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_stream_discards_and_counts() {
        let discarded = Arc::new(AtomicU64::new(0));
        let mut stream = Closable {
            inner: Box::new(Shut),
            closed: false,
            discarded: Arc::clone(&discarded),
        };
        assert_eq!(stream.write(b"one\n").unwrap(), 4);
        assert!(stream.flush().is_ok());
        assert_eq!(stream.write(b"two\n").unwrap(), 4);
        assert_eq!(discarded.load(Ordering::Relaxed), 2);
    }
}
