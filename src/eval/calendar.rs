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
        let mut day = first;
        while day <= last {
            if self.holidays.binary_search(&day).is_err() {
                let weekday = usize::from(day.weekday().to_monday_one_offset().unsigned_abs()) - 1;
                for (open, close) in self.hours.get(weekday).into_iter().flatten() {
                    let (Some(o), Some(c)) = (self.instant(day, *open), self.instant(day, *close))
                    else {
                        continue;
                    };
                    let (from, to) = (o.max(start), c.min(end));
                    if to > from {
                        total += to.duration_since(from);
                    }
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        total
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
}
