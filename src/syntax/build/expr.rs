//! Comparisons and expressions: operators by precedence, with the nesting bounded.

use pest::iterators::Pair;

use super::*;

impl Builder {
    pub(super) fn comparison(&mut self, pair: Pair<'_, Rule>) -> Built<Comparison> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let left = self.expr(c.required(Rule::expr)?, 0)?;
        let op_pair = c.required(Rule::cmp_op)?;
        let op = match op_pair.as_str() {
            ">=" => CmpOp::Ge,
            ">" => CmpOp::Gt,
            "<=" => CmpOp::Le,
            "<" => CmpOp::Lt,
            "==" => CmpOp::Eq,
            other => return Err(internal(format!("comparison `{other}`"), span)),
        };
        let op = Spanned::new(op, self.span_of(&op_pair));
        let right = self.expr(c.required(Rule::expr)?, 0)?;
        c.finish()?;
        Ok(Comparison {
            left,
            op,
            right,
            span,
        })
    }

    /// `depth` counts the parentheses already entered.
    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>, depth: u32) -> Built<Expr> {
        let span = self.span_of(&pair);
        // pest's operator parser recurses once per prefix operator, so a long run of
        // `- - - …` must be refused before it runs. An expression's depth is at least
        // half its token count, so this bound agrees with the depth limit below.
        let max_tokens = 2 * MAX_EXPRESSION_DEPTH as usize + 1;
        // Every token takes at least one byte, so short expressions need no count.
        if span.len() > max_tokens && pair.clone().into_inner().count() > max_tokens {
            return Err(self.report(SyntaxError::ExpressionTooDeep {
                limit: MAX_EXPRESSION_DEPTH,
                span: span.into(),
            }));
        }
        let offset = self.offset;
        let built = PRATT
            .map_primary(|p| self.primary(p, depth))
            .map_prefix(|op, operand| {
                let (e, d) = operand?;
                let op_span = span_of(&op, offset);
                Ok((
                    Expr {
                        span: op_span.to(e.span),
                        kind: ExprKind::Neg(Box::new(e)),
                    },
                    d + 1,
                ))
            })
            .map_infix(|lhs, op, rhs| {
                let (l, dl) = lhs?;
                let (r, dr) = rhs?;
                let bin = match op.as_rule() {
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    Rule::div => BinOp::Div,
                    other => {
                        return Err(internal(
                            format!("operator `{other:?}`"),
                            span_of(&op, offset),
                        ));
                    }
                };
                Ok((
                    Expr {
                        span: l.span.to(r.span),
                        kind: ExprKind::Binary(bin, Box::new(l), Box::new(r)),
                    },
                    dl.max(dr) + 1,
                ))
            })
            .parse(pair.into_inner());
        let (expr, d) = built?;
        if d > MAX_EXPRESSION_DEPTH {
            return Err(self.report(SyntaxError::ExpressionTooDeep {
                limit: MAX_EXPRESSION_DEPTH,
                span: span.into(),
            }));
        }
        Ok(expr)
    }

    pub(super) fn primary(&mut self, pair: Pair<'_, Rule>, depth: u32) -> Built<(Expr, u32)> {
        let span = self.span_of(&pair);
        match pair.as_rule() {
            Rule::name => Ok((
                Expr {
                    kind: ExprKind::Name(pair.as_str().to_owned()),
                    span,
                },
                1,
            )),
            Rule::quantity => {
                let q = self.quantity(pair)?;
                Ok((
                    Expr {
                        kind: ExprKind::Literal(q),
                        span,
                    },
                    1,
                ))
            }
            Rule::group => {
                let mut c = self.cursor(pair);
                let mut inner = self.expr(c.required(Rule::expr)?, depth + 1)?;
                c.finish()?;
                // The parentheses belong to what the author wrote, so to the span.
                inner.span = span;
                // Parentheses count towards depth like operators do.
                let d = expr_depth(&inner).saturating_add(1);
                Ok((inner, d))
            }
            other => Err(internal(format!("expression part `{other:?}`"), span)),
        }
    }

    pub(super) fn quantity(&mut self, pair: Pair<'_, Rule>) -> Built<Quantity> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let number = c.required(Rule::number)?;
        let number_span = self.span_of(&number);
        let text = number.as_str();
        let value = quantity::number(text, number_span).map_err(|e| self.report(e))?;
        let q = match c.next() {
            None => Ok(Quantity {
                value,
                unit: LiteralUnit::Number,
            }),
            Some(u) if u.as_rule() == Rule::percent => quantity::percent(value, text, span),
            Some(u) if u.as_rule() == Rule::unit => {
                quantity::with_unit(value, u.as_str(), text, span, self.span_of(&u))
            }
            Some(u) if u.as_rule() == Rule::currency => {
                quantity::currency(u.as_str(), self.span_of(&u))
                    .and_then(|code| quantity::money(value, code, text, span))
            }
            Some(u) => return Err(internal(format!("unit `{:?}`", u.as_rule()), span)),
        };
        c.finish()?;
        q.map_err(|e| self.report(e))
    }
}

/// Depth of an already built expression; bounded by [`MAX_EXPRESSION_DEPTH`].
fn expr_depth(e: &Expr) -> u32 {
    match &e.kind {
        ExprKind::Literal(_) | ExprKind::Name(_) => 1,
        ExprKind::Neg(inner) => expr_depth(inner) + 1,
        ExprKind::Binary(_, l, r) => expr_depth(l).max(expr_depth(r)) + 1,
    }
}
