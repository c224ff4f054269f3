//! Every name in one file: where each party, tier, segment, value, obligation,
//! remedy, calendar, dataset and column is declared, and every place it is used. Built
//! from the syntax tree, so it holds for a half-typed file as far as it parsed; go to
//! definition, find references, rename, document symbols and semantic tokens read it.

use crate::syntax::ast::{
    AggFn, Aggregate, Agreement, ColumnType, Comparison, Expr, ExprKind, Ident, InputValue, Item,
    RecordPromise, RemedyRef, RowCond, RowTerm, RowValue, Span, TerminateSubject, Within,
};

/// What a name names. Inputs, lets and metrics share one namespace in formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Party,
    Tier,
    Segment,
    Value,
    Obligation,
    Remedy,
    Calendar,
    Dataset,
    /// A column, named within its dataset.
    Column,
}

impl Kind {
    /// The word people use for it.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Party => "party",
            Kind::Tier => "tier",
            Kind::Segment => "segment",
            Kind::Value => "value",
            Kind::Obligation => "obligation",
            Kind::Remedy => "remedy",
            Kind::Calendar => "calendar",
            Kind::Dataset => "dataset",
            Kind::Column => "column",
        }
    }
}

/// What a value is, for its symbol and its hover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Input,
    Let,
    Metric,
}

/// Which thing a name stands for: its kind, its name and, for a column, its dataset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: Kind,
    pub name: String,
    pub dataset: Option<String>,
}

/// A declaration: the name as written and the whole item.
#[derive(Debug, Clone)]
pub struct Decl {
    pub key: Key,
    pub name_span: Span,
    pub span: Span,
    /// For values: input, let or metric.
    pub value: Option<ValueKind>,
}

/// A use of a name.
#[derive(Debug, Clone)]
pub struct Use {
    pub key: Key,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Index {
    pub decls: Vec<Decl>,
    pub uses: Vec<Use>,
}

impl Index {
    pub fn build(agreement: &Agreement) -> Index {
        let mut index = Index::default();
        for item in &agreement.items {
            index.item(item);
        }
        index.decls.sort_by_key(|d| d.name_span.start);
        index.uses.sort_by_key(|u| u.span.start);
        index
    }

    /// The name at a byte offset (a declaration's or a use's), with its span.
    pub fn at(&self, offset: usize) -> Option<(&Key, Span)> {
        let offset = u32::try_from(offset).ok()?;
        let inside = |s: Span| s.start <= offset && offset <= s.end;
        self.decls
            .iter()
            .map(|d| (&d.key, d.name_span))
            .chain(self.uses.iter().map(|u| (&u.key, u.span)))
            .find(|(_, s)| inside(*s))
    }

    /// Where a thing is declared.
    pub fn declaration(&self, key: &Key) -> Option<&Decl> {
        self.decls.iter().find(|d| d.key == *key)
    }

    /// Every place a thing's name is written: its declaration first, then its uses.
    pub fn occurrences(&self, key: &Key) -> Vec<Span> {
        let decl = self.declaration(key).map(|d| d.name_span);
        decl.into_iter()
            .chain(self.uses.iter().filter(|u| u.key == *key).map(|u| u.span))
            .collect()
    }

    /// The declared names of a kind (for columns, of one dataset), in file order.
    pub fn names(&self, kind: Kind, dataset: Option<&str>) -> Vec<&Decl> {
        self.decls
            .iter()
            .filter(|d| {
                d.key.kind == kind && (kind != Kind::Column || d.key.dataset.as_deref() == dataset)
            })
            .collect()
    }

    fn declare(&mut self, kind: Kind, name: &Ident, span: Span, dataset: Option<&str>) {
        self.declare_value(kind, name, span, dataset, None);
    }

    fn declare_value(
        &mut self,
        kind: Kind,
        name: &Ident,
        span: Span,
        dataset: Option<&str>,
        value: Option<ValueKind>,
    ) {
        if name.node.is_empty() {
            return;
        }
        self.decls.push(Decl {
            key: key(kind, &name.node, dataset),
            name_span: name.span,
            span,
            value,
        });
    }

    fn uses(&mut self, kind: Kind, name: &str, span: Span, dataset: Option<&str>) {
        if !name.is_empty() {
            self.uses.push(Use {
                key: key(kind, name, dataset),
                span,
            });
        }
    }

    fn use_ident(&mut self, kind: Kind, name: &Ident, dataset: Option<&str>) {
        self.uses(kind, &name.node, name.span, dataset);
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Party(p) => self.declare(Kind::Party, &p.name, p.span, None),
            Item::Tier(t) => {
                self.declare(Kind::Tier, &t.name, t.span, None);
                self.use_ident(Kind::Party, &t.from, None);
                self.use_ident(Kind::Party, &t.to, None);
            }
            Item::Segment(s) => self.declare(Kind::Segment, &s.name, s.span, None),
            Item::Input(i) => {
                self.declare_value(Kind::Value, &i.name, i.span, None, Some(ValueKind::Input));
                match &i.value {
                    InputValue::Fixed(e) => self.expr(e),
                    InputValue::Recalculated {
                        formula, fallback, ..
                    } => {
                        self.expr(formula);
                        self.expr(fallback);
                    }
                }
            }
            Item::Let(l) => {
                self.declare_value(Kind::Value, &l.name, l.span, None, Some(ValueKind::Let));
                self.expr(&l.value);
            }
            Item::Metric(m) => {
                self.declare_value(Kind::Value, &m.name, m.span, None, Some(ValueKind::Metric));
                if let Some(s) = &m.segment {
                    self.use_ident(Kind::Segment, s, None);
                }
                if let Some(a) = &m.aggregate {
                    self.aggregate(a);
                }
            }
            Item::Obligation(o) => {
                self.declare(Kind::Obligation, &o.name, o.span, None);
                for p in o.by.iter().chain(&o.for_) {
                    self.use_ident(Kind::Party, p, None);
                }
                for t in &o.tier {
                    self.use_ident(Kind::Tier, t, None);
                }
                for r in &o.requires {
                    self.use_ident(Kind::Obligation, r, None);
                }
                for c in &o.promise {
                    self.comparison(c);
                }
                for r in &o.records {
                    self.record(r);
                }
                for bands in &o.bands {
                    for b in &bands.bands {
                        if let Some(c) = &b.when {
                            self.comparison(c);
                        }
                        if let Some(r) = &b.remedy {
                            self.remedy_ref(r);
                        }
                    }
                }
                for per in &o.per {
                    self.use_ident(Kind::Segment, &per.segment, None);
                    for t in &per.targets {
                        self.comparison(&t.promise);
                    }
                }
                for r in &o.remedy {
                    self.remedy_ref(r);
                }
            }
            Item::Remedy(r) => {
                self.declare(Kind::Remedy, &r.name, r.span, None);
                for p in &r.responsible {
                    self.use_ident(Kind::Party, p, None);
                }
                for s in &r.strikes {
                    if let Some(p) = &s.against {
                        self.use_ident(Kind::Party, p, None);
                    }
                }
                for c in &r.credits {
                    self.expr(c);
                }
            }
            Item::Cap(c) => self.expr(&c.amount),
            Item::Terminate(t) => {
                if let TerminateSubject::Obligations(names) = &t.subject {
                    for n in names {
                        self.use_ident(Kind::Obligation, n, None);
                    }
                }
            }
            Item::Calendar(c) => self.declare(Kind::Calendar, &c.name, c.span, None),
            Item::Dataset(d) => {
                self.declare(Kind::Dataset, &d.name, d.span, None);
                let ds = Some(d.name.node.as_str());
                for c in &d.columns {
                    self.declare(Kind::Column, &c.name, c.span, ds);
                    if let ColumnType::Segment(s) = &c.ty.node {
                        self.uses(Kind::Segment, s, c.ty.span, None);
                    }
                }
                for k in d.key.iter().chain(&d.owner) {
                    self.use_ident(Kind::Column, k, ds);
                }
                for e in &d.expects {
                    self.row_cond(e, ds);
                }
            }
            Item::Summary(_)
            | Item::Kind(_)
            | Item::Period(_)
            | Item::Effective(_)
            | Item::Consequences(_) => {}
        }
    }

    fn remedy_ref(&mut self, r: &RemedyRef) {
        match r {
            RemedyRef::Named(n) => self.use_ident(Kind::Remedy, n, None),
            RemedyRef::Credit { amount, .. } => self.expr(amount),
        }
    }

    fn comparison(&mut self, c: &Comparison) {
        self.expr(&c.left);
        self.expr(&c.right);
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => self.uses(Kind::Value, n, e.span, None),
            ExprKind::Neg(x) => self.expr(x),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Literal(_) => {}
        }
    }

    fn aggregate(&mut self, a: &Aggregate) {
        self.use_ident(Kind::Dataset, &a.dataset, None);
        let ds = Some(a.dataset.node.as_str());
        if let AggFn::Share(c) = &a.func.node {
            self.row_cond(c, ds);
        }
        if let Some(v) = &a.value {
            self.row_value(v, ds);
        }
        if let Some(f) = &a.filter {
            self.row_cond(f, ds);
        }
        self.use_ident(Kind::Column, &a.by, ds);
    }

    fn record(&mut self, r: &RecordPromise) {
        self.use_ident(Kind::Dataset, &r.dataset, None);
        let ds = Some(r.dataset.node.as_str());
        if let Some(f) = &r.filter {
            self.row_cond(f, ds);
        }
        self.use_ident(Kind::Column, &r.from, ds);
        self.use_ident(Kind::Column, &r.to, ds);
        if let Within::PerSegment(per) = &r.within {
            self.use_ident(Kind::Column, &per.column, ds);
        }
        if let Some(c) = &r.business_hours {
            self.use_ident(Kind::Calendar, c, None);
        }
    }

    fn row_cond(&mut self, c: &RowCond, ds: Option<&str>) {
        match c {
            RowCond::Or(cs, _) | RowCond::And(cs, _) => {
                for c in cs {
                    self.row_cond(c, ds);
                }
            }
            RowCond::Not(c, _) => self.row_cond(c, ds),
            RowCond::IsSet { column, .. } => self.use_ident(Kind::Column, column, ds),
            RowCond::Cmp { left, right, .. } => {
                self.row_value(left, ds);
                self.row_value(right, ds);
            }
        }
    }

    fn row_value(&mut self, v: &RowValue, ds: Option<&str>) {
        self.row_term(&v.left, ds);
        if let Some(m) = &v.minus {
            self.row_term(m, ds);
        }
        if let Some(c) = &v.business_hours {
            self.use_ident(Kind::Calendar, c, None);
        }
    }

    fn row_term(&mut self, t: &RowTerm, ds: Option<&str>) {
        match t {
            RowTerm::Column(c) => self.use_ident(Kind::Column, c, ds),
            RowTerm::Group(g) => self.row_value(g, ds),
            RowTerm::Text(_) | RowTerm::Quantity(_) | RowTerm::Bool(_) => {}
        }
    }
}

fn key(kind: Kind, name: &str, dataset: Option<&str>) -> Key {
    Key {
        kind,
        name: name.to_owned(),
        dataset: if kind == Kind::Column {
            dataset.map(str::to_owned)
        } else {
            None
        },
    }
}
