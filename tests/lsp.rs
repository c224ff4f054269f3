//! `slac lsp` end to end: the binary started as a process and spoken to in JSON-RPC
//! over its stdin and stdout, as an editor does — initialize, open, change, hover,
//! definition, references, completion, rename, code actions, formatting, shutdown —
//! with every response snapshot-tested on the bundled example and on broken text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for responses.
    notifications: Vec<Value>,
}

fn read_message(out: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_slac"))
            .arg("lsp")
            .current_dir(common::root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(m) = read_message(&mut stdout) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    fn write(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (its `result`, or its `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no response to {method}"));
            if m.get("id") == Some(&json!(id)) {
                return m
                    .get("result")
                    .or(m.get("error"))
                    .cloned()
                    .unwrap_or(Value::Null);
            }
            self.notifications.push(m);
        }
    }

    /// The next diagnostics published for the document.
    fn diagnostics(&mut self) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == "textDocument/publishDiagnostics")
        {
            return self.notifications.remove(i)["params"]["diagnostics"].clone();
        }
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .expect("diagnostics");
            if m["method"] == "textDocument/publishDiagnostics" {
                return m["params"]["diagnostics"].clone();
            }
        }
    }
}

/// A response as a reviewed snapshot, pretty-printed.
macro_rules! snap {
    ($name:expr, $value:expr $(,)?) => {
        insta::assert_snapshot!($name, serde_json::to_string_pretty(&$value).unwrap())
    };
}

const URI: &str = "file:///work/example/smarketing.sla";

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

/// One change: the text between two positions replaced.
fn change(client: &mut Client, version: i32, range: [(u32, u32); 2], text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": range[0].0, "character": range[0].1},
                          "end": {"line": range[1].0, "character": range[1].1}},
                "text": text
            }]
        }),
    );
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_editor_session_on_the_bundled_example() {
    let text = std::fs::read_to_string(common::root().join("sla-examples/smarketing.sla")).unwrap();
    let mut c = Client::start();
    let init = c.request("initialize", json!({"capabilities": {}, "processId": null}));
    snap!("initialize", init);
    c.notify("initialized", json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
    );
    // The example is valid: no diagnostics, as `slac check` reports none.
    assert_eq!(c.diagnostics(), json!([]));

    // Hovering `leads_needed` in the promise shows its formula and 100.
    let hover = c.request("textDocument/hover", at(33, 22));
    snap!("hover_leads_needed", hover);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("= **100**")
    );
    // From `requires deliver_leads` to the obligation.
    snap!(
        "definition_requires",
        c.request("textDocument/definition", at(43, 15))
    );
    // Every mention of the party `sales`.
    let mut refs = at(12, 8);
    refs["context"] = json!({"includeDeclaration": true});
    snap!(
        "references_sales",
        c.request("textDocument/references", refs)
    );
    // Completion after `by `: the parties; at the start of an obligation line: its clauses.
    let parties = c.request("textDocument/completion", at(42, 7));
    assert_eq!(labels(&parties), ["marketing", "sales"]);
    let clauses = labels(&c.request("textDocument/completion", at(45, 4)));
    assert!(
        clauses.contains(&"promise".to_owned()) && clauses.contains(&"requires".to_owned()),
        "{clauses:?}"
    );
    // Rename the party everywhere.
    let mut rename = at(12, 8);
    rename["newName"] = json!("revenue");
    snap!("rename_sales", c.request("textDocument/rename", rename));
    let mut taken = at(12, 8);
    taken["newName"] = json!("marketing");
    snap!("rename_taken", c.request("textDocument/rename", taken));
    snap!(
        "symbols",
        c.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}})
        )
    );

    // Mistype a party: the checker's diagnostic, and its "did you mean" as a quick fix.
    change(&mut c, 2, [(32, 7), (32, 16)], "markting");
    let broken = c.diagnostics();
    snap!("diagnostics_unknown_party", broken);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": broken[0]["range"], "context": {"diagnostics": broken}}),
    );
    snap!("code_action_did_you_mean", actions);
    // Applying it clears the diagnostic.
    change(&mut c, 3, [(32, 7), (32, 15)], "marketing");
    assert_eq!(c.diagnostics(), json!([]));

    // Formatting a file already in layout changes nothing.
    let format = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(format, json!([]));

    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_half_typed_file_still_answers() {
    let text = "agreement \"Half\" {\n  party sales { contact \"A\" <a@example.com> }\n  party marketing { }\n  obligation leads {\n    by \n  }\n  metric mqls: count\n  obligation more {\n    by sales for marketing\n    promise mqls >= \n";
    let mut c = Client::start();
    c.request("initialize", json!({"capabilities": {}}));
    c.notify("initialized", json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
    );
    let diagnostics = c.diagnostics();
    snap!("half_typed_diagnostics", diagnostics);
    // Completion after `by ` on the unfinished line: the parties that parsed.
    assert_eq!(
        labels(&c.request("textDocument/completion", at(4, 7))),
        ["sales", "marketing"]
    );
    // After `>=` with nothing yet: the values.
    assert_eq!(
        labels(&c.request("textDocument/completion", at(9, 20))),
        ["mqls"]
    );
    // The outline has what parsed.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"sales") && names.contains(&"marketing"),
        "{names:?}"
    );
    // The quick fix for the party without a contact.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 2, "character": 3}, "end": {"line": 2, "character": 3}}, "context": {"diagnostics": []}}),
    );
    snap!("half_typed_actions", actions);
    // Formatting a file that does not parse is refused with a reason.
    let format = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(
        format["message"]
            .as_str()
            .unwrap()
            .contains("does not parse"),
        "{format}"
    );
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}

/// The protocol position (line, UTF-16 column) of a byte offset.
fn position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = before[start..].chars().map(char::len_utf16).sum();
    (line as u64, column as u64)
}

#[test]
fn diagnostics_are_those_of_slac_check() {
    let dir = common::root().join("tests/fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sla"))
        .collect();
    files.sort();
    assert!(files.len() > 50);
    let mut c = Client::start();
    c.request("initialize", json!({"capabilities": {}}));
    c.notify("initialized", json!({}));
    let mut compared = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // Not UTF-8 on purpose: no editor opens it as text.
        };
        let uri = format!("file://{}", path.display());
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "sla", "version": 1, "text": text}}),
        );
        let from_server = c.diagnostics();
        let out = Command::new(env!("CARGO_BIN_EXE_slac"))
            .args(["check", "--format", "json"])
            .arg(path)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected: Vec<Value> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let (start, end) = match d["span"].as_object() {
                    Some(s) => (
                        position(&text, s["start"].as_u64().unwrap() as usize),
                        position(&text, s["end"].as_u64().unwrap() as usize),
                    ),
                    None => ((0, 0), (0, 0)),
                };
                json!([d["code"], d["message"], [start.0, start.1], [end.0, end.1]])
            })
            .collect();
        let got: Vec<Value> = from_server
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let r = &d["range"];
                json!([
                    d["code"],
                    d["message"],
                    [r["start"]["line"], r["start"]["character"]],
                    [r["end"]["line"], r["end"]["character"]]
                ])
            })
            .collect();
        assert_eq!(got, expected, "{}", path.display());
        compared += got.len();
    }
    assert!(compared > 50, "{compared}");
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
}
