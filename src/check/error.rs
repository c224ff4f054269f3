//! What the checker finds wrong with a well-formed agreement.

use miette::{LabeledSpan, SourceSpan};

#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    // ---- names ---------------------------------------------------------------------------
    #[error("unknown party `{name}`")]
    #[diagnostic(code(slac::check::unknown_party))]
    UnknownParty {
        name: String,
        #[label("no party of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown obligation `{name}`")]
    #[diagnostic(code(slac::check::unknown_obligation))]
    UnknownObligation {
        name: String,
        #[label("no obligation of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown metric `{name}`")]
    #[diagnostic(code(slac::check::unknown_metric))]
    UnknownMetric {
        name: String,
        #[label("no metric of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown input `{name}`")]
    #[diagnostic(code(slac::check::unknown_input))]
    UnknownInput {
        name: String,
        #[label("no input of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown name `{name}`")]
    #[diagnostic(code(slac::check::unknown_name))]
    UnknownName {
        name: String,
        #[label("not an input, let or metric")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown remedy `{name}`")]
    #[diagnostic(code(slac::check::unknown_remedy))]
    UnknownRemedy {
        name: String,
        #[label("no remedy of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown tier `{name}`")]
    #[diagnostic(code(slac::check::unknown_tier))]
    UnknownTier {
        name: String,
        #[label("no tier of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown segment `{name}`")]
    #[diagnostic(code(slac::check::unknown_segment))]
    UnknownSegment {
        name: String,
        #[label("no segment of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{value}` is not a value of segment `{segment}`")]
    #[diagnostic(code(slac::check::unknown_segment_value))]
    UnknownSegmentValue {
        value: String,
        segment: String,
        #[label("not declared in `{segment}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{what} `{name}` is declared twice")]
    #[diagnostic(
        code(slac::check::duplicate),
        help("rename one of them or remove the second declaration")
    )]
    Duplicate {
        what: &'static str,
        name: String,
        #[label(primary, "declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
    },

    #[error("`{clause}` is given twice")]
    #[diagnostic(code(slac::check::duplicate_clause), help("keep one `{clause}`"))]
    DuplicateClause {
        clause: &'static str,
        #[label(primary, "given again here")]
        span: SourceSpan,
        #[label("first given here")]
        first: SourceSpan,
    },

    #[error("{owner} has no `{clause}`")]
    #[diagnostic(code(slac::check::missing_clause))]
    MissingClause {
        owner: String,
        clause: &'static str,
        #[label("`{clause}` is missing")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the agreement has no summary")]
    #[diagnostic(
        code(slac::check::missing_summary),
        severity(Warning),
        help(
            "say in one sentence who delivers what to whom, e.g. `summary \"Marketing delivers the leads sales needs\"`"
        )
    )]
    MissingSummary {
        #[label("no `summary`")]
        span: SourceSpan,
    },

    // ---- datasets ------------------------------------------------------------------------
    #[error("unknown calendar `{name}`")]
    #[diagnostic(code(slac::check::unknown_calendar))]
    UnknownCalendar {
        name: String,
        #[label("no calendar of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown dataset `{name}`")]
    #[diagnostic(code(slac::check::unknown_dataset))]
    UnknownDataset {
        name: String,
        #[label("no dataset of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("dataset `{dataset}` has no column `{name}`")]
    #[diagnostic(code(slac::check::unknown_column))]
    UnknownColumn {
        name: String,
        dataset: String,
        #[label("not a column of `{dataset}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown column type `{word}`")]
    #[diagnostic(code(slac::check::unknown_column_type))]
    UnknownColumnType {
        word: String,
        #[label("not a type or a segment")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(slac::check::dataset_key))]
    DatasetKey {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(slac::check::row_type))]
    RowType {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    #[error("`{column}` is {found}, but {role} needs a timestamp column")]
    #[diagnostic(code(slac::check::not_a_timestamp))]
    NotTimestamp {
        column: String,
        found: String,
        role: &'static str,
        #[label("not a timestamp")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error(
        "metric `{metric}` is declared as {declared}, but `{func}` over this dataset gives {computed}"
    )]
    #[diagnostic(code(slac::check::aggregate_unit))]
    AggregateUnit {
        metric: String,
        declared: String,
        func: &'static str,
        computed: String,
        #[label(primary, "gives {computed}")]
        span: SourceSpan,
        #[label("declared here")]
        declared_at: SourceSpan,
        #[help]
        help: String,
    },

    #[error("percentile {value} is outside 0 to 100")]
    #[diagnostic(
        code(slac::check::percentile_range),
        help("write the rank as a number from 0 to 100, e.g. `percentile 90`")
    )]
    PercentileRange {
        value: String,
        #[label("not a percentile")]
        span: SourceSpan,
    },

    #[error("`in business hours` measures the time between two timestamps")]
    #[diagnostic(
        code(slac::check::business_hours_operand),
        help(
            "write it after a difference of two timestamp columns, e.g. `(first_contact_at - handed_over_at) in business hours of office`"
        )
    )]
    BusinessHoursOperand {
        #[label("not a difference of two timestamps")]
        span: SourceSpan,
    },

    #[error("a promise over every row cannot also have `{clause}`")]
    #[diagnostic(
        code(slac::check::record_promise_combined),
        help(
            "the promise over every row is judged by its share of complying rows; put other promises in an obligation of their own"
        )
    )]
    RecordPromiseCombined {
        clause: &'static str,
        #[label(primary, "`{clause}` here")]
        span: SourceSpan,
        #[label("promise over every row")]
        record: SourceSpan,
    },

    #[error("metric `{metric}` is split per `{segment}`, but dataset `{dataset}` {found}")]
    #[diagnostic(code(slac::check::segment_column))]
    SegmentColumn {
        metric: String,
        segment: String,
        dataset: String,
        found: String,
        #[label("split per `{segment}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(slac::check::record_promise_value))]
    RecordPromiseValue {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    #[error("unknown time zone `{zone}`")]
    #[diagnostic(code(slac::check::unknown_time_zone))]
    UnknownTimeZone {
        zone: String,
        #[label("not an IANA time zone")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the effective range ends before it starts")]
    #[diagnostic(
        code(slac::check::empty_range),
        help("write the earlier date first: `effective {to} to {from}`")
    )]
    EmptyRange {
        from: String,
        to: String,
        #[label("{from} is after {to}")]
        span: SourceSpan,
    },

    // ---- parties and tiers ---------------------------------------------------------------
    #[error("invalid e-mail address `{email}`")]
    #[diagnostic(
        code(slac::check::invalid_email),
        help("write the address as `<name@example.com>`")
    )]
    InvalidEmail {
        email: String,
        #[label("not an e-mail address")]
        span: SourceSpan,
    },

    #[error("party `{party}` has no contact")]
    #[diagnostic(
        code(slac::check::missing_contact),
        severity(Warning),
        help("add who answers for this party: `contact \"Head of Sales\" <sales@example.com>`")
    )]
    MissingContact {
        party: String,
        #[label("nobody to call when an obligation is missed")]
        span: SourceSpan,
    },

    #[error("tier `{tier}` connects `{party}` with itself")]
    #[diagnostic(
        code(slac::check::tier_same_party),
        help("a tier joins two different parties, e.g. `tier handoff = marketing -> sales`")
    )]
    TierSameParty {
        tier: String,
        party: String,
        #[label("same party on both sides")]
        span: SourceSpan,
    },

    #[error("a multi-level agreement declares no tiers")]
    #[diagnostic(
        code(slac::check::missing_tiers),
        help(
            "declare each level, e.g. `tier leads = marketing -> sales` and `tier customers = sales -> service`"
        )
    )]
    MissingTiers {
        #[label("`multi_level` needs tiers")]
        span: SourceSpan,
    },

    #[error("obligation `{obligation}` has no owner")]
    #[diagnostic(
        code(slac::check::missing_owner),
        help("say which party owes it: `by marketing for sales`")
    )]
    MissingOwner {
        obligation: String,
        #[label("no `by` party")]
        span: SourceSpan,
    },

    #[error("obligation `{obligation}` is owed to nobody")]
    #[diagnostic(
        code(slac::check::missing_beneficiary),
        help("say which party it is owed to: `by marketing for sales`")
    )]
    MissingBeneficiary {
        obligation: String,
        #[label("no `for` party")]
        span: SourceSpan,
    },

    #[error("obligation `{obligation}` is owed by `{party}` to itself")]
    #[diagnostic(
        code(slac::check::same_party),
        help("an obligation is between two parties; name the party it serves in `for`")
    )]
    SameParty {
        obligation: String,
        party: String,
        #[label("`by` and `for` are the same party")]
        span: SourceSpan,
    },

    #[error("obligation `{obligation}` between `{by}` and `{for_}` belongs to no tier")]
    #[diagnostic(code(slac::check::no_tier))]
    NoTier {
        obligation: String,
        by: String,
        for_: String,
        #[label("no tier joins `{by}` and `{for_}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("obligation `{obligation}` fits more than one tier: {tiers}")]
    #[diagnostic(
        code(slac::check::ambiguous_tier),
        help("name the tier it belongs to: `tier {first}`")
    )]
    AmbiguousTier {
        obligation: String,
        tiers: String,
        first: String,
        #[label("which tier?")]
        span: SourceSpan,
    },

    #[error(
        "obligation `{obligation}` is between `{by}` and `{for_}`, but tier `{tier}` joins `{from}` and `{to}`"
    )]
    #[diagnostic(
        code(slac::check::tier_mismatch),
        help("name a tier that joins `{by}` and `{for_}`, or correct `by`/`for`")
    )]
    TierMismatch {
        obligation: String,
        by: String,
        for_: String,
        tier: String,
        from: String,
        to: String,
        #[label("parties do not match this tier")]
        span: SourceSpan,
    },

    // ---- obligations ---------------------------------------------------------------------
    #[error("obligation `{obligation}` promises nothing")]
    #[diagnostic(
        code(slac::check::missing_promise),
        help(
            "add a target, e.g. `promise mqls >= 100`, or a deliverable, e.g. `deliver \"pipeline report\" every week`"
        )
    )]
    MissingPromise {
        obligation: String,
        #[label("no `promise`, `per` or `deliver`")]
        span: SourceSpan,
    },

    #[error("obligation `{obligation}` is both a deliverable and a promise")]
    #[diagnostic(
        code(slac::check::promise_and_deliverable),
        help("split it into two obligations: one `deliver`, one `promise`")
    )]
    PromiseAndDeliverable {
        obligation: String,
        #[label(primary, "deliverable")]
        span: SourceSpan,
        #[label("promise")]
        promise: SourceSpan,
    },

    #[error("a deliverable cannot have bands")]
    #[diagnostic(
        code(slac::check::bands_on_deliverable),
        help(
            "a deliverable is either delivered or missed; put its remedy on the obligation: `remedy strike`"
        )
    )]
    BandsOnDeliverable {
        #[label("bands need a promise to grade")]
        span: SourceSpan,
    },

    #[error("segment `{segment}` has no target for {missing}")]
    #[diagnostic(code(slac::check::incomplete_segment))]
    IncompleteSegment {
        segment: String,
        missing: String,
        #[label("every value of `{segment}` needs a target")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("metric `{metric}` is not split by segment `{segment}`")]
    #[diagnostic(code(slac::check::segment_mismatch))]
    SegmentMismatch {
        metric: String,
        segment: String,
        #[label("used in a `per {segment}` target")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the `per` block names no segment value")]
    #[diagnostic(
        code(slac::check::empty_segment_targets),
        help("give a target per value: `executive: mqls >= 20`")
    )]
    EmptySegmentTargets {
        #[label("empty")]
        span: SourceSpan,
    },

    #[error("segment `{segment}` has no values")]
    #[diagnostic(
        code(slac::check::empty_segment),
        help("list the values: `segment {segment} {{ executive, manager, intern }}`")
    )]
    EmptySegment {
        segment: String,
        #[label("no values")]
        span: SourceSpan,
    },

    // ---- units ---------------------------------------------------------------------------
    #[error("cannot {verb} {left} and {right}")]
    #[diagnostic(code(slac::check::unit_mismatch))]
    UnitMismatch {
        verb: &'static str,
        left: String,
        right: String,
        #[label(primary, "{left}")]
        left_span: SourceSpan,
        #[label("{right}")]
        right_span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("cannot {verb} money in {left} and money in {right}")]
    #[diagnostic(
        code(slac::check::currency_mismatch),
        help("an agreement does not convert currencies; state both amounts in the same currency")
    )]
    CurrencyMismatch {
        verb: &'static str,
        left: String,
        right: String,
        #[label(primary, "{left}")]
        left_span: SourceSpan,
        #[label("{right}")]
        right_span: SourceSpan,
    },

    #[error("{what} must be {expected}, but this is {found}")]
    #[diagnostic(code(slac::check::wrong_unit))]
    WrongUnit {
        what: &'static str,
        expected: &'static str,
        found: String,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("division by zero")]
    #[diagnostic(
        code(slac::check::division_by_zero),
        help("divide by a value that cannot be zero, or drop the division")
    )]
    DivisionByZero {
        #[label("this is zero")]
        span: SourceSpan,
    },

    // ---- graphs --------------------------------------------------------------------------
    #[error("obligations require each other in a cycle: {path}")]
    #[diagnostic(
        code(slac::check::requires_cycle),
        help(
            "`requires` says which obligation must be met first; remove one `requires` to break the cycle"
        )
    )]
    RequiresCycle {
        path: String,
        #[label(collection)]
        links: Vec<LabeledSpan>,
    },

    #[error("values are defined in terms of each other: {path}")]
    #[diagnostic(
        code(slac::check::definition_cycle),
        help("each input and let must be computable from the ones before it; break the cycle")
    )]
    DefinitionCycle {
        path: String,
        #[label(collection)]
        links: Vec<LabeledSpan>,
    },

    // ---- bands ---------------------------------------------------------------------------
    #[error(
        "band `{band}` overlaps band `{other}`: every value it matches is already matched by `{other}`"
    )]
    #[diagnostic(code(slac::check::band_overlap))]
    BandOverlap {
        band: String,
        other: String,
        #[label(primary, "never reached")]
        span: SourceSpan,
        #[label("`{other}` comes first")]
        other_span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("bands leave values uncovered: {uncovered}")]
    #[diagnostic(code(slac::check::band_gap))]
    BandGap {
        uncovered: String,
        #[label("no band for the rest")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("band `{band}` comes after the catch-all band `{catch_all}` and is never reached")]
    #[diagnostic(
        code(slac::check::band_unreachable),
        help("move the band without `when` to the end")
    )]
    BandUnreachable {
        band: String,
        catch_all: String,
        #[label(primary, "never reached")]
        span: SourceSpan,
        #[label("matches every value")]
        catch_all_span: SourceSpan,
    },

    #[error("bands must grade one value in one direction")]
    #[diagnostic(code(slac::check::band_shape))]
    BandShape {
        #[label(primary, "{reason}")]
        span: SourceSpan,
        reason: String,
        #[label("first band")]
        first: SourceSpan,
        #[help]
        help: String,
    },

    // ---- remedies, caps, termination -----------------------------------------------------
    #[error("remedy `{remedy}` does nothing")]
    #[diagnostic(
        code(slac::check::empty_remedy),
        help("give it an `action`, a `strike` or a `credit`")
    )]
    EmptyRemedy {
        remedy: String,
        #[label("no action, strike or credit")]
        span: SourceSpan,
    },

    #[error("a cap {per} is shorter than the agreement's period ({period})")]
    #[diagnostic(
        code(slac::check::cap_window),
        help("cap credits `per period` or over a longer window")
    )]
    CapWindow {
        per: String,
        period: &'static str,
        #[label("too short")]
        span: SourceSpan,
    },

    #[error("credits are capped, but no remedy grants a credit")]
    #[diagnostic(
        code(slac::check::cap_without_credit),
        severity(Warning),
        help("remove the cap, or add `credit` to a remedy")
    )]
    CapWithoutCredit {
        #[label("caps nothing")]
        span: SourceSpan,
    },

    #[error("{reason}")]
    #[diagnostic(code(slac::check::invalid_window))]
    InvalidWindow {
        reason: String,
        #[label("impossible window")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    // ---- calendars -----------------------------------------------------------------------
    #[error("opening hours end before they start")]
    #[diagnostic(
        code(slac::check::invalid_hours),
        help("write the opening time first, e.g. `hours mon-fri 09:00-17:00`")
    )]
    InvalidHours {
        #[label("closes at or before it opens")]
        span: SourceSpan,
    },

    #[error("opening hours overlap on {day}")]
    #[diagnostic(
        code(slac::check::overlapping_hours),
        help("give each day's hours once, or as separate, non-overlapping ranges")
    )]
    OverlappingHours {
        day: &'static str,
        #[label(primary, "overlaps")]
        span: SourceSpan,
        #[label("earlier hours")]
        first: SourceSpan,
    },

    // ---- unused declarations -------------------------------------------------------------
    #[error("input `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_input),
        severity(Warning),
        help("use it in a `let` or a promise, or remove it")
    )]
    UnusedInput {
        name: String,
        #[label("unused")]
        span: SourceSpan,
    },

    #[error("let `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_let),
        severity(Warning),
        help("use it in a promise, or remove it")
    )]
    UnusedLet {
        name: String,
        #[label("unused")]
        span: SourceSpan,
    },

    #[error("metric `{name}` is never used")]
    #[diagnostic(
        code(slac::check::unused_metric),
        severity(Warning),
        help("promise something about it, or remove it")
    )]
    UnusedMetric {
        name: String,
        #[label("unused")]
        span: SourceSpan,
    },

    #[error("remedy `{name}` is never applied")]
    #[diagnostic(
        code(slac::check::unused_remedy),
        severity(Warning),
        help("name it in an obligation (`remedy {name}`) or a band, or remove it")
    )]
    UnusedRemedy {
        name: String,
        #[label("unused")]
        span: SourceSpan,
    },
}
