//! The pest parser generated from `grammar/sla.pest`. Only the syntax module sees it.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/sla.pest"]
pub struct SlaParser;
