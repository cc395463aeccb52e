//! The objects rules read: Kubernetes resources with spanned bodies.

mod pod;
mod resource;

pub use pod::{Container, ContainerKind, PodTemplate, pod_template};
pub use resource::{Origin, Resource, resources_from_document};
