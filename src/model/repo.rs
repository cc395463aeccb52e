//! Every resource of a scan, indexed for the rules that look across resources
//! (a workload and the NetworkPolicies, Services, Ingresses and role bindings
//! that concern it), whichever files they come from.

use std::collections::HashMap;

use super::Resource;
use super::selector::Labels;
use crate::source::yaml::Node;

/// The resources of a scan, by kind.
#[derive(Debug)]
pub struct Repo<'a> {
    resources: &'a [Resource],
    by_kind: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Repo<'a> {
    pub fn new(resources: &'a [Resource]) -> Self {
        let mut by_kind: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (index, resource) in resources.iter().enumerate() {
            by_kind
                .entry(resource.kind.as_str())
                .or_default()
                .push(index);
        }
        Repo { resources, by_kind }
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
        kind: &str,
        namespace: Option<&'s str>,
    ) -> impl Iterator<Item = &'a Resource> + 's {
        self.of_kind(group, kind)
            .filter(move |r| r.namespace.as_deref() == namespace)
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
