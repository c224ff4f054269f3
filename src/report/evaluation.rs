//! The evaluation as people read it: a compact table of periods, then one report per
//! shortfall pointing at the promise in the agreement, with numbers, band, remedy,
//! contacts and root cause.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::eval::finding::Finding;
use crate::eval::{Evaluation, Outcome, PeriodResult, Status, Unit};

/// A number as a person writes it in this unit.
pub fn format_value(value: Decimal, unit: &Unit) -> String {
    match unit {
        Unit::Count | Unit::Number | Unit::Deliveries => value.round_dp(2).normalize().to_string(),
        Unit::Percent => format!(
            "{}%",
            (value * Decimal::ONE_HUNDRED).round_dp(3).normalize()
        ),
        Unit::Money(c) => format!("{} {c}", value.round_dp(2)),
        Unit::Seconds => format_duration(value),
    }
}

/// Whole seconds, as a sign and a magnitude.
fn whole_seconds(seconds: Decimal) -> (&'static str, i64) {
    let total = seconds.round().to_string().parse::<i64>().unwrap_or(0);
    if total < 0 {
        ("-", -total)
    } else {
        ("", total)
    }
}

fn format_duration(seconds: Decimal) -> String {
    let (sign, total) = whole_seconds(seconds);
    let (d, h, m, s) = (
        total / 86_400,
        total % 86_400 / 3_600,
        total % 3_600 / 60,
        total % 60,
    );
    let mut out = String::from(sign);
    for (n, unit) in [(d, "d"), (h, "h"), (m, "min"), (s, "s")] {
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    if out.len() == sign.len() {
        out.push_str("0s");
    }
    out
}

/// `2026-01-02T13:59:07+01:00` as `2026-01-02 13:59` (the agreement's zone; the
/// JSON report keeps the instant to the second).
fn minute(stamp: &str) -> String {
    stamp.get(..16).unwrap_or(stamp).replacen('T', " ", 1)
}

/// A duration in hours and minutes (`163h05min`, `45min`, `30s`).
fn format_hours(seconds: Decimal) -> String {
    let (sign, total) = whole_seconds(seconds);
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{sign}{s}s"),
        (0, m) => format!("{sign}{m}min"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h{m:02}min"),
    }
}

fn row_name(o: &Outcome) -> String {
    match &o.segment {
        Some(s) => format!("{} [{s}]", o.id),
        None => o.id.to_string(),
    }
}

/// The periods judged, as a heading says them: `2026-01 to 2026-06`.
pub fn period_span(evaluation: &Evaluation) -> String {
    match (evaluation.periods.first(), evaluation.periods.last()) {
        (Some(a), Some(b)) if a.period != b.period => format!("{} to {}", a.period, b.period),
        (Some(a), _) => a.period.label(),
        _ => "no periods with data".to_owned(),
    }
}

/// The status grid's rows: every obligation (and segment) in the order of the
/// first period with it, with its outcome in each period (`None` where it has
/// none). One pass over the outcomes, each row found by its key, so the grid of a
/// large agreement is built in linear time.
pub fn status_rows(evaluation: &Evaluation) -> Vec<(&Outcome, Vec<Option<&Outcome>>)> {
    let periods = evaluation.periods.len();
    let mut index: std::collections::HashMap<(&str, Option<&str>), usize> = Default::default();
    let mut rows: Vec<(&Outcome, Vec<Option<&Outcome>>)> = Vec::new();
    for (i, p) in evaluation.periods.iter().enumerate() {
        for o in &p.obligations {
            let row = *index
                .entry((&*o.id, o.segment.as_deref()))
                .or_insert_with(|| {
                    rows.push((o, vec![None; periods]));
                    rows.len() - 1
                });
            if let Some(cell) = rows.get_mut(row).and_then(|(_, cells)| cells.get_mut(i))
                && cell.is_none()
            {
                *cell = Some(o);
            }
        }
    }
    rows
}

/// The per-period table.
pub fn table(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let periods = &evaluation.periods;
    let span = period_span(evaluation);
    let as_of = evaluation
        .as_of
        .as_ref()
        .map(|d| format!(", as of {d}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} — per {} in {}, {span}{as_of}\n",
        evaluation.agreement, evaluation.period_unit, evaluation.time_zone
    );
    // A grid of cells, padded per column when printed.
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["obligation".to_owned(), "tier".to_owned()];
    header.extend(periods.iter().map(|p| {
        if p.running {
            format!("{}*", p.period)
        } else {
            p.period.label()
        }
    }));
    grid.push(header);
    for (first, cells) in status_rows(evaluation) {
        let mut line = vec![row_name(first), first.tier.to_string()];
        line.extend(
            cells
                .iter()
                .map(|o| o.map_or("-", |o| o.status.word()).to_owned()),
        );
        grid.push(line);
    }
    if periods.iter().any(|p| !p.credits.owed.is_zero()) {
        let currency = periods
            .iter()
            .find_map(|p| p.credits.currency.clone())
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let mut line = vec![format!("credits paid{currency}"), String::new()];
        for p in periods {
            line.push(if p.credits.owed.is_zero() {
                "-".to_owned()
            } else if p.credits.capped {
                format!("{} cap", p.credits.paid.round_dp(2).normalize())
            } else {
                p.credits.paid.round_dp(2).normalize().to_string()
            });
        }
        grid.push(line);
    }
    if periods.iter().any(|p| !p.strikes.is_empty()) {
        let mut line = vec!["strikes".to_owned(), String::new()];
        for p in periods {
            let given: u32 = p.strikes.values().sum();
            line.push(if given == 0 {
                "-".to_owned()
            } else {
                given.to_string()
            });
        }
        grid.push(line);
    }
    write_grid(&grid, false, &mut out);
    if periods.iter().any(|p| p.running) {
        out.push_str("\n* still running: judged against the target pro rata to the days elapsed\n");
    }
    let counts = |s: Status| {
        periods
            .iter()
            .flat_map(|p| &p.obligations)
            .filter(|o| o.status == s)
            .count()
    };
    let _ = write!(
        out,
        "\n{} met, {} at risk, {} missed, {} without data",
        counts(Status::Met),
        counts(Status::AtRisk),
        counts(Status::Missed),
        counts(Status::NoData)
    );
    if !evaluation.strikes.is_empty() {
        let strikes: Vec<String> = evaluation
            .strikes
            .iter()
            .map(|(p, n)| format!("{p} {n}"))
            .collect();
        let _ = write!(out, "; strikes: {}", strikes.join(", "));
    }
    out.push('\n');
    if let Some(t) = &evaluation.terminated {
        let _ = writeln!(
            out,
            "terminated as of {}: {}",
            t.period,
            quoted_elided(&t.reason)
        );
    }
    datasets(evaluation, &mut out);
    out
}

/// What was read from each dataset, and the metrics computed from it per period.
fn datasets(evaluation: &Evaluation, out: &mut String) {
    for d in &evaluation.datasets {
        let excluded: u64 = d.excluded.values().sum();
        let _ = writeln!(
            out,
            "\ndataset {}: {} rows read from {}, {} used, {} excluded",
            d.dataset, d.rows, d.file, d.used, excluded
        );
    }
    if evaluation.metrics.is_empty() {
        return;
    }
    let mut periods: Vec<crate::model::period::Period> =
        evaluation.metrics.iter().map(|m| m.period).collect();
    periods.sort();
    periods.dedup();
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    for m in &evaluation.metrics {
        let key = (m.metric.clone(), m.segment.clone());
        if !names.contains(&key) {
            names.push(key);
        }
    }
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["metric".to_owned()];
    header.extend(periods.iter().map(|p| p.label()));
    grid.push(header);
    for (metric, segment) in &names {
        let unit = evaluation
            .metric_units
            .get(metric)
            .cloned()
            .unwrap_or(Unit::Number);
        let mut line = vec![match segment {
            Some(s) => format!("  {metric} [{s}]"),
            None => metric.clone(),
        }];
        for p in &periods {
            let value = evaluation
                .metrics
                .iter()
                .find(|m| m.metric == *metric && m.segment == *segment && m.period == *p)
                .map_or("-".to_owned(), |m| format_value(m.value, &unit));
            line.push(value);
        }
        grid.push(line);
    }
    out.push_str("\ncomputed from the datasets:\n");
    write_grid(&grid, true, out);
}

pub use crate::diagnostic::{elided, quoted_elided};

/// A cell padded with blanks to `width` characters, on the left when `right`
/// (padding by hand: a format width beyond 65,535 cannot be written).
pub fn padded(cell: &str, width: usize, right: bool) -> String {
    let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
    if right {
        format!("{pad}{cell}")
    } else {
        format!("{cell}{pad}")
    }
}

/// Cells padded to their column's width; `numbers` right-aligns all but the first.
/// Cells are elided to [`CELL`] characters and padded by hand, so that no name
/// makes a table unreadable (or a width too large to format).
fn write_grid(grid: &[Vec<String>], numbers: bool, out: &mut String) {
    let grid: Vec<Vec<String>> = grid
        .iter()
        .map(|row| row.iter().map(|c| elided(c)).collect())
        .collect();
    let columns = grid.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            grid.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in &grid {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| padded(cell, *w, i > 0 && numbers))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
}

/// One diagnostic per shortfall and for a termination, pointing into the agreement.
pub fn shortfalls(evaluation: &Evaluation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut strikes_so_far: std::collections::BTreeMap<String, u32> = Default::default();
    for p in &evaluation.periods {
        for (party, n) in &p.strikes {
            *strikes_so_far.entry(party.clone()).or_default() += n;
        }
        for o in &p.obligations {
            if matches!(o.status, Status::Missed | Status::AtRisk) {
                out.push(shortfall(p, o, evaluation, &strikes_so_far));
            }
        }
    }
    if let Some(t) = &evaluation.terminated {
        out.push(Diagnostic::new(Finding::Terminated {
            period: t.period.label(),
            reason: t.reason.clone(),
            obligations: t.obligations.clone(),
            span: t.span.into(),
        }));
    }
    out
}

fn shortfall(
    p: &PeriodResult,
    o: &Outcome,
    evaluation: &Evaluation,
    strikes_so_far: &std::collections::BTreeMap<String, u32>,
) -> Diagnostic {
    let who = match &o.segment {
        Some(s) => format!("`{}` (segment `{s}`)", o.id),
        None => format!("`{}`", o.id),
    };
    let numbers = match (o.actual, o.target, o.comparison) {
        (Some(a), Some(t), Some(op)) if o.rows.is_some() => {
            let rows = o
                .rows
                .as_ref()
                .map_or((0, 0, 0, 0), |r| (r.complied, r.rows, r.breached, r.open));
            let open = if rows.3 > 0 {
                format!(", {} never stopped", rows.3)
            } else {
                String::new()
            };
            format!(
                "{} of {} rows complied ({}), target {op} {}; {} breached{open}",
                rows.0,
                rows.1,
                format_value(a, &o.unit),
                format_value(t, &o.unit),
                rows.2
            )
        }
        (Some(a), Some(t), Some(op)) if o.unit == Unit::Deliveries => {
            format!(
                "{} of {} deliveries made (needs {op} {})",
                format_value(a, &o.unit),
                format_value(t, &o.unit),
                format_value(t, &o.unit)
            )
        }
        (Some(a), Some(t), Some(op)) => format!(
            "actual {}, target {op} {}",
            format_value(a, &o.unit),
            format_value(t, &o.unit)
        ),
        _ => String::new(),
    };
    let at_risk = o.status == Status::AtRisk;
    let verb = if at_risk { "is at risk" } else { "missed" };
    let mut help = Vec::new();
    if let Some(pacing) = &o.pacing {
        let mut line = format!(
            "{} of {} days elapsed",
            pacing.elapsed_days, pacing.total_days
        );
        if let Some(t) = pacing.target_to_date {
            let _ = write!(line, "; target so far {}", format_value(t, &o.unit));
        }
        if let Some(pr) = pacing.projected {
            let _ = write!(
                line,
                "; projected for the period {}",
                format_value(pr, &o.unit)
            );
        }
        help.push(line);
    }
    if let Some(band) = &o.band {
        help.push(format!("band `{band}`"));
    }
    if let Some(rows) = &o.rows
        && !rows.worst.is_empty()
    {
        let mut lines = vec![format!(
            "worst {} of {} breaching rows:",
            rows.worst.len(),
            rows.breached
        )];
        // Business time is counted in hours: "6d" of opening hours would read as
        // six calendar days.
        let clock = |seconds: Decimal| match &rows.business_hours {
            Some(calendar) => format!("{} of `{calendar}` hours", format_hours(seconds)),
            None => format_duration(seconds),
        };
        for b in &rows.worst {
            let key = b.key.as_deref().unwrap_or("-");
            let owner = b
                .owner
                .as_deref()
                .map(|o| format!(", {o}"))
                .unwrap_or_default();
            let how = match &b.stop {
                Some(stop) => format!(
                    "{} late ({} from {} to {})",
                    format_hours(b.late),
                    clock(b.elapsed),
                    minute(&b.start),
                    minute(stop)
                ),
                None => format!(
                    "never stopped ({} from {} to the end of the period)",
                    clock(b.elapsed),
                    minute(&b.start)
                ),
            };
            lines.push(format!("  line {}: {key}{owner}: {how}", b.line));
        }
        help.push(lines.join("\n"));
    }
    if let Some(r) = &o.remedy {
        if let Some(name) = &r.name {
            let mut line = format!("remedy `{name}`");
            if !r.actions.is_empty() {
                let _ = write!(line, ": {}", r.actions.join("; "));
            }
            help.push(line);
        }
        if !r.responsible.is_empty() {
            let people: Vec<String> = r
                .responsible
                .iter()
                .map(|resp| {
                    if resp.contacts.is_empty() {
                        resp.party.clone()
                    } else {
                        format!("{} ({})", resp.party, resp.contacts.join(", "))
                    }
                })
                .collect();
            help.push(format!("responsible: {}", people.join("; ")));
        }
        // Counted per period, so the first shortfall of a period already shows
        // the period's whole count: say which is which.
        for party in r.strike_against.iter() {
            let this_period = p.strikes.get(party).copied().unwrap_or(0);
            let in_all = strikes_so_far.get(party).copied().unwrap_or(0);
            help.push(format!(
                "strike against {party} ({this_period} in {period}, {in_all} in all through {period})",
                period = p.period
            ));
        }
        if let Some(credit) = r.credit {
            let currency = p.credits.currency.clone().unwrap_or_default();
            let mut line = format!("service credit {} {currency}", credit.round_dp(2));
            if p.credits.capped {
                let _ = write!(
                    line,
                    " (credits this period capped: {} of {} {currency} paid)",
                    p.credits.paid.round_dp(2),
                    p.credits.owed.round_dp(2)
                );
            }
            help.push(line.trim_end().to_owned());
        }
    }
    let mut root_label = None;
    if let Some(root) = &o.root_cause {
        let root_outcome = p
            .obligations
            .iter()
            .find(|x| *x.id == **root && x.segment.is_none());
        let detail = root_outcome
            .and_then(|r| match (r.actual, r.target, r.comparison) {
                (Some(a), Some(t), Some(op)) => Some(format!(
                    ": actual {}, target {op} {}",
                    format_value(a, &r.unit),
                    format_value(t, &r.unit)
                )),
                _ => None,
            })
            .unwrap_or_default();
        let parties = root_outcome
            .map(|r| format!(" ({} -> {})", r.by, r.for_))
            .filter(|t| {
                !o.root_cause_tier
                    .as_deref()
                    .is_some_and(|tier| t.contains(tier))
            })
            .unwrap_or_default();
        help.push(format!(
            "root cause: `{root}` fell short in {} too{detail} — tier {}{parties}",
            p.period,
            o.root_cause_tier.clone().unwrap_or_default()
        ));
        if o.excused {
            help.push(
                "excused: consequences follow the root cause, so this miss does not count towards termination"
                    .to_owned(),
            );
        }
        // The root cause's own promise, as a second place the finding points at.
        root_label = root_outcome.map(|r| crate::diagnostic::Label {
            file: crate::source::FileId::AGREEMENT,
            span: r.promise_span,
            text: Some(format!("root cause: `{root}` fell short here")),
            primary: false,
        });
    }
    if help.is_empty() {
        help.push("no remedy is attached; agree on one with `remedy` in the obligation".to_owned());
    }
    let _ = evaluation;
    let label = match (o.actual, o.target) {
        (Some(a), Some(t)) => format!(
            "{} vs {}",
            format_value(a, &o.unit),
            format_value(t, &o.unit)
        ),
        _ => "not met".to_owned(),
    };
    let (obligation, segment, period) = (o.id.to_string(), o.segment.clone(), p.period.label());
    let message = format!("{who} {verb} in {}: {numbers}", p.period);
    let (help, span) = (help.join("\n"), o.promise_span.into());
    let mut diagnostic = Diagnostic::new(if at_risk {
        Finding::AtRisk {
            obligation,
            segment,
            period,
            message,
            help,
            span,
            label,
        }
    } else {
        Finding::Missed {
            obligation,
            segment,
            period,
            message,
            help,
            span,
            label,
        }
    });
    diagnostic.labels.extend(root_label);
    diagnostic
}
