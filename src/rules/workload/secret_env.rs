use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Containers, init containers and ephemeral containers that read a Secret
    /// into environment variables: each `env[].valueFrom.secretKeyRef` and each
    /// `envFrom[].secretRef`.
    ///
    /// ## Why it matters
    /// Environment variables leak: they are inherited by every child process,
    /// printed by crash handlers and debug endpoints, captured in core dumps and
    /// shown by `kubectl describe`-style tooling. They are also fixed at start, so
    /// a rotated secret needs a restart. A Secret mounted as a file is readable
    /// only through the filesystem, with its own permissions, and is updated in
    /// place when the Secret changes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:2.0.0
    ///     env:
    ///     - name: DATABASE_PASSWORD
    ///       valueFrom:
    ///         secretKeyRef:
    ///           name: worker-db
    ///           key: password
    ///     envFrom:
    ///     - secretRef:
    ///         name: worker-api-keys
    /// ```
    ///
    /// ## Fix
    /// Mount the Secret as a volume and have the application read the file.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:2.0.0
    ///     env:
    ///     - name: DATABASE_PASSWORD_FILE
    ///       value: /etc/worker/db/password
    ///     volumeMounts:
    ///     - name: db
    ///       mountPath: /etc/worker/db
    ///       readOnly: true
    ///   volumes:
    ///   - name: db
    ///     secret:
    ///       secretName: worker-db
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.4.1 (prefer Secrets as files over environment
    ///   variables)
    /// - Kubernetes documentation, "Secrets" and "Good practices for Kubernetes
    ///   Secrets"
    pub static RULE = Rule {
        id: "K8S009",
        name: "secret-in-environment",
        severity: Severity::Medium,
        summary: "Secret is exposed through environment variables",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers() {
        let env = container.node.get("env").map_or(&[][..], Node::items);
        for (index, variable) in env.iter().enumerate() {
            let Some(entry) = variable
                .get("valueFrom")
                .and_then(|v| v.entry("secretKeyRef"))
                .filter(|e| !e.value.is_null())
            else {
                continue;
            };
            let name = variable.get("name").and_then(Node::as_str);
            let selector = name.map_or(index.to_string(), |n| format!("name={n}"));
            let text = |key: &str| entry.value.get(key).and_then(Node::as_str).unwrap_or("?");
            out.report(
                entry.span(),
                container.field_path(&format!("env[{selector}].valueFrom.secretKeyRef")),
                format!(
                    "{} reads key {:?} of secret {:?} into environment variable {}",
                    container.label(),
                    text("key"),
                    text("name"),
                    name.map_or_else(|| format!("#{}", index + 1), |n| format!("{n:?}"))
                ),
            );
        }
        let env_from = container.node.get("envFrom").map_or(&[][..], Node::items);
        for (index, source) in env_from.iter().enumerate() {
            let Some(entry) = source.entry("secretRef").filter(|e| !e.value.is_null()) else {
                continue;
            };
            let secret = entry
                .value
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or("?");
            out.report(
                entry.span(),
                container.field_path(&format!("envFrom[{index}].secretRef")),
                format!(
                    "{} loads every key of secret {secret:?} into environment variables",
                    container.label()
                ),
            );
        }
    }
}
