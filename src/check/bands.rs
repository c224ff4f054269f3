//! Graded bands must give every value exactly one grade, and agree with the promise.
//!
//! Bands are tried in order and the first match wins. They may compare the graded
//! value either way (`met when mqls >= 100`, `missed when mqls < 90`); the checker
//! works out which values each band takes ([`band_cover`](super::band_cover)) and
//! names, in the agreement's own terms, the values no band grades, the bands never
//! reached, opposite bands that share values, and bands whose status contradicts the
//! promise. Thresholds are compared as multiples of a common base (`leads_needed` and
//! `90% * leads_needed`); when they are not, only a final band without `when` can
//! show that every value is graded.

use rust_decimal::Decimal;

use crate::model::BandStatus;
use crate::syntax::ast::{Band, Bands, BinOp, CmpOp, Comparison, Expr, ExprKind, Span};

use super::band_cover::{Cut, Piece, describe, pieces, runs};
use super::error::GradingError;
use super::values::constant;
use super::{CheckError, Checker};

/// `coefficient × base`, or a plain constant when `base` is `None`.
#[derive(Debug, Clone, PartialEq)]
struct Threshold<'e> {
    coefficient: Decimal,
    base: Option<&'e Expr>,
}

impl<'e> Threshold<'e> {
    fn of(e: &'e Expr) -> Threshold<'e> {
        if let Some(v) = constant(e) {
            return Threshold {
                coefficient: v,
                base: None,
            };
        }
        let whole = Threshold {
            coefficient: Decimal::ONE,
            base: Some(e),
        };
        match &e.kind {
            ExprKind::Binary(BinOp::Mul, l, r) => match (constant(l), constant(r)) {
                (Some(c), None) => Threshold::of(r).scaled(c),
                (None, Some(c)) => Threshold::of(l).scaled(c),
                _ => whole,
            },
            ExprKind::Binary(BinOp::Div, l, r) => match constant(r) {
                Some(c) if !c.is_zero() => Threshold::of(l)
                    .scaled_by(|v| v.checked_div(c))
                    .unwrap_or(whole),
                _ => whole,
            },
            _ => whole,
        }
    }

    fn scaled(self, by: Decimal) -> Threshold<'e> {
        let fallback = self.clone();
        self.scaled_by(|v| v.checked_mul(by)).unwrap_or(fallback)
    }

    fn scaled_by(self, f: impl Fn(Decimal) -> Option<Decimal>) -> Option<Threshold<'e>> {
        Some(Threshold {
            coefficient: f(self.coefficient)?,
            base: self.base,
        })
    }

    fn same_base(&self, other: &Threshold<'_>) -> bool {
        match (self.base, other.base) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// A condition read as "the graded value `op` threshold", whichever side the
/// graded value was written on.
struct Graded<'a> {
    band: &'a Band,
    cut: Cut,
    threshold: &'a Expr,
    span: Span,
}

fn flipped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Eq => CmpOp::Eq,
    }
}

/// `(op, threshold)` of `c` with `value` on the left, if `c` compares `value`.
fn oriented<'a>(c: &'a Comparison, value: &Expr) -> Option<(CmpOp, &'a Expr)> {
    if &c.left == value {
        Some((c.op.node, &c.right))
    } else if &c.right == value {
        Some((flipped(c.op.node), &c.left))
    } else {
        None
    }
}

fn names(bands: &[&Band]) -> String {
    let quoted: Vec<String> = bands.iter().map(|b| format!("`{}`", b.name.node)).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

fn status_word(s: BandStatus) -> &'static str {
    match s {
        BandStatus::Met => "met",
        BandStatus::AtRisk => "at risk",
        BandStatus::Missed => "missed",
        BandStatus::Promise => "as the promise says",
    }
}

impl<'a> Checker<'a> {
    pub(super) fn bands(&mut self, bands: &'a Bands, promise: Option<&'a Comparison>) {
        let mut seen: std::collections::BTreeMap<&str, Span> = std::collections::BTreeMap::new();
        for band in &bands.bands {
            if let Some(first) = seen.insert(&band.name.node, band.name.span) {
                self.report(CheckError::Duplicate {
                    what: "band",
                    name: band.name.node.clone(),
                    span: band.name.span.into(),
                    first: first.into(),
                });
            }
            self.band_status(band);
            if let Some(when) = &band.when {
                self.comparison(when);
            }
            if let Some(remedy) = &band.remedy {
                self.remedy_ref(remedy);
            }
        }
        if bands.bands.is_empty() {
            self.report(GradingError::BandGap {
                uncovered: "any value".to_owned(),
                span: bands.span.into(),
                help: "add bands such as `met when x >= target` and a final `missed`, or remove `bands`"
                    .to_owned(),
            });
            return;
        }
        let catch_all = bands.bands.iter().position(|b| b.when.is_none());
        if let Some(all) = catch_all.and_then(|at| bands.bands.get(at)) {
            for later in bands.bands.iter().skip(catch_all.unwrap_or(0) + 1) {
                self.report(GradingError::BandUnreachable {
                    band: later.name.node.clone(),
                    by: format!(
                        "`{}`, the band without `when`, already takes",
                        all.name.node
                    ),
                    span: later.name.span.into(),
                    other_span: all.name.span.into(),
                    help: "move the band without `when` to the end".to_owned(),
                });
            }
        }
        let before_catch_all = bands
            .bands
            .get(..catch_all.unwrap_or(bands.bands.len()))
            .unwrap_or_default();
        let Some((value, graded)) = self.graded(before_catch_all) else {
            return;
        };
        self.coverage(bands, value, &graded, catch_all.is_some(), promise);
    }

    /// `as STATUS` must be a status, and agree with a band named after one.
    fn band_status(&mut self, band: &'a Band) {
        let Some(status) = &band.status else { return };
        let named = BandStatus::from_word(&band.name.node);
        let reason = match BandStatus::from_word(&status.node) {
            None => format!("`{}` is not a status a band can grade", status.node),
            Some(s) if named.is_some_and(|n| n != s) => format!(
                "band `{}` is named after a status but written `as {}`",
                band.name.node, status.node
            ),
            Some(_) => return,
        };
        self.report(GradingError::BandStatus {
            reason,
            span: status.span.into(),
            help: "write `as met`, `as at_risk` or `as missed` after a band's name, e.g. `minor as missed when availability >= 99%`; a band named `met`, `at_risk` or `missed` needs no `as`".to_owned(),
        });
    }

    /// The bands with a condition, each read as "value op threshold" for the value
    /// the first band grades; `None` after reporting one that grades another value.
    fn graded(&mut self, bands: &'a [Band]) -> Option<(&'a Expr, Vec<Graded<'a>>)> {
        let conditions: Vec<(&'a Band, &'a Comparison)> = bands
            .iter()
            .filter_map(|b| b.when.as_ref().map(|w| (b, w)))
            .collect();
        let (first_band, first) = conditions.first()?;
        // The graded value is the side that is not a constant (`100 <= mqls`).
        let value = if constant(&first.left).is_some() && constant(&first.right).is_none() {
            &first.right
        } else {
            &first.left
        };
        let mut graded = Vec::with_capacity(conditions.len());
        for (band, c) in &conditions {
            let Some((op, threshold)) = oriented(c, value) else {
                self.report(GradingError::BandShape {
                    span: c.span.into(),
                    reason: format!("band `{}` grades another value", band.name.node),
                    first: first_band.span.into(),
                    help: "compare the same value in every band, e.g. `availability >= 99.9%`, then `availability >= 99%`; grade another value in an obligation of its own".to_owned(),
                });
                return None;
            };
            graded.push(Graded {
                band,
                cut: Cut {
                    op,
                    point: Decimal::ZERO,
                },
                threshold,
                span: c.span,
            });
        }
        Some((value, graded))
    }

    fn coverage(
        &mut self,
        bands: &'a Bands,
        value: &'a Expr,
        graded: &[Graded<'a>],
        has_catch_all: bool,
        promise: Option<&'a Comparison>,
    ) {
        let Some(first) = graded.first() else { return };
        let promise = promise.and_then(|p| oriented(p, value).map(|(op, t)| (p, op, t)));
        // Every threshold as a multiple of one base, or nothing can be proven.
        let base = Threshold::of(first.threshold);
        let thresholds: Option<Vec<Threshold<'a>>> = graded
            .iter()
            .map(|g| Threshold::of(g.threshold))
            .map(|t| t.same_base(&base).then_some(t))
            .collect();
        let Some(thresholds) = thresholds else {
            if !has_catch_all {
                self.report(GradingError::BandGap {
                    uncovered: "the values between thresholds that are not multiples of one value"
                        .to_owned(),
                    span: bands.span.into(),
                    help: "end with a band without `when` that takes the rest, e.g. `missed remedy strike`"
                        .to_owned(),
                });
            }
            return;
        };
        let promise = promise.and_then(|(p, op, t)| {
            let at = Threshold::of(t);
            at.same_base(&base).then_some((p, op, at.coefficient, t))
        });
        let cuts: Vec<Cut> = graded
            .iter()
            .zip(&thresholds)
            .map(|(g, t)| Cut {
                op: g.cut.op,
                point: t.coefficient,
            })
            .collect();
        // The points, each with the text it was first written as.
        let mut points: Vec<(Decimal, &'a Expr)> = graded
            .iter()
            .zip(&thresholds)
            .map(|(g, t)| (t.coefficient, g.threshold))
            .chain(promise.map(|(_, _, at, t)| (at, t)))
            .collect();
        points.sort_by_key(|p| p.0);
        points.dedup_by(|a, b| a.0 == b.0);
        let values: Vec<Decimal> = points.iter().map(|p| p.0).collect();
        let Some(pieces) = pieces(&values) else {
            return;
        };
        let text = |i: usize| {
            points
                .get(i)
                .map_or(String::new(), |(_, e)| self.threshold_text(e))
        };
        // The band (index into `graded`) that takes each piece first.
        let taken: Vec<Option<usize>> = pieces
            .iter()
            .map(|p| cuts.iter().position(|c| c.takes(p.sample)))
            .collect();
        let mut findings: Vec<GradingError> = Vec::new();
        // Bands never reached.
        for (i, g) in graded.iter().enumerate() {
            if taken.contains(&Some(i)) {
                continue;
            }
            let cut = cuts.get(i).copied();
            let mut before: Vec<usize> = pieces
                .iter()
                .zip(&taken)
                .filter(|(p, _)| cut.is_some_and(|c| c.takes(p.sample)))
                .filter_map(|(_, t)| *t)
                .collect();
            before.sort_unstable();
            before.dedup();
            let earlier: Vec<&Band> = before
                .iter()
                .filter_map(|b| graded.get(*b).map(|g| g.band))
                .collect();
            let other = before.first().and_then(|b| graded.get(*b));
            findings.push(GradingError::BandUnreachable {
                band: g.band.name.node.clone(),
                by: format!(
                    "{} already {}",
                    names(&earlier),
                    if earlier.len() == 1 { "grades" } else { "grade" }
                ),
                span: g.span.into(),
                other_span: other.map_or(g.span, |o| o.span).into(),
                help: "order bands from best to worst, each threshold beyond the one before, or correct the threshold".to_owned(),
            });
        }
        // Opposite bands sharing values: the later one was meant to start where
        // the earlier one ends.
        for (j, later) in graded.iter().enumerate() {
            let Some(later_cut) = cuts.get(j).copied() else {
                continue;
            };
            if !taken.contains(&Some(j)) {
                continue;
            }
            for (i, earlier) in graded.iter().enumerate().take(j) {
                let opposite = matches!(
                    (cuts.get(i).and_then(|c| c.upward()), later_cut.upward()),
                    (Some(a), Some(b)) if a != b
                );
                if !opposite {
                    continue;
                }
                let shared = runs(&pieces, |k| {
                    let p = pieces.get(k)?;
                    (taken.get(k) == Some(&Some(i)) && later_cut.takes(p.sample)).then_some(())
                });
                for (_, low, high) in shared {
                    findings.push(GradingError::BandOverlap {
                        band: later.band.name.node.clone(),
                        other: earlier.band.name.node.clone(),
                        range: describe(low, high, &text),
                        span: later.span.into(),
                        other_span: earlier.span.into(),
                        help: format!(
                            "let the bands meet without sharing values, e.g. `{}` where `{}` ends",
                            later.band.name.node, earlier.band.name.node
                        ),
                    });
                }
            }
        }
        // Values no band grades.
        if !has_catch_all {
            let gaps = runs(&pieces, |k| {
                (taken.get(k).copied().flatten().is_none()).then_some(())
            });
            for (_, low, high) in gaps {
                let uncovered = describe(low, high, &text);
                findings.push(GradingError::BandGap {
                    help: format!(
                        "add a band for {uncovered}, or end with a band without `when` that takes the rest, e.g. `missed remedy strike`"
                    ),
                    uncovered,
                    span: bands.span.into(),
                });
            }
        }
        if let Some((p, op, at, _)) = promise {
            findings.extend(self.against_promise(graded, &pieces, &taken, p, op, at, &text));
        }
        for f in findings {
            self.report(f);
        }
    }

    /// Bands whose status says met where the promise fails, or not met where it holds.
    #[allow(clippy::too_many_arguments)]
    fn against_promise(
        &self,
        graded: &[Graded<'a>],
        pieces: &[Piece],
        taken: &[Option<usize>],
        promise: &'a Comparison,
        op: CmpOp,
        at: Decimal,
        text: &dyn Fn(usize) -> String,
    ) -> Vec<GradingError> {
        let cut = Cut { op, point: at };
        let wrong = runs(pieces, |k| {
            let p = pieces.get(k)?;
            let band = graded.get(taken.get(k).copied().flatten()?)?;
            let status = band_status(band.band);
            let holds = cut.takes(p.sample);
            let contradicts = match status {
                BandStatus::Met => !holds,
                BandStatus::AtRisk | BandStatus::Missed => holds,
                BandStatus::Promise => false,
            };
            contradicts.then_some((taken.get(k).copied().flatten()?, holds))
        });
        wrong
            .into_iter()
            .filter_map(|((i, holds), low, high)| {
                let band = graded.get(i)?;
                Some(GradingError::BandContradictsPromise {
                    band: band.band.name.node.clone(),
                    status: status_word(band_status(band.band)),
                    range: describe(low, high, text),
                    promise: self.slice(promise.span).to_owned(),
                    holds: if holds { "holds" } else { "does not hold" },
                    span: band.span.into(),
                    promise_span: promise.span.into(),
                })
            })
            .collect()
    }

    /// A threshold in the agreement's words: a number as written, an expression in
    /// backticks.
    fn threshold_text(&self, e: &Expr) -> String {
        let written = self.slice(e.span);
        if constant(e).is_some() {
            written.to_owned()
        } else {
            format!("`{written}`")
        }
    }
}

/// The status a band grades, as the model will take it.
pub(super) fn band_status(band: &Band) -> BandStatus {
    band.status
        .as_ref()
        .map(|s| s.node.as_str())
        .or(Some(band.name.node.as_str()))
        .and_then(BandStatus::from_word)
        .unwrap_or(BandStatus::Promise)
}
