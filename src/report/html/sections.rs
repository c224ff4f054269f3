//! The page's sections, in the order people read them: where things stand, the
//! period's progress against its goal line, each obligation period by period, the
//! rows behind the per-row promises, and the whole history as a grid.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::charts::{self, Bar, Bars, Cumulative};
use super::page::{Figure, Page, badge, esc, figure, name, value};
use crate::data::dataset::DailyCounts;
use crate::eval::{Outcome, Status, Unit};
use crate::model::Promise;
use crate::model::expr::ExprKind;
use crate::report::evaluation::{format_value, status_rows};

pub fn overview(page: &Page<'_>, out: &mut String) {
    let e = page.evaluation;
    out.push_str("<section id=\"overview\">\n");
    let Some(result) = page.result() else {
        let period = page.period().map_or_else(String::new, |p| p.label());
        let _ = writeln!(
            out,
            "<h2>Where things stand in {}</h2>\n<p>No obligation was judged in {}: the data has no values for it. The history below shows the periods that were.</p>\n</section>",
            esc(&period),
            esc(&period)
        );
        return;
    };
    let label = result.period.label();
    let _ = writeln!(
        out,
        "<h2>Where things stand in {}{}</h2>",
        esc(&label),
        if result.running { " (running)" } else { "" }
    );
    let shown: Vec<&Outcome> = result
        .obligations
        .iter()
        .filter(|o| page.shows(o))
        .collect();
    let count = |s: Status| shown.iter().filter(|o| o.status == s).count();
    let _ = writeln!(
        out,
        "<p class=\"tally\">{} {}, {} {}, {} {}, {} {}</p>",
        badge(Status::Met),
        count(Status::Met),
        badge(Status::AtRisk),
        count(Status::AtRisk),
        badge(Status::Missed),
        count(Status::Missed),
        badge(Status::NoData),
        count(Status::NoData)
    );
    match &e.terminated {
        Some(t) => {
            let _ = writeln!(
                out,
                "<p class=\"termination\"><span class=\"status missed\">✗ termination</span> The agreement may be terminated from {}: {}.</p>",
                esc(&t.period.label()),
                esc(&t.reason)
            );
        }
        None if !page.model.terminations.is_empty() => {
            out.push_str("<p class=\"termination\">No termination condition has held.</p>\n");
        }
        None => {}
    }
    let mut tiers: Vec<&str> = Vec::new();
    for o in &shown {
        if !tiers.contains(&&*o.tier) {
            tiers.push(&o.tier);
        }
    }
    for tier in tiers {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table class=\"overview\">\n<thead><tr><th>obligation</th><th>owed by → to</th><th>status</th><th>actual</th><th>target</th><th>band</th><th>what happens next</th><th>root cause</th></tr></thead>\n<tbody>",
            esc(tier)
        );
        for o in shown.iter().filter(|o| *o.tier == *tier) {
            overview_row(o, &label, out);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    strikes(page, out);
    out.push_str("</section>\n");
}

fn overview_row(o: &Outcome, period: &str, out: &mut String) {
    // Exactly as the JSON report writes them, so the two can be compared.
    let raw = |v: Option<Decimal>| v.map_or_else(String::new, |v| v.to_string());
    let target = match (&o.comparison, o.target) {
        (Some(op), Some(_)) => format!("{} {}", esc(op), value(o.target, &o.unit)),
        _ => value(o.target, &o.unit),
    };
    let pace = o
        .pacing
        .as_ref()
        .map(|p| {
            let mut text = format!(
                "<br><small>to date (day {} of {}): {}",
                p.elapsed_days,
                p.total_days,
                value(p.target_to_date, &o.unit)
            );
            if let Some(projected) = p.projected {
                let _ = write!(text, "; heading for {}", value(Some(projected), &o.unit));
            }
            text.push_str("</small>");
            text
        })
        .unwrap_or_default();
    let next = match &o.remedy {
        Some(r) => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(n) = &r.name {
                parts.push(format!("<strong>{}</strong>", esc(n)));
            }
            parts.extend(r.actions.iter().map(|a| esc(a)));
            if let Some(c) = r.credit {
                parts.push(format!("credit {}", esc(&c.normalize().to_string())));
            }
            if !r.strike_against.is_empty() {
                parts.push(format!(
                    "strike against {}",
                    esc(&r.strike_against.join(", "))
                ));
            }
            let who: Vec<String> = r
                .responsible
                .iter()
                .map(|p| {
                    if p.contacts.is_empty() {
                        esc(&p.party)
                    } else {
                        format!("{} ({})", esc(&p.party), esc(&p.contacts.join("; ")))
                    }
                })
                .collect();
            if !who.is_empty() {
                parts.push(format!("responsible: {}", who.join(", ")));
            }
            if o.excused {
                parts.push("excused: caused upstream".to_owned());
            }
            parts.join("<br>")
        }
        None if o.status == Status::NoData && !o.missing.is_empty() => {
            format!("no value for {}", esc(&o.missing.join(", ")))
        }
        None => "—".to_owned(),
    };
    let root = match (&o.root_cause, &o.root_cause_tier) {
        (Some(r), Some(t)) => format!("{} ({})", esc(r), esc(t)),
        (Some(r), None) => esc(r),
        _ => "—".to_owned(),
    };
    let _ = writeln!(
        out,
        "<tr data-obligation=\"{}\" data-segment=\"{}\" data-period=\"{}\" data-status=\"{}\" data-actual=\"{}\" data-target=\"{}\"><td>{}</td><td>{} → {}</td><td>{}</td><td class=\"num\">{}{pace}</td><td class=\"num\">{target}</td><td>{}</td><td>{next}</td><td>{root}</td></tr>",
        esc(&o.id),
        esc(o.segment.as_deref().unwrap_or_default()),
        esc(period),
        o.status.word(),
        raw(o.actual),
        raw(o.target),
        esc(&name(o)),
        esc(&o.by),
        esc(&o.for_),
        badge(o.status),
        value(o.actual, &o.unit),
        o.band.as_deref().map_or_else(|| "—".to_owned(), esc),
    );
}

fn strikes(page: &Page<'_>, out: &mut String) {
    let e = page.evaluation;
    if e.strikes.is_empty() {
        return;
    }
    let this = page.result().map(|r| &r.strikes);
    out.push_str("<h3>Strikes</h3>\n<table class=\"strikes\">\n<thead><tr><th>party</th><th>this period</th><th>in all</th></tr></thead>\n<tbody>\n");
    for (party, all) in &e.strikes {
        if page.party.is_some_and(|p| p != party) {
            continue;
        }
        let now = this.and_then(|s| s.get(party)).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "<tr data-party=\"{}\"><td>{}</td><td class=\"num\">{now}</td><td class=\"num\">{all}</td></tr>",
            esc(party),
            esc(party)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The metric a promise compares, when its left side is one metric (`mqls >= …`).
fn promised_metric<'m>(page: &Page<'m>, obligation: &str) -> Option<&'m str> {
    let model = page.model;
    let o = model.obligations.iter().find(|o| o.name == obligation)?;
    let Promise::Compare {
        promise: Some(c), ..
    } = &o.promise
    else {
        return None;
    };
    match c.left.kind {
        ExprKind::Value(id) => model.values.get(id.index()).map(|v| v.name.as_str()),
        _ => None,
    }
}

/// A count promised at least: its period drawn day by day against the goal line.
fn counts_up(o: &Outcome) -> bool {
    o.unit == Unit::Count && matches!(o.comparison, Some(">=" | ">")) && o.rows.is_none()
}

pub fn progress(page: &Page<'_>, out: &mut String) {
    let Some(result) = page.result() else {
        return;
    };
    let counted: Vec<&Outcome> = result
        .obligations
        .iter()
        .filter(|o| page.shows(o) && counts_up(o))
        .collect();
    if counted.is_empty() {
        return;
    }
    let period = result.period;
    let label = period.label();
    let _ = writeln!(
        out,
        "<section id=\"progress\">\n<h2>Progress in {} against the goal line</h2>\n<p>The goal line runs from nothing on the first day to the period's target on its last (target × day ÷ {} days).</p>",
        esc(&label),
        period.days()
    );
    let first = period.start();
    let day_labels: Vec<String> = (0..period.days())
        .filter_map(|d| first.checked_add(jiff::Span::new().days(d)).ok())
        .map(|d| d.strftime("%m-%d").to_string())
        .collect();
    let x_label = format!("day of {label} ({})", page.evaluation.time_zone);
    for o in counted {
        if o.actual.is_none() {
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<p>{} No value was recorded for it in {}: there is nothing to draw.</p>",
                esc(&name(o)),
                badge(o.status),
                esc(&label)
            );
            continue;
        }
        let metric = promised_metric(page, &o.id);
        let elapsed = o.pacing.as_ref().map_or(period.days(), |p| p.elapsed_days);
        let daily = metric.and_then(|m| {
            page.evaluation
                .daily
                .iter()
                .find(|d| d.metric == m && d.segment == o.segment)
        });
        let actual: Vec<f64>;
        let recorded_at;
        match daily {
            Some(d) => {
                actual = running_total(d, first, elapsed);
                recorded_at = None;
            }
            None => {
                actual = o.actual.and_then(|a| a.to_f64()).into_iter().collect();
                recorded_at = Some(elapsed);
            }
        }
        let unit_word = metric.unwrap_or("count");
        let y_label = format!("{unit_word} (running total)");
        let chart = charts::cumulative(&Cumulative {
            y_label: &y_label,
            x_label: &x_label,
            days: period.days(),
            day_labels: &day_labels,
            actual: &actual,
            goal: o.target.and_then(|t| t.to_f64()),
            projected: o
                .pacing
                .as_ref()
                .and_then(|p| p.projected)
                .and_then(|p| p.to_f64()),
            recorded_at,
        });
        let mut caption = format!(
            "{}: {} by day {elapsed} of {}",
            name(o),
            format_value(o.actual.unwrap_or_default(), &o.unit),
            period.days()
        );
        if let Some(p) = &o.pacing {
            if let Some(t) = p.target_to_date {
                let _ = write!(
                    caption,
                    ", against {} to date on the goal line",
                    format_value(t, &o.unit)
                );
            }
            if let Some(projected) = p.projected {
                let _ = write!(
                    caption,
                    "; heading for {}",
                    format_value(projected, &o.unit)
                );
            }
        }
        if let Some(t) = o.target {
            let _ = write!(
                caption,
                "; the period's target is {}",
                format_value(t, &o.unit)
            );
        }
        let _ = write!(caption, " ({}).", o.status.word().replace('_', " "));
        if daily.is_none() {
            caption.push_str(" Recorded totals have no daily points: the total is marked on the day it stands for.");
        }
        let mut series = vec![if daily.is_some() {
            "actual (running total)"
        } else {
            "actual (recorded total)"
        }];
        if o.target.is_some() {
            series.push("goal line (pro rata)");
        }
        if o.pacing.as_ref().and_then(|p| p.projected).is_some() {
            series.push("projected at the period's end");
        }
        let _ = writeln!(out, "<h3>{}</h3>", esc(&name(o)));
        let f = Figure {
            kind: "cumulative",
            series: &series,
            axes: [&x_label, &y_label],
            caption: &caption,
        };
        figure(out, &f, chart);
        if o.segment.is_none() {
            multiples(page, metric, elapsed, &day_labels, &x_label, out);
        }
    }
    out.push_str("</section>\n");
}

/// The running total at the end of each of the first `days` days from `first`.
fn running_total(d: &DailyCounts, first: jiff::civil::Date, days: i64) -> Vec<f64> {
    let from = usize::try_from((first - d.first_day).get_days()).unwrap_or(usize::MAX);
    let mut total = 0u64;
    (0..usize::try_from(days).unwrap_or(0))
        .map(|i| {
            total += d.counts.get(from.saturating_add(i)).copied().unwrap_or(0);
            total as f64
        })
        .collect()
}

/// The same count per segment value, small, side by side.
fn multiples(
    page: &Page<'_>,
    metric: Option<&str>,
    elapsed: i64,
    day_labels: &[String],
    x_label: &str,
    out: &mut String,
) {
    let Some(metric) = metric else { return };
    let Some(period) = page.result().map(|r| r.period) else {
        return;
    };
    let parts: Vec<_> = page
        .evaluation
        .daily
        .iter()
        .filter(|d| d.metric == metric && d.segment.is_some())
        .collect();
    if parts.is_empty() {
        return;
    }
    let segment = page
        .model
        .metrics()
        .find(|(_, v, _)| v.name == metric)
        .and_then(|(_, _, m)| m.segment)
        .and_then(|s| page.model.segments.get(s.index()))
        .map_or("segment", |s| s.name.as_str());
    let _ = writeln!(
        out,
        "<h4>{} per {}</h4>\n<div class=\"multiples\">",
        esc(metric),
        esc(segment)
    );
    for d in parts {
        let segment = d.segment.as_deref().unwrap_or_default();
        let actual = running_total(d, period.start(), elapsed);
        let total = actual.last().copied().unwrap_or(0.0);
        let y_label = format!("{metric} [{segment}]");
        let chart = charts::cumulative(&Cumulative {
            y_label: &y_label,
            x_label,
            days: period.days(),
            day_labels,
            actual: &actual,
            goal: None,
            projected: None,
            recorded_at: None,
        });
        let caption = format!("{metric} [{segment}]: {total} by day {elapsed}.");
        let f = Figure {
            kind: "cumulative",
            series: &["actual (running total)"],
            axes: [x_label, &y_label],
            caption: &caption,
        };
        figure(out, &f, chart);
    }
    out.push_str("</div>\n");
}

/// How a unit is drawn on an axis: its scale and its words.
fn axis(unit: &Unit) -> (Decimal, String) {
    match unit {
        Unit::Seconds => (Decimal::from(3600), "hours".to_owned()),
        Unit::Percent => (Decimal::new(1, 2), "percent".to_owned()),
        Unit::Money(c) => (Decimal::ONE, c.clone()),
        Unit::Count => (Decimal::ONE, "count".to_owned()),
        Unit::Number => (Decimal::ONE, "number".to_owned()),
        Unit::Deliveries => (Decimal::ONE, "deliveries".to_owned()),
    }
}

pub fn trends(page: &Page<'_>, out: &mut String) {
    let rows = status_rows(page.evaluation);
    let shown: Vec<_> = rows.iter().filter(|(o, _)| page.shows(o)).collect();
    if shown.is_empty() {
        return;
    }
    out.push_str("<section id=\"trends\">\n<h2>Period by period</h2>\n<p>Each bar is a period's actual, marked with its status; the dashes are that period's target.</p>\n");
    let periods = &page.evaluation.periods;
    for (first, cells) in shown {
        let (scale, unit_words) = axis(&first.unit);
        let at = |v: Option<Decimal>| v.and_then(|v| (v / scale).to_f64());
        let bars: Vec<Bar> = periods
            .iter()
            .zip(cells)
            .map(|(p, o)| match o {
                Some(o) => Bar {
                    label: p.period.label(),
                    value: at(o.actual),
                    text: o
                        .actual
                        .map_or_else(|| "no data".to_owned(), |a| format_value(a, &o.unit)),
                    status: Some(o.status),
                    target: at(o.target),
                },
                None => Bar {
                    label: p.period.label(),
                    value: None,
                    text: "not judged".to_owned(),
                    status: Some(Status::NoData),
                    target: None,
                },
            })
            .collect();
        let metric = promised_metric(page, &first.id).unwrap_or(&first.id);
        let y_label = format!("{metric} ({unit_words})");
        let x_label = format!(
            "{} in {}",
            page.evaluation.period_unit, page.evaluation.time_zone
        );
        let chart = charts::bars(&Bars {
            y_label: &y_label,
            x_label: &x_label,
            bars: &bars,
            target_label: "target",
        });
        let judged: Vec<String> = bars
            .iter()
            .filter(|b| b.value.is_some())
            .map(|b| {
                format!(
                    "{} {} ({})",
                    b.label,
                    b.text,
                    b.status.map_or("", |s| s.word()).replace('_', " ")
                )
            })
            .collect();
        let caption = format!("{}: {}.", name(first), judged.join("; "));
        let _ = writeln!(out, "<h3>{}</h3>", esc(&name(first)));
        let series: &[&str] = if bars.iter().any(|b| b.target.is_some()) {
            &["target"]
        } else {
            &[]
        };
        let f = Figure {
            kind: "bars",
            series,
            axes: [&x_label, &y_label],
            caption: &caption,
        };
        figure(out, &f, chart);
    }
    out.push_str("</section>\n");
}

pub fn rows(page: &Page<'_>, out: &mut String) {
    let Some(result) = page.result() else {
        return;
    };
    let promises: Vec<&Outcome> = result
        .obligations
        .iter()
        .filter(|o| page.shows(o) && o.rows.is_some())
        .collect();
    if promises.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"rows\">\n<h2>Row by row in {}</h2>",
        esc(&result.period.label())
    );
    for o in promises {
        let Some(t) = &o.rows else { continue };
        let late = t.breached.saturating_sub(t.open);
        let bars = [
            Bar {
                label: "within the limit".to_owned(),
                value: Some(t.complied as f64),
                text: t.complied.to_string(),
                status: Some(Status::Met),
                target: None,
            },
            Bar {
                label: "late".to_owned(),
                value: Some(late as f64),
                text: late.to_string(),
                status: Some(Status::Missed),
                target: None,
            },
            Bar {
                label: "never stopped".to_owned(),
                value: Some(t.open as f64),
                text: t.open.to_string(),
                status: Some(Status::NoData),
                target: None,
            },
        ];
        let chart = charts::bars(&Bars {
            y_label: "rows",
            x_label: "how each row did",
            bars: &bars,
            target_label: "target",
        });
        let caption = format!(
            "{}: {} of {} rows within the limit ({}), {late} late, {} never stopped{}.",
            name(o),
            t.complied,
            t.rows,
            value(o.actual, &o.unit),
            t.open,
            t.business_hours
                .as_ref()
                .map(|c| format!("; time counted in the business hours of {c}"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "<h3>{}</h3>", esc(&name(o)));
        let f = Figure {
            kind: "rows",
            series: &[],
            axes: ["how each row did", "rows"],
            caption: &caption,
        };
        figure(out, &f, chart);
        if t.worst.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<table class=\"breaches\" data-obligation=\"{}\">\n<caption>The {} rows furthest over the limit</caption>\n<thead><tr><th>line</th><th>key</th><th>owner</th><th>from</th><th>to</th><th>on the clock</th><th>over the limit</th></tr></thead>\n<tbody>",
            esc(&o.id),
            t.worst.len()
        );
        for b in &t.worst {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                b.line,
                esc(b.key.as_deref().unwrap_or("—")),
                esc(b.owner.as_deref().unwrap_or("—")),
                esc(&b.start),
                esc(b.stop.as_deref().unwrap_or("never")),
                esc(&format_value(b.elapsed, &Unit::Seconds)),
                esc(&format_value(b.late, &Unit::Seconds)),
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

pub fn history(page: &Page<'_>, out: &mut String) {
    let e = page.evaluation;
    let rows = status_rows(e);
    out.push_str("<section id=\"history\">\n<h2>The whole history</h2>\n<table class=\"grid\">\n<thead><tr><th>obligation</th><th>tier</th>");
    for p in &e.periods {
        let _ = write!(
            out,
            "<th>{}{}</th>",
            esc(&p.period.label()),
            if p.running { " (running)" } else { "" }
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (first, cells) in rows.iter().filter(|(o, _)| page.shows(o)) {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&name(first)),
            esc(&first.tier)
        );
        for cell in cells {
            match cell {
                Some(o) => {
                    let _ = write!(
                        out,
                        "<td title=\"{} against {}\">{}</td>",
                        value(o.actual, &o.unit),
                        value(o.target, &o.unit),
                        badge(o.status)
                    );
                }
                None => out.push_str("<td>—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
