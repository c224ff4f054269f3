//! Datasets, aggregates over their rows, and promises over each row.

use pest::iterators::Pair;

use super::Builder;
use crate::syntax::ast::*;
use crate::syntax::cursor::{Built, internal};
use crate::syntax::error::SyntaxError;
use crate::syntax::parser::Rule;
use crate::syntax::quantity;

impl Builder {
    pub(super) fn dataset(
        &mut self,
        c: &mut crate::syntax::cursor::Cursor<'_>,
        span: Span,
    ) -> Built<Dataset> {
        let mut d = Dataset {
            name: self.ident(c.required(Rule::ident)?),
            columns: Vec::new(),
            key: Vec::new(),
            owner: Vec::new(),
            expects: Vec::new(),
            zones: Vec::new(),
            delimiters: Vec::new(),
            span,
        };
        while let Some(clause) = c.next() {
            let rule = clause.as_rule();
            let clause_span = self.span_of(&clause);
            let mut cc = self.cursor(clause);
            match rule {
                Rule::column_decl => d.columns.push(self.column(&mut cc, clause_span)?),
                Rule::key_clause => d.key.push(self.ident(cc.required(Rule::ident)?)),
                Rule::owner_clause => d.owner.push(self.ident(cc.required(Rule::ident)?)),
                Rule::expect_clause => d.expects.push(self.row_cond(cc.required(Rule::row_cond)?)?),
                Rule::zone_clause => d.zones.push(self.string(cc.required(Rule::string)?)?),
                Rule::delimiter_clause => {
                    d.delimiters.push(self.string(cc.required(Rule::string)?)?);
                }
                other => {
                    return Err(internal(format!("dataset clause `{other:?}`"), clause_span));
                }
            }
            cc.finish()?;
        }
        Ok(d)
    }

    fn column(&mut self, c: &mut crate::syntax::cursor::Cursor<'_>, span: Span) -> Built<Column> {
        let name = self.ident(c.required(Rule::ident)?);
        let word = c.required(Rule::word)?;
        let word_span = self.span_of(&word);
        let type_word = word.as_str().to_owned();
        let currency = c.optional(Rule::currency);
        let scale = c.optional(Rule::integer);
        let ty = match (type_word.as_str(), currency, scale) {
            ("money", Some(code), None) => {
                let code_span = self.span_of(&code);
                let code =
                    quantity::currency(code.as_str(), code_span).map_err(|e| self.report(e))?;
                Spanned::new(ColumnType::Money(code), word_span.to(code_span))
            }
            ("money", None, _) => {
                return Err(self.report(SyntaxError::MissingCurrency {
                    span: word_span.into(),
                }));
            }
            ("decimal", None, scale) => {
                let scale = match scale {
                    Some(p) => self.integer(p)?,
                    None => Spanned::new(ColumnType::DEFAULT_SCALE, word_span),
                };
                if scale.node > 18 {
                    return Err(self.report(SyntaxError::DecimalScale {
                        scale: scale.node,
                        span: scale.span.into(),
                    }));
                }
                Spanned::new(ColumnType::Decimal(scale.node), word_span.to(scale.span))
            }
            (_, Some(code), _) => {
                return Err(self.report(SyntaxError::UnexpectedCurrency {
                    ty: type_word,
                    code: code.as_str().to_owned(),
                    span: self.span_of(&code).into(),
                }));
            }
            (_, None, Some(scale)) => {
                return Err(self.report(SyntaxError::UnexpectedScale {
                    ty: type_word,
                    span: self.span_of(&scale).into(),
                }));
            }
            (word, None, None) => Spanned::new(
                match word {
                    "text" | "string" => ColumnType::Text,
                    "int" | "integer" => ColumnType::Int,
                    "bool" | "boolean" => ColumnType::Bool,
                    "timestamp" => ColumnType::Timestamp,
                    other => ColumnType::Segment(other.to_owned()),
                },
                word_span,
            ),
        };
        let optional = c.optional(Rule::optional).is_some();
        Ok(Column {
            name,
            ty,
            optional,
            span,
        })
    }

    pub(super) fn aggregate(&mut self, pair: Pair<'_, Rule>) -> Built<Aggregate> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let Some(head) = c.next() else {
            return Err(internal("empty aggregate".to_owned(), span));
        };
        let head_span = self.span_of(&head);
        let head_rule = head.as_rule();
        let mut hc = self.cursor(head);
        let (func, value) = match head_rule {
            Rule::agg_count => (AggFn::Count, None),
            Rule::agg_share => {
                let cond = self.row_cond(hc.required(Rule::row_cond)?)?;
                (AggFn::Share(Box::new(cond)), None)
            }
            Rule::agg_percentile => {
                let number = hc.required(Rule::number)?;
                let p = quantity::number(number.as_str(), self.span_of(&number))
                    .map_err(|e| self.report(e))?;
                let value = self.row_value(hc.required(Rule::row_value)?)?;
                (AggFn::Percentile(p), Some(value))
            }
            Rule::agg_value => {
                let word = hc.required(Rule::agg_word)?;
                let func = match word.as_str() {
                    "sum" => AggFn::Sum,
                    "mean" => AggFn::Mean,
                    "min" => AggFn::Min,
                    "max" => AggFn::Max,
                    "median" => AggFn::Median,
                    other => return Err(internal(format!("aggregate `{other}`"), head_span)),
                };
                let value = self.row_value(hc.required(Rule::row_value)?)?;
                (func, Some(value))
            }
            other => return Err(internal(format!("aggregate `{other:?}`"), head_span)),
        };
        hc.finish()?;
        let dataset = self.ident(c.required(Rule::ident)?);
        let filter = match c.optional(Rule::where_clause) {
            Some(w) => Some(self.where_clause(w)?),
            None => None,
        };
        let by = self.ident(c.required(Rule::ident)?);
        c.finish()?;
        Ok(Aggregate {
            func: Spanned::new(func, head_span),
            value,
            dataset,
            filter,
            by,
            span,
        })
    }

    fn where_clause(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let mut c = self.cursor(pair);
        let cond = self.row_cond(c.required(Rule::row_cond)?)?;
        c.finish()?;
        Ok(cond)
    }

    pub(super) fn record_promise(&mut self, pair: Pair<'_, Rule>) -> Built<RecordPromise> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let dataset = self.ident(c.required(Rule::ident)?);
        let filter = match c.optional(Rule::where_clause) {
            Some(w) => Some(self.where_clause(w)?),
            None => None,
        };
        let from = self.ident(c.required(Rule::ident)?);
        let to = self.ident(c.required(Rule::ident)?);
        let within = match c.optional(Rule::within_per) {
            Some(per) => Within::PerSegment(self.within_per(per)?),
            None => Within::Every(self.spanned_quantity(c.required(Rule::quantity)?)?),
        };
        let business_hours = match c.optional(Rule::business_hours) {
            Some(b) => Some(self.business_hours(b)?),
            None => None,
        };
        let at_least = self.spanned_quantity(c.required(Rule::quantity)?)?;
        c.finish()?;
        Ok(RecordPromise {
            dataset,
            filter,
            from,
            to,
            within,
            business_hours,
            at_least,
            span,
        })
    }

    fn within_per(&mut self, pair: Pair<'_, Rule>) -> Built<WithinPer> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let column = self.ident(c.required(Rule::ident)?);
        let mut limits = Vec::new();
        for limit in c.many(Rule::segment_limit) {
            let mut lc = self.cursor(limit);
            let value = self.ident(lc.required(Rule::ident)?);
            let limit = self.spanned_quantity(lc.required(Rule::quantity)?)?;
            lc.finish()?;
            limits.push(SegmentLimit { value, limit });
        }
        c.finish()?;
        Ok(WithinPer {
            column,
            limits,
            span,
        })
    }

    fn spanned_quantity(&mut self, pair: Pair<'_, Rule>) -> Built<Spanned<Quantity>> {
        let span = self.span_of(&pair);
        Ok(Spanned::new(self.quantity(pair)?, span))
    }

    fn business_hours(&mut self, pair: Pair<'_, Rule>) -> Built<Ident> {
        let mut c = self.cursor(pair);
        let calendar = self.ident(c.required(Rule::ident)?);
        c.finish()?;
        Ok(calendar)
    }

    // The pre-scan bounds nesting of parentheses, so these recursions stay shallow.
    fn row_cond(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let mut parts = Vec::new();
        for p in c.many(Rule::row_and) {
            parts.push(self.row_and(p)?);
        }
        c.finish()?;
        Ok(match parts.len() {
            1 => parts.pop().unwrap_or(RowCond::Or(Vec::new(), span)),
            _ => RowCond::Or(parts, span),
        })
    }

    fn row_and(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let mut parts = Vec::new();
        for p in c.many(Rule::row_not) {
            parts.push(self.row_not(p)?);
        }
        c.finish()?;
        Ok(match parts.len() {
            1 => parts.pop().unwrap_or(RowCond::And(Vec::new(), span)),
            _ => RowCond::And(parts, span),
        })
    }

    fn row_not(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let span = self.span_of(&pair);
        let negated = pair
            .clone()
            .into_inner()
            .next()
            .is_some_and(|p| p.as_rule() == Rule::kw_not);
        let mut c = self.cursor(pair);
        let Some(atom) = c.next() else {
            return Err(internal("empty condition".to_owned(), span));
        };
        let atom = match atom.as_rule() {
            Rule::row_is => self.row_is(atom)?,
            Rule::row_cmp => self.row_cmp(atom)?,
            Rule::row_cond => {
                let mut inner = self.row_cond(atom)?;
                // Parentheses belong to what the author wrote.
                if let RowCond::Or(_, s) | RowCond::And(_, s) = &mut inner {
                    *s = span;
                }
                inner
            }
            other => return Err(internal(format!("condition `{other:?}`"), span)),
        };
        c.finish()?;
        Ok(if negated {
            RowCond::Not(Box::new(atom), span)
        } else {
            atom
        })
    }

    fn row_is(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let span = self.span_of(&pair);
        let negated = pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::kw_not);
        let missing = pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::kw_missing);
        let mut c = self.cursor(pair);
        let column = self.ident(c.required(Rule::ident)?);
        c.finish()?;
        Ok(RowCond::IsSet {
            column,
            // `is set`, `is not missing` → set; `is missing`, `is not set` → not set.
            set: negated == missing,
            span,
        })
    }

    fn row_cmp(&mut self, pair: Pair<'_, Rule>) -> Built<RowCond> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let left = self.row_value(c.required(Rule::row_value)?)?;
        let op_pair = c.required(Rule::row_op)?;
        let op = match op_pair.as_str() {
            ">=" => RowOp::Ge,
            ">" => RowOp::Gt,
            "<=" => RowOp::Le,
            "<" => RowOp::Lt,
            "==" => RowOp::Eq,
            "!=" => RowOp::Ne,
            other => return Err(internal(format!("comparison `{other}`"), span)),
        };
        let op = Spanned::new(op, self.span_of(&op_pair));
        let right = self.row_value(c.required(Rule::row_value)?)?;
        c.finish()?;
        Ok(RowCond::Cmp {
            left: Box::new(left),
            op,
            right: Box::new(right),
            span,
        })
    }

    fn row_value(&mut self, pair: Pair<'_, Rule>) -> Built<RowValue> {
        let span = self.span_of(&pair);
        let mut c = self.cursor(pair);
        let Some(first) = c.next() else {
            return Err(internal("empty value".to_owned(), span));
        };
        let left = self.row_term(first)?;
        let minus = match c.optional(Rule::row_minus) {
            Some(_) => match c.next() {
                Some(p) => Some(self.row_term(p)?),
                None => return Err(internal("`-` without a right side".to_owned(), span)),
            },
            None => None,
        };
        let business_hours = match c.optional(Rule::business_hours) {
            Some(b) => Some(self.business_hours(b)?),
            None => None,
        };
        c.finish()?;
        // `(first_contact_at - handed_over_at) in business hours of office`: the
        // calendar belongs to the difference in the parentheses.
        if let (RowTerm::Group(inner), None, Some(_)) = (&left, &minus, &business_hours)
            && inner.minus.is_some()
            && inner.business_hours.is_none()
        {
            let mut inner = (**inner).clone();
            inner.business_hours = business_hours;
            inner.span = span;
            return Ok(inner);
        }
        Ok(RowValue {
            left,
            minus,
            business_hours,
            span,
        })
    }

    fn row_term(&mut self, pair: Pair<'_, Rule>) -> Built<RowTerm> {
        let span = self.span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::column => {
                let mut c = self.cursor(pair);
                let name = self.ident(c.required(Rule::ident)?);
                c.finish()?;
                RowTerm::Column(name)
            }
            Rule::string => RowTerm::Text(self.string(pair)?),
            Rule::quantity => RowTerm::Quantity(Spanned::new(self.quantity(pair)?, span)),
            Rule::boolean => RowTerm::Bool(Spanned::new(pair.as_str() == "true", span)),
            Rule::row_value => {
                let mut inner = self.row_value(pair)?;
                inner.span = span;
                RowTerm::Group(Box::new(inner))
            }
            other => return Err(internal(format!("row value `{other:?}`"), span)),
        })
    }
}
