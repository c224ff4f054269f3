//! The benchmark's floor: a single-purpose scan of a lead log, written for this one file
//! shape and nothing else. It reads the columns `sla-examples/lead-log.sla` uses and adds
//! up the month metrics (hand-overs per month and segment, wins and revenue, follow-up
//! mean, median and 90th percentile, contacts within the hour, attempts of unconnected
//! leads) on one thread, with no diagnostics, no duplicate keys, no `expect`, no business
//! hours and no general CSV: a row with a quote or a value it cannot read is skipped.
//!
//! `scripts/bench_datasets.py` times it next to `slac check` to show how far the general
//! engine is from the cost of simply reading the columns:
//! `cargo run --release --example lead_scan -- FILE`.

use std::io::Read;

const MONTHS: usize = 6;
const SEGMENTS: [&[u8]; 3] = [b"executive", b"manager", b"intern"];

#[derive(Default)]
struct Month {
    mqls: [u64; 3],
    customers_from_mqls: u64,
    customers_won: u64,
    /// Money in cents.
    revenue: i64,
    marketing_revenue: i64,
    follow_ups: Vec<i64>,
    within_hour: u64,
    handed_over: u64,
    attempts_unconnected: (i64, u64),
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: lead_scan FILE");
        std::process::exit(2);
    };
    let mut file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("lead_scan: {path}: {e}");
            std::process::exit(2);
        }
    };
    let mut months: Vec<Month> = (0..MONTHS).map(|_| Month::default()).collect();
    let bounds = month_bounds();
    let (mut rows, mut skipped) = (0u64, 0u64);
    let mut buffer = vec![0u8; 1 << 22];
    let mut kept = 0usize;
    let mut header = true;
    loop {
        let read = file
            .read(buffer.get_mut(kept..).unwrap_or_default())
            .unwrap_or(0);
        let filled = kept + read;
        let text = buffer.get(..filled).unwrap_or_default();
        let last_newline = match memchr::memrchr(b'\n', text) {
            Some(at) => at + 1,
            None if read == 0 => filled,
            None => {
                buffer.resize(buffer.len() * 2, 0);
                kept = filled;
                continue;
            }
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.get(..last_newline).unwrap_or_default()) {
            let line = text.get(start..end).unwrap_or_default();
            start = end + 1;
            if line.is_empty() {
                continue;
            }
            if header {
                header = false;
                continue;
            }
            rows += 1;
            if row(line, &bounds, &mut months).is_none() {
                skipped += 1;
            }
        }
        buffer.copy_within(last_newline..filled, 0);
        kept = filled - last_newline;
        if read == 0 {
            // A last line without a line break.
            if kept > 0 && !header {
                rows += 1;
                if row(buffer.get(..kept).unwrap_or_default(), &bounds, &mut months).is_none() {
                    skipped += 1;
                }
            }
            break;
        }
    }
    for (i, month) in months.iter_mut().enumerate() {
        let n = month.follow_ups.len();
        let (mean, median, p90) = if n == 0 {
            (0, 0, 0)
        } else {
            let sum: i64 = month.follow_ups.iter().sum();
            let median = *month.follow_ups.select_nth_unstable((n - 1) / 2).1;
            let p90 = *month
                .follow_ups
                .select_nth_unstable((n * 9).div_ceil(10) - 1)
                .1;
            (sum / n as i64, median, p90)
        };
        let (attempts, unconnected) = month.attempts_unconnected;
        println!(
            "2026-{:02} mqls {:?} customers_from_mqls {} customers_won {} revenue {} \
             marketing_revenue {} follow_up mean {mean} median {median} p90 {p90} \
             within_hour {}/{} attempts_unconnected {attempts}/{unconnected}",
            i + 1,
            month.mqls,
            month.customers_from_mqls,
            month.customers_won,
            month.revenue,
            month.marketing_revenue,
            month.within_hour,
            month.handed_over,
        );
    }
    println!("rows {rows} skipped {skipped}");
}

/// Adds one line's values to its months; `None` when the line is not read.
fn row(line: &[u8], bounds: &[i64; MONTHS + 1], months: &mut [Month]) -> Option<()> {
    if memchr::memchr(b'"', line).is_some() {
        return None;
    }
    let mut from = 0;
    let mut fields = memchr::memchr_iter(b',', line)
        .chain(std::iter::once(line.len()))
        .map(|end| {
            let field = line.get(from..end).unwrap_or_default();
            from = end + 1;
            field
        });
    let _lead_id = fields.next()?;
    let marketing = fields.next()? == b"marketing";
    let segment = fields.next()?;
    let segment = SEGMENTS.iter().position(|s| *s == segment)?;
    let _created = instant(fields.next()?)?;
    let handed_over = optional(fields.next()?)?;
    let first_contact = optional(fields.next()?)?;
    let attempts = number(fields.next()?)?;
    let connected = match fields.next()? {
        b"true" => true,
        b"false" => false,
        _ => return None,
    };
    let won = optional(fields.next()?)?;
    let deal = match fields.next()? {
        b"" => None,
        value => Some(cents(value)?),
    };
    if let (true, Some(at)) = (marketing, handed_over.and_then(|t| month_of(t, bounds))) {
        let month = months.get_mut(at)?;
        *month.mqls.get_mut(segment)? += 1;
        month.handed_over += 1;
        month.customers_from_mqls += u64::from(won.is_some());
        if let (Some(from), Some(to)) = (handed_over, first_contact) {
            month.follow_ups.push(to - from);
            month.within_hour += u64::from(to - from <= 3600);
        }
        if !connected {
            month.attempts_unconnected.0 += attempts;
            month.attempts_unconnected.1 += 1;
        }
    }
    if let Some(at) = won.and_then(|t| month_of(t, bounds)) {
        let month = months.get_mut(at)?;
        month.customers_won += 1;
        month.revenue += deal.unwrap_or(0);
        if marketing {
            month.marketing_revenue += deal.unwrap_or(0);
        }
    }
    Some(())
}

fn optional(field: &[u8]) -> Option<Option<i64>> {
    if field.is_empty() {
        Some(None)
    } else {
        instant(field).map(Some)
    }
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, as seconds since 1970.
fn instant(text: &[u8]) -> Option<i64> {
    let (h, offset) = text.split_first_chunk::<19>()?;
    let two = |i: usize| -> Option<i64> {
        let [a, b] = h
            .get(i..i + 2)?
            .first_chunk::<2>()?
            .map(|d| d.wrapping_sub(b'0'));
        (a < 10 && b < 10).then(|| i64::from(a * 10 + b))
    };
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let offset = match offset {
        b"Z" => 0,
        [sign, h1, h2, b':', m1, m2] => {
            let digit = |b: u8| -> Option<i64> {
                let d = b.wrapping_sub(b'0');
                (d < 10).then_some(i64::from(d))
            };
            let seconds =
                (digit(*h1)? * 10 + digit(*h2)?) * 3600 + (digit(*m1)? * 10 + digit(*m2)?) * 60;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    // Days to the month's start, from a table for the years exports span.
    let days = match MONTH_STARTS.get(((year - 2000) * 12 + month - 1) as usize) {
        Some(start) if year >= 2000 => start + day - 1,
        _ => days_from_civil(year, month, day),
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970 to the first of each month from 2000 to 2049.
static MONTH_STARTS: std::sync::LazyLock<Vec<i64>> = std::sync::LazyLock::new(|| {
    (2000..2050)
        .flat_map(|year| (1..=12).map(move |month| days_from_civil(year, month, 1)))
        .collect()
});

fn number(text: &[u8]) -> Option<i64> {
    if text.is_empty() || text.len() > 18 {
        return None;
    }
    text.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// `1250.50` as 125050 cents.
fn cents(text: &[u8]) -> Option<i64> {
    match text.iter().position(|&b| b == b'.') {
        None => Some(number(text)? * 100),
        Some(at) => {
            let (whole, fraction) = (number(text.get(..at)?)?, text.get(at + 1..)?);
            let fraction = match fraction.len() {
                1 => number(fraction)? * 10,
                2 => number(fraction)?,
                _ => return None,
            };
            Some(whole * 100 + fraction)
        }
    }
}

/// Which of 2026-01..2026-06 in Berlin an instant falls in.
fn month_of(at: i64, bounds: &[i64; MONTHS + 1]) -> Option<usize> {
    if at < *bounds.first()? {
        return None;
    }
    bounds.iter().skip(1).position(|&end| at < end)
}

/// The first instant of each month 2026-01..2026-07 in Berlin: in 2026, summer time
/// runs from 29 March to 25 October, so January to March start at +01:00, the rest at +02:00.
fn month_bounds() -> [i64; MONTHS + 1] {
    let mut bounds = [0; MONTHS + 1];
    for (i, bound) in bounds.iter_mut().enumerate() {
        let month = i as i64 + 1;
        let offset = if month <= 3 { 3600 } else { 7200 };
        *bound = days_from_civil(2026, month, 1) * 86_400 - offset;
    }
    bounds
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
