//! Datasets: their columns, the aggregates metrics compute over them, and promises
//! over each row. Every condition and value is typed against the declared columns.

use std::collections::BTreeMap;

use super::error::{CheckError, DatasetError};
use super::names::unknown_help;
use super::{Checker, Dim};
use crate::model::row::{self, RowType};
use crate::syntax::ast::{
    AggFn, Aggregate, Column, ColumnType, Dataset, Ident, LiteralUnit, Metric, MetricType,
    Quantity, RecordPromise, RowCond, RowOp, RowTerm, RowValue, Span, Spanned, Within, WithinPer,
};

/// A dataset's columns by name, for the checks of what refers to it.
struct Columns<'a> {
    dataset: &'a Dataset,
    by_name: BTreeMap<&'a str, &'a Column>,
}

impl<'a> Checker<'a> {
    pub(super) fn datasets(&mut self) {
        let datasets: Vec<&'a Dataset> = self.symbols.datasets.iter().map(|(_, d)| d).collect();
        for d in datasets {
            self.dataset(d);
        }
        let metrics: Vec<&'a Metric> = self
            .symbols
            .values
            .iter()
            .filter_map(|(_, v)| match v {
                super::names::Value::Metric(m) => Some(m),
                _ => None,
            })
            .collect();
        for m in metrics {
            if let Some(aggregate) = &m.aggregate {
                self.aggregate(m, aggregate);
            }
        }
        let obligations: Vec<_> = self.symbols.obligations.iter().map(|(_, o)| o).collect();
        for o in obligations {
            self.single_clause(&o.records, "promise", |r| r.span);
            if let Some(record) = o.records.first() {
                let others = [
                    ("promise", o.promise.first().map(|p| p.span)),
                    ("bands", o.bands.first().map(|b| b.span)),
                    ("per", o.per.first().map(|p| p.span)),
                    ("deliver", o.deliver.first().map(|d| d.span)),
                ];
                for (clause, span) in others {
                    if let Some(span) = span {
                        self.report(DatasetError::RecordPromiseCombined {
                            clause,
                            span: span.into(),
                            record: record.span.into(),
                        });
                    }
                }
                self.record_promise(record);
            }
        }
    }

    fn dataset(&mut self, d: &'a Dataset) {
        let mut by_name: BTreeMap<&'a str, &'a Column> = BTreeMap::new();
        for column in &d.columns {
            if let Some(first) = by_name.insert(&column.name.node, column) {
                self.report(CheckError::Duplicate {
                    what: "column",
                    name: column.name.node.clone(),
                    span: column.name.span.into(),
                    first: first.name.span.into(),
                });
            }
            if let ColumnType::Segment(word) = &column.ty.node
                && !self.symbols.segments.contains(word)
            {
                let mut known: Vec<&str> = ColumnType::WORDS.to_vec();
                known.extend(self.symbols.segments.names());
                let help = match crate::suggest::did_you_mean(word, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "write `text`, `int`, `decimal`, `money EUR`, `bool`, `timestamp`, or the name of a declared segment".to_owned(),
                };
                self.report(DatasetError::UnknownColumnType {
                    word: word.clone(),
                    span: column.ty.span.into(),
                    help,
                });
            }
        }
        if d.columns.is_empty() {
            self.report(CheckError::MissingClause {
                owner: format!("dataset `{}`", d.name.node),
                clause: "column",
                span: d.name.span.into(),
                help: "declare each column the file has that the agreement reads, e.g. `column lead_id: text`".to_owned(),
            });
        }
        let columns = Columns {
            dataset: d,
            by_name,
        };
        self.single_clause(&d.key, "key", |k| k.span);
        self.single_clause(&d.owner, "owner", |k| k.span);
        self.single_clause(&d.zones, "zone", |z| z.span);
        self.single_clause(&d.delimiters, "delimiter", |z| z.span);
        if let Some(delimiter) = d.delimiters.first()
            && delimiter_byte(&delimiter.node).is_none()
        {
            self.report(DatasetError::RecordPromiseValue {
                message: format!(
                    "`delimiter \"{}\"` is not a field delimiter slac reads",
                    delimiter.node
                ),
                span: delimiter.span.into(),
                label: "not one of `,` `;` `|` or a tab".to_owned(),
                help: "write `delimiter \";\"`, `delimiter \"|\"`, `delimiter \"\\t\"` for a tab, or leave it out for commas".to_owned(),
            });
        }
        if let Some(key) = d.key.first()
            && let Some(column) = self.column(&columns, key)
        {
            if !matches!(column.ty.node, ColumnType::Text | ColumnType::Int) {
                self.report(DatasetError::DatasetKey {
                    message: format!(
                        "the key `{}` of dataset `{}` must be a text or int column",
                        key.node, d.name.node
                    ),
                    span: key.span.into(),
                    label: format!(
                        "is {}",
                        row::ColumnType::of(&column.ty.node).row_type().describe()
                    ),
                    help: "name the column that identifies a row, such as `lead_id`".to_owned(),
                });
            } else if column.optional {
                self.report(DatasetError::DatasetKey {
                    message: format!(
                        "the key `{}` of dataset `{}` is optional, but every row needs one",
                        key.node, d.name.node
                    ),
                    span: key.span.into(),
                    label: "optional column".to_owned(),
                    help: format!("drop `optional` from column `{}`", key.node),
                });
            }
        }
        if let Some(owner) = d.owner.first() {
            self.column(&columns, owner);
        }
        if let Some(zone) = d.zones.first() {
            self.time_zone(&zone.node, zone.span);
        }
        for expect in &d.expects {
            self.row_cond(&columns, expect);
        }
    }

    fn columns_of(&mut self, name: &'a Ident) -> Option<Columns<'a>> {
        match self.symbols.datasets.get(&name.node) {
            Some(d) => Some(Columns {
                dataset: d,
                by_name: d
                    .columns
                    .iter()
                    .map(|c| (c.name.node.as_str(), c))
                    .collect(),
            }),
            None => {
                if self.should_report_unknown(&name.node) {
                    let help = unknown_help(&name.node, "dataset", self.symbols.datasets.names());
                    self.report(DatasetError::UnknownDataset {
                        name: name.node.clone(),
                        span: name.span.into(),
                        help,
                    });
                }
                None
            }
        }
    }

    fn column(&mut self, columns: &Columns<'a>, name: &Ident) -> Option<&'a Column> {
        if let Some(c) = columns.by_name.get(name.node.as_str()) {
            return Some(c);
        }
        let help = unknown_help(&name.node, "column", columns.by_name.keys().copied());
        self.report(DatasetError::UnknownColumn {
            name: name.node.clone(),
            dataset: columns.dataset.name.node.clone(),
            span: name.span.into(),
            help,
        });
        None
    }

    fn timestamp_column(&mut self, columns: &Columns<'a>, name: &Ident, role: &'static str) {
        let Some(column) = self.column(columns, name) else {
            return;
        };
        if column.ty.node != ColumnType::Timestamp {
            let stamps: Vec<&str> = columns
                .dataset
                .columns
                .iter()
                .filter(|c| c.ty.node == ColumnType::Timestamp)
                .map(|c| c.name.node.as_str())
                .collect();
            let help = if stamps.is_empty() {
                format!(
                    "declare a column such as `column created_at: timestamp` in dataset `{}`",
                    columns.dataset.name.node
                )
            } else {
                format!("the timestamp columns are {}", backticked(&stamps))
            };
            self.report(DatasetError::NotTimestamp {
                column: name.node.clone(),
                found: row::ColumnType::of(&column.ty.node).row_type().describe(),
                role,
                span: name.span.into(),
                help,
            });
        }
    }

    fn aggregate(&mut self, metric: &'a Metric, a: &'a Aggregate) {
        let Some(columns) = self.columns_of(&a.dataset) else {
            return;
        };
        self.timestamp_column(&columns, &a.by, "grouping rows into periods");
        if let Some(filter) = &a.filter {
            self.row_cond(&columns, filter);
        }
        let value = a.value.as_ref().and_then(|v| self.row_value(&columns, v));
        let computed: Option<Dim> = match &a.func.node {
            AggFn::Count => Some(Dim::Count),
            AggFn::Share(cond) => {
                self.row_cond(&columns, cond);
                Some(Dim::Number)
            }
            AggFn::Percentile(p) => {
                if *p > rust_decimal::Decimal::ONE_HUNDRED {
                    self.report(DatasetError::PercentileRange {
                        value: p.to_string(),
                        span: a.func.span.into(),
                    });
                }
                value.and_then(|v| self.summable(a, &v))
            }
            AggFn::Sum | AggFn::Mean | AggFn::Min | AggFn::Max | AggFn::Median => {
                value.and_then(|v| self.summable(a, &v))
            }
        };
        let declared = Dim::of_metric(&metric.ty.node);
        if let Some(computed) = computed {
            let fits = match (&metric.ty.node, &computed) {
                (MetricType::Count, Dim::Count) => true,
                // A mean of whole numbers is a number; a count of rows may be taken as one.
                (MetricType::Number, Dim::Count | Dim::Number) => true,
                (MetricType::Percent, Dim::Number) => true,
                (MetricType::Count, Dim::Number) => false,
                _ => declared == computed,
            };
            let fits = fits
                && !(matches!(
                    a.func.node,
                    AggFn::Mean | AggFn::Percentile(_) | AggFn::Median
                ) && metric.ty.node == MetricType::Count);
            if !fits {
                let computed_text = match (&a.func.node, &computed) {
                    (AggFn::Share(_), _) => "a share (percent)".to_owned(),
                    (AggFn::Mean | AggFn::Median | AggFn::Percentile(_), Dim::Count) => {
                        "a number".to_owned()
                    }
                    _ => computed.describe(),
                };
                let help = match &computed {
                    Dim::Count if matches!(a.func.node, AggFn::Count | AggFn::Sum) => {
                        "declare the metric as `count`".to_owned()
                    }
                    Dim::Count | Dim::Number if matches!(a.func.node, AggFn::Share(_)) => {
                        "declare the metric as `percent`".to_owned()
                    }
                    Dim::Count | Dim::Number => "declare the metric as `number`".to_owned(),
                    Dim::Money(c) => format!("declare the metric as `money {c}`"),
                    Dim::Duration => "declare the metric as `duration`".to_owned(),
                };
                self.report(DatasetError::AggregateUnit {
                    metric: metric.name.node.clone(),
                    declared: declared_text(&metric.ty.node),
                    func: a.func.node.word(),
                    computed: computed_text,
                    span: a
                        .func
                        .span
                        .to(a.value.as_ref().map_or(a.func.span, |v| v.span))
                        .into(),
                    declared_at: metric.ty.span.into(),
                    help,
                });
            }
        }
        if let Some(segment) = &metric.segment {
            let matching: Vec<&str> = columns
                .dataset
                .columns
                .iter()
                .filter(|c| c.ty.node == ColumnType::Segment(segment.node.clone()))
                .map(|c| c.name.node.as_str())
                .collect();
            if matching.len() != 1 && self.symbols.segments.contains(&segment.node) {
                let found = if matching.is_empty() {
                    format!("has no column of type `{}`", segment.node)
                } else {
                    format!("has {} columns of type `{}`", matching.len(), segment.node)
                };
                self.report(DatasetError::SegmentColumn {
                    metric: metric.name.node.clone(),
                    segment: segment.node.clone(),
                    dataset: columns.dataset.name.node.clone(),
                    found,
                    span: segment.span.into(),
                    help: format!(
                        "type exactly one column by the segment, e.g. `column segment: {}`",
                        segment.node
                    ),
                });
            }
        }
    }

    /// The dimension of an aggregated value, or a report that it cannot be summed.
    fn summable(&mut self, a: &Aggregate, value: &RowType) -> Option<Dim> {
        let dim = match value {
            RowType::Int => Dim::Count,
            RowType::Decimal | RowType::Number => Dim::Number,
            RowType::Money(c) => Dim::Money(c.clone()),
            RowType::Duration => Dim::Duration,
            RowType::Timestamp if matches!(a.func.node, AggFn::Min | AggFn::Max) => {
                // The earliest or latest instant has no unit an agreement compares.
                self.row_type_error(
                    a.value.as_ref().map_or(a.span, |v| v.span),
                    format!("`{}` of timestamps is not a quantity", a.func.node.word()),
                    "a timestamp".to_owned(),
                    "aggregate a duration instead, e.g. `max (first_contact_at - handed_over_at)`"
                        .to_owned(),
                );
                return None;
            }
            other => {
                self.row_type_error(
                    a.value.as_ref().map_or(a.span, |v| v.span),
                    format!("cannot take the {} of {}", a.func.node.word(), other.describe()),
                    other.describe(),
                    "aggregate a number, an amount of money or a duration such as `first_contact_at - handed_over_at`; count rows with `count` or `share (…)`".to_owned(),
                );
                return None;
            }
        };
        Some(dim)
    }

    fn row_type_error(&mut self, span: Span, message: String, label: String, help: String) {
        self.report(DatasetError::RowType {
            message,
            span: span.into(),
            label,
            help,
        });
    }

    fn row_cond(&mut self, columns: &Columns<'a>, cond: &RowCond) {
        match cond {
            RowCond::Or(parts, _) | RowCond::And(parts, _) => {
                for p in parts {
                    self.row_cond(columns, p);
                }
            }
            RowCond::Not(inner, _) => self.row_cond(columns, inner),
            RowCond::IsSet { column, .. } => {
                self.column(columns, column);
            }
            RowCond::Cmp {
                left, op, right, ..
            } => {
                let l = self.row_value(columns, left);
                let r = self.row_value(columns, right);
                if let (Some(l), Some(r)) = (l, r) {
                    self.compare(columns, (left, &l), op.node, (right, &r), op.span);
                }
            }
        }
    }

    fn compare(
        &mut self,
        columns: &Columns<'a>,
        (left, l): (&RowValue, &RowType),
        op: RowOp,
        (right, r): (&RowValue, &RowType),
        op_span: Span,
    ) {
        let equality = matches!(op, RowOp::Eq | RowOp::Ne);
        let comparable = match (l, r) {
            (a, b) if a.is_numeric() && b.is_numeric() => true,
            (a, b) if a.is_textual() && b.is_textual() => {
                if !equality {
                    self.row_type_error(
                        op_span,
                        format!(
                            "text can only be compared with `==` or `!=`, not `{}`",
                            op.symbol()
                        ),
                        "not an equality".to_owned(),
                        "compare text for equality, e.g. `source == \"marketing\"`".to_owned(),
                    );
                }
                self.segment_literal(l, right);
                self.segment_literal(r, left);
                return;
            }
            (RowType::Bool, RowType::Bool) => {
                if !equality {
                    self.row_type_error(
                        op_span,
                        format!(
                            "true or false can only be compared with `==` or `!=`, not `{}`",
                            op.symbol()
                        ),
                        "not an equality".to_owned(),
                        "write e.g. `connected == false`".to_owned(),
                    );
                }
                return;
            }
            (a, b) => a == b,
        };
        if !comparable {
            let span = left.span.to(right.span);
            let help = match (l, r) {
                (RowType::Duration, b) | (b, RowType::Duration) if b.is_numeric() => {
                    "write the duration with its unit, e.g. `60min` or `1h`".to_owned()
                }
                (RowType::Money(a), RowType::Money(b)) => {
                    format!("amounts in {a} and {b} cannot be compared; convert one first")
                }
                (RowType::Timestamp, RowType::Duration) | (RowType::Duration, RowType::Timestamp) => {
                    "compare the time between two timestamps, e.g. `first_contact_at - handed_over_at <= 1h`".to_owned()
                }
                _ => format!(
                    "compare values of the same kind; the columns of `{}` are declared in its `dataset` block",
                    columns.dataset.name.node
                ),
            };
            self.row_type_error(
                span,
                format!("cannot compare {} with {}", l.describe(), r.describe()),
                format!("{} {} {}", l.describe(), op.symbol(), r.describe()),
                help,
            );
        }
    }

    /// A text literal compared with a segment column must be one of its values.
    fn segment_literal(&mut self, ty: &RowType, other: &RowValue) {
        let RowType::Segment(segment) = ty else {
            return;
        };
        let (RowTerm::Text(text), None) = (&other.left, &other.minus) else {
            return;
        };
        let Some(declared) = self.symbols.segments.get(segment) else {
            return;
        };
        if declared.values.iter().any(|v| v.node == text.node) {
            return;
        }
        let help = unknown_help(
            &text.node,
            "value",
            declared.values.iter().map(|v| v.node.as_str()),
        );
        self.report(CheckError::UnknownSegmentValue {
            value: text.node.clone(),
            segment: segment.clone(),
            span: text.span.into(),
            help,
        });
    }

    fn row_term(&mut self, columns: &Columns<'a>, term: &RowTerm) -> Option<RowType> {
        match term {
            RowTerm::Column(name) => self
                .column(columns, name)
                .map(|c| row::ColumnType::of(&c.ty.node).row_type()),
            RowTerm::Text(_) => Some(RowType::Text),
            RowTerm::Bool(_) => Some(RowType::Bool),
            RowTerm::Quantity(q) => Some(match &q.node.unit {
                LiteralUnit::Number | LiteralUnit::Percent => RowType::Number,
                LiteralUnit::Duration => RowType::Duration,
                LiteralUnit::Money(c) => RowType::Money(c.clone()),
            }),
            RowTerm::Group(inner) => self.row_value(columns, inner),
        }
    }

    fn row_value(&mut self, columns: &Columns<'a>, value: &RowValue) -> Option<RowType> {
        let left = self.row_term(columns, &value.left);
        let Some(minus) = &value.minus else {
            if value.business_hours.is_some() {
                self.report(DatasetError::BusinessHoursOperand {
                    span: value.span.into(),
                });
                return None;
            }
            return left;
        };
        let right = self.row_term(columns, minus);
        let (left, right) = (left?, right?);
        let result = match (&left, &right) {
            (RowType::Timestamp, RowType::Timestamp) => RowType::Duration,
            (RowType::Duration, RowType::Duration) => RowType::Duration,
            (RowType::Money(a), RowType::Money(b)) if a == b => left.clone(),
            (a, b) if a.is_numeric() && b.is_numeric() => {
                if *a == RowType::Int && *b == RowType::Int {
                    RowType::Int
                } else {
                    RowType::Decimal
                }
            }
            (a, b) => {
                self.row_type_error(
                    value.span,
                    format!("cannot subtract {} from {}", b.describe(), a.describe()),
                    format!("{} - {}", a.describe(), b.describe()),
                    "subtract values of the same kind, e.g. two timestamps for the time between them".to_owned(),
                );
                return None;
            }
        };
        if let Some(calendar) = &value.business_hours {
            if result != RowType::Duration || left != RowType::Timestamp {
                self.report(DatasetError::BusinessHoursOperand {
                    span: value.span.into(),
                });
                return None;
            }
            self.calendar_ref(calendar);
        }
        Some(result)
    }

    fn calendar_ref(&mut self, name: &Ident) {
        if self.symbols.calendars.contains(&name.node) || !self.should_report_unknown(&name.node) {
            return;
        }
        let help = unknown_help(&name.node, "calendar", self.symbols.calendars.names());
        self.report(CheckError::UnknownCalendar {
            name: name.node.clone(),
            span: name.span.into(),
            help,
        });
    }

    fn record_promise(&mut self, r: &'a RecordPromise) {
        let Some(columns) = self.columns_of(&r.dataset) else {
            return;
        };
        if let Some(filter) = &r.filter {
            self.row_cond(&columns, filter);
        }
        self.timestamp_column(&columns, &r.from, "the clock's start");
        self.timestamp_column(&columns, &r.to, "the clock's stop");
        for limit in r.within.limits() {
            self.clock_limit(limit);
        }
        if let Within::PerSegment(per) = &r.within {
            self.within_per(&columns, per);
        }
        if let Some(calendar) = &r.business_hours {
            self.calendar_ref(calendar);
        }
        let share = &r.at_least.node;
        let fraction_ok = match share.unit {
            LiteralUnit::Percent => share.value <= rust_decimal::Decimal::ONE,
            _ => false,
        };
        if !fraction_ok {
            self.report(DatasetError::RecordPromiseValue {
                message: "`at least` needs the share of rows that must comply".to_owned(),
                span: r.at_least.span.into(),
                label: "not a percentage up to 100%".to_owned(),
                help: "write a percentage such as `95%`".to_owned(),
            });
        }
    }

    /// A per-row clock's limit: a duration the reader can count exactly.
    fn clock_limit(&mut self, limit: &Spanned<Quantity>) {
        if limit.node.unit != LiteralUnit::Duration {
            self.report(DatasetError::RecordPromiseValue {
                message: "`within` needs a duration".to_owned(),
                span: limit.span.into(),
                label: "not a duration".to_owned(),
                help: "expected a duration such as `1h`, `30min` or `1h30m`".to_owned(),
            });
        } else if !clock_limit_fits(limit.node.value) {
            // The reader counts clocks in whole nanoseconds of 64 bits: say so here,
            // at the limit, rather than fail later with the data.
            self.report(DatasetError::RecordPromiseValue {
                message: "`within` cannot be counted exactly".to_owned(),
                span: limit.span.into(),
                label: "longer than 292 years, or finer than a nanosecond".to_owned(),
                help:
                    "write a limit in whole nanoseconds of at most 292 years, such as `4h` or `2d`"
                        .to_owned(),
            });
        }
    }

    /// `within per COLUMN { VALUE: LIMIT, … }`: a required segment column, and a
    /// limit for each of its values, once.
    fn within_per(&mut self, columns: &Columns<'a>, per: &'a WithinPer) {
        let Some(column) = self.column(columns, &per.column) else {
            return;
        };
        let ColumnType::Segment(segment) = &column.ty.node else {
            self.report(DatasetError::RecordPromiseValue {
                message: format!("`within per {}` needs a segment column", per.column.node),
                span: per.column.span.into(),
                label: format!(
                    "a {} column",
                    row::ColumnType::of(&column.ty.node).row_type().describe()
                ),
                help: "name a column whose values are a declared segment, e.g. `column priority: ticket_priority` with `segment ticket_priority { p1, p2, p3 }`".to_owned(),
            });
            return;
        };
        if column.optional {
            self.report(DatasetError::RecordPromiseValue {
                message: format!(
                    "`within per {}`: the column is optional, so a row could have no limit",
                    per.column.node
                ),
                span: per.column.span.into(),
                label: "declared `optional`".to_owned(),
                help: format!(
                    "drop `optional` from `column {}`: each row needs a value to know its limit",
                    per.column.node
                ),
            });
        }
        let Some(declared) = self.symbols.segments.get(segment) else {
            return;
        };
        let values = per.limits.iter().map(|l| &l.value);
        self.each_value_once(declared, values, "limit", per.column.span, "4h");
    }
}

/// The byte a `delimiter` clause names: `,`, `;`, `|`, or a tab (written `\t` or
/// as the tab itself).
pub(crate) fn delimiter_byte(text: &str) -> Option<u8> {
    match text {
        "," => Some(b','),
        ";" => Some(b';'),
        "|" => Some(b'|'),
        "\t" | "\\t" => Some(b'\t'),
        _ => None,
    }
}

/// Whether a per-row clock's limit, in seconds, is a whole number of nanoseconds
/// that fits in 64 bits.
fn clock_limit_fits(seconds: rust_decimal::Decimal) -> bool {
    seconds
        .checked_mul(rust_decimal::Decimal::from(1_000_000_000))
        .filter(|n| n.fract().is_zero())
        .and_then(|n| rust_decimal::prelude::ToPrimitive::to_i64(&n))
        .is_some()
}

/// A metric's declared type as messages name it: as its unit does, but a percent
/// is called one (its unit is a plain number).
fn declared_text(ty: &MetricType) -> String {
    match ty {
        MetricType::Percent => "a percent".to_owned(),
        other => Dim::of_metric(other).describe(),
    }
}

fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}
