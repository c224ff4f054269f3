//! Week by week: every mean duration computed from a dataset (the time to first
//! contact, say), per ISO week over the periods judged, against the target of the
//! obligation that promises it, where one does. Exact: a week's value is its days'
//! totals over their rows, not an average of daily averages.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::charts::{self, Bar, Bars};
use super::page::{Figure, Page, esc, figure};
use crate::data::dataset::DailyCounts;
use crate::eval::{Outcome, Status, Unit};
use crate::model::Promise;
use crate::model::dataset::AggFn;
use crate::model::expr::ExprKind;
use crate::report::evaluation::format_value;

/// One week: its label, its days (indices into the daily counts) and its first day.
struct Week {
    label: String,
    days: std::ops::Range<usize>,
    first: jiff::civil::Date,
}

pub fn weeks(page: &Page<'_>, out: &mut String) {
    let e = page.evaluation;
    let means: Vec<&DailyCounts> = e
        .daily
        .iter()
        .filter(|d| d.segment.is_none() && !d.sums.is_empty())
        .filter(|d| {
            e.metric_units.get(&d.metric) == Some(&Unit::Seconds) && is_mean(page, &d.metric)
        })
        .collect();
    let (Some(first), Some(last)) = (e.periods.first(), e.periods.last()) else {
        return;
    };
    if means.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"weeks\">\n<h2>Week by week</h2>\n<p>Each bar is a week's mean (ISO weeks, Monday to Sunday, in {}; the first and last may be short), marked against the target where an obligation promises the metric.</p>",
        esc(&e.time_zone)
    );
    for d in means {
        let end = match &e.as_of {
            Some(day) => day
                .parse::<jiff::civil::Date>()
                .ok()
                .and_then(|d| d.tomorrow().ok()),
            None => last.period.end().tomorrow().ok(),
        };
        let Some(end) = end else { continue };
        let weeks = split(d, first.period.start(), end);
        let promise = promised_by(page, &d.metric);
        let bars: Vec<Bar> = weeks
            .iter()
            .map(|w| {
                let value = d.over(w.days.clone(), true);
                let outcome = promise.and_then(|name| outcome_on(page, name, w.first));
                let target = outcome.and_then(|o| o.target);
                let status = match (value, target, outcome.and_then(|o| o.comparison)) {
                    (Some(v), Some(t), Some(op)) => Some(if holds(v, op, t) {
                        Status::Met
                    } else {
                        Status::Missed
                    }),
                    (None, _, _) => Some(Status::NoData),
                    _ => None,
                };
                Bar {
                    label: w.label.clone(),
                    value: value.and_then(|v| (v / Decimal::from(3600)).to_f64()),
                    text: value
                        .map_or_else(|| "no rows".to_owned(), |v| format_value(v, &Unit::Seconds)),
                    status,
                    target: target.and_then(|t| (t / Decimal::from(3600)).to_f64()),
                }
            })
            .collect();
        let y_label = format!("{} (hours)", d.metric);
        let x_label = format!("ISO week in {}", e.time_zone);
        let chart = charts::bars(&Bars {
            y_label: &y_label,
            x_label: &x_label,
            bars: &bars,
            target_label: "target",
        });
        let listed: Vec<String> = bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.text))
            .collect();
        let against = promise.map_or_else(
            || " No obligation promises it, so the weeks are not graded.".to_owned(),
            |o| format!(" Graded against the target of `{o}` in each week's period."),
        );
        let caption = format!("{} per week: {}.{against}", d.metric, listed.join("; "));
        let series: &[&str] = if bars.iter().any(|b| b.target.is_some()) {
            &["target"]
        } else {
            &[]
        };
        let _ = writeln!(out, "<h3>{}</h3>", esc(&d.metric));
        figure(
            out,
            &Figure {
                kind: "weeks",
                series,
                axes: [&x_label, &y_label],
                caption: &caption,
            },
            chart,
        );
    }
    out.push_str("</section>\n");
}

/// The days from `start` to before `end`, cut into ISO weeks.
fn split(d: &DailyCounts, start: jiff::civil::Date, end: jiff::civil::Date) -> Vec<Week> {
    let offset = |day: jiff::civil::Date| usize::try_from((day - d.first_day).get_days()).ok();
    let mut weeks: Vec<Week> = Vec::new();
    let mut day = start;
    while day < end {
        let (Some(i), Ok(next)) = (offset(day), day.tomorrow()) else {
            break;
        };
        let iso = day.iso_week_date();
        let label = format!("W{:02}", iso.week());
        match weeks.last_mut() {
            Some(w) if w.label == label && w.days.end == i => w.days.end = i + 1,
            _ => weeks.push(Week {
                label,
                days: i..i + 1,
                first: day,
            }),
        }
        day = next;
    }
    weeks
}

fn is_mean(page: &Page<'_>, metric: &str) -> bool {
    page.model.metrics().any(|(_, v, m)| {
        v.name == metric && m.aggregate.as_ref().is_some_and(|a| a.func == AggFn::Mean)
    })
}

/// The first obligation (shown on the page) whose promise compares this metric.
fn promised_by<'m>(page: &Page<'m>, metric: &str) -> Option<&'m str> {
    let model = page.model;
    model.obligations.iter().find_map(|o| {
        let Promise::Compare {
            promise: Some(c), ..
        } = &o.promise
        else {
            return None;
        };
        let ExprKind::Value(id) = c.left.kind else {
            return None;
        };
        let named = model
            .values
            .get(id.index())
            .is_some_and(|v| v.name == metric);
        named.then_some(o.name.as_str())
    })
}

/// An obligation's outcome in the period a day falls in.
fn outcome_on<'e>(
    page: &Page<'e>,
    obligation: &str,
    day: jiff::civil::Date,
) -> Option<&'e Outcome> {
    page.evaluation
        .periods
        .iter()
        .find(|p| p.period.start() <= day && day <= p.period.end())?
        .obligations
        .iter()
        .find(|o| &*o.id == obligation && o.segment.is_none() && page.shows(o))
}

fn holds(value: Decimal, op: &str, target: Decimal) -> bool {
    match op {
        ">=" => value >= target,
        ">" => value > target,
        "<=" => value <= target,
        "<" => value < target,
        _ => value == target,
    }
}
