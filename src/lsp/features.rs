//! What the editor asks about a name or the whole file: hover, definition,
//! references, rename, the outline, folding and semantic tokens. Each reads one
//! [`Analysis`]; none needs the file to be free of errors.

use lsp_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, Hover, HoverContents, Location, MarkupContent,
    MarkupKind, SemanticToken, SemanticTokenType, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::index::{Decl, Key, Kind, ValueKind};
use crate::data::Recorded;
use crate::model::Definition;
use crate::model::unit::Unit;
use crate::report::evaluation::format_value;
use crate::report::plan::worked;

/// The semantic token types, in the order the legend lists them.
pub const TOKEN_TYPES: [SemanticTokenType; 7] = [
    SemanticTokenType::CLASS,     // party, tier
    SemanticTokenType::ENUM,      // segment
    SemanticTokenType::VARIABLE,  // input, let, metric
    SemanticTokenType::FUNCTION,  // obligation
    SemanticTokenType::EVENT,     // remedy
    SemanticTokenType::NAMESPACE, // calendar, dataset
    SemanticTokenType::PROPERTY,  // column
];

fn token_type(kind: Kind) -> u32 {
    match kind {
        Kind::Party | Kind::Tier => 0,
        Kind::Segment => 1,
        Kind::Value => 2,
        Kind::Obligation => 3,
        Kind::Remedy => 4,
        Kind::Calendar | Kind::Dataset => 5,
        Kind::Column => 6,
    }
}

pub fn definition(a: &Analysis, uri: &Uri, offset: usize) -> Option<Location> {
    let (key, _) = a.index.at(offset)?;
    let decl = a.index.declaration(key)?;
    Some(Location {
        uri: uri.clone(),
        range: a.range(decl.name_span),
    })
}

pub fn references(a: &Analysis, uri: &Uri, offset: usize, with_declaration: bool) -> Vec<Location> {
    let Some((key, _)) = a.index.at(offset) else {
        return Vec::new();
    };
    let declared = a.index.declaration(key).map(|d| d.name_span);
    a.index
        .occurrences(key)
        .into_iter()
        .filter(|s| with_declaration || Some(*s) != declared)
        .map(|s| Location {
            uri: uri.clone(),
            range: a.range(s),
        })
        .collect()
}

/// Whether `name` can be written as a name: a letter or `_`, then letters, digits, `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The edits that rename the name under the cursor everywhere in the file; an error
/// message for a new name that is not a name, or already taken.
pub fn rename(
    a: &Analysis,
    uri: &Uri,
    offset: usize,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, String> {
    let Some((key, _)) = a.index.at(offset) else {
        return Ok(None);
    };
    if !is_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a name: start with a letter or `_`, then letters, digits or `_`"
        ));
    }
    let taken = Key {
        name: new_name.to_owned(),
        ..key.clone()
    };
    if a.index.declaration(&taken).is_some() {
        return Err(format!(
            "a {} named `{new_name}` is already declared",
            key.kind.word()
        ));
    }
    let edits: Vec<TextEdit> = a
        .index
        .occurrences(key)
        .into_iter()
        .map(|s| TextEdit {
            range: a.range(s),
            new_text: new_name.to_owned(),
        })
        .collect();
    Ok(Some(workspace_edit(uri, edits)))
}

/// Edits to one document, as the protocol carries them.
// The protocol's map is keyed by `Uri`, whose parsed form is cached inside it; the
// cache does not take part in hashing or equality, so the key cannot change.
#[allow(clippy::mutable_key_type)]
pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = std::collections::HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// The declaration's text as written, at most a dozen lines.
fn written(a: &Analysis, decl: &Decl) -> String {
    let text = a
        .text
        .get(decl.span.start as usize..decl.span.end as usize)
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > 12 {
        format!("{}\n  …", lines.get(..12).unwrap_or_default().join("\n"))
    } else {
        text.to_owned()
    }
}

pub fn hover(a: &Analysis, offset: usize) -> Option<Hover> {
    let (key, span) = a.index.at(offset)?;
    let mut text = match a.index.declaration(key) {
        Some(decl) => {
            let what = match decl.value {
                Some(ValueKind::Input) => "input",
                Some(ValueKind::Let) => "let",
                Some(ValueKind::Metric) => "metric",
                None => key.kind.word(),
            };
            let within = key
                .dataset
                .as_deref()
                .map(|d| format!(" of dataset `{d}`"))
                .unwrap_or_default();
            format!(
                "**{what}** `{}`{within}\n\n```sla\n{}\n```",
                key.name,
                written(a, decl)
            )
        }
        None => format!(
            "`{}`: no {} of this name is declared",
            key.name,
            key.kind.word()
        ),
    };
    if key.kind == Kind::Value {
        text.push_str(&value_facts(a, &key.name));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(a.range(span)),
    })
}

/// A value's unit, and for an input or let what it comes to in the first period
/// (fixed inputs as written, recalculated ones by their `else` value, lets from them).
fn value_facts(a: &Analysis, name: &str) -> String {
    let Some(model) = a.compiled.model() else {
        return String::new();
    };
    let Some(&id) = model.index.values.get(name) else {
        return String::new();
    };
    let Some(value) = model.values.get(id.index()) else {
        return String::new();
    };
    let mut out = String::new();
    let percent = matches!(&value.definition, Definition::Metric(m) if m.ty == crate::syntax::ast::MetricType::Percent);
    let unit = Unit::of(value.unit.as_ref(), percent);
    if let Some(dim) = &value.unit {
        out.push_str(&format!("\n\nunit: {}", dim.describe()));
    }
    let description = a.tree().and_then(|ast| {
        ast.items.iter().find_map(|i| match i {
            crate::syntax::ast::Item::Metric(m) if m.name.node == name => m.description.as_ref(),
            _ => None,
        })
    });
    if let Some(d) = description {
        out.push_str(&format!("\n\n{}", d.node));
    }
    if matches!(value.definition, Definition::Metric(_)) {
        return out;
    }
    let Some(&period) = model.periods.first() else {
        return out;
    };
    let worked = worked::work_out(model, &Recorded::default(), period);
    match worked.value(id) {
        Some(Ok(v)) => out.push_str(&format!(
            "\n\n= **{}** (in {period}, without recorded data: fixed inputs as written, recalculated ones by their `else` value)",
            format_value(*v, &unit)
        )),
        Some(Err(_)) => out.push_str(&format!("\n\nhas no value in {period} without data")),
        None => {}
    }
    out
}

fn symbol_kind(d: &Decl) -> SymbolKind {
    match (d.key.kind, d.value) {
        (Kind::Party, _) | (Kind::Tier, _) => SymbolKind::CLASS,
        (Kind::Segment, _) => SymbolKind::ENUM,
        (Kind::Value, Some(ValueKind::Input)) => SymbolKind::CONSTANT,
        (Kind::Value, _) => SymbolKind::VARIABLE,
        (Kind::Obligation, _) => SymbolKind::FUNCTION,
        (Kind::Remedy, _) => SymbolKind::EVENT,
        (Kind::Calendar, _) | (Kind::Dataset, _) => SymbolKind::NAMESPACE,
        (Kind::Column, _) => SymbolKind::FIELD,
    }
}

/// The outline: every declaration, with each dataset's columns inside it.
#[allow(deprecated)] // `DocumentSymbol::deprecated` has no replacement field to leave out.
pub fn symbols(a: &Analysis) -> Vec<DocumentSymbol> {
    let symbol = |d: &Decl, children: Option<Vec<DocumentSymbol>>| DocumentSymbol {
        name: d.key.name.clone(),
        detail: Some(match d.value {
            Some(ValueKind::Input) => "input".to_owned(),
            Some(ValueKind::Let) => "let".to_owned(),
            Some(ValueKind::Metric) => "metric".to_owned(),
            None => d.key.kind.word().to_owned(),
        }),
        kind: symbol_kind(d),
        tags: None,
        deprecated: None,
        range: a.range(d.span),
        selection_range: a.range(d.name_span),
        children,
    };
    a.index
        .decls
        .iter()
        .filter(|d| d.key.kind != Kind::Column)
        .map(|d| {
            let children = (d.key.kind == Kind::Dataset).then(|| {
                a.index
                    .names(Kind::Column, Some(&d.key.name))
                    .into_iter()
                    .map(|c| symbol(c, None))
                    .collect()
            });
            symbol(d, children)
        })
        .collect()
}

/// Every block that spans lines (`{ … }`), and runs of comment lines.
pub fn folding(a: &Analysis) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut comments: Option<(u32, u32)> = None;
    for (n, line) in (0u32..).zip(a.text.lines()) {
        let code = super::text::code_part(line);
        if line.trim_start().starts_with("//") {
            comments = Some(comments.map_or((n, n), |(start, _)| (start, n)));
        } else if let Some((start, end)) = comments.take()
            && end > start
        {
            out.push(fold(start, end, Some(FoldingRangeKind::Comment)));
        }
        for c in code.chars() {
            match c {
                '{' => open.push(n),
                '}' => {
                    if let Some(start) = open.pop()
                        && n > start
                    {
                        out.push(fold(start, n, None));
                    }
                }
                _ => {}
            }
        }
    }
    if let Some((start, end)) = comments
        && end > start
    {
        out.push(fold(start, end, Some(FoldingRangeKind::Comment)));
    }
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out
}

fn fold(start: u32, end: u32, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: start,
        end_line: end,
        kind,
        ..Default::default()
    }
}

/// Every declared or used name, typed by what it names, in the protocol's relative
/// encoding; a token never spans lines.
pub fn semantic_tokens(a: &Analysis) -> Vec<SemanticToken> {
    let mut spans: Vec<(crate::syntax::ast::Span, u32, bool)> = a
        .index
        .decls
        .iter()
        .map(|d| (d.name_span, token_type(d.key.kind), true))
        .chain(
            a.index
                .uses
                .iter()
                .map(|u| (u.span, token_type(u.key.kind), false)),
        )
        .collect();
    spans.sort_by_key(|(s, _, _)| (s.start, s.end));
    spans.dedup_by_key(|(s, _, _)| s.start);
    let mut out = Vec::new();
    let (mut line, mut column) = (0u32, 0u32);
    for (span, ty, declared) in spans {
        let start = a.lines.position(&a.text, span.start as usize);
        let end = a.lines.position(&a.text, span.end as usize);
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - column
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: ty,
            token_modifiers_bitset: u32::from(declared),
        });
        (line, column) = (start.line, start.character);
    }
    out
}
