//! A release feed for the desktop app's update notice (not part of either API): one answer to
//! every request — a release document or a redirect — over real HTTP on loopback, with the
//! requests counted, so a test proves how often the feed is read and what is done with it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the feed answers.
#[derive(Debug, Clone)]
pub enum FeedAnswer {
    /// `200` with this JSON document (`{"version", "notes", "url"}`).
    Release(serde_json::Value),
    /// `302` to this location.
    Redirect(String),
}

/// A feed serving until this value is dropped.
#[derive(Debug)]
pub struct ReleaseFeed {
    url: String,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl ReleaseFeed {
    /// Binds 127.0.0.1 on a free port and answers every request with `answer`.
    ///
    /// # Errors
    /// When no port can be bound.
    pub async fn start(answer: FeedAnswer) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/feed.json", listener.local_addr()?);
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        let router = Router::new().fallback(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            async move { respond(answer) }
        });
        let task = tokio::spawn(crate::connection::serve(listener, router, "release feed"));
        Ok(Self {
            url,
            requests,
            task,
        })
    }

    /// The feed's address (`updates.feed_url`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests it has answered.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn respond(answer: FeedAnswer) -> Response {
    match answer {
        FeedAnswer::Release(document) => axum::Json(document).into_response(),
        FeedAnswer::Redirect(location) => {
            (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
        }
    }
}

impl Drop for ReleaseFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}
