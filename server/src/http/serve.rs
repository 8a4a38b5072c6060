//! Accepting connections, with the limits `axum::serve` does not offer: a client must send a
//! request's headers within `header_timeout` and is disconnected when idle that long between
//! requests (no slow-header or idle client holds a connection for ever), and at most
//! `max_connections` are served at once (the next one gets a 503 and is closed, so the
//! server never runs out of file descriptors and `/healthz` keeps answering), and one that
//! takes none of its answer for `write_stall` is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use axum::http::header::CONNECTION;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use shared::ErrorCode;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio::time::Sleep;
use tower::ServiceExt;

use crate::error::AppError;

pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    /// A connection that takes none of the answer for this long is closed (a client that
    /// never reads would otherwise hold it for ever).
    pub write_stall: Duration,
}

/// How long a connection may stay after an answer that closes it (time to deliver it).
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// How long connections still open at shutdown may take to finish their requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Connections over the cap answered 503 at the same time; more are closed unanswered.
const REFUSALS_AT_ONCE: usize = 64;

/// Descriptors kept for everything but client connections (database, files, refusals).
const RESERVED_FILES: usize = 128;

/// The connection cap, lowered if the process may not open that many files: past the limit
/// `accept` itself fails and nobody, `/healthz` included, gets an answer.
fn within_open_file_limit(wanted: usize) -> usize {
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_owned))
        })
        .and_then(|soft| soft.parse::<usize>().ok());
    match soft_limit {
        Some(limit) if wanted + RESERVED_FILES > limit => {
            let capped = limit.saturating_sub(RESERVED_FILES).max(1);
            tracing::warn!(
                wanted,
                capped,
                limit,
                "--max-connections lowered to fit the open-file limit (raise it with ulimit -n)"
            );
            capped
        }
        _ => wanted.max(1),
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let max_connections = within_open_file_limit(limits.max_connections);
    let slots = Arc::new(Semaphore::new(max_connections));
    // Refusing takes a descriptor for a moment too: a flood beyond these is dropped unanswered.
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if let Ok(refusing) = refusals.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(refusing);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        // An answer marked `Connection: close` (a timed-out or refused upload) ends the
        // connection shortly after, even if the client is still sending a body no one reads.
        let closing = Arc::new(Notify::new());
        let mark = closing.clone();
        let service = ServiceExt::<Request<Incoming>>::map_response(
            app.clone(),
            move |response: Response| {
                if response
                    .headers()
                    .get(CONNECTION)
                    .is_some_and(|v| v == "close")
                {
                    mark.notify_one();
                }
                response
            },
        );
        let service = TowerToHyperService::new(service);
        let io = TokioIo::new(StallGuard::new(stream, limits.write_stall));
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            let cut_off = async {
                closing.notified().await;
                tokio::time::sleep(CLOSE_GRACE).await;
            };
            tokio::select! {
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = cut_off => tracing::debug!("connection closed after a final answer"),
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("some connections were still open after {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
}

/// The answer to a connection over the limit.
async fn refuse(mut stream: TcpStream) {
    // Written by hand (hyper is not serving this connection), with the API's own error body.
    let body = serde_json::to_string(
        &AppError::new(
            ErrorCode::ServerBusy,
            "The server has too many open connections. Try again in a moment.",
        )
        .retry_after(1)
        .0,
    )
    .expect("an error body serialises");
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// A socket whose writes fail with `TimedOut` once the peer has taken nothing for `limit`.
struct StallGuard {
    stream: TcpStream,
    limit: Duration,
    stalled_since: Option<Pin<Box<Sleep>>>,
}

impl StallGuard {
    fn new(stream: TcpStream, limit: Duration) -> Self {
        StallGuard {
            stream,
            limit,
            stalled_since: None,
        }
    }

    /// Passes `progress` on, timing how long the peer has not been taking bytes.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        progress: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match progress {
            Poll::Ready(result) => {
                self.stalled_since = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let limit = self.limit;
                let timer = self
                    .stalled_since
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client took none of the answer in time",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let progress = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.watch(cx, progress)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let progress = Pin::new(&mut this.stream).poll_flush(cx);
        this.watch(cx, progress)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let progress = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.watch(cx, progress)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
