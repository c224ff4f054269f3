//! A read's running totals turned into what the rest of slac reads: exact metric
//! values per period and segment (into the store the judge reads), per-row promises'
//! tallies with their worst rows, and, when asked, counts day by day.

use rust_decimal::Decimal;

use super::program::{self, PlanKind};
use super::tally::{self, Tally};
use super::{DailyCounts, Loaded, MetricValue, Program, Read};
use crate::data::store::{BreachRow, RecordTally, Recorded};

/// Each daily-counted plan's days, for its total and each segment value.
fn daily(program: &Program, tally: &Tally, out: &mut Vec<DailyCounts>) {
    let Some(first_day) = program.first_day else {
        return;
    };
    for (plan, days) in program.plans.iter().zip(&tally.daily) {
        if days.is_empty() {
            continue;
        }
        let summed = matches!(plan.kind, PlanKind::Sum(_) | PlanKind::Mean(_));
        let width = tally::buckets(plan.segment);
        let values = plan
            .segment
            .and_then(|(col, _)| program.schema.columns.get(col))
            .map_or(&[][..], |c| c.values.as_slice());
        // A day's rows and sum, for the total (`None`) or one segment value.
        let per_day = |bucket: Option<usize>| -> (Vec<u64>, Vec<Decimal>) {
            days.chunks(width)
                .map(|day| {
                    let (yes, sum) = match bucket {
                        Some(b) => day.get(b).map_or((0, 0), |a| (a.yes, a.sum)),
                        None => day.iter().fold((0, 0), |(n, s), a| (n + a.yes, s + a.sum)),
                    };
                    (yes, tally::decimal(sum, plan.scale).unwrap_or_default())
                })
                .unzip()
        };
        let daily = |segment: Option<&String>, bucket: Option<usize>| {
            let (counts, sums) = per_day(bucket);
            DailyCounts {
                metric: plan.metric.clone(),
                segment: segment.cloned(),
                first_day,
                counts,
                sums: if summed { sums } else { Vec::new() },
            }
        };
        out.push(daily(None, None));
        for (b, value) in values.iter().enumerate() {
            out.push(daily(Some(value), Some(b)));
        }
    }
}

/// Values per period (and segment) into `recorded`, and the list for reports.
pub(super) fn results(
    program: &Program,
    read: Read,
    zone: &jiff::tz::TimeZone,
    recorded: &mut Recorded,
    loaded: &mut Loaded,
) {
    let tally = read.tally;
    daily(program, &tally, &mut loaded.daily);
    let out = &mut loaded.metrics;
    for (plan_index, plan) in program.plans.iter().enumerate() {
        let segment_values: Vec<String> = match plan.segment {
            Some((col, _)) => program
                .schema
                .columns
                .get(col)
                .map_or_else(Vec::new, |c| c.values.clone()),
            None => Vec::new(),
        };
        let width = tally::buckets(plan.segment);
        for (p, period) in program.periods.iter().enumerate() {
            let covered = tally
                .covered
                .get(plan.by)
                .and_then(|c| c.get(p))
                .copied()
                .unwrap_or(0);
            if covered == 0 {
                continue;
            }
            let range = p * width..(p + 1) * width;
            let mut put = |segment: Option<&str>, buckets: std::ops::Range<usize>| {
                let value = match &plan.kind {
                    PlanKind::Ranked { store, rank } => {
                        let lists: Vec<&[i64]> = tally
                            .values
                            .get(*store)
                            .and_then(|s| s.get(buckets))
                            .into_iter()
                            .flatten()
                            .flatten()
                            .map(Vec::as_slice)
                            .collect();
                        tally::ranked(&lists, *rank, plan.scale)
                    }
                    _ => {
                        let accs: Vec<&tally::Acc> = tally
                            .accs
                            .get(plan_index)
                            .and_then(|a| a.get(buckets))
                            .into_iter()
                            .flatten()
                            .collect();
                        tally::finish(plan, &accs)
                    }
                };
                if let Some(value) = value {
                    recorded.insert(&plan.metric, segment, *period, value);
                    out.push(MetricValue {
                        metric: plan.metric.clone(),
                        period: *period,
                        segment: segment.map(str::to_owned),
                        value,
                    });
                }
            };
            put(None, range.clone());
            for (i, value) in segment_values.iter().enumerate() {
                let at = range.start + i;
                put(Some(value), at..at + 1);
            }
        }
    }
    let stamp = |t: i64| {
        jiff::Timestamp::from_nanosecond(i128::from(t))
            .map(|ts| {
                ts.to_zoned_datetime(zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let seconds = |ns: i64| {
        tally::decimal(i128::from(ns), program::NANOS)
            .unwrap_or_default()
            .normalize()
    };
    for (clock, accs) in program.clocks.iter().zip(tally.clocks) {
        let width = tally::buckets(clock.segment);
        let values = clock
            .segment
            .and_then(|(col, _)| program.schema.columns.get(col))
            .map_or(&[][..], |c| c.values.as_slice());
        for (i, acc) in accs.into_iter().enumerate() {
            let (p, bucket) = (i / width, i % width);
            let Some(period) = program.periods.get(p) else {
                continue;
            };
            // A segmented clock's last bucket holds rows without a value: none, as
            // the column is required.
            let segment = match clock.segment {
                None => None,
                Some(_) => match values.get(bucket) {
                    Some(v) => Some(v.clone()),
                    None => continue,
                },
            };
            let covered = tally
                .covered
                .get(clock.by)
                .and_then(|c| c.get(p))
                .copied()
                .unwrap_or(0);
            if covered == 0 && acc.rows == 0 {
                continue;
            }
            let worst = acc
                .worst
                .iter()
                .map(|b| BreachRow {
                    line: b.line,
                    key: b.key.clone(),
                    owner: b.owner.clone(),
                    start: stamp(b.start),
                    stop: b.stop.map(stamp),
                    elapsed: seconds(b.elapsed),
                    late: seconds(b.late),
                })
                .collect();
            recorded
                .records
                .entry((clock.obligation.clone(), segment))
                .or_default()
                .insert(
                    *period,
                    RecordTally {
                        rows: acc.rows,
                        complied: acc.complied,
                        breached: acc.rows.saturating_sub(acc.complied),
                        open: acc.open,
                        business_hours: clock.calendar.clone(),
                        worst,
                    },
                );
            recorded.periods.insert(*period);
        }
    }
}
