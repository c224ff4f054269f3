//! `--format markdown`: a summary for a pull-request comment or an e-mail to both
//! teams, in GitHub-flavoured Markdown. The headline and the status grid come first;
//! shortfalls follow with their numbers, band, remedy, owner and root cause; the data
//! read and every diagnostic sit in collapsible sections. A status is always a word
//! with a symbol, never a colour alone.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::evaluation::format_value;
use super::{Emitter, Located, Run, located};
use crate::diagnostic::Severity;
use crate::eval::{Evaluation, Outcome, Status};

/// The summary on stdout; nothing on stderr.
pub struct Markdown;

impl Emitter for Markdown {
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, _: &mut dyn Write) -> io::Result<()> {
        write!(stdout, "{}", render(run))
    }
}

/// The whole summary of a run.
pub fn render(run: Run<'_>) -> String {
    let located = located(run);
    let mut out = String::new();
    match run {
        Run::Checked(compiled) => {
            let invalid = compiled.iter().filter(|c| !c.is_valid()).count();
            let files = compiled.len();
            let _ = if invalid == 0 {
                writeln!(out, "## ✅ slac: {} valid", plural(files, "agreement"))
            } else {
                writeln!(
                    out,
                    "## ❌ slac: {invalid} of {} invalid",
                    plural(files, "agreement")
                )
            };
            let _ = writeln!(out, "\n| file | agreement | status | errors | warnings |");
            let _ = writeln!(out, "|---|---|---|---:|---:|");
            for c in compiled {
                let name = c.agreement.as_ref().map_or("–", |a| a.name.node.as_str());
                let status = if c.is_valid() {
                    "✅ valid"
                } else {
                    "❌ invalid"
                };
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {status} | {} | {} |",
                    cell(&c.file.name),
                    cell(name),
                    c.count(Severity::Error),
                    c.count(Severity::Warning)
                );
            }
            problems(&located, &mut out, false);
        }
        Run::Evaluated {
            compiled,
            evaluated,
        } => match &evaluated.evaluation {
            None => {
                let _ = writeln!(
                    out,
                    "## ❌ slac: the data for `{}` could not be read; nothing was evaluated",
                    cell(&compiled.file.name)
                );
                problems(&located, &mut out, false);
            }
            Some(evaluation) => {
                headline(evaluation, &mut out);
                grid(evaluation, &mut out);
                shortfalls(evaluation, &mut out);
                consequences(evaluation, &mut out);
                data(evaluation, &mut out);
                // Shortfalls are told above; the rest of the diagnostics fold away.
                let others: Vec<Located<'_>> = located
                    .into_iter()
                    .filter(|l| !l.diagnostic.code.starts_with("slac::eval::"))
                    .collect();
                problems(&others, &mut out, true);
            }
        },
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Text safe inside a table cell: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "✅ met",
        Status::AtRisk => "⚠️ at risk",
        Status::NoData => "➖ no data",
        Status::Missed => "❌ missed",
    }
}

fn row_name(o: &Outcome) -> String {
    match &o.segment {
        Some(s) => format!("`{}` [{}]", o.id, cell(s)),
        None => format!("`{}`", o.id),
    }
}

fn headline(e: &Evaluation, out: &mut String) {
    let outcomes = e.periods.iter().flat_map(|p| &p.obligations);
    let missed = outcomes
        .clone()
        .filter(|o| o.status == Status::Missed)
        .count();
    let at_risk = outcomes.filter(|o| o.status == Status::AtRisk).count();
    let symbol = match (missed, at_risk, &e.terminated) {
        (_, _, Some(_)) | (1.., _, _) => "❌",
        (0, 1.., None) => "⚠️",
        _ => "✅",
    };
    let span = super::evaluation::period_span(e);
    let verdict = if missed + at_risk == 0 {
        "every obligation met".to_owned()
    } else {
        format!("{missed} missed, {at_risk} at risk")
    };
    let _ = writeln!(out, "## {symbol} {}: {verdict}", cell(&e.agreement));
    let as_of = e
        .as_of
        .as_ref()
        .map(|d| format!(", as of {d}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\nPer {} in {}, {span}{as_of}.",
        e.period_unit, e.time_zone
    );
}

/// Obligation × period, each cell a status word with its symbol.
fn grid(e: &Evaluation, out: &mut String) {
    let rows = super::evaluation::status_rows(e);
    if rows.is_empty() {
        return;
    }
    let _ = write!(out, "\n| obligation | tier | owes → to |");
    for p in &e.periods {
        let running = if p.running { " (running)" } else { "" };
        let _ = write!(out, " {}{running} |", p.period);
    }
    let _ = write!(out, "\n|---|---|---|");
    for _ in &e.periods {
        out.push_str("---|");
    }
    out.push('\n');
    for (first, cells) in &rows {
        let parties = format!("{} → {}", cell(&first.by), cell(&first.for_));
        let _ = write!(
            out,
            "| {} | {} | {parties} |",
            row_name(first),
            cell(&first.tier)
        );
        for found in cells {
            let _ = write!(out, " {} |", found.map_or("–", |o| status(o.status)));
        }
        out.push('\n');
    }
}

fn shortfalls(e: &Evaluation, out: &mut String) {
    let short: Vec<(&crate::eval::PeriodResult, &Outcome)> = e
        .periods
        .iter()
        .flat_map(|p| p.obligations.iter().map(move |o| (p, o)))
        .filter(|(_, o)| matches!(o.status, Status::Missed | Status::AtRisk))
        .collect();
    if short.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Shortfalls\n");
    let _ = writeln!(
        out,
        "| period | obligation | status | actual | target | band | remedy | owner | root cause |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---|---|---|---|---|");
    for (p, o) in short {
        let value = |v: Option<rust_decimal::Decimal>| {
            v.map_or("–".to_owned(), |v| cell(&format_value(v, &o.unit)))
        };
        let target = match o.comparison {
            Some(op) => format!("{op} {}", value(o.target)),
            None => value(o.target),
        };
        let band = o
            .band
            .as_deref()
            .map_or("–".to_owned(), |b| format!("`{b}`"));
        let remedy = match &o.remedy {
            Some(r) => {
                let mut parts = Vec::new();
                if let Some(name) = &r.name {
                    parts.push(format!("`{name}`"));
                }
                parts.extend(r.actions.iter().map(|a| cell(a)));
                if let Some(credit) = r.credit {
                    parts.push(format!("credit {credit}"));
                }
                if !r.strike_against.is_empty() {
                    parts.push(format!("strike against {}", r.strike_against.join(", ")));
                }
                parts.join("; ")
            }
            None => "–".to_owned(),
        };
        let owner = cell(&o.by);
        let mut root = match (&o.root_cause, &o.root_cause_tier) {
            (Some(r), Some(t)) => format!("`{r}` ({})", cell(t)),
            (Some(r), None) => format!("`{r}`"),
            _ => "–".to_owned(),
        };
        if o.excused {
            root.push_str("; excused");
        }
        let mut actual = value(o.actual);
        if let Some(rows) = &o.rows {
            actual = format!("{actual} ({} of {} rows)", rows.complied, rows.rows);
        }
        let running = if p.running { " (running)" } else { "" };
        let _ = writeln!(
            out,
            "| {}{running} | {} | {} | {actual} | {target} | {band} | {remedy} | {owner} | {root} |",
            p.period,
            row_name(o),
            status(o.status)
        );
    }
}

fn consequences(e: &Evaluation, out: &mut String) {
    if !e.strikes.is_empty() {
        let strikes: Vec<String> = e
            .strikes
            .iter()
            .map(|(party, n)| format!("{} {n}", cell(party)))
            .collect();
        let _ = writeln!(out, "\n**Strikes:** {}.", strikes.join(", "));
    }
    if let Some(t) = &e.terminated {
        let _ = writeln!(
            out,
            "\n**❌ Termination:** the agreement can be terminated as of {}: {}.",
            t.period,
            cell(&t.reason)
        );
    }
}

fn data(e: &Evaluation, out: &mut String) {
    if e.datasets.is_empty() {
        return;
    }
    let excluded: u64 = e.datasets.iter().flat_map(|d| d.excluded.values()).sum();
    let _ = writeln!(
        out,
        "\n<details><summary>Data read: {} dataset file{}, {excluded} row{} excluded</summary>\n",
        e.datasets.len(),
        if e.datasets.len() == 1 { "" } else { "s" },
        if excluded == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "| dataset | file | rows | used | excluded |");
    let _ = writeln!(out, "|---|---|---:|---:|---|");
    for d in &e.datasets {
        let reasons: Vec<String> = d
            .excluded
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(why, n)| format!("{n} {}", why.replace('_', " ")))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} |",
            cell(&d.dataset),
            cell(&d.file),
            d.rows,
            d.used,
            if reasons.is_empty() {
                "0".to_owned()
            } else {
                reasons.join(", ")
            }
        );
    }
    let _ = writeln!(out, "\n</details>");
}

/// Diagnostics as a list, each with its code, place, message and help.
fn problems(located: &[Located<'_>], out: &mut String, folded: bool) {
    if located.is_empty() {
        return;
    }
    let errors = super::count(located, Severity::Error);
    let warnings = super::count(located, Severity::Warning);
    let title = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if folded {
        let _ = writeln!(out, "\n<details><summary>{title}</summary>\n");
    } else {
        let _ = writeln!(out, "\n### {title}\n");
    }
    // Counted in full above; listed bounded, as a comment has a size limit.
    let shown = super::for_reading(
        located
            .iter()
            .map(|l| Located {
                file: l.file,
                diagnostic: std::borrow::Cow::Borrowed(l.diagnostic.as_ref()),
            })
            .collect(),
    );
    for l in &shown {
        let d = &l.diagnostic;
        let symbol = match d.severity {
            Severity::Error => "❌ **error**",
            Severity::Warning => "⚠️ **warning**",
            Severity::Advice => "ℹ️ **advice**",
        };
        let place = match d.primary_span() {
            Some(span) => {
                let at = l.file.locate(span);
                format!("{}:{}:{}", l.file.name, at.line, at.column)
            }
            None => l.file.name.clone(),
        };
        // Messages may span lines; each continues the list item.
        let message = d.message.replace('\n', "\n  ");
        let _ = writeln!(out, "- {symbol} `{}` at `{place}`: {message}", d.code);
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  <br>help: {}", help.replace('\n', "\n  "));
        }
    }
    if folded {
        let _ = writeln!(out, "\n</details>");
    }
}
