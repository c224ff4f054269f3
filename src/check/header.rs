//! The agreement's header: summary, kind, period with time zone, effective dates.

use crate::syntax::ast::{AgreementKind, Item, Span};

use super::{CheckError, Checker};

impl<'a> Checker<'a> {
    pub(super) fn header(&mut self) {
        let mut summary: Option<Span> = None;
        let mut kind: Option<(Span, AgreementKind)> = None;
        let mut period: Option<Span> = None;
        let mut effective: Option<Span> = None;
        let mut consequences: Option<Span> = None;
        for item in &self.ast.items {
            let (clause, span, first) = match item {
                Item::Summary(s) => ("summary", s.span, summary.replace(s.span)),
                Item::Kind(k) => (
                    "kind",
                    k.span,
                    kind.replace((k.span, k.node)).map(|(s, _)| s),
                ),
                Item::Period(p) => {
                    self.time_zone(&p.zone.node, p.zone.span);
                    if self.period.is_none() {
                        self.period = Some(p.unit.node);
                    }
                    ("period", p.span, period.replace(p.span))
                }
                Item::Effective(e) => {
                    if e.from.node > e.to.node {
                        self.report(CheckError::EmptyRange {
                            from: e.from.node.to_string(),
                            to: e.to.node.to_string(),
                            span: e.from.span.to(e.to.span).into(),
                        });
                    }
                    ("effective", e.span, effective.replace(e.span))
                }
                Item::Consequences(c) => (
                    "consequences follow root cause",
                    c.span,
                    consequences.replace(c.span),
                ),
                _ => continue,
            };
            if let Some(first) = first {
                self.report(CheckError::DuplicateClause {
                    clause,
                    span: span.into(),
                    first: first.into(),
                });
            }
        }
        if let Some((span, AgreementKind::MultiLevel)) = kind
            && self.symbols.tiers.is_empty()
        {
            self.report(CheckError::MissingTiers { span: span.into() });
        }
        if self.partial {
            return;
        }
        let at = self.ast.name.span;
        if summary.is_none() {
            self.report(CheckError::MissingSummary { span: at.into() });
        }
        let owner = format!("agreement \"{}\"", self.ast.name.node);
        let missing = [
            (
                kind.is_none(),
                "kind",
                "add `kind internal` (or `customer`, `multi_level`)",
            ),
            (
                period.is_none(),
                "period",
                "add the period and its time zone, e.g. `period month in \"Europe/Berlin\"`",
            ),
            (
                effective.is_none(),
                "effective",
                "add the dates it applies, e.g. `effective 2026-01-01 to 2026-12-31`",
            ),
        ];
        for (is_missing, clause, help) in missing {
            if is_missing {
                self.report(CheckError::MissingClause {
                    owner: owner.clone(),
                    clause,
                    span: at.into(),
                    help: help.to_owned(),
                });
            }
        }
    }

    /// Periods and calendars need a real IANA zone; offsets like `+01:00` would
    /// silently ignore daylight saving time.
    pub(super) fn time_zone(&mut self, zone: &str, span: Span) {
        let db = jiff::tz::db();
        if db.get(zone).is_ok() {
            return;
        }
        let names: Vec<String> = db.available().map(|n| n.to_string()).collect();
        let help = match crate::suggest::did_you_mean(zone, names.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`"
                    .to_owned()
            }
        };
        self.report(CheckError::UnknownTimeZone {
            zone: zone.to_owned(),
            span: span.into(),
            help,
        });
    }
}
