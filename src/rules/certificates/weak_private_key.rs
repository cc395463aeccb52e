use crate::model::Resource;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};
use crate::source::yaml::Entry;

declare_rule! {
    /// ## What it checks
    /// cert-manager Certificates (`cert-manager.io`) whose private key is too
    /// small: `spec.privateKey.algorithm` RSA (cert-manager's default) with a
    /// `size` below `min_rsa_bits`, or ECDSA with a `size` below
    /// `min_ecdsa_bits`. An absent or zero `size` means cert-manager's default,
    /// 2048 bits for RSA and 256 for ECDSA, which is reported only if the
    /// minimum is raised above it. Ed25519 keys have a fixed strength and are
    /// not reported. The legacy `spec.keyAlgorithm` and `spec.keySize` fields of
    /// older API versions are read too.
    ///
    /// The finding points at the `size` field, else at the `algorithm`, else at
    /// `privateKey` or `spec`.
    ///
    /// ## Why it matters
    /// The key protects everything the certificate vouches for: whoever can
    /// factor a 1024-bit RSA modulus, which is within reach of well-funded
    /// attackers, can impersonate the service or decrypt recorded traffic that
    /// used RSA key exchange. NIST and the ANSSI ask for at least 2048-bit RSA
    /// and 256-bit elliptic curves, and browsers refuse smaller RSA keys.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: cert-manager.io/v1
    /// kind: Certificate
    /// metadata:
    ///   name: legacy-api
    ///   namespace: shop
    /// spec:
    ///   secretName: legacy-api-tls
    ///   dnsNames: ["legacy-api.shop.example.com"]
    ///   issuerRef:
    ///     kind: ClusterIssuer
    ///     name: internal-ca
    ///   privateKey:
    ///     algorithm: RSA
    ///     size: 1024
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: cert-manager.io/v1
    /// kind: Certificate
    /// metadata:
    ///   name: legacy-api
    ///   namespace: shop
    /// spec:
    ///   secretName: legacy-api-tls
    ///   dnsNames: ["legacy-api.shop.example.com"]
    ///   issuerRef:
    ///     kind: ClusterIssuer
    ///     name: internal-ca
    ///   privateKey:
    ///     algorithm: ECDSA
    ///     size: 256
    ///     rotationPolicy: Always
    /// ```
    ///
    /// ## References
    /// - cert-manager documentation: "Certificate resource" (private key
    ///   algorithm and size)
    /// - NIST SP 800-57 Part 1 and SP 800-131A (key lengths); ANSSI RGS annex B1
    /// - CWE-326: Inadequate Encryption Strength
    pub static RULE = Rule {
        id: "CRT001",
        name: "certificate-weak-private-key",
        severity: Severity::Medium,
        summary: "cert-manager Certificate requests a private key that is too small",
        frameworks: &[],
        parameters: &[
            Parameter {
                name: "min_rsa_bits",
                description: "Smallest RSA key size accepted, in bits",
                default: ParamDefault::Int(2048),
            },
            Parameter {
                name: "min_ecdsa_bits",
                description: "Smallest ECDSA key size (curve size) accepted, in bits",
                default: ParamDefault::Int(256),
            },
        ],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    if resource.group() != "cert-manager.io" || resource.kind != "Certificate" {
        return;
    }
    let Some(spec_entry) = resource.body.entry("spec") else {
        return;
    };
    let spec = &spec_entry.value;
    let private_key = spec.entry("privateKey").filter(|e| !e.value.is_null());
    let field = |key: &str, legacy: &str| -> Option<(&Entry, String)> {
        let in_private_key = private_key
            .and_then(|p| p.value.entry(key))
            .map(|e| (e, format!("spec.privateKey.{key}")));
        in_private_key
            .or_else(|| spec.entry(legacy).map(|e| (e, format!("spec.{legacy}"))))
            .filter(|(e, _)| !e.value.is_null())
    };
    let algorithm = field("algorithm", "keyAlgorithm");
    let size = field("size", "keySize");
    let name = match algorithm.as_ref().map(|(e, _)| e.value.as_str()) {
        None => "RSA",
        Some(Some(name)) => name,
        Some(None) => return,
    };
    let (label, minimum, default) = if name.eq_ignore_ascii_case("RSA") {
        ("RSA", ctx.int("min_rsa_bits"), 2048)
    } else if name.eq_ignore_ascii_case("ECDSA") {
        ("ECDSA", ctx.int("min_ecdsa_bits"), 256)
    } else {
        return;
    };
    let written = match &size {
        Some((entry, _)) => match entry.value.as_i64() {
            Some(bits) => Some(bits).filter(|&b| b != 0),
            None => return, // not a number: cert-manager would refuse it
        },
        None => None,
    };
    let bits = written.unwrap_or(default);
    if bits >= minimum {
        return;
    }
    let (span, path) = match (size.as_ref().or(algorithm.as_ref()), private_key) {
        (Some((entry, path)), _) => (entry.span(), path.clone()),
        (None, Some(entry)) => (entry.key.span, "spec.privateKey".to_string()),
        (None, None) => (spec_entry.key.span, "spec.privateKey".to_string()),
    };
    let how = if written.is_some() {
        "requests"
    } else {
        "gets cert-manager's default"
    };
    out.report(
        span,
        path,
        format!(
            "{} {how} a {bits}-bit {label} private key; at least {minimum} bits are required",
            resource.display_name()
        ),
    );
}
