use super::is_substitution;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Environment variables of containers (init and ephemeral ones included, in
    /// every workload kind) whose name looks like a credential and whose value is
    /// written in the manifest (`value`, not `valueFrom`). The finding points at
    /// the `value` entry.
    ///
    /// A name looks like a credential when one of the `credential_names` ends a
    /// word of it, case-insensitively: words are separated by `_`, `-`, `.` or a
    /// camelCase hump, and a plural `S` is allowed. `DB_PASSWORD`, `dbPassword`,
    /// `MYSQLPASSWORD` and `AWS_CREDENTIALS` match; `TOKENIZER_MODEL` does not.
    /// Names ending with one of the `ignored_suffixes` name where a credential is
    /// rather than what it is (`PASSWORD_FILE: /run/secrets/db`,
    /// `CLIENT_SECRET_NAME: oauth-client`) and are not reported.
    ///
    /// Values that cannot be a credential are not reported either: empty values,
    /// values made only of references to other variables (`$(DB_PASSWORD)`) or of
    /// a deploy-time substitution (`${DB_PASSWORD}`), booleans (`true`, `no`) and
    /// integers (`TOKEN_TTL: "3600"`).
    ///
    /// ## Why it matters
    /// A literal value is in the repository, in every rendered manifest, and in
    /// the Pod object any user allowed to read pods can see, with none of the
    /// access control, audit and rotation a Secret or a secret store provides.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:2.3.0
    ///         env:
    ///         - name: DB_PASSWORD
    ///           value: correct-horse-battery-staple
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:2.3.0
    ///         env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: api-db
    ///               key: password
    /// ```
    ///
    /// ## References
    /// - CWE-798: Use of Hard-coded Credentials
    /// - Kubernetes documentation: "Secrets" (using Secrets as environment
    ///   variables); "Define Environment Variables for a Container"
    /// - No CIS Kubernetes Benchmark control covers literal values (5.4.1 is
    ///   about how Secrets reach containers)
    pub static RULE = Rule {
        id: "SEC003",
        name: "credential-in-env-value",
        severity: Severity::High,
        summary: "Container environment variable holds a literal credential",
        frameworks: &[],
        parameters: &[
            Parameter {
                name: "credential_names",
                description: "Words that make an environment variable name look like a credential (case-insensitive)",
                default: ParamDefault::List(&[
                    "PASSWORD",
                    "PASSWD",
                    "PASSPHRASE",
                    "SECRET",
                    "TOKEN",
                    "API_KEY",
                    "APIKEY",
                    "ACCESS_KEY",
                    "PRIVATE_KEY",
                    "CREDENTIAL",
                    "CONNECTION_STRING",
                    "CLIENT_SECRET",
                ]),
            },
            Parameter {
                name: "ignored_suffixes",
                description: "Name endings that designate a reference to a credential (a file, a Secret's name), not the credential",
                default: ParamDefault::List(&[
                    "_FILE",
                    "_PATH",
                    "_DIR",
                    "_NAME",
                    "_URL",
                    "_URI",
                    "_ENDPOINT",
                    "_HEADER",
                    "_TYPE",
                ]),
            },
        ],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let patterns: Vec<String> = ctx
        .list("credential_names")
        .iter()
        .map(|p| words(p))
        .collect();
    let ignored: Vec<String> = ctx
        .list("ignored_suffixes")
        .iter()
        .map(|s| words(s))
        .collect();
    for container in pod.containers() {
        let env = container.node.get("env").map_or(&[][..], |e| e.items());
        for (index, variable) in env.iter().enumerate() {
            let Some(name) = variable.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let Some(entry) = variable.entry("value") else {
                continue;
            };
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            let name_words = words(name);
            let looks_like_credential = patterns.iter().any(|p| ends_a_word(&name_words, p))
                && !ignored
                    .iter()
                    .any(|s| !s.is_empty() && name_words.ends_with(s.as_str()));
            if !looks_like_credential || !could_be_credential(value) {
                continue;
            }
            out.report(
                entry.span(),
                container.field_path(&format!("env[{index}].value")),
                format!(
                    "{} sets {name} to a literal value; read it from a Secret with valueFrom.secretKeyRef",
                    container.label()
                ),
            );
        }
    }
}

/// A name in upper case with its words separated by `_`: `dbPassword` and
/// `db-password` become `DB_PASSWORD`.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '-' || c == '.' {
            out.push('_');
        } else if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
            out.push(c);
        } else {
            out.push(c.to_ascii_uppercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    out
}

/// Whether `pattern` occurs in `name` and ends one of its words (optionally
/// followed by a plural `S`).
fn ends_a_word(name: &str, pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    name.match_indices(pattern).any(|(at, _)| {
        let rest = &name[at + pattern.len()..];
        let rest = rest
            .strip_prefix('S')
            .filter(|r| r.is_empty() || r.starts_with('_'))
            .unwrap_or(rest);
        rest.is_empty() || rest.starts_with('_')
    })
}

/// Whether a literal value could be a credential, rather than empty, a
/// reference to other variables, a boolean or a number.
fn could_be_credential(value: &str) -> bool {
    let trimmed = value.trim();
    if trimmed.is_empty() || is_substitution(trimmed) || only_variable_references(trimmed) {
        return false;
    }
    let boolean = ["true", "false", "yes", "no", "on", "off"]
        .iter()
        .any(|b| trimmed.eq_ignore_ascii_case(b));
    let integer = trimmed.strip_prefix('-').unwrap_or(trimmed);
    let integer = !integer.is_empty() && integer.bytes().all(|b| b.is_ascii_digit());
    !boolean && !integer
}

/// `$(A)` or `$(A)$(B)`: Kubernetes replaces these with other variables' values.
fn only_variable_references(value: &str) -> bool {
    let mut rest = value;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("$(") else {
            return false;
        };
        let Some(end) = after.find(')') else {
            return false;
        };
        let name = &after[..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            return false;
        }
        rest = &after[end + 1..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_credential_words() {
        let matches = |name: &str, pattern: &str| ends_a_word(&words(name), &words(pattern));
        assert!(matches("DB_PASSWORD", "PASSWORD"));
        assert!(matches("dbPassword", "PASSWORD"));
        assert!(matches("MYSQLPASSWORD", "PASSWORD"));
        assert!(matches("aws-credentials", "CREDENTIAL"));
        assert!(matches("SECRET_KEY_BASE", "SECRET"));
        assert!(matches("stripeApiKey", "API_KEY"));
        assert!(!matches("TOKENIZER_MODEL", "TOKEN"));
        assert!(!matches("PASSWORDLESS", "PASSWORD"));
        assert_eq!(words("APIKey"), "APIKEY");
    }

    #[test]
    fn recognises_values_that_are_no_credentials() {
        assert!(could_be_credential("hunter2"));
        assert!(could_be_credential("$(A)x"));
        assert!(could_be_credential("$$(A)"));
        assert!(!could_be_credential("$(DB_PASSWORD)"));
        assert!(!could_be_credential("$(USER)$(PASS)"));
        assert!(!could_be_credential("${DB_PASSWORD}"));
        assert!(!could_be_credential("3600"));
        assert!(!could_be_credential("False"));
        assert!(!could_be_credential(" "));
    }
}
