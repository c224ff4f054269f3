//! The language server under random editing: insertions, deletions and pastes of
//! other examples at random places (positions past the end of lines and of the file
//! included), each followed by every kind of request at a random place. Every
//! request must get a response of its method's shape, never an internal error, and
//! the server must stay up to the `shutdown`. Runs in memory (`Connection::memory`),
//! `PROPTEST_CASES` cases (48 by default).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use proptest::prelude::*;
use serde_json::{Value, json};

const URI: &str = "file:///edits/example.sla";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn examples() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(common::root().join("sla-examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sla"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    out.sort();
    out
}

/// What may be typed or pasted.
const PIECES: &[&str] = &[
    "{",
    "}",
    "\"",
    "(",
    ")",
    "\n",
    " ",
    "by ",
    "for ",
    "promise ",
    ">= ",
    "obligation x {\n",
    "party p { contact \"A\" <a@b.c> }\n",
    "metric m: count\n",
    "// note\n",
    "€😀",
    "\t",
    "requires ",
    "remedy ",
    "of leads where ",
    "1h",
    "5000 EUR",
    "90% * ",
    "\"Europe/",
    "hours mon-",
    "\r\n",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert {
        line: u32,
        character: u32,
        piece: usize,
    },
    Delete {
        line: u32,
        character: u32,
        lines: u32,
        to: u32,
    },
    Paste {
        line: u32,
        example: usize,
        from: usize,
        len: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u32..90, 0u32..80, 0usize..PIECES.len()).prop_map(|(line, character, piece)| {
            Edit::Insert {
                line,
                character,
                piece,
            }
        }),
        (0u32..90, 0u32..80, 0u32..4, 0u32..80).prop_map(|(line, character, lines, to)| {
            Edit::Delete {
                line,
                character,
                lines,
                to,
            }
        }),
        (0u32..90, 0usize..8, 0usize..4000, 0usize..400).prop_map(|(line, example, from, len)| {
            Edit::Paste {
                line,
                example,
                from,
                len,
            }
        }),
    ]
}

struct Session {
    client: Connection,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    id: i32,
}

impl Session {
    fn start(text: &str) -> Session {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || slac::lsp::serve(&server));
        let mut s = Session {
            client,
            thread: Some(thread),
            id: 0,
        };
        s.request("initialize", json!({"capabilities": {}}));
        s.notify("initialized", json!({}));
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
        );
        s
    }

    fn notify(&self, method: &str, params: Value) {
        self.client
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("the server is up");
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        self.id += 1;
        let id = RequestId::from(self.id);
        self.client
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .expect("the server is up");
        loop {
            match self.client.receiver.recv_timeout(Duration::from_secs(30)) {
                Ok(Message::Response(r)) if r.id == id => return r,
                Ok(_) => {}
                Err(e) => panic!("no response to {method}: {e}"),
            }
        }
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.response_result.is_ok());
        self.notify("exit", Value::Null);
        let result = self
            .thread
            .take()
            .unwrap()
            .join()
            .expect("the server did not panic");
        assert_eq!(result, Ok(()));
    }
}

fn change(edit: &Edit, examples: &[String]) -> Value {
    let at = |line: u32, character: u32| json!({"line": line, "character": character});
    let (start, end, text) = match edit {
        Edit::Insert {
            line,
            character,
            piece,
        } => (
            at(*line, *character),
            at(*line, *character),
            PIECES[*piece].to_owned(),
        ),
        Edit::Delete {
            line,
            character,
            lines,
            to,
        } => (at(*line, *character), at(line + lines, *to), String::new()),
        Edit::Paste {
            line,
            example,
            from,
            len,
        } => {
            let source = &examples[example % examples.len()];
            let chars: String = source.chars().skip(*from).take(*len).collect();
            (at(*line, 0), at(*line, 0), chars)
        }
    };
    json!({"range": {"start": start, "end": end}, "text": text})
}

/// Asks every kind of question at a place; each answer must have its method's shape.
fn ask_everything(s: &mut Session, line: u32, character: u32) {
    let doc = json!({"uri": URI});
    let at = json!({"textDocument": doc, "position": {"line": line, "character": character}});
    let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line + 2, "character": character}});
    let mut refs = at.clone();
    refs["context"] = json!({"includeDeclaration": true});
    let mut rename = at.clone();
    rename["newName"] = json!("renamed_thing");
    let questions: Vec<(&str, Value)> = vec![
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        ("textDocument/references", refs),
        ("textDocument/completion", at.clone()),
        ("textDocument/rename", rename),
        ("textDocument/documentSymbol", json!({"textDocument": doc})),
        ("textDocument/foldingRange", json!({"textDocument": doc})),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
    ];
    for (method, params) in questions {
        let result = match s.request(method, params).response_result {
            Ok(result) => result,
            // Only a refusal with a reason (a rename to a taken name, formatting a
            // file that does not parse), never a failure.
            Err(e) => {
                assert_eq!(e.code, ErrorCode::RequestFailed as i32, "{method}: {e:?}");
                assert!(!e.message.is_empty());
                continue;
            }
        };
        let shaped = match method {
            "textDocument/hover" => {
                serde_json::from_value::<Option<lsp_types::Hover>>(result).is_ok()
            }
            "textDocument/definition" => {
                serde_json::from_value::<Option<lsp_types::Location>>(result).is_ok()
            }
            "textDocument/references" => {
                serde_json::from_value::<Vec<lsp_types::Location>>(result).is_ok()
            }
            "textDocument/completion" => {
                serde_json::from_value::<Vec<lsp_types::CompletionItem>>(result).is_ok()
            }
            "textDocument/rename" => {
                serde_json::from_value::<Option<lsp_types::WorkspaceEdit>>(result).is_ok()
            }
            "textDocument/documentSymbol" => {
                serde_json::from_value::<Vec<lsp_types::DocumentSymbol>>(result).is_ok()
            }
            "textDocument/foldingRange" => {
                serde_json::from_value::<Vec<lsp_types::FoldingRange>>(result).is_ok()
            }
            "textDocument/semanticTokens/full" => {
                serde_json::from_value::<lsp_types::SemanticTokens>(result).is_ok()
            }
            "textDocument/codeAction" => {
                serde_json::from_value::<Vec<lsp_types::CodeActionOrCommand>>(result).is_ok()
            }
            "textDocument/formatting" => {
                serde_json::from_value::<Vec<lsp_types::TextEdit>>(result).is_ok()
            }
            _ => false,
        };
        assert!(shaped, "{method}: an answer of the wrong shape");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_sequence_of_edits_gets_well_formed_answers(
        start in 0usize..8,
        edits in prop::collection::vec(edit(), 1..12),
        places in prop::collection::vec((0u32..90, 0u32..90), 12),
    ) {
        let examples = examples();
        let mut s = Session::start(&examples[start % examples.len()]);
        for (i, e) in edits.iter().enumerate() {
            s.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": i + 2}, "contentChanges": [change(e, &examples)]}),
            );
            let (line, character) = places[i % places.len()];
            ask_everything(&mut s, line, character);
        }
        s.stop();
    }
}
