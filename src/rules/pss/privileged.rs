use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers, init containers and ephemeral containers that set
    /// `securityContext.privileged: true`.
    ///
    /// ## Why it matters
    /// A privileged container gets every Linux capability and the host's devices:
    /// almost nothing separates it from the node. Code running in it can load kernel
    /// modules, read other pods' memory and take over the node, then the secrets and
    /// workloads scheduled there.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// ## Fix
    /// Remove the field or set it to `false`. When the workload needs one kernel
    /// feature, grant that capability alone (and keep it within the Baseline set).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       privileged: false
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Privileged Containers"
    ///   (Pod Security Admission check `privileged`)
    /// - CIS Kubernetes Benchmark 5.2.2; CIS AKS Benchmark 4.2.1
    pub static RULE = Rule {
        id: "PSS001",
        name: "privileged-container",
        severity: Severity::Critical,
        summary: "Container runs privileged",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers() {
        let Some(entry) = container.security_context_entry("privileged") else {
            continue;
        };
        if entry.value.as_bool() == Some(true) {
            out.report(
                entry.span(),
                container.field_path("securityContext.privileged"),
                format!("{} runs privileged", container.label()),
            );
        }
    }
}
