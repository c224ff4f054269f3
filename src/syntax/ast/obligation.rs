//! Syntax tree, obligations and what follows from them: deliverables, bands,
//! per-segment promises, remedies, strikes, caps and termination rules.

use educe::Educe;

use super::*;

/// `obligation NAME { … }`: what one party owes another.
///
/// Each kind of clause is kept as the list written, so that the checker can report one
/// that is missing or repeated.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Obligation {
    /// The obligation's name, as `requires`, `terminate` and reports refer to it.
    pub name: Ident,
    /// One sentence on what is owed, if given.
    pub summary: Option<Spanned<String>>,
    /// The parties named in `by`: who owes it (exactly one is valid).
    pub by: Vec<Ident>,
    /// The parties named in `for`: whom it is owed to (exactly one is valid).
    pub for_: Vec<Ident>,
    /// The tiers named in `tier`, for when the two parties alone do not pick one.
    pub tier: Vec<Ident>,
    /// Obligations that must be met first (`requires a, b`); a shortfall is traced to them.
    pub requires: Vec<Ident>,
    /// Targets from `promise`, such as `mqls >= 100`.
    pub promise: Vec<Comparison>,
    /// Promises over every row of a dataset (`promise every …`).
    pub records: Vec<RecordPromise>,
    /// Deliverables (`deliver "…" every week`).
    pub deliver: Vec<Deliver>,
    /// `bands { … }` blocks that grade the promised value.
    pub bands: Vec<Bands>,
    /// `per SEGMENT { … }` blocks with a target per segment value.
    pub per: Vec<PerSegment>,
    /// `remedy` clauses: what applies to a miss when the obligation has no bands.
    pub remedy: Vec<RemedyRef>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

impl Obligation {
    /// Credits written inline (`remedy credit 10% * monthly_fee`), on the obligation
    /// or on its bands.
    pub fn inline_credits(&self) -> impl Iterator<Item = &Expr> {
        self.remedy
            .iter()
            .chain(
                self.bands
                    .iter()
                    .flat_map(|b| b.bands.iter().filter_map(|b| b.remedy.as_ref())),
            )
            .filter_map(|r| match r {
                RemedyRef::Credit { amount, .. } => Some(amount),
                RemedyRef::Named(_) => None,
            })
    }
}

/// `deliver "pipeline status" every week`
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Deliver {
    /// What is delivered, in words; the delivery log may name it by this text.
    pub what: Spanned<String>,
    /// The cadence: one delivery is due in each slot of this length.
    pub every: Spanned<PeriodUnit>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `bands { … }`: grades tried in order; the first that matches names the grade.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Bands {
    /// The bands, in the order written.
    pub bands: Vec<Band>,
    /// The whole block.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `NAME [as STATUS] [when COMPARISON] [remedy …]`: one grade in a `bands` block.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Band {
    /// The grade's name, such as `met` or `minor`.
    pub name: Ident,
    /// `as missed`: the status the band grades, for a band not named after one.
    pub status: Option<Ident>,
    /// The condition for this grade; `None` for the catch-all last band.
    pub when: Option<Comparison>,
    /// The remedy that applies when a missed period falls into this band, if any.
    pub remedy: Option<RemedyRef>,
    /// The whole band.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// Separate targets per segment value: `per lead_quality { executive: mqls >= 20 ... }`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct PerSegment {
    /// The segment whose values get targets.
    pub segment: Ident,
    /// The targets, one per segment value, in the order written.
    pub targets: Vec<SegmentPromise>,
    /// The whole block.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `VALUE: COMPARISON` inside a `per` block: the target for one segment value.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct SegmentPromise {
    /// The segment value the target is for.
    pub value: Ident,
    /// The target for that value.
    pub promise: Comparison,
    /// The whole line.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// A remedy as an obligation or band names it: `remedy NAME` or `remedy credit AMOUNT`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub enum RemedyRef {
    /// A declared remedy, by name.
    Named(Ident),
    /// A credit written in place, without a `remedy` declaration.
    Credit {
        /// The amount credited, an expression in money.
        amount: Expr,
        /// The whole `remedy credit …` clause.
        #[educe(PartialEq(ignore))]
        span: Span,
    },
}

impl RemedyRef {
    /// Where the reference is written.
    pub fn span(&self) -> Span {
        match self {
            RemedyRef::Named(name) => name.span,
            RemedyRef::Credit { span, .. } => *span,
        }
    }
}

/// `remedy NAME { … }`: actions, strikes and credits that apply to a miss.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Remedy {
    /// The remedy's name, as obligations and bands refer to it.
    pub name: Ident,
    /// What is to be done, in words (`action "…"`).
    pub actions: Vec<Spanned<String>>,
    /// Parties whose contacts answer for carrying it out (`responsible a, b`).
    pub responsible: Vec<Ident>,
    /// `strike` clauses: strikes recorded against a party.
    pub strikes: Vec<Strike>,
    /// `credit` amounts owed to the obligation's beneficiary.
    pub credits: Vec<Expr>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `strike` (against the obligation's owner) or `strike against marketing`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Strike {
    /// The party struck; `None` for the owner of the missed obligation.
    pub against: Option<Ident>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `cap credits at 50% * monthly_fee per period`
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Cap {
    /// The most credit paid in one window.
    pub amount: Expr,
    /// The window the cap applies to.
    pub per: Spanned<CapWindow>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// The window of a credit cap: `per period`, `per month`, … or `per agreement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapWindow {
    /// `per period`: each of the agreement's periods.
    Period,
    /// `per week`, `per month`, `per quarter` or `per year`: a calendar window of that length.
    Unit(PeriodUnit),
    /// `per agreement`: the whole effective range.
    Agreement,
}

/// `terminate when … missed …`: when the agreement may be terminated.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Terminate {
    /// The obligations whose misses count.
    pub subject: TerminateSubject,
    /// How many misses in which window allow termination.
    pub rule: Spanned<MissRule>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// Which obligations a termination rule watches.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub enum TerminateSubject {
    /// `any obligation`, with where it is written.
    AnyObligation(#[educe(PartialEq(ignore))] Span),
    /// The obligations listed by name.
    Obligations(Vec<Ident>),
}

/// How many missed periods allow termination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissRule {
    /// Missed `n` periods in a row.
    InARow(u32),
    /// Missed `missed` of the last `window` periods.
    OfLast {
        /// How many of those periods must be missed.
        missed: u32,
        /// How many of the latest periods are looked at.
        window: u32,
    },
}
