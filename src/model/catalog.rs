//! What evaluation needs to know about a valid agreement, looked up by name.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::period::{self, Period};
use crate::syntax::ast::{Agreement, Item, MetricType, Obligation, Party, PeriodUnit, Remedy};

pub struct MetricInfo {
    pub ty: MetricType,
    /// The segment it is split by, with the segment's values.
    pub segment: Option<(String, Vec<String>)>,
}

pub struct Catalog<'a> {
    pub agreement: &'a Agreement,
    pub unit: PeriodUnit,
    pub zone: TimeZone,
    pub zone_name: String,
    pub from: Date,
    pub to: Date,
    pub periods: BTreeSet<Period>,
    pub metrics: rustc_hash::FxHashMap<String, MetricInfo>,
    pub segments: BTreeMap<String, Vec<String>>,
    /// Obligation to the party that owes it.
    pub owners: BTreeMap<String, String>,
    pub obligations: Vec<&'a Obligation>,
    pub parties: BTreeMap<String, &'a Party>,
    pub remedies: BTreeMap<String, &'a Remedy>,
    /// Names a delivery may be logged under: the obligation's name or its `deliver` text.
    deliverables: BTreeMap<String, String>,
}

impl<'a> Catalog<'a> {
    /// `None` when the agreement lacks what evaluation needs (the checker reports it).
    pub fn new(agreement: &'a Agreement) -> Option<Catalog<'a>> {
        let mut unit = None;
        let mut zone = None;
        let mut range = None;
        let mut metrics = rustc_hash::FxHashMap::default();
        let mut segments = BTreeMap::new();
        let mut owners = BTreeMap::new();
        let mut obligations = Vec::new();
        let mut parties = BTreeMap::new();
        let mut remedies = BTreeMap::new();
        let mut deliverables = BTreeMap::new();
        for item in &agreement.items {
            match item {
                Item::Period(p) => {
                    unit = unit.or(Some(p.unit.node));
                    zone = zone.or(Some(p.zone.node.clone()));
                }
                Item::Effective(e) => range = range.or(Some((e.from.node, e.to.node))),
                Item::Segment(s) => {
                    segments.insert(
                        s.name.node.clone(),
                        s.values.iter().map(|v| v.node.clone()).collect::<Vec<_>>(),
                    );
                }
                Item::Party(p) => {
                    parties.insert(p.name.node.clone(), p);
                }
                Item::Remedy(r) => {
                    remedies.insert(r.name.node.clone(), r);
                }
                Item::Obligation(o) => {
                    if let Some(by) = o.by.first() {
                        owners.insert(o.name.node.clone(), by.node.clone());
                    }
                    if let Some(d) = o.deliver.first() {
                        deliverables.insert(o.name.node.clone(), o.name.node.clone());
                        deliverables.insert(d.what.node.clone(), o.name.node.clone());
                    }
                    obligations.push(o);
                }
                _ => {}
            }
        }
        for item in &agreement.items {
            if let Item::Metric(m) = item {
                let segment = m.segment.as_ref().map(|s| {
                    let values = segments.get(&s.node).cloned().unwrap_or_default();
                    (s.node.clone(), values)
                });
                metrics.insert(
                    m.name.node.clone(),
                    MetricInfo {
                        ty: m.ty.node.clone(),
                        segment,
                    },
                );
            }
        }
        let unit = unit?;
        let zone_name = zone?;
        let zone = jiff::tz::db().get(&zone_name).ok()?;
        let (from, to) = range?;
        Some(Catalog {
            agreement,
            unit,
            zone,
            zone_name,
            from,
            to,
            periods: period::range(from, to, unit).into_iter().collect(),
            metrics,
            segments,
            owners,
            obligations,
            parties,
            remedies,
            deliverables,
        })
    }

    pub fn deliverable(&self, name: &str) -> Option<String> {
        self.deliverables.get(name).cloned()
    }

    pub fn deliverable_names(&self) -> impl Iterator<Item = &str> + Clone {
        self.deliverables.keys().map(String::as_str)
    }
}
