//! The typed syntax tree of one `.sla` file.
//!
//! Every node carries the byte span it was written at. A node's equality (and hash)
//! leaves its spans out, field by field (`#[educe(PartialEq(ignore))]`), so that two
//! trees compare by what they say, not by where they say it (the formatter and the
//! tests rely on that); spans themselves compare by position.

mod dataset;
mod declarations;
mod expr;
mod obligation;

pub use dataset::*;
pub use declarations::*;
pub use expr::*;
pub use obligation::*;

use educe::Educe;

/// Byte offsets into the source text, `start..end`. Spans compare by position;
/// the tree's nodes leave their spans out of their own equality (see the module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset of the byte after the last.
    pub end: u32,
}

impl Span {
    /// The span `start..end`; offsets past `u32::MAX` are clamped to it.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// How many bytes the span covers.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The same span moved `by` bytes later.
    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    #[educe(PartialEq(ignore), Hash(ignore))]
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with where it was written.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name the author chose: a party, metric, obligation, ...
pub type Ident = Spanned<String>;

/// A whole `.sla` file: `agreement "Name" { … }` and the items inside it.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Agreement {
    /// The agreement's name: the quoted string after `agreement`.
    pub name: Spanned<String>,
    /// The whole `agreement "…" { … }` block.
    #[educe(PartialEq(ignore))]
    pub span: Span,
    /// The items inside the braces, in the order written; items that did not parse are left out.
    pub items: Vec<Item>,
}

/// One item inside the agreement's braces: a header clause or a declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `summary "…"`: one sentence on who delivers what to whom.
    Summary(Spanned<String>),
    /// `kind customer`, `kind internal` or `kind multi_level`.
    Kind(Spanned<AgreementKind>),
    /// `period month in "Europe/Berlin"`: how long a period is and its time zone.
    Period(PeriodClause),
    /// `effective 2026-01-01 to 2026-12-31`: the days the agreement is in force.
    Effective(Effective),
    /// `party NAME { contact … }`: a team or company that owes or is owed obligations.
    Party(Party),
    /// `tier NAME = FROM -> TO`: one level of a multi-level agreement.
    Tier(Tier),
    /// `segment NAME { a, b, c }`: values a metric can be split by.
    Segment(Segment),
    /// `input NAME = …`: a number the agreement is given, fixed or recalculated.
    Input(Input),
    /// `let NAME = …`: a named value computed each period.
    Let(Let),
    /// `metric NAME: TYPE …`: a measured value, recorded or computed from a dataset.
    Metric(Metric),
    /// `obligation NAME { … }`: what one party owes another.
    Obligation(Obligation),
    /// `remedy NAME { … }`: what happens when an obligation is missed.
    Remedy(Remedy),
    /// `cap credits at … per …`: the most credit paid in a window.
    Cap(Cap),
    /// `terminate when … missed …`: when the agreement may be terminated.
    Terminate(Terminate),
    /// `calendar NAME { … }`: opening hours and holidays, for durations in business hours.
    Calendar(Calendar),
    /// `dataset NAME { … }`: a table of events that metrics are computed from.
    Dataset(Dataset),
    /// `consequences follow root cause`: strikes of a miss caused upstream go to the
    /// root cause's owner, and the miss does not count towards termination.
    Consequences(Consequences),
}

/// `consequences follow root cause`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Consequences {
    /// The clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}
