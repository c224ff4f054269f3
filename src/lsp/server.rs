//! The message loop: the handshake, open documents, debounced compiles, and each
//! request handed to its feature. A feature that fails answers with an error; the
//! server goes on.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, References, Rename, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, OneOf,
    PublishDiagnosticsParams, SemanticTokens, SemanticTokensFullOptions, SemanticTokensLegend,
    SemanticTokensOptions, SemanticTokensResult, SemanticTokensServerCapabilities,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};

use super::analysis::Analysis;
use super::{actions, complete, features, text};

/// How long the client must be quiet before a changed document is compiled.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

struct Document {
    uri: Uri,
    text: String,
    /// The last compiled version; `stale` when `text` has changed since.
    analysis: Analysis,
    stale: bool,
}

/// Serves on stdin and stdout until the client says `exit`.
pub fn run() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

/// Serves on a connection (stdio, or in memory for tests and benches).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection
        .initialize(capabilities)
        .map_err(|e| e.to_string())?;
    let mut documents: HashMap<String, Document> = HashMap::new();
    loop {
        let waiting = documents.values().any(|d| d.stale);
        let message = if waiting {
            match connection.receiver.recv_timeout(DEBOUNCE) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    for d in documents.values_mut().filter(|d| d.stale) {
                        refresh(connection, d);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(()),
            }
        };
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| {
                    answer(connection, &mut documents, request)
                }))
                .unwrap_or_else(|_| {
                    Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "slac failed on this request; the server goes on".to_owned(),
                    )
                });
                send(connection, Message::Response(response));
            }
            Message::Notification(n) => {
                let _ = catch_unwind(AssertUnwindSafe(|| notified(connection, &mut documents, n)));
            }
            Message::Response(_) => {}
        }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_owned(), "\"".to_owned(), ":".to_owned()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: features::TOKEN_TYPES.to_vec(),
                    token_modifiers: vec![lsp_types::SemanticTokenModifier::DECLARATION],
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

fn send(connection: &Connection, message: Message) {
    // A client that went away ends the loop at the next receive.
    let _ = connection.sender.send(message);
}

/// The file name messages use: the path of a `file:` URI, else the URI.
fn name_of(uri: &Uri) -> String {
    let text = uri.as_str();
    text.strip_prefix("file://").unwrap_or(text).to_owned()
}

/// Compiles a document's latest text and publishes its diagnostics.
fn refresh(connection: &Connection, d: &mut Document) {
    d.analysis = Analysis::new(&name_of(&d.uri), d.text.clone());
    d.stale = false;
    publish(connection, &d.uri, d.analysis.diagnostics(&d.uri));
}

fn publish(connection: &Connection, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version: None,
    };
    send(
        connection,
        Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            params,
        )),
    );
}

fn notified(connection: &Connection, documents: &mut HashMap<String, Document>, n: Notification) {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
            else {
                return;
            };
            let uri = p.text_document.uri;
            let mut d = Document {
                analysis: Analysis::new(&name_of(&uri), String::new()),
                uri: uri.clone(),
                text: p.text_document.text,
                stale: true,
            };
            refresh(connection, &mut d);
            documents.insert(uri.as_str().to_owned(), d);
        }
        DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
            else {
                return;
            };
            if let Some(d) = documents.get_mut(p.text_document.uri.as_str()) {
                for change in p.content_changes {
                    text::apply(&mut d.text, change);
                }
                d.stale = true;
            }
        }
        DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
            else {
                return;
            };
            if documents.remove(p.text_document.uri.as_str()).is_some() {
                publish(connection, &p.text_document.uri, Vec::new());
            }
        }
        _ => {}
    }
}

/// The document a request is about, compiled up to its latest text.
fn current<'d>(
    connection: &Connection,
    documents: &'d mut HashMap<String, Document>,
    uri: &Uri,
) -> Option<&'d Document> {
    let d = documents.get_mut(uri.as_str())?;
    if d.stale {
        refresh(connection, d);
    }
    Some(d)
}

fn answer(
    connection: &Connection,
    documents: &mut HashMap<String, Document>,
    r: Request,
) -> Response {
    let id = r.id.clone();
    let result = match r.method.as_str() {
        HoverRequest::METHOD => with::<lsp_types::HoverParams>(r, |p| {
            let at = &p.text_document_position_params;
            let d = current(connection, documents, &at.text_document.uri)?;
            features::hover(&d.analysis, d.analysis.offset(at.position)).map(|h| json(&h))
        }),
        GotoDefinition::METHOD => with::<lsp_types::GotoDefinitionParams>(r, |p| {
            let at = &p.text_document_position_params;
            let d = current(connection, documents, &at.text_document.uri)?;
            features::definition(&d.analysis, &d.uri, d.analysis.offset(at.position))
                .map(|l| json(&l))
        }),
        References::METHOD => with::<lsp_types::ReferenceParams>(r, |p| {
            let at = &p.text_document_position;
            let d = current(connection, documents, &at.text_document.uri)?;
            let offset = d.analysis.offset(at.position);
            Some(json(&features::references(
                &d.analysis,
                &d.uri,
                offset,
                p.context.include_declaration,
            )))
        }),
        Rename::METHOD => {
            let parsed = serde_json::from_value::<lsp_types::RenameParams>(r.params);
            let Ok(p) = parsed else {
                return invalid(id);
            };
            let at = &p.text_document_position;
            let Some(d) = current(connection, documents, &at.text_document.uri) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let offset = d.analysis.offset(at.position);
            return match features::rename(&d.analysis, &d.uri, offset, &p.new_name) {
                Ok(edit) => Response::new_ok(id, edit),
                Err(message) => Response::new_err(id, ErrorCode::RequestFailed as i32, message),
            };
        }
        Completion::METHOD => with::<lsp_types::CompletionParams>(r, |p| {
            let at = &p.text_document_position;
            // The latest text for the place, the last compile for the names.
            let d = documents.get(at.text_document.uri.as_str())?;
            let offset = text::Lines::new(&d.text).offset(&d.text, at.position);
            Some(json(&complete::complete(&d.analysis, &d.text, offset)))
        }),
        DocumentSymbolRequest::METHOD => with::<lsp_types::DocumentSymbolParams>(r, |p| {
            let d = current(connection, documents, &p.text_document.uri)?;
            Some(json(&features::symbols(&d.analysis)))
        }),
        FoldingRangeRequest::METHOD => with::<lsp_types::FoldingRangeParams>(r, |p| {
            let d = current(connection, documents, &p.text_document.uri)?;
            Some(json(&features::folding(&d.analysis)))
        }),
        SemanticTokensFullRequest::METHOD => with::<lsp_types::SemanticTokensParams>(r, |p| {
            let d = current(connection, documents, &p.text_document.uri)?;
            let tokens = SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: features::semantic_tokens(&d.analysis),
            });
            Some(json(&tokens))
        }),
        CodeActionRequest::METHOD => with::<lsp_types::CodeActionParams>(r, |p| {
            let d = current(connection, documents, &p.text_document.uri)?;
            Some(json(&actions::actions(&d.analysis, &d.uri, p.range)))
        }),
        Formatting::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DocumentFormattingParams>(r.params)
            else {
                return invalid(id);
            };
            let Some(d) = current(connection, documents, &p.text_document.uri) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            return match crate::format::format(&d.analysis.compiled) {
                Some(formatted) if formatted == d.text => {
                    Response::new_ok(id, Vec::<TextEdit>::new())
                }
                Some(formatted) => {
                    let end = d.analysis.lines.position(&d.text, d.text.len());
                    let edit = TextEdit {
                        range: lsp_types::Range::new(lsp_types::Position::new(0, 0), end),
                        new_text: formatted,
                    };
                    Response::new_ok(id, vec![edit])
                }
                None => Response::new_err(
                    id,
                    ErrorCode::RequestFailed as i32,
                    "the file does not parse: fix its syntax errors, then format".to_owned(),
                ),
            };
        }
        _ => {
            return Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("slac does not answer `{}`", r.method),
            );
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value.unwrap_or(serde_json::Value::Null)),
        Err(()) => invalid(id),
    }
}

/// A request's parameters read, then answered; `Err` when they do not parse.
fn with<P: serde::de::DeserializeOwned>(
    r: Request,
    answer: impl FnOnce(P) -> Option<serde_json::Value>,
) -> Result<Option<serde_json::Value>, ()> {
    serde_json::from_value::<P>(r.params)
        .map(answer)
        .map_err(|_| ())
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn invalid(id: RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        "the request's parameters do not fit its method".to_owned(),
    )
}
