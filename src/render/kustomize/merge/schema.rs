//! Which lists of built-in types merge by key, and by which keys.
//!
//! Source: the Kubernetes 1.21.2 OpenAPI document that kustomize v5 embeds
//! (`kyaml/openapi/kubernetesapi/v1_21_2`), reduced to what strategic merge
//! reads from it: `x-kubernetes-patch-strategy` containing `merge`, with the
//! keys of `x-kubernetes-list-map-keys` when present, else
//! `x-kubernetes-patch-merge-key` (none: a list of scalars merged as a set).
//! Only the paths that lead to such a list are kept; every other field of a
//! known type merges like JSON (maps merge, lists are replaced). Notable
//! lists that have no merge strategy in that schema, and so are replaced:
//! tolerations, RBAC rules and subjects, NetworkPolicy ingress/egress,
//! Ingress rules and tls, StatefulSet volumeClaimTemplates, and the ports of
//! ephemeral containers. Fields added to Kubernetes after 1.21
//! (`resourceClaims`, `schedulingGates`, …) are unknown to kustomize v5 and
//! replaced as well.
//!
//! kustomize finds a type by exact `apiVersion` and kind, so the versions
//! that 1.21 no longer served (`extensions/v1beta1` Deployments, `apps/v1beta2`,
//! …) have no schema there and their lists are replaced too.

/// What the schema says about a node.
#[derive(Copy, Clone, Debug)]
pub(super) enum Schema {
    /// Not a known type: maps merge, lists are replaced, and a nested object
    /// that names its `apiVersion` and `kind` gets that type's schema.
    Unknown,
    /// A known type (the fields listed are those where key merging happens).
    Object(&'static Type),
    /// A list whose items merge by key.
    MergeList(MergeList),
}

/// A type, reduced to the fields under which some list merges by key.
#[derive(Debug)]
pub(super) struct Type {
    fields: &'static [(&'static str, Schema)],
}

/// A list merged by key.
#[derive(Copy, Clone, Debug)]
pub(super) struct MergeList {
    /// The merge keys; empty for a list of scalars.
    pub keys: &'static [&'static str],
    pub items: &'static Type,
}

impl Schema {
    /// The schema of a field of a mapping with this schema.
    pub fn field(self, name: &str) -> Schema {
        match self {
            Schema::Object(ty) => ty
                .fields
                .iter()
                .find(|(field, _)| *field == name)
                .map_or(Schema::Object(&OPAQUE), |(_, schema)| *schema),
            Schema::Unknown | Schema::MergeList(_) => Schema::Unknown,
        }
    }

    pub fn merge_list(self) -> Option<MergeList> {
        match self {
            Schema::MergeList(list) => Some(list),
            _ => None,
        }
    }

    pub fn is_unknown(self) -> bool {
        matches!(self, Schema::Unknown)
    }
}

/// The schema of a built-in type, by API group, version and kind.
pub(super) fn for_type(group: &str, version: &str, kind: &str) -> Schema {
    KINDS
        .iter()
        .find(|(g, k, versions, _)| *g == group && *k == kind && versions.contains(&version))
        .map_or(Schema::Unknown, |(_, _, _, ty)| Schema::Object(ty))
}

/// A known type with no list merged by key under it.
static OPAQUE: Type = Type { fields: &[] };

/// A list merged by the given keys, whose items have the given type.
macro_rules! list {
    ([$($key:literal),*], $items:ident) => {
        Schema::MergeList(MergeList { keys: &[$($key),*], items: &$items })
    };
}

/// A field of the given type.
macro_rules! object {
    ($ty:ident) => {
        Schema::Object(&$ty)
    };
}

static OBJECT_META: Type = Type {
    fields: &[
        ("finalizers", list!([], OPAQUE)),
        ("ownerReferences", list!(["uid"], OPAQUE)),
    ],
};

static METADATA_ONLY: Type = Type {
    fields: &[("metadata", object!(OBJECT_META))],
};

static CONDITIONS: Type = Type {
    fields: &[("conditions", list!(["type"], OPAQUE))],
};

static STATUS_CONDITIONS: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("status", object!(CONDITIONS)),
    ],
};

static CONTAINER: Type = Type {
    fields: &[
        ("env", list!(["name"], OPAQUE)),
        ("ports", list!(["containerPort", "protocol"], OPAQUE)),
        ("volumeDevices", list!(["devicePath"], OPAQUE)),
        ("volumeMounts", list!(["mountPath"], OPAQUE)),
    ],
};

static EPHEMERAL_CONTAINER: Type = Type {
    fields: &[
        ("env", list!(["name"], OPAQUE)),
        ("volumeDevices", list!(["devicePath"], OPAQUE)),
        ("volumeMounts", list!(["mountPath"], OPAQUE)),
    ],
};

static EPHEMERAL_VOLUME_SOURCE: Type = Type {
    fields: &[("volumeClaimTemplate", object!(METADATA_ONLY))],
};

static VOLUME: Type = Type {
    fields: &[("ephemeral", object!(EPHEMERAL_VOLUME_SOURCE))],
};

static POD_SPEC: Type = Type {
    fields: &[
        ("containers", list!(["name"], CONTAINER)),
        ("ephemeralContainers", list!(["name"], EPHEMERAL_CONTAINER)),
        ("hostAliases", list!(["ip"], OPAQUE)),
        ("imagePullSecrets", list!(["name"], OPAQUE)),
        ("initContainers", list!(["name"], CONTAINER)),
        (
            "topologySpreadConstraints",
            list!(["topologyKey", "whenUnsatisfiable"], OPAQUE),
        ),
        ("volumes", list!(["name"], VOLUME)),
    ],
};

static POD_TEMPLATE_SPEC: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(POD_SPEC)),
    ],
};

/// The spec of every controller with a pod template.
static SPEC_WITH_TEMPLATE: Type = Type {
    fields: &[("template", object!(POD_TEMPLATE_SPEC))],
};

/// Deployment, DaemonSet, ReplicaSet, StatefulSet, Job, ReplicationController.
static WORKLOAD: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(SPEC_WITH_TEMPLATE)),
        ("status", object!(CONDITIONS)),
    ],
};

static JOB_TEMPLATE_SPEC: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(SPEC_WITH_TEMPLATE)),
    ],
};

static CRON_JOB_SPEC: Type = Type {
    fields: &[("jobTemplate", object!(JOB_TEMPLATE_SPEC))],
};

static CRON_JOB: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(CRON_JOB_SPEC)),
    ],
};

static POD_STATUS: Type = Type {
    fields: &[
        ("conditions", list!(["type"], OPAQUE)),
        ("podIPs", list!(["ip"], OPAQUE)),
    ],
};

static POD: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(POD_SPEC)),
        ("status", object!(POD_STATUS)),
    ],
};

static POD_TEMPLATE: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("template", object!(POD_TEMPLATE_SPEC)),
    ],
};

static SERVICE_SPEC: Type = Type {
    fields: &[("ports", list!(["port", "protocol"], OPAQUE))],
};

static SERVICE: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(SERVICE_SPEC)),
        ("status", object!(CONDITIONS)),
    ],
};

static SERVICE_ACCOUNT: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("secrets", list!(["name"], OPAQUE)),
    ],
};

static NODE_SPEC: Type = Type {
    fields: &[("podCIDRs", list!([], OPAQUE))],
};
static NODE_STATUS: Type = Type {
    fields: &[
        ("addresses", list!(["type"], OPAQUE)),
        ("conditions", list!(["type"], OPAQUE)),
    ],
};

static NODE: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(NODE_SPEC)),
        ("status", object!(NODE_STATUS)),
    ],
};

static COMPONENT_STATUS: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("conditions", list!(["type"], OPAQUE)),
    ],
};

static WEBHOOK_CONFIGURATION: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("webhooks", list!(["name"], OPAQUE)),
    ],
};

static CSI_NODE_SPEC: Type = Type {
    fields: &[("drivers", list!(["name"], OPAQUE))],
};

static CSI_NODE: Type = Type {
    fields: &[
        ("metadata", object!(OBJECT_META)),
        ("spec", object!(CSI_NODE_SPEC)),
    ],
};

/// Every kind of the 1.21.2 schema (lists excepted): group, kind, versions.
#[rustfmt::skip]
static KINDS: &[(&str, &str, &[&str], &Type)] = &[
    ("", "Binding", &["v1"], &METADATA_ONLY),
    ("", "ComponentStatus", &["v1"], &COMPONENT_STATUS),
    ("", "ConfigMap", &["v1"], &METADATA_ONLY),
    ("", "Endpoints", &["v1"], &METADATA_ONLY),
    ("", "Event", &["v1"], &METADATA_ONLY),
    ("", "LimitRange", &["v1"], &METADATA_ONLY),
    ("", "Namespace", &["v1"], &STATUS_CONDITIONS),
    ("", "Node", &["v1"], &NODE),
    ("", "PersistentVolume", &["v1"], &METADATA_ONLY),
    ("", "PersistentVolumeClaim", &["v1"], &STATUS_CONDITIONS),
    ("", "Pod", &["v1"], &POD),
    ("", "PodTemplate", &["v1"], &POD_TEMPLATE),
    ("", "ReplicationController", &["v1"], &WORKLOAD),
    ("", "ResourceQuota", &["v1"], &METADATA_ONLY),
    ("", "Secret", &["v1"], &METADATA_ONLY),
    ("", "Service", &["v1"], &SERVICE),
    ("", "ServiceAccount", &["v1"], &SERVICE_ACCOUNT),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", &["v1", "v1beta1"], &WEBHOOK_CONFIGURATION),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", &["v1", "v1beta1"], &WEBHOOK_CONFIGURATION),
    ("apiextensions.k8s.io", "CustomResourceDefinition", &["v1", "v1beta1"], &METADATA_ONLY),
    ("apiregistration.k8s.io", "APIService", &["v1", "v1beta1"], &STATUS_CONDITIONS),
    ("apps", "ControllerRevision", &["v1"], &METADATA_ONLY),
    ("apps", "DaemonSet", &["v1"], &WORKLOAD),
    ("apps", "Deployment", &["v1"], &WORKLOAD),
    ("apps", "ReplicaSet", &["v1"], &WORKLOAD),
    ("apps", "StatefulSet", &["v1"], &WORKLOAD),
    ("authentication.k8s.io", "TokenRequest", &["v1"], &METADATA_ONLY),
    ("authentication.k8s.io", "TokenReview", &["v1", "v1beta1"], &METADATA_ONLY),
    ("authorization.k8s.io", "LocalSubjectAccessReview", &["v1", "v1beta1"], &METADATA_ONLY),
    ("authorization.k8s.io", "SelfSubjectAccessReview", &["v1", "v1beta1"], &METADATA_ONLY),
    ("authorization.k8s.io", "SelfSubjectRulesReview", &["v1", "v1beta1"], &METADATA_ONLY),
    ("authorization.k8s.io", "SubjectAccessReview", &["v1", "v1beta1"], &METADATA_ONLY),
    ("autoscaling", "HorizontalPodAutoscaler", &["v1", "v2beta1", "v2beta2"], &METADATA_ONLY),
    ("autoscaling", "Scale", &["v1"], &METADATA_ONLY),
    ("batch", "CronJob", &["v1", "v1beta1"], &CRON_JOB),
    ("batch", "Job", &["v1"], &WORKLOAD),
    ("certificates.k8s.io", "CertificateSigningRequest", &["v1", "v1beta1"], &METADATA_ONLY),
    ("coordination.k8s.io", "Lease", &["v1", "v1beta1"], &METADATA_ONLY),
    ("discovery.k8s.io", "EndpointSlice", &["v1", "v1beta1"], &METADATA_ONLY),
    ("events.k8s.io", "Event", &["v1", "v1beta1"], &METADATA_ONLY),
    ("extensions", "Ingress", &["v1beta1"], &METADATA_ONLY),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema", &["v1beta1"], &METADATA_ONLY),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", &["v1beta1"], &METADATA_ONLY),
    ("networking.k8s.io", "Ingress", &["v1", "v1beta1"], &METADATA_ONLY),
    ("networking.k8s.io", "IngressClass", &["v1", "v1beta1"], &METADATA_ONLY),
    ("networking.k8s.io", "NetworkPolicy", &["v1"], &METADATA_ONLY),
    ("node.k8s.io", "RuntimeClass", &["v1", "v1beta1"], &METADATA_ONLY),
    ("policy", "Eviction", &["v1beta1"], &METADATA_ONLY),
    ("policy", "PodDisruptionBudget", &["v1", "v1beta1"], &STATUS_CONDITIONS),
    ("policy", "PodSecurityPolicy", &["v1beta1"], &METADATA_ONLY),
    ("rbac.authorization.k8s.io", "ClusterRole", &["v1", "v1beta1"], &METADATA_ONLY),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding", &["v1", "v1beta1"], &METADATA_ONLY),
    ("rbac.authorization.k8s.io", "Role", &["v1", "v1beta1"], &METADATA_ONLY),
    ("rbac.authorization.k8s.io", "RoleBinding", &["v1", "v1beta1"], &METADATA_ONLY),
    ("scheduling.k8s.io", "PriorityClass", &["v1", "v1beta1"], &METADATA_ONLY),
    ("storage.k8s.io", "CSIDriver", &["v1", "v1beta1"], &METADATA_ONLY),
    ("storage.k8s.io", "CSINode", &["v1", "v1beta1"], &CSI_NODE),
    ("storage.k8s.io", "CSIStorageCapacity", &["v1beta1"], &METADATA_ONLY),
    ("storage.k8s.io", "StorageClass", &["v1", "v1beta1"], &METADATA_ONLY),
    ("storage.k8s.io", "VolumeAttachment", &["v1", "v1beta1"], &METADATA_ONLY),
];
