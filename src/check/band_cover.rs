//! Which values each band of a `bands` block takes, worked out exactly.
//!
//! Every band compares one value with a threshold, and every threshold is a multiple
//! of one base (`leads_needed`, `90% * leads_needed`) or a constant. The thresholds
//! cut the line of values into pieces: below the lowest, each threshold itself, the
//! open stretch between two neighbours, above the highest. Every band either takes a
//! whole piece or none of it, so testing one value inside each piece tells which band
//! grades it (the first that matches), which values no band grades, which bands are
//! never reached, and which bands meet in the middle. Taking the base as positive, as
//! targets are, keeps the order of the thresholds.

use rust_decimal::Decimal;

use crate::syntax::ast::CmpOp;

/// One condition: the graded value `op` a threshold, at `point` on the line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cut {
    pub op: CmpOp,
    pub point: Decimal,
}

impl Cut {
    pub fn takes(self, v: Decimal) -> bool {
        match self.op {
            CmpOp::Ge => v >= self.point,
            CmpOp::Gt => v > self.point,
            CmpOp::Le => v <= self.point,
            CmpOp::Lt => v < self.point,
            CmpOp::Eq => v == self.point,
        }
    }

    /// `Some(true)` for a condition that takes values upwards, `None` for `==`.
    pub fn upward(self) -> Option<bool> {
        match self.op {
            CmpOp::Ge | CmpOp::Gt => Some(true),
            CmpOp::Le | CmpOp::Lt => Some(false),
            CmpOp::Eq => None,
        }
    }
}

/// An end of a piece: the index of its threshold among the sorted points, and
/// whether the piece includes it. `None` is open towards infinity.
pub(super) type End = Option<(usize, bool)>;

/// A stretch of values that every condition takes whole or not at all.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    /// A value inside it.
    pub sample: Decimal,
    pub low: End,
    pub high: End,
}

/// The pieces the sorted, distinct `points` cut the line into; `None` if a sample
/// value cannot be held (thresholds near the limits of exact decimals).
pub(super) fn pieces(points: &[Decimal]) -> Option<Vec<Piece>> {
    let (first, last) = (points.first()?, points.last()?);
    let mut out = Vec::with_capacity(points.len() * 2 + 1);
    out.push(Piece {
        sample: first.checked_sub(Decimal::ONE)?,
        low: None,
        high: Some((0, false)),
    });
    for (i, p) in points.iter().enumerate() {
        out.push(Piece {
            sample: *p,
            low: Some((i, true)),
            high: Some((i, true)),
        });
        if let Some(next) = points.get(i + 1) {
            out.push(Piece {
                sample: p.checked_add(*next)?.checked_div(Decimal::TWO)?,
                low: Some((i, false)),
                high: Some((i + 1, false)),
            });
        }
    }
    out.push(Piece {
        sample: last.checked_add(Decimal::ONE)?,
        low: Some((points.len() - 1, false)),
        high: None,
    });
    Some(out)
}

/// Consecutive pieces whose `class` is `Some` and equal, as `(class, low, high)`.
pub(super) fn runs<T: PartialEq + Copy>(
    pieces: &[Piece],
    class: impl Fn(usize) -> Option<T>,
) -> Vec<(T, End, End)> {
    let mut out: Vec<(T, End, End)> = Vec::new();
    let mut previous: Option<T> = None;
    for (i, piece) in pieces.iter().enumerate() {
        let this = class(i);
        match (this, out.last_mut()) {
            (Some(c), Some(last)) if previous == Some(c) => last.2 = piece.high,
            (Some(c), _) => out.push((c, piece.low, piece.high)),
            (None, _) => {}
        }
        previous = this;
    }
    out
}

/// A stretch of values in words: "values from 90 up to 100".
pub(super) fn describe(low: End, high: End, text: &dyn Fn(usize) -> String) -> String {
    match (low, high) {
        (None, None) => "every value".to_owned(),
        (None, Some((b, true))) => format!("values up to and including {}", text(b)),
        (None, Some((b, false))) => format!("values below {}", text(b)),
        (Some((a, true)), None) => format!("values of {} and above", text(a)),
        (Some((a, false)), None) => format!("values above {}", text(a)),
        (Some((a, true)), Some((b, true))) if a == b => format!("exactly {}", text(a)),
        (Some((a, from)), Some((b, to))) => format!(
            "values {} {} {}",
            if from { "from" } else { "above" },
            text(a),
            if to {
                format!("up to and including {}", text(b))
            } else {
                format!("up to {}", text(b))
            }
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    #[test]
    fn two_points_cut_the_line_into_five_pieces() {
        let p = pieces(&[d(90), d(100)]).unwrap();
        let samples: Vec<Decimal> = p.iter().map(|p| p.sample).collect();
        assert_eq!(samples, vec![d(89), d(90), d(95), d(100), d(101)]);
    }

    #[test]
    fn a_gap_between_opposite_bands_is_named_from_its_ends() {
        // met when x >= 100, missed when x < 90
        let cuts = [
            Cut {
                op: CmpOp::Ge,
                point: d(100),
            },
            Cut {
                op: CmpOp::Lt,
                point: d(90),
            },
        ];
        let p = pieces(&[d(90), d(100)]).unwrap();
        let gaps = runs(&p, |i| {
            (!cuts.iter().any(|c| c.takes(p[i].sample))).then_some(())
        });
        let names = ["90", "100"];
        let text = |i: usize| names[i].to_owned();
        let words: Vec<String> = gaps.iter().map(|g| describe(g.1, g.2, &text)).collect();
        assert_eq!(words, vec!["values from 90 up to 100"]);
    }

    #[test]
    fn ends_are_worded_by_whether_they_are_included() {
        let text = |i: usize| ["a", "b"][i].to_owned();
        assert_eq!(describe(None, Some((0, false)), &text), "values below a");
        assert_eq!(
            describe(None, Some((0, true)), &text),
            "values up to and including a"
        );
        assert_eq!(
            describe(Some((1, true)), None, &text),
            "values of b and above"
        );
        assert_eq!(describe(Some((1, false)), None, &text), "values above b");
        assert_eq!(
            describe(Some((0, true)), Some((0, true)), &text),
            "exactly a"
        );
        assert_eq!(
            describe(Some((0, false)), Some((1, true)), &text),
            "values above a up to and including b"
        );
    }
}
