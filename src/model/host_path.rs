//! Host paths that give control of the node when a pod mounts them.

/// The node's configuration, kernel interfaces, and the kubelet's and container
/// runtimes' state and sockets.
pub const SENSITIVE_HOST_PATHS: &[&str] = &[
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/boot",
    "/dev",
    "/run",
    "/var/run",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/etc/kubernetes",
    "/var/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
];

/// An absolute path without repeated or trailing slashes, `.` or `..`
/// components; `None` for a relative path.
pub fn normalize(path: &str) -> Option<String> {
    let path = path.trim();
    if !path.starts_with('/') {
        return None;
    }
    let mut components: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                components.pop();
            }
            other => components.push(other),
        }
    }
    Some(format!("/{}", components.join("/")))
}

/// The longest of the (normalized) `sensitive` paths that `path` (normalized)
/// equals or lies below; `/` matches itself only.
pub fn most_specific<'a>(path: &str, sensitive: &'a [String]) -> Option<&'a str> {
    sensitive
        .iter()
        .filter(|entry| {
            path == entry.as_str()
                || (entry.as_str() != "/"
                    && path
                        .strip_prefix(entry.as_str())
                        .is_some_and(|rest| rest.starts_with('/')))
        })
        .max_by_key(|entry| entry.len())
        .map(String::as_str)
}

/// Whether a host path is sensitive, by a list of (unnormalized) paths.
pub fn is_sensitive(path: &str, sensitive: &[String]) -> bool {
    let list: Vec<String> = sensitive.iter().filter_map(|p| normalize(p)).collect();
    normalize(path).is_some_and(|p| most_specific(&p, &list).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("/").as_deref(), Some("/"));
        assert_eq!(
            normalize("//etc//kubernetes/").as_deref(),
            Some("/etc/kubernetes")
        );
        assert_eq!(
            normalize("/var/log/../../etc/./ssl").as_deref(),
            Some("/etc/ssl")
        );
        assert_eq!(normalize("/.."), Some("/".to_string()));
        assert_eq!(normalize("etc"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn sensitive_paths_match_themselves_and_below() {
        let list: Vec<String> = SENSITIVE_HOST_PATHS.iter().map(|s| s.to_string()).collect();
        assert!(is_sensitive("/", &list));
        assert!(is_sensitive("//etc/ssl/", &list));
        assert!(is_sensitive("/var/run/docker.sock", &list));
        assert!(!is_sensitive("/var/log", &list));
        assert!(!is_sensitive("/etcd-data", &list));
    }
}
