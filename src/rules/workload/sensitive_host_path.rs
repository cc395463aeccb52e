use crate::model::host_path::{SENSITIVE_HOST_PATHS, most_specific, normalize};
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};
use crate::source::yaml::{Entry, Node};

declare_rule! {
    /// ## What it checks
    /// hostPath volumes of pods (and hostPath PersistentVolumes, which pods reach
    /// through a claim) whose path is one of the `sensitive_paths` or lies below
    /// one. Paths are compared after removing repeated and trailing slashes and
    /// `.`/`..` components; the entry `/` matches the node's root itself only.
    ///
    /// The defaults cover the node's root and system directories (`/etc`,
    /// `/proc`, `/sys`, `/root`, `/boot`, `/dev`, `/run`, `/var/run`), the
    /// kubelet's and the container runtimes' state (`/var/lib/kubelet`,
    /// `/var/lib/docker`, `/var/lib/containerd`, `/etc/kubernetes`) and the
    /// runtime sockets. Replace the list in `.vigie.yaml`:
    /// ```yaml
    /// rules:
    ///   K8S011:
    ///     sensitive_paths: [/, /etc, /var/run/docker.sock, /opt/agent/keys]
    /// ```
    ///
    /// ## Why it matters
    /// These paths hold the node's credentials and control surfaces. The
    /// container runtime's socket starts privileged containers on demand; the
    /// kubelet's directory holds its client certificate and every pod's secrets;
    /// `/etc` and `/root` hold keys and let a writer add users or cron jobs;
    /// `/proc`, `/sys` and `/dev` reach the kernel and devices. Mounting one of
    /// them usually amounts to taking over the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: build-agent
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: build-agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: build-agent
    ///     spec:
    ///       containers:
    ///       - name: agent
    ///         image: registry.example.com/build-agent:7.3.0
    ///         volumeMounts:
    ///         - name: docker
    ///           mountPath: /var/run/docker.sock
    ///       volumes:
    ///       - name: docker
    ///         hostPath:
    ///           path: /var/run/docker.sock
    ///           type: Socket
    /// ```
    ///
    /// ## Fix
    /// Do not reach into the node. Build images with a daemonless builder
    /// (BuildKit rootless, Kaniko) in an ordinary pod; read node metrics and logs
    /// through the APIs that expose them.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: build-agent
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: build-agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: build-agent
    ///     spec:
    ///       containers:
    ///       - name: agent
    ///         image: registry.example.com/build-agent:7.3.0
    ///         volumeMounts:
    ///         - name: workspace
    ///           mountPath: /workspace
    ///       volumes:
    ///       - name: workspace
    ///         emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.2.11 (minimize hostPath volumes)
    /// - Kubernetes documentation, "Volumes": hostPath and its security caveats
    pub static RULE = Rule {
        id: "K8S011",
        name: "sensitive-host-path",
        severity: Severity::High,
        summary: "Volume mounts a sensitive path of the node",
        frameworks: &[],
        parameters: &[Parameter {
            name: "sensitive_paths",
            description: "Node paths that must not be mounted, with everything below them",
            default: ParamDefault::List(SENSITIVE_HOST_PATHS),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let sensitive: Vec<String> = ctx
        .list("sensitive_paths")
        .iter()
        .filter_map(|p| normalize(p))
        .collect();
    if sensitive.is_empty() {
        return;
    }
    let mut report = |entry: &Entry, field: String, what: String| {
        let Some(path) = entry.value.as_str() else {
            return;
        };
        let Some(normalized) = normalize(path) else {
            return;
        };
        let Some(matched) = most_specific(&normalized, &sensitive) else {
            return;
        };
        let why = if matched == normalized {
            "a sensitive path".to_string()
        } else {
            format!("under the sensitive path {matched:?}")
        };
        out.report(
            entry.span(),
            field,
            format!("{what} mounts host path {path:?}, {why}"),
        );
    };
    if resource.group().is_empty() && resource.kind == "PersistentVolume" {
        if let Some(entry) = resource
            .body
            .get_path(&["spec", "hostPath"])
            .and_then(|h| h.entry("path"))
        {
            report(
                entry,
                "spec.hostPath.path".to_string(),
                "PersistentVolume".to_string(),
            );
        }
        return;
    }
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let volumes = pod.spec().get("volumes").map_or(&[][..], Node::items);
    for (index, volume) in volumes.iter().enumerate() {
        let Some(entry) = volume.get("hostPath").and_then(|h| h.entry("path")) else {
            continue;
        };
        let name = volume.get("name").and_then(Node::as_str);
        let selector = name.map_or(index.to_string(), |n| format!("name={n}"));
        report(
            entry,
            pod.field_path(&format!("volumes[{selector}].hostPath.path")),
            format!(
                "volume {}",
                name.map_or_else(|| format!("#{}", index + 1), |n| format!("{n:?}"))
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_at_path_boundaries() {
        let sensitive: Vec<String> = ["/", "/etc", "/etc/kubernetes", "/var/run"]
            .map(String::from)
            .to_vec();
        assert_eq!(most_specific("/", &sensitive), Some("/"));
        assert_eq!(most_specific("/etc", &sensitive), Some("/etc"));
        assert_eq!(
            most_specific("/etc/kubernetes/pki", &sensitive),
            Some("/etc/kubernetes")
        );
        assert_eq!(
            most_specific("/var/run/docker.sock", &sensitive),
            Some("/var/run")
        );
        assert_eq!(most_specific("/etcetera", &sensitive), None);
        assert_eq!(most_specific("/var/log", &sensitive), None);
        assert_eq!(most_specific("/var/running", &sensitive), None);
    }
}
