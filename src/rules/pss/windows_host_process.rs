use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Pods or containers that set `securityContext.windowsOptions.hostProcess: true`.
    ///
    /// ## Why it matters
    /// A Windows HostProcess container runs directly on the Windows node, as a host
    /// process with access to the node's network, files and processes. It is the
    /// Windows equivalent of a privileged container: there is no isolation left.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   template:
    ///     spec:
    ///       securityContext:
    ///         windowsOptions:
    ///           hostProcess: true
    ///           runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///       hostNetwork: true
    ///       containers:
    ///       - name: agent
    ///         image: registry.example.com/agent:2.0.1
    /// ```
    ///
    /// ## Fix
    /// Run the workload as a regular Windows container. Node-level agents that truly
    /// need host access belong in a dedicated, tightly controlled namespace that is
    /// exempted on purpose, not in application namespaces.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: agent
    ///         image: registry.example.com/agent:2.0.1
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "HostProcess"
    ///   (Pod Security Admission check `windowsHostProcess`)
    /// - CIS Kubernetes Benchmark 5.2.10
    pub static RULE = Rule {
        id: "PSS002",
        name: "windows-host-process",
        severity: Severity::Critical,
        summary: "Pod or container runs as a Windows HostProcess container",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn host_process(security_context: Option<&Node>) -> Option<&crate::source::yaml::Entry> {
    let entry = security_context?
        .get("windowsOptions")?
        .entry("hostProcess")?;
    (entry.value.as_bool() == Some(true)).then_some(entry)
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if let Some(entry) = host_process(pod.security_context()) {
        out.report(
            entry.span(),
            pod.field_path("securityContext.windowsOptions.hostProcess"),
            "pod runs as a Windows HostProcess pod".to_string(),
        );
    }
    for container in pod.containers() {
        if let Some(entry) = host_process(container.security_context()) {
            out.report(
                entry.span(),
                container.field_path("securityContext.windowsOptions.hostProcess"),
                format!(
                    "{} runs as a Windows HostProcess container",
                    container.label()
                ),
            );
        }
    }
}
