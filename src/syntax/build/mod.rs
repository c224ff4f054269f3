//! From pest pairs to the typed syntax tree: one function per grammar rule.
//!
//! Problems with what the author wrote (an unknown unit, an impossible date) are
//! recorded and the enclosing item is dropped; its name is remembered so that the
//! checker does not pile "unknown name" errors on top.

use std::str::FromStr;
use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::cursor::{Built, Cursor, Fail, internal, span_of};
use super::error::SyntaxError;
use super::parser::Rule;
use super::quantity;
use crate::suggest::did_you_mean;

mod dataset;
mod expr;

/// Deeper expressions are refused, so that later recursive passes stay shallow.
pub const MAX_EXPRESSION_DEPTH: u32 = 100;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
        .op(Op::prefix(Rule::neg))
});

/// What one parsed piece of a file holds.
pub struct Piece {
    pub name: Option<Spanned<String>>,
    pub span: Span,
    pub items: Vec<Item>,
    pub broken: Vec<Span>,
}

pub struct Builder {
    /// Where the text being built starts in the file (see [`span_of`]).
    offset: usize,
    pub errors: Vec<SyntaxError>,
    /// Names declared by items that could not be built.
    pub poisoned: Vec<String>,
}

impl Builder {
    pub fn new(offset: usize) -> Self {
        Builder {
            offset,
            errors: Vec::new(),
            poisoned: Vec::new(),
        }
    }

    fn report(&mut self, error: SyntaxError) -> Fail {
        self.errors.push(error);
        Fail::Reported
    }

    /// An agreement, or a piece of one: its name if the piece has it, its items, and
    /// the spans of items that did not parse. A broken item that starts on the line
    /// where the previous item ended is most likely the tail of that item
    /// (`input b = 5000 eur`), so its span reaches back to cover both. `text` is the
    /// whole file.
    pub fn agreement(&mut self, pair: Pair<'_, Rule>, text: &str) -> Built<Piece> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let name = match c.optional(Rule::string) {
            Some(s) => Some(self.string(s)?),
            None => None,
        };
        let mut items = Vec::new();
        let mut broken = Vec::new();
        let mut previous: Option<Span> = None;
        // Whether the last child became an item (rather than a broken one).
        let mut last_was_item = false;
        while let Some(child) = c.next() {
            let child_span = self.span_of(&child);
            let before = previous.replace(child_span);
            if child.as_rule() == Rule::broken_item {
                // Mid-line means the previous item ran on into this text.
                let line_start = text
                    .get(..child_span.start as usize)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let mid_line = text
                    .get(line_start..child_span.start as usize)
                    .is_some_and(|t| !t.trim().is_empty());
                broken.push(match before {
                    Some(p) if mid_line => {
                        // The item it cut short is not what was meant (`input q =
                        // 12,000 EUR` is not `q = 12`): it goes too, so that nothing
                        // is checked against a value the author did not write.
                        if last_was_item {
                            items.pop();
                        }
                        Span {
                            start: p.start,
                            end: child_span.end,
                        }
                    }
                    _ => child_span,
                });
                last_was_item = false;
                continue;
            }
            let declared = declared_name(&child);
            last_was_item = false;
            match self.item(child) {
                Ok(item) => {
                    items.push(item);
                    last_was_item = true;
                }
                Err(Fail::Reported) => self.poisoned.extend(declared),
                Err(internal) => return Err(internal),
            }
        }
        Ok(Piece {
            name,
            span,
            items,
            broken,
        })
    }

    pub fn item(&mut self, pair: Pair<'_, Rule>) -> Built<Item> {
        let span = self.span_of(&pair);
        let rule = pair.as_rule();
        let mut c = self.cursor(pair);
        let item = match rule {
            Rule::summary_clause => Item::Summary(self.string(c.required(Rule::string)?)?),
            Rule::kind_clause => {
                let word = c.required(Rule::word)?;
                Item::Kind(
                    self.choice(word, "agreement kind", &AgreementKind::WORDS, |w| {
                        AgreementKind::from_word(w)
                    })?,
                )
            }
            Rule::period_clause => {
                let unit = self.period_unit(c.required(Rule::word)?, "period")?;
                let zone = self.string(c.required(Rule::string)?)?;
                Item::Period(PeriodClause { unit, zone, span })
            }
            Rule::consequences_clause => Item::Consequences(Consequences { span }),
            Rule::effective_clause => {
                let from = self.date(c.required(Rule::date)?)?;
                let to = self.date(c.required(Rule::date)?)?;
                Item::Effective(Effective { from, to, span })
            }
            Rule::party_decl => Item::Party(Party {
                name: self.ident(c.required(Rule::ident)?),
                contacts: c
                    .many(Rule::contact)
                    .into_iter()
                    .map(|p| self.contact(p))
                    .collect::<Built<_>>()?,
                span,
            }),
            Rule::tier_decl => Item::Tier(Tier {
                name: self.ident(c.required(Rule::ident)?),
                from: self.ident(c.required(Rule::ident)?),
                to: self.ident(c.required(Rule::ident)?),
                span,
            }),
            Rule::segment_decl => Item::Segment(Segment {
                name: self.ident(c.required(Rule::ident)?),
                values: c
                    .many(Rule::ident)
                    .into_iter()
                    .map(|p| self.ident(p))
                    .collect(),
                span,
            }),
            Rule::input_decl => {
                let name = self.ident(c.required(Rule::ident)?);
                let value = match c.optional(Rule::recalculated) {
                    Some(r) => self.recalculated(r)?,
                    None => InputValue::Fixed(self.expr(c.required(Rule::expr)?, 0)?),
                };
                Item::Input(Input { name, value, span })
            }
            Rule::let_decl => Item::Let(Let {
                name: self.ident(c.required(Rule::ident)?),
                value: self.expr(c.required(Rule::expr)?, 0)?,
                span,
            }),
            Rule::metric_decl => Item::Metric(self.metric(&mut c, span)?),
            Rule::obligation_decl => Item::Obligation(self.obligation(&mut c, span)?),
            Rule::remedy_decl => Item::Remedy(self.remedy(&mut c, span)?),
            Rule::cap_decl => {
                let amount = self.expr(c.required(Rule::expr)?, 0)?;
                let per = self.cap_window(c.required(Rule::word)?)?;
                Item::Cap(Cap { amount, per, span })
            }
            Rule::terminate_decl => Item::Terminate(self.terminate(&mut c, span)?),
            Rule::calendar_decl => Item::Calendar(self.calendar(&mut c, span)?),
            Rule::dataset_decl => Item::Dataset(self.dataset(&mut c, span)?),
            other => return Err(internal(format!("item `{other:?}`"), span)),
        };
        c.finish()?;
        Ok(item)
    }

    fn choice<T>(
        &mut self,
        pair: Pair<'_, Rule>,
        what: &'static str,
        words: &[&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Built<Spanned<T>> {
        let span = self.span_of(&pair);
        let word = pair.as_str();
        match parse(word) {
            Some(v) => Ok(Spanned::new(v, span)),
            None => {
                let choices = join_words(words);
                let help = match did_you_mean(word, words.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("write one of {choices}"),
                };
                Err(self.report(SyntaxError::UnknownWord {
                    what,
                    word: word.to_owned(),
                    span: span.into(),
                    choices,
                    help,
                }))
            }
        }
    }

    fn period_unit(
        &mut self,
        pair: Pair<'_, Rule>,
        what: &'static str,
    ) -> Built<Spanned<PeriodUnit>> {
        self.choice(pair, what, &PeriodUnit::WORDS, PeriodUnit::from_word)
    }

    fn cap_window(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<CapWindow>> {
        const WORDS: [&str; 6] = ["period", "week", "month", "quarter", "year", "agreement"];
        self.choice(pair, "cap window", &WORDS, |w| match w {
            "period" => Some(CapWindow::Period),
            "agreement" => Some(CapWindow::Agreement),
            other => PeriodUnit::from_word(other).map(CapWindow::Unit),
        })
    }

    fn date(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<Date>> {
        let span = self.span_of(&pair);
        let text = pair.as_str();
        parse_date(text)
            .map(|d| Spanned::new(d, span))
            .map_err(|reason| {
                self.report(SyntaxError::InvalidDate {
                    text: text.to_owned(),
                    reason,
                    span: span.into(),
                })
            })
    }

    fn time(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<Time>> {
        let span = self.span_of(&pair);
        let text = pair.as_str();
        let parsed = text
            .split_once(':')
            .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
            .and_then(|(h, m)| Time::new(h, m, 0, 0).ok());
        match parsed {
            Some(t) => Ok(Spanned::new(t, span)),
            None => Err(self.report(SyntaxError::InvalidTime {
                text: text.to_owned(),
                span: span.into(),
            })),
        }
    }

    fn integer(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<u32>> {
        let span = self.span_of(&pair);
        match pair.as_str().parse::<u32>() {
            Ok(n) => Ok(Spanned::new(n, span)),
            Err(_) => Err(self.report(SyntaxError::NumberOutOfRange {
                text: pair.as_str().to_owned(),
                span: span.into(),
            })),
        }
    }

    fn recalculated(&mut self, pair: Pair<'_, Rule>) -> Built<InputValue> {
        let mut c = self.cursor(pair);
        let formula = self.expr(c.required(Rule::expr)?, 0)?;
        let periods = self.integer(c.required(Rule::integer)?)?;
        let fallback = self.expr(c.required(Rule::expr)?, 0)?;
        c.finish()?;
        Ok(InputValue::Recalculated {
            formula,
            periods,
            fallback,
        })
    }

    fn metric(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<Metric> {
        let name = self.ident(c.required(Rule::ident)?);
        let word = c.required(Rule::word)?;
        let type_span = self.span_of(&word);
        let currency = c.optional(Rule::currency);
        let type_word = word.as_str();
        let ty = match (type_word, currency) {
            ("money", Some(code)) => {
                let code_span = self.span_of(&code);
                let code =
                    quantity::currency(code.as_str(), code_span).map_err(|e| self.report(e))?;
                Spanned::new(MetricType::Money(code), type_span.to(code_span))
            }
            ("money", None) => {
                return Err(self.report(SyntaxError::MissingCurrency {
                    span: type_span.into(),
                }));
            }
            (_, Some(code)) if MetricType::WORDS.contains(&type_word) => {
                return Err(self.report(SyntaxError::UnexpectedCurrency {
                    ty: type_word.to_owned(),
                    code: code.as_str().to_owned(),
                    span: self.span_of(&code).into(),
                }));
            }
            _ => self.choice(word, "metric type", &MetricType::WORDS, |w| match w {
                "count" => Some(MetricType::Count),
                "number" => Some(MetricType::Number),
                "percent" | "ratio" => Some(MetricType::Percent),
                "duration" => Some(MetricType::Duration),
                _ => None,
            })?,
        };
        let segment = c.optional(Rule::ident).map(|p| self.ident(p));
        let aggregate = c
            .optional(Rule::aggregate)
            .map(|p| self.aggregate(p).map(Box::new))
            .transpose()?;
        let description = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        Ok(Metric {
            name,
            ty,
            segment,
            aggregate,
            description,
            span,
        })
    }

    fn obligation(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<Obligation> {
        let mut o = Obligation {
            name: self.ident(c.required(Rule::ident)?),
            summary: None,
            by: Vec::new(),
            for_: Vec::new(),
            tier: Vec::new(),
            requires: Vec::new(),
            promise: Vec::new(),
            records: Vec::new(),
            deliver: Vec::new(),
            bands: Vec::new(),
            per: Vec::new(),
            remedy: Vec::new(),
            span,
        };
        while let Some(clause) = c.next() {
            let clause_span = self.span_of(&clause);
            let rule = clause.as_rule();
            let mut cc = self.cursor(clause);
            match rule {
                Rule::summary_clause => o.summary = Some(self.string(cc.required(Rule::string)?)?),
                Rule::by_clause => o.by.push(self.ident(cc.required(Rule::ident)?)),
                Rule::for_clause => o.for_.push(self.ident(cc.required(Rule::ident)?)),
                Rule::tier_ref => o.tier.push(self.ident(cc.required(Rule::ident)?)),
                Rule::requires_clause => o
                    .requires
                    .extend(cc.many(Rule::ident).into_iter().map(|p| self.ident(p))),
                Rule::promise_clause => match cc.optional(Rule::record_promise) {
                    Some(record) => o.records.push(self.record_promise(record)?),
                    None => o
                        .promise
                        .push(self.comparison(cc.required(Rule::comparison)?)?),
                },
                Rule::deliver_clause => {
                    let what = self.string(cc.required(Rule::string)?)?;
                    let every = self.period_unit(cc.required(Rule::word)?, "cadence")?;
                    o.deliver.push(Deliver {
                        what,
                        every,
                        span: clause_span,
                    });
                }
                Rule::bands_block => {
                    let mut bands = Vec::new();
                    for band in cc.many(Rule::band) {
                        bands.push(self.band(band)?);
                    }
                    o.bands.push(Bands {
                        bands,
                        span: clause_span,
                    });
                }
                Rule::per_block => {
                    let segment = self.ident(cc.required(Rule::ident)?);
                    let mut targets = Vec::new();
                    for t in cc.many(Rule::segment_promise) {
                        let t_span = self.span_of(&t);
                        let mut tc = self.cursor(t);
                        let value = self.ident(tc.required(Rule::ident)?);
                        let promise = self.comparison(tc.required(Rule::comparison)?)?;
                        tc.finish()?;
                        targets.push(SegmentPromise {
                            value,
                            promise,
                            span: t_span,
                        });
                    }
                    o.per.push(PerSegment {
                        segment,
                        targets,
                        span: clause_span,
                    });
                }
                Rule::remedy_ref => {
                    let r = self.remedy_ref(&mut cc, clause_span)?;
                    o.remedy.push(r);
                }
                other => {
                    return Err(internal(
                        format!("obligation clause `{other:?}`"),
                        clause_span,
                    ));
                }
            }
            cc.finish()?;
        }
        Ok(o)
    }

    fn band(&mut self, pair: Pair<'_, Rule>) -> Built<Band> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let name = self.ident(c.required(Rule::ident)?);
        let status = match c.optional(Rule::band_status) {
            Some(p) => {
                let mut sc = self.cursor(p);
                let status = self.ident(sc.required(Rule::ident)?);
                sc.finish()?;
                Some(status)
            }
            None => None,
        };
        let when = match c.optional(Rule::comparison) {
            Some(p) => Some(self.comparison(p)?),
            None => None,
        };
        let remedy = match c.optional(Rule::remedy_ref) {
            Some(r) => {
                let r_span = self.span_of(&r);
                let mut rc = self.cursor(r);
                let remedy = self.remedy_ref(&mut rc, r_span)?;
                rc.finish()?;
                Some(remedy)
            }
            None => None,
        };
        c.finish()?;
        Ok(Band {
            name,
            status,
            when,
            remedy,
            span,
        })
    }

    fn remedy_ref(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<RemedyRef> {
        if let Some(credit) = c.optional(Rule::credit_clause) {
            let mut cc = self.cursor(credit);
            let amount = self.expr(cc.required(Rule::expr)?, 0)?;
            cc.finish()?;
            return Ok(RemedyRef::Credit { amount, span });
        }
        Ok(RemedyRef::Named(self.ident(c.required(Rule::ident)?)))
    }

    fn remedy(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<Remedy> {
        let mut r = Remedy {
            name: self.ident(c.required(Rule::ident)?),
            actions: Vec::new(),
            responsible: Vec::new(),
            strikes: Vec::new(),
            credits: Vec::new(),
            span,
        };
        while let Some(clause) = c.next() {
            let clause_span = self.span_of(&clause);
            let rule = clause.as_rule();
            let mut cc = self.cursor(clause);
            match rule {
                Rule::action_clause => r.actions.push(self.string(cc.required(Rule::string)?)?),
                Rule::responsible_clause => r
                    .responsible
                    .extend(cc.many(Rule::ident).into_iter().map(|p| self.ident(p))),
                Rule::strike_clause => r.strikes.push(Strike {
                    against: cc.optional(Rule::ident).map(|p| self.ident(p)),
                    span: clause_span,
                }),
                Rule::credit_clause => r.credits.push(self.expr(cc.required(Rule::expr)?, 0)?),
                other => return Err(internal(format!("remedy clause `{other:?}`"), clause_span)),
            }
            cc.finish()?;
        }
        Ok(r)
    }

    fn terminate(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<Terminate> {
        let subject = match c.optional(Rule::any_obligation) {
            Some(any) => TerminateSubject::AnyObligation(self.span_of(&any)),
            None => TerminateSubject::Obligations(
                c.many(Rule::ident)
                    .into_iter()
                    .map(|p| self.ident(p))
                    .collect(),
            ),
        };
        let rule = match c.next() {
            Some(p) if p.as_rule() == Rule::in_a_row => {
                let rule_span = self.span_of(&p);
                let mut rc = self.cursor(p);
                let n = self.integer(rc.required(Rule::integer)?)?;
                rc.finish()?;
                Spanned::new(MissRule::InARow(n.node), rule_span)
            }
            Some(p) if p.as_rule() == Rule::of_last => {
                let rule_span = self.span_of(&p);
                let mut rc = self.cursor(p);
                let missed = self.integer(rc.required(Rule::integer)?)?;
                let window = self.integer(rc.required(Rule::integer)?)?;
                rc.finish()?;
                Spanned::new(
                    MissRule::OfLast {
                        missed: missed.node,
                        window: window.node,
                    },
                    rule_span,
                )
            }
            _ => return Err(internal("termination rule".to_owned(), span)),
        };
        Ok(Terminate {
            subject,
            rule,
            span,
        })
    }

    fn calendar(&mut self, c: &mut Cursor<'_>, span: Span) -> Built<Calendar> {
        let mut cal = Calendar {
            name: self.ident(c.required(Rule::ident)?),
            zones: Vec::new(),
            hours: Vec::new(),
            holidays: Vec::new(),
            span,
        };
        while let Some(clause) = c.next() {
            let clause_span = self.span_of(&clause);
            let rule = clause.as_rule();
            let mut cc = self.cursor(clause);
            match rule {
                Rule::zone_clause => cal.zones.push(self.string(cc.required(Rule::string)?)?),
                Rule::hours_clause => {
                    let mut days = Vec::new();
                    for range in cc.many(Rule::day_range) {
                        days.push(self.day_range(range)?);
                    }
                    let open = self.time(cc.required(Rule::time)?)?;
                    let close = self.time(cc.required(Rule::time)?)?;
                    cal.hours.push(Hours {
                        days,
                        open,
                        close,
                        span: clause_span,
                    });
                }
                Rule::holiday_clause => {
                    let date = self.date(cc.required(Rule::date)?)?;
                    let name = cc
                        .optional(Rule::string)
                        .map(|p| self.string(p))
                        .transpose()?;
                    cal.holidays.push(Holiday {
                        date,
                        name,
                        span: clause_span,
                    });
                }
                other => {
                    return Err(internal(
                        format!("calendar clause `{other:?}`"),
                        clause_span,
                    ));
                }
            }
            cc.finish()?;
        }
        Ok(cal)
    }

    fn day_range(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<DayRange>> {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let weekday = |w: &str| {
            DAYS.iter()
                .position(|d| *d == w)
                .and_then(|i| u8::try_from(i + 1).ok())
        };
        let first = self.choice(c.required(Rule::ident)?, "weekday", &DAYS, weekday)?;
        let last = match c.optional(Rule::ident) {
            Some(p) => self.choice(p, "weekday", &DAYS, weekday)?.node,
            None => first.node,
        };
        c.finish()?;
        Ok(Spanned::new(
            DayRange {
                first: first.node,
                last,
            },
            span,
        ))
    }
}

impl Builder {
    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        span_of(pair, self.offset)
    }

    fn cursor<'i>(&self, pair: Pair<'i, Rule>) -> Cursor<'i> {
        Cursor::new(pair, self.offset)
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Spanned::new(pair.as_str().to_owned(), self.span_of(&pair))
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Built<Spanned<String>> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let text = c.required(Rule::string_text)?.as_str().to_owned();
        c.finish()?;
        Ok(Spanned::new(text, span))
    }

    fn contact(&self, pair: Pair<'_, Rule>) -> Built<Contact> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let name = self.string(c.required(Rule::string)?)?;
        let email_pair = c.required(Rule::email)?;
        let email_span = self.span_of(&email_pair);
        let mut ec = self.cursor(email_pair);
        let email = Spanned::new(
            ec.required(Rule::email_text)?.as_str().to_owned(),
            email_span,
        );
        ec.finish()?;
        let role = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        c.finish()?;
        Ok(Contact {
            name,
            email,
            role,
            span,
        })
    }
}

/// The name an item declares (`party sales {` declares `sales`), if it declares one.
fn declared_name(pair: &Pair<'_, Rule>) -> Option<String> {
    pair.clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::ident)
        .map(|p| p.as_str().to_owned())
}

/// The name a broken item seems to declare: the word after its keyword.
pub fn broken_name(text: &str) -> Option<String> {
    let mut words = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty());
    words.next()?;
    words.next().map(str::to_owned)
}

fn parse_date(text: &str) -> Result<Date, String> {
    let mut parts = text.splitn(3, '-').map(i16::from_str);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected YYYY-MM-DD".to_owned());
    };
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m}"));
    }
    let month = i8::try_from(m).map_err(|_| format!("there is no month {m}"))?;
    let first = Date::new(y, month, 1).map_err(|_| format!("year {y} is out of range"))?;
    let days = first.days_in_month();
    if d < 1 || d > i16::from(days) {
        return Err(format!("{} {y} has {days} days", month_name(month)));
    }
    let day = i8::try_from(d).map_err(|_| "day out of range".to_owned())?;
    Date::new(y, month, day).map_err(|e| e.to_string())
}

fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("that month")
}

fn join_words(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}
