//! The objects rules read: Kubernetes resources with spanned bodies.

pub mod host_path;
pub mod image;
mod pod;
pub mod rbac;
mod repo;
mod resource;
mod selector;
pub mod terraform;

pub use pod::{Container, ContainerKind, PodTemplate, pod_template};
pub use repo::{Repo, metadata_labels};
pub use resource::{
    Origin, Resource, ValueSource, is_cluster_scoped_kind, resources_from_document, same_field_path,
};
pub use selector::{Labels, Selector};
pub use terraform::{TfAttribute, TfBlock, TfInput, TfResource, TfValue};
