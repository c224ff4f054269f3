//! `slac lsp`: a language server over stdio for editors, on rust-analyzer's
//! `lsp-server` and `lsp-types`. Every open document is compiled through the same
//! facade as `slac check`, so the squiggles are the checker's own diagnostics.
//!
//! Edits are applied as they come (incremental sync); a burst of them is compiled
//! once, when the client has been quiet for [`DEBOUNCE`], and its diagnostics are
//! published then. A request about names (hover, definition, …) compiles the latest
//! text first if it is not yet; completion reads the latest text for where the cursor
//! is and the last compiled version for the declared names, so it never waits for a
//! compile.

mod actions;
mod analysis;
mod complete;
mod features;
mod index;
mod server;
mod text;

pub use server::{DEBOUNCE, run, serve};
