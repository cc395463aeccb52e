use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::{Entry, Node};

declare_rule! {
    /// ## What it checks
    /// AppArmor settings that override or disable the runtime's default profile:
    /// - `securityContext.appArmorProfile.type` (pod or container) other than
    ///   `RuntimeDefault` or `Localhost` (for example `Unconfined`, or a profile with
    ///   no type);
    /// - annotations `container.apparmor.security.beta.kubernetes.io/<container>`
    ///   with a value other than `runtime/default`, `localhost/<profile>` or empty.
    ///
    /// ## Why it matters
    /// On nodes with AppArmor, the runtime's default profile blocks writes to
    /// sensitive kernel interfaces and mounts. `Unconfined` removes that layer, so
    /// a compromised process has more of the kernel to attack.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     container.apparmor.security.beta.kubernetes.io/app: unconfined
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       appArmorProfile:
    ///         type: Unconfined
    /// ```
    ///
    /// ## Fix
    /// Leave the default profile in place, or name a profile loaded on the nodes.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     appArmorProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "AppArmor"
    ///   (Pod Security Admission check `appArmorProfile`)
    pub static RULE = Rule {
        id: "PSS007",
        name: "apparmor-profile-overridden",
        severity: Severity::Medium,
        summary: "AppArmor profile set to something other than the runtime default or a local profile",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The `appArmorProfile` entry when it sets a forbidden type, and that type.
fn forbidden_profile(security_context: Option<&Node>) -> Option<(&Entry, String)> {
    let profile = security_context?.entry("appArmorProfile")?;
    if profile.value.is_null() {
        return None;
    }
    match profile.value.entry("type") {
        Some(kind) => match kind.value.as_str() {
            Some("RuntimeDefault" | "Localhost") => None,
            _ => Some((kind, kind.value.display_scalar())),
        },
        None => Some((profile, "(none)".to_string())),
    }
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if let Some((entry, value)) = forbidden_profile(pod.security_context()) {
        out.report(
            entry.span(),
            pod.field_path("securityContext.appArmorProfile.type"),
            format!("pod sets AppArmor profile type {value}"),
        );
    }
    for container in pod.containers() {
        if let Some((entry, value)) = forbidden_profile(container.security_context()) {
            out.report(
                entry.span(),
                container.field_path("securityContext.appArmorProfile.type"),
                format!("{} sets AppArmor profile type {value}", container.label()),
            );
        }
    }
    for (key, entry) in pod.annotations() {
        if !key.starts_with(ANNOTATION_PREFIX) {
            continue;
        }
        // A null annotation value reads as "" in a map of strings.
        let allowed = entry.value.is_null()
            || entry.value.as_str().is_some_and(|v| {
                v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")
            });
        if !allowed {
            let metadata_path = pod.path.strip_suffix("spec").unwrap_or_default();
            out.report(
                entry.span(),
                format!("{metadata_path}metadata.annotations[{key}]"),
                format!(
                    "annotation {key} sets AppArmor profile {}",
                    entry.value.display_scalar()
                ),
            );
        }
    }
}
