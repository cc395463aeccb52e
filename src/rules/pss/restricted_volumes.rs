use super::RESTRICTED;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Volumes of a type the Restricted profile does not allow. Allowed types are
    /// `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `image`,
    /// `persistentVolumeClaim`, `projected` and `secret`; every other type (`nfs`,
    /// `iscsi`, `azureFile`, `azureDisk`, `gitRepo`, `flexVolume`, `cephfs`, …) is
    /// reported. `hostPath` is reported by PSS004. A volume with no type at all is
    /// an `emptyDir` once the API server applies its defaults, so it is allowed.
    /// Fields that are not volume types of the Kubernetes API are ignored, as the
    /// API server ignores them.
    ///
    /// ## Why it matters
    /// The allowed types are the ones whose access is governed by Kubernetes
    /// objects (claims, CSI drivers, config) that cluster administrators control.
    /// Inline volume types let a pod author point at storage directly, with
    /// credentials and mount options the cluster does not vet, and some (`gitRepo`)
    /// have a history of node-level vulnerabilities.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: reports
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/reports:1.0.0
    ///       volumes:
    ///       - name: archive
    ///         nfs:
    ///           server: 10.0.0.4
    ///           path: /exports/reports
    /// ```
    ///
    /// ## Fix
    /// Declare the storage as a PersistentVolume (or a StorageClass) managed by the
    /// platform team, and claim it.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: reports
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/reports:1.0.0
    ///       volumes:
    ///       - name: archive
    ///         persistentVolumeClaim:
    ///           claimName: reports-archive
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Volume Types"
    ///   (Pod Security Admission check `restrictedVolumes`)
    pub static RULE = Rule {
        id: "PSS013",
        name: "restricted-volume-type",
        severity: Severity::Medium,
        summary: "Volume type not allowed by the Restricted profile",
        frameworks: RESTRICTED,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every volume source field of the Kubernetes API. Unknown fields are dropped
/// when the API server decodes a pod, so they do not count as a volume type.
const VOLUME_SOURCES: &[&str] = &[
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "hostPath",
    "image",
    "iscsi",
    "nfs",
    "persistentVolumeClaim",
    "photonPersistentDisk",
    "portworxVolume",
    "projected",
    "quobyte",
    "rbd",
    "scaleIO",
    "secret",
    "storageos",
    "vsphereVolume",
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let volumes = pod.spec().get("volumes").map_or(&[][..], Node::items);
    for (index, volume) in volumes.iter().enumerate() {
        let Some(entries) = volume.as_map() else {
            continue;
        };
        let mut sources = entries
            .iter()
            .filter(|e| VOLUME_SOURCES.contains(&e.key.text.as_str()) && !e.value.is_null());
        let Some(first) = sources.clone().next() else {
            continue; // defaulted to emptyDir
        };
        if sources.any(|e| ALLOWED.contains(&e.key.text.as_str()) || e.key.text == "hostPath") {
            continue;
        }
        let name = volume.get("name").and_then(Node::as_str);
        let selector = name.map_or(index.to_string(), |n| format!("name={n}"));
        out.report(
            first.span(),
            pod.field_path(&format!("volumes[{selector}].{}", first.key.text)),
            format!(
                "volume {} uses volume type {:?}, not allowed by the Restricted profile",
                name.map_or_else(|| format!("#{}", index + 1), |n| format!("{n:?}")),
                first.key.text
            ),
        );
    }
}
