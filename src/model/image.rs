//! Container image references (`registry.example.com/team/web:1.4@sha256:…`),
//! read the way container runtimes read them (the `distribution/reference`
//! grammar Docker, containerd and CRI-O share).

/// The registry of images whose reference names none.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference. Parsing is lenient: it splits what is written and
/// leaves validation to the rules that care (a malformed digest, for example,
/// does not pin anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReference<'a> {
    /// Registry host, with its port if written; [`DOCKER_HUB`] when the
    /// reference names no registry (`index.docker.io` is read as Docker Hub too).
    pub registry: &'a str,
    /// Whether the registry was written in the reference.
    pub explicit_registry: bool,
    /// Repository path below the registry, as written (`nginx`, `team/web`).
    pub repository: &'a str,
    /// The tag, when written and not empty.
    pub tag: Option<&'a str>,
    /// The digest after `@`, when written (`sha256:…`).
    pub digest: Option<&'a str>,
}

impl<'a> ImageReference<'a> {
    /// Splits a reference into registry, repository, tag and digest; `None` when
    /// there is no repository to name (an empty or blank string, `:tag` alone).
    pub fn parse(text: &'a str) -> Option<Self> {
        let text = text.trim();
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (text, None),
        };
        // A tag follows the last `/`; a `:` before it belongs to a registry port.
        let last_component = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_component..].find(':') {
            Some(i) => (
                &name[..last_component + i],
                Some(&name[last_component + i + 1..]),
            ),
            None => (name, None),
        };
        let (registry, repository, explicit_registry) = match name.split_once('/') {
            Some((first, rest)) if is_registry_host(first) => (first, rest, true),
            _ => (DOCKER_HUB, name, false),
        };
        if repository.is_empty() {
            return None;
        }
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB
        } else {
            registry
        };
        Some(ImageReference {
            registry,
            explicit_registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        })
    }

    /// The repository as Docker Hub names it: one-component Docker Hub
    /// repositories are official images under `library/`.
    pub fn canonical_repository(&self) -> String {
        if self.registry == DOCKER_HUB && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.to_string()
        }
    }

    /// Whether the reference carries a well-formed digest, which fixes the
    /// exact image content whatever the tag.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some_and(is_valid_digest)
    }
}

/// Whether the first component of a name is a registry host rather than a
/// Docker Hub namespace: it holds a `.` or a `:` (a port), is `localhost`, or
/// has capitals (repository paths are lowercase).
fn is_registry_host(component: &str) -> bool {
    component.contains(['.', ':'])
        || component == "localhost"
        || component.chars().any(|c| c.is_ascii_uppercase())
}

/// A digest in the algorithms registries use: `sha256:` and 64 lowercase
/// hexadecimal digits, or `sha384:` (96) or `sha512:` (128).
pub fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == length && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parts(text: &str) -> (&str, &str, Option<&str>, Option<&str>) {
        let image = ImageReference::parse(text).expect("a reference");
        (image.registry, image.repository, image.tag, image.digest)
    }

    #[test]
    fn implicit_docker_hub() {
        assert_eq!(parts("nginx"), (DOCKER_HUB, "nginx", None, None));
        assert_eq!(
            parts("bitnami/redis:7.2"),
            (DOCKER_HUB, "bitnami/redis", Some("7.2"), None)
        );
        let nginx = ImageReference::parse("nginx").unwrap();
        assert!(!nginx.explicit_registry);
        assert_eq!(nginx.canonical_repository(), "library/nginx");
        let hub = ImageReference::parse("index.docker.io/library/nginx").unwrap();
        assert_eq!((hub.registry, hub.explicit_registry), (DOCKER_HUB, true));
        assert_eq!(hub.canonical_repository(), "library/nginx");
    }

    #[test]
    fn registries_with_ports_and_localhost() {
        assert_eq!(
            parts("localhost:5000/app:dev"),
            ("localhost:5000", "app", Some("dev"), None)
        );
        assert_eq!(parts("localhost/app"), ("localhost", "app", None, None));
        assert_eq!(
            parts("registry.example.com:8443/team/web"),
            ("registry.example.com:8443", "team/web", None, None)
        );
        assert_eq!(
            parts("contoso.azurecr.io/team-a/web:1.2.3"),
            ("contoso.azurecr.io", "team-a/web", Some("1.2.3"), None)
        );
        assert_eq!(parts("Registry/app"), ("Registry", "app", None, None));
    }

    #[test]
    fn tags_and_digests() {
        let pinned = format!("ghcr.io/org/tool:v2@{DIGEST}");
        assert_eq!(
            parts(&pinned),
            ("ghcr.io", "org/tool", Some("v2"), Some(DIGEST))
        );
        assert!(ImageReference::parse(&pinned).unwrap().is_pinned());
        let digest_only = format!("alpine@{DIGEST}");
        assert_eq!(
            parts(&digest_only),
            (DOCKER_HUB, "alpine", None, Some(DIGEST))
        );
        assert!(
            !ImageReference::parse("alpine@sha256:abc")
                .unwrap()
                .is_pinned()
        );
        assert!(!ImageReference::parse("alpine@").unwrap().is_pinned());
        assert!(!ImageReference::parse("alpine:3.20").unwrap().is_pinned());
        assert_eq!(parts("alpine:"), (DOCKER_HUB, "alpine", None, None));
    }

    #[test]
    fn rejects_references_without_repository() {
        assert_eq!(ImageReference::parse(""), None);
        assert_eq!(ImageReference::parse("  "), None);
        assert_eq!(ImageReference::parse(":latest"), None);
        assert_eq!(ImageReference::parse("registry.example.com/"), None);
    }

    #[test]
    fn digest_algorithms() {
        assert!(is_valid_digest(DIGEST));
        assert!(is_valid_digest(&format!("sha512:{}", "ab".repeat(64))));
        assert!(!is_valid_digest(&DIGEST.to_uppercase()));
        assert!(!is_valid_digest("md5:0123456789abcdef0123456789abcdef"));
        assert!(!is_valid_digest("0123456789abcdef"));
    }
}
