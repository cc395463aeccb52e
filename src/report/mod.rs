//! Output formats. Each turns the same [`Scan`](crate::Scan) into bytes.

pub mod evidence;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;
