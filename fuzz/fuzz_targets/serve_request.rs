//! The service's request handling: arbitrary methods, request targets and
//! headers, through the same routes, URL checks and caches as `iskra
//! serve` (without a socket; hyper's own parsing is hyper's to fuzz).
//! Nothing outside the articles folder may ever be served, and nothing
//! may panic.
#![no_main]

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use clap::Parser;
use iskra::serve::ServeArgs;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const SECRET: &str = "SECRET outside the articles folder";

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Arbitrary, Debug)]
struct Input {
    method: u8,
    custom_method: String,
    target: String,
    headers: Vec<(String, String)>,
}

const METHODS: [&str; 5] = ["GET", "HEAD", "POST", "OPTIONS", "DELETE"];

fn setup() -> &'static (tokio::runtime::Runtime, Router) {
    static SETUP: OnceLock<(tokio::runtime::Runtime, Router)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("iskra-fuzz-serve-{}", std::process::id()));
        let articles = dir.join("site");
        std::fs::create_dir_all(articles.join("s")).expect("folders");
        std::fs::write(dir.join("secret.md"), SECRET).expect("secret");
        std::fs::write(
            articles.join("s/a.md"),
            "---\ntitle: Fuzz\ndate: 2020-01-01\n---\nText.\n",
        )
        .expect("article");
        std::fs::write(articles.join("s/bad.md"), "no front matter\n").expect("article");
        let cli = Cli::parse_from([
            "serve",
            "--articles",
            articles.to_str().expect("utf-8"),
            "--workers",
            "1",
        ]);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let router = iskra::serve::service(&cli.serve).expect("service");
        (runtime, router)
    })
}

fuzz_target!(|input: Input| {
    let (runtime, router) = setup();
    let method = METHODS
        .get(usize::from(input.method))
        .map_or(input.custom_method.as_str(), |m| m);
    let mut request = Request::builder().method(method).uri(input.target.as_str());
    for (name, value) in &input.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let Ok(request) = request.body(Body::empty()) else {
        return;
    };
    runtime.block_on(async {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let body = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .expect("body");
        assert!(
            !body.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "served a file outside the articles folder"
        );
    });
});
