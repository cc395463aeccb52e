use super::{decode_base64, is_secret, private_key_label};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::Span;
use crate::source::yaml::{Node, Value};

declare_rule! {
    /// ## What it checks
    /// Private keys anywhere in a resource, in any kind of object: a string value
    /// holding a PEM private key block (`-----BEGIN RSA PRIVATE KEY-----`, `EC`,
    /// `DSA`, `OPENSSH`, `ENCRYPTED`, PKCS#8 `PRIVATE KEY`, or `-----BEGIN PGP
    /// PRIVATE KEY BLOCK-----`), in clear or base64-encoded. Base64 is decoded in
    /// every value of a Secret's `data`, and elsewhere in values that start like
    /// an encoded PEM block (`LS0tLS1CRUdJT…`), such as a kubeconfig's
    /// `client-key-data`. The finding points at the field holding the key.
    ///
    /// Certificates and public keys are not reported. Passphrase-protected
    /// (`ENCRYPTED`) keys are: they are only as strong as the passphrase, which
    /// usually sits next to them.
    ///
    /// ## Why it matters
    /// A private key lets its holder impersonate the server, sign as the user or
    /// log in as the account it belongs to, for as long as the matching
    /// certificate or public key is trusted. Once committed, it is in every copy
    /// of the repository's history and must be considered compromised: revoking
    /// and replacing it is the only fix.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: web-tls
    /// type: kubernetes.io/tls
    /// stringData:
    ///   tls.crt: |
    ///     -----BEGIN CERTIFICATE-----
    ///     MIIBszCCAVmgAwIBAgIUEXAMPLE
    ///     -----END CERTIFICATE-----
    ///   tls.key: |
    ///     -----BEGIN EC PRIVATE KEY-----
    ///     MHcCAQEEIEXAMPLEONLYNOTAREALKEY
    ///     -----END EC PRIVATE KEY-----
    /// ```
    ///
    /// ## Fix
    /// Let cert-manager issue the key inside the cluster, or keep it in a secret
    /// store and sync it with the External Secrets Operator or the Secrets Store
    /// CSI driver.
    /// ```yaml
    /// apiVersion: cert-manager.io/v1
    /// kind: Certificate
    /// metadata:
    ///   name: web-tls
    /// spec:
    ///   secretName: web-tls
    ///   dnsNames: ["www.example.com"]
    ///   issuerRef:
    ///     kind: ClusterIssuer
    ///     name: letsencrypt
    ///   privateKey:
    ///     algorithm: ECDSA
    ///     size: 256
    /// ```
    ///
    /// ## References
    /// - CWE-321: Use of Hard-coded Cryptographic Key
    /// - Kubernetes documentation: "Good practices for Kubernetes Secrets";
    ///   "Secrets" (TLS Secrets)
    /// - RFC 7468 (textual encodings of PKIX and PKCS structures: the PEM labels)
    pub static RULE = Rule {
        id: "SEC004",
        name: "private-key-committed",
        severity: Severity::Critical,
        summary: "Resource holds a private key",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// How a base64-encoded PEM block starts (`-----BEGI`, encoded).
const ENCODED_PEM: &str = "LS0tLS1CRUdJT";

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let secret_data = is_secret(resource)
        .then(|| resource.body.get("data"))
        .flatten();
    let mut search = Search {
        resource,
        secret_data,
        out,
    };
    search.walk(&resource.body, String::new(), resource.body.span, false);
}

struct Search<'a, 'f> {
    resource: &'a Resource,
    /// A Secret's `data`, whose values are all base64.
    secret_data: Option<&'a Node>,
    out: &'a mut Findings<'f>,
}

impl Search<'_, '_> {
    /// Looks for keys in `node`, found at `path`; `span` is where to point (the
    /// entry holding the node, or the node). `base64` says the value is encoded.
    fn walk(&mut self, node: &Node, path: String, span: Span, base64: bool) {
        match &node.value {
            Value::Map(entries) => {
                let secret_data = self.secret_data.is_some_and(|d| std::ptr::eq(d, node));
                for entry in entries {
                    let child = join(&path, &entry.key.text);
                    self.walk(&entry.value, child, entry.span(), secret_data);
                }
            }
            Value::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, format!("{path}[{index}]"), item.span, false);
                }
            }
            Value::Str(text) => {
                if let Some(label) = private_key_label(text.as_bytes()) {
                    self.report(span, path, label, "");
                } else if base64 || text.trim_start().starts_with(ENCODED_PEM) {
                    self.check_encoded(text, path, span);
                }
            }
            _ => {}
        }
    }

    /// Decodes a base64 value and reports the private key it holds.
    fn check_encoded(&mut self, text: &str, path: String, span: Span) {
        let Some(decoded) = decode_base64(text) else {
            return;
        };
        if let Some(label) = private_key_label(&decoded) {
            self.report(span, path, label, ", base64-encoded");
        }
    }

    fn report(&mut self, span: Span, path: String, label: &str, encoding: &str) {
        let message = format!(
            "{} holds a private key in {path} ({label}{encoding})",
            self.resource.display_name()
        );
        self.out.report(span, path, message);
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
