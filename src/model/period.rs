//! Agreement periods: `2026-03`, `2026-Q1`, `2026-W11`, `2026`, as calendar days in
//! the agreement's time zone.

use jiff::civil::{Date, ISOWeekDate, Weekday};

use crate::syntax::ast::PeriodUnit;

/// One period of an agreement. `index` is the month (1–12), quarter (1–4), ISO week
/// (1–53) or 1 for a year; weeks use ISO week-numbering years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Week, month, quarter or year.
    pub unit: PeriodUnit,
    /// The (ISO week-numbering, for weeks) year.
    pub year: i16,
    /// The week, month or quarter in the year, from 1; 1 for a year.
    pub index: i8,
}

impl Period {
    /// The period that contains a calendar day.
    pub fn containing(date: Date, unit: PeriodUnit) -> Period {
        let (year, index) = match unit {
            PeriodUnit::Week => {
                let w = date.iso_week_date();
                (w.year(), w.week())
            }
            PeriodUnit::Month => (date.year(), date.month()),
            PeriodUnit::Quarter => (date.year(), (date.month() - 1) / 3 + 1),
            PeriodUnit::Year => (date.year(), 1),
        };
        Period { unit, year, index }
    }

    /// Parses a period label, which must be of the agreement's unit.
    pub fn parse(text: &str, unit: PeriodUnit) -> Result<Period, String> {
        let expected = match unit {
            PeriodUnit::Week => "a week such as `2026-W11`",
            PeriodUnit::Month => "a month such as `2026-03`",
            PeriodUnit::Quarter => "a quarter such as `2026-Q1`",
            PeriodUnit::Year => "a year such as `2026`",
        };
        let wrong = || format!("expected {expected}, found `{text}`");
        let (year_text, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(wrong());
        }
        let year: i16 = year_text.parse().map_err(|_| wrong())?;
        let number = |s: &str, max: i8| {
            s.parse::<i8>()
                .ok()
                .filter(|n| (1..=max).contains(n) && s.len() <= 2)
        };
        let index = match (unit, rest) {
            (PeriodUnit::Year, None) => 1,
            (PeriodUnit::Month, Some(m)) if m.len() == 2 => number(m, 12).ok_or_else(wrong)?,
            (PeriodUnit::Quarter, Some(q)) => q
                .strip_prefix('Q')
                .and_then(|n| number(n, 4))
                .ok_or_else(wrong)?,
            (PeriodUnit::Week, Some(w)) => {
                let week = w
                    .strip_prefix('W')
                    .and_then(|n| number(n, 53))
                    .ok_or_else(wrong)?;
                ISOWeekDate::new(year, week, Weekday::Monday)
                    .map_err(|_| format!("{year} has no ISO week {week}"))?;
                week
            }
            _ => return Err(wrong()),
        };
        Ok(Period { unit, year, index })
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        let fallback = Date::new(self.year, 1, 1).unwrap_or(Date::MIN);
        match self.unit {
            PeriodUnit::Week => ISOWeekDate::new(self.year, self.index, Weekday::Monday)
                .map(ISOWeekDate::date)
                .unwrap_or(fallback),
            PeriodUnit::Month => Date::new(self.year, self.index, 1).unwrap_or(fallback),
            PeriodUnit::Quarter => {
                Date::new(self.year, (self.index - 1) * 3 + 1, 1).unwrap_or(fallback)
            }
            PeriodUnit::Year => fallback,
        }
    }

    /// The period after this one (itself at the end of the calendar).
    pub fn next(self) -> Period {
        let start = self.start();
        let after = match self.unit {
            PeriodUnit::Week => start.checked_add(jiff::Span::new().weeks(1)),
            PeriodUnit::Month => start.checked_add(jiff::Span::new().months(1)),
            PeriodUnit::Quarter => start.checked_add(jiff::Span::new().months(3)),
            PeriodUnit::Year => start.checked_add(jiff::Span::new().years(1)),
        };
        after.map_or(self, |d| Period::containing(d, self.unit))
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        let next = self.next();
        if next == self {
            return Date::MAX;
        }
        next.start().yesterday().unwrap_or(Date::MAX)
    }

    /// Days in the period.
    pub fn days(self) -> i64 {
        i64::from((self.end() - self.start()).get_days()) + 1
    }

    /// How the period is written: `2026-03`, `2026-Q1`, `2026-W11`, `2026`.
    pub fn label(self) -> String {
        match self.unit {
            PeriodUnit::Week => format!("{:04}-W{:02}", self.year, self.index),
            PeriodUnit::Month => format!("{:04}-{:02}", self.year, self.index),
            PeriodUnit::Quarter => format!("{:04}-Q{}", self.year, self.index),
            PeriodUnit::Year => format!("{:04}", self.year),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// Every period from the one containing `from` to the one containing `to`.
pub fn range(from: Date, to: Date, unit: PeriodUnit) -> Vec<Period> {
    let last = Period::containing(to, unit);
    let mut out = vec![Period::containing(from, unit)];
    while let Some(&p) = out.last() {
        let next = p.next();
        if p >= last || next == p {
            break;
        }
        out.push(next);
    }
    out
}

/// Instants in data are accepted between these years: nanoseconds since 1970 then
/// fit in an `i64` with room for the difference of any two.
pub const YEARS: (i32, i32) = (1900, 2100);

/// The days a dataset timestamp can fall on (with a day either side for offsets).
pub const TIMESTAMP_DAYS: (Date, Date) = (
    Date::constant(YEARS.0 as i16 - 1, 12, 31),
    Date::constant(YEARS.1 as i16 + 1, 1, 1),
);

/// Serialises a period as its label (`2026-03`).
pub fn period_label<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.label())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn labels_round_trip() {
        for (text, unit) in [
            ("2026-03", PeriodUnit::Month),
            ("2026-Q1", PeriodUnit::Quarter),
            ("2026-W11", PeriodUnit::Week),
            ("2026", PeriodUnit::Year),
        ] {
            assert_eq!(
                Period::parse(text, unit).map(Period::label),
                Ok(text.to_owned())
            );
        }
        assert!(Period::parse("2026-3", PeriodUnit::Month).is_err());
        assert!(Period::parse("2026-13", PeriodUnit::Month).is_err());
        assert!(Period::parse("2026-Q1", PeriodUnit::Month).is_err());
        assert!(Period::parse("2027-W53", PeriodUnit::Week).is_err());
        assert!(Period::parse("2026-W53", PeriodUnit::Week).is_ok());
        assert!(Period::parse("2020-W53", PeriodUnit::Week).is_ok());
    }

    #[test]
    fn bounds_and_days() {
        let feb = Period::parse("2028-02", PeriodUnit::Month).unwrap();
        assert_eq!(
            (feb.start(), feb.end(), feb.days()),
            (date(2028, 2, 1), date(2028, 2, 29), 29)
        );
        let q4 = Period::containing(date(2026, 11, 27), PeriodUnit::Quarter);
        assert_eq!((q4.label(), q4.days()), ("2026-Q4".to_owned(), 92));
        let w1 = Period::containing(date(2026, 1, 1), PeriodUnit::Week);
        assert_eq!(w1.label(), "2026-W01");
        assert_eq!(
            range(date(2026, 1, 1), date(2026, 12, 31), PeriodUnit::Month).len(),
            12
        );
    }
}
