use super::{is_secret, is_sops_encrypted, is_sops_value, is_substitution};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::{Node, Value};

declare_rule! {
    /// ## What it checks
    /// Secrets (core API group) with values in `data` or `stringData`: one
    /// finding per field, pointing at its key.
    ///
    /// Not reported:
    /// - Secrets without values (empty or absent `data`, `stringData`, or only
    ///   empty values), such as the empty Secrets some tools fill in at runtime;
    /// - SOPS-encrypted documents (a top-level `sops:` key) and fields whose
    ///   values are all SOPS ciphertexts (`ENC[AES256_GCM,…]`);
    /// - values that are only a substitution variable, `${DB_PASSWORD}`, filled
    ///   in at deploy time (Flux post-build substitution, `envsubst`);
    /// - SealedSecrets, ExternalSecrets and other encrypted or referenced forms,
    ///   which are other kinds.
    ///
    /// ## Why it matters
    /// A Secret manifest in a repository is the secret itself: base64 in `data`
    /// is an encoding, not encryption. Every clone, fork, CI log and backup of the
    /// repository holds it, history keeps it after it is deleted, and rotating
    /// it means rewriting that history or accepting the leak.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: db-credentials
    ///   namespace: shop
    /// type: Opaque
    /// stringData:
    ///   username: shop
    ///   password: s3cr3t-but-not-for-long
    /// ```
    ///
    /// ## Fix
    /// Keep the value in a secret store and let the cluster fetch it (External
    /// Secrets Operator, the Secrets Store CSI driver), or commit it encrypted
    /// (SOPS, Sealed Secrets).
    /// ```yaml
    /// apiVersion: external-secrets.io/v1beta1
    /// kind: ExternalSecret
    /// metadata:
    ///   name: db-credentials
    ///   namespace: shop
    /// spec:
    ///   secretStoreRef:
    ///     kind: ClusterSecretStore
    ///     name: vault
    ///   target:
    ///     name: db-credentials
    ///   data:
    ///   - secretKey: password
    ///     remoteRef:
    ///       key: shop/db
    ///       property: password
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.4.2
    /// - Kubernetes documentation: "Secrets"; "Good practices for Kubernetes
    ///   Secrets"; "Encrypting Confidential Data at Rest"
    pub static RULE = Rule {
        id: "SEC001",
        name: "secret-data-committed",
        severity: Severity::High,
        summary: "Secret manifest holds its values in plain text",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    if !is_secret(resource) || is_sops_encrypted(resource) {
        return;
    }
    for field in ["data", "stringData"] {
        let Some(entry) = resource.body.entry(field) else {
            continue;
        };
        let Some(values) = entry.value.as_map() else {
            continue;
        };
        let count = values.iter().filter(|e| holds_secret(&e.value)).count();
        if count == 0 {
            continue;
        }
        let encoding = if field == "data" {
            " (base64 is not encryption)"
        } else {
            ""
        };
        out.report(
            entry.span(),
            field.to_string(),
            format!(
                "{} holds {count} value{} in {field} in plain text{encoding}",
                resource.display_name(),
                if count == 1 { "" } else { "s" }
            ),
        );
    }
}

/// Whether a value of `data` or `stringData` is a secret in the clear.
fn holds_secret(value: &Node) -> bool {
    match &value.value {
        Value::Null => false,
        Value::Str(text) => !text.is_empty() && !is_sops_value(value) && !is_substitution(text),
        _ => true,
    }
}
