use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Related, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Pods (and pod templates) that get their service account's API token
    /// mounted: the pod does not set `automountServiceAccountToken: false`, and
    /// neither does its ServiceAccount. The ServiceAccount is looked up in the
    /// pod's namespace among every file of the scan; one that is not in the scan
    /// is taken to leave automounting on, the Kubernetes default. A pod that sets
    /// the field to `true` mounts the token whatever its ServiceAccount says.
    ///
    /// ## Why it matters
    /// The token is a credential for the Kubernetes API, readable by any process
    /// in the pod. Most applications never call the API, yet whoever compromises
    /// one gets the token and every permission bound to the service account, a
    /// first step to reading Secrets or moving to other workloads.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: storefront
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: storefront
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: storefront
    ///     spec:
    ///       serviceAccountName: shop
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/storefront:4.0.2
    /// ```
    ///
    /// ## Fix
    /// Turn automounting off on the ServiceAccount (every pod using it inherits
    /// the setting) or on the pod. A pod that does call the API can mount a
    /// short-lived token explicitly, with a `projected` volume.
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// automountServiceAccountToken: false
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: storefront
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: storefront
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: storefront
    ///     spec:
    ///       serviceAccountName: shop
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/storefront:4.0.2
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.6 (mount service account tokens only where
    ///   needed)
    /// - Kubernetes documentation, "Configure Service Accounts for Pods": opting
    ///   out of API credential automounting
    pub static RULE = Rule {
        id: "K8S007",
        name: "service-account-token-automounted",
        severity: Severity::Medium,
        summary: "Pod mounts its service account token",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const FIELD: &str = "automountServiceAccountToken";

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let pod_setting = pod.spec().entry(FIELD);
    let pod_value = pod_setting.and_then(|e| e.value.as_bool());
    if pod_value == Some(false) {
        return;
    }
    let name = pod.service_account();
    let account = ctx
        .repo
        .find("", "ServiceAccount", resource.namespace.as_deref(), name);
    let account_setting = account.and_then(|sa| sa.body.entry(FIELD));
    if pod_value.is_none() && account_setting.and_then(|e| e.value.as_bool()) == Some(false) {
        return;
    }
    let related = account
        .map(|sa| match account_setting {
            Some(entry) => Related {
                span: entry.span(),
                message: format!(
                    "service account {name:?} sets {FIELD} to {}",
                    entry.value.display_scalar()
                ),
            },
            None => Related {
                span: sa.anchor_span(),
                message: format!("service account {name:?} does not set {FIELD}: false"),
            },
        })
        .into_iter()
        .collect();
    match pod_setting {
        Some(entry) if pod_value == Some(true) => out.report_related(
            entry.span(),
            pod.field_path(FIELD),
            format!("pod sets {FIELD}: true, so the token of service account {name:?} is mounted"),
            related,
        ),
        _ => out.report_related(
            pod.anchor_span(),
            pod.field_path(FIELD),
            format!(
                "the token of service account {name:?} is mounted: neither the pod nor the service account sets {FIELD}: false"
            ),
            related,
        ),
    }
}
