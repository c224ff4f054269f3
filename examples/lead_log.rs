//! Writes a synthetic lead log, the raw data behind the smarketing metrics,
//! for benchmarks and cross-checks:
//! `cargo run --release --example lead_log -- --rows N [--seed S] [--out PATH]
//! [--clean | dirt flags]`.
//!
//! By default the log looks like a real CRM export (the rates can be set, `--clean`
//! turns all of them off):
//! - `--repeat-rate 0.001`: rows written again with the same `lead_id` — an exact
//!   copy right after, an exact copy far later in the file, or a copy far later with
//!   `attempts` changed (the first row counts);
//! - `--expect-fail-rate 0.0005`: marketing rows contacted before their hand-over;
//! - `--malformed-rate 0.0002`: a value that does not parse (`attempts` `n/a`, a
//!   decimal comma in `deal_value`, 30 February);
//! - `--months-before 2`, `--months-after 1`: leads created outside the agreement's
//!   2026-01..2026-06, as an export of a wider window holds;
//! - every timestamp spelt on its own: `Z`, `+00:00`, Europe/Berlin wall time with
//!   that date's offset (`+01:00`, `+02:00` in summer) or a fixed `-05:00`;
//! - `--batch-rate 0.10`: hand-overs written by a nightly sync at 23:30:00 UTC (the
//!   next day in Berlin);
//! - right-censored: the export is taken at the end of its window, so contacts and
//!   wins after that are empty.
//!
//! `--clean` writes the log the benchmarks and `sla-examples/data/lead-log.csv`
//! were made from: all inside 2026-01..2026-06, one offset per row, no dirt.
//!
//! Columns: `lead_id,source,segment,created_at,handed_over_at,first_contact_at,
//! attempts,connected,won_at,deal_value`. Timestamps are RFC 3339 with an offset
//! picked per row among `Z`, `+00:00`, `+01:00`, `+02:00` and `-05:00`; every
//! timestamp of a row uses the row's offset and is the same instant as the UTC
//! value it was drawn as. The same seed always gives a byte-identical file.
//!
//! Shape of the data:
//! - source: marketing ~70 %, sales ~30 %; segment: executive ~20 %,
//!   manager ~50 %, intern ~30 %.
//! - created_at: uniform over 2026-01-01T00:00:00Z ..= 2026-06-30T23:59:59Z.
//! - handed_over_at: marketing only, created_at + 0..=48 h; empty for sales.
//! - first_contact_at: marketing: handed_over_at + 0..=60 min (~55 %),
//!   1..=8 h (~30 %), 8..=72 h (~11 %), empty (~4 %, never contacted);
//!   sales: created_at + 0..=24 h.
//! - attempts: 0 when never contacted, else 1..=8; connected: false when never
//!   contacted, else true ~75 %.
//! - won_at: ~22 % of connected leads, first_contact_at + 1..=30 days;
//!   deal_value: 50.00..=900.00 EUR when won. Both empty otherwise.

use std::error::Error;
use std::fs::File;
use std::io::{self, BufWriter, Write};

const HEADER: &[u8] = b"lead_id,source,segment,created_at,handed_over_at,first_contact_at,attempts,connected,won_at,deal_value\n";
const USAGE: &str = "usage: lead_log --rows N [--seed S] [--out PATH] [--clean] [--repeat-rate R] [--expect-fail-rate R] [--malformed-rate R] [--months-before N] [--months-after N] [--batch-rate R]";

/// Bytes buffered before each write to the output.
const BUFFER: usize = 1 << 20;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Offsets a row may be written with: the suffix and its distance from UTC.
const OFFSETS: [(&[u8], i64); 5] = [
    (b"Z", 0),
    (b"+00:00", 0),
    (b"+01:00", HOUR),
    (b"+02:00", 2 * HOUR),
    (b"-05:00", -5 * HOUR),
];

struct Args {
    rows: u64,
    seed: u64,
    out: Option<String>,
    dirt: Dirt,
}

/// How far the log is from clean: rates are shares of rows.
#[derive(Clone, Copy, Debug)]
struct Dirt {
    clean: bool,
    repeat: f64,
    expect_fail: f64,
    malformed: f64,
    months_before: i64,
    months_after: i64,
    batch: f64,
}

impl Default for Dirt {
    /// What a real export looks like.
    fn default() -> Self {
        Dirt {
            clean: false,
            repeat: 0.001,
            expect_fail: 0.0005,
            malformed: 0.0002,
            months_before: 2,
            months_after: 1,
            batch: 0.10,
        }
    }
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut rows = None;
    let mut seed = 2026_u64;
    let mut out = None;
    let mut dirt = Dirt::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--rows" => {
                let text = value("--rows")?;
                rows = Some(
                    text.parse::<u64>()
                        .map_err(|_| format!("--rows: `{text}` is not a whole number\n{USAGE}"))?,
                );
            }
            "--seed" => {
                let text = value("--seed")?;
                seed = text
                    .parse::<u64>()
                    .map_err(|_| format!("--seed: `{text}` is not a whole number\n{USAGE}"))?;
            }
            "--out" => out = Some(value("--out")?),
            "--clean" => dirt.clean = true,
            "--repeat-rate" => dirt.repeat = rate(&value("--repeat-rate")?)?,
            "--expect-fail-rate" => dirt.expect_fail = rate(&value("--expect-fail-rate")?)?,
            "--malformed-rate" => dirt.malformed = rate(&value("--malformed-rate")?)?,
            "--batch-rate" => dirt.batch = rate(&value("--batch-rate")?)?,
            "--months-before" => dirt.months_before = months(&value("--months-before")?)?,
            "--months-after" => dirt.months_after = months(&value("--months-after")?)?,
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    let rows = rows.ok_or_else(|| format!("--rows is required\n{USAGE}"))?;
    Ok(Some(Args {
        rows,
        seed,
        out,
        dirt,
    }))
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "a rate is a share from 0 to 1, found `{text}`\n{USAGE}"
        )),
    }
}

fn months(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(m) if (0..=24).contains(&m) => Ok(m),
        _ => Err(format!(
            "months: a whole number from 0 to 24, found `{text}`\n{USAGE}"
        )),
    }
}

/// xoshiro256** seeded through splitmix64, as its authors recommend.
struct Rng {
    s0: u64,
    s1: u64,
    s2: u64,
    s3: u64,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    fn new(seed: u64) -> Self {
        let mut state = seed;
        Self {
            s0: splitmix64(&mut state),
            s1: splitmix64(&mut state),
            s2: splitmix64(&mut state),
            s3: splitmix64(&mut state),
        }
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s1 << 17;
        self.s2 ^= self.s0;
        self.s3 ^= self.s1;
        self.s1 ^= self.s2;
        self.s0 ^= self.s3;
        self.s2 ^= t;
        self.s3 = self.s3.rotate_left(45);
        result
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2^-40 for our ranges).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// True with probability `rate` (a draw only when the rate is not 0, so that a
    /// clean log is the same stream of numbers as before dirt existed).
    fn hit(&mut self, rate: f64) -> bool {
        rate > 0.0 && ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < rate
    }
}

/// Europe/Berlin's offset from UTC at an instant: +02:00 from the last Sunday of
/// March, 01:00 UTC, to the last Sunday of October, 01:00 UTC; +01:00 otherwise.
fn berlin_offset(epoch: i64) -> i64 {
    let (year, _, _) = civil_from_days(epoch.div_euclid(DAY));
    let last_sunday = |month: i64| {
        let last = days_from_civil(year, month + 1, 1) - 1;
        // 1970-01-01 was a Thursday: weekday 3, counting Monday as 0 and Sunday as 6.
        last - (last + 3 + 1).rem_euclid(7)
    };
    let summer = last_sunday(3) * DAY + HOUR..last_sunday(10) * DAY + HOUR;
    if summer.contains(&epoch) {
        2 * HOUR
    } else {
        HOUR
    }
}

/// How a timestamp field of a dirty log is spelt, chosen for each field on its own.
fn spelling(rng: &mut Rng, epoch: i64) -> (&'static [u8], i64) {
    match rng.below(10) {
        0..=1 => (b"Z", 0),
        2..=3 => (b"+00:00", 0),
        4..=8 => {
            if berlin_offset(epoch) == 2 * HOUR {
                (b"+02:00", 2 * HOUR)
            } else {
                (b"+01:00", HOUR)
            }
        }
        _ => (b"-05:00", -5 * HOUR),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn push_2(line: &mut Vec<u8>, n: i64) {
    line.push(b'0' + (n / 10 % 10) as u8);
    line.push(b'0' + (n % 10) as u8);
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits.
fn push_padded(line: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [0_u8; 20];
    let mut len = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
        if n == 0 && len >= width {
            break;
        }
    }
    line.extend(digits.iter().skip(digits.len() - len));
}

/// The ASCII digit of `n % 10`.
fn digit(n: u32) -> u8 {
    b'0' + (n % 10) as u8
}

/// `YYYY-MM-DDT` of a day count since 1970-01-01 (years 0..=9999).
fn date_prefix(days: i64) -> [u8; 11] {
    let (year, month, day) = civil_from_days(days);
    let (year, month, day) = (year.clamp(0, 9999) as u32, month as u32, day as u32);
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
        b'T',
    ]
}

/// Writes instants as RFC 3339, with the date part of each day formatted once.
struct Timestamps {
    first_day: i64,
    dates: Vec<[u8; 11]>,
}

impl Timestamps {
    /// Caches the days `first_day..=last_day`; others are formatted on demand.
    fn new(first_day: i64, last_day: i64) -> Self {
        let dates = (first_day..=last_day).map(date_prefix).collect();
        Self { first_day, dates }
    }

    /// Appends the instant `epoch` (seconds since 1970 UTC) in the given offset.
    fn push(&self, line: &mut Vec<u8>, epoch: i64, (suffix, offset): (&[u8], i64)) {
        let local = epoch + offset;
        let days = local.div_euclid(DAY);
        match usize::try_from(days - self.first_day)
            .ok()
            .and_then(|i| self.dates.get(i))
        {
            Some(date) => line.extend_from_slice(date),
            None => line.extend_from_slice(&date_prefix(days)),
        }
        let secs = local.rem_euclid(DAY) as u32;
        let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
        line.extend_from_slice(&[
            digit(hour / 10),
            digit(hour),
            b':',
            digit(minute / 10),
            digit(minute),
            b':',
            digit(second / 10),
            digit(second),
        ]);
        line.extend_from_slice(suffix);
    }
}

fn write_log(rows: u64, seed: u64, dirt: Dirt, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let (before, after) = if dirt.clean {
        (0, 0)
    } else {
        (dirt.months_before, dirt.months_after)
    };
    let month_start = |months_from_2026: i64| {
        let m = months_from_2026.rem_euclid(12) + 1;
        let y = 2026 + months_from_2026.div_euclid(12);
        days_from_civil(y, m, 1) * DAY
    };
    let start = month_start(-before);
    let end = month_start(6 + after) - 1;
    let timestamps = Timestamps::new(start / DAY - 1, end / DAY + 120);
    // Rows held back to be written again later in the file: (after row, line).
    let mut held: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut line = Vec::with_capacity(256);
    out.write_all(HEADER)?;
    for row in 1..=rows {
        line.clear();
        let marketing = rng.chance(70);
        let segment: &[u8] = match rng.below(10) {
            0..=1 => b"executive",
            2..=6 => b"manager",
            _ => b"intern",
        };
        let offset = OFFSETS
            .get(rng.below(OFFSETS.len() as u64) as usize)
            .copied()
            .unwrap_or((b"Z", 0));
        let created = rng.between(start, end);
        let (mut handed_over, mut first_contact) = if marketing {
            let handed_over = created + rng.between(0, 48 * HOUR);
            let bucket = rng.below(100);
            let delay = match bucket {
                0..=54 => Some(rng.between(0, HOUR)),
                55..=84 => Some(rng.between(HOUR, 8 * HOUR)),
                85..=95 => Some(rng.between(8 * HOUR, 72 * HOUR)),
                _ => None,
            };
            (Some(handed_over), delay.map(|d| handed_over + d))
        } else {
            (None, Some(created + rng.between(0, DAY)))
        };
        let attempts = if first_contact.is_some() {
            rng.between(1, 8)
        } else {
            0
        };
        let connected = first_contact.is_some() && rng.chance(75);
        let mut won = match first_contact {
            Some(contact) if connected && rng.chance(22) => Some((
                contact + rng.between(DAY, 30 * DAY),
                rng.between(5_000, 90_000),
            )),
            _ => None,
        };
        let mut malformed = None;
        if !dirt.clean {
            // A nightly sync writes some hand-overs at 23:30:00 UTC of their day.
            if let (Some(at), true) = (handed_over, rng.hit(dirt.batch)) {
                let synced = at.div_euclid(DAY) * DAY + 23 * HOUR + 30 * MINUTE;
                let shift = synced - at;
                handed_over = Some(synced);
                first_contact = first_contact.map(|c| c + shift.max(0));
            }
            // Contacted before the hand-over: fails the dataset's `expect`.
            if let (Some(at), Some(_), true) =
                (handed_over, first_contact, rng.hit(dirt.expect_fail))
            {
                first_contact = Some(at - rng.between(MINUTE, 6 * HOUR));
            }
            // The export is taken at the end of its window: later events are not in it.
            first_contact = first_contact.filter(|c| *c <= end);
            won = won.filter(|(at, _)| *at <= end && first_contact.is_some());
            if rng.hit(dirt.malformed) {
                malformed = Some(rng.below(3));
            }
        }
        let stamp = |line: &mut Vec<u8>, rng: &mut Rng, at: i64| {
            let spelt = if dirt.clean {
                offset
            } else {
                spelling(rng, at)
            };
            timestamps.push(line, at, spelt);
        };

        line.push(b'L');
        push_padded(&mut line, row, 8);
        line.extend_from_slice(if marketing {
            b",marketing,"
        } else {
            b",sales,"
        });
        line.extend_from_slice(segment);
        line.push(b',');
        if malformed == Some(2) {
            line.extend_from_slice(b"2026-02-30T10:00:00Z");
        } else {
            stamp(&mut line, &mut rng, created);
        }
        line.push(b',');
        if let Some(at) = handed_over {
            stamp(&mut line, &mut rng, at);
        }
        line.push(b',');
        if let Some(at) = first_contact {
            stamp(&mut line, &mut rng, at);
        }
        line.push(b',');
        let attempts_at = line.len();
        if malformed == Some(0) {
            line.extend_from_slice(b"n/a");
        } else {
            push_padded(&mut line, attempts as u64, 1);
        }
        line.extend_from_slice(if connected { b",true," } else { b",false," });
        if let Some((at, cents)) = won {
            stamp(&mut line, &mut rng, at);
            line.push(b',');
            push_padded(&mut line, (cents / 100) as u64, 1);
            line.push(if malformed == Some(1) { b',' } else { b'.' });
            push_2(&mut line, cents % 100);
            if malformed == Some(1) {
                // A decimal comma is a field too many: quote it, as exports do.
                let value_at = line.iter().rposition(|b| *b == b',').unwrap_or(0);
                let start = line
                    .get(..value_at)
                    .and_then(|l| l.iter().rposition(|b| *b == b','))
                    .unwrap_or(0)
                    + 1;
                line.insert(start, b'"');
                line.push(b'"');
            }
        } else {
            line.push(b',');
        }
        line.push(b'\n');
        out.write_all(&line)?;
        if !dirt.clean && rng.hit(dirt.repeat) {
            match rng.below(3) {
                // An exact copy right after.
                0 => out.write_all(&line)?,
                // An exact copy far later.
                1 => held.push((row + rows / 3, line.clone())),
                // A copy far later with one field changed.
                _ => {
                    let mut copy = line.clone();
                    if let Some(b) = copy.get_mut(attempts_at) {
                        *b = if *b == b'9' { b'1' } else { *b + 1 };
                    }
                    held.push((row + rows / 3, copy));
                }
            }
        }
        if held.first().is_some_and(|(at, _)| *at <= row) {
            held.sort_by_key(|(at, _)| *at);
            while held.first().is_some_and(|(at, _)| *at <= row) {
                let (_, copy) = held.remove(0);
                out.write_all(&copy)?;
            }
        }
    }
    for (_, copy) in held {
        out.write_all(&copy)?;
    }
    out.flush()
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return Ok(());
        }
        Err(message) => {
            eprintln!("lead_log: {message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = run(&args) {
        eprintln!("lead_log: {error}");
        std::process::exit(1);
    }
    Ok(())
}

fn run(args: &Args) -> Result<(), Box<dyn Error>> {
    match &args.out {
        Some(path) => {
            let file = File::create(path).map_err(|e| format!("cannot create {path}: {e}"))?;
            let mut out = BufWriter::with_capacity(BUFFER, file);
            write_log(args.rows, args.seed, args.dirt, &mut out)
                .map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        None => {
            let mut out = BufWriter::with_capacity(BUFFER, io::stdout().lock());
            match write_log(args.rows, args.seed, args.dirt, &mut out) {
                // A reader that stops early (`| head`) is not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_changes_its_offset_on_the_last_sundays_of_march_and_october() {
        let at = |y, m, d, h| days_from_civil(y, m, d) * DAY + h * HOUR;
        assert_eq!(berlin_offset(at(2026, 3, 29, 0)), HOUR);
        assert_eq!(berlin_offset(at(2026, 3, 29, 1)), 2 * HOUR);
        assert_eq!(berlin_offset(at(2026, 10, 25, 0)), 2 * HOUR);
        assert_eq!(berlin_offset(at(2026, 10, 25, 1)), HOUR);
        assert_eq!(berlin_offset(at(2025, 3, 30, 1)), 2 * HOUR);
        assert_eq!(berlin_offset(at(2025, 12, 24, 12)), HOUR);
    }

    #[test]
    fn civil_round_trips() {
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 1, 1), 20_454);
    }

    #[test]
    fn timestamps_keep_the_instant() {
        let mut line = Vec::new();
        let timestamps = Timestamps::new(0, 0);
        let epoch = days_from_civil(2026, 3, 31) * DAY + 23 * HOUR + 30 * MINUTE;
        timestamps.push(&mut line, epoch, (b"+02:00", 2 * HOUR));
        assert_eq!(line, b"2026-04-01T01:30:00+02:00");
        line.clear();
        timestamps.push(&mut line, epoch, (b"-05:00", -5 * HOUR));
        assert_eq!(line, b"2026-03-31T18:30:00-05:00");
        let cached = Timestamps::new(days_from_civil(2026, 1, 1), days_from_civil(2026, 12, 31));
        for epoch in (epoch - 3 * DAY..epoch + 3 * DAY).step_by(997) {
            for offset in OFFSETS {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                timestamps.push(&mut a, epoch, offset);
                cached.push(&mut b, epoch, offset);
                assert_eq!(a, b);
            }
        }
    }
}
