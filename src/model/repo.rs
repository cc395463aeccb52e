//! Every resource of a scan, indexed for the rules that look across resources
//! (a workload and the NetworkPolicies, Services, Ingresses and role bindings
//! that concern it), whichever files they come from.

use std::collections::HashMap;

use super::Resource;
use super::selector::Labels;
use crate::source::yaml::Node;

/// The resources of a scan, by kind, and by kind and namespace.
#[derive(Debug)]
pub struct Repo<'a> {
    resources: &'a [Resource],
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
            by_kind,
            by_namespace,
        }
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
}

/// The labels of a resource's `metadata`.
pub fn metadata_labels(metadata: Option<&Node>) -> Labels<'_> {
    Labels::of(metadata.and_then(|m| m.get("labels")))
}
