//! Attack paths: chains of facts, across resources, that together let an
//! attacker go from outside the cluster to control of it.

mod exposed_dangerous_workload;

use super::Rule;

/// The attack path rules, in ID order.
pub static RULES: &[&Rule] = &[&exposed_dangerous_workload::RULE];

/// Host paths that give control of the node when mounted: the node's
/// configuration, kernel interfaces, the kubelet's and container runtimes'
/// state and sockets.
pub(crate) const SENSITIVE_HOST_PATHS: &[&str] = &[
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

/// Whether a host path is one of `sensitive` or lies below one of them (`/` only
/// matches itself). Repeated and trailing slashes are ignored.
pub(crate) fn is_sensitive_host_path(path: &str, sensitive: &[String]) -> bool {
    let normalize = |p: &str| -> String {
        let parts: Vec<&str> = p
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        format!("/{}", parts.join("/"))
    };
    let path = normalize(path);
    sensitive.iter().any(|entry| {
        let entry = normalize(entry);
        path == entry || (entry != "/" && path.starts_with(&format!("{entry}/")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_paths_match_themselves_and_below() {
        let list: Vec<String> = SENSITIVE_HOST_PATHS.iter().map(|s| s.to_string()).collect();
        assert!(is_sensitive_host_path("/", &list));
        assert!(is_sensitive_host_path("//etc/ssl/", &list));
        assert!(is_sensitive_host_path("/var/run/docker.sock", &list));
        assert!(!is_sensitive_host_path("/var/log", &list));
        assert!(!is_sensitive_host_path("/data/app", &list));
        assert!(!is_sensitive_host_path("/etcd-data", &list));
    }
}
