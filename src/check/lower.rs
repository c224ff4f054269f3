//! Lowering a valid syntax tree into the resolved model: names become ids, each
//! clause is taken once, every expression gets its unit, calendars are built. Runs
//! only on an agreement the checker found no error in, so every name resolves;
//! anything that does not is an internal inconsistency, and yields no model.

use rustc_hash::FxHashMap;

use super::Model;
use super::lower_rows::RowNames;
use crate::model::calendar::BusinessCalendar;
use crate::model::expr::{Comparison, Expr, ExprKind};
use crate::model::period;
use crate::model::unit::{self, Dim};
use crate::model::{
    Agreement, Band, Calendar, Cap, Contact, DatasetId, Definition, Index, Metric, Obligation,
    ObligationId, Party, PartyId, Promise, Remedy, RemedyId, RemedyUse, Segment, SegmentId,
    SegmentTarget, Termination, Tier, Value, ValueId,
};
use crate::source::SourceFile;
use crate::syntax::ast::{self, InputValue, Item, TerminateSubject};

/// Ids by name, per kind of declaration.
struct Names<'a> {
    parties: FxHashMap<&'a str, PartyId>,
    segments: FxHashMap<&'a str, SegmentId>,
    values: FxHashMap<&'a str, ValueId>,
    obligations: FxHashMap<&'a str, ObligationId>,
    remedies: FxHashMap<&'a str, RemedyId>,
    datasets: FxHashMap<&'a str, DatasetId>,
    /// Columns and calendars, for the datasets' rows.
    rows: RowNames<'a>,
    /// Each value's unit, by value id: looked up once per value, not per use.
    units: Vec<Option<Dim>>,
}

fn index<'a, I>(names: impl Iterator<Item = &'a str>, id: fn(u32) -> I) -> FxHashMap<&'a str, I> {
    let mut map = FxHashMap::default();
    for (i, name) in names.enumerate() {
        map.entry(name).or_insert(id(i as u32));
    }
    map
}

fn owned<I: Copy>(map: &FxHashMap<&str, I>) -> FxHashMap<String, I> {
    map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// The resolved model of a valid agreement; `None` if the tree lacks something the
/// checker requires (it reported that).
pub fn lower(ast: &ast::Agreement, checked: &Model, file: &SourceFile) -> Option<Agreement> {
    let items = &ast.items;
    let parties: Vec<&ast::Party> = items
        .iter()
        .filter_map(|i| match i {
            Item::Party(p) => Some(p),
            _ => None,
        })
        .collect();
    let segments: Vec<&ast::Segment> = items
        .iter()
        .filter_map(|i| match i {
            Item::Segment(s) => Some(s),
            _ => None,
        })
        .collect();
    let values: Vec<&Item> = items
        .iter()
        .filter(|i| matches!(i, Item::Input(_) | Item::Let(_) | Item::Metric(_)))
        .collect();
    let obligations: Vec<&ast::Obligation> = items
        .iter()
        .filter_map(|i| match i {
            Item::Obligation(o) => Some(o),
            _ => None,
        })
        .collect();
    let remedies: Vec<&ast::Remedy> = items
        .iter()
        .filter_map(|i| match i {
            Item::Remedy(r) => Some(r),
            _ => None,
        })
        .collect();
    let datasets: Vec<&ast::Dataset> = items
        .iter()
        .filter_map(|i| match i {
            Item::Dataset(d) => Some(d),
            _ => None,
        })
        .collect();
    let calendar_items: Vec<&ast::Calendar> = items
        .iter()
        .filter_map(|i| match i {
            Item::Calendar(c) => Some(c),
            _ => None,
        })
        .collect();
    let rows = RowNames::new(&datasets, &calendar_items);
    let names = Names {
        parties: index(parties.iter().map(|p| p.name.node.as_str()), PartyId),
        segments: index(segments.iter().map(|s| s.name.node.as_str()), SegmentId),
        values: index(values.iter().map(|i| value_name(i)), ValueId),
        obligations: index(
            obligations.iter().map(|o| o.name.node.as_str()),
            ObligationId,
        ),
        remedies: index(remedies.iter().map(|r| r.name.node.as_str()), RemedyId),
        datasets: index(datasets.iter().map(|d| d.name.node.as_str()), DatasetId),
        rows,
        units: values
            .iter()
            .map(|v| checked.units.get(value_name(v)).cloned())
            .collect(),
    };

    // The checker holds each header clause to one; the first is the one.
    let (mut summary, mut kind, mut period, mut effective) = (None, None, None, None);
    let mut blame_root_cause = false;
    for item in items {
        match item {
            Item::Consequences(_) => blame_root_cause = true,
            Item::Summary(s) => summary = summary.or(Some(s.node.clone())),
            Item::Kind(k) => kind = kind.or(Some(k.node)),
            Item::Period(p) => period = period.or(Some((p.unit.node, p.zone.node.clone()))),
            Item::Effective(e) => {
                effective = effective.or(Some((e.from.node, e.to.node, e.span)));
            }
            _ => {}
        }
    }
    let ((unit, zone_name), (from, to, effective_span)) = (period?, effective?);
    let zone = jiff::tz::db().get(&zone_name).ok()?;

    let values = values
        .iter()
        .map(|item| names.value(item))
        .collect::<Option<Vec<Value>>>()?;
    let order = checked
        .evaluation_order
        .iter()
        .map(|n| names.values.get(n.as_str()).copied())
        .collect::<Option<Vec<ValueId>>>()?;
    let obligations = obligations
        .iter()
        .map(|o| names.obligation(o, checked))
        .collect::<Option<Vec<Obligation>>>()?;
    let remedies = remedies
        .iter()
        .map(|r| {
            Some(Remedy {
                name: r.name.node.clone(),
                actions: r.actions.iter().map(|a| a.node.clone()).collect(),
                responsible: r
                    .responsible
                    .iter()
                    .map(|p| names.parties.get(p.node.as_str()).copied())
                    .collect::<Option<_>>()?,
                strikes: r
                    .strikes
                    .iter()
                    .map(|s| match &s.against {
                        None => Some(None),
                        Some(p) => names.parties.get(p.node.as_str()).map(|id| Some(*id)),
                    })
                    .collect::<Option<_>>()?,
                credits: r
                    .credits
                    .iter()
                    .map(|e| names.expr(e))
                    .collect::<Option<_>>()?,
            })
        })
        .collect::<Option<Vec<Remedy>>>()?;
    let mut caps = Vec::new();
    let mut terminations = Vec::new();
    let mut calendars = Vec::new();
    for item in items {
        match item {
            Item::Cap(c) => caps.push(Cap {
                amount: names.expr(&c.amount)?,
                per: c.per.node,
            }),
            Item::Terminate(t) => terminations.push(Termination {
                subjects: match &t.subject {
                    TerminateSubject::AnyObligation(_) => (0..obligations.len())
                        .map(|i| ObligationId(i as u32))
                        .collect(),
                    TerminateSubject::Obligations(list) => list
                        .iter()
                        .map(|n| names.obligations.get(n.node.as_str()).copied())
                        .collect::<Option<_>>()?,
                },
                rule: t.rule.node,
                text: file.slice(t.span).trim().to_owned(),
                span: t.span,
            }),
            Item::Calendar(c) => calendars.push(Calendar {
                name: c.name.node.clone(),
                hours: BusinessCalendar::from_ast(c)?,
            }),
            _ => {}
        }
    }
    let index = Index {
        values: owned(&names.values),
        obligations: owned(&names.obligations),
        deliverables: obligations
            .iter()
            .enumerate()
            .filter_map(|(i, o)| match &o.promise {
                Promise::Deliver { what, .. } => Some([
                    (o.name.clone(), ObligationId(i as u32)),
                    (what.clone(), ObligationId(i as u32)),
                ]),
                _ => None,
            })
            .flatten()
            .collect(),
        datasets: owned(&names.datasets),
    };
    Some(Agreement {
        index,
        blame_root_cause,
        name: ast.name.node.clone(),
        summary,
        kind,
        period: unit,
        zone,
        zone_name,
        from,
        to,
        effective_span,
        periods: period::range(from, to, unit),
        parties: parties
            .iter()
            .map(|p| Party {
                name: p.name.node.clone(),
                contacts: p
                    .contacts
                    .iter()
                    .map(|c| Contact {
                        name: c.name.node.clone(),
                        email: c.email.node.clone(),
                        role: c.role.as_ref().map(|r| r.node.clone()),
                    })
                    .collect(),
                span: p.span,
            })
            .collect(),
        tiers: items
            .iter()
            .filter_map(|i| match i {
                Item::Tier(t) => Some(Tier {
                    name: t.name.node.clone(),
                    from: *names.parties.get(t.from.node.as_str())?,
                    to: *names.parties.get(t.to.node.as_str())?,
                }),
                _ => None,
            })
            .collect(),
        segments: segments
            .iter()
            .map(|s| {
                Segment::new(
                    s.name.node.clone(),
                    s.values.iter().map(|v| v.node.clone()).collect(),
                )
            })
            .collect(),
        values,
        order,
        obligations,
        remedies,
        caps,
        terminations,
        calendars,
        datasets: datasets
            .iter()
            .map(|d| names.rows.dataset(d, file))
            .collect::<Option<_>>()?,
    })
}

fn value_name(item: &Item) -> &str {
    match item {
        Item::Input(x) => x.name.node.as_str(),
        Item::Let(x) => x.name.node.as_str(),
        Item::Metric(x) => x.name.node.as_str(),
        _ => "",
    }
}

impl Names<'_> {
    fn value(&self, item: &Item) -> Option<Value> {
        let (name, definition) = match item {
            Item::Input(i) => (
                &i.name,
                match &i.value {
                    InputValue::Fixed(e) => Definition::Fixed(self.expr(e)?),
                    InputValue::Recalculated {
                        formula,
                        periods,
                        fallback,
                    } => Definition::Recalculated {
                        formula: self.expr(formula)?,
                        periods: periods.node,
                        fallback: self.expr(fallback)?,
                    },
                },
            ),
            Item::Let(l) => (&l.name, Definition::Let(self.expr(&l.value)?)),
            Item::Metric(m) => (
                &m.name,
                Definition::Metric(Metric {
                    ty: m.ty.node.clone(),
                    segment: match &m.segment {
                        Some(s) => Some(*self.segments.get(s.node.as_str())?),
                        None => None,
                    },
                    dataset: match &m.aggregate {
                        Some(a) => Some(*self.datasets.get(a.dataset.node.as_str())?),
                        None => None,
                    },
                    aggregate: match &m.aggregate {
                        Some(a) => Some(Box::new(self.rows.aggregate(a)?)),
                        None => None,
                    },
                }),
            ),
            _ => return None,
        };
        Some(Value {
            name: name.node.clone(),
            definition,
            unit: self
                .values
                .get(name.node.as_str())
                .and_then(|id| self.units.get(id.index()))
                .cloned()
                .flatten(),
            span: name.span,
            declared: match item {
                Item::Input(i) => i.span,
                Item::Let(l) => l.span,
                Item::Metric(m) => m.span,
                _ => name.span,
            },
        })
    }

    fn expr(&self, e: &ast::Expr) -> Option<Expr> {
        let (kind, unit) = match &e.kind {
            ast::ExprKind::Literal(q) => {
                (ExprKind::Literal(q.value), Some(Dim::of_literal(&q.unit)))
            }
            ast::ExprKind::Name(n) => {
                let id = *self.values.get(n.as_str())?;
                let unit = self.units.get(id.index()).cloned().flatten();
                (ExprKind::Value(id), unit)
            }
            ast::ExprKind::Neg(inner) => {
                let inner = self.expr(inner)?;
                let unit = inner.unit.clone();
                (ExprKind::Neg(Box::new(inner)), unit)
            }
            ast::ExprKind::Binary(op, l, r) => {
                let (l, r) = (self.expr(l)?, self.expr(r)?);
                let unit = match (&l.unit, &r.unit) {
                    (Some(a), Some(b)) => unit::binary(*op, a, b).ok(),
                    _ => None,
                };
                (ExprKind::Binary(*op, Box::new(l), Box::new(r)), unit)
            }
        };
        Some(Expr {
            kind,
            unit,
            span: e.span,
        })
    }

    fn comparison(&self, c: &ast::Comparison) -> Option<Comparison> {
        Some(Comparison {
            left: self.expr(&c.left)?,
            op: c.op.node,
            right: self.expr(&c.right)?,
            span: c.span,
        })
    }

    fn remedy(&self, r: &ast::RemedyRef) -> Option<RemedyUse> {
        Some(match r {
            ast::RemedyRef::Named(n) => RemedyUse::Named(*self.remedies.get(n.node.as_str())?),
            ast::RemedyRef::Credit { amount, .. } => RemedyUse::Credit(self.expr(amount)?),
        })
    }

    fn obligation(&self, o: &ast::Obligation, checked: &Model) -> Option<Obligation> {
        let party = |list: &[ast::Ident]| {
            list.first()
                .and_then(|p| self.parties.get(p.node.as_str()).copied())
        };
        let promise = if let Some(d) = o.deliver.first() {
            Promise::Deliver {
                what: d.what.node.clone(),
                every: d.every.node,
                span: d.span,
            }
        } else if let Some(r) = o.records.first() {
            Promise::Rows(Box::new(self.rows.record(r)?))
        } else {
            Promise::Compare {
                promise: match o.promise.first() {
                    Some(c) => Some(self.comparison(c)?),
                    None => None,
                },
                bands: match o.bands.first() {
                    Some(b) => Some(
                        b.bands
                            .iter()
                            .map(|band| {
                                Some(Band {
                                    name: band.name.node.clone(),
                                    status: super::bands::band_status(band),
                                    when: match &band.when {
                                        Some(w) => Some(self.comparison(w)?),
                                        None => None,
                                    },
                                    remedy: match &band.remedy {
                                        Some(r) => Some(self.remedy(r)?),
                                        None => None,
                                    },
                                })
                            })
                            .collect::<Option<Vec<Band>>>()?,
                    ),
                    None => None,
                },
                per: o
                    .per
                    .iter()
                    .flat_map(|p| &p.targets)
                    .map(|t| {
                        Some(SegmentTarget {
                            value: t.value.node.clone(),
                            promise: self.comparison(&t.promise)?,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?,
            }
        };
        Some(Obligation {
            name: o.name.node.clone(),
            owner: party(&o.by)?,
            beneficiary: party(&o.for_)?,
            tier: checked.tiers.get(&o.name.node).cloned().unwrap_or_default(),
            requires: o
                .requires
                .iter()
                .map(|r| self.obligations.get(r.node.as_str()).copied())
                .collect::<Option<_>>()?,
            promise,
            remedy: match o.remedy.first() {
                Some(r) => Some(self.remedy(r)?),
                None => None,
            },
            span: o.span,
        })
    }
}
