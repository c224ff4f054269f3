//! Remedies, caps on credits, and termination conditions.

use crate::syntax::ast::{CapWindow, Expr, Item, MissRule, TerminateSubject};

use super::error::GradingError;
use super::{CheckError, Checker};
use crate::model::unit::Dim;

impl<'a> Checker<'a> {
    pub(super) fn remedies(&mut self) {
        let remedies: Vec<_> = self.symbols.remedies.iter().map(|(_, r)| r).collect();
        for remedy in remedies {
            if remedy.actions.is_empty() && remedy.strikes.is_empty() && remedy.credits.is_empty() {
                self.report(GradingError::EmptyRemedy {
                    remedy: remedy.name.node.clone(),
                    span: remedy.name.span.into(),
                });
            }
            for party in &remedy.responsible {
                self.party(party);
            }
            for strike in &remedy.strikes {
                if let Some(against) = &strike.against {
                    self.party(against);
                }
            }
            for credit in &remedy.credits {
                self.credit(credit);
            }
        }
    }

    /// A credit is an amount of money.
    pub(super) fn credit(&mut self, amount: &'a Expr) -> Option<Dim> {
        self.money(
            amount,
            "a credit",
            "state the credit as an amount, e.g. `credit 10% * monthly_fee` or `credit 500 EUR`",
        )
    }

    /// An amount that must be money: a credit, or a cap on credits.
    fn money(&mut self, amount: &'a Expr, what: &'static str, help: &str) -> Option<Dim> {
        let dim = self.type_of(amount)?;
        if matches!(dim, Dim::Money(_)) {
            return Some(dim);
        }
        self.report(CheckError::WrongUnit {
            what,
            expected: "money",
            found: dim.describe(),
            span: amount.span.into(),
            help: help.to_owned(),
        });
        None
    }

    /// Credits granted anywhere: in remedies and inline in bands or obligations.
    fn credit_amounts(&self) -> Vec<&'a Expr> {
        let mut out: Vec<&'a Expr> = Vec::new();
        for (_, remedy) in self.symbols.remedies.iter() {
            out.extend(remedy.credits.iter());
        }
        for (_, o) in self.symbols.obligations.iter() {
            out.extend(o.inline_credits());
        }
        out
    }

    /// Credits are totalled per period, so they must share one currency.
    pub(super) fn credit_currencies(&mut self) {
        let mut first: Option<(crate::syntax::ast::Currency, &'a Expr)> = None;
        for credit in self.credit_amounts() {
            let Some(Dim::Money(c)) = self.type_of_quietly(credit) else {
                continue;
            };
            match &first {
                None => first = Some((c, credit)),
                Some((reference, at)) if *reference != c => {
                    let error = CheckError::CurrencyMismatch {
                        verb: "total",
                        left: reference.to_string(),
                        right: c.to_string(),
                        left_span: at.span.into(),
                        right_span: credit.span.into(),
                    };
                    self.report(error);
                }
                Some(_) => {}
            }
        }
    }

    pub(super) fn caps(&mut self) {
        let caps: Vec<_> = self
            .ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Cap(c) => Some(c),
                _ => None,
            })
            .collect();
        if caps.is_empty() {
            return;
        }
        let credits = self.credit_amounts();
        for cap in caps {
            if credits.is_empty() && !self.partial {
                self.report(GradingError::CapWithoutCredit {
                    span: cap.span.into(),
                });
            }
            if let (CapWindow::Unit(unit), Some(period)) = (cap.per.node, self.period)
                && unit < period
            {
                self.report(GradingError::CapWindow {
                    per: format!("per {}", unit.word()),
                    period: period.word(),
                    span: cap.per.span.into(),
                });
            }
            let cap_amount = self.money(
                &cap.amount,
                "a cap on credits",
                "cap credits at an amount, e.g. `cap credits at 50% * monthly_fee per period` or `cap credits at 5000 EUR per year`",
            );
            let Some(Dim::Money(cap_currency)) = cap_amount else {
                continue;
            };
            for credit in &credits {
                let Some(Dim::Money(c)) = self.type_of_quietly(credit) else {
                    continue;
                };
                if c != cap_currency {
                    self.report(CheckError::CurrencyMismatch {
                        verb: "cap",
                        left: cap_currency.to_string(),
                        right: c.to_string(),
                        left_span: cap.amount.span.into(),
                        right_span: credit.span.into(),
                    });
                }
            }
        }
    }

    /// The unit of an expression already checked elsewhere, without reporting again.
    fn type_of_quietly(&mut self, e: &'a Expr) -> Option<Dim> {
        let before = self.errors.len();
        let dim = self.type_of(e);
        self.errors.truncate(before);
        dim
    }

    pub(super) fn terminations(&mut self) {
        let terminations: Vec<_> = self
            .ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Terminate(t) => Some(t),
                _ => None,
            })
            .collect();
        for t in terminations {
            if let TerminateSubject::Obligations(names) = &t.subject {
                for name in names {
                    self.obligation_ref(name);
                }
            }
            let problem = match t.rule.node {
                MissRule::InARow(0) => Some((
                    "a streak of 0 missed periods is always reached".to_owned(),
                    "count at least one period, e.g. `missed 3 periods in a row`".to_owned(),
                )),
                MissRule::OfLast { missed, window } if missed == 0 || window == 0 => Some((
                    format!("`{missed} of the last {window}` counts no periods"),
                    "count at least one period, e.g. `missed 4 of the last 6 periods`".to_owned(),
                )),
                MissRule::OfLast { missed, window } if missed > window => Some((
                    format!("{missed} misses cannot happen in the last {window} periods"),
                    format!("make the window at least {missed} periods long"),
                )),
                _ => None,
            };
            if let Some((reason, help)) = problem {
                self.report(GradingError::InvalidWindow {
                    reason,
                    span: t.rule.span.into(),
                    help,
                });
            }
        }
    }
}
