//! Ids of the model's declarations: an index into the agreement's table of that
//! kind, typed so that a party id is never taken for an obligation id.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct $name(pub u32);

            impl $name {
                /// The position in its table.
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }
        )*
    };
}

ids!(
    /// A party, by its place in [`super::Agreement::parties`].
    PartyId,
    /// A declared tier, by its place in [`super::Agreement::tiers`].
    TierId,
    /// A segment, by its place in [`super::Agreement::segments`].
    SegmentId,
    /// An input, let or metric, by its place in [`super::Agreement::values`].
    ValueId,
    /// An obligation, by its place in [`super::Agreement::obligations`].
    ObligationId,
    /// A remedy, by its place in [`super::Agreement::remedies`].
    RemedyId,
    /// A calendar, by its place in [`super::Agreement::calendars`].
    CalendarId,
    /// A dataset, by its place in [`super::Agreement::datasets`].
    DatasetId
);
