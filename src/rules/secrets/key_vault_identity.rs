use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::{Entry, Node, Value};

declare_rule! {
    /// ## What it checks
    /// Azure Key Vault `SecretProviderClass` objects (Secrets Store CSI driver,
    /// `provider: azure`) that do not authenticate with workload identity:
    /// - `usePodIdentity: "true"`: AAD pod identity, deprecated and replaced by
    ///   workload identity;
    /// - `useVMManagedIdentity: "true"`: the node pool's managed identity, shared by
    ///   every pod on the node;
    /// - neither, and no `clientID`: a service principal secret, read from a
    ///   Kubernetes Secret (`nodePublishSecretRef`).
    ///
    /// Workload identity is `clientID` set to the client ID of a managed identity
    /// federated with the pod's Kubernetes service account.
    ///
    /// ## Why it matters
    /// With the node's managed identity, any pod on the node can ask for the vault's
    /// secrets; with a service principal, a long-lived credential sits in a
    /// Kubernetes Secret. Workload identity gives each workload its own short-lived,
    /// federated credential, and the vault's access policy can name it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: payments-vault
    ///   namespace: payments
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     keyvaultName: kv-payments-prod
    ///     tenantId: 00000000-0000-0000-0000-000000000000
    ///     useVMManagedIdentity: "true"
    ///     userAssignedIdentityID: 11111111-1111-1111-1111-111111111111
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## Fix
    /// Federate a managed identity with the workload's service account and name it
    /// in `clientID`.
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: payments-vault
    ///   namespace: payments
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     keyvaultName: kv-payments-prod
    ///     tenantId: 00000000-0000-0000-0000-000000000000
    ///     clientID: 22222222-2222-2222-2222-222222222222
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## References
    /// - Azure Kubernetes Service documentation, "Azure Key Vault provider for
    ///   Secrets Store CSI Driver": identity access modes
    /// - CIS Kubernetes Benchmark 5.4.2; CIS AKS Benchmark 4.5.2
    pub static RULE = Rule {
        id: "SEC002",
        name: "key-vault-without-workload-identity",
        severity: Severity::High,
        summary: "Key Vault SecretProviderClass does not use workload identity",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// A `"true"` parameter (parameters are strings; a YAML boolean is read too).
fn is_true(entry: &Entry) -> bool {
    match &entry.value.value {
        Value::Bool(b) => *b,
        Value::Str(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    if resource.kind != "SecretProviderClass" || resource.group() != "secrets-store.csi.x-k8s.io" {
        return;
    }
    let Some(spec) = resource.body.get("spec") else {
        return;
    };
    if spec.get("provider").and_then(Node::as_str) != Some("azure") {
        return;
    }
    let Some(parameters) = spec.entry("parameters") else {
        return;
    };
    let mut flagged = false;
    for (key, what) in [
        (
            "usePodIdentity",
            "AAD pod identity, which workload identity replaces",
        ),
        (
            "useVMManagedIdentity",
            "the node's managed identity, shared by every pod on the node",
        ),
    ] {
        if let Some(entry) = parameters.value.entry(key)
            && is_true(entry)
        {
            flagged = true;
            out.report(
                entry.span(),
                format!("spec.parameters.{key}"),
                format!("the vault is read with {what}"),
            );
        }
    }
    let client_id = parameters
        .value
        .get("clientID")
        .and_then(Node::as_str)
        .is_some_and(|id| !id.trim().is_empty());
    if !flagged && !client_id {
        out.report(
            parameters.key.span,
            "spec.parameters.clientID".to_string(),
            "no clientID: the vault is read with a service principal secret instead of workload identity".to_string(),
        );
    }
}
