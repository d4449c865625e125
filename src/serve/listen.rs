//! Accepting connections: HTTP/1.1 with a deadline for each request's
//! headers (which also closes kept-alive connections left idle), an idle
//! timeout on every read and write, a cap on open connections and on
//! those of any one client address, and a graceful stop on SIGTERM or
//! Ctrl-C that lets requests in flight finish.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio_io_timeout::TimeoutStream;

/// Largest request head buffered per connection: far above the 2 KB URL
/// limit and any browser's headers, and it bounds a connection's memory.
const READ_BUFFER_LIMIT: usize = 64 << 10;

/// A client's socket, with read and write timeouts.
type Io = TokioIo<std::pin::Pin<Box<TimeoutStream<TcpStream>>>>;

/// Limits on connections.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Time to receive a request's headers, counted from when the
    /// connection starts waiting for them.
    pub header_timeout: Duration,
    /// Longest wait on any single read or write.
    pub idle_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// Open connections from one client address at most (0: no cap).
    pub max_client_connections: usize,
    /// Longest wait for requests in flight at shutdown.
    pub shutdown_grace: Duration,
}

/// Serves `router` on `listener` until a stop signal, then tells
/// `stopping` (so that background work ends too) and drains; returns when
/// the signal came.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stopping: watch::Sender<bool>,
) -> Instant {
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Arc::new(Clients::new(limits.max_client_connections));
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: back off briefly.
                tracing::warn!(event = "accept-error", error = ?e.to_string());
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Over a limit, the stream is dropped, closing it: first the
        // client's own, so that one client cannot take every place.
        let Some(slot) = clients.admit(peer.ip()) else {
            continue;
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            continue;
        };
        let connection = graceful.watch(connection(stream, router.clone(), limits));
        tokio::spawn(async move {
            // Errors here are clients going away or timing out.
            let _ = connection.await;
            drop((permit, slot));
        });
    }
    drop(listener);
    let stopped = Instant::now();
    stopping.send_replace(true);
    tracing::info!(event = "stopping", in_flight_connections = graceful.count());
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(event = "shutdown-grace-expired");
        }
    }
    stopped
}

/// Open connections by client address, for the per-client cap.
struct Clients {
    cap: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection of a client, given back when dropped.
struct ClientSlot {
    clients: Arc<Clients>,
    ip: IpAddr,
}

impl Clients {
    fn new(cap: usize) -> Clients {
        Clients {
            cap,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// A place for one more connection from `ip`, or `None` at the cap.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Option<ClientSlot>> {
        if self.cap == 0 {
            return Some(None);
        }
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(Some(ClientSlot {
            clients: Arc::clone(self),
            ip,
        }))
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self
            .clients
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// One HTTP/1.1 connection with the timeouts applied.
fn connection(
    stream: TcpStream,
    router: Router,
    limits: Limits,
) -> http1::Connection<Io, TowerToHyperService<Router>> {
    let _ = stream.set_nodelay(true);
    let mut stream = TimeoutStream::new(stream);
    stream.set_read_timeout(Some(limits.idle_timeout));
    stream.set_write_timeout(Some(limits.idle_timeout));
    http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(READ_BUFFER_LIMIT)
        .keep_alive(true)
        .serve_connection(
            TokioIo::new(Box::pin(stream)),
            TowerToHyperService::new(router),
        )
}

/// Completes on SIGTERM or Ctrl-C.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
