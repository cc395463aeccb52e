//! Field specs: which field of which kinds of objects a transformer writes,
//! and the walk that reaches (and, when asked, creates) those fields.
//!
//! The tables are kustomize v5.5.0's defaults (its `builtinpluginconsts`),
//! restated as data: they are facts about where Kubernetes keeps selectors,
//! templates and images.

use compact_str::CompactString;

use crate::source::Span;
use crate::source::yaml::{Key, Node, Value};

/// One field of the objects of some kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec<'a> {
    /// API group the object must have; any when empty.
    pub group: &'a str,
    /// API version (without group) the object must have; any when empty.
    pub version: &'a str,
    /// Kind the object must have; any when empty.
    pub kind: &'a str,
    /// Slash-separated keys; `\/` is a slash inside a key, a `[]` suffix marks
    /// a list. Lists met on the way are walked item by item.
    pub path: &'a str,
    /// Whether missing mappings along the path (and the field) are created.
    pub create: bool,
}

/// A field spec for `kind` (any group and version).
const fn of_kind(kind: &'static str, path: &'static str, create: bool) -> FieldSpec<'static> {
    FieldSpec {
        group: "",
        version: "",
        kind,
        path,
        create,
    }
}

/// A field spec for `kind` in `group`.
const fn of_group_kind(
    group: &'static str,
    kind: &'static str,
    path: &'static str,
    create: bool,
) -> FieldSpec<'static> {
    FieldSpec {
        group,
        version: "",
        kind,
        path,
        create,
    }
}

/// A field spec for `kind` at API version `version` (any group).
const fn of_version_kind(
    version: &'static str,
    kind: &'static str,
    path: &'static str,
    create: bool,
) -> FieldSpec<'static> {
    FieldSpec {
        group: "",
        version,
        kind,
        path,
        create,
    }
}

/// A field spec for every object.
const fn of_any(path: &'static str, create: bool) -> FieldSpec<'static> {
    of_kind("", path, create)
}

impl FieldSpec<'_> {
    /// Whether the spec applies to an object of this apiVersion and kind.
    pub fn selects(&self, api_version: &str, kind: &str) -> bool {
        let (group, version) = split_api_version(api_version);
        (self.kind.is_empty() || self.kind == kind)
            && (self.group.is_empty() || self.group == group)
            && (self.version.is_empty() || self.version == version)
    }

    /// kustomize's "same spec" test when merging spec lists: the same path,
    /// and this spec's kind selected by the other's.
    fn same_as(&self, other: &FieldSpec) -> bool {
        self.path == other.path
            && (other.group.is_empty() || other.group == self.group)
            && (other.version.is_empty() || other.version == self.version)
            && (other.kind.is_empty() || other.kind == self.kind)
    }
}

/// `(group, version)` of an apiVersion; the core group is `""`.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// Adds `spec` to `specs` unless an equal spec is there; a spec on the same
/// path that disagrees about creating the field is an error, as in kustomize.
pub fn merge_one<'a>(specs: &mut Vec<FieldSpec<'a>>, spec: FieldSpec<'a>) -> Result<(), String> {
    match specs.iter().find(|s| s.same_as(&spec)) {
        Some(existing) if existing.create != spec.create => Err(format!(
            "conflicting field specs for `{}` (create: {} and {})",
            spec.path, existing.create, spec.create
        )),
        Some(_) => Ok(()),
        None => {
            specs.push(spec);
            Ok(())
        }
    }
}

/// Labels on object metadata and on the pod (and job) templates of workloads.
/// kustomize v5.5.0 also labels the PVC templates of StatefulSets here.
pub const METADATA_LABELS: &[FieldSpec<'static>] = &[
    of_any("metadata/labels", true),
    of_version_kind(
        "v1",
        "ReplicationController",
        "spec/template/metadata/labels",
        true,
    ),
    of_kind("Deployment", "spec/template/metadata/labels", true),
    of_kind("ReplicaSet", "spec/template/metadata/labels", true),
    of_kind("DaemonSet", "spec/template/metadata/labels", true),
    of_group_kind("apps", "StatefulSet", "spec/template/metadata/labels", true),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/volumeClaimTemplates[]/metadata/labels",
        true,
    ),
    of_group_kind("batch", "Job", "spec/template/metadata/labels", true),
    of_group_kind("batch", "CronJob", "spec/jobTemplate/metadata/labels", true),
    of_group_kind(
        "batch",
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

/// Label selectors that must keep selecting the labelled pods.
pub const SELECTOR_LABELS: &[FieldSpec<'static>] = &[
    of_version_kind("v1", "Service", "spec/selector", true),
    of_version_kind("v1", "ReplicationController", "spec/selector", true),
    of_kind("Deployment", "spec/selector/matchLabels", true),
    of_group_kind(
        "apps",
        "Deployment",
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "Deployment",
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "Deployment",
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "Deployment",
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "Deployment",
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        false,
    ),
    of_kind("ReplicaSet", "spec/selector/matchLabels", true),
    of_kind("DaemonSet", "spec/selector/matchLabels", true),
    of_group_kind("apps", "StatefulSet", "spec/selector/matchLabels", true),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "apps",
        "StatefulSet",
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        false,
    ),
    of_group_kind("batch", "Job", "spec/selector/matchLabels", false),
    of_group_kind(
        "batch",
        "CronJob",
        "spec/jobTemplate/spec/selector/matchLabels",
        false,
    ),
    of_group_kind(
        "policy",
        "PodDisruptionBudget",
        "spec/selector/matchLabels",
        false,
    ),
    of_group_kind(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/podSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/ingress/from/podSelector/matchLabels",
        false,
    ),
    of_group_kind(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/egress/to/podSelector/matchLabels",
        false,
    ),
];

/// The field specs of `commonLabels` (and of `labels` with
/// `includeSelectors`): selectors, then metadata and templates.
pub fn common_labels() -> Vec<FieldSpec<'static>> {
    SELECTOR_LABELS
        .iter()
        .chain(METADATA_LABELS)
        .copied()
        .collect()
}

/// The field specs of `commonAnnotations`.
pub const COMMON_ANNOTATIONS: &[FieldSpec<'static>] = &[
    of_any("metadata/annotations", true),
    of_version_kind(
        "v1",
        "ReplicationController",
        "spec/template/metadata/annotations",
        true,
    ),
    of_kind("Deployment", "spec/template/metadata/annotations", true),
    of_kind("ReplicaSet", "spec/template/metadata/annotations", true),
    of_kind("DaemonSet", "spec/template/metadata/annotations", true),
    of_kind("StatefulSet", "spec/template/metadata/annotations", true),
    of_group_kind("batch", "Job", "spec/template/metadata/annotations", true),
    of_group_kind(
        "batch",
        "CronJob",
        "spec/jobTemplate/metadata/annotations",
        true,
    ),
    of_group_kind(
        "batch",
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

/// Namespace fields besides `metadata/namespace` (which every namespaced
/// object gets).
pub const NAMESPACE: &[FieldSpec<'static>] = &[
    // Only for `apiVersion: v1`: a Namespace object is renamed to the namespace.
    of_kind("Namespace", "metadata/name", true),
    of_group_kind(
        "apiregistration.k8s.io",
        "APIService",
        "spec/service/namespace",
        true,
    ),
    of_group_kind(
        "apiextensions.k8s.io",
        "CustomResourceDefinition",
        "spec/conversion/webhook/clientConfig/service/namespace",
        false,
    ),
];

/// Container image fields (kustomize v5.5.0; image volumes came later).
pub const IMAGES: &[FieldSpec<'static>] = &[
    of_any("spec/containers[]/image", true),
    of_any("spec/initContainers[]/image", true),
    of_any("spec/template/spec/containers[]/image", true),
    of_any("spec/template/spec/initContainers[]/image", true),
];

/// Replica counts set by `replicas`.
pub const REPLICAS: &[FieldSpec<'static>] = &[
    of_kind("Deployment", "spec/replicas", true),
    of_kind("ReplicationController", "spec/replicas", true),
    of_kind("ReplicaSet", "spec/replicas", true),
    of_kind("StatefulSet", "spec/replicas", true),
];

/// Fields in which legacy `vars` are substituted (kustomize v5.5.0's
/// `varReference` defaults).
pub const VAR_REFERENCE: &[FieldSpec<'static>] = &[
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/args",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/command",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/env/value",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/args",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/command",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/env/value",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "CronJob",
        "spec/jobTemplate/spec/template/volumes/nfs/server",
        false,
    ),
    of_kind("DaemonSet", "spec/template/spec/containers/args", false),
    of_kind("DaemonSet", "spec/template/spec/containers/command", false),
    of_kind(
        "DaemonSet",
        "spec/template/spec/containers/env/value",
        false,
    ),
    of_kind(
        "DaemonSet",
        "spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind("DaemonSet", "spec/template/spec/initContainers/args", false),
    of_kind(
        "DaemonSet",
        "spec/template/spec/initContainers/command",
        false,
    ),
    of_kind(
        "DaemonSet",
        "spec/template/spec/initContainers/env/value",
        false,
    ),
    of_kind(
        "DaemonSet",
        "spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind("DaemonSet", "spec/template/spec/volumes/nfs/server", false),
    of_kind("Deployment", "spec/template/spec/containers/args", false),
    of_kind("Deployment", "spec/template/spec/containers/command", false),
    of_kind(
        "Deployment",
        "spec/template/spec/containers/env/value",
        false,
    ),
    of_kind(
        "Deployment",
        "spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "Deployment",
        "spec/template/spec/initContainers/args",
        false,
    ),
    of_kind(
        "Deployment",
        "spec/template/spec/initContainers/command",
        false,
    ),
    of_kind(
        "Deployment",
        "spec/template/spec/initContainers/env/value",
        false,
    ),
    of_kind(
        "Deployment",
        "spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind("Deployment", "spec/template/spec/volumes/nfs/server", false),
    of_kind("Deployment", "spec/template/metadata/annotations", false),
    of_kind("Ingress", "spec/rules/host", false),
    of_kind("Ingress", "spec/tls/hosts", false),
    of_kind("Ingress", "spec/tls/secretName", false),
    of_kind("Job", "spec/template/spec/containers/args", false),
    of_kind("Job", "spec/template/spec/containers/command", false),
    of_kind("Job", "spec/template/spec/containers/env/value", false),
    of_kind(
        "Job",
        "spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind("Job", "spec/template/spec/initContainers/args", false),
    of_kind("Job", "spec/template/spec/initContainers/command", false),
    of_kind("Job", "spec/template/spec/initContainers/env/value", false),
    of_kind(
        "Job",
        "spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind("Job", "spec/template/spec/volumes/nfs/server", false),
    of_kind("Pod", "spec/containers/args", false),
    of_kind("Pod", "spec/containers/command", false),
    of_kind("Pod", "spec/containers/env/value", false),
    of_kind("Pod", "spec/containers/volumeMounts/mountPath", false),
    of_kind("Pod", "spec/initContainers/args", false),
    of_kind("Pod", "spec/initContainers/command", false),
    of_kind("Pod", "spec/initContainers/env/value", false),
    of_kind("Pod", "spec/initContainers/volumeMounts/mountPath", false),
    of_kind("Pod", "spec/volumes/nfs/server", false),
    of_kind("ReplicaSet", "spec/template/spec/containers/args", false),
    of_kind("ReplicaSet", "spec/template/spec/containers/command", false),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/containers/env/value",
        false,
    ),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/initContainers/args",
        false,
    ),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/initContainers/command",
        false,
    ),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/initContainers/env/value",
        false,
    ),
    of_kind(
        "ReplicaSet",
        "spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind("ReplicaSet", "spec/template/spec/volumes/nfs/server", false),
    of_kind("Service", "spec/ports/port", false),
    of_kind("Service", "spec/ports/targetPort", false),
    of_kind("StatefulSet", "spec/template/spec/containers/args", false),
    of_kind(
        "StatefulSet",
        "spec/template/spec/containers/command",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/containers/env/value",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/containers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/initContainers/args",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/initContainers/command",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/initContainers/env/value",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/template/spec/initContainers/volumeMounts/mountPath",
        false,
    ),
    of_kind(
        "StatefulSet",
        "spec/volumeClaimTemplates/spec/nfs/server",
        false,
    ),
    of_kind("PersistentVolume", "spec/nfs/server", false),
    of_any("metadata/labels", false),
    of_any("metadata/annotations", false),
];

/// What the walk creates at the end of a field spec's path when the field is
/// missing (and the spec says `create`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaf {
    /// A string, then set (names, namespaces, replica counts).
    Scalar,
    /// A mapping, then filled (labels, annotations).
    Mapping,
}

/// One key of a path.
struct Segment {
    key: String,
    /// Written `key[]`: the field is a list.
    list: bool,
}

/// Splits a field spec path at unescaped slashes.
fn segments(path: &str) -> Vec<Segment> {
    let path = match path.strip_prefix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => path,
    };
    let mut keys: Vec<String> = Vec::new();
    for part in path.split('/') {
        match keys.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => keys.push(part.to_string()),
        }
    }
    keys.into_iter()
        .map(|key| match key.strip_suffix("[]") {
            Some(name) => Segment {
                key: name.to_string(),
                list: true,
            },
            None => Segment { key, list: false },
        })
        .collect()
}

/// Calls `set` on every node the spec's path reaches in `object` (which must
/// be selected by the spec). With `leaf` and a `create` spec, missing fields
/// are created (mappings, then the leaf) at `span`, and null fields on the
/// way become empty mappings. A `key[]` field that is null becomes an empty
/// list, as in kustomize.
pub fn walk(
    object: &mut Node,
    spec: &FieldSpec,
    leaf: Option<Leaf>,
    span: Span,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    let create = if spec.create { leaf } else { None };
    walk_segments(object, &segments(spec.path), create, span, set)
        .map_err(|message| format!("field `{}`: {message}", spec.path))
}

/// What a null or missing field turns into.
#[derive(Clone, Copy)]
enum Shape {
    Scalar,
    Mapping,
    List,
}

fn empty(shape: Shape, span: Span) -> Node {
    match shape {
        Shape::Scalar => Node::string("", span),
        Shape::Mapping => Node::mapping(span),
        Shape::List => Node {
            value: Value::Seq(Vec::new()),
            span,
        },
    }
}

fn walk_segments(
    node: &mut Node,
    path: &[Segment],
    create: Option<Leaf>,
    span: Span,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    let Some((segment, rest)) = path.split_first() else {
        return set(node);
    };
    match &mut node.value {
        Value::Null => Ok(()),
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| walk_segments(item, path, create, span, set)),
        Value::Map(_) => {
            if segment.key.is_empty() {
                return Err("an empty key cannot be set or created".to_string());
            }
            let shape = match create {
                _ if segment.list => Some(Shape::List),
                None => None,
                Some(Leaf::Scalar) if rest.is_empty() => Some(Shape::Scalar),
                Some(Leaf::Mapping) if rest.is_empty() => Some(Shape::Mapping),
                Some(_) => Some(Shape::Mapping),
            };
            let creates = create.is_some() && !segment.list;
            if node.get(&segment.key).is_none() {
                let Some(shape) = shape.filter(|_| creates) else {
                    return Ok(());
                };
                let key = Key {
                    text: CompactString::from(segment.key.as_str()),
                    span,
                };
                node.insert(key, empty(shape, span));
            }
            let Some(field) = node.get_mut(&segment.key) else {
                return Ok(());
            };
            if let (true, Some(shape)) = (field.is_null(), shape) {
                // The null keeps its place: it was written there.
                *field = empty(shape, field.span);
            }
            walk_segments(field, rest, create, span, set)
        }
        _ => Err(format!(
            "`{}` is reached through a scalar, not a mapping or a list",
            segment.key
        )),
    }
}

/// Kinds that are not namespaced (kustomize v5.5.0's built-in OpenAPI data:
/// exact apiVersion and kind). Anything else, custom resources included, is
/// treated as namespaced.
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
    ),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
    ),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "NodeProxyOptions"),
    ("v1", "PersistentVolume"),
];

/// Whether kustomize knows objects of this apiVersion and kind to be
/// cluster-scoped.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    CLUSTER_SCOPED
        .iter()
        .any(|&(v, k)| v == api_version && k == kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::{Limits, load};
    use crate::source::{FileId, Position};

    fn parse(text: &str) -> Node {
        load(FileId(0), "t.yaml", text, Limits::default())
            .documents
            .remove(0)
            .root
    }

    fn span() -> Span {
        Span::new(FileId(9), Position::new(1, 1), Position::new(1, 2))
    }

    fn set_x(node: &mut Node) -> Result<(), String> {
        node.insert(
            Key {
                text: "x".into(),
                span: span(),
            },
            Node::string("1", span()),
        );
        Ok(())
    }

    #[test]
    fn splits_escaped_slashes_and_lists() {
        let parts = segments("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret");
        let keys: Vec<_> = parts.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "metadata",
                "annotations",
                "nginx.ingress.kubernetes.io/auth-secret"
            ]
        );
        let parts = segments("/spec/containers[]/image");
        assert_eq!(parts.len(), 3);
        assert!(parts[1].list);
        assert_eq!(parts[1].key, "containers");
    }

    #[test]
    fn selects_by_group_version_kind() {
        let spec = of_group_kind("apps", "Deployment", "spec", true);
        assert!(spec.selects("apps/v1", "Deployment"));
        assert!(!spec.selects("extensions/v1beta1", "Deployment"));
        let spec = of_version_kind("v1", "Service", "spec", true);
        assert!(spec.selects("v1", "Service"));
        assert!(!spec.selects("v2", "Service"));
        assert!(of_any("x", true).selects("a/b", "C"));
    }

    #[test]
    fn creates_missing_mappings_and_walks_lists() {
        let mut node = parse("spec:\n  items:\n  - a: {}\n  - a: ~\n  - b: 1\n");
        let spec = of_any("spec/items/a/labels", true);
        walk(&mut node, &spec, Some(Leaf::Mapping), span(), &mut set_x).unwrap();
        let items = node.get_path(&["spec", "items"]).unwrap().items();
        for item in items {
            let x = item.get_path(&["a", "labels", "x"]).unwrap();
            assert_eq!(x.as_str(), Some("1"));
        }
        // A created field carries the span it was created for.
        assert_eq!(items[2].entry("a").unwrap().key.span, span());
    }

    #[test]
    fn does_not_create_without_create() {
        let mut node = parse("spec: {}\n");
        let spec = of_any("spec/selector/matchLabels", false);
        walk(&mut node, &spec, Some(Leaf::Mapping), span(), &mut set_x).unwrap();
        assert_eq!(node.get("spec").unwrap().as_map().unwrap().len(), 0);
    }

    #[test]
    fn null_list_field_becomes_empty_list() {
        let mut node = parse("spec:\n  initContainers: ~\n");
        let spec = of_any("spec/initContainers[]/image", true);
        walk(&mut node, &spec, None, span(), &mut |_| Ok(())).unwrap();
        let field = node.get_path(&["spec", "initContainers"]).unwrap();
        assert_eq!(field.value, Value::Seq(Vec::new()));
    }

    #[test]
    fn scalar_on_the_path_is_an_error() {
        let mut node = parse("spec: text\n");
        let spec = of_any("spec/selector", true);
        assert!(walk(&mut node, &spec, Some(Leaf::Mapping), span(), &mut set_x).is_err());
    }

    #[test]
    fn merging_specs_rejects_conflicts() {
        let mut specs = vec![of_any("metadata/labels", true)];
        merge_one(&mut specs, of_any("metadata/labels", true)).unwrap();
        assert_eq!(specs.len(), 1);
        // A kind-specific spec on the same path is another spec.
        merge_one(&mut specs, of_kind("Pod", "metadata/labels", true)).unwrap();
        assert_eq!(specs.len(), 2);
        assert!(merge_one(&mut specs, of_any("metadata/labels", false)).is_err());
    }

    #[test]
    fn knows_cluster_scoped_kinds() {
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole"
        ));
        assert!(is_cluster_scoped("v1", "Namespace"));
        assert!(!is_cluster_scoped("v1", "ConfigMap"));
        assert!(!is_cluster_scoped("example.com/v1", "Widget"));
    }
}
