//! Cycles in dependency graphs (`requires` between obligations, and definitions of
//! inputs and lets), found with petgraph and reported as one whole path each.

use rustc_hash::FxHashMap as HashMap;

use miette::LabeledSpan;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::syntax::ast::Span;

/// A graph of named nodes whose edges remember where the dependency was written.
pub struct DependencyGraph<'a> {
    graph: DiGraph<&'a str, Span>,
    index: HashMap<&'a str, NodeIndex>,
}

/// One cycle: the names in order (the first repeated at the end) and each link's span.
pub struct Cycle<'a> {
    pub names: Vec<&'a str>,
    pub links: Vec<Span>,
}

impl<'a> Cycle<'a> {
    pub fn path(&self) -> String {
        self.names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" → ")
    }

    pub fn labels(&self, verb: &str) -> Vec<LabeledSpan> {
        self.links
            .iter()
            .zip(self.names.iter().skip(1))
            .enumerate()
            .map(|(i, (span, target))| {
                let text = Some(format!("{verb} `{target}`"));
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, *span)
                } else {
                    LabeledSpan::new_with_span(text, *span)
                }
            })
            .collect()
    }
}

/// The graph's strongly connected components in dependency order: every component
/// comes after the ones it depends on.
pub enum Component<'a> {
    Single(&'a str),
    Cyclic(Cycle<'a>, Vec<&'a str>),
}

impl<'a> DependencyGraph<'a> {
    pub fn new() -> Self {
        DependencyGraph {
            graph: DiGraph::new(),
            index: HashMap::default(),
        }
    }

    pub fn node(&mut self, name: &'a str) -> NodeIndex {
        *self
            .index
            .entry(name)
            .or_insert_with(|| self.graph.add_node(name))
    }

    /// `from` depends on `to`, as written at `span`.
    pub fn edge(&mut self, from: &'a str, to: &'a str, span: Span) {
        let (a, b) = (self.node(from), self.node(to));
        self.graph.add_edge(a, b, span);
    }

    pub fn components(&self) -> Vec<Component<'a>> {
        // tarjan_scc yields components in reverse topological order of the edges, and
        // edges point from a node to what it depends on: dependencies come first.
        tarjan_scc(&self.graph)
            .into_iter()
            .filter_map(|mut nodes| {
                nodes.sort();
                let first = *nodes.first()?;
                let self_loop = self.graph.find_edge(first, first).is_some();
                if nodes.len() == 1 && !self_loop {
                    return self.graph.node_weight(first).map(|n| Component::Single(n));
                }
                let cycle = self.cycle_from(first, &nodes)?;
                let names = nodes
                    .iter()
                    .filter_map(|n| self.graph.node_weight(*n).copied())
                    .collect();
                Some(Component::Cyclic(cycle, names))
            })
            .collect()
    }

    /// Walks from `start` inside one component until it comes back: a shortest way
    /// back by breadth-first search, so the reported path has no detours.
    fn cycle_from(&self, start: NodeIndex, members: &[NodeIndex]) -> Option<Cycle<'a>> {
        let mut came_from: HashMap<NodeIndex, (NodeIndex, Span)> = HashMap::default();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing: Option<(NodeIndex, Span)> = None;
        'search: while let Some(node) = queue.pop_front() {
            let mut edges: Vec<_> = self.graph.edges(node).collect();
            edges.sort_by_key(|e| (e.target(), e.weight().start));
            for edge in edges {
                let target = edge.target();
                if target == start {
                    closing = Some((node, *edge.weight()));
                    break 'search;
                }
                if members.contains(&target) && !came_from.contains_key(&target) {
                    came_from.insert(target, (node, *edge.weight()));
                    queue.push_back(target);
                }
            }
        }
        let (last, closing_span) = closing?;
        let mut nodes = vec![last];
        let mut links = vec![closing_span];
        let mut at = last;
        while at != start {
            let (previous, span) = *came_from.get(&at)?;
            nodes.push(previous);
            links.push(span);
            at = previous;
        }
        nodes.reverse();
        links.reverse();
        nodes.push(start);
        let names = nodes
            .iter()
            .filter_map(|n| self.graph.node_weight(*n).copied())
            .collect();
        Some(Cycle { names, links })
    }
}
