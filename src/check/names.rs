//! Declared names, in declaration order, and "did you mean" for unknown ones.

use rustc_hash::FxHashMap as HashMap;

use crate::syntax::ast::{
    Calendar, Dataset, Ident, Input, Let, Metric, Obligation, Party, Remedy, Segment, Span, Tier,
};

/// One kind of declaration, looked up by name and listed in source order.
pub struct Table<'a, T> {
    order: Vec<&'a str>,
    map: HashMap<&'a str, (T, Span)>,
}

impl<'a, T: Copy> Table<'a, T> {
    pub fn new() -> Self {
        Table {
            order: Vec::new(),
            map: HashMap::default(),
        }
    }

    /// Adds a declaration; returns where the name was first declared if it is taken.
    pub fn insert(&mut self, name: &'a Ident, item: T) -> Option<Span> {
        if let Some((_, first)) = self.map.get(name.node.as_str()) {
            return Some(*first);
        }
        self.order.push(&name.node);
        self.map.insert(&name.node, (item, name.span));
        None
    }

    pub fn get(&self, name: &str) -> Option<T> {
        self.map.get(name).map(|(t, _)| *t)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &'a str> + Clone + '_ {
        self.order.iter().copied()
    }

    /// Declarations in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, T)> + Clone + '_ {
        self.order
            .iter()
            .filter_map(|n| self.map.get(n).map(|(t, _)| (*n, *t)))
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

impl<'a, T: Copy> Default for Table<'a, T> {
    fn default() -> Self {
        Table::new()
    }
}

/// Inputs, lets and metrics share one namespace: an expression names any of them.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Input(&'a Input),
    Let(&'a Let),
    Metric(&'a Metric),
}

impl Value<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Input(_) => "input",
            Value::Let(_) => "let",
            Value::Metric(_) => "metric",
        }
    }
}

#[derive(Default)]
pub struct Symbols<'a> {
    pub parties: Table<'a, &'a Party>,
    pub tiers: Table<'a, &'a Tier>,
    pub segments: Table<'a, &'a Segment>,
    pub values: Table<'a, Value<'a>>,
    pub obligations: Table<'a, &'a Obligation>,
    pub remedies: Table<'a, &'a Remedy>,
    pub calendars: Table<'a, &'a Calendar>,
    pub datasets: Table<'a, &'a Dataset>,
}

/// The help line for an unknown name: the closest declared one, or what exists.
pub fn unknown_help<'a>(
    name: &str,
    what: &str,
    declared: impl Iterator<Item = &'a str> + Clone,
) -> String {
    if let Some(s) = crate::suggest::did_you_mean(name, declared.clone()) {
        return format!("did you mean `{s}`?");
    }
    let listed: Vec<String> = declared.take(6).map(|n| format!("`{n}`")).collect();
    if listed.is_empty() {
        format!("declare it first: no {what} is declared yet")
    } else {
        format!(
            "declare it, or use one of the declared {}: {}",
            plural(what),
            listed.join(", ")
        )
    }
}

/// The plural of a kind of name: `remedy` → `remedies`, `party` → `parties`.
fn plural(what: &str) -> String {
    match what.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if what.ends_with('s') => format!("{what}es"),
        _ => format!("{what}s"),
    }
}

#[cfg(test)]
mod plural_tests {
    #[test]
    fn kinds_of_names_in_the_plural() {
        for (one, many) in [
            ("remedy", "remedies"),
            ("party", "parties"),
            ("segment value", "segment values"),
            ("obligation", "obligations"),
            ("day", "days"),
            ("alias", "aliases"),
        ] {
            assert_eq!(super::plural(one), many);
        }
    }
}
