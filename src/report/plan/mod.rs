//! `slac plan`: the targets of one period as a calculation a person can follow line
//! by line — each input and let in dependency order with its formula as written, the
//! same formula with the numbers put in, and its value — then, for each obligation
//! whose promise compares something counted (a count, or money) with a target, the
//! target for the period and the daily pro-rata goal line (goal × day ÷ days in the
//! period, as `slac check --as-of` paces a running period). The numbers are worked
//! out exactly ([`worked`]); only their display is rounded, and the output says how.

mod formula;
pub mod worked;

use std::fmt::Write as _;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

use super::evaluation::{elided, padded};
use crate::data::Recorded;
use crate::eval::{Evaluation, Outcome, Status};
use crate::model::expr::{Comparison, Expr};
use crate::model::period::Period;
use crate::model::unit::Dim;
use crate::model::{Agreement, CmpOp, Definition, Obligation, Promise, ValueId};
use crate::source::SourceFile;
use formula::{Style, grouped, listed, show, wrapped};
use worked::{Recalculation, Unknown, Worked, Worth};

/// What to plan, and from what.
pub struct Plan<'a> {
    /// The agreement's text, for formulas as written.
    pub file: &'a SourceFile,
    /// The resolved agreement.
    pub model: &'a Agreement,
    /// The period to plan.
    pub period: Period,
    /// The values recorded; `None` when no data was given (recalculated inputs then
    /// use their `else` values).
    pub data: Option<&'a Recorded>,
    /// The judge's evaluation of the same data, for what happened in the period.
    pub evaluation: Option<&'a Evaluation>,
    /// A day to mark on the goal line.
    pub as_of: Option<Date>,
}

/// Why a period cannot be planned: a message and a help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// The period to plan: `--period` as written, else the one holding `as_of`, else the
/// first of the effective range. A period outside the range is an error.
pub fn choose_period(
    model: &Agreement,
    period: Option<&str>,
    as_of: Option<Date>,
) -> Result<Period, PeriodError> {
    let (first, last) = match (model.periods.first(), model.periods.last()) {
        (Some(first), Some(last)) => (*first, *last),
        _ => {
            return Err(PeriodError {
                message: format!("\"{}\" has no periods to plan", model.name),
                help: "check the agreement's `effective` range".to_owned(),
            });
        }
    };
    let range = if first == last {
        format!("the only period is {first}")
    } else {
        format!("its periods run from {first} to {last}")
    };
    let chosen = match (period, as_of) {
        (Some(text), _) => Period::parse(text, model.period).map_err(|e| PeriodError {
            message: format!("`--period {text}`: {e}"),
            help: format!("the agreement counts in {}s; {range}", model.period.word()),
        })?,
        (None, Some(day)) => Period::containing(day, model.period),
        (None, None) => first,
    };
    if model.covers(chosen) {
        return Ok(chosen);
    }
    let what = match (period, as_of) {
        (None, Some(day)) => format!("--as-of {day} falls in {chosen}, which"),
        _ => format!("period {chosen}"),
    };
    Err(PeriodError {
        message: format!(
            "{what} is outside the effective range of \"{}\" ({} to {})",
            model.name, model.from, model.to
        ),
        help: format!("choose a period with `--period`: {range}"),
    })
}

/// The goal to date at the end of day `day` of a period of `days` days: goal × day ÷
/// days, exact (as the judge paces a running period).
pub fn goal_to_date(goal: Decimal, day: i64, days: i64) -> Option<Decimal> {
    if days <= 0 {
        return None;
    }
    goal.checked_mul(Decimal::from(day))?
        .checked_div(Decimal::from(days))
}

/// How the goal line rounds a goal to date for display: toward the side where a
/// whole count, or an amount in cents, compares with the number shown just as with
/// the exact value — up for `>=`, `<` and `==`, down for `>` and `<=`.
pub fn goal_rounding(op: CmpOp) -> RoundingStrategy {
    match op {
        CmpOp::Ge | CmpOp::Lt | CmpOp::Eq => RoundingStrategy::ToPositiveInfinity,
        CmpOp::Gt | CmpOp::Le => RoundingStrategy::ToNegativeInfinity,
    }
}

/// A goal to date as the goal line shows it: two decimals, rounded by
/// [`goal_rounding`], thousands grouped.
pub fn shown_goal(value: Decimal, op: CmpOp) -> String {
    grouped(&format!(
        "{:.2}",
        value.round_dp_with_strategy(2, goal_rounding(op))
    ))
}

/// The plan as text.
pub fn render(plan: &Plan<'_>) -> String {
    let empty = Recorded::default();
    let store = plan.data.unwrap_or(&empty);
    let worked = worked::work_out(plan.model, store, plan.period);
    let w = Writer {
        plan,
        store,
        worked: &worked,
    };
    let period = plan.period;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — plan for {period}: {} to {}, {} days in {}",
        plan.model.name,
        period.start(),
        period.end(),
        period.days(),
        plan.model.zone_name
    );
    w.values(&mut out);
    let ops = w.obligations(&mut out);
    w.notes(&mut out, &ops);
    out
}

/// Writes the plan's sections from the worked-out values.
struct Writer<'a> {
    plan: &'a Plan<'a>,
    store: &'a Recorded,
    worked: &'a Worked,
}

/// One target of an obligation: the promise as a whole, or one segment's.
struct Column<'a> {
    label: Option<&'a str>,
    segment: Option<&'a str>,
    comparison: &'a Comparison,
}

impl Writer<'_> {
    /// Every input and let, in dependency order.
    fn values(&self, out: &mut String) {
        let model = self.model();
        if model.order.is_empty() {
            return;
        }
        let _ = writeln!(out, "\nInputs and lets, each after what it uses:");
        let in_period = |m: ValueId| self.in_period(m, None);
        for id in &model.order {
            let Some(value) = model.values.get(id.index()) else {
                continue;
            };
            let result = self
                .worked
                .value(*id)
                .cloned()
                .unwrap_or(Err(Unknown::Missing(Default::default())));
            let style = self.value_style(*id);
            match &value.definition {
                Definition::Fixed(e) => {
                    let chain = self.chain(e, &in_period, &result, &style);
                    let _ = writeln!(out, "  input {} = {chain}", value.name);
                }
                Definition::Let(e) => {
                    let chain = self.chain(e, &in_period, &result, &style);
                    let _ = writeln!(out, "  let {} = {chain}", value.name);
                }
                Definition::Recalculated {
                    formula,
                    periods,
                    fallback,
                } => {
                    let _ = writeln!(
                        out,
                        "  input {} = recalculated {} over {periods} period{} else {}",
                        value.name,
                        self.names(formula),
                        if *periods == 1 { "" } else { "s" },
                        self.names(fallback)
                    );
                    self.recalculated(out, *id, formula, fallback, &result, &style);
                }
                Definition::Metric(_) => {}
            }
        }
    }

    /// How a recalculated input got its value: the numbers over the window, or why
    /// the `else` value is used.
    fn recalculated(
        &self,
        out: &mut String,
        id: ValueId,
        formula: &Expr,
        fallback: &Expr,
        result: &Worth,
        style: &Style,
    ) {
        let name = self.name(id);
        let in_period = |m: ValueId| self.in_period(m, None);
        let fallback_because = |reason: String| {
            let chain = self.chain(fallback, &in_period, result, style);
            format!("    {name} = {chain} (the else value: {reason})\n")
        };
        let Some(recalculation) = self.worked.recalculation(id) else {
            out.push_str(&fallback_because("it was not worked out".to_owned()));
            return;
        };
        let (window, metrics, value) = match recalculation {
            Recalculation::ShortHistory { needed, available } => {
                let reason = format!(
                    "the effective range has {} of the {needed} periods before {}",
                    if *available == 0 {
                        "none".to_owned()
                    } else {
                        format!("only {available}")
                    },
                    self.worked.period
                );
                out.push_str(&fallback_because(reason));
                return;
            }
            Recalculation::Window {
                periods,
                metrics,
                value,
            } => (periods, metrics, value),
        };
        let span = match (window.first(), window.last()) {
            (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        if self.plan.data.is_none() {
            let reason = format!("no data was given to recalculate it over {span}");
            out.push_str(&fallback_because(reason));
            return;
        }
        for m in metrics {
            let style = self.value_style(m.metric);
            let mut rounded = false;
            let terms: Vec<String> = m
                .values
                .iter()
                .map(|(_, v)| match v {
                    Some(v) => {
                        let shown = show(*v, &style);
                        rounded |= !shown.exact;
                        shown.text
                    }
                    None => "?".to_owned(),
                })
                .collect();
            let missing: Vec<String> = m
                .values
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(p, _)| p.to_string())
                .collect();
            let mut line = format!("    {} over {span} = ", m.name);
            let joined = terms.join(" + ");
            match (m.combined, terms.len()) {
                (Some(v), 1) => line.push_str(&show(v, &style).text),
                (Some(v), n) => {
                    let shown = show(v, &style);
                    let sign = if shown.exact && !rounded { "=" } else { "≈" };
                    if m.summed {
                        let _ = write!(line, "{joined} {sign} {} (summed)", shown.text);
                    } else {
                        let _ = write!(line, "({joined}) ÷ {n} {sign} {} (averaged)", shown.text);
                    }
                }
                (None, _) if missing.is_empty() => {
                    let _ = write!(line, "{joined}: too large to add up exactly");
                }
                (None, _) => {
                    let _ = write!(line, "{joined}: no value in {}", missing.join(", "));
                }
            }
            let _ = writeln!(out, "{line}");
        }
        match value {
            Ok(_) => {
                let combined = |m: ValueId| {
                    metrics
                        .iter()
                        .find(|w| w.metric == m)
                        .and_then(|w| w.combined)
                };
                let chain = self.chain(formula, &combined, result, style);
                let _ = writeln!(out, "    {name} = {chain} (recalculated over {span})");
            }
            Err(Unknown::Missing(names)) if !names.is_empty() => {
                let reason = format!(
                    "{} lack{} a value over {span}",
                    listed(names.iter().map(String::as_str)),
                    if names.len() == 1 { "s" } else { "" }
                );
                out.push_str(&fallback_because(reason));
            }
            Err(u) => {
                let what = match u {
                    Unknown::Missing(_) => "uses a value that is unknown",
                    Unknown::DivisionByZero => "divides by zero",
                    Unknown::Overflow => "gives more than 28 significant digits",
                };
                out.push_str(&fallback_because(format!(
                    "over {span}, the formula {what}"
                )));
            }
        }
    }

    /// The targets and goal lines of the obligations that accumulate over the
    /// period; then the others, judged on the period as a whole. Returns the
    /// comparisons of the goal lines shown.
    fn obligations(&self, out: &mut String) -> Vec<CmpOp> {
        let period = self.worked.period;
        let days = period.days();
        let mut ops = Vec::new();
        let mut whole: Vec<String> = Vec::new();
        let mut header = false;
        for o in &self.model().obligations {
            let (columns, others) = self.columns(o);
            for line in others {
                whole.push(line);
            }
            if columns.is_empty() {
                continue;
            }
            if !header {
                let _ = writeln!(
                    out,
                    "\nTargets for {period}, and the goal line: target × day ÷ {days}, by the end of each day:"
                );
                header = true;
            }
            let _ = writeln!(
                out,
                "  {} ({} owes {})",
                o.name,
                self.model().party(o.owner),
                self.model().party(o.beneficiary)
            );
            let mut paced = Vec::new();
            let label_width = columns
                .iter()
                .filter_map(|c| c.label.map(|l| l.chars().count()))
                .max()
                .unwrap_or(0);
            for c in &columns {
                let target =
                    self.worked
                        .eval(self.model(), self.store, &c.comparison.right, c.segment);
                let metric = |m: ValueId| self.in_period(m, c.segment);
                let style = self.compared_style(c.comparison);
                let chain = self.chain(&c.comparison.right, &metric, &target, &style);
                let label = c
                    .label
                    .map(|l| padded(&format!("{l}:"), label_width + 2, false))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    {label}{} {} {chain}",
                    self.names(&c.comparison.left),
                    c.comparison.op.symbol()
                );
                if let Some(judged) = self.judged(o, c.segment) {
                    let _ = writeln!(out, "      {}", self.judged_line(judged, &style, &target));
                }
                if let Ok(goal) = target {
                    paced.push((c, goal, style));
                    if !ops.contains(&c.comparison.op) {
                        ops.push(c.comparison.op);
                    }
                }
            }
            if !paced.is_empty() {
                self.goal_table(out, &paced);
            }
        }
        if !whole.is_empty() {
            let _ = writeln!(out, "\nJudged on the period as a whole, not pro rata:");
            for line in whole {
                let _ = writeln!(out, "  {line}");
            }
        }
        ops
    }

    /// An obligation's paced targets, and a line for each target judged as a whole.
    fn columns<'o>(&self, o: &'o Obligation) -> (Vec<Column<'o>>, Vec<String>) {
        let model = self.model();
        let by = format!(
            "{} ({} owes {})",
            o.name,
            model.party(o.owner),
            model.party(o.beneficiary)
        );
        let (promise, per) = match &o.promise {
            Promise::Compare { promise, per, .. } => (promise, per),
            Promise::Deliver { what, every, .. } => {
                return (
                    Vec::new(),
                    vec![format!(
                        "{by}: \"{what}\" every {}, judged by the deliveries logged",
                        every.word()
                    )],
                );
            }
            Promise::Rows(record) => {
                let share = show(record.at_least, &Style::Percent).text;
                let dataset = model
                    .datasets
                    .get(record.dataset.index())
                    .map_or("?", |d| d.name.as_str());
                return (
                    Vec::new(),
                    vec![format!(
                        "{by}: at least {share} of the rows of `{dataset}` within their time limit, a share"
                    )],
                );
            }
        };
        let labelled = !per.is_empty();
        let mut all: Vec<Column<'o>> = Vec::new();
        if let Some(c) = promise {
            all.push(Column {
                label: labelled.then_some("all"),
                segment: None,
                comparison: c,
            });
        }
        all.extend(per.iter().map(|t| Column {
            label: Some(t.value.as_str()),
            segment: Some(t.value.as_str()),
            comparison: &t.promise,
        }));
        let mut others = Vec::new();
        let mut columns = Vec::new();
        for c in all {
            match &c.comparison.left.unit {
                Some(Dim::Count | Dim::Money(_)) => columns.push(c),
                unit => {
                    let what = match unit {
                        Some(Dim::Duration) => "a duration",
                        _ if self.is_percent(&c.comparison.left, 0) => "a share",
                        _ => "a number (an average or a rate)",
                    };
                    let metric = |m: ValueId| self.in_period(m, c.segment);
                    let target =
                        self.worked
                            .eval(model, self.store, &c.comparison.right, c.segment);
                    let chain = self.chain(
                        &c.comparison.right,
                        &metric,
                        &target,
                        &self.compared_style(c.comparison),
                    );
                    let label = c.label.map(|l| format!(" {l}")).unwrap_or_default();
                    others.push(format!(
                        "{by}{label}: {} {} {chain}, {what}",
                        self.names(&c.comparison.left),
                        c.comparison.op.symbol(),
                    ));
                }
            }
        }
        (columns, others)
    }

    /// The judge's outcome for an obligation (or one segment of it) in the period.
    fn judged(&self, o: &Obligation, segment: Option<&str>) -> Option<&Outcome> {
        let judged = self
            .plan
            .evaluation?
            .periods
            .iter()
            .find(|p| p.period == self.worked.period)?;
        judged
            .obligations
            .iter()
            .find(|out| *out.id == *o.name && out.segment.as_deref() == segment)
    }

    /// What the data says about a target: the actual and the status, and where the
    /// judge's target differs from the plan's, both.
    fn judged_line(&self, outcome: &Outcome, style: &Style, target: &Worth) -> String {
        let status = match outcome.status {
            Status::Met => "met",
            Status::AtRisk => "at risk",
            Status::NoData => "no data",
            Status::Missed => "missed",
        };
        let period = self.worked.period;
        let mut line = match (outcome.actual, &outcome.pacing, self.plan.as_of) {
            (None, ..) if outcome.missing.is_empty() => {
                format!("in the data: no value in {period}, so {status}")
            }
            (None, ..) => format!(
                "in the data: no value of {} in {period}, so {status}",
                listed(outcome.missing.iter().map(String::as_str))
            ),
            (Some(actual), Some(p), Some(day)) => {
                let mut line = format!(
                    "in the data up to {day} (day {} of {}): {}, {status}",
                    p.elapsed_days,
                    p.total_days,
                    show(actual, style).text
                );
                if let Some(projected) = p.projected {
                    let _ = write!(
                        line,
                        "; projected to the period's end: {}",
                        show(projected, style).text
                    );
                }
                line
            }
            (Some(actual), ..) => format!("in the data: {}, {status}", show(actual, style).text),
        };
        if let (Some(judge), Ok(plan)) = (outcome.target, target)
            && judge != *plan
        {
            let _ = write!(
                line,
                " (the judge's target is {}, not {}: please report this)",
                judge.normalize(),
                plan.normalize()
            );
        }
        line
    }

    /// The goal to date for each day of the period, a column per target.
    fn goal_table(&self, out: &mut String, paced: &[(&Column<'_>, Decimal, Style)]) {
        let period = self.worked.period;
        let days = period.days();
        let headers: Vec<String> = paced
            .iter()
            .map(|(c, _, style)| {
                let label = c
                    .label
                    .map_or_else(|| self.names(&c.comparison.left), str::to_owned);
                let unit = match style {
                    Style::Money(currency) => format!(" ({currency})"),
                    _ => String::new(),
                };
                format!("{} {}{unit}", elided(&label), c.comparison.op.symbol())
            })
            .collect();
        let mut rows: Vec<(i64, Date, Vec<String>)> = Vec::new();
        let mut date = period.start();
        for day in 1..=days {
            let cells = paced
                .iter()
                .map(|(c, goal, _)| {
                    goal_to_date(*goal, day, days)
                        .map_or("?".to_owned(), |v| shown_goal(v, c.comparison.op))
                })
                .collect();
            rows.push((day, date, cells));
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        let widths: Vec<usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                rows.iter()
                    .filter_map(|(_, _, cells)| cells.get(i))
                    .map(|c| c.chars().count())
                    .chain([h.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut line = String::from("\n    day  date      ");
        for (h, w) in headers.iter().zip(&widths) {
            let _ = write!(line, "  {}", padded(h, *w, true));
        }
        let _ = writeln!(out, "{line}");
        for (day, date, cells) in rows {
            let mut line = format!("    {day:>3}  {date}");
            for (cell, w) in cells.iter().zip(&widths) {
                let _ = write!(line, "  {}", padded(cell, *w, true));
            }
            if self.plan.as_of == Some(date) {
                line.push_str("  ← as of");
            }
            let _ = writeln!(out, "{line}");
        }
    }

    /// How the numbers were worked out and rounded.
    fn notes(&self, out: &mut String, ops: &[CmpOp]) {
        let _ = writeln!(out, "\nNotes:");
        let mut notes = vec![
            "Every value is worked out exactly, in decimal arithmetic; a number is shown to 2 \
             decimals (rounded half away from zero), with ≈ where that rounded it."
                .to_owned(),
        ];
        if self.plan.data.is_none() {
            notes.push(
                "No data was given: a recalculated input uses its else value, and a target \
                 that needs a metric's value is unknown."
                    .to_owned(),
            );
        }
        if !ops.is_empty() {
            let (mut up, mut down) = (Vec::new(), Vec::new());
            for op in ops {
                match goal_rounding(*op) {
                    RoundingStrategy::ToNegativeInfinity => down.push(op.symbol()),
                    _ => up.push(op.symbol()),
                }
            }
            let mut rules = Vec::new();
            if !up.is_empty() {
                rules.push(format!("rounded up (ceiling) for {}", up.join(" and ")));
            }
            if !down.is_empty() {
                rules.push(format!("rounded down (floor) for {}", down.join(" and ")));
            }
            notes.push(format!(
                "Goal line: the goal to date is target × day ÷ {}, worked out exactly; it is \
                 shown to 2 decimals, {}, so that a whole count (or an amount in cents) \
                 compares with the number shown just as with the exact pace, which is what \
                 `slac check --as-of` holds a running period to.",
                self.worked.period.days(),
                rules.join(", ")
            ));
        }
        for note in notes {
            out.push_str(&wrapped(&note, 88, "  "));
        }
    }
}
