//! Name references: once objects have been renamed (prefix, suffix, content
//! hash) or moved (namespace), the fields of other objects that name them
//! are updated: a Deployment's ConfigMap volumes, a RoleBinding's `roleRef`
//! and ServiceAccount subjects, an Ingress backend's Service, and so on
//! (kustomize v5.5.0's `nameReference` table, below as [`back_references`]).
//!
//! A reference is updated when exactly one object of the referenced kind had
//! the referenced name earlier in the build (its [`Object::previous`]) and
//! could be the one meant: in the referrer's namespace, cluster-scoped, or a
//! ServiceAccount (a RoleBinding may bind one from another namespace). When
//! several could be, the one built with the same name prefixes and suffixes
//! as the referrer wins (the same base used twice under different prefixes);
//! when that still leaves several with different names, the build fails, as
//! in kustomize. Mapping references (`subjects`, webhook `service`) also
//! receive the referenced object's namespace.
//!
//! The new value carries the span of the referenced object's `metadata.name`
//! (the prefix or suffix that made it), or of its `metadata.namespace`.

use std::collections::HashMap;

use compact_str::CompactString;

use super::fieldspecs::{self, FieldSpec, is_cluster_scoped, split_api_version};
use super::{BuildError, Object, describe};
use crate::source::Span;
use crate::source::yaml::{Key, Node, Value};

/// Objects of one kind (`target`) named by a field of objects of another.
pub struct BackReference<'a> {
    /// `(group, version, kind)` of the named objects; empty parts match any.
    pub target: (&'a str, &'a str, &'a str),
    /// The naming fields; the field's value is a name, a list of names, or a
    /// mapping (or list of mappings) with `name` and maybe `namespace`.
    pub referrers: Vec<Referrer<'a>>,
}

/// A field that names another object.
pub struct Referrer<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    pub path: String,
}

impl Referrer<'_> {
    fn spec(&self) -> FieldSpec<'_> {
        FieldSpec {
            group: self.group,
            version: self.version,
            kind: self.kind,
            path: &self.path,
            create: false,
        }
    }
}

fn referrer(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    path: &str,
) -> Referrer<'static> {
    Referrer {
        group,
        version,
        kind,
        path: path.to_string(),
    }
}

/// Where workload kinds keep their pod spec.
const POD_SPECS: &[(&str, &str)] = &[
    ("Pod", "spec"),
    ("PodTemplate", "template/spec"),
    ("Deployment", "spec/template/spec"),
    ("ReplicaSet", "spec/template/spec"),
    ("DaemonSet", "spec/template/spec"),
    ("StatefulSet", "spec/template/spec"),
    ("Job", "spec/template/spec"),
    ("CronJob", "spec/jobTemplate/spec/template/spec"),
    ("ReplicationController", "spec/template/spec"),
];

/// Fields of pod specs, for the workload kinds listed (kustomize's table
/// lists each target with its own set of kinds). A Pod is matched at
/// version `v1` when `pod_v1`.
fn in_pod_specs(kinds: &[&'static str], pod_v1: bool, fields: &[&str]) -> Vec<Referrer<'static>> {
    let mut referrers = Vec::new();
    for &kind in kinds {
        let Some(&(kind, prefix)) = POD_SPECS.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let version = if kind == "Pod" && pod_v1 { "v1" } else { "" };
        for field in fields {
            referrers.push(referrer("", version, kind, &format!("{prefix}/{field}")));
        }
    }
    referrers
}

/// Workloads that can mount ConfigMaps and Secrets by reference.
const CONFIG_KINDS: &[&str] = &[
    "Pod",
    "PodTemplate",
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "Job",
    "CronJob",
];

/// Workloads whose ServiceAccount, claims and priority class are followed.
const ACCOUNT_KINDS: &[&str] = &[
    "Pod",
    "StatefulSet",
    "Deployment",
    "ReplicationController",
    "CronJob",
    "Job",
    "DaemonSet",
];

/// kustomize v5.5.0's default name reference table.
pub fn back_references() -> Vec<BackReference<'static>> {
    const RBAC: &str = "rbac.authorization.k8s.io";
    const ADMISSION: &str = "admissionregistration.k8s.io";
    let scale_target = || {
        vec![referrer(
            "",
            "",
            "HorizontalPodAutoscaler",
            "spec/scaleTargetRef/name",
        )]
    };

    let mut config_map = in_pod_specs(
        CONFIG_KINDS,
        true,
        &[
            "volumes/configMap/name",
            "containers/env/valueFrom/configMapKeyRef/name",
            "initContainers/env/valueFrom/configMapKeyRef/name",
            "containers/envFrom/configMapRef/name",
            "initContainers/envFrom/configMapRef/name",
            "volumes/projected/sources/configMap/name",
        ],
    );
    config_map.extend([
        referrer("", "", "Node", "spec/configSource/configMap"),
        referrer("", "", "Role", "rules/resourceNames"),
        referrer("", "", "ClusterRole", "rules/resourceNames"),
        referrer(
            "",
            "",
            "Ingress",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
        ),
    ]);

    let mut secret = in_pod_specs(
        CONFIG_KINDS,
        true,
        &[
            "volumes/secret/secretName",
            "containers/env/valueFrom/secretKeyRef/name",
            "initContainers/env/valueFrom/secretKeyRef/name",
            "containers/envFrom/secretRef/name",
            "initContainers/envFrom/secretRef/name",
            "imagePullSecrets/name",
            "volumes/projected/sources/secret/name",
        ],
    );
    secret.extend([
        referrer("", "", "Ingress", "spec/tls/secretName"),
        referrer(
            "",
            "",
            "Ingress",
            "metadata/annotations/ingress.kubernetes.io\\/auth-secret",
        ),
        referrer(
            "",
            "",
            "Ingress",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret",
        ),
        referrer(
            "",
            "",
            "Ingress",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret",
        ),
        referrer("", "", "ServiceAccount", "imagePullSecrets/name"),
        referrer("", "", "StorageClass", "parameters/secretName"),
        referrer("", "", "StorageClass", "parameters/adminSecretName"),
        referrer("", "", "StorageClass", "parameters/userSecretName"),
        referrer("", "", "StorageClass", "parameters/secretRef"),
        referrer("", "", "Role", "rules/resourceNames"),
        referrer("", "", "ClusterRole", "rules/resourceNames"),
        referrer(
            "serving.knative.dev",
            "v1",
            "Service",
            "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
        ),
        referrer("", "", "PersistentVolume", "spec/azureFile/secretName"),
    ]);

    let mut service_account = vec![
        referrer(RBAC, "", "RoleBinding", "subjects"),
        referrer(RBAC, "", "ClusterRoleBinding", "subjects"),
    ];
    service_account.extend(in_pod_specs(ACCOUNT_KINDS, false, &["serviceAccountName"]));

    vec![
        BackReference {
            target: ("", "", "Deployment"),
            referrers: scale_target(),
        },
        BackReference {
            target: ("", "", "ReplicationController"),
            referrers: scale_target(),
        },
        BackReference {
            target: ("", "", "ReplicaSet"),
            referrers: scale_target(),
        },
        BackReference {
            target: ("", "", "StatefulSet"),
            referrers: scale_target(),
        },
        BackReference {
            target: ("", "v1", "ConfigMap"),
            referrers: config_map,
        },
        BackReference {
            target: ("", "v1", "Secret"),
            referrers: secret,
        },
        BackReference {
            target: ("", "v1", "Service"),
            referrers: vec![
                referrer("apps", "", "StatefulSet", "spec/serviceName"),
                referrer(
                    "",
                    "",
                    "Ingress",
                    "spec/rules/http/paths/backend/serviceName",
                ),
                referrer("", "", "Ingress", "spec/backend/serviceName"),
                referrer(
                    "",
                    "",
                    "Ingress",
                    "spec/rules/http/paths/backend/service/name",
                ),
                referrer("", "", "Ingress", "spec/defaultBackend/service/name"),
                referrer(
                    "apiregistration.k8s.io",
                    "",
                    "APIService",
                    "spec/service/name",
                ),
                referrer(
                    ADMISSION,
                    "",
                    "ValidatingWebhookConfiguration",
                    "webhooks/clientConfig/service",
                ),
                referrer(
                    ADMISSION,
                    "",
                    "MutatingWebhookConfiguration",
                    "webhooks/clientConfig/service",
                ),
            ],
        },
        BackReference {
            target: (RBAC, "", "Role"),
            referrers: vec![referrer(RBAC, "", "RoleBinding", "roleRef/name")],
        },
        BackReference {
            target: (RBAC, "", "ClusterRole"),
            referrers: vec![
                referrer(RBAC, "", "RoleBinding", "roleRef/name"),
                referrer(RBAC, "", "ClusterRoleBinding", "roleRef/name"),
            ],
        },
        BackReference {
            target: ("", "v1", "ServiceAccount"),
            referrers: service_account,
        },
        BackReference {
            target: ("", "v1", "PersistentVolumeClaim"),
            referrers: in_pod_specs(
                ACCOUNT_KINDS,
                false,
                &["volumes/persistentVolumeClaim/claimName"],
            ),
        },
        BackReference {
            target: ("", "v1", "PersistentVolume"),
            referrers: vec![
                referrer("", "", "PersistentVolumeClaim", "spec/volumeName"),
                referrer("", "", "ClusterRole", "rules/resourceNames"),
            ],
        },
        BackReference {
            target: ("storage.k8s.io", "v1", "StorageClass"),
            referrers: vec![
                referrer("", "", "PersistentVolume", "spec/storageClassName"),
                referrer("", "", "PersistentVolumeClaim", "spec/storageClassName"),
                referrer(
                    "",
                    "",
                    "StatefulSet",
                    "spec/volumeClaimTemplates/spec/storageClassName",
                ),
            ],
        },
        BackReference {
            target: ("scheduling.k8s.io", "v1", "PriorityClass"),
            referrers: in_pod_specs(ACCOUNT_KINDS, false, &["priorityClassName"]),
        },
        BackReference {
            // kustomize writes the group as `networking.k8s.io/v1`, which no
            // object has: IngressClass references are never updated.
            target: ("networking.k8s.io/v1", "v1", "IngressClass"),
            referrers: vec![referrer("", "", "Ingress", "spec/ingressClassName")],
        },
        BackReference {
            target: (ADMISSION, "", "ValidatingAdmissionPolicy"),
            referrers: vec![referrer(
                ADMISSION,
                "",
                "ValidatingAdmissionPolicyBinding",
                "spec/policyName",
            )],
        },
    ]
}

/// What name references need to know of an object, read before any
/// reference is changed.
struct Target {
    group: String,
    version: String,
    kind: String,
    name: String,
    /// `metadata.namespace` as written; empty when absent.
    namespace: String,
    cluster_scoped: bool,
    /// The namespace it is in now (`default` when unset); `None` for
    /// cluster-scoped objects.
    current_namespace: Option<String>,
    /// The namespace it was in when the build started.
    original_namespace: Option<String>,
    previous_names: Vec<String>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    name_span: Span,
    namespace_span: Span,
    /// `roleRef.apiGroup` and `roleRef.kind`, when both are there.
    role_ref: Option<(String, String)>,
    /// For a RoleBinding, the namespaces of its ServiceAccount subjects, or
    /// why they cannot be read.
    subject_namespaces: Result<Vec<String>, String>,
}

impl Target {
    fn of(object: &Object) -> Self {
        let (group, version) = split_api_version(object.api_version());
        let cluster_scoped = is_cluster_scoped(object.api_version(), object.kind());
        let effective = |namespace: Option<&str>| {
            (!cluster_scoped).then(|| namespace.unwrap_or("default").to_string())
        };
        let original = match object.previous.first() {
            Some(first) => first.namespace.as_deref(),
            None => object.namespace(),
        };
        let span_of = |path: &[&str]| {
            object
                .body
                .get_path(path)
                .map_or(object.body.span, |n| n.span)
        };
        let role_ref = object.body.get("roleRef").and_then(|role_ref| {
            let group = role_ref.get("apiGroup")?.as_str()?;
            let kind = role_ref.get("kind")?.as_str()?;
            Some((group.to_string(), kind.to_string()))
        });
        Target {
            group: group.to_string(),
            version: version.to_string(),
            kind: object.kind().to_string(),
            name: object.name().to_string(),
            namespace: object.namespace().unwrap_or("").to_string(),
            cluster_scoped,
            current_namespace: effective(object.namespace()),
            original_namespace: effective(original),
            previous_names: object.previous.iter().map(|p| p.name.clone()).collect(),
            prefixes: object.name_prefixes.clone(),
            suffixes: object.name_suffixes.clone(),
            name_span: span_of(&["metadata", "name"]),
            namespace_span: span_of(&["metadata", "namespace"]),
            role_ref,
            subject_namespaces: subject_namespaces(object),
        }
    }

    fn is(&self, (group, version, kind): (&str, &str, &str)) -> bool {
        (group.is_empty() || group == self.group)
            && (version.is_empty() || version == self.version)
            && (kind.is_empty() || kind == self.kind)
    }
}

/// Updates every reference to an object renamed or moved during the build.
/// Call once, on the objects of the top kustomization, after hash suffixes.
pub fn fix_name_references(objects: &mut [Object]) -> Result<(), BuildError> {
    fix_name_references_with(objects, &[])
}

/// [`fix_name_references`], with the references the build's
/// `configurations` add.
pub fn fix_name_references_with(
    objects: &mut [Object],
    extra: &[BackReference<'_>],
) -> Result<(), BuildError> {
    if objects.iter().all(|o| o.previous.is_empty()) {
        return Ok(());
    }
    let mut table = back_references();
    for reference in extra {
        let referrers = reference.referrers.iter().filter(|r| {
            !table.iter().any(|t| {
                t.target == reference.target
                    && t.referrers.iter().any(|d| {
                        (d.group, d.version, d.kind, d.path.as_str())
                            == (r.group, r.version, r.kind, r.path.as_str())
                    })
            })
        });
        let referrers: Vec<Referrer<'_>> = referrers
            .map(|r| Referrer {
                group: r.group,
                version: r.version,
                kind: r.kind,
                path: r.path.clone(),
            })
            .collect();
        if !referrers.is_empty() {
            table.push(BackReference {
                target: reference.target,
                referrers,
            });
        }
    }
    let targets: Vec<Target> = objects.iter().map(Target::of).collect();
    // The objects that had each name, in build order.
    let mut renamed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, target) in targets.iter().enumerate() {
        for name in &target.previous_names {
            let holders = renamed.entry(name.as_str()).or_default();
            if holders.last() != Some(&index) {
                holders.push(index);
            }
        }
    }
    for (index, object) in objects.iter_mut().enumerate() {
        let referrer = &targets[index];
        let api_version = object.api_version().to_string();
        for reference in &table {
            for field in &reference.referrers {
                let spec = field.spec();
                if !spec.selects(&api_version, &referrer.kind) {
                    continue;
                }
                let fixer = Fixer {
                    targets: &targets,
                    renamed: &renamed,
                    referrer_index: index,
                    referrer,
                    target: reference.target,
                    role_ref: field.path.ends_with("roleRef/name"),
                };
                let span = object.body.span;
                fieldspecs::walk(&mut object.body, &spec, None, span, &mut |node| {
                    fixer.set(node)
                })
                .map_err(|message| error(object, message))?;
            }
        }
    }
    Ok(())
}

fn error(object: &Object, message: String) -> BuildError {
    BuildError::new(
        format!("name references in {}: {message}", describe(object)),
        Some(object.body.span),
    )
}

/// The namespaces of the ServiceAccount subjects of a RoleBinding.
fn subject_namespaces(object: &Object) -> Result<Vec<String>, String> {
    if object.kind() != "RoleBinding" {
        return Ok(Vec::new());
    }
    let mut namespaces = Vec::new();
    for subject in object.body.get("subjects").map(Node::items).unwrap_or(&[]) {
        let (Some(namespace), Some(kind)) = (subject.get("namespace"), subject.get("kind")) else {
            continue;
        };
        if kind.as_str() != Some("ServiceAccount") {
            continue;
        }
        match namespace.as_str() {
            Some(namespace) => namespaces.push(namespace.to_string()),
            None => return Err("a ServiceAccount subject has no namespace".to_string()),
        }
    }
    Ok(namespaces)
}

/// The objects a referrer may name: all of them for a cluster-scoped
/// referrer; otherwise cluster-scoped objects, objects in its namespace, and
/// for a RoleBinding, objects in the namespaces of its ServiceAccount
/// subjects.
/// Which of `pool` the referrer could name: anything from a cluster-scoped
/// referrer, else cluster-scoped objects, objects in its namespace, and for a
/// binding objects in its subjects' namespaces.
fn could_be_referenced_by(
    targets: &[Target],
    referrer: usize,
    pool: &[usize],
) -> Result<Vec<usize>, String> {
    let this = &targets[referrer];
    if this.cluster_scoped {
        return Ok(pool.to_vec());
    }
    let subject_namespaces = this.subject_namespaces.as_ref().map_err(String::clone)?;
    Ok(pool
        .iter()
        .copied()
        .filter(|&i| {
            let target = &targets[i];
            target.cluster_scoped
                || target.current_namespace == this.current_namespace
                || subject_namespaces.contains(&target.namespace)
        })
        .collect())
}

/// Updates the references of one field of one referrer.
struct Fixer<'a> {
    targets: &'a [Target],
    /// Every name some object had before being renamed or moved, with the
    /// objects that had it.
    renamed: &'a HashMap<&'a str, Vec<usize>>,
    referrer_index: usize,
    referrer: &'a Target,
    /// The kind of object the field names.
    target: (&'a str, &'a str, &'a str),
    /// The field is a `roleRef/name`: the `roleRef` also says the kind.
    role_ref: bool,
}

impl Fixer<'_> {
    /// The objects that had the name `old` and that the referrer could name.
    fn candidates(&self, old: &str) -> Result<Vec<usize>, String> {
        let pool = self.renamed.get(old).map_or(&[][..], Vec::as_slice);
        could_be_referenced_by(self.targets, self.referrer_index, pool)
    }

    fn set(&self, node: &mut Node) -> Result<(), String> {
        match &mut node.value {
            Value::Null => Ok(()),
            Value::Map(_) => self.set_mapping(node),
            Value::Seq(items) => items.iter_mut().try_for_each(|item| match item.value {
                Value::Null => Ok(()),
                Value::Map(_) => self.set_mapping(item),
                Value::Seq(_) => Err("a list of lists cannot name objects".to_string()),
                _ => self.set_scalar(item),
            }),
            _ => self.set_scalar(node),
        }
    }

    /// A name.
    fn set_scalar(&self, node: &mut Node) -> Result<(), String> {
        let Value::Str(old) = &node.value else {
            return Ok(());
        };
        if !self.renamed.contains_key(old.as_str()) {
            return Ok(());
        }
        let referral = self.select(old, self.candidates(old)?.into_iter(), false)?;
        let Some(target) = referral.map(|i| &self.targets[i]) else {
            return Ok(());
        };
        if target.name != *old {
            *node = Node::string(target.name.as_str(), target.name_span);
        }
        Ok(())
    }

    /// A mapping with `name` and maybe `namespace`, which also selects the
    /// candidates and receives the target's namespace.
    fn set_mapping(&self, node: &mut Node) -> Result<(), String> {
        let Some(name) = node.get("name") else {
            return Err("a reference without a `name`".to_string());
        };
        let Some(old) = name.as_str() else {
            return Ok(());
        };
        if !self.renamed.contains_key(old) {
            return Ok(());
        }
        let candidates = self.candidates(old)?;
        let referral = match node.get("namespace") {
            None => self.select(old, candidates.iter().copied(), true)?,
            Some(namespace) => {
                let namespace = namespace.as_str().unwrap_or("");
                let in_namespace = |original: bool| {
                    candidates.iter().copied().filter(move |&i| {
                        let target = &self.targets[i];
                        let at = if original {
                            &target.original_namespace
                        } else {
                            &target.current_namespace
                        };
                        at.as_deref() == Some(namespace)
                    })
                };
                if in_namespace(true).next().is_some() {
                    self.select(old, in_namespace(true), true)?
                } else {
                    self.select(old, in_namespace(false), true)?
                }
            }
        };
        let Some(target) = referral.map(|i| &self.targets[i]) else {
            return Ok(());
        };
        if target.name == old && target.namespace.is_empty() {
            return Ok(());
        }
        if target.name != old {
            set_field(node, "name", &target.name, target.name_span);
        }
        // An empty namespace is a wildcard, not `default`: never written.
        if !target.namespace.is_empty()
            && node.get("namespace").and_then(Node::as_str) != Some(target.namespace.as_str())
        {
            set_field(node, "namespace", &target.namespace, target.namespace_span);
        }
        Ok(())
    }

    /// The one object the name `old` means among `pool`, if any.
    fn select(
        &self,
        old: &str,
        pool: impl Iterator<Item = usize>,
        with_namespace: bool,
    ) -> Result<Option<usize>, String> {
        let referrer = self.referrer;
        let role_ref = match (&referrer.role_ref, self.role_ref) {
            (Some(role_ref), true) => Some(role_ref),
            _ => None,
        };
        let mut found: Vec<usize> = pool
            .filter(|&i| {
                let target = &self.targets[i];
                target.previous_names.iter().any(|name| name == old)
                    && target.is(self.target)
                    && role_ref.is_none_or(|(group, kind)| target.is((group, "", kind)))
                    && (referrer.cluster_scoped
                        || target.cluster_scoped
                        || target.kind == "ServiceAccount"
                        || target.current_namespace == referrer.current_namespace)
            })
            .collect();
        if found.len() == 1 {
            return Ok(found.pop());
        }
        found.retain(|&i| same_affixes(referrer, &self.targets[i], true));
        if found.len() > 1 {
            found.retain(|&i| same_affixes(referrer, &self.targets[i], false));
        }
        let Some(&first) = found.first() else {
            return Ok(None);
        };
        let head = &self.targets[first];
        let identical = found.iter().all(|&i| {
            let target = &self.targets[i];
            target.name == head.name && (!with_namespace || target.namespace == head.namespace)
        });
        if identical {
            return Ok(Some(first));
        }
        let names: Vec<String> = found
            .iter()
            .map(|&i| {
                let target = &self.targets[i];
                match target.namespace.as_str() {
                    "" => format!("{} {}", target.kind, target.name),
                    namespace => format!("{} {namespace}/{}", target.kind, target.name),
                }
            })
            .collect();
        Err(format!("{old:?} could name any of {}", names.join(", ")))
    }
}

/// Whether two objects were built with the same name prefixes and suffixes,
/// outermost kustomizations compared; with `allow_empty`, an object with
/// none matches any.
fn same_affixes(a: &Target, b: &Target, allow_empty: bool) -> bool {
    let matches = |x: &[String], y: &[String]| {
        (allow_empty && (x.is_empty() || y.is_empty())) || same_ending(x, y)
    };
    matches(&a.prefixes, &b.prefixes) && matches(&a.suffixes, &b.suffixes)
}

/// Whether the shorter list ends the longer one; an empty list only matches
/// an empty list.
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

fn set_field(node: &mut Node, key: &str, value: &str, span: Span) {
    node.insert(
        Key {
            text: CompactString::from(key),
            span,
        },
        Node::string(value, span),
    );
}

#[cfg(test)]
mod tests {
    use super::super::names::add_name_prefix;
    use super::super::namespace::set_namespace;
    use super::super::test_support::{objects_from, scalar_node};
    use super::*;
    use crate::render::kustomize::ObjectName;

    fn at<'a>(node: &'a Node, path: &[&str]) -> &'a str {
        node.get_path(path).and_then(Node::as_str).unwrap_or("")
    }

    #[test]
    fn follows_prefixed_config_maps_and_secrets() {
        let mut objects = objects_from(
            "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      imagePullSecrets: [{name: creds}, {name: other}]
      volumes:
      - name: c
        configMap: {name: cfg}
      containers:
      - name: app
        envFrom:
        - secretRef: {name: creds}
        env:
        - name: X
          valueFrom:
            configMapKeyRef: {name: cfg, key: x}
",
        );
        let prefix = scalar_node("p-");
        add_name_prefix(&mut objects, &prefix).unwrap();
        fix_name_references(&mut objects).unwrap();
        let spec = objects[2]
            .body
            .get_path(&["spec", "template", "spec"])
            .unwrap();
        let pulls = spec.get("imagePullSecrets").unwrap().items();
        assert_eq!(pulls[0].get("name").unwrap().as_str(), Some("p-creds"));
        assert_eq!(pulls[1].get("name").unwrap().as_str(), Some("other"));
        let volume = &spec.get("volumes").unwrap().items()[0];
        let name = volume.get_path(&["configMap", "name"]).unwrap();
        assert_eq!(name.as_str(), Some("p-cfg"));
        assert_eq!(name.span, prefix.span);
        let container = &spec.get("containers").unwrap().items()[0];
        let env = &container.get("env").unwrap().items()[0];
        assert_eq!(
            env.get_path(&["valueFrom", "configMapKeyRef", "name"])
                .unwrap()
                .as_str(),
            Some("p-cfg")
        );
    }

    #[test]
    fn subjects_follow_their_service_account_into_its_namespace() {
        let mut objects = objects_from(
            "\
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: ServiceAccount, name: app, namespace: elsewhere}
",
        );
        set_namespace(&mut objects, &scalar_node("prod")).unwrap();
        fix_name_references(&mut objects).unwrap();
        let subjects = objects[1].body.get("subjects").unwrap().items();
        assert_eq!(at(&subjects[0], &["namespace"]), "prod");
        assert_eq!(at(&subjects[1], &["namespace"]), "elsewhere");
    }

    #[test]
    fn role_ref_kind_decides_between_role_and_cluster_role() {
        let mut objects = objects_from(
            "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
",
        );
        add_name_prefix(&mut objects[1..2], &scalar_node("cluster-")).unwrap();
        add_name_prefix(&mut objects[0..1], &scalar_node("ns-")).unwrap();
        fix_name_references(&mut objects).unwrap();
        assert_eq!(at(&objects[2].body, &["roleRef", "name"]), "cluster-reader");
    }

    #[test]
    fn same_prefixes_tell_apart_copies_of_a_base() {
        let base = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  volumes:
  - name: v
    configMap: {name: cfg}
";
        let mut a = objects_from(base);
        add_name_prefix(&mut a, &scalar_node("a-")).unwrap();
        let mut b = objects_from(base);
        add_name_prefix(&mut b, &scalar_node("b-")).unwrap();
        let mut objects: Vec<Object> = a.into_iter().chain(b).collect();
        fix_name_references(&mut objects).unwrap();
        let claim = |i: usize| {
            objects[i]
                .body
                .get_path(&["spec", "volumes"])
                .unwrap()
                .items()[0]
                .get_path(&["configMap", "name"])
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(claim(1), "a-cfg");
        assert_eq!(claim(3), "b-cfg");
    }

    #[test]
    fn ambiguous_references_are_an_error() {
        let mut objects = objects_from(
            "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg-1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg-2}
---
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  volumes:
  - name: v
    configMap: {name: cfg}
",
        );
        // Two ConfigMaps that were both `cfg` before the build renamed them.
        for object in &mut objects[..2] {
            object.previous.push(ObjectName {
                name: "cfg".to_string(),
                namespace: None,
            });
        }
        assert!(fix_name_references(&mut objects).is_err());
    }

    #[test]
    fn affix_lists_compare_by_their_ends() {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(same_ending(&list(&["a", "o"]), &list(&["o"])));
        assert!(!same_ending(&list(&["a", "o"]), &list(&["b", "o"])));
        assert!(same_ending(&list(&[]), &list(&[])));
        assert!(!same_ending(&list(&[]), &list(&["o"])));
    }
}
