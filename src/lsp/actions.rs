//! Quick fixes: a "did you mean" of the checker applied in place, a contact added to
//! a party without one, and a remedy added to an obligation without one.

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri};

use super::analysis::Analysis;
use crate::syntax::ast::{Item, Span};

pub fn actions(a: &Analysis, uri: &Uri, range: Range) -> Vec<CodeActionOrCommand> {
    let (from, to) = (a.offset(range.start), a.offset(range.end));
    let touches = |s: Span| (s.start as usize) <= to && from <= (s.end as usize);
    let mut out = Vec::new();
    for d in &a.compiled.diagnostics {
        let Some(span) = d.primary_span().filter(|s| touches(*s)) else {
            continue;
        };
        if let Some(name) = d.help.as_deref().and_then(suggested) {
            let wrong = a
                .text
                .get(span.start as usize..span.end as usize)
                .unwrap_or_default();
            out.push(fix(
                uri,
                format!("Replace `{wrong}` with `{name}`"),
                vec![TextEdit {
                    range: a.range(span),
                    new_text: name.to_owned(),
                }],
                true,
            ));
        }
    }
    let Some(agreement) = a.tree() else {
        return out;
    };
    let first_remedy = agreement.items.iter().find_map(|i| match i {
        Item::Remedy(r) => Some(r.name.node.clone()),
        _ => None,
    });
    for item in &agreement.items {
        match item {
            Item::Party(p) if p.contacts.is_empty() && touches(p.span) => {
                let contact = format!("contact \"Head of {0}\" <{0}@example.com>", p.name.node);
                let edit = match block_end(a, p.span) {
                    // `party x { }`: the contact inside the braces.
                    Some(close) => insert(a, close, &format!(" {contact} ")),
                    None => insert(a, p.span.end as usize, &format!(" {{ {contact} }}")),
                };
                out.push(fix(
                    uri,
                    format!("Add a contact to party `{}`", p.name.node),
                    vec![edit],
                    false,
                ));
            }
            Item::Obligation(o) if o.remedy.is_empty() && o.bands.is_empty() && touches(o.span) => {
                let Some(close) = block_end(a, o.span) else {
                    continue;
                };
                let indent = indent_of(a, o.span.start as usize);
                let (title, edits) = match &first_remedy {
                    Some(r) => (
                        format!("Add `remedy {r}` to `{}`", o.name.node),
                        vec![insert(
                            a,
                            line_start(a, close),
                            &format!("{indent}  remedy {r}\n"),
                        )],
                    ),
                    None => {
                        let owner = o.by.first().map_or("OWNER", |p| p.node.as_str());
                        let declared = format!(
                            "\n\n{indent}remedy review {{\n{indent}  action \"Root-cause review within 5 business days\"\n{indent}  responsible {owner}\n{indent}}}"
                        );
                        (
                            format!("Add a remedy to `{}`", o.name.node),
                            vec![
                                insert(
                                    a,
                                    line_start(a, close),
                                    &format!("{indent}  remedy review\n"),
                                ),
                                insert(a, o.span.end as usize, &declared),
                            ],
                        )
                    }
                };
                out.push(fix(uri, title, edits, false));
            }
            _ => {}
        }
    }
    out
}

/// The name a help line suggests: "did you mean `X`?" or "did you mean KIND `X`?".
fn suggested(help: &str) -> Option<&str> {
    let rest = help.split("did you mean ").nth(1)?;
    let start = rest.find('`')? + 1;
    let len = rest.get(start..)?.find('`')?;
    let name = rest.get(start..start + len)?;
    super::features::is_name(name).then_some(name)
}

fn fix(uri: &Uri, title: String, edits: Vec<TextEdit>, preferred: bool) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(super::features::workspace_edit(uri, edits)),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

fn insert(a: &Analysis, at: usize, text: &str) -> TextEdit {
    let position = a.lines.position(&a.text, at);
    TextEdit {
        range: Range::new(position, position),
        new_text: text.to_owned(),
    }
}

/// The offset of the closing `}` of the block a declaration ends with, if it has one.
fn block_end(a: &Analysis, span: Span) -> Option<usize> {
    let text = a.text.get(span.start as usize..span.end as usize)?;
    text.trim_end()
        .ends_with('}')
        .then(|| span.start as usize + text.trim_end().len() - 1)
}

fn line_start(a: &Analysis, at: usize) -> usize {
    a.text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn indent_of(a: &Analysis, at: usize) -> String {
    let start = line_start(a, at);
    a.text
        .get(start..)
        .unwrap_or_default()
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}
