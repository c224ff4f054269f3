//! slac: service level agreements as code.
//!
//! Data flows one way: [`source`] (bytes to text) → [`syntax`] (text to a typed tree)
//! → [`check`] (names, units, dependency graph) → [`report`] (people and machines).

pub mod check;
pub mod diagnostic;
pub mod eval;
pub mod generate;
pub mod report;
pub mod source;
pub mod suggest;
pub mod syntax;

use std::path::Path;

use check::Model;
use diagnostic::{Diagnostic, Severity};
use source::SourceFile;
use syntax::ast::Agreement;

/// Everything slac learnt about one file.
#[derive(Debug)]
pub struct Compiled {
    pub file: SourceFile,
    pub agreement: Option<Agreement>,
    /// Present when the file parsed; complete only when there are no errors.
    pub model: Option<Model>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn is_valid(&self) -> bool {
        self.agreement.is_some() && self.count(Severity::Error) == 0
    }
}

pub fn compile_path(path: &Path) -> Compiled {
    let loaded = source::load(path);
    compile_loaded(loaded)
}

pub fn compile_str(name: &str, text: &str) -> Compiled {
    compile_loaded(source::Loaded {
        file: SourceFile::new(name, text),
        diagnostics: Vec::new(),
    })
}

pub fn compile_bytes(name: &str, bytes: Vec<u8>) -> Compiled {
    compile_loaded(source::from_bytes(name.to_owned(), bytes))
}

fn compile_loaded(loaded: source::Loaded) -> Compiled {
    let source::Loaded {
        file,
        mut diagnostics,
    } = loaded;
    // Text that failed to load is not parsed: its errors would be noise.
    if !diagnostics.is_empty() {
        return Compiled {
            file,
            agreement: None,
            model: None,
            diagnostics,
        };
    }
    let parsed = syntax::parse(&file);
    diagnostics.extend(parsed.diagnostics);
    let mut model = None;
    if let Some(agreement) = &parsed.agreement {
        let context = check::Context {
            partial: !diagnostics.is_empty(),
            unreadable_names: parsed.unreadable_names,
        };
        let checked = check::check(agreement, &context);
        diagnostics.extend(checked.diagnostics);
        model = Some(checked.model);
    }
    diagnostic::sort(&mut diagnostics);
    Compiled {
        file,
        agreement: parsed.agreement,
        model,
        diagnostics,
    }
}
