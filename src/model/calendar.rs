//! Business-hours calendars: how much opening time lies between two instants.
//!
//! Opening hours are local times in the calendar's zone, so each day's hours are turned
//! into instants through the zone: across a change to or from daylight saving time the
//! count stays right (a day that loses an hour at 02:00 loses it only if the calendar
//! was open then).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::syntax::ast::Calendar;

/// A calendar ready for computation.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    zone: TimeZone,
    /// Opening intervals per weekday, Monday first.
    hours: [Vec<(Time, Time)>; 7],
    holidays: Vec<Date>,
}

impl BusinessCalendar {
    /// `None` when the calendar's zone is not known (the checker reports that).
    pub fn from_ast(calendar: &Calendar) -> Option<BusinessCalendar> {
        let zone = jiff::tz::db().get(&calendar.zones.first()?.node).ok()?;
        let mut hours: [Vec<(Time, Time)>; 7] = Default::default();
        for h in &calendar.hours {
            for range in &h.days {
                let (first, last) = (range.node.first, range.node.last);
                let days: Vec<u8> = if first <= last {
                    (first..=last).collect()
                } else {
                    (first..=7).chain(1..=last).collect()
                };
                for day in days {
                    if let Some(slot) = hours.get_mut(usize::from(day.saturating_sub(1))) {
                        slot.push((h.open.node, h.close.node));
                    }
                }
            }
        }
        let mut holidays: Vec<Date> = calendar.holidays.iter().map(|h| h.date.node).collect();
        holidays.sort();
        holidays.dedup();
        Some(BusinessCalendar {
            zone,
            hours,
            holidays,
        })
    }

    /// Opening time between `start` and `end` (zero when `end` is not after `start`).
    pub fn between(&self, start: Timestamp, end: Timestamp) -> SignedDuration {
        if end <= start {
            return SignedDuration::ZERO;
        }
        let first = start.to_zoned_datetime(self.zone.clone()).date();
        let last = end.to_zoned_datetime(self.zone.clone()).date();
        let mut total = SignedDuration::ZERO;
        for (o, c) in self.opening(first, last) {
            let (from, to) = (o.max(start), c.min(end));
            if to > from {
                total += to.duration_since(from);
            }
        }
        total
    }

    /// The opening intervals of the local days `first` to `last`, in order.
    fn opening(&self, first: Date, last: Date) -> Vec<(Timestamp, Timestamp)> {
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            if self.holidays.binary_search(&day).is_err() {
                let weekday = usize::from(day.weekday().to_monday_one_offset().unsigned_abs()) - 1;
                for (open, close) in self.hours.get(weekday).into_iter().flatten() {
                    if let (Some(o), Some(c)) =
                        (self.instant(day, *open), self.instant(day, *close))
                        && c > o
                    {
                        out.push((o, c));
                    }
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        out.sort();
        // Overlapping hours (`mon-fri 09:00-17:00` and `mon 08:00-10:00`) count once.
        let mut merged: Vec<(Timestamp, Timestamp)> = Vec::with_capacity(out.len());
        for (o, c) in out {
            match merged.last_mut() {
                Some(last) if o <= last.1 => last.1 = last.1.max(c),
                _ => merged.push((o, c)),
            }
        }
        merged
    }

    /// The instant a local time on a day happens; a time skipped by a change of clocks
    /// is taken as the moment after the gap, as jiff's compatible rule does.
    fn instant(&self, day: Date, time: Time) -> Option<Timestamp> {
        day.to_datetime(time)
            .to_zoned_datetime(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }
}

/// A calendar's opening intervals as nanosecond instants with running totals, so
/// that the opening time between two instants is two lookups (each from an index by
/// day) instead of a walk over the days in between (millions of rows need that). The table covers
/// the days around the agreement; an instant outside them (a placeholder date far in
/// the future, say) builds, once, a table of every day a dataset timestamp can have.
#[derive(Debug)]
pub struct OpeningTable {
    calendar: BusinessCalendar,
    near: Spans,
    wide: std::sync::OnceLock<Spans>,
}

#[derive(Debug, Clone)]
struct Spans {
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Opening time before each interval.
    before: Vec<i64>,
    /// Instants the table covers.
    covers: (i64, i64),
    /// For each day (of 24 hours) from the first instant covered, the intervals
    /// starting before it: a search starts there and steps over a day's few
    /// intervals, instead of bisecting the whole table.
    days: Vec<u32>,
}

const DAY: i64 = 86_400 * 1_000_000_000;

impl Spans {
    fn new(calendar: &BusinessCalendar, first: Date, last: Date) -> Spans {
        let intervals = calendar.opening(first, last);
        let mut spans = Spans {
            starts: Vec::with_capacity(intervals.len()),
            ends: Vec::with_capacity(intervals.len()),
            before: Vec::with_capacity(intervals.len()),
            covers: (0, 0),
            days: Vec::new(),
        };
        let mut total: i64 = 0;
        for (o, c) in intervals {
            let (o, c) = (nanos(o), nanos(c));
            spans.starts.push(o);
            spans.ends.push(c);
            spans.before.push(total);
            total = total.saturating_add(c - o);
        }
        let start_of = |d: Date| {
            d.to_datetime(Time::midnight())
                .to_zoned_datetime(calendar.zone.clone())
                .map(|z| nanos(z.timestamp()))
                .unwrap_or(0)
        };
        spans.covers = (
            start_of(first),
            last.tomorrow().map(start_of).unwrap_or(i64::MIN),
        );
        let mut day = spans.covers.0;
        while day <= spans.covers.1 {
            let before = spans.starts.partition_point(|s| *s <= day);
            spans.days.push(u32::try_from(before).unwrap_or(u32::MAX));
            // Instants saturate after 2262: the index stops there, and lookups
            // beyond it bisect.
            let Some(next) = day.checked_add(DAY) else {
                break;
            };
            day = next;
        }
        spans
    }

    fn holds(&self, start: i64, end: i64) -> bool {
        start >= self.covers.0 && end <= self.covers.1
    }

    /// Opening time before `t` since the table's first day.
    fn open_before(&self, t: i64) -> i64 {
        let day = usize::try_from(t.saturating_sub(self.covers.0) / DAY).ok();
        let mut i = match day.and_then(|d| self.days.get(d)) {
            Some(i) => *i as usize,
            None => self.starts.partition_point(|s| *s <= t),
        };
        while self.starts.get(i).is_some_and(|s| *s <= t) {
            i += 1;
        }
        let Some(j) = i.checked_sub(1) else {
            return 0;
        };
        match (self.before.get(j), self.starts.get(j), self.ends.get(j)) {
            (Some(b), Some(s), Some(e)) => b + (t.min(*e) - s),
            _ => 0,
        }
    }
}

impl OpeningTable {
    /// The calendar's opening intervals from `first` to `last`, indexed by day.
    pub fn new(calendar: BusinessCalendar, first: Date, last: Date) -> OpeningTable {
        OpeningTable {
            near: Spans::new(&calendar, first, last),
            calendar,
            wide: std::sync::OnceLock::new(),
        }
    }

    /// Opening nanoseconds between two instants given in nanoseconds.
    pub fn between(&self, start: i64, end: i64) -> i64 {
        if end <= start {
            return 0;
        }
        if self.near.holds(start, end) {
            return self.near.open_before(end) - self.near.open_before(start);
        }
        let wide = self.wide.get_or_init(|| {
            let (first, last) = super::period::TIMESTAMP_DAYS;
            Spans::new(&self.calendar, first, last)
        });
        if wide.holds(start, end) {
            return wide.open_before(end) - wide.open_before(start);
        }
        let (Ok(a), Ok(b)) = (
            Timestamp::from_nanosecond(i128::from(start)),
            Timestamp::from_nanosecond(i128::from(end)),
        ) else {
            return 0;
        };
        i64::try_from(self.calendar.between(a, b).as_nanos()).unwrap_or(i64::MAX)
    }
}

/// An instant as nanoseconds since 1970, saturating far outside any agreement.
pub fn nanos(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanosecond()).unwrap_or(if t.as_nanosecond() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(text: &str) -> BusinessCalendar {
        let agreement = format!(
            "agreement \"C\" {{\n  summary \"s\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n{text}\n}}\n"
        );
        let compiled = crate::compile_str("calendar.sla", &agreement);
        let ast = compiled
            .agreement
            .unwrap_or_else(|| panic!("{:?}", compiled.diagnostics));
        let Some(crate::syntax::ast::Item::Calendar(c)) = ast.items.last() else {
            panic!("no calendar");
        };
        BusinessCalendar::from_ast(c).unwrap_or_else(|| panic!("bad calendar"))
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn friday_afternoon_to_monday_morning() {
        let office = calendar(
            "  calendar office {\n    zone \"Europe/Berlin\"\n    hours mon-fri 09:00-17:00\n  }",
        );
        // Friday 16:30 to Monday 09:15, Berlin time: 30 + 15 minutes.
        let waited = office.between(
            at("2026-03-06T16:30:00+01:00"),
            at("2026-03-09T09:15:00+01:00"),
        );
        assert_eq!(waited, SignedDuration::from_mins(45));
        assert_eq!(
            office.between(
                at("2026-03-09T10:00:00+01:00"),
                at("2026-03-09T09:00:00+01:00")
            ),
            SignedDuration::ZERO
        );
    }

    #[test]
    fn holidays_are_closed() {
        let office = calendar(
            "  calendar office {\n    zone \"Europe/Berlin\"\n    hours mon-fri 09:00-17:00\n    holiday 2026-12-24\n  }",
        );
        // Wednesday 23 Dec 16:00 to Friday 25 Dec 10:00: 1 h on the 23rd, none on the 24th, 1 h on the 25th.
        let waited = office.between(
            at("2026-12-23T16:00:00+01:00"),
            at("2026-12-25T10:00:00+01:00"),
        );
        assert_eq!(waited, SignedDuration::from_hours(2));
    }

    #[test]
    fn daylight_saving_days_have_their_real_length() {
        let always = calendar(
            "  calendar always {\n    zone \"Europe/Berlin\"\n    hours mon-sun 00:00-23:59\n  }",
        );
        // 29 March 2026: clocks go from 02:00 to 03:00 in Berlin; the day is 23 hours long.
        let day = always.between(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"));
        assert_eq!(day, SignedDuration::from_mins(22 * 60 + 59));
        // 25 October 2026: clocks go back; the day is 25 hours long.
        let day = always.between(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"));
        assert_eq!(day, SignedDuration::from_mins(24 * 60 + 59));
        // Office hours are local: a 9-17 day is 8 hours on both sides of the change.
        let office = calendar(
            "  calendar office {\n    zone \"Europe/Berlin\"\n    hours mon-fri 09:00-17:00\n  }",
        );
        let week = office.between(at("2026-03-27T00:00:00Z"), at("2026-03-31T00:00:00Z"));
        assert_eq!(week, SignedDuration::from_hours(16));
    }

    #[test]
    fn the_table_agrees_with_walking_the_days() {
        let office = calendar(
            "  calendar office {\n    zone \"Europe/Berlin\"\n    hours mon-fri 09:00-17:00\n    hours mon 08:00-10:00\n    holiday 2026-04-03\n  }",
        );
        let from = Date::constant(2026, 3, 1);
        let to = Date::constant(2026, 4, 30);
        let table = OpeningTable::new(office.clone(), from, to);
        let instants = [
            "2026-02-27T16:00:00+01:00",
            "2026-03-06T16:30:00+01:00",
            "2026-03-09T07:15:00+01:00",
            "2026-03-09T09:15:00+01:00",
            "2026-03-27T12:00:00+01:00",
            "2026-03-30T08:59:59+02:00",
            "2026-04-02T16:59:00+02:00",
            "2026-04-06T09:01:00+02:00",
            "2026-05-04T10:00:00+02:00",
            // Outside the table's days: a placeholder far ahead, and one long before.
            "2031-06-02T10:00:00+02:00",
            "2019-12-24T12:00:00+01:00",
        ];
        for a in instants {
            for b in instants {
                let (a, b) = (at(a), at(b));
                let walked = office.between(a, b).as_nanos();
                let looked_up = table.between(nanos(a), nanos(b));
                assert_eq!(i128::from(looked_up), walked, "{a} to {b}");
            }
        }
    }

    #[test]
    fn a_table_past_2262_is_built_and_read() {
        // Instants saturate after 2262; the day index must stop there.
        let office =
            calendar("  calendar office {\n    zone \"UTC\"\n    hours mon-fri 09:00-17:00\n  }");
        let table = OpeningTable::new(
            office.clone(),
            Date::constant(2262, 1, 1),
            Date::constant(2299, 12, 31),
        );
        let (a, b) = (at("2262-03-05T16:00:00Z"), at("2262-03-08T10:00:00Z"));
        let walked = office.between(a, b).as_nanos();
        assert_eq!(i128::from(table.between(nanos(a), nanos(b))), walked);
    }
}
