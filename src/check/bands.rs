//! Graded bands must cover every value exactly once.
//!
//! Bands are tried in order and the first match wins, so "exactly once" means: every
//! band can be reached (its threshold lies beyond the previous one's), and a final
//! band without `when` catches the rest. Thresholds are compared as multiples of a
//! common base (`leads_needed` and `90% * leads_needed`), taking the base as positive,
//! which targets are.

use rust_decimal::Decimal;

use crate::syntax::ast::{Band, Bands, BinOp, CmpOp, Comparison, Expr, ExprKind, Span};

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

    /// `Some(ordering)` when both are multiples of the same base.
    fn cmp(&self, other: &Threshold<'_>) -> Option<std::cmp::Ordering> {
        let same_base = match (self.base, other.base) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        same_base.then(|| self.coefficient.cmp(&other.coefficient))
    }
}

fn upward(op: CmpOp) -> Option<bool> {
    match op {
        CmpOp::Ge | CmpOp::Gt => Some(true),
        CmpOp::Le | CmpOp::Lt => Some(false),
        CmpOp::Eq => None,
    }
}

impl<'a> Checker<'a> {
    pub(super) fn bands(&mut self, bands: &'a Bands) {
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
            if let Some(when) = &band.when {
                self.comparison(when);
            }
            if let Some(remedy) = &band.remedy {
                self.remedy_ref(remedy);
            }
        }
        let Some(first) = bands.bands.first() else {
            self.report(GradingError::BandGap {
                uncovered: "every value".to_owned(),
                span: bands.span.into(),
                help: "add bands such as `met when x >= target` and a final `missed`, or remove `bands`"
                    .to_owned(),
            });
            return;
        };
        let catch_all = bands.bands.iter().position(|b| b.when.is_none());
        if let Some(at) = catch_all {
            let all = bands.bands.get(at);
            for later in bands.bands.iter().skip(at + 1) {
                if let Some(all) = all {
                    self.report(GradingError::BandUnreachable {
                        band: later.name.node.clone(),
                        catch_all: all.name.node.clone(),
                        span: later.name.span.into(),
                        catch_all_span: all.name.span.into(),
                    });
                }
            }
        }
        let graded: Vec<(&'a Band, &'a Comparison)> = bands
            .bands
            .iter()
            .take(catch_all.unwrap_or(bands.bands.len()))
            .filter_map(|b| b.when.as_ref().map(|w| (b, w)))
            .collect();
        if !self.same_shape(first, &graded) {
            return;
        }
        for pair in graded.windows(2) {
            let [(earlier, e), (later, l)] = pair else {
                continue;
            };
            let (te, tl) = (Threshold::of(&e.right), Threshold::of(&l.right));
            let Some(order) = te.cmp(&tl) else { continue };
            let up = upward(e.op.node).unwrap_or(true);
            // Going up, a later band must start strictly lower (or equal, when the
            // earlier one excluded its threshold and the later includes it).
            let reachable = match order {
                std::cmp::Ordering::Greater => up,
                std::cmp::Ordering::Less => !up,
                std::cmp::Ordering::Equal => {
                    matches!(
                        (e.op.node, l.op.node),
                        (CmpOp::Gt, CmpOp::Ge) | (CmpOp::Lt, CmpOp::Le)
                    )
                }
            };
            if !reachable {
                self.report(GradingError::BandOverlap {
                    band: later.name.node.clone(),
                    other: earlier.name.node.clone(),
                    span: l.span.into(),
                    other_span: e.span.into(),
                    help: if up {
                        "order bands from best to worst: each threshold below the one before"
                            .to_owned()
                    } else {
                        "order bands from best to worst: each threshold above the one before"
                            .to_owned()
                    },
                });
            }
        }
        if catch_all.is_none()
            && let Some((last, c)) = graded.last()
        {
            let below = if upward(c.op.node).unwrap_or(true) {
                "below"
            } else {
                "above"
            };
            self.report(GradingError::BandGap {
                uncovered: format!("values {below} the threshold of `{}`", last.name.node),
                span: last.span.into(),
                help: "end with a band without `when` that takes the rest, e.g. `missed remedy strike`"
                    .to_owned(),
            });
        }
    }

    /// All graded bands compare the same value in the same direction.
    fn same_shape(&mut self, first: &'a Band, graded: &[(&'a Band, &'a Comparison)]) -> bool {
        let Some((_, reference)) = graded.first() else {
            return true;
        };
        let direction = upward(reference.op.node);
        for (band, c) in graded {
            let reason = if upward(c.op.node).is_none() {
                Some("`==` matches one value, not a range".to_owned())
            } else if c.left != reference.left {
                Some(format!("band `{}` grades another value", band.name.node))
            } else if upward(c.op.node) != direction {
                Some(format!(
                    "band `{}` grades in the other direction",
                    band.name.node
                ))
            } else {
                None
            };
            if let Some(reason) = reason {
                self.report(GradingError::BandShape {
                    span: c.span.into(),
                    reason,
                    first: first.span.into(),
                    help: "write every band as the same value compared the same way, e.g. \
                           `availability >= 99.9%`, then `availability >= 99%`, then a final band without `when`"
                        .to_owned(),
                });
                return false;
            }
        }
        true
    }
}
