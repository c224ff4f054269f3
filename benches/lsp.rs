//! The language server on a generated agreement of 10,000 obligations (1.9 MB): the
//! time from an edit to its diagnostics, and from a completion request to its answer,
//! each against a baseline measured in the same run — compiling the same text
//! through the facade, which the server must do once per edit.
//!
//! Run with `cargo bench --bench lsp`. Prints medians of repeated runs.

use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

const RUNS: usize = 15;
const URI: &str = "file:///bench/generated.sla";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    let _ = client.sender.send(Message::Notification(Notification::new(
        method.to_owned(),
        params,
    )));
}

/// Waits for the next message that `pick` accepts.
fn until(client: &Connection, pick: impl Fn(&Message) -> bool) {
    while let Ok(m) = client.receiver.recv_timeout(Duration::from_secs(60)) {
        if pick(&m) {
            return;
        }
    }
    eprintln!("lsp bench: no answer within a minute");
    std::process::exit(1);
}

fn main() {
    let obligations = 10_000;
    let text = slac::generate::agreement(obligations);
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || slac::lsp::serve(&server));
    let mut id = 0;
    let mut request = |client: &Connection, method: &str, params: serde_json::Value| {
        id += 1;
        let _ = client.sender.send(Message::Request(Request::new(
            RequestId::from(id),
            method.to_owned(),
            params,
        )));
        let wanted = RequestId::from(id);
        until(
            client,
            |m| matches!(m, Message::Response(r) if r.id == wanted),
        );
    };
    request(&client, "initialize", json!({"capabilities": {}}));
    notify(&client, "initialized", json!({}));
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
    );
    let diagnostics = |m: &Message| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics");
    until(&client, diagnostics);
    // The last line before the closing brace: a new clause typed there.
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    let edit_line = lines.saturating_sub(2);
    let edit = |version: i32, typed: &str| {
        notify(
            &client,
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": edit_line, "character": 0}, "end": {"line": edit_line, "character": 0}},
                    "text": typed
                }]
            }),
        );
    };
    let mut to_diagnostics = Vec::new();
    let mut to_completion = Vec::new();
    let mut version = 1;
    for run in 0..RUNS + 2 {
        version += 1;
        let start = Instant::now();
        edit(
            version,
            if run % 2 == 0 {
                "  // a comment typed\n"
            } else {
                ""
            },
        );
        until(&client, diagnostics);
        let elapsed = start.elapsed();
        version += 1;
        edit(version, " ");
        let start = Instant::now();
        request(
            &client,
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": edit_line, "character": 1}}),
        );
        let completed = start.elapsed();
        until(&client, diagnostics);
        if run >= 2 {
            to_diagnostics.push(elapsed);
            to_completion.push(completed);
        }
    }
    let baseline = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(slac::compile_str("bench.sla", &text));
                start.elapsed()
            })
            .collect(),
    );
    request(&client, "shutdown", serde_json::Value::Null);
    notify(&client, "exit", serde_json::Value::Null);
    let _ = thread.join();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (diag, comp) = (median(to_diagnostics), median(to_completion));
    println!(
        "{obligations} obligations ({:.1} MB): edit to diagnostics {:.1} ms (target 200), \
         completion {:.1} ms (target 50); compiling the text alone {:.1} ms; \
         diagnostics / compile = {:.2}",
        text.len() as f64 / 1e6,
        ms(diag),
        ms(comp),
        ms(baseline),
        diag.as_secs_f64() / baseline.as_secs_f64(),
    );
}
