//! Helm charts as `helm template` (v3.17.3) sees them before any template
//! runs. The renderer uses them in this order:
//!
//! 1. [`load::Chart::load`] reads a chart directory and its subcharts;
//! 2. [`prepare::prepare`] computes values (with [`values::ValueOrigins`] to
//!    point at where each was written), enabled subcharts and every
//!    template's data (`.Values`, `.Release`, `.Chart`, …);
//! 3. the template engine parses every [`prepare::PreparedTemplate`] and
//!    renders those marked `render`;
//! 4. [`manifests::order_documents`] splits and orders the output and
//!    [`manifests::print_manifests`] prints it as `helm template` does;
//!    [`show_only::show_only`] keeps the documents `--show-only` asks for.

pub mod archive;
pub mod constraint;
pub mod helmignore;
pub mod load;
pub mod manifests;
pub mod objects;
pub mod prepare;
pub mod show_only;
pub mod strvals;
pub mod values;
