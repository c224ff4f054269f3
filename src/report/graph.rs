//! `slac graph`: the agreement as a picture — each party a box holding the
//! obligations it owes, each obligation labelled with whom it is owed to and its
//! tier, and an arrow from an obligation to each one that `requires` it. With data,
//! each obligation also shows its status over the periods (as words, and as a
//! colour-blind-safe colour), and an arrow along which a shortfall was traced to its
//! root cause is drawn bold and red, labelled with the periods. Mermaid (renders in
//! GitHub Markdown) or Graphviz DOT.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, IntoNeighbors, Reversed, Visitable};

use crate::eval::{Evaluation, Status};
use crate::model::Agreement;

/// The picture's output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// A Mermaid flowchart (GitHub renders ```` ```mermaid ```` blocks).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// One obligation as drawn.
struct Node {
    name: String,
    owner: String,
    beneficiary: String,
    tier: String,
    /// Periods per status, when judged.
    statuses: BTreeMap<Status, usize>,
}

impl Node {
    /// The worst status of any period, when judged.
    fn worst(&self) -> Option<Status> {
        self.statuses.keys().next_back().copied()
    }

    /// "missed 3 of 6 periods", or "met in all 6 periods".
    fn verdict(&self) -> Option<String> {
        let total: usize = self.statuses.values().sum();
        let worst = self.worst()?;
        let n = self.statuses.get(&worst).copied().unwrap_or(0);
        Some(if n == total {
            format!("{} in all {total} periods", word(worst))
        } else {
            format!("{} in {n} of {total} periods", word(worst))
        })
    }
}

fn word(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::AtRisk => "at risk",
        Status::NoData => "no data",
        Status::Missed => "missed",
    }
}

/// Fill colours from the Okabe–Ito palette (safe for colour-blind readers); the
/// status is written in each node as well.
fn colour(status: Status) -> &'static str {
    match status {
        Status::Met => "#009E73",
        Status::AtRisk => "#E69F00",
        Status::NoData => "#BBBBBB",
        Status::Missed => "#D55E00",
    }
}

/// An edge: `from` must be met for `to` (`to requires from`), with the periods in
/// which `to`'s shortfall was traced to `from`.
struct Edge {
    root_cause_in: Vec<String>,
}

/// The agreement's obligations and `requires` edges, with statuses when judged.
fn build(model: &Agreement, evaluation: Option<&Evaluation>) -> DiGraph<Node, Edge> {
    let mut graph = DiGraph::new();
    let party = |id: crate::model::PartyId| {
        model
            .parties
            .get(id.index())
            .map_or_else(String::new, |p| p.name.clone())
    };
    let nodes: Vec<NodeIndex> = model
        .obligations
        .iter()
        .map(|o| {
            graph.add_node(Node {
                name: o.name.clone(),
                owner: party(o.owner),
                beneficiary: party(o.beneficiary),
                tier: o.tier.clone(),
                statuses: BTreeMap::new(),
            })
        })
        .collect();
    // Nodes are added in the model's order: an obligation's id is its node's index.
    let node_of = |name: &str| {
        let id = model.index.obligations.get(name)?;
        nodes.get(id.index()).copied()
    };
    let outcomes = evaluation
        .iter()
        .flat_map(|e| &e.periods)
        .flat_map(|p| p.obligations.iter().map(move |o| (p, o)));
    for (_, outcome) in outcomes.clone() {
        if let Some(n) = node_of(&outcome.id) {
            *graph[n].statuses.entry(outcome.status).or_insert(0) += 1;
        }
    }
    for (o, &to) in model.obligations.iter().zip(&nodes) {
        for required in &o.requires {
            if let Some(&from) = nodes.get(required.index()) {
                graph.add_edge(
                    from,
                    to,
                    Edge {
                        root_cause_in: Vec::new(),
                    },
                );
            }
        }
    }
    // A shortfall traced to a root cause runs along every edge on a path from the
    // cause to the obligation that fell short: edges leaving a node the cause
    // reaches, into a node that reaches the shortfall (two walks per shortfall).
    for (p, outcome) in outcomes.filter(|(_, o)| o.status == Status::Missed) {
        let (Some(cause), Some(short)) = (
            outcome.root_cause.as_deref().and_then(node_of),
            node_of(&outcome.id),
        ) else {
            continue;
        };
        let from_cause = reached(&graph, cause);
        let to_short = reached(Reversed(&graph), short);
        let on_path: Vec<_> = graph
            .edge_indices()
            .filter(|&e| {
                graph
                    .edge_endpoints(e)
                    .is_some_and(|(from, to)| from_cause.contains(&from) && to_short.contains(&to))
            })
            .collect();
        let label = p.period.label();
        for e in on_path {
            let periods = &mut graph[e].root_cause_in;
            if !periods.contains(&label) {
                periods.push(label.clone());
            }
        }
    }
    graph
}

/// The nodes a walk from `start` reaches, `start` included.
fn reached<G>(graph: G, start: NodeIndex) -> std::collections::HashSet<NodeIndex>
where
    G: IntoNeighbors<NodeId = NodeIndex> + Visitable,
{
    let mut seen = std::collections::HashSet::new();
    let mut walk = Dfs::new(graph, start);
    while let Some(n) = walk.next(graph) {
        seen.insert(n);
    }
    seen
}

/// The picture of an agreement, judged when an evaluation is given.
pub fn render(model: &Agreement, evaluation: Option<&Evaluation>, format: GraphFormat) -> String {
    let graph = build(model, evaluation);
    match format {
        GraphFormat::Mermaid => mermaid(model, &graph),
        GraphFormat::Dot => dot(model, &graph),
    }
}

/// Text safe inside a quoted Mermaid label.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
}

fn mermaid(model: &Agreement, graph: &DiGraph<Node, Edge>) -> String {
    let mut out = String::from("flowchart LR\n");
    let id = |i: NodeIndex| format!("o{}", i.index());
    for (p, party) in model.parties.iter().enumerate() {
        let owed: Vec<NodeIndex> = graph
            .node_indices()
            .filter(|&i| graph[i].owner == party.name)
            .collect();
        if owed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph p{p}[\"{}\"]", mermaid_text(&party.name));
        for i in owed {
            let n = &graph[i];
            let mut label = format!(
                "<b>{}</b><br/>for {} · tier {}",
                n.name, n.beneficiary, n.tier
            );
            if let Some(verdict) = n.verdict() {
                label.push_str(&format!("<br/>{verdict}"));
            }
            let _ = writeln!(out, "    {}[\"{}\"]", id(i), mermaid_text(&label));
        }
        out.push_str("  end\n");
    }
    let mut highlighted = Vec::new();
    for (k, e) in graph.edge_indices().enumerate() {
        let Some((from, to)) = graph.edge_endpoints(e) else {
            continue;
        };
        let edge = &graph[e];
        if edge.root_cause_in.is_empty() {
            let _ = writeln!(out, "  {} -->|required by| {}", id(from), id(to));
        } else {
            let label = format!("root cause in {}", edge.root_cause_in.join(", "));
            let _ = writeln!(out, "  {} ==>|\"{label}\"| {}", id(from), id(to));
            highlighted.push(k);
        }
    }
    let mut classes: BTreeMap<Status, Vec<String>> = BTreeMap::new();
    for i in graph.node_indices() {
        if let Some(worst) = graph[i].worst() {
            classes.entry(worst).or_default().push(id(i));
        }
    }
    for (status, ids) in &classes {
        let name = word(*status).replace(' ', "_");
        let _ = writeln!(
            out,
            "  classDef {name} fill:{},stroke:#000,color:#000",
            colour(*status)
        );
        let _ = writeln!(out, "  class {} {name}", ids.join(","));
    }
    for k in highlighted {
        let _ = writeln!(out, "  linkStyle {k} stroke:#D55E00,stroke-width:3px");
    }
    out
}

/// Text safe inside a quoted DOT string.
fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(model: &Agreement, graph: &DiGraph<Node, Edge>) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#FFFFFF\", fontname=\"sans-serif\"];\n",
        dot_text(&model.name)
    );
    for (p, party) in model.parties.iter().enumerate() {
        if !graph.node_indices().any(|i| graph[i].owner == party.name) {
            continue;
        }
        let _ = writeln!(
            out,
            "  subgraph cluster_p{p} {{\n    label=\"{}\";",
            dot_text(&party.name)
        );
        for i in graph
            .node_indices()
            .filter(|&i| graph[i].owner == party.name)
        {
            let n = &graph[i];
            let mut label = format!("{}\\nfor {} · tier {}", n.name, n.beneficiary, n.tier);
            let mut fill = String::new();
            if let (Some(verdict), Some(worst)) = (n.verdict(), n.worst()) {
                label.push_str(&format!("\\n{verdict}"));
                fill = format!(", fillcolor=\"{}\"", colour(worst));
            }
            let _ = writeln!(
                out,
                "    o{} [label=\"{}\"{fill}];",
                i.index(),
                dot_text(&label).replace("\\\\n", "\\n")
            );
        }
        out.push_str("  }\n");
    }
    for e in graph.edge_indices() {
        let Some((from, to)) = graph.edge_endpoints(e) else {
            continue;
        };
        let edge = &graph[e];
        if edge.root_cause_in.is_empty() {
            let _ = writeln!(
                out,
                "  o{} -> o{} [label=\"required by\"];",
                from.index(),
                to.index()
            );
        } else {
            let _ = writeln!(
                out,
                "  o{} -> o{} [label=\"root cause in {}\", color=\"#D55E00\", penwidth=3];",
                from.index(),
                to.index(),
                edge.root_cause_in.join(", ")
            );
        }
    }
    out.push_str("}\n");
    out
}
