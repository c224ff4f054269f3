//! Completion in context. The text before the cursor says where it is (which block,
//! which clause, which word it follows); the last analysis of the file says which
//! names are declared. Reading the text, not the tree, lets completion work on the
//! half-typed line the tree could not parse, and answer without compiling again.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::analysis::Analysis;
use super::index::{Kind, ValueKind};
use super::text::code_part;

/// Keywords that open a clause, per enclosing block (by the word that opened it).
const TOP: &[&str] = &[
    "summary",
    "kind",
    "period",
    "effective",
    "party",
    "tier",
    "segment",
    "input",
    "let",
    "metric",
    "obligation",
    "remedy",
    "cap",
    "terminate",
    "calendar",
    "dataset",
    "consequences",
];
const OBLIGATION: &[&str] = &[
    "by", "for", "tier", "requires", "promise", "deliver", "bands", "per", "remedy",
];
const REMEDY: &[&str] = &["action", "responsible", "strike", "credit"];
const DATASET: &[&str] = &["column", "key", "owner", "expect", "zone", "delimiter"];
const CALENDAR: &[&str] = &["zone", "hours", "holiday"];
const BANDS: &[&str] = &["met", "at_risk", "missed"];
const PARTY: &[&str] = &["contact"];
const DAYS: &[&str] = &[
    "mon-fri", "mon-sat", "mon-sun", "sat-sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
];
const COLUMN_TYPES: &[&str] = &["text", "int", "decimal", "money", "bool", "timestamp"];
const METRIC_TYPES: &[&str] = &["count", "number", "percent", "duration", "money"];
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "median",
    "percentile",
    "share",
];

/// Where the cursor is: the enclosing blocks' opening words, the clause so far
/// (from the start of the item to the cursor, comments left out) and the word being typed.
struct Place<'t> {
    blocks: Vec<String>,
    clause: String,
    line: &'t str,
    word: &'t str,
    in_string: bool,
}

fn place(text: &str, offset: usize) -> Place<'_> {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or_default();
    let mut blocks: Vec<String> = Vec::new();
    let mut clause = String::new();
    let count = before.split('\n').count();
    for (i, line) in before.split('\n').enumerate() {
        let code = code_part(line);
        // A line with words (or the cursor's line) starts a new clause, unless the
        // last one goes on.
        if (!code.trim().is_empty() || i + 1 == count) && !continues(&clause) {
            clause.clear();
        }
        let mut in_string = false;
        for c in code.chars() {
            match c {
                '"' => {
                    in_string = !in_string;
                    clause.push(c);
                }
                '{' if !in_string => {
                    let first = clause.split_whitespace().next().unwrap_or_default();
                    blocks.push(first.to_owned());
                    clause.clear();
                }
                '}' if !in_string => {
                    blocks.pop();
                    clause.clear();
                }
                _ => clause.push(c),
            }
        }
        clause.push(' ');
    }
    clause.pop();
    let line = before.rsplit('\n').next().unwrap_or_default();
    let word_start = line
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let word = line.get(word_start..).unwrap_or_default();
    let in_string = code_part(line).matches('"').count() % 2 == 1;
    Place {
        blocks,
        clause,
        line,
        word,
        in_string,
    }
}

/// Whether a clause goes on to the next line: it ends with a word that needs more.
fn continues(clause: &str) -> bool {
    let last = clause.split_whitespace().last().unwrap_or_default();
    matches!(
        last,
        "and"
            | "or"
            | "where"
            | "of"
            | "by"
            | "="
            | "+"
            | "-"
            | "*"
            | "/"
            | ">="
            | "<="
            | ">"
            | "<"
            | "=="
            | "!="
            | "to"
            | "from"
            | "within"
            | "in"
            | "every"
            | "promise"
            | "when"
    ) || clause.matches('(').count() > clause.matches(')').count()
}

pub fn complete(a: &Analysis, text: &str, offset: usize) -> Vec<CompletionItem> {
    let p = place(text, offset);
    let words: Vec<&str> = p.clause.split_whitespace().collect();
    // The words before the one being typed.
    let before: Vec<&str> = if p.word.is_empty() {
        words.clone()
    } else {
        words
            .get(..words.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec()
    };
    let last = before.last().copied().unwrap_or_default();
    let second = before
        .len()
        .checked_sub(2)
        .and_then(|i| before.get(i))
        .copied();
    let mut out = Items::new(p.word);
    if p.in_string {
        if matches!(last, "in" | "zone" | "\"")
            || p.line.contains("zone \"")
            || p.line.contains("in \"")
        {
            let prefix = p.line.rsplit('"').next().unwrap_or_default();
            for zone in jiff::tz::db().available() {
                let zone = zone.as_str().to_owned();
                if zone.starts_with(prefix) {
                    out.push(zone, CompletionItemKind::VALUE, "IANA time zone");
                }
            }
        }
        return out.items;
    }
    let block = p.blocks.last().map(String::as_str).unwrap_or_default();
    let dataset = dataset_in_scope(&words, a, block, &p.blocks);
    // A word right after a number: its unit.
    let number = !last.is_empty() && last.chars().all(|c| c.is_ascii_digit() || c == '.');
    if number && !p.word.is_empty() {
        for (unit, _) in crate::syntax::quantity::DURATION_UNITS {
            out.push(
                (*unit).to_owned(),
                CompletionItemKind::UNIT,
                "duration unit",
            );
        }
    }
    if number {
        for code in crate::syntax::quantity::ISO_4217 {
            out.push((*code).to_owned(), CompletionItemKind::UNIT, "currency");
        }
        out.push("%".to_owned(), CompletionItemKind::UNIT, "percent");
        return out.items;
    }
    match last {
        "by" | "for" | "responsible" | "against" | "->"
            if block != "dataset" && dataset.is_none() =>
        {
            out.names(a, Kind::Party, None);
        }
        "requires" => out.names(a, Kind::Obligation, None),
        "remedy" if !block.is_empty() => out.names(a, Kind::Remedy, None),
        "tier" if block == "obligation" => out.names(a, Kind::Tier, None),
        "hours" if block == "calendar" => {
            for d in DAYS {
                out.push((*d).to_owned(), CompletionItemKind::ENUM_MEMBER, "weekdays");
            }
        }
        "of" if second == Some("hours") => out.names(a, Kind::Calendar, None),
        "of" | "every" => out.names(a, Kind::Dataset, None),
        "per" if block == "obligation" || words.first() == Some(&"metric") => {
            out.names(a, Kind::Segment, None);
            if let Some(ds) = &dataset {
                out.names(a, Kind::Column, Some(ds));
            }
        }
        _ if last.ends_with(':') && words.first() == Some(&"column") => {
            for t in COLUMN_TYPES {
                out.push(
                    (*t).to_owned(),
                    CompletionItemKind::TYPE_PARAMETER,
                    "column type",
                );
            }
            out.names(a, Kind::Segment, None);
        }
        _ if last.ends_with(':') && words.first() == Some(&"metric") => {
            for t in METRIC_TYPES {
                out.push(
                    (*t).to_owned(),
                    CompletionItemKind::TYPE_PARAMETER,
                    "metric type",
                );
            }
        }
        "=" if words.first() == Some(&"metric") => {
            for f in AGGREGATES {
                out.push((*f).to_owned(), CompletionItemKind::KEYWORD, "aggregate");
            }
        }
        "" => out.keywords(keywords(block)),
        _ if before.is_empty() => out.keywords(keywords(block)),
        _ => {
            // Inside an expression or a row condition: the names it can use.
            match &dataset {
                Some(ds) => out.names(a, Kind::Column, Some(ds)),
                None => out.names(a, Kind::Value, None),
            }
        }
    }
    if before.is_empty() && !p.word.is_empty() {
        out.keywords(keywords(block));
    }
    out.items
}

fn keywords(block: &str) -> &'static [&'static str] {
    match block {
        "agreement" => TOP,
        "obligation" => OBLIGATION,
        "remedy" => REMEDY,
        "dataset" => DATASET,
        "calendar" => CALENDAR,
        "bands" => BANDS,
        "party" => PARTY,
        "" => &["agreement"],
        _ => &[],
    }
}

/// The dataset a clause reads rows of: the name after `of` or `every`, or the
/// dataset block the cursor is in.
fn dataset_in_scope(
    words: &[&str],
    a: &Analysis,
    block: &str,
    blocks: &[String],
) -> Option<String> {
    let named = words
        .windows(2)
        .filter(|w| matches!(w.first(), Some(&"of") | Some(&"every")))
        .filter_map(|w| w.get(1))
        .filter(|w| {
            !a.index.names(Kind::Dataset, None).is_empty()
                && a.index
                    .names(Kind::Dataset, None)
                    .iter()
                    .any(|d| d.key.name == **w)
        })
        .last()
        .map(|w| (*w).to_owned());
    if named.is_some() {
        return named;
    }
    if block == "dataset" && blocks.len() >= 2 {
        // The dataset's own name is not in `blocks`; the declaration before the cursor is.
        return a
            .index
            .names(Kind::Dataset, None)
            .last()
            .map(|d| d.key.name.clone());
    }
    None
}

/// The items, those starting with the word typed, each once.
struct Items<'w> {
    word: &'w str,
    items: Vec<CompletionItem>,
}

impl<'w> Items<'w> {
    fn new(word: &'w str) -> Self {
        Items {
            word,
            items: Vec::new(),
        }
    }

    fn push(&mut self, label: String, kind: CompletionItemKind, detail: &str) {
        if !label.starts_with(self.word) || self.items.iter().any(|i| i.label == label) {
            return;
        }
        self.items.push(CompletionItem {
            label,
            kind: Some(kind),
            detail: Some(detail.to_owned()),
            ..Default::default()
        });
    }

    fn keywords(&mut self, words: &[&str]) {
        for w in words {
            self.push((*w).to_owned(), CompletionItemKind::KEYWORD, "keyword");
        }
    }

    fn names(&mut self, a: &Analysis, kind: Kind, dataset: Option<&str>) {
        for d in a.index.names(kind, dataset) {
            let (item_kind, detail) = match (kind, d.value) {
                (Kind::Value, Some(ValueKind::Input)) => (CompletionItemKind::CONSTANT, "input"),
                (Kind::Value, Some(ValueKind::Let)) => (CompletionItemKind::VARIABLE, "let"),
                (Kind::Value, _) => (CompletionItemKind::VARIABLE, "metric"),
                (Kind::Party, _) | (Kind::Tier, _) => (CompletionItemKind::CLASS, kind.word()),
                (Kind::Segment, _) => (CompletionItemKind::ENUM, "segment"),
                (Kind::Obligation, _) => (CompletionItemKind::FUNCTION, "obligation"),
                (Kind::Remedy, _) => (CompletionItemKind::EVENT, "remedy"),
                (Kind::Calendar, _) | (Kind::Dataset, _) => {
                    (CompletionItemKind::MODULE, kind.word())
                }
                (Kind::Column, _) => (CompletionItemKind::FIELD, "column"),
            };
            self.push(d.key.name.clone(), item_kind, detail);
        }
    }
}
