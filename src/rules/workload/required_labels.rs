use super::quoted_list;
use crate::model::Resource;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Objects of every kind whose `metadata.labels` lack one of the label keys
    /// listed in the `required_labels` parameter (any value, even empty, counts
    /// as present). One finding per object lists every missing label. Pod
    /// templates are not checked: their labels are the workload's selector
    /// business.
    ///
    /// The rule does nothing until the list is set, in `.vigie.yaml`:
    /// ```yaml
    /// rules:
    ///   K8S012:
    ///     required_labels: [app.kubernetes.io/name, owner]
    /// ```
    ///
    /// ## Why it matters
    /// Ownership and purpose labels are what incident response, cost reports,
    /// policy exceptions and audits rely on to tell who is responsible for an
    /// object. An unlabelled object is one nobody answers for, and it is the
    /// first to be forgotten when it should be patched or removed.
    ///
    /// ## Example
    /// ```yaml
    /// # vigie-params: {"required_labels": ["app.kubernetes.io/name", "owner"]}
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: checkout-settings
    ///   labels:
    ///     app.kubernetes.io/name: checkout
    /// data:
    ///   currency: EUR
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # vigie-params: {"required_labels": ["app.kubernetes.io/name", "owner"]}
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: checkout-settings
    ///   labels:
    ///     app.kubernetes.io/name: checkout
    ///     owner: team-payments
    /// data:
    ///   currency: EUR
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Labels and Selectors"
    /// - Kubernetes documentation, "Recommended Labels" (`app.kubernetes.io/*`)
    pub static RULE = Rule {
        id: "K8S012",
        name: "required-labels-missing",
        severity: Severity::Low,
        summary: "Object lacks required labels",
        frameworks: &[],
        parameters: &[Parameter {
            name: "required_labels",
            description: "Label keys every object must carry; empty disables the rule",
            default: ParamDefault::List(&[]),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let required = ctx.list("required_labels");
    if required.is_empty() {
        return;
    }
    let labels = resource.metadata().and_then(|m| m.entry("labels"));
    // Any value counts: an empty or null one is still the label (the API server
    // stores null as the empty string).
    let present = |key: &str| labels.and_then(|e| e.value.entry(key)).is_some();
    let missing: Vec<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|key| !present(key))
        .collect();
    if missing.is_empty() {
        return;
    }
    let plural = if missing.len() == 1 { "" } else { "s" };
    out.report(
        labels.map_or_else(|| resource.anchor_span(), |e| e.key.span),
        "metadata.labels".to_string(),
        format!(
            "{} lacks the required label{plural} {}",
            resource.kind,
            quoted_list(missing)
        ),
    );
}
