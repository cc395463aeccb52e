use super::image_of;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Images of containers, init containers and ephemeral containers that are
    /// not pinned by a digest (`@sha256:` followed by 64 hexadecimal digits, or
    /// a SHA-384 or SHA-512 digest). A malformed digest pins nothing and is
    /// reported too.
    ///
    /// ## Why it matters
    /// A tag is a movable name: whoever can push to the repository can point it
    /// at other content, and the next pull runs it. A digest names the content
    /// itself, so the image that was reviewed, scanned and signed is the one that
    /// runs on every node, including after a reschedule.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: report
    ///             image: registry.example.com/report:1.8.0
    /// ```
    ///
    /// ## Fix
    /// Add the digest of the reviewed image (`crane digest`, `docker buildx
    /// imagetools inspect` or the registry's UI show it). Keeping the tag next to
    /// the digest documents the version; the digest decides what is pulled.
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: report
    ///             image: registry.example.com/report:1.8.0@sha256:4b6e3c1f0d2a9e8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Images": image names, tags and digests
    /// - OCI Image Specification, "Descriptors": digests and their algorithms
    pub static RULE = Rule {
        id: "K8S002",
        name: "image-not-pinned",
        severity: Severity::Low,
        summary: "Image is not pinned by digest",
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
        let Some((entry, image)) = image_of(&container) else {
            continue;
        };
        if image.is_pinned() {
            continue;
        }
        let written = entry.value.as_str().unwrap_or_default();
        let problem = if image.digest.is_some() {
            "a malformed digest"
        } else {
            "no digest"
        };
        out.report(
            entry.span(),
            container.field_path("image"),
            format!(
                "{} uses image {written:?} with {problem}",
                container.label()
            ),
        );
    }
}
