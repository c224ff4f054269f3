//! What the checker finds wrong with a well-formed agreement.

use miette::{LabeledSpan, SourceSpan};

pub use super::dataset_error::DatasetError;
pub use super::grading_error::GradingError;

/// A problem the checker finds in an agreement that parsed; most are errors, a few warnings.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    // ---- names ---------------------------------------------------------------------------
    /// A `by`, `for`, tier, `responsible` or `strike against` names no declared party.
    #[error("unknown party `{name}`")]
    #[diagnostic(code(slac::check::unknown_party))]
    UnknownParty {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no party of this name")]
        span: SourceSpan,
        /// A close declared name, or the parties there are.
        #[help]
        help: String,
    },

    /// `requires` or `terminate when` names no declared obligation.
    #[error("unknown obligation `{name}`")]
    #[diagnostic(code(slac::check::unknown_obligation))]
    UnknownObligation {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no obligation of this name")]
        span: SourceSpan,
        /// A close declared name, or the obligations there are.
        #[help]
        help: String,
    },

    /// An expression names nothing declared, and the closest declared name is a metric.
    #[error("unknown metric `{name}`")]
    #[diagnostic(code(slac::check::unknown_metric))]
    UnknownMetric {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no metric of this name")]
        span: SourceSpan,
        /// The metric it most likely means.
        #[help]
        help: String,
    },

    /// An expression names nothing declared, and the closest declared name is an input.
    #[error("unknown input `{name}`")]
    #[diagnostic(code(slac::check::unknown_input))]
    UnknownInput {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no input of this name")]
        span: SourceSpan,
        /// The input it most likely means.
        #[help]
        help: String,
    },

    /// An expression names no input, let or metric (and no close metric or input either).
    #[error("unknown name `{name}`")]
    #[diagnostic(code(slac::check::unknown_name))]
    UnknownName {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("not an input, let or metric")]
        span: SourceSpan,
        /// A close declared name, or what names in expressions may refer to.
        #[help]
        help: String,
    },

    /// An obligation or band names no declared remedy.
    #[error("unknown remedy `{name}`")]
    #[diagnostic(code(slac::check::unknown_remedy))]
    UnknownRemedy {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no remedy of this name")]
        span: SourceSpan,
        /// A close declared name, or the remedies there are.
        #[help]
        help: String,
    },

    /// An obligation's `tier` clause names no declared tier.
    #[error("unknown tier `{name}`")]
    #[diagnostic(code(slac::check::unknown_tier))]
    UnknownTier {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no tier of this name")]
        span: SourceSpan,
        /// A close declared name, or the tiers there are.
        #[help]
        help: String,
    },

    /// A metric's `per` or an obligation's `per` block names no declared segment.
    #[error("unknown segment `{name}`")]
    #[diagnostic(code(slac::check::unknown_segment))]
    UnknownSegment {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no segment of this name")]
        span: SourceSpan,
        /// A close declared name, or the segments there are.
        #[help]
        help: String,
    },

    /// A `per` block gives a target for a value its segment does not declare.
    #[error("`{value}` is not a value of segment `{segment}`")]
    #[diagnostic(code(slac::check::unknown_segment_value))]
    UnknownSegmentValue {
        /// The value as written.
        value: String,
        /// The segment of the `per` block.
        segment: String,
        /// Where the value is written.
        #[label("not declared in `{segment}`")]
        span: SourceSpan,
        /// A close declared value, or the values there are.
        #[help]
        help: String,
    },

    /// A name is declared twice, or a segment value, band, column, target or holiday is repeated.
    #[error("{what} `{name}` is declared twice")]
    #[diagnostic(
        code(slac::check::duplicate),
        help("rename one of them or remove the second declaration")
    )]
    Duplicate {
        /// What kind of thing is repeated, such as `party`, `metric` or `band`.
        what: &'static str,
        /// The repeated name (or date, for a holiday).
        name: String,
        /// Where it is declared again.
        #[label(primary, "declared again here")]
        span: SourceSpan,
        /// Where it was first declared.
        #[label("first declared here")]
        first: SourceSpan,
    },

    /// A clause that may appear once is given again, such as a second `by` or `period`.
    #[error("`{clause}` is given twice")]
    #[diagnostic(code(slac::check::duplicate_clause), help("keep one `{clause}`"))]
    DuplicateClause {
        /// The clause's keyword.
        clause: &'static str,
        /// The repeated clause.
        #[label(primary, "given again here")]
        span: SourceSpan,
        /// The clause given first.
        #[label("first given here")]
        first: SourceSpan,
    },

    /// The agreement, a calendar or a dataset lacks a clause it needs.
    #[error("{owner} has no `{clause}`")]
    #[diagnostic(code(slac::check::missing_clause))]
    MissingClause {
        /// What lacks the clause, in words: the agreement, or a calendar or dataset by name.
        owner: String,
        /// The keyword of the missing clause.
        clause: &'static str,
        /// The name of what lacks it.
        #[label("`{clause}` is missing")]
        span: SourceSpan,
        /// What to add, with an example.
        #[help]
        help: String,
    },

    /// Warning: the agreement has no `summary`.
    #[error("the agreement has no summary")]
    #[diagnostic(
        code(slac::check::missing_summary),
        severity(Warning),
        help(
            "say in one sentence who delivers what to whom, e.g. `summary \"Marketing delivers the leads sales needs\"`"
        )
    )]
    MissingSummary {
        /// The agreement's name.
        #[label("no `summary`")]
        span: SourceSpan,
    },

    /// `in business hours of NAME` names no declared calendar.
    #[error("unknown calendar `{name}`")]
    #[diagnostic(code(slac::check::unknown_calendar))]
    UnknownCalendar {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no calendar of this name")]
        span: SourceSpan,
        /// A close declared name, or the calendars there are.
        #[help]
        help: String,
    },

    /// A `period`, calendar or dataset `zone` is not an IANA time zone name.
    #[error("unknown time zone `{zone}`")]
    #[diagnostic(code(slac::check::unknown_time_zone))]
    UnknownTimeZone {
        /// The zone as written.
        zone: String,
        /// Where the zone is written.
        #[label("not an IANA time zone")]
        span: SourceSpan,
        /// A close zone name, or examples of valid ones.
        #[help]
        help: String,
    },

    /// `effective` gives a last day before its first.
    #[error("the effective range ends before it starts")]
    #[diagnostic(
        code(slac::check::empty_range),
        help("write the earlier date first: `effective {to} to {from}`")
    )]
    EmptyRange {
        /// The first date as written.
        from: String,
        /// The last date as written.
        to: String,
        /// Both dates.
        #[label("{from} is after {to}")]
        span: SourceSpan,
    },

    // ---- parties and tiers ---------------------------------------------------------------
    /// A contact's address is not a plausible e-mail address.
    #[error("invalid e-mail address `{email}`")]
    #[diagnostic(
        code(slac::check::invalid_email),
        help("write the address as `<name@example.com>`")
    )]
    InvalidEmail {
        /// The address as written.
        email: String,
        /// Where the address is written.
        #[label("not an e-mail address")]
        span: SourceSpan,
    },

    /// Warning: a party has no `contact`.
    #[error("party `{party}` has no contact")]
    #[diagnostic(
        code(slac::check::missing_contact),
        severity(Warning),
        help("add who answers for this party: `contact \"Head of Sales\" <sales@example.com>`")
    )]
    MissingContact {
        /// The party.
        party: String,
        /// The party's name in its declaration.
        #[label("nobody to call when an obligation is missed")]
        span: SourceSpan,
    },

    /// A tier's two sides are the same party.
    #[error("tier `{tier}` connects `{party}` with itself")]
    #[diagnostic(
        code(slac::check::tier_same_party),
        help("a tier joins two different parties, e.g. `tier handoff = marketing -> sales`")
    )]
    TierSameParty {
        /// The tier.
        tier: String,
        /// The party on both sides.
        party: String,
        /// The two sides of the tier.
        #[label("same party on both sides")]
        span: SourceSpan,
    },

    /// A `multi_level` agreement declares no `tier`.
    #[error("a multi-level agreement declares no tiers")]
    #[diagnostic(
        code(slac::check::missing_tiers),
        help(
            "declare each level, e.g. `tier leads = marketing -> sales` and `tier customers = sales -> service`"
        )
    )]
    MissingTiers {
        /// The `kind multi_level` clause.
        #[label("`multi_level` needs tiers")]
        span: SourceSpan,
    },

    /// An obligation has no `by` clause.
    #[error("obligation `{obligation}` has no owner")]
    #[diagnostic(
        code(slac::check::missing_owner),
        help("say which party owes it: `by marketing for sales`")
    )]
    MissingOwner {
        /// The obligation.
        obligation: String,
        /// The obligation's name in its declaration.
        #[label("no `by` party")]
        span: SourceSpan,
    },

    /// An obligation has no `for` clause.
    #[error("obligation `{obligation}` is owed to nobody")]
    #[diagnostic(
        code(slac::check::missing_beneficiary),
        help("say which party it is owed to: `by marketing for sales`")
    )]
    MissingBeneficiary {
        /// The obligation.
        obligation: String,
        /// The obligation's name in its declaration.
        #[label("no `for` party")]
        span: SourceSpan,
    },

    /// An obligation's `by` and `for` name the same party.
    #[error("obligation `{obligation}` is owed by `{party}` to itself")]
    #[diagnostic(
        code(slac::check::same_party),
        help("an obligation is between two parties; name the party it serves in `for`")
    )]
    SameParty {
        /// The obligation.
        obligation: String,
        /// The party named in both.
        party: String,
        /// The `by` and `for` parties.
        #[label("`by` and `for` are the same party")]
        span: SourceSpan,
    },

    /// In an agreement with tiers, no tier joins an obligation's two parties.
    #[error("obligation `{obligation}` between `{by}` and `{for_}` belongs to no tier")]
    #[diagnostic(code(slac::check::no_tier))]
    NoTier {
        /// The obligation.
        obligation: String,
        /// The party that owes it.
        by: String,
        /// The party it is owed to.
        for_: String,
        /// The `by` and `for` parties.
        #[label("no tier joins `{by}` and `{for_}`")]
        span: SourceSpan,
        /// A tier to declare, and the tiers there are.
        #[help]
        help: String,
    },

    /// More than one tier joins an obligation's two parties, and it names none with `tier`.
    #[error("obligation `{obligation}` fits more than one tier: {tiers}")]
    #[diagnostic(
        code(slac::check::ambiguous_tier),
        help("name the tier it belongs to: `tier {first}`")
    )]
    AmbiguousTier {
        /// The obligation.
        obligation: String,
        /// The tiers that fit, as a list.
        tiers: String,
        /// The first tier that fits, for the suggestion.
        first: String,
        /// The obligation's name in its declaration.
        #[label("which tier?")]
        span: SourceSpan,
    },

    /// An obligation's `tier` clause names a tier that joins other parties.
    #[error(
        "obligation `{obligation}` is between `{by}` and `{for_}`, but tier `{tier}` joins `{from}` and `{to}`"
    )]
    #[diagnostic(
        code(slac::check::tier_mismatch),
        help("name a tier that joins `{by}` and `{for_}`, or correct `by`/`for`")
    )]
    TierMismatch {
        /// The obligation.
        obligation: String,
        /// The party that owes it.
        by: String,
        /// The party it is owed to.
        for_: String,
        /// The tier named.
        tier: String,
        /// The tier's delivering party.
        from: String,
        /// The tier's receiving party.
        to: String,
        /// The `tier` clause's name.
        #[label("parties do not match this tier")]
        span: SourceSpan,
    },

    // ---- obligations ---------------------------------------------------------------------
    /// An obligation has no `promise`, `per` or `deliver`.
    #[error("obligation `{obligation}` promises nothing")]
    #[diagnostic(
        code(slac::check::missing_promise),
        help(
            "add a target, e.g. `promise mqls >= 100`, or a deliverable, e.g. `deliver \"pipeline report\" every week`"
        )
    )]
    MissingPromise {
        /// The obligation.
        obligation: String,
        /// The obligation's name in its declaration.
        #[label("no `promise`, `per` or `deliver`")]
        span: SourceSpan,
    },

    /// An obligation has both a `deliver` clause and a `promise` or `per` block.
    #[error("obligation `{obligation}` is both a deliverable and a promise")]
    #[diagnostic(
        code(slac::check::promise_and_deliverable),
        help("split it into two obligations: one `deliver`, one `promise`")
    )]
    PromiseAndDeliverable {
        /// The obligation.
        obligation: String,
        /// The `deliver` clause.
        #[label(primary, "deliverable")]
        span: SourceSpan,
        /// The `promise` or `per` block.
        #[label("promise")]
        promise: SourceSpan,
    },

    /// An obligation with a `deliver` clause also has `bands`.
    #[error("a deliverable cannot have bands")]
    #[diagnostic(
        code(slac::check::bands_on_deliverable),
        help(
            "a deliverable is either delivered or missed; put its remedy on the obligation: `remedy strike`"
        )
    )]
    BandsOnDeliverable {
        /// The `bands` block.
        #[label("bands need a promise to grade")]
        span: SourceSpan,
    },

    /// A `per` block leaves some of its segment's values without a target (or, in
    /// `within per`, without a limit).
    #[error("segment `{segment}` has no {what} for {missing}")]
    #[diagnostic(code(slac::check::incomplete_segment))]
    IncompleteSegment {
        /// The segment.
        segment: String,
        /// `target` or `limit`.
        what: &'static str,
        /// The values without a target, as a list.
        missing: String,
        /// The segment's name in the `per` block.
        #[label("every value of `{segment}` needs a {what}")]
        span: SourceSpan,
        /// A target to add.
        #[help]
        help: String,
    },

    /// A `per` block's target uses a metric that is not split by that block's segment.
    #[error("metric `{metric}` is not split by segment `{segment}`")]
    #[diagnostic(code(slac::check::segment_mismatch))]
    SegmentMismatch {
        /// The metric.
        metric: String,
        /// The segment of the `per` block.
        segment: String,
        /// Where the metric is used.
        #[label("used in a `per {segment}` target")]
        span: SourceSpan,
        /// How to declare the metric per segment.
        #[help]
        help: String,
    },

    /// A `per` block gives no targets.
    #[error("the `per` block names no segment value")]
    #[diagnostic(
        code(slac::check::empty_segment_targets),
        help("give a target per value: `executive: mqls >= 20`")
    )]
    EmptySegmentTargets {
        /// The `per` block.
        #[label("empty")]
        span: SourceSpan,
    },

    /// A segment declares no values.
    #[error("segment `{segment}` has no values")]
    #[diagnostic(
        code(slac::check::empty_segment),
        help("list the values: `segment {segment} {{ executive, manager, intern }}`")
    )]
    EmptySegment {
        /// The segment.
        segment: String,
        /// The segment's name in its declaration.
        #[label("no values")]
        span: SourceSpan,
    },

    // ---- units ---------------------------------------------------------------------------
    /// A percent metric is compared with a number written without `%`.
    #[error("`{metric}` is a percentage, but `{number}` has no `%`")]
    #[diagnostic(
        code(slac::check::percent_without_sign),
        help("write `{number}%`: a bare `{number}` would mean {number} × 100 %")
    )]
    PercentWithoutSign {
        /// The percent metric.
        metric: String,
        /// The number as written.
        number: String,
        /// The number.
        #[label(primary, "a number, not a percentage")]
        span: SourceSpan,
        /// The metric.
        #[label("a percentage")]
        metric_span: SourceSpan,
    },

    /// An operation or comparison combines units that do not fit, such as money and a count.
    #[error("cannot {verb} {left} and {right}")]
    #[diagnostic(code(slac::check::unit_mismatch))]
    UnitMismatch {
        /// What was attempted: `add`, `subtract`, `multiply`, `divide` or `compare`.
        verb: &'static str,
        /// The left operand's unit, in words.
        left: String,
        /// The right operand's unit, in words.
        right: String,
        /// The left operand.
        #[label(primary, "{left}")]
        left_span: SourceSpan,
        /// The right operand.
        #[label("{right}")]
        right_span: SourceSpan,
        /// How the units would fit.
        #[help]
        help: String,
    },

    /// Amounts in different currencies are combined, compared, totalled as credits or capped.
    #[error("cannot {verb} money in {left} and money in {right}")]
    #[diagnostic(
        code(slac::check::currency_mismatch),
        help("an agreement does not convert currencies; state both amounts in the same currency")
    )]
    CurrencyMismatch {
        /// What was attempted, such as `add`, `compare`, `total` or `cap`.
        verb: &'static str,
        /// The first amount's currency.
        left: String,
        /// The second amount's currency.
        right: String,
        /// The first amount.
        #[label(primary, "{left}")]
        left_span: SourceSpan,
        /// The second amount.
        #[label("{right}")]
        right_span: SourceSpan,
    },

    /// A value has the wrong unit for its place, such as a credit that is not money.
    #[error("{what} must be {expected}, but this is {found}")]
    #[diagnostic(code(slac::check::wrong_unit))]
    WrongUnit {
        /// The place, such as `a credit`.
        what: &'static str,
        /// The unit it needs, such as `money`.
        expected: &'static str,
        /// The unit it has, in words.
        found: String,
        /// The value.
        #[label("{found}")]
        span: SourceSpan,
        /// How to write it in the right unit.
        #[help]
        help: String,
    },

    /// An expression divides by something that is zero as written, such as `x / 0`.
    #[error("division by zero")]
    #[diagnostic(
        code(slac::check::division_by_zero),
        help("divide by a value that cannot be zero, or drop the division")
    )]
    DivisionByZero {
        /// The divisor.
        #[label("this is zero")]
        span: SourceSpan,
    },

    // ---- graphs --------------------------------------------------------------------------
    /// Obligations' `requires` clauses form a cycle.
    #[error("obligations require each other in a cycle: {path}")]
    #[diagnostic(
        code(slac::check::requires_cycle),
        help(
            "`requires` says which obligation must be met first; remove one `requires` to break the cycle"
        )
    )]
    RequiresCycle {
        /// The obligations in the cycle, in order, back to the first.
        path: String,
        /// Each `requires` link in the cycle, labelled with what it requires.
        #[label(collection)]
        links: Vec<LabeledSpan>,
    },

    /// Inputs and lets are defined in terms of each other.
    #[error("values are defined in terms of each other: {path}")]
    #[diagnostic(
        code(slac::check::definition_cycle),
        help("each input and let must be computable from the ones before it; break the cycle")
    )]
    DefinitionCycle {
        /// The names in the cycle, in order, back to the first.
        path: String,
        /// Each use that closes the cycle, labelled with what it uses.
        #[label(collection)]
        links: Vec<LabeledSpan>,
    },

    // ---- calendars -----------------------------------------------------------------------
    /// A calendar's `hours` close at or before they open.
    #[error("opening hours end before they start")]
    #[diagnostic(
        code(slac::check::invalid_hours),
        help("write the opening time first, e.g. `hours mon-fri 09:00-17:00`")
    )]
    InvalidHours {
        /// The opening and closing times.
        #[label("closes at or before it opens")]
        span: SourceSpan,
    },

    /// A calendar's `hours` give a day opening hours that overlap earlier ones.
    #[error("opening hours overlap on {day}")]
    #[diagnostic(
        code(slac::check::overlapping_hours),
        help("give each day's hours once, or as separate, non-overlapping ranges")
    )]
    OverlappingHours {
        /// The weekday, such as `Monday`.
        day: &'static str,
        /// The later `hours` clause.
        #[label(primary, "overlaps")]
        span: SourceSpan,
        /// The earlier `hours` clause.
        #[label("earlier hours")]
        first: SourceSpan,
    },

    // ---- unused declarations -------------------------------------------------------------
    /// Warning: nothing uses an input.
    #[error("input `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_input),
        severity(Warning),
        help("use it in a `let` or a promise, or remove it")
    )]
    UnusedInput {
        /// The input.
        name: String,
        /// The input's name in its declaration.
        #[label("unused")]
        span: SourceSpan,
    },

    /// Warning: nothing uses a let.
    #[error("let `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_let),
        severity(Warning),
        help("use it in a promise, or remove it")
    )]
    UnusedLet {
        /// The let.
        name: String,
        /// The let's name in its declaration.
        #[label("unused")]
        span: SourceSpan,
    },

    /// Warning: no promise or value uses a metric.
    #[error("metric `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_metric),
        severity(Warning),
        help("promise something about it, or remove it")
    )]
    UnusedMetric {
        /// The metric.
        name: String,
        /// The metric's name in its declaration.
        #[label("unused")]
        span: SourceSpan,
    },

    /// Warning: no obligation or band applies a remedy.
    #[error("remedy `{name}` is never applied")]
    #[diagnostic(
        code(slac::check::unused_remedy),
        severity(Warning),
        help("name it in an obligation (`remedy {name}`) or a band, or remove it")
    )]
    UnusedRemedy {
        /// The remedy.
        name: String,
        /// The remedy's name in its declaration.
        #[label("unused")]
        span: SourceSpan,
    },

    /// A dataset, its columns, or what is computed over its rows does not check.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Dataset(#[from] DatasetError),

    /// A band, remedy, cap or termination rule does not check.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Grading(#[from] GradingError),
}
