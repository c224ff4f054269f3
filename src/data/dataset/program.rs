//! A dataset's declaration compiled for the scan: column kinds, conditions and values
//! over a row, and one plan per metric or per-row promise that reads the dataset.

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::batch::{Batch, EMPTY, FALSE, NO_VALUE, TRUE, UNKNOWN};
use crate::model::CalendarId;
use crate::model::calendar::OpeningTable;
use crate::model::dataset::{
    AggFn, DatasetDecl, LiteralUnit, Quantity, RowCond, RowOp, RowTerm, RowValue,
};

pub use super::column::{ColumnSpec, ColumnType, NANOS};

#[derive(Debug, Clone)]
pub struct Schema {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    pub key: Option<usize>,
    pub owner: Option<usize>,
    pub zone: Option<TimeZone>,
    /// Conditions every row must meet, with their text for reports.
    pub expects: Vec<(Cond, String)>,
    /// The byte between fields of a CSV file.
    pub delimiter: u8,
}

impl Schema {
    /// `None` when the declaration does not check (the checker reported it).
    pub fn new(
        d: &DatasetDecl,
        segments: &[crate::model::Segment],
        calendars: &mut Calendars<'_>,
    ) -> Option<Schema> {
        let columns: Vec<ColumnSpec> = d
            .columns
            .iter()
            .map(|c| {
                let values = match &c.ty {
                    ColumnType::Segment(s) => {
                        segments.iter().find(|g| &g.name == s)?.values.clone()
                    }
                    _ => Vec::new(),
                };
                Some(ColumnSpec::new(
                    c.name.clone(),
                    c.ty.clone(),
                    c.optional,
                    values,
                ))
            })
            .collect::<Option<_>>()?;
        let zone = match &d.zone {
            Some(z) => Some(jiff::tz::db().get(z).ok()?),
            None => None,
        };
        let mut schema = Schema {
            name: d.name.clone(),
            columns,
            key: d.key,
            owner: d.owner,
            zone,
            expects: Vec::new(),
            delimiter: d.delimiter,
        };
        for (e, text) in &d.expects {
            let cond = schema.cond(e, calendars)?;
            schema.expects.push((cond, text.clone()));
        }
        Some(schema)
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn cond(&self, c: &RowCond, calendars: &mut Calendars<'_>) -> Option<Cond> {
        Some(match c {
            RowCond::Or(parts) => Cond::Or(
                parts
                    .iter()
                    .map(|p| self.cond(p, calendars))
                    .collect::<Option<_>>()?,
            ),
            RowCond::And(parts) => Cond::And(
                parts
                    .iter()
                    .map(|p| self.cond(p, calendars))
                    .collect::<Option<_>>()?,
            ),
            RowCond::Not(inner) => Cond::Not(Box::new(self.cond(inner, calendars)?)),
            RowCond::IsSet { column, set } => Cond::IsSet {
                col: *column,
                set: *set,
            },
            RowCond::Cmp { left, op, right } => {
                let l = self.value(left, calendars)?;
                let r = self.value(right, calendars)?;
                let segment_value = |col: usize, text: &[u8]| match self.columns.get(col) {
                    Some(
                        c @ ColumnSpec {
                            kind: ColumnType::Segment(_),
                            ..
                        },
                    ) => Some(
                        c.code(text, |a, b| a == b)
                            .and_then(|i| u16::try_from(i).ok()),
                    ),
                    _ => None,
                };
                let segment = match (&l, &r) {
                    (Value::TextColumn(col), Value::Text(t))
                    | (Value::Text(t), Value::TextColumn(col)) => {
                        segment_value(*col, t).map(|v| (*col, v))
                    }
                    _ => None,
                };
                if let Some((col, value)) = segment {
                    return Some(Cond::Segment {
                        col,
                        value,
                        equal: *op == RowOp::Eq,
                    });
                }
                match (&l, &r) {
                    (Value::Text(_) | Value::TextColumn(_), _)
                    | (_, Value::Text(_) | Value::TextColumn(_)) => Cond::Text {
                        left: l,
                        right: r,
                        equal: *op == RowOp::Eq,
                    },
                    (Value::Bool(_) | Value::BoolColumn(_), _)
                    | (_, Value::Bool(_) | Value::BoolColumn(_)) => Cond::Bool {
                        left: l,
                        right: r,
                        equal: *op == RowOp::Eq,
                    },
                    _ => {
                        let scale = l.scale().max(r.scale());
                        Cond::Num {
                            lift: (pow10(scale - l.scale()), pow10(scale - r.scale())),
                            left: l,
                            op: *op,
                            right: r,
                        }
                    }
                }
            }
        })
    }

    pub fn value(&self, v: &RowValue, calendars: &mut Calendars<'_>) -> Option<Value> {
        let left = self.term(&v.left, calendars)?;
        let Some(minus) = &v.minus else {
            return Some(left);
        };
        let right = self.term(minus, calendars)?;
        let scale = left.scale().max(right.scale());
        let hours = match v.business_hours {
            Some(id) => Some(calendars.index(id)?),
            None => None,
        };
        Some(Value::Diff {
            lift: (pow10(scale - left.scale()), pow10(scale - right.scale())),
            left: Box::new(left),
            right: Box::new(right),
            scale,
            hours,
        })
    }

    fn term(&self, t: &RowTerm, calendars: &mut Calendars<'_>) -> Option<Value> {
        Some(match t {
            RowTerm::Column(col) => {
                let col = *col;
                match &self.columns.get(col)?.kind {
                    ColumnType::Text | ColumnType::Segment(_) => Value::TextColumn(col),
                    ColumnType::Bool => Value::BoolColumn(col),
                    kind => Value::Column {
                        col,
                        scale: kind.scale(),
                    },
                }
            }
            RowTerm::Text(s) => Value::Text(s.as_bytes().to_vec()),
            RowTerm::Bool(b) => Value::Bool(*b),
            RowTerm::Quantity(q) => literal(q)?,
            RowTerm::Group(inner) => self.value(inner, calendars)?,
        })
    }
}

/// A literal as an integer at its own scale: durations in nanoseconds, money and
/// numbers as written.
fn literal(q: &Quantity) -> Option<Value> {
    if q.unit == LiteralUnit::Duration {
        return Some(Value::Number {
            value: nanoseconds(q.value)?,
            scale: NANOS,
        });
    }
    Some(Value::Number {
        value: q.value.mantissa(),
        scale: q.value.scale(),
    })
}

/// Seconds as whole nanoseconds; `None` for a finer duration (never rounded).
pub fn nanoseconds(seconds: Decimal) -> Option<i128> {
    let nanos = seconds.checked_mul(Decimal::from(1_000_000_000))?;
    if !nanos.fract().is_zero() {
        return None;
    }
    rust_decimal::prelude::ToPrimitive::to_i128(&nanos)
}

/// `value × lift`, checked; most values need no lifting, and a 128-bit checked
/// multiplication is far dearer than the test that skips it.
#[inline]
fn lifted(value: i128, lift: i128) -> Option<i128> {
    if lift == 1 {
        Some(value)
    } else {
        value.checked_mul(lift)
    }
}

pub fn pow10(exp: u32) -> i128 {
    10i128.checked_pow(exp).unwrap_or(i128::MAX)
}

/// The calendars `in business hours of …` names, each turned into a table once.
pub struct Calendars<'a> {
    pub model: &'a crate::model::Agreement,
    pub range: (jiff::civil::Date, jiff::civil::Date),
    pub names: Vec<String>,
    pub tables: Vec<OpeningTable>,
}

impl Calendars<'_> {
    pub fn index(&mut self, id: CalendarId) -> Option<usize> {
        let calendar = self.model.calendars.get(id.index())?;
        let name = calendar.name.as_str();
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Some(i);
        }
        let calendar = calendar.hours.clone();
        // A year either side: hand-overs before the first period, contacts after the last.
        let (first, last) = self.range;
        let first = first
            .checked_sub(jiff::Span::new().years(1))
            .unwrap_or(first);
        let last = last.checked_add(jiff::Span::new().years(1)).unwrap_or(last);
        self.tables.push(OpeningTable::new(calendar, first, last));
        self.names.push(name.to_owned());
        Some(self.names.len() - 1)
    }
}

/// A value computed from one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A numeric column (ints, decimals, money, instants) at its scale.
    Column {
        col: usize,
        scale: u32,
    },
    TextColumn(usize),
    BoolColumn(usize),
    Number {
        value: i128,
        scale: u32,
    },
    Text(Vec<u8>),
    Bool(bool),
    /// `left - right`, each lifted to the common scale; in business hours when a
    /// calendar is given (both sides are then instants).
    Diff {
        left: Box<Value>,
        right: Box<Value>,
        lift: (i128, i128),
        scale: u32,
        hours: Option<usize>,
    },
}

impl Value {
    pub fn scale(&self) -> u32 {
        match self {
            Value::Column { scale, .. }
            | Value::Number { scale, .. }
            | Value::Diff { scale, .. } => *scale,
            _ => 0,
        }
    }

    /// The value of each row of the batch at [`Value::scale`]; [`NO_VALUE`] where a
    /// cell is empty or the arithmetic overflows. Business time, the one dear
    /// computation, is worked out only for the `wanted` rows (all when `None`).
    pub fn eval(
        &self,
        batch: &Batch,
        tables: &[OpeningTable],
        wanted: Option<&[bool]>,
        out: &mut Vec<i128>,
    ) {
        out.clear();
        match self {
            Value::Column { col, .. } => out.extend(batch.column(*col).iter().map(|c| {
                if *c == EMPTY {
                    NO_VALUE
                } else {
                    i128::from(*c)
                }
            })),
            Value::Number { value, .. } => out.resize(batch.len, *value),
            Value::Diff {
                left,
                right,
                lift,
                hours,
                ..
            } => {
                let mut narrow = Vec::with_capacity(batch.len);
                if hours.is_none() && self.narrow(batch, &mut narrow) {
                    out.extend(narrow.iter().map(|v| match v {
                        &EMPTY => NO_VALUE,
                        v => i128::from(*v),
                    }));
                    return;
                }
                let mut subtrahend = Vec::with_capacity(batch.len);
                left.eval(batch, tables, wanted, out);
                right.eval(batch, tables, wanted, &mut subtrahend);
                let pairs = out.iter_mut().zip(&subtrahend);
                match (hours.and_then(|h| tables.get(h)), wanted) {
                    (Some(table), Some(wanted)) => {
                        pairs.zip(wanted).for_each(|((l, r), w)| {
                            *l = if *w {
                                business_time(table, *l, *r)
                            } else {
                                NO_VALUE
                            }
                        });
                    }
                    (Some(table), None) => {
                        pairs.for_each(|(l, r)| *l = business_time(table, *l, *r));
                    }
                    (None, _) => pairs.for_each(|(l, r)| *l = difference(*l, *r, *lift)),
                }
            }
            Value::Text(_) | Value::TextColumn(_) | Value::Bool(_) | Value::BoolColumn(_) => {
                out.resize(batch.len, NO_VALUE);
            }
        }
    }

    /// The values as `i64` ([`EMPTY`] where absent), when nothing needs lifting and
    /// every value of the batch fits; `false` sends the caller to [`Value::eval`].
    /// Most comparisons are between instants or their differences, and 64-bit
    /// arithmetic is half the work of 128-bit.
    fn narrow(&self, batch: &Batch, out: &mut Vec<i64>) -> bool {
        out.clear();
        match self {
            Value::Column { col, .. } => {
                out.extend_from_slice(batch.column(*col));
                true
            }
            Value::Number { value, .. } => match i64::try_from(*value) {
                Ok(v) if v != EMPTY => {
                    out.resize(batch.len, v);
                    true
                }
                _ => false,
            },
            Value::Diff {
                left,
                right,
                lift: (1, 1),
                hours: None,
                ..
            } => {
                let mut subtrahend = Vec::with_capacity(batch.len);
                if !left.narrow(batch, out) || !right.narrow(batch, &mut subtrahend) {
                    return false;
                }
                let mut fits = true;
                for (l, r) in out.iter_mut().zip(&subtrahend) {
                    if *l == EMPTY || *r == EMPTY {
                        *l = EMPTY;
                        continue;
                    }
                    match l.checked_sub(*r) {
                        Some(d) if d != EMPTY => *l = d,
                        _ => fits = false,
                    }
                }
                fits
            }
            _ => false,
        }
    }

    fn text<'b>(&'b self, batch: &'b Batch, row: usize) -> Option<&'b [u8]> {
        match self {
            Value::Text(t) => Some(t),
            Value::TextColumn(col) => batch.text(*col, row),
            _ => None,
        }
    }

    fn boolean(&self, batch: &Batch, row: usize) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::BoolColumn(col) => match batch.cell(*col, row) {
                EMPTY => None,
                b => Some(b != 0),
            },
            _ => None,
        }
    }
}

/// `later - earlier` counted in opening hours (negative when reversed).
fn business_time(table: &OpeningTable, later: i128, earlier: i128) -> i128 {
    let (Ok(l), Ok(r)) = (i64::try_from(later), i64::try_from(earlier)) else {
        // Out of range of an instant, or absent.
        return NO_VALUE;
    };
    i128::from(if l >= r {
        table.between(r, l)
    } else {
        -table.between(l, r)
    })
}

fn difference(l: i128, r: i128, lift: (i128, i128)) -> i128 {
    if l == NO_VALUE || r == NO_VALUE {
        return NO_VALUE;
    }
    match (lifted(l, lift.0), lifted(r, lift.1)) {
        (Some(l), Some(r)) => l.checked_sub(r).unwrap_or(NO_VALUE),
        _ => NO_VALUE,
    }
}

fn compare(l: i128, r: i128, op: RowOp, lift: (i128, i128)) -> u8 {
    if l == NO_VALUE || r == NO_VALUE {
        return UNKNOWN;
    }
    let (Some(l), Some(r)) = (lifted(l, lift.0), lifted(r, lift.1)) else {
        return UNKNOWN;
    };
    truth(holds(op, l, r))
}

#[inline]
fn holds<T: Ord>(op: RowOp, l: T, r: T) -> bool {
    match op {
        RowOp::Ge => l >= r,
        RowOp::Gt => l > r,
        RowOp::Le => l <= r,
        RowOp::Lt => l < r,
        RowOp::Eq => l == r,
        RowOp::Ne => l != r,
    }
}

#[inline]
fn truth(b: bool) -> u8 {
    if b { TRUE } else { FALSE }
}

/// A condition over one row, in SQL's three-valued logic: a comparison with an empty
/// value is unknown; `where` keeps rows where it is true, `expect` refuses rows where
/// it is false.
#[derive(Debug, Clone)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    IsSet {
        col: usize,
        set: bool,
    },
    Num {
        left: Value,
        op: RowOp,
        right: Value,
        lift: (i128, i128),
    },
    Text {
        left: Value,
        right: Value,
        equal: bool,
    },
    /// A segment column against one of its values, compared by index.
    Segment {
        col: usize,
        value: Option<u16>,
        equal: bool,
    },
    Bool {
        left: Value,
        right: Value,
        equal: bool,
    },
}

impl Cond {
    /// The condition's truth for each row of the batch: [`TRUE`], [`FALSE`] or
    /// [`UNKNOWN`].
    pub fn eval(&self, batch: &Batch, tables: &[OpeningTable], out: &mut Vec<u8>) {
        out.clear();
        match self {
            Cond::And(parts) | Cond::Or(parts) => {
                let and = matches!(self, Cond::And(_));
                out.resize(batch.len, if and { TRUE } else { FALSE });
                let mut part = Vec::with_capacity(batch.len);
                for p in parts {
                    p.eval(batch, tables, &mut part);
                    let pairs = out.iter_mut().zip(&part);
                    if and {
                        pairs.for_each(|(o, v)| *o = (*o).min(*v));
                    } else {
                        pairs.for_each(|(o, v)| *o = (*o).max(*v));
                    }
                }
            }
            Cond::Not(inner) => {
                inner.eval(batch, tables, out);
                out.iter_mut().for_each(|o| *o = TRUE - *o);
            }
            Cond::IsSet { col, set } => out.extend(
                batch
                    .column(*col)
                    .iter()
                    .map(|c| truth((*c != EMPTY) == *set)),
            ),
            Cond::Num {
                left,
                op,
                right,
                lift,
            } => {
                if *lift == (1, 1) {
                    let (mut l, mut r) = (Vec::with_capacity(batch.len), Vec::new());
                    if left.narrow(batch, &mut l) && right.narrow(batch, &mut r) {
                        out.extend(l.iter().zip(&r).map(|(l, r)| {
                            if *l == EMPTY || *r == EMPTY {
                                UNKNOWN
                            } else {
                                truth(holds(*op, l, r))
                            }
                        }));
                        return;
                    }
                }
                let mut l = Vec::with_capacity(batch.len);
                let mut r = Vec::with_capacity(batch.len);
                left.eval(batch, tables, None, &mut l);
                right.eval(batch, tables, None, &mut r);
                out.extend(l.iter().zip(&r).map(|(l, r)| compare(*l, *r, *op, *lift)));
            }
            Cond::Text { left, right, equal } => {
                out.extend((0..batch.len).map(|row| {
                    match (left.text(batch, row), right.text(batch, row)) {
                        (Some(a), Some(b)) => truth((a == b) == *equal),
                        _ => UNKNOWN,
                    }
                }));
            }
            Cond::Segment { col, value, equal } => {
                // A value the segment does not have matches no row.
                let value = value.map_or(-1, i64::from);
                out.extend(batch.column(*col).iter().map(|c| {
                    if *c == EMPTY {
                        UNKNOWN
                    } else {
                        truth((*c == value) == *equal)
                    }
                }));
            }
            Cond::Bool { left, right, equal } => {
                out.extend((0..batch.len).map(|row| {
                    match (left.boolean(batch, row), right.boolean(batch, row)) {
                        (Some(a), Some(b)) => truth((a == b) == *equal),
                        _ => UNKNOWN,
                    }
                }));
            }
        }
    }
}

/// What a metric computes from the rows a plan selects.
#[derive(Debug, Clone)]
pub enum PlanKind {
    Count,
    Sum(Value),
    Mean(Value),
    /// The share of rows meeting a filter (an index into the program's filters).
    Share(usize),
    /// Min, max, median and percentiles read the sorted values of a store.
    Ranked {
        store: usize,
        rank: Rank,
    },
}

#[derive(Debug, Clone, Copy)]
pub enum Rank {
    Min,
    Max,
    /// Percent rank, linear interpolation between closest ranks.
    Percentile(Decimal),
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub metric: String,
    /// Index into the program's grouping columns.
    pub by: usize,
    pub segment: Option<(usize, usize)>,
    /// Index into the program's filters.
    pub filter: Option<usize>,
    pub kind: PlanKind,
    pub scale: u32,
}

/// Values kept for ranking: one store serves every ranked metric of the same value,
/// filter, grouping and segment (median and p90 of one delay share their values).
#[derive(Debug, Clone)]
pub struct Store {
    pub value: Value,
    pub by: usize,
    pub segment: Option<(usize, usize)>,
    /// Index into the program's filters.
    pub filter: Option<usize>,
    /// What it was compiled from (value, filter, grouping column, segment), to find
    /// stores to share.
    pub source: (RowValue, Option<RowCond>, usize, Option<String>),
}

/// A promise over every row: the clock from one instant to another, within a limit.
#[derive(Debug, Clone)]
pub struct Clock {
    pub obligation: String,
    /// Index into the program's filters.
    pub filter: Option<usize>,
    pub from: usize,
    /// Index of `from` among the grouping columns.
    pub by: usize,
    pub to: usize,
    /// The limit in nanoseconds: one, or one per value of the segment column.
    pub limits: Vec<i64>,
    /// The segment column that picks the limit, and how many values it has.
    pub segment: Option<(usize, usize)>,
    pub hours: Option<usize>,
    /// The calendar's name, for reports.
    pub calendar: Option<String>,
}

/// How many segment values a column has, for the buckets of a segmented metric.
pub fn segment_count(schema: &Schema, col: usize) -> usize {
    schema.columns.get(col).map_or(0, |c| c.values.len())
}

pub fn rank_of(func: &AggFn) -> Option<Rank> {
    match func {
        AggFn::Min => Some(Rank::Min),
        AggFn::Max => Some(Rank::Max),
        AggFn::Median => Some(Rank::Percentile(Decimal::from(50))),
        AggFn::Percentile(p) => Some(Rank::Percentile(*p)),
        _ => None,
    }
}
