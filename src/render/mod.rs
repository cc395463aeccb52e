//! Renderers: engines that turn a chart or a kustomization into the Kubernetes
//! objects it produces, keeping, for every field, the source that produced it.

pub mod helm;
pub mod kustomize;
pub mod terraform;
