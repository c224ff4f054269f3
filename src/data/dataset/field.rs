//! One field of a row, parsed strictly by its column's declared type.
//!
//! Numbers stay integers at the column's scale (cents for EUR, nanoseconds for
//! instants) so that nothing passes through floating point and sums stay exact.
//! Timestamps are parsed by hand: a lead log has millions of them, and RFC 3339 is
//! small enough to check completely here.

use jiff::tz::TimeZone;

pub use crate::model::period::YEARS;

/// `-12`, `+7`: an integer without a decimal point.
pub fn int(text: &[u8]) -> Result<i64, String> {
    if text.contains(&b'.') {
        return Err("a whole number has no decimal point".to_owned());
    }
    scaled(text, 0)
}

/// A decimal number as an integer of `scale` digits after the point. More digits
/// than the scale are refused unless they are zeros, never rounded.
pub fn scaled(text: &[u8], scale: u32) -> Result<i64, String> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let (whole, fraction) = match digits.iter().position(|b| *b == b'.') {
        Some(at) => (
            digits.get(..at).unwrap_or_default(),
            Some(digits.get(at + 1..).unwrap_or_default()),
        ),
        None => (digits, None),
    };
    if whole.is_empty() || !whole.iter().all(u8::is_ascii_digit) {
        return Err("expected a number such as `42` or `12.50`".to_owned());
    }
    let mut value: i64 = 0;
    let overflow = || "the number is too large".to_owned();
    for d in whole {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(d - b'0')))
            .ok_or_else(overflow)?;
    }
    let mut kept = 0;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.iter().all(u8::is_ascii_digit) {
            return Err("expected digits after the decimal point".to_owned());
        }
        for (i, d) in fraction.iter().enumerate() {
            if i < scale as usize {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(i64::from(d - b'0')))
                    .ok_or_else(overflow)?;
                kept += 1;
            } else if *d != b'0' {
                return Err(format!(
                    "{} digits after the decimal point, but the column keeps {scale}; slac does not round",
                    fraction.len()
                ));
            }
        }
    }
    for _ in kept..scale {
        value = value.checked_mul(10).ok_or_else(overflow)?;
    }
    Ok(if negative { -value } else { value })
}

/// The numbers nearly every export writes, `-?digits(.digits)?` with no more
/// fraction digits than `scale` and no more digits than an `i64` surely holds, as an
/// integer at `scale`; `None` for anything else, which [`scaled`], [`int`] or
/// [`money`] then reads or explains.
#[inline]
pub fn usual_number(text: &[u8], scale: u32) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // Eighteen digits always fit; longer numbers go to the strict parser.
    if digits.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    let mut fraction: Option<u32> = None;
    for d in digits {
        match d {
            b'0'..=b'9' => {
                value = value * 10 + i64::from(d - b'0');
                if let Some(f) = &mut fraction {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    let kept = fraction.unwrap_or(0);
    let whole = digits.len() - usize::from(fraction.is_some()) - kept as usize;
    if whole == 0 || fraction == Some(0) || kept > scale || whole + scale as usize > 18 {
        return None;
    }
    let value = value * 10i64.pow(scale - kept);
    Some(if negative { -value } else { value })
}

/// An amount of money: a number with the currency's minor digits, optionally followed
/// by the currency code (`12.50` or `12.50 EUR`).
pub fn money(text: &[u8], code: &str, scale: u32) -> Result<i64, String> {
    let number = match text.iter().position(|b| *b == b' ') {
        Some(at) => {
            let written = text.get(at + 1..).unwrap_or_default();
            if written != code.as_bytes() {
                return Err(format!(
                    "the amount is in `{}`, but the column holds {code}",
                    String::from_utf8_lossy(written)
                ));
            }
            text.get(..at).unwrap_or_default()
        }
        None => text,
    };
    scaled(number, scale).map_err(|reason| {
        if reason.contains("digits after") {
            format!("{code} has {scale} decimal places; slac does not round")
        } else {
            reason
        }
    })
}

pub fn boolean(text: &[u8]) -> Result<bool, String> {
    if text.eq_ignore_ascii_case(b"true") {
        Ok(true)
    } else if text.eq_ignore_ascii_case(b"false") {
        Ok(false)
    } else {
        Err("expected `true` or `false`".to_owned())
    }
}

/// The timestamps nearly every export writes, whole seconds with `Z` or an offset,
/// read without building any message; `None` for anything else, valid or not, which
/// [`timestamp`] then reads or explains.
#[inline]
pub fn usual_timestamp(text: &[u8]) -> Option<i64> {
    let (h, tail) = text.split_first_chunk::<19>()?;
    let offset_seconds = match tail {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let s = hours * 3600 + minutes * 60;
            if *sign == b'-' { -s } else { s }
        }
        _ => return None,
    };
    // Eight bytes at a time: `YYYY-MM-`, `DDTHH:MM` and `HH:MM:SS`.
    let word = |from: usize| {
        h.get(from..from + 8)
            .and_then(|w| w.first_chunk::<8>())
            .map(|w| u64::from_le_bytes(*w))
    };
    let (date, time) = (
        digits(
            word(0)?,
            0x00FF_FF00_FFFF_FFFF,
            0xFF00_00FF_0000_0000,
            b"    -  -",
        )?,
        digits(
            word(8)?,
            0xFFFF_00FF_FF00_FFFF,
            0x0000_FF00_00FF_0000,
            b"  T  :  ",
        )?,
    );
    let seconds = digits(
        word(11)?,
        0xFFFF_0000_0000_0000,
        0x0000_FF00_0000_0000,
        b"     :  ",
    )?;
    let pair = |pairs: u64, at: u32| i64::from((pairs >> (8 * at)) as u8);
    let year = pair(date, 0) * 100 + pair(date, 2);
    let (month, day) = (pair(date, 5), pair(time, 0));
    let (hour, minute, second) = (pair(time, 3), pair(time, 6), pair(seconds, 6));
    let year = i32::try_from(year).ok()?;
    if !(YEARS.0..=YEARS.1).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let local_seconds =
        month_start(year, month) + (day - 1) * 86_400 + hour * 3600 + minute * 60 + second;
    Some((local_seconds - offset_seconds) * 1_000_000_000)
}

/// An RFC 3339 timestamp (`2026-03-31T23:30:00+00:00`, `…Z`, fractions of a second
/// allowed) as nanoseconds since 1970. Without an offset it is read in `zone`, if the
/// dataset declares one, and refused otherwise.
pub fn timestamp(text: &[u8], zone: Option<&TimeZone>) -> Result<i64, String> {
    let shape = || "expected a timestamp such as `2026-03-31T23:30:00+02:00`".to_owned();
    let Some(Ok(h)) = text.get(..19).map(<[u8; 19]>::try_from) else {
        return Err(shape());
    };
    // Fixed positions, YYYY-MM-DDTHH:MM:SS, read with constant indexes.
    if h[4] != b'-' || h[7] != b'-' || h[13] != b':' || h[16] != b':' {
        return Err(shape());
    }
    if !matches!(h[10], b'T' | b't' | b' ') {
        return Err(shape());
    }
    let (
        Some(century),
        Some(decade),
        Some(month),
        Some(day),
        Some(hour),
        Some(minute),
        Some(second),
    ) = (
        two(h[0], h[1]),
        two(h[2], h[3]),
        two(h[5], h[6]),
        two(h[8], h[9]),
        two(h[11], h[12]),
        two(h[14], h[15]),
        two(h[17], h[18]),
    )
    else {
        return Err(shape());
    };
    let year = century * 100 + decade;
    let at = |i: usize| text.get(i).copied();
    let year = i32::try_from(year).map_err(|_| shape())?;
    if !(YEARS.0..=YEARS.1).contains(&year) {
        return Err(format!("year {year} is outside {} to {}", YEARS.0, YEARS.1));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    let month_days = days_in_month(year, month);
    if day < 1 || day > month_days {
        return Err(format!(
            "{year}-{month:02} has {month_days} days, not {day}"
        ));
    }
    if hour > 23 {
        return Err(format!(
            "there is no hour {hour} (days run from 00:00 to 23:59)"
        ));
    }
    if minute > 59 {
        return Err(format!("there is no minute {minute}"));
    }
    if second > 59 {
        return Err(format!("there is no second {second}"));
    }
    let mut i = 19;
    let mut nanos: i64 = 0;
    if at(i) == Some(b'.') {
        i += 1;
        let mut count = 0;
        while let Some(d) = at(i).filter(u8::is_ascii_digit) {
            if count == 9 {
                return Err("more than 9 digits of a second".to_owned());
            }
            nanos = nanos * 10 + i64::from(d - b'0');
            count += 1;
            i += 1;
        }
        if count == 0 {
            return Err("expected digits after the decimal point of the seconds".to_owned());
        }
        for _ in count..9 {
            nanos *= 10;
        }
    }
    let local_seconds =
        month_start(year, month) + (day - 1) * 86_400 + hour * 3600 + minute * 60 + second;
    let offset_seconds = match (at(i), text.len()) {
        (Some(b'Z' | b'z'), len) if len == i + 1 => 0,
        (Some(sign @ (b'+' | b'-')), len) if len == i + 6 && at(i + 3) == Some(b':') => {
            let pair = |from: usize| match (at(from), at(from + 1)) {
                (Some(a), Some(b)) => two(a, b),
                _ => None,
            };
            let (Some(h), Some(m)) = (pair(i + 1), pair(i + 4)) else {
                return Err("expected an offset such as `+02:00`".to_owned());
            };
            if h > 23 || m > 59 {
                return Err(format!(
                    "there is no offset {}",
                    String::from_utf8_lossy(text.get(i..).unwrap_or_default())
                ));
            }
            let s = h * 3600 + m * 60;
            if sign == b'-' { -s } else { s }
        }
        (None, _) => {
            return match zone {
                Some(zone) => local(year, month, day, hour, minute, second, nanos, zone),
                None => Err("the timestamp has no offset, and the dataset declares no zone; write `+01:00` or `Z`, or add `zone \"Europe/Berlin\"` to the dataset".to_owned()),
            };
        }
        _ => return Err("expected `Z` or an offset such as `+02:00` after the time".to_owned()),
    };
    Ok((local_seconds - offset_seconds) * 1_000_000_000 + nanos)
}

#[allow(clippy::too_many_arguments)]
fn local(
    year: i32,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    zone: &TimeZone,
) -> Result<i64, String> {
    let narrow = |v: i64| i8::try_from(v).map_err(|_| "out of range".to_owned());
    let year = i16::try_from(year).map_err(|_| "out of range".to_owned())?;
    let datetime = jiff::civil::DateTime::new(
        year,
        narrow(month)?,
        narrow(day)?,
        narrow(hour)?,
        narrow(minute)?,
        narrow(second)?,
        i32::try_from(nanos).map_err(|_| "out of range".to_owned())?,
    )
    .map_err(|e| e.to_string())?;
    let ambiguous = zone.to_ambiguous_zoned_datetime(datetime);
    if ambiguous.is_ambiguous() {
        return Err(format!(
            "{datetime} happens twice or never in {} (a change of clocks); write the offset",
            zone.iana_name().unwrap_or("the dataset's zone")
        ));
    }
    let zoned = ambiguous.compatible().map_err(|e| e.to_string())?;
    i64::try_from(zoned.timestamp().as_nanosecond()).map_err(|_| "out of range".to_owned())
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks a word of eight bytes against its layout: ASCII digits where `digits`
/// has `FF`, the separator bytes of `template` where `separators` has `FF`. Returns
/// each two-digit number starting at byte `i` in byte `i` of the result.
#[inline]
fn digits(word: u64, digits: u64, separators: u64, template: &[u8; 8]) -> Option<u64> {
    const LOW: u64 = 0x0F0F_0F0F_0F0F_0F0F;
    if word & separators != u64::from_le_bytes(*template) & separators {
        return None;
    }
    // A digit's byte, with its `0x3` high half cleared, is at most 9: nothing but
    // its low half is set, and adding 6 stays below 16.
    let values = (word ^ 0x3030_3030_3030_3030) & digits;
    if values & !LOW != 0 || (values + (0x0606_0606_0606_0606 & digits)) & !LOW != 0 {
        return None;
    }
    // Each byte times ten plus the byte after it; no byte carries (at most 99).
    Some(values * 10 + (values >> 8))
}

/// Two ASCII digits as a number.
#[inline]
fn two(tens: u8, ones: u8) -> Option<i64> {
    let (t, o) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
    (t < 10 && o < 10).then(|| i64::from(t * 10 + o))
}

/// Seconds from 1970 to the first of each month of the accepted years, worked out
/// by the compiler: a lookup instead of calendar arithmetic per timestamp.
// Evaluated while compiling: an index out of range fails the build, never a run.
#[allow(clippy::indexing_slicing)]
static MONTH_STARTS: [i64; MONTHS] = {
    let mut table = [0; MONTHS];
    let mut i = 0;
    while i < MONTHS {
        table[i] = days_from_civil(YEARS.0 + (i / 12) as i32, (i % 12) as i64 + 1, 1) * 86_400;
        i += 1;
    }
    table
};
const MONTHS: usize = (YEARS.1 - YEARS.0 + 1) as usize * 12;

/// Seconds from 1970 to the first of the month.
fn month_start(year: i32, month: i64) -> i64 {
    let index = i64::from(year - YEARS.0) * 12 + month - 1;
    usize::try_from(index)
        .ok()
        .and_then(|i| MONTH_STARTS.get(i).copied())
        .unwrap_or_else(|| days_from_civil(year, month, 1) * 86_400)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
const fn days_from_civil(year: i32, month: i64, day: i64) -> i64 {
    let y = year as i64 - (month <= 2) as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Result<i64, String> {
        timestamp(text.as_bytes(), None)
    }

    /// Repeatable pseudo-random numbers below `n` (a linear congruential generator).
    fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        }
    }

    #[test]
    fn usual_numbers_read_like_any_other() {
        let mut next = numbers(7);
        let alphabet = b"0123456789.-+ e";
        for _ in 0..50_000 {
            let len = next(22) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    let odd = next(4) == 0;
                    let i = next(if odd { 15 } else { 10 }) as usize;
                    alphabet.get(i).copied().unwrap_or(b'0')
                })
                .collect();
            for scale in [0, 2, 4] {
                if let Some(quick) = usual_number(&text, scale) {
                    assert_eq!(Ok(quick), scaled(&text, scale), "{text:?} at {scale}");
                    assert_eq!(Ok(quick), money(&text, "EUR", scale), "{text:?} at {scale}");
                    if scale == 0 {
                        assert_eq!(Ok(quick), int(&text), "{text:?}");
                    }
                }
            }
        }
        assert_eq!(usual_number(b"-12.5", 2), Some(-1250));
        assert_eq!(usual_number(b"12.345", 2), None);
        assert_eq!(usual_number(b"4.0", 0), None);
        assert_eq!(usual_number(b"99999999999999999999999", 0), None);
    }

    #[test]
    fn the_usual_shape_reads_like_any_other() {
        let mut next = numbers(2026);
        for _ in 0..50_000 {
            let mut text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                1890 + next(230),
                next(14),
                next(33),
                next(26),
                next(62),
                next(62)
            );
            match next(3) {
                0 => text.push('Z'),
                1 => text.push_str(&format!("+{:02}:{:02}", next(26), next(62))),
                _ => text.push_str(&format!("-{:02}:{:02}", next(26), next(62))),
            }
            let mut bytes = text.into_bytes();
            // Now and then one byte anything at all.
            if next(2) == 0
                && let Some(b) = bytes.get_mut(next(25) as usize)
            {
                *b = next(256) as u8;
            }
            match usual_timestamp(&bytes) {
                Some(quick) => assert_eq!(Ok(quick), timestamp(&bytes, None), "{bytes:?}"),
                None => {
                    // Only a shape the quick path leaves alone may still be valid.
                    let valid = timestamp(&bytes, None).is_ok();
                    assert!(!valid || bytes.get(10) != Some(&b'T'), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn timestamps_agree_with_jiff() {
        for text in [
            "2026-03-31T23:30:00+00:00",
            "2026-03-31T23:30:00Z",
            "2026-03-29T01:59:59.123456789+01:00",
            "2024-02-29T12:00:00-05:00",
            "1900-01-01T00:00:00Z",
            "2100-12-31T23:59:59.5+14:00",
        ] {
            let expected: jiff::Timestamp = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                ts(text),
                Ok(i64::try_from(expected.as_nanosecond()).unwrap_or(0)),
                "{text}"
            );
        }
    }

    #[test]
    fn impossible_timestamps_are_refused() {
        for (text, reason) in [
            ("2026-03-31T24:00:00Z", "no hour 24"),
            ("2026-02-29T10:00:00Z", "has 28 days"),
            ("2026-13-01T10:00:00Z", "no month 13"),
            ("2026-03-31T23:30:00", "no offset"),
            ("2026-03-31T23:30:00+25:00", "no offset +25:00"),
            ("2026-03-31", "expected a timestamp"),
            ("2026-03-31T23:30:60Z", "no second 60"),
            ("1899-12-31T23:00:00Z", "outside"),
        ] {
            let err = ts(text).err().unwrap_or_default();
            assert!(err.contains(reason), "{text}: {err}");
        }
    }

    #[test]
    fn zone_less_timestamps_need_a_zone_and_a_single_instant() {
        let berlin = jiff::tz::db()
            .get("Europe/Berlin")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            timestamp(b"2026-01-15T10:00:00", Some(&berlin)),
            ts("2026-01-15T10:00:00+01:00")
        );
        // 02:30 on 29 March 2026 never happens in Berlin; 02:30 on 25 October happens twice.
        assert!(timestamp(b"2026-03-29T02:30:00", Some(&berlin)).is_err());
        assert!(timestamp(b"2026-10-25T02:30:00", Some(&berlin)).is_err());
    }

    #[test]
    fn money_is_never_rounded() {
        assert_eq!(money(b"12.34", "EUR", 2), Ok(1234));
        assert_eq!(money(b"12.340", "EUR", 2), Ok(1234));
        assert_eq!(money(b"12", "EUR", 2), Ok(1200));
        assert_eq!(money(b"-0.5 EUR", "EUR", 2), Ok(-50));
        assert!(
            money(b"12.345", "EUR", 2)
                .err()
                .unwrap_or_default()
                .contains("2 decimal places")
        );
        assert!(money(b"12.34 USD", "EUR", 2).is_err());
        assert!(money(b"1e3", "EUR", 2).is_err());
        assert!(money(b"12,34", "EUR", 2).is_err());
        assert_eq!(money(b"1000", "JPY", 0), Ok(1000));
    }

    #[test]
    fn integers_and_booleans_are_strict() {
        assert_eq!(int(b"42"), Ok(42));
        assert_eq!(int(b"-3"), Ok(-3));
        assert!(int(b"4.0").is_err());
        assert!(int(b"").is_err());
        assert!(int(b"99999999999999999999").is_err());
        assert_eq!(boolean(b"TRUE"), Ok(true));
        assert!(boolean(b"yes").is_err());
    }
}
