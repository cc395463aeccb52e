//! The Helm engine: charts rendered in-process like `helm template`, every
//! field of a rendered object traced to the template line that produced it.

pub mod chart;
pub mod functions;
pub mod scan;
pub mod template;
pub mod value;
