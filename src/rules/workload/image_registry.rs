use super::{image_of, quoted_list};
use crate::model::image::{DOCKER_HUB, ImageReference};
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Images of containers, init containers and ephemeral containers whose
    /// registry is not in the `allowed_registries` parameter. An entry is a
    /// registry host (`contoso.azurecr.io`, `localhost:5000`), which allows every
    /// image of that registry, or a host and a path (`contoso.azurecr.io/team-a`),
    /// which allows the images below that path only. Images that name no registry
    /// come from Docker Hub, `docker.io` (official images are `docker.io/library/…`).
    ///
    /// The rule does nothing until the list is set, in `.vigie.yaml`:
    /// ```yaml
    /// rules:
    ///   K8S003:
    ///     allowed_registries: [contoso.azurecr.io, mcr.microsoft.com/oss]
    /// ```
    ///
    /// ## Why it matters
    /// An image from an arbitrary registry has been neither scanned nor approved,
    /// and whoever controls that registry controls what runs in the cluster.
    /// Restricting workloads to the organisation's registries (which mirror and
    /// scan the public images they need) keeps image provenance under control.
    ///
    /// ## Example
    /// ```yaml
    /// # vigie-params: {"allowed_registries": ["contoso.azurecr.io"]}
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    ///   - name: metrics
    ///     image: quay.io/prometheus/nginx-exporter:1.3.0
    /// ```
    ///
    /// ## Fix
    /// Pull through the organisation's registry: import or mirror the public images
    /// there (for Azure, `az acr import`), where they are scanned.
    /// ```yaml
    /// # vigie-params: {"allowed_registries": ["contoso.azurecr.io"]}
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: contoso.azurecr.io/mirror/nginx:1.27.0
    ///   - name: metrics
    ///     image: contoso.azurecr.io/mirror/nginx-exporter:1.3.0
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.5.1 (image provenance)
    /// - Kubernetes documentation, "Images": registries and image names
    pub static RULE = Rule {
        id: "K8S003",
        name: "image-registry-not-allowed",
        severity: Severity::High,
        summary: "Image comes from a registry that is not allowed",
        frameworks: &[],
        parameters: &[Parameter {
            name: "allowed_registries",
            description: "Registries (host, or host/path prefix) images may come from; empty disables the rule",
            default: ParamDefault::List(&[]),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let allowed = ctx.list("allowed_registries");
    if allowed.is_empty() {
        return;
    }
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers() {
        let Some((entry, image)) = image_of(&container) else {
            continue;
        };
        if allowed.iter().any(|a| allows(a, &image)) {
            continue;
        }
        let registry = if image.explicit_registry {
            format!("registry {:?}", image.registry)
        } else {
            format!("registry {:?} (no registry is written)", image.registry)
        };
        out.report(
            entry.span(),
            container.field_path("image"),
            format!(
                "{} uses image {:?} from {registry}, which is not among the allowed registries ({})",
                container.label(),
                entry.value.as_str().unwrap_or_default(),
                quoted_list(allowed.iter().map(String::as_str))
            ),
        );
    }
}

/// Whether an `allowed_registries` entry allows an image: the same registry
/// host (hosts are case-insensitive) and, when the entry has a path, a
/// repository at or below that path.
fn allows(entry: &str, image: &ImageReference) -> bool {
    let entry = entry.trim().trim_end_matches('/');
    let (host, path) = entry.split_once('/').unwrap_or((entry, ""));
    let host = if host.eq_ignore_ascii_case("index.docker.io") {
        DOCKER_HUB
    } else {
        host
    };
    if host.is_empty() || !host.eq_ignore_ascii_case(image.registry) {
        return false;
    }
    if path.is_empty() {
        return true;
    }
    // `docker.io/nginx` and `docker.io/library/nginx` name the same repository.
    let under = |repository: &str| {
        repository
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    under(image.repository) || under(&image.canonical_repository())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(entry: &str, image: &str) -> bool {
        allows(entry, &ImageReference::parse(image).expect("a reference"))
    }

    #[test]
    fn entries_match_hosts_and_path_prefixes() {
        assert!(allowed("contoso.azurecr.io", "contoso.azurecr.io/web:1"));
        assert!(allowed("Contoso.azurecr.io/", "contoso.azurecr.io/a/b/c:1"));
        assert!(allowed(
            "contoso.azurecr.io/team-a",
            "contoso.azurecr.io/team-a/web:1"
        ));
        assert!(allowed(
            "contoso.azurecr.io/team-a",
            "contoso.azurecr.io/team-a:1"
        ));
        assert!(!allowed(
            "contoso.azurecr.io/team-a",
            "contoso.azurecr.io/team-ab/web:1"
        ));
        assert!(!allowed(
            "contoso.azurecr.io",
            "contoso.azurecr.io.evil.example/web:1"
        ));
        assert!(!allowed(
            "contoso.azurecr.io",
            "evil.example/contoso.azurecr.io/web:1"
        ));
        assert!(!allowed("localhost", "localhost:5000/web"));
        assert!(allowed("localhost:5000", "localhost:5000/web"));
    }

    #[test]
    fn docker_hub_is_the_implicit_registry() {
        assert!(allowed("docker.io", "nginx"));
        assert!(allowed("index.docker.io", "bitnami/redis:7"));
        assert!(allowed("docker.io/library", "nginx:1.27"));
        assert!(allowed("docker.io/nginx", "nginx:1.27"));
        assert!(allowed("docker.io/library/nginx", "docker.io/nginx"));
        assert!(allowed("docker.io/bitnami", "bitnami/redis"));
        assert!(!allowed("docker.io/library", "bitnami/redis"));
        assert!(!allowed("contoso.azurecr.io", "nginx"));
        assert!(!allowed("", "nginx"));
    }
}
