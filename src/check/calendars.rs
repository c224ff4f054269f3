//! Business-hours calendars: a zone, opening hours that make sense, holidays once.

use std::collections::BTreeMap;

use crate::syntax::ast::{Calendar, Span};

use super::{CheckError, Checker};

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl<'a> Checker<'a> {
    pub(super) fn calendars(&mut self) {
        let calendars: Vec<_> = self.symbols.calendars.iter().map(|(_, c)| c).collect();
        for calendar in calendars {
            self.calendar(calendar);
        }
    }

    fn calendar(&mut self, calendar: &'a Calendar) {
        let owner = format!("calendar `{}`", calendar.name.node);
        match calendar.zones.split_first() {
            None => self.report(CheckError::MissingClause {
                owner: owner.clone(),
                clause: "zone",
                span: calendar.name.span.into(),
                help: "say whose clock it follows, e.g. `zone \"Europe/Berlin\"`".to_owned(),
            }),
            Some((first, rest)) => {
                self.time_zone(&first.node, first.span);
                for again in rest {
                    self.report(CheckError::DuplicateClause {
                        clause: "zone",
                        span: again.span.into(),
                        first: first.span.into(),
                    });
                }
            }
        }
        if calendar.hours.is_empty() {
            self.report(CheckError::MissingClause {
                owner,
                clause: "hours",
                span: calendar.name.span.into(),
                help: "give the opening hours, e.g. `hours mon-fri 09:00-17:00`".to_owned(),
            });
        }
        // Per weekday, the opening intervals seen so far.
        let mut open: BTreeMap<u8, Vec<(jiff::civil::Time, jiff::civil::Time, Span)>> =
            BTreeMap::new();
        for hours in &calendar.hours {
            if hours.open.node >= hours.close.node {
                self.report(CheckError::InvalidHours {
                    span: hours.open.span.to(hours.close.span).into(),
                });
                continue;
            }
            let mut reported = false;
            for range in &hours.days {
                let days: Vec<u8> = if range.node.first <= range.node.last {
                    (range.node.first..=range.node.last).collect()
                } else {
                    // `sat-mon` wraps over the weekend.
                    (range.node.first..=7).chain(1..=range.node.last).collect()
                };
                for day in days {
                    let slots = open.entry(day).or_default();
                    let clash = slots
                        .iter()
                        .find(|(o, c, _)| hours.open.node < *c && *o < hours.close.node)
                        .map(|(_, _, s)| *s);
                    if let Some(first) = clash {
                        if reported {
                            continue;
                        }
                        reported = true;
                        let name = DAY_NAMES
                            .get(usize::from(day.saturating_sub(1)))
                            .copied()
                            .unwrap_or("a day");
                        self.report(CheckError::OverlappingHours {
                            day: name,
                            span: hours.span.into(),
                            first: first.into(),
                        });
                    } else {
                        slots.push((hours.open.node, hours.close.node, hours.span));
                    }
                }
            }
        }
        let mut holidays: BTreeMap<jiff::civil::Date, Span> = BTreeMap::new();
        for holiday in &calendar.holidays {
            if let Some(first) = holidays.insert(holiday.date.node, holiday.date.span) {
                self.report(CheckError::Duplicate {
                    what: "holiday",
                    name: holiday.date.node.to_string(),
                    span: holiday.date.span.into(),
                    first: first.into(),
                });
            }
        }
    }
}
