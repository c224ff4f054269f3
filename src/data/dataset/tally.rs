//! Running totals of one scan (one per piece of the file), merged in file order, and turned into
//! exact decimal values per period and segment at the end.

use rust_decimal::Decimal;

use super::program::{Plan, PlanKind, Rank};

/// Rows, matches and a sum: enough for count, sum, mean and share.
#[derive(Debug, Clone, Copy, Default)]
pub struct Acc {
    pub rows: u64,
    pub yes: u64,
    pub sum: i128,
}

impl Acc {
    fn add(&mut self, other: &Acc) {
        self.rows += other.rows;
        self.yes += other.yes;
        self.sum += other.sum;
    }
}

/// A row that broke a per-row promise.
#[derive(Debug, Clone)]
pub struct Breach {
    /// Line in the file (within the thread's piece until merged).
    pub line: u64,
    pub key: Option<String>,
    pub owner: Option<String>,
    pub start: i64,
    pub stop: Option<i64>,
    /// Time on the clock (to the end of the period for a clock still running).
    pub elapsed: i64,
    /// How far over the limit.
    pub late: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ClockAcc {
    pub rows: u64,
    pub complied: u64,
    pub open: u64,
    /// The worst breaches, latest first, at most the number asked for.
    pub worst: Vec<Breach>,
}

impl ClockAcc {
    /// Whether a breach this late, on this line, would be among the `keep` worst
    /// (the later the worse; of two as late, the earlier line first).
    pub fn keeps(&self, late: i64, line: u64, keep: usize) -> bool {
        keep > 0
            && !(self.worst.len() >= keep
                && self.worst.last().is_some_and(|w| {
                    (w.late, std::cmp::Reverse(w.line)) >= (late, std::cmp::Reverse(line))
                }))
    }

    /// Keeps a breach among the `keep` worst, in the same order whatever order they
    /// come in (pieces of a file, rows set aside and judged after).
    pub fn breach(&mut self, b: Breach, keep: usize) {
        if !self.keeps(b.late, b.line, keep) {
            return;
        }
        let at = self
            .worst
            .partition_point(|w| w.late > b.late || (w.late == b.late && w.line <= b.line));
        self.worst.insert(at, b);
        self.worst.truncate(keep);
    }
}

/// Everything one scan of (part of) a file adds up.
#[derive(Debug, Clone)]
pub struct Tally {
    /// Per plan: buckets of period × (segment values + one for rows without).
    pub accs: Vec<Vec<Acc>>,
    /// Per store: the same buckets, each a list of values (one list per piece).
    pub values: Vec<Vec<Vec<Vec<i64>>>>,
    /// Per clock: per period × its segment buckets (one for a clock without).
    pub clocks: Vec<Vec<ClockAcc>>,
    /// Per grouping column: rows used per period.
    pub covered: Vec<Vec<u64>>,
    /// Per grouping column: rows it places in no period.
    pub outside: Vec<Outside>,
    /// Per plan, for `count`, `sum` and `mean` plans when days are counted: buckets
    /// of day × (segment values + one for rows without); empty otherwise.
    pub daily: Vec<Vec<Acc>>,
}

/// Where a row falls when its grouping timestamp places it in no period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beyond {
    /// Before the agreement's `effective` range.
    Before,
    /// After the agreement's `effective` range.
    After,
    /// Inside the range, but after the end of the `--as-of` day.
    AfterAsOf,
}

impl Beyond {
    /// Every kind, in the order reports list them.
    pub const ALL: [Beyond; 3] = [Beyond::Before, Beyond::After, Beyond::AfterAsOf];
}

/// Rows one grouping column places in no period, by kind, with the first of each.
#[derive(Debug, Clone, Default)]
pub struct Outside {
    /// Rows per kind, in the order of [`Beyond::ALL`].
    pub rows: [u64; 3],
    /// The first such row of each kind in the file.
    pub first: [Option<OutsideRow>; 3],
}

/// A row outside, as the warning shows it.
#[derive(Debug, Clone)]
pub struct OutsideRow {
    /// Line in the file (within the thread's piece until merged).
    pub line: u64,
    /// File offset of the row's first byte.
    pub byte: u64,
    /// Byte column of the timestamp in its line, from 1.
    pub column: u64,
    /// The timestamp as written.
    pub value: String,
}

impl Outside {
    /// Counts a row, keeping it when it is the first of its kind.
    pub fn note(&mut self, kind: Beyond, row: impl FnOnce() -> OutsideRow) {
        let at = kind as usize;
        if let Some(n) = self.rows.get_mut(at) {
            *n += 1;
        }
        if let Some(slot @ None) = self.first.get_mut(at) {
            *slot = Some(row());
        }
    }

    fn merge(&mut self, other: &Outside) {
        for (a, b) in self.rows.iter_mut().zip(other.rows) {
            *a += b;
        }
        // The first row in the file, whichever scan found it.
        for (a, b) in self.first.iter_mut().zip(&other.first) {
            let earlier = match (&a, b) {
                (None, Some(_)) => true,
                (Some(mine), Some(theirs)) => theirs.line < mine.line,
                _ => false,
            };
            if earlier {
                a.clone_from(b);
            }
        }
    }
}

impl Tally {
    pub fn new(
        plans: &[Plan],
        store_buckets: &[usize],
        clock_buckets: &[usize],
        groupings: usize,
        periods: usize,
        days: usize,
    ) -> Tally {
        Tally {
            accs: plans
                .iter()
                .map(|p| vec![Acc::default(); periods * buckets(p.segment)])
                .collect(),
            values: store_buckets
                .iter()
                .map(|b| vec![vec![Vec::new()]; periods * b])
                .collect(),
            clocks: clock_buckets
                .iter()
                .map(|b| vec![ClockAcc::default(); periods * b])
                .collect(),
            covered: vec![vec![0; periods]; groupings],
            outside: vec![Outside::default(); groupings],
            daily: plans
                .iter()
                .map(|p| match p.kind {
                    PlanKind::Count | PlanKind::Sum(_) | PlanKind::Mean(_) => {
                        vec![Acc::default(); days * buckets(p.segment)]
                    }
                    _ => Vec::new(),
                })
                .collect(),
        }
    }

    /// Adds a later piece of the file to this one.
    pub fn merge(&mut self, other: Tally, keep: usize) {
        for (mine, theirs) in self.accs.iter_mut().zip(&other.accs) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.add(b);
            }
        }
        for (mine, theirs) in self.values.iter_mut().zip(other.values) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.extend(b.into_iter().filter(|v| !v.is_empty()));
            }
        }
        for (mine, theirs) in self.clocks.iter_mut().zip(other.clocks) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.rows += b.rows;
                a.complied += b.complied;
                a.open += b.open;
                for breach in b.worst {
                    a.breach(breach, keep);
                }
            }
        }
        for (mine, theirs) in self.covered.iter_mut().zip(&other.covered) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        for (mine, theirs) in self.outside.iter_mut().zip(&other.outside) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.daily.iter_mut().zip(&other.daily) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.add(b);
            }
        }
    }

    /// Sorts every list of kept values, so ranks can be found without copying them.
    pub fn sort_values(&mut self) {
        for store in &mut self.values {
            for bucket in store {
                for list in bucket {
                    list.sort_unstable();
                }
            }
        }
    }
}

/// Buckets per period of a plan: one per segment value and one for rows without.
pub fn buckets(segment: Option<(usize, usize)>) -> usize {
    segment.map_or(1, |(_, n)| n + 1)
}

/// An integer at `scale` as a decimal.
pub fn decimal(value: i128, scale: u32) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(value, scale).ok()
}

/// A plan's value from the accumulators of the buckets it covers (one segment, or all
/// of them for the total). `None` when it is undefined (a mean of no rows).
pub fn finish(plan: &Plan, accs: &[&Acc]) -> Option<Decimal> {
    let mut total = Acc::default();
    for a in accs {
        total.add(a);
    }
    match &plan.kind {
        PlanKind::Count => Some(Decimal::from(total.yes)),
        PlanKind::Sum(_) => decimal(total.sum, plan.scale).map(|d| d.normalize()),
        PlanKind::Mean(_) => {
            if total.yes == 0 {
                return None;
            }
            decimal(total.sum, plan.scale)?
                .checked_div(Decimal::from(total.yes))
                .map(|d| d.normalize())
        }
        PlanKind::Share(_) => {
            if total.rows == 0 {
                return None;
            }
            Decimal::from(total.yes)
                .checked_div(Decimal::from(total.rows))
                .map(|d| d.normalize())
        }
        PlanKind::Ranked { .. } => None,
    }
}

/// The value at `rank` (0-based) among sorted lists taken together, by bisecting
/// the range of values: no list is copied or merged.
pub fn nth(lists: &[&[i64]], rank: u64) -> Option<i64> {
    let lo = lists.iter().filter_map(|l| l.first()).min()?;
    let hi = lists.iter().filter_map(|l| l.last()).max()?;
    let (mut lo, mut hi) = (i128::from(*lo), i128::from(*hi));
    while lo < hi {
        let mid = lo + (hi - lo).div_euclid(2);
        let at_most: u64 = lists
            .iter()
            .map(|l| l.partition_point(|v| i128::from(*v) <= mid) as u64)
            .sum();
        if at_most > rank {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    i64::try_from(lo).ok()
}

/// Min, max or a percentile of sorted lists taken together, at `scale`.
pub fn ranked(lists: &[&[i64]], rank: Rank, scale: u32) -> Option<Decimal> {
    let n: u64 = lists.iter().map(|l| l.len() as u64).sum();
    let last = n.checked_sub(1)?;
    let at = |r: u64| nth(lists, r).and_then(|v| decimal(i128::from(v), scale));
    let value = match rank {
        Rank::Min => at(0)?,
        Rank::Max => at(last)?,
        Rank::Percentile(p) => {
            // Position (n - 1) × p / 100, between the two closest ranks.
            let position = Decimal::from(last)
                .checked_mul(p)?
                .checked_div(Decimal::ONE_HUNDRED)?;
            let below = rust_decimal::prelude::ToPrimitive::to_u64(&position.floor())?;
            let fraction = position - position.floor();
            let low = at(below)?;
            if fraction.is_zero() {
                low
            } else {
                let high = at(below + 1)?;
                low.checked_add(high.checked_sub(low)?.checked_mul(fraction)?)?
            }
        }
    };
    Some(value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_across_lists_match_one_sorted_list() {
        let a: Vec<i64> = vec![1, 4, 4, 9, 20];
        let b: Vec<i64> = vec![-3, 4, 7];
        let c: Vec<i64> = vec![];
        let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
        all.sort_unstable();
        for (r, expected) in all.iter().enumerate() {
            assert_eq!(nth(&[&a, &b, &c], r as u64), Some(*expected));
        }
        assert_eq!(nth(&[&c], 0), None);
    }

    #[test]
    fn percentiles_interpolate_like_sql_quantile_cont() {
        let values: Vec<i64> = vec![10, 20, 30, 40];
        let lists: [&[i64]; 1] = [&values];
        let p = |x: i64| ranked(&lists, Rank::Percentile(Decimal::from(x)), 0);
        // Position (4 - 1) × 0.5 = 1.5: halfway between 20 and 30.
        assert_eq!(p(50), Some(Decimal::from(25)));
        // Position 2.7: 30 + 0.7 × 10.
        assert_eq!(p(90), Some(Decimal::from(37)));
        assert_eq!(p(0), Some(Decimal::from(10)));
        assert_eq!(p(100), Some(Decimal::from(40)));
        assert_eq!(ranked(&lists, Rank::Max, 1), Some(Decimal::from(4)));
    }
}
