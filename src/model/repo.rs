//! Every resource of a scan, indexed for the rules that look across resources
//! (a workload and the NetworkPolicies, Services, Ingresses and role bindings
//! that concern it), whichever files they come from.

use std::collections::HashMap;

use super::Resource;
use super::TfResource;
use super::selector::Labels;
use crate::source::yaml::Node;

/// The resources of a scan, by kind, and by kind and namespace.
#[derive(Debug)]
pub struct Repo<'a> {
    resources: &'a [Resource],
    terraform: &'a [TfResource],
    by_kind: HashMap<&'a str, Vec<usize>>,
    by_namespace: HashMap<(&'a str, Option<&'a str>), Vec<usize>>,
}

impl<'a> Repo<'a> {
    pub fn new(resources: &'a [Resource]) -> Self {
        let mut by_kind: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut by_namespace: HashMap<(&'a str, Option<&'a str>), Vec<usize>> = HashMap::new();
        for (index, resource) in resources.iter().enumerate() {
            let kind = resource.kind.as_str();
            by_kind.entry(kind).or_default().push(index);
            by_namespace
                .entry((kind, resource.namespace.as_deref()))
                .or_default()
                .push(index);
        }
        Repo {
            resources,
            terraform: &[],
            by_kind,
            by_namespace,
        }
    }

    /// A repository of Terraform resources (cross-resource Terraform rules
    /// look them up here).
    pub fn terraform(resources: &'a [TfResource]) -> Self {
        Repo {
            terraform: resources,
            ..Repo::new(&[])
        }
    }

    /// The Terraform resources of the scan.
    pub fn terraform_resources(&self) -> &'a [TfResource] {
        self.terraform
    }

    pub fn resources(&self) -> &'a [Resource] {
        self.resources
    }

    /// Resources of a kind in an API group (`""` for the core group).
    pub fn of_kind<'s>(
        &'s self,
        group: &'s str,
        kind: &str,
    ) -> impl Iterator<Item = &'a Resource> + 's {
        self.by_kind
            .get(kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.resources[i])
            .filter(move |r| r.group() == group)
    }

    /// Resources of a kind in one namespace (resources without a namespace are
    /// in the same, unnamed one).
    pub fn in_namespace<'s>(
        &'s self,
        group: &'s str,
        kind: &'s str,
        namespace: Option<&'s str>,
    ) -> impl Iterator<Item = &'a Resource> + 's {
        let index: &'s HashMap<(&'s str, Option<&'s str>), Vec<usize>> = &self.by_namespace;
        index
            .get(&(kind, namespace))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.resources[i])
            .filter(move |r| r.group() == group)
    }

    /// The named resource of a kind in a namespace.
    pub fn find(
        &self,
        group: &str,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<&'a Resource> {
        self.in_namespace(group, kind, namespace)
            .find(|r| r.name.as_deref() == Some(name))
    }

    /// Whether a resource is cluster-scoped: a CustomResourceDefinition of the
    /// scan that defines its kind decides (`spec.scope`), else the built-in
    /// knowledge of [`Resource::is_cluster_scoped`].
    pub fn is_cluster_scoped(&self, resource: &Resource) -> bool {
        let (group, kind) = (resource.group(), resource.kind.as_str());
        let defined = self
            .of_kind("apiextensions.k8s.io", "CustomResourceDefinition")
            .filter_map(|crd| crd.body.get("spec"))
            .find(|spec| {
                spec.get("group").and_then(Node::as_str) == Some(group)
                    && spec.get_path(&["names", "kind"]).and_then(Node::as_str) == Some(kind)
            });
        match defined
            .and_then(|spec| spec.get("scope"))
            .and_then(Node::as_str)
        {
            Some(scope) => scope == "Cluster",
            None => resource.is_cluster_scoped(),
        }
    }
}

/// The labels of a resource's `metadata`.
pub fn metadata_labels(metadata: Option<&Node>) -> Labels<'_> {
    Labels::of(metadata.and_then(|m| m.get("labels")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resources_from_document;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    #[test]
    fn custom_resource_definitions_decide_scope() {
        let text = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: tenants.example.com}
spec:
  group: example.com
  names: {kind: Tenant, plural: tenants}
  scope: Cluster
---
apiVersion: example.com/v1
kind: Tenant
metadata: {name: a}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: b}
---
apiVersion: other.example.com/v1
kind: Tenant
metadata: {name: c}
";
        let loaded = load(FileId(0), "t.yaml", text, Limits::default());
        let resources: Vec<Resource> = loaded
            .documents
            .into_iter()
            .flat_map(|d| resources_from_document(FileId(0), d))
            .collect();
        let repo = Repo::new(&resources);
        let scoped: Vec<bool> = resources
            .iter()
            .map(|r| repo.is_cluster_scoped(r))
            .collect();
        assert_eq!(scoped, [true, true, false, false]);
    }
}
