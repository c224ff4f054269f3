//! The page around the sections: head and style, the header (agreement, period,
//! parties, data read), and the small pieces of markup every section shares.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::charts;
use crate::data::DataFile;
use crate::eval::{Evaluation, Outcome, PeriodResult, Status, Unit};
use crate::model::Agreement;
use crate::model::period::Period;
use crate::report::evaluation::format_value;
use crate::syntax::ast::AgreementKind;

/// Everything the page is made from.
pub struct Page<'a> {
    pub model: &'a Agreement,
    pub evaluation: &'a Evaluation,
    pub files: &'a [DataFile],
    pub period: Option<Period>,
    pub party: Option<&'a str>,
}

impl Page<'_> {
    /// The period the page is about: the one asked for, else the last judged (with
    /// `--as-of`, the one running).
    pub fn period(&self) -> Option<Period> {
        self.period
            .or_else(|| self.evaluation.periods.last().map(|p| p.period))
    }

    /// That period's results, if it was judged.
    pub fn result(&self) -> Option<&PeriodResult> {
        let period = self.period()?;
        self.evaluation.periods.iter().find(|p| p.period == period)
    }

    /// Whether an outcome is shown: every one, or those the chosen party owes or is owed.
    pub fn shows(&self, o: &Outcome) -> bool {
        self.party.is_none_or(|p| *o.by == *p || *o.for_ == *p)
    }
}

const STYLE: &str = include_str!("style.css");

fn head_element(page: &Page<'_>, out: &mut String) {
    let model = page.model;
    let period = page
        .period()
        .map_or_else(|| "no period".to_owned(), |p| p.label());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"slac {}\">\n\
         <title>{} — {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&model.name),
        esc(&period),
    );
}

/// The footer: what made the page, and how status is marked.
pub fn foot(page: &Page<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "<footer>Made by slac {} from <code>{}</code>. Status is written out and marked \
         ✓ met, ! at risk, ✗ missed, ? no data; colours only repeat it.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(&page.model.name)
    );
}

/// The page's head and its header: the agreement, the period, what is shown.
pub fn head(page: &Page<'_>, out: &mut String) {
    head_element(page, out);
    header(page, out);
}

fn header(page: &Page<'_>, out: &mut String) {
    let model = page.model;
    let e = page.evaluation;
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&model.name));
    if let Some(summary) = &model.summary {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", esc(summary));
    }
    out.push_str("<dl class=\"facts\">\n");
    let kind = match model.kind {
        Some(AgreementKind::Customer) => "customer-facing",
        Some(AgreementKind::Internal) => "internal",
        Some(AgreementKind::MultiLevel) => "multi-level",
        None => "not stated",
    };
    fact(out, "Kind", kind);
    let period = match (page.period(), page.result()) {
        (Some(p), Some(r)) if r.running => {
            let pacing = r.obligations.iter().find_map(|o| o.pacing.as_ref());
            match pacing {
                Some(pc) => format!(
                    "{} — running: day {} of {}",
                    p.label(),
                    pc.elapsed_days,
                    pc.total_days
                ),
                None => format!("{} — running", p.label()),
            }
        }
        (Some(p), Some(_)) => format!("{} — closed", p.label()),
        (Some(p), None) => format!("{} — not judged: no data for it", p.label()),
        (None, _) => "no period judged".to_owned(),
    };
    fact(out, "Period", &period);
    fact(
        out,
        "Counted",
        &format!("per {} in {}", e.period_unit, e.time_zone),
    );
    fact(out, "In force", &format!("{} to {}", model.from, model.to));
    if let Some(as_of) = &e.as_of {
        fact(out, "As of", as_of);
    }
    if let Some(party) = page.party {
        fact(
            out,
            "Shown for",
            &format!("{party}: what it owes and is owed"),
        );
    }
    out.push_str("</dl>\n</header>\n");
}

/// Who the parties are and what was read: at the end, for whoever needs to follow up.
pub fn about(page: &Page<'_>, out: &mut String) {
    let model = page.model;
    out.push_str("<section id=\"about\">\n<h2>Parties</h2>\n<ul class=\"parties\">\n");
    for party in &model.parties {
        let contacts: Vec<String> = party
            .contacts
            .iter()
            .map(|c| match &c.role {
                Some(role) => format!("{} ({})", esc(&c.written()), esc(role)),
                None => esc(&c.written()),
            })
            .collect();
        let contacts = if contacts.is_empty() {
            "no contact declared".to_owned()
        } else {
            contacts.join("; ")
        };
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {contacts}</li>",
            esc(&party.name)
        );
    }
    out.push_str("</ul>\n");
    data_sources(page, out);
    out.push_str("</section>\n");
}

fn fact(out: &mut String, term: &str, value: &str) {
    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(term), esc(value));
}

/// The files read, with the rows each gave and the rows left out.
fn data_sources(page: &Page<'_>, out: &mut String) {
    let e = page.evaluation;
    out.push_str("<h2>Data</h2>\n<table class=\"data\">\n<thead><tr><th>file</th><th>read as</th><th>rows read</th><th>rows used</th><th>rows left out</th><th>warnings</th></tr></thead>\n<tbody>\n");
    for file in page.files {
        let name = &file.file.name;
        let warnings = file.diagnostics.len();
        let dataset = e.datasets.iter().find(|d| d.file == *name);
        match dataset {
            Some(d) => {
                let mut left_out: Vec<String> = d
                    .excluded
                    .iter()
                    .map(|(kind, n)| format!("{n} {}", kind.replace('_', " ")))
                    .collect();
                for o in &d.outside {
                    let n = o.before + o.after + o.after_as_of;
                    if n > 0 {
                        left_out.push(format!("{n} outside the periods by {}", o.column));
                    }
                }
                let left_out = if left_out.is_empty() {
                    "none".to_owned()
                } else {
                    left_out.join(", ")
                };
                let _ = writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td>dataset <code>{}</code> ({})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{warnings}</td></tr>",
                    esc(name),
                    esc(&d.dataset),
                    d.format,
                    d.rows,
                    d.used,
                    esc(&left_out)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td>recorded values</td><td class=\"num\">—</td><td class=\"num\">—</td><td>—</td><td class=\"num\">{warnings}</td></tr>",
                    esc(name)
                );
            }
        }
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A status as the page shows it: its mark and its word, in a coloured badge.
pub fn badge(status: Status) -> String {
    format!(
        "<span class=\"status {}\">{} {}</span>",
        status.word(),
        charts::symbol(status),
        status.word().replace('_', " ")
    )
}

/// A value in its unit, or `—`.
pub fn value(v: Option<Decimal>, unit: &Unit) -> String {
    v.map_or_else(|| "—".to_owned(), |v| esc(&format_value(v, unit)))
}

/// An obligation's name with its segment, as rows and headings say it.
pub fn name(o: &Outcome) -> String {
    match &o.segment {
        Some(s) => format!("{} [{}]", o.id, s),
        None => o.id.to_string(),
    }
}

/// A chart in a figure, with a caption that says in words what it shows; a chart
/// that could not be drawn says why instead.
/// `series` are the legend's names and `axes` the axis titles: the browser test checks
/// that each is drawn.
pub struct Figure<'a> {
    pub kind: &'a str,
    pub series: &'a [&'a str],
    pub axes: [&'a str; 2],
    pub caption: &'a str,
}

pub fn figure(out: &mut String, f: &Figure<'_>, drawn: charts::Drawn) {
    let _ = writeln!(
        out,
        "<figure class=\"chart\" data-chart=\"{}\" data-series=\"{}\" data-axes=\"{}\">",
        esc(f.kind),
        esc(&f.series.join("|")),
        esc(&f.axes.join("|"))
    );
    match drawn {
        Ok(svg) => {
            // plotters writes an XML declaration-free <svg>; give it a role for readers.
            let svg = svg.replacen("<svg ", "<svg role=\"img\" ", 1);
            out.push_str(&svg);
        }
        Err(why) => {
            let _ = write!(
                out,
                "<p class=\"error\">This chart could not be drawn: {}</p>",
                esc(&why)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n<figcaption>{}</figcaption>\n</figure>",
        esc(f.caption)
    );
}

/// Text made safe to put in HTML, in elements and attribute values alike.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
