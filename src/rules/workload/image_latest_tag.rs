use super::image_of;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Images of containers, init containers and ephemeral containers that name
    /// no tag and no digest (the runtime then pulls `latest`), or that use the
    /// `latest` tag without a digest.
    ///
    /// ## Why it matters
    /// `latest` is whatever was pushed last. Two nodes can run different code for
    /// the same pod, a rollback does not bring the old code back, and nobody can
    /// tell from the manifest what is running. A compromised or careless push
    /// reaches the cluster at the next restart without any change under review.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       initContainers:
    ///       - name: migrate
    ///         image: registry.example.com/web-migrations
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/web:latest
    /// ```
    ///
    /// ## Fix
    /// Tag every image with a release version (and, better, pin it by digest, see
    /// K8S002).
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       initContainers:
    ///       - name: migrate
    ///         image: registry.example.com/web-migrations:2.14.0
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/web:2.14.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Images": image names, tags and the
    ///   `imagePullPolicy` default for `latest`
    /// - Kubernetes documentation, "Configuration Best Practices", Container images
    pub static RULE = Rule {
        id: "K8S001",
        name: "image-latest-tag",
        severity: Severity::Medium,
        summary: "Image has no tag or uses the latest tag",
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
        if image.digest.is_some() {
            continue;
        }
        let problem = match image.tag {
            None => "no tag, so it pulls `latest`",
            Some("latest") => "the `latest` tag",
            Some(_) => continue,
        };
        out.report(
            entry.span(),
            container.field_path("image"),
            format!(
                "{} uses image {:?} with {problem}",
                container.label(),
                entry.value.as_str().unwrap_or_default()
            ),
        );
    }
}
