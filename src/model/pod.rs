//! Reaching the pod spec inside every workload kind, and every container in it.

use super::Resource;
use crate::source::Span;
use crate::source::yaml::{Entry, Node, Value};

/// A pod spec and the metadata that goes with it: the Pod itself, or the pod
/// template of a workload.
#[derive(Copy, Clone, Debug)]
pub struct PodTemplate<'a> {
    /// The pod's (or template's) `metadata`, when present.
    pub metadata: Option<&'a Node>,
    /// The `spec:` entry of the pod spec.
    pub spec_entry: &'a Entry,
    /// Field path of the pod spec in its resource, e.g. `spec.template.spec`.
    pub path: &'static str,
}

/// Which list of the pod spec a container is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field holding this kind of container.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod spec.
#[derive(Copy, Clone, Debug)]
pub struct Container<'a> {
    pub kind: ContainerKind,
    pub node: &'a Node,
    /// Position in its list.
    pub index: usize,
    pub name: Option<&'a str>,
    pod_path: &'static str,
}

/// The pod spec of a resource, for every kind that runs pods: Pod, PodTemplate,
/// ReplicationController, Deployment, ReplicaSet, DaemonSet, StatefulSet, Job and
/// CronJob. Kinds of the same name in other API groups (CRDs) are not matched.
pub fn pod_template(resource: &Resource) -> Option<PodTemplate<'_>> {
    let body = &resource.body;
    let (template, path): (&Node, &'static str) = match (resource.group(), resource.kind.as_str()) {
        ("", "Pod") => {
            return template_parts(body, "spec");
        }
        ("", "PodTemplate") => (body.get("template")?, "template.spec"),
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "DaemonSet" | "ReplicaSet")
        | ("apps", "StatefulSet")
        | ("batch", "Job") => (body.get_path(&["spec", "template"])?, "spec.template.spec"),
        ("batch", "CronJob") => (
            body.get_path(&["spec", "jobTemplate", "spec", "template"])?,
            "spec.jobTemplate.spec.template.spec",
        ),
        _ => return None,
    };
    template_parts(template, path)
}

fn template_parts<'a>(template: &'a Node, path: &'static str) -> Option<PodTemplate<'a>> {
    let spec_entry = template.entry("spec")?;
    if !matches!(spec_entry.value.value, Value::Map(_)) {
        return None;
    }
    Some(PodTemplate {
        metadata: template.get("metadata"),
        spec_entry,
        path,
    })
}

impl<'a> PodTemplate<'a> {
    /// The pod spec mapping.
    pub fn spec(&self) -> &'a Node {
        &self.spec_entry.value
    }

    /// Where to point when the pod spec lacks a field: its `spec:` key.
    pub fn anchor_span(&self) -> Span {
        self.spec_entry.key.span
    }

    /// The pod-level `securityContext`.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.spec().get("securityContext")
    }

    /// A field of the pod-level `securityContext`.
    pub fn security_context_entry(&self, key: &str) -> Option<&'a Entry> {
        self.security_context()?.entry(key)
    }

    /// The pod's annotations.
    pub fn annotations(&self) -> impl Iterator<Item = (&'a str, &'a Entry)> + 'a {
        self.metadata
            .and_then(|m| m.get("annotations"))
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .map(|e| (e.key.text.as_str(), e))
    }

    /// The pod's labels (`metadata.labels` of the template).
    pub fn labels(&self) -> super::Labels<'a> {
        super::metadata_labels(self.metadata)
    }

    /// The service account the pod runs as: `serviceAccountName`, the deprecated
    /// `serviceAccount`, or `default`.
    pub fn service_account(&self) -> &'a str {
        ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|key| {
                self.spec()
                    .get(key)
                    .and_then(Node::as_str)
                    .filter(|s| !s.is_empty())
            })
            .unwrap_or("default")
    }

    /// The `serviceAccountName` (or `serviceAccount`) entry, when written.
    pub fn service_account_entry(&self) -> Option<&'a Entry> {
        self.spec()
            .entry("serviceAccountName")
            .or_else(|| self.spec().entry("serviceAccount"))
    }

    /// `spec.os.name: windows`.
    pub fn is_windows(&self) -> bool {
        self.spec().get_path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// `spec.hostUsers: false`: the pod runs in its own user namespace.
    pub fn in_user_namespace(&self) -> bool {
        self.spec().get("hostUsers").and_then(Node::as_bool) == Some(false)
    }

    /// Every container: init containers, then containers, then ephemeral
    /// containers (the order Pod Security Admission visits them in).
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let spec = self.spec();
        let pod_path = self.path;
        [
            ContainerKind::Init,
            ContainerKind::Regular,
            ContainerKind::Ephemeral,
        ]
        .into_iter()
        .flat_map(move |kind| {
            spec.get(kind.field())
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
                .filter(|(_, node)| matches!(node.value, Value::Map(_)))
                .map(move |(index, node)| Container {
                    kind,
                    node,
                    index,
                    name: node.get("name").and_then(Node::as_str),
                    pod_path,
                })
        })
    }

    /// Field path of a pod spec field, e.g. `spec.template.spec.hostPID`.
    pub fn field_path(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }
}

impl<'a> Container<'a> {
    /// `container "app"`, `init container "setup"`, `container #2`.
    pub fn label(&self) -> String {
        match self.name {
            Some(name) => format!("{} {name:?}", self.kind.noun()),
            None => format!("{} #{}", self.kind.noun(), self.index + 1),
        }
    }

    /// Field path of the container, e.g. `spec.containers[name=app]`.
    pub fn path(&self) -> String {
        match self.name {
            Some(name) => format!("{}.{}[name={name}]", self.pod_path, self.kind.field()),
            None => format!("{}.{}[{}]", self.pod_path, self.kind.field(), self.index),
        }
    }

    /// Field path of a field below the container.
    pub fn field_path(&self, field: &str) -> String {
        format!("{}.{field}", self.path())
    }

    /// Where to point when the container lacks a field: its `name:` entry, or
    /// its first line.
    pub fn anchor_span(&self) -> Span {
        match self.node.entry("name") {
            Some(entry) => entry.span(),
            None => {
                let span = self.node.span;
                Span {
                    end: span.start,
                    ..span
                }
            }
        }
    }

    pub fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    /// A field of the container's `securityContext`.
    pub fn security_context_entry(&self, key: &str) -> Option<&'a Entry> {
        self.security_context()?.entry(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resources_from_document;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    fn resource(text: &str) -> Resource {
        let loaded = load(FileId(0), "t.yaml", text, Limits::default());
        let document = loaded.documents.into_iter().next().unwrap();
        resources_from_document(FileId(0), document).remove(0)
    }

    #[test]
    fn finds_cronjob_containers_in_order() {
        let r = resource(
            "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          ephemeralContainers: [{name: dbg}]\n          containers: [{name: app}]\n          initContainers: [{name: init}]\n",
        );
        let pod = pod_template(&r).unwrap();
        assert_eq!(pod.path, "spec.jobTemplate.spec.template.spec");
        let labels: Vec<_> = pod.containers().map(|c| c.label()).collect();
        assert_eq!(
            labels,
            [
                "init container \"init\"",
                "container \"app\"",
                "ephemeral container \"dbg\""
            ]
        );
        assert_eq!(
            pod.containers().next().unwrap().path(),
            "spec.jobTemplate.spec.template.spec.initContainers[name=init]"
        );
    }

    #[test]
    fn ignores_kinds_of_other_groups() {
        let r = resource(
            "apiVersion: example.com/v1\nkind: Deployment\nspec:\n  template:\n    spec: {}\n",
        );
        assert!(pod_template(&r).is_none());
        let r =
            resource("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec: {}\n");
        assert!(pod_template(&r).is_some());
    }
}
