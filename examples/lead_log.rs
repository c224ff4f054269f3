//! Writes a synthetic lead log, the raw data behind the smarketing metrics,
//! for benchmarks and cross-checks:
//! `cargo run --release --example lead_log -- --rows N [--seed S] [--out PATH]`.
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
const USAGE: &str = "usage: lead_log --rows N [--seed S] [--out PATH]";

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
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut rows = None;
    let mut seed = 2026_u64;
    let mut out = None;
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
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    let rows = rows.ok_or_else(|| format!("--rows is required\n{USAGE}"))?;
    Ok(Some(Args { rows, seed, out }))
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

fn write_log(rows: u64, seed: u64, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let start = days_from_civil(2026, 1, 1) * DAY;
    let end = days_from_civil(2026, 7, 1) * DAY - 1;
    let timestamps = Timestamps::new(start / DAY - 1, end / DAY + 120);
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
        let (handed_over, first_contact) = if marketing {
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
        let won = match first_contact {
            Some(contact) if connected && rng.chance(22) => Some((
                contact + rng.between(DAY, 30 * DAY),
                rng.between(5_000, 90_000),
            )),
            _ => None,
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
        timestamps.push(&mut line, created, offset);
        line.push(b',');
        if let Some(at) = handed_over {
            timestamps.push(&mut line, at, offset);
        }
        line.push(b',');
        if let Some(at) = first_contact {
            timestamps.push(&mut line, at, offset);
        }
        line.push(b',');
        push_padded(&mut line, attempts as u64, 1);
        line.extend_from_slice(if connected { b",true," } else { b",false," });
        if let Some((at, cents)) = won {
            timestamps.push(&mut line, at, offset);
            line.push(b',');
            push_padded(&mut line, (cents / 100) as u64, 1);
            line.push(b'.');
            push_2(&mut line, cents % 100);
        } else {
            line.push(b',');
        }
        line.push(b'\n');
        out.write_all(&line)?;
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
            write_log(args.rows, args.seed, &mut out)
                .map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        None => {
            let mut out = BufWriter::with_capacity(BUFFER, io::stdout().lock());
            match write_log(args.rows, args.seed, &mut out) {
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
