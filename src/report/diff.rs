//! `slac diff`: what a change to an agreement means, in the agreement's words —
//! declarations added, dropped or changed (whitespace and comments never count: texts
//! are compared token by token), each obligation's owner, tier, promise, bands and
//! remedy, the targets and derived values before and after (worked out for one period
//! as the judge would), and, given data, the outcomes that would have come out
//! differently. Reads two resolved models and their texts; renders as text or as
//! Markdown for a pull-request comment.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::evaluation::format_value;
use super::plan::worked::{Worked, work_out};
use crate::Compiled;
use crate::data::Recorded;
use crate::eval::{Evaluation, Status};
use crate::model::expr::{Comparison, ExprKind};
use crate::model::period::Period;
use crate::model::unit::Unit;
use crate::model::{Agreement, CmpOp, Definition, Promise, RemedyUse, Span};
use crate::source::SourceFile;

/// One side of a diff: the compiled agreement, its model, and (given data) how it
/// was judged.
pub struct Side<'a> {
    /// The agreement, compiled.
    pub compiled: &'a Compiled,
    /// Its resolved model.
    pub model: &'a Agreement,
    /// Its judgement against the data, when data was given.
    pub evaluation: Option<&'a Evaluation>,
}

/// What changed, in sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The period targets and values were worked out for.
    pub period: String,
    /// Sections (`Obligations`, `Inputs and lets` …), each with its lines.
    pub sections: Vec<(String, Vec<String>)>,
    /// Outcomes that come out differently with the same data: period, obligation
    /// and what changed.
    pub outcomes: Vec<String>,
}

impl Diff {
    /// Whether the change means nothing (whitespace, comments, order).
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.outcomes.is_empty()
    }
}

/// A declaration's text with whitespace and comments taken out: tokens one space
/// apart, as the formatter reads them.
fn canonical(file: &SourceFile, span: Span) -> String {
    file.slice(span)
        .lines()
        .flat_map(|l| crate::format::read_line(l).pieces)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `name -> canonical text` of the declarations of one kind.
type Texts = BTreeMap<String, String>;

/// Lines for declarations added, dropped, or changed, of one kind. A kind compared
/// by name alone (empty texts) is named without a text.
fn compare(kind: &str, old: &Texts, new: &Texts, lines: &mut Vec<String>) {
    for (name, text) in new {
        match old.get(name) {
            None if text.is_empty() => lines.push(format!("added {kind} `{name}`")),
            None => lines.push(format!("added {kind} `{name}`: `{text}`")),
            Some(before) if before != text => {
                lines.push(format!("changed {kind} `{name}`: `{before}` → `{text}`"));
            }
            Some(_) => {}
        }
    }
    for (name, text) in old {
        match (new.contains_key(name), text.is_empty()) {
            (true, _) => {}
            (false, true) => lines.push(format!("dropped {kind} `{name}`")),
            (false, false) => lines.push(format!("dropped {kind} `{name}` (was `{text}`)")),
        }
    }
}

fn push(sections: &mut Vec<(String, Vec<String>)>, title: &str, lines: Vec<String>) {
    if !lines.is_empty() {
        sections.push((title.to_owned(), lines));
    }
}

/// The period targets are worked out for: `period` when both agreements have it,
/// else the first period the new agreement is in force.
fn reference_period(old: &Agreement, new: &Agreement, period: Option<&str>) -> Option<Period> {
    let chosen = period.and_then(|p| new.periods.iter().find(|x| x.label() == p));
    chosen
        .or_else(|| new.periods.iter().find(|p| old.periods.contains(p)))
        .or_else(|| new.periods.first())
        .copied()
}

/// A target's value in a period, written in the unit of what it is compared with
/// (a percent metric's target as a percentage).
fn target(model: &Agreement, worked: &Worked, c: &Comparison) -> Option<(Decimal, String)> {
    let value = worked
        .eval(model, &Recorded::default(), &c.right, None)
        .ok()?;
    let metric = match &c.left.kind {
        ExprKind::Value(id) => match &model.values.get(id.index())?.definition {
            Definition::Metric(m) => Some(Unit::of_metric(&m.ty)),
            _ => None,
        },
        _ => None,
    };
    let unit = metric.unwrap_or_else(|| Unit::of(c.right.unit.as_ref(), false));
    Some((value, format_value(value, &unit)))
}

/// "raised" or "lowered", and whether that asks more of the owner.
fn direction(op: CmpOp, before: Decimal, after: Decimal) -> &'static str {
    let raised = after > before;
    let stricter = match op {
        CmpOp::Ge | CmpOp::Gt => raised,
        CmpOp::Le | CmpOp::Lt => !raised,
        CmpOp::Eq => return "changed",
    };
    match (raised, stricter) {
        (true, true) => "raised (asks more)",
        (true, false) => "raised (asks less)",
        (false, true) => "lowered (asks more)",
        (false, false) => "lowered (asks less)",
    }
}

/// Works out what changed from `old` to `new`.
pub fn diff(old: &Side<'_>, new: &Side<'_>, period: Option<&str>) -> Diff {
    let (om, nm) = (old.model, new.model);
    let (of, nf) = (&old.compiled.file, &new.compiled.file);
    let mut sections = Vec::new();

    // The header, field by field.
    let mut header = Vec::new();
    let field = |what: &str, a: String, b: String, out: &mut Vec<String>| {
        if a != b {
            out.push(format!("{what}: {a} → {b}"));
        }
    };
    field("name", om.name.clone(), nm.name.clone(), &mut header);
    field(
        "summary",
        format!("{:?}", om.summary.as_deref().unwrap_or("")),
        format!("{:?}", nm.summary.as_deref().unwrap_or("")),
        &mut header,
    );
    field(
        "kind",
        format!("{:?}", om.kind).to_lowercase(),
        format!("{:?}", nm.kind).to_lowercase(),
        &mut header,
    );
    field(
        "period",
        format!("{:?} in {}", om.period, om.zone_name).to_lowercase(),
        format!("{:?} in {}", nm.period, nm.zone_name).to_lowercase(),
        &mut header,
    );
    field(
        "effective",
        format!("{} to {}", om.from, om.to),
        format!("{} to {}", nm.from, nm.to),
        &mut header,
    );
    push(&mut sections, "Agreement", header);

    // Parties with their contacts, tiers, segments.
    let mut parties = Vec::new();
    let party_texts = |m: &Agreement, f: &SourceFile| -> Texts {
        m.parties
            .iter()
            .map(|p| (p.name.clone(), canonical(f, p.span)))
            .collect()
    };
    compare(
        "party",
        &party_texts(om, of),
        &party_texts(nm, nf),
        &mut parties,
    );
    let tiers = |m: &Agreement| -> Texts {
        m.tiers
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    format!("{} -> {}", m.party(t.from), m.party(t.to)),
                )
            })
            .collect()
    };
    compare("tier", &tiers(om), &tiers(nm), &mut parties);
    let segments = |m: &Agreement| -> Texts {
        m.segments
            .iter()
            .map(|s| (s.name.clone(), s.values.join(", ")))
            .collect()
    };
    compare("segment", &segments(om), &segments(nm), &mut parties);
    push(&mut sections, "Parties, tiers and segments", parties);

    // Inputs, lets and metrics: definitions, then the values they work out to.
    let Some(period_worked) = reference_period(om, nm, period) else {
        return Diff {
            sections,
            ..Diff::default()
        };
    };
    let mut values_lines = Vec::new();
    let kind_of = |d: &Definition| match d {
        Definition::Fixed(_) | Definition::Recalculated { .. } => "input",
        Definition::Let(_) => "let",
        Definition::Metric(_) => "metric",
    };
    for kind in ["input", "let", "metric"] {
        let texts = |m: &Agreement, f: &SourceFile| -> Texts {
            m.values
                .iter()
                .filter(|v| kind_of(&v.definition) == kind)
                .map(|v| {
                    let text = match v.definition {
                        Definition::Metric(_) => canonical(f, v.declared),
                        _ => definition_text(f, &v.definition),
                    };
                    (v.name.clone(), text)
                })
                .collect()
        };
        compare(kind, &texts(om, of), &texts(nm, nf), &mut values_lines);
    }
    let (ow, nw) = (
        work_out(om, &Recorded::default(), period_worked),
        work_out(nm, &Recorded::default(), period_worked),
    );
    for (id, v) in nm.values.iter().enumerate() {
        // A fixed input's change is its new text, said above.
        if matches!(v.definition, Definition::Metric(_) | Definition::Fixed(_)) {
            continue;
        }
        let Some(old_id) = om.value_named(&v.name) else {
            continue;
        };
        let new_id = crate::model::ValueId(id as u32);
        let (Some(Ok(a)), Some(Ok(b))) = (ow.value(old_id), nw.value(new_id)) else {
            continue;
        };
        if a != b {
            let unit = Unit::of(v.unit.as_ref(), false);
            let shown = |x: Decimal| format_value(x, &unit);
            values_lines.push(format!(
                "`{}` works out to {} → {}",
                v.name,
                shown(*a),
                shown(*b)
            ));
        }
    }
    push(&mut sections, "Inputs, lets and metrics", values_lines);

    // Obligations: added, dropped, and what changed in each.
    let mut obligations = Vec::new();
    for o in &nm.obligations {
        let Some(before) = om.obligations.iter().find(|x| x.name == o.name) else {
            obligations.push(format!(
                "added obligation `{}`: {} owes {}: `{}`",
                o.name,
                nm.party(o.owner),
                nm.party(o.beneficiary),
                promise_text(nf, &o.promise)
            ));
            continue;
        };
        let mut lines = Vec::new();
        field(
            "owed by → to",
            format!(
                "{} → {}",
                om.party(before.owner),
                om.party(before.beneficiary)
            ),
            format!("{} → {}", nm.party(o.owner), nm.party(o.beneficiary)),
            &mut lines,
        );
        field("tier", before.tier.clone(), o.tier.clone(), &mut lines);
        let requires = |m: &Agreement, ids: &[crate::model::ObligationId]| {
            let mut names: Vec<&str> = ids
                .iter()
                .filter_map(|i| m.obligations.get(i.index()).map(|x| x.name.as_str()))
                .collect();
            names.sort_unstable();
            format!("[{}]", names.join(", "))
        };
        field(
            "requires",
            requires(om, &before.requires),
            requires(nm, &o.requires),
            &mut lines,
        );
        let (pa, pb) = (
            promise_text(of, &before.promise),
            promise_text(nf, &o.promise),
        );
        if pa != pb {
            lines.push(format!("promise `{pa}` → `{pb}`"));
        }
        // The target's value, which also moves when an input it uses does.
        if let (Some(a), Some(b)) = (comparison(&before.promise), comparison(&o.promise))
            && let (Some((va, ta)), Some((vb, tb))) = (target(om, &ow, a), target(nm, &nw, b))
            && va != vb
        {
            lines.push(format!(
                "target {} from {ta} to {tb} in {}",
                direction(b.op, va, vb),
                period_worked
            ));
        }
        let (ba, bb) = (
            bands_text(om, of, &before.promise),
            bands_text(nm, nf, &o.promise),
        );
        if ba != bb {
            lines.push(format!("bands `{ba}` → `{bb}`"));
        }
        let (ra, rb) = (
            remedy_text(om, of, before.remedy.as_ref()),
            remedy_text(nm, nf, o.remedy.as_ref()),
        );
        if ra != rb {
            lines.push(format!("remedy {ra} → {rb}"));
        }
        for line in lines {
            obligations.push(format!("`{}`: {line}", o.name));
        }
    }
    for o in &om.obligations {
        if !nm.obligations.iter().any(|x| x.name == o.name) {
            obligations.push(format!(
                "dropped obligation `{}` ({} owed {}: `{}`)",
                o.name,
                om.party(o.owner),
                om.party(o.beneficiary),
                promise_text(of, &o.promise)
            ));
        }
    }
    push(&mut sections, "Obligations", obligations);

    // Remedies, caps, termination, calendars, datasets.
    let mut rest = Vec::new();
    let remedies = |m: &Agreement, f: &SourceFile| -> Texts {
        m.remedies
            .iter()
            .map(|r| {
                let mut text: Vec<String> = r.actions.iter().map(|a| format!("{a:?}")).collect();
                text.extend(
                    r.credits
                        .iter()
                        .map(|c| format!("credit {}", canonical(f, c.span))),
                );
                for s in &r.strikes {
                    text.push(match s {
                        Some(p) => format!("strike against {}", m.party(*p)),
                        None => "strike".to_owned(),
                    });
                }
                (r.name.clone(), text.join("; "))
            })
            .collect()
    };
    compare("remedy", &remedies(om, of), &remedies(nm, nf), &mut rest);
    let listed =
        |items: Vec<String>| -> Texts { items.into_iter().map(|t| (t.clone(), t)).collect() };
    let caps = |m: &Agreement, f: &SourceFile| {
        listed(
            m.caps
                .iter()
                .map(|c| {
                    format!(
                        "cap credits at {} per {:?}",
                        canonical(f, c.amount.span),
                        c.per
                    )
                    .to_lowercase()
                })
                .collect(),
        )
    };
    compare("cap", &caps(om, of), &caps(nm, nf), &mut rest);
    let terms = |m: &Agreement, f: &SourceFile| {
        listed(
            m.terminations
                .iter()
                .map(|t| canonical(f, t.span))
                .collect(),
        )
    };
    compare(
        "termination rule",
        &terms(om, of),
        &terms(nm, nf),
        &mut rest,
    );
    let named =
        |names: Vec<String>| -> Texts { names.into_iter().map(|n| (n, String::new())).collect() };
    let calendars = |m: &Agreement| named(m.calendars.iter().map(|c| c.name.clone()).collect());
    compare("calendar", &calendars(om), &calendars(nm), &mut rest);
    let datasets = |m: &Agreement| named(m.datasets.iter().map(|d| d.name.clone()).collect());
    compare("dataset", &datasets(om), &datasets(nm), &mut rest);
    push(
        &mut sections,
        "Remedies, caps, termination, calendars and datasets",
        rest,
    );

    Diff {
        period: period_worked.label(),
        outcomes: outcomes(old.evaluation, new.evaluation),
        sections,
    }
}

/// An input's or let's definition as written (a metric is compared as declared).
fn definition_text(f: &SourceFile, d: &Definition) -> String {
    match d {
        Definition::Fixed(e) | Definition::Let(e) => canonical(f, e.span),
        Definition::Recalculated {
            formula,
            periods,
            fallback,
        } => format!(
            "recalculated {} over {periods} periods else {}",
            canonical(f, formula.span),
            canonical(f, fallback.span)
        ),
        // A metric as declared (type, segment, aggregate, description).
        Definition::Metric(_) => String::new(),
    }
}

fn comparison(p: &Promise) -> Option<&Comparison> {
    match p {
        Promise::Compare { promise, .. } => promise.as_ref(),
        _ => None,
    }
}

fn promise_text(f: &SourceFile, p: &Promise) -> String {
    match p {
        Promise::Compare { promise, per, .. } => {
            let mut text = promise
                .as_ref()
                .map_or_else(String::new, |c| canonical(f, c.span));
            for t in per {
                let _ = write!(text, "; {}: {}", t.value, canonical(f, t.promise.span));
            }
            text
        }
        Promise::Rows(r) => canonical(f, r.span),
        Promise::Deliver { span, .. } => canonical(f, *span),
    }
}

fn remedy_name(m: &Agreement, id: crate::model::RemedyId) -> &str {
    m.remedies.get(id.index()).map_or("", |r| r.name.as_str())
}

fn bands_text(m: &Agreement, f: &SourceFile, p: &Promise) -> String {
    let Promise::Compare {
        bands: Some(bands), ..
    } = p
    else {
        return String::new();
    };
    bands
        .iter()
        .map(|b| {
            let when = b
                .when
                .as_ref()
                .map(|w| format!(" when {}", canonical(f, w.span)))
                .unwrap_or_default();
            let remedy = match &b.remedy {
                Some(RemedyUse::Named(id)) => format!(" remedy {}", remedy_name(m, *id)),
                Some(RemedyUse::Credit(e)) => format!(" remedy credit {}", canonical(f, e.span)),
                None => String::new(),
            };
            format!("{}{when}{remedy}", b.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn remedy_text(m: &Agreement, f: &SourceFile, r: Option<&RemedyUse>) -> String {
    match r {
        None => "none".to_owned(),
        Some(RemedyUse::Named(id)) => format!("`{}`", remedy_name(m, *id)),
        Some(RemedyUse::Credit(e)) => format!("`credit {}`", canonical(f, e.span)),
    }
}

/// Outcomes that differ between the two judgements of the same data.
fn outcomes(old: Option<&Evaluation>, new: Option<&Evaluation>) -> Vec<String> {
    let (Some(old), Some(new)) = (old, new) else {
        return Vec::new();
    };
    let word = |s: Status| match s {
        Status::Met => "met",
        Status::AtRisk => "at risk",
        Status::NoData => "without data",
        Status::Missed => "missed",
    };
    let mut lines = Vec::new();
    // The old outcomes by period, obligation and segment: looked up, not searched.
    let before: std::collections::HashMap<_, &crate::eval::Outcome> = old
        .periods
        .iter()
        .flat_map(|p| {
            p.obligations
                .iter()
                .map(move |o| ((p.period, &o.id, &o.segment), o))
        })
        .collect();
    for p in &new.periods {
        for o in &p.obligations {
            let was = before.get(&(p.period, &o.id, &o.segment)).copied();
            let who = match &o.segment {
                Some(s) => format!("`{}` [{s}]", o.id),
                None => format!("`{}`", o.id),
            };
            let numbers = |x: &crate::eval::Outcome| match (x.actual, x.target) {
                (Some(a), Some(t)) => format!(
                    " (actual {}, target {})",
                    format_value(a, &x.unit),
                    format_value(t, &x.unit)
                ),
                _ => String::new(),
            };
            match was {
                Some(w) if w.status != o.status => lines.push(format!(
                    "{}: {who} would have been {} (was {}){}",
                    p.period,
                    word(o.status),
                    word(w.status),
                    numbers(o)
                )),
                None => lines.push(format!(
                    "{}: {who} would be judged: {}{}",
                    p.period,
                    word(o.status),
                    numbers(o)
                )),
                _ => {}
            }
        }
    }
    lines
}

/// The diff as text for a terminal.
pub fn text(name: &str, d: &Diff) -> String {
    let mut out = String::new();
    if d.is_empty() {
        let _ = writeln!(out, "{name}: no change in meaning");
        return out;
    }
    let _ = writeln!(
        out,
        "{name}: what the change means (targets worked out for {})",
        d.period
    );
    for (title, lines) in &d.sections {
        let _ = writeln!(out, "\n{title}:");
        for l in lines {
            let _ = writeln!(out, "  - {}", l.replace('`', ""));
        }
    }
    if !d.outcomes.is_empty() {
        let _ = writeln!(out, "\nWith the same data:");
        for l in &d.outcomes {
            let _ = writeln!(out, "  - {}", l.replace('`', ""));
        }
    }
    out
}

/// The diff as Markdown, for a pull-request comment.
pub fn markdown(name: &str, d: &Diff) -> String {
    let mut out = String::new();
    if d.is_empty() {
        let _ = writeln!(out, "### `{name}`: no change in meaning");
        return out;
    }
    let _ = writeln!(out, "### `{name}`: what this change means\n");
    let _ = writeln!(out, "Targets and values are worked out for {}.", d.period);
    for (title, lines) in &d.sections {
        let _ = writeln!(out, "\n**{title}**\n");
        for l in lines {
            let _ = writeln!(out, "- {l}");
        }
    }
    if !d.outcomes.is_empty() {
        let _ = writeln!(out, "\n**With the same data**\n");
        for l in &d.outcomes {
            let _ = writeln!(out, "- {l}");
        }
    }
    out
}
