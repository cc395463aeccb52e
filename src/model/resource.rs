//! Kubernetes objects found in loaded documents.

use crate::source::yaml::{Document, Node, Value};
use crate::source::{FileId, Span};

/// Where a resource was read from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: FileId,
    /// 0-based document number in the file.
    pub document: usize,
    /// 0-based position in the `items` of a `List` document.
    pub item: Option<usize>,
}

/// A Kubernetes object: its identity and its spanned body.
#[derive(Clone, Debug)]
pub struct Resource {
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The whole object, `apiVersion` and `kind` included.
    pub body: Node,
    pub origin: Origin,
    /// For an object built by a kustomization: that kustomization's directory.
    pub variant: Option<String>,
    /// For an object rendered from a Helm chart: the fields printed straight
    /// from `.Values`, and where each value was written.
    pub value_sources: Vec<ValueSource>,
    /// For an object rendered from a Helm chart with a named value set of the
    /// configuration: that set's name.
    pub value_set: Option<String>,
}

/// A field of a rendered object whose value came from the chart's values.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueSource {
    /// The field's span (in the template that printed it).
    pub at: Span,
    /// Where the value was written: a values file line or a `--set` argument.
    pub from: Span,
    /// Its `.Values` path, dot-separated (`securityContext.privileged`).
    pub values_path: String,
    /// For a field inside a map or list an action printed whole (`toYaml`),
    /// whose fields all share the action's span: the field's path in the
    /// object (`spec.containers[0].securityContext`), to tell them apart.
    pub field: Option<String>,
}

/// Whether two field paths name the same field: list items chosen the same
/// way (by index, or by name: `containers[name=app]`) must agree; an item
/// chosen by name matches any index.
pub fn same_field_path(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(i), Some(j)) = (a.find('['), b.find('[')) else {
            return a == b;
        };
        let (Some(i_end), Some(j_end)) = (a[i..].find(']'), b[j..].find(']')) else {
            return a == b;
        };
        let (left, right) = (&a[i + 1..i + i_end], &b[j + 1..j + j_end]);
        let by_index = |selector: &str| selector.parse::<usize>().is_ok();
        let same_way = by_index(left) == by_index(right);
        if a[..i] != b[..j] || (same_way && left != right) {
            return false;
        }
        a = &a[i + i_end + 1..];
        b = &b[j + j_end + 1..];
    }
}

impl Resource {
    fn new(body: Node, api_version: String, kind: String, origin: Origin) -> Self {
        let metadata = body.get("metadata");
        let text = |key: &str| {
            metadata
                .and_then(|m| m.get(key))
                .and_then(Node::as_str)
                .map(str::to_string)
        };
        Resource {
            name: text("name").or_else(|| text("generateName")),
            namespace: text("namespace"),
            api_version,
            kind,
            body,
            origin,
            variant: None,
            value_sources: Vec::new(),
            value_set: None,
        }
    }

    /// A resource built by a kustomization (`variant`), when it has a type.
    pub fn built(body: Node, origin: Origin, variant: String) -> Option<Resource> {
        let (api_version, kind) = type_meta(&body)?;
        let mut resource = Resource::new(body, api_version, kind, origin);
        resource.variant = Some(variant);
        Some(resource)
    }

    /// The API group: `apps` for `apps/v1`, empty for the core group (`v1`).
    pub fn group(&self) -> &str {
        match self.api_version.rsplit_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }

    pub fn metadata(&self) -> Option<&Node> {
        self.body.get("metadata")
    }

    /// `Deployment shop/web`, `ClusterRole admin`, `Pod (unnamed)`.
    pub fn display_name(&self) -> String {
        let name = self.name.as_deref().unwrap_or("(unnamed)");
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{name}", self.kind),
            None => format!("{} {name}", self.kind),
        }
    }

    /// Whether the object's kind is cluster-scoped (it has no namespace), for
    /// the built-in kinds and a few widespread custom resources. Unknown kinds
    /// are taken as namespaced, like most custom resources;
    /// [`Repo::is_cluster_scoped`](super::Repo::is_cluster_scoped) also reads the
    /// CustomResourceDefinitions of the scan.
    pub fn is_cluster_scoped(&self) -> bool {
        is_cluster_scoped_kind(self.group(), &self.kind)
    }
}

/// Whether a built-in kind of an API group is cluster-scoped (kinds this list
/// does not know are taken as namespaced, like most custom resources).
pub fn is_cluster_scoped_kind(group: &str, kind: &str) -> bool {
    {
        match group {
            "" => matches!(
                kind,
                "Namespace" | "Node" | "PersistentVolume" | "ComponentStatus"
            ),
            "rbac.authorization.k8s.io" => matches!(kind, "ClusterRole" | "ClusterRoleBinding"),
            "storage.k8s.io" => matches!(
                kind,
                "StorageClass"
                    | "CSIDriver"
                    | "CSINode"
                    | "VolumeAttachment"
                    | "VolumeAttributesClass"
            ),
            "apiextensions.k8s.io" => kind == "CustomResourceDefinition",
            "apiregistration.k8s.io" => kind == "APIService",
            "scheduling.k8s.io" => kind == "PriorityClass",
            "admissionregistration.k8s.io" => matches!(
                kind,
                "ValidatingWebhookConfiguration"
                    | "MutatingWebhookConfiguration"
                    | "ValidatingAdmissionPolicy"
                    | "ValidatingAdmissionPolicyBinding"
                    | "MutatingAdmissionPolicy"
                    | "MutatingAdmissionPolicyBinding"
            ),
            "networking.k8s.io" => matches!(kind, "IngressClass" | "IPAddress" | "ServiceCIDR"),
            "node.k8s.io" => kind == "RuntimeClass",
            "certificates.k8s.io" => {
                matches!(kind, "CertificateSigningRequest" | "ClusterTrustBundle")
            }
            "flowcontrol.apiserver.k8s.io" => {
                matches!(kind, "FlowSchema" | "PriorityLevelConfiguration")
            }
            "resource.k8s.io" => matches!(kind, "DeviceClass" | "ResourceSlice"),
            "policy" | "extensions" => kind == "PodSecurityPolicy",
            "authentication.k8s.io" => matches!(kind, "TokenReview" | "SelfSubjectReview"),
            "authorization.k8s.io" => matches!(
                kind,
                "SubjectAccessReview" | "SelfSubjectAccessReview" | "SelfSubjectRulesReview"
            ),
            "snapshot.storage.k8s.io" => {
                matches!(kind, "VolumeSnapshotClass" | "VolumeSnapshotContent")
            }
            "gateway.networking.k8s.io" => kind == "GatewayClass",
            "cert-manager.io" => kind == "ClusterIssuer",
            "external-secrets.io" => {
                matches!(kind, "ClusterSecretStore" | "ClusterExternalSecret")
            }
            "kyverno.io" => matches!(kind, "ClusterPolicy" | "ClusterCleanupPolicy"),
            "templates.gatekeeper.sh" => kind == "ConstraintTemplate",
            // Every Gatekeeper constraint kind is cluster-scoped.
            "constraints.gatekeeper.sh" => true,
            "karpenter.sh" => matches!(kind, "NodePool" | "NodeClaim"),
            "karpenter.azure.com" => kind == "AKSNodeClass",
            "crd.projectcalico.org" | "projectcalico.org" => matches!(
                kind,
                "GlobalNetworkPolicy" | "GlobalNetworkSet" | "IPPool" | "FelixConfiguration"
            ),
            "cilium.io" => matches!(
                kind,
                "CiliumClusterwideNetworkPolicy" | "CiliumIdentity" | "CiliumNode"
            ),
            _ => false,
        }
    }
}

impl Resource {
    /// Where to point when a finding concerns the whole object: its
    /// `metadata.name`, else its `kind`, else its first line.
    pub fn anchor_span(&self) -> Span {
        self.metadata()
            .and_then(|m| m.entry("name"))
            .or_else(|| self.body.entry("kind"))
            .map_or(self.body.span, |e| e.span())
    }
}

/// The resources a document holds: the object itself, or the items of a list.
///
/// Like `kubectl`, any object with an `items` sequence is a list; items without
/// `apiVersion` and `kind` take them from the list (`PodList` items are Pods).
/// Documents without `apiVersion` and `kind` are not Kubernetes objects and are
/// skipped quietly.
pub fn resources_from_document(file: FileId, document: Document) -> Vec<Resource> {
    let root = document.root;
    let Some((api_version, kind)) = type_meta(&root) else {
        return Vec::new();
    };
    if is_tool_configuration(&api_version) {
        return Vec::new();
    }
    let is_list = matches!(root.get("items").map(|n| &n.value), Some(Value::Seq(_)));
    if !is_list {
        let origin = Origin {
            file,
            document: document.index,
            item: None,
        };
        return vec![Resource::new(root, api_version, kind, origin)];
    }
    let item_kind = kind.strip_suffix("List").unwrap_or(&kind).to_string();
    let Value::Map(entries) = root.value else {
        return Vec::new();
    };
    let Some(items) = entries.into_iter().find(|e| e.key.text == "items") else {
        return Vec::new();
    };
    let Value::Seq(items) = items.value.value else {
        return Vec::new();
    };
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let (item_api_version, kind) = match type_meta(&item) {
                Some(meta) => meta,
                None if item.get("apiVersion").is_none() && item.get("kind").is_none() => {
                    if item_kind.is_empty()
                        || item_kind == kind
                        || !matches!(item.value, Value::Map(_))
                    {
                        return None;
                    }
                    (api_version.clone(), item_kind.clone())
                }
                None => return None,
            };
            let origin = Origin {
                file,
                document: document.index,
                item: Some(i),
            };
            Some(Resource::new(item, item_api_version, kind, origin))
        })
        .collect()
}

/// Documents that configure a build tool rather than describe a cluster object
/// (`kustomization.yaml`, Kustomize components and KRM function configs).
fn is_tool_configuration(api_version: &str) -> bool {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    matches!(group, "kustomize.config.k8s.io" | "config.kubernetes.io")
}

/// `apiVersion` and `kind`, when both are non-empty strings.
fn type_meta(node: &Node) -> Option<(String, String)> {
    let api_version = node.get("apiVersion")?.as_str()?;
    let kind = node.get("kind")?.as_str()?;
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    Some((api_version.to_string(), kind.to_string()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn field_paths_match_whatever_selects_their_items() {
        let c = "spec.containers";
        assert!(same_field_path(
            &format!("{c}[0].ports[1]"),
            &format!("{c}[name=a].ports[1]")
        ));
        assert!(same_field_path(
            &format!("{c}[name=a].x"),
            &format!("{c}[name=a].x")
        ));
        assert!(!same_field_path(
            &format!("{c}[name=a].x"),
            &format!("{c}[name=b].x")
        ));
        assert!(!same_field_path(&format!("{c}[0].x"), &format!("{c}[1].x")));
        assert!(!same_field_path(&format!("{c}[0].x"), &format!("{c}[0].y")));
        assert!(!same_field_path(&format!("{c}[0]"), &format!("{c}[0].y")));
    }
    use super::*;
    use crate::source::yaml::{Limits, load};

    fn resources(text: &str) -> Vec<Resource> {
        let loaded = load(FileId(0), "t.yaml", text, Limits::default());
        loaded
            .documents
            .into_iter()
            .flat_map(|d| resources_from_document(FileId(0), d))
            .collect()
    }

    #[test]
    fn reads_identity() {
        let r = resources(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n",
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].group(), "apps");
        assert_eq!(r[0].display_name(), "Deployment shop/web");
        assert_eq!(r[0].anchor_span().start.line, 4);
    }

    #[test]
    fn knows_cluster_scoped_kinds_by_group() {
        let scoped = |api_version: &str, kind: &str| {
            resources(&format!(
                "apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
            ))[0]
                .is_cluster_scoped()
        };
        assert!(scoped("v1", "Namespace"));
        assert!(scoped("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"));
        assert!(scoped("storage.k8s.io/v1", "StorageClass"));
        assert!(scoped("cert-manager.io/v1", "ClusterIssuer"));
        assert!(scoped(
            "constraints.gatekeeper.sh/v1beta1",
            "K8sRequiredLabels"
        ));
        assert!(!scoped("rbac.authorization.k8s.io/v1", "RoleBinding"));
        assert!(!scoped("apps/v1", "Deployment"));
        assert!(!scoped("cert-manager.io/v1", "Issuer"));
        // Same kind name, other group: a custom Namespace resource is namespaced.
        assert!(!scoped("example.com/v1", "Namespace"));
        assert!(!scoped("v1", "ClusterRole"));
    }

    #[test]
    fn flattens_lists() {
        let r = resources(
            "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n",
        );
        let kinds: Vec<_> = r.iter().map(|r| (r.kind.as_str(), r.origin.item)).collect();
        assert_eq!(kinds, [("Pod", Some(0)), ("Service", Some(1))]);
        let untyped = resources("apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n");
        assert!(untyped.is_empty());
    }

    #[test]
    fn ignores_build_configuration() {
        assert!(resources("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n").is_empty());
    }

    #[test]
    fn ignores_documents_without_type() {
        assert!(resources("name: x\n").is_empty());
        assert!(resources("- a\n").is_empty());
        assert!(resources("apiVersion: v1\n").is_empty());
    }
}
