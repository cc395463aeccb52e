//! Helm charts as `helm template` sees them before any template runs:
//! loading, values, built-in objects, and the order of the output.

pub mod archive;
pub mod helmignore;
pub mod load;
pub mod manifests;
pub mod objects;
pub mod prepare;
pub mod strvals;
pub mod values;
