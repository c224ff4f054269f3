//! Lowering datasets into the model: columns typed, key, owner and zone resolved,
//! and every row condition, row value, aggregate and per-row promise with its column
//! names turned into indices and its calendars and datasets into ids. Part of the
//! lowering in `lower.rs`; like it, runs only on an agreement that checked, so a name that
//! does not resolve yields no model rather than a guess.

use rustc_hash::FxHashMap;

use crate::model::dataset::{
    AggFn, Aggregate, ColumnDecl, DatasetDecl, Limit, RecordPromise, RowCond, RowTerm, RowValue,
};
use crate::model::row::ColumnType;
use crate::model::{CalendarId, DatasetId};
use crate::source::SourceFile;
use crate::syntax::ast;

/// Each dataset's columns by name, and the calendars by name.
pub(super) struct RowNames<'a> {
    pub datasets: FxHashMap<&'a str, DatasetId>,
    pub columns: Vec<FxHashMap<&'a str, usize>>,
    pub calendars: FxHashMap<&'a str, CalendarId>,
}

impl<'a> RowNames<'a> {
    pub fn new(datasets: &[&'a ast::Dataset], calendars: &[&'a ast::Calendar]) -> Self {
        let mut by_name = FxHashMap::default();
        for (i, d) in datasets.iter().enumerate() {
            by_name
                .entry(d.name.node.as_str())
                .or_insert(DatasetId(i as u32));
        }
        let mut calendar_ids = FxHashMap::default();
        for (i, c) in calendars.iter().enumerate() {
            calendar_ids
                .entry(c.name.node.as_str())
                .or_insert(CalendarId(i as u32));
        }
        RowNames {
            datasets: by_name,
            columns: datasets
                .iter()
                .map(|d| {
                    let mut columns = FxHashMap::default();
                    for (i, c) in d.columns.iter().enumerate() {
                        columns.entry(c.name.node.as_str()).or_insert(i);
                    }
                    columns
                })
                .collect(),
            calendars: calendar_ids,
        }
    }

    fn column(&self, dataset: DatasetId, name: &str) -> Option<usize> {
        self.columns.get(dataset.index())?.get(name).copied()
    }

    pub fn dataset(&self, d: &ast::Dataset, file: &SourceFile) -> Option<DatasetDecl> {
        let id = *self.datasets.get(d.name.node.as_str())?;
        let column = |name: Option<&ast::Ident>| match name {
            Some(n) => self.column(id, &n.node).map(Some),
            None => Some(None),
        };
        Some(DatasetDecl {
            name: d.name.node.clone(),
            columns: d
                .columns
                .iter()
                .map(|c| ColumnDecl {
                    name: c.name.node.clone(),
                    ty: ColumnType::of(&c.ty.node),
                    optional: c.optional,
                })
                .collect(),
            key: column(d.key.first())?,
            owner: column(d.owner.first())?,
            zone: d.zones.first().map(|z| z.node.clone()),
            delimiter: match d.delimiters.first() {
                Some(text) => super::datasets::delimiter_byte(&text.node)?,
                None => b',',
            },
            expects: d
                .expects
                .iter()
                .map(|e| Some((self.cond(id, e)?, file.slice(e.span()).to_owned())))
                .collect::<Option<_>>()?,
        })
    }

    pub fn aggregate(&self, a: &ast::Aggregate) -> Option<Aggregate> {
        let dataset = *self.datasets.get(a.dataset.node.as_str())?;
        Some(Aggregate {
            func: match &a.func.node {
                ast::AggFn::Count => AggFn::Count,
                ast::AggFn::Sum => AggFn::Sum,
                ast::AggFn::Mean => AggFn::Mean,
                ast::AggFn::Min => AggFn::Min,
                ast::AggFn::Max => AggFn::Max,
                ast::AggFn::Median => AggFn::Median,
                ast::AggFn::Percentile(p) => AggFn::Percentile(*p),
                ast::AggFn::Share(c) => AggFn::Share(Box::new(self.cond(dataset, c)?)),
            },
            value: match &a.value {
                Some(v) => Some(self.value(dataset, v)?),
                None => None,
            },
            dataset,
            filter: match &a.filter {
                Some(f) => Some(self.cond(dataset, f)?),
                None => None,
            },
            by: self.column(dataset, &a.by.node)?,
        })
    }

    pub fn record(&self, r: &ast::RecordPromise) -> Option<RecordPromise> {
        let dataset = *self.datasets.get(r.dataset.node.as_str())?;
        Some(RecordPromise {
            dataset,
            filter: match &r.filter {
                Some(f) => Some(self.cond(dataset, f)?),
                None => None,
            },
            from: self.column(dataset, &r.from.node)?,
            to: self.column(dataset, &r.to.node)?,
            within: match &r.within {
                ast::Within::Every(q) => Limit::Every(q.node.value),
                ast::Within::PerSegment(per) => Limit::PerSegment {
                    column: self.column(dataset, &per.column.node)?,
                    limits: per
                        .limits
                        .iter()
                        .map(|l| (l.value.node.clone(), l.limit.node.value))
                        .collect(),
                },
            },
            business_hours: match &r.business_hours {
                Some(c) => Some(*self.calendars.get(c.node.as_str())?),
                None => None,
            },
            at_least: r.at_least.node.value,
            span: r.span,
        })
    }

    fn cond(&self, dataset: DatasetId, c: &ast::RowCond) -> Option<RowCond> {
        let all = |parts: &[ast::RowCond]| {
            parts
                .iter()
                .map(|p| self.cond(dataset, p))
                .collect::<Option<Vec<_>>>()
        };
        Some(match c {
            ast::RowCond::Or(parts, _) => RowCond::Or(all(parts)?),
            ast::RowCond::And(parts, _) => RowCond::And(all(parts)?),
            ast::RowCond::Not(inner, _) => RowCond::Not(Box::new(self.cond(dataset, inner)?)),
            ast::RowCond::IsSet { column, set, .. } => RowCond::IsSet {
                column: self.column(dataset, &column.node)?,
                set: *set,
            },
            ast::RowCond::Cmp {
                left, op, right, ..
            } => RowCond::Cmp {
                left: self.value(dataset, left)?,
                op: op.node,
                right: self.value(dataset, right)?,
            },
        })
    }

    fn value(&self, dataset: DatasetId, v: &ast::RowValue) -> Option<RowValue> {
        Some(RowValue {
            left: self.term(dataset, &v.left)?,
            minus: match &v.minus {
                Some(m) => Some(self.term(dataset, m)?),
                None => None,
            },
            business_hours: match &v.business_hours {
                Some(c) => Some(*self.calendars.get(c.node.as_str())?),
                None => None,
            },
        })
    }

    fn term(&self, dataset: DatasetId, t: &ast::RowTerm) -> Option<RowTerm> {
        Some(match t {
            ast::RowTerm::Column(name) => RowTerm::Column(self.column(dataset, &name.node)?),
            ast::RowTerm::Text(s) => RowTerm::Text(s.node.clone()),
            ast::RowTerm::Quantity(q) => RowTerm::Quantity(q.node.clone()),
            ast::RowTerm::Bool(b) => RowTerm::Bool(b.node),
            ast::RowTerm::Group(inner) => RowTerm::Group(Box::new(self.value(dataset, inner)?)),
        })
    }
}
