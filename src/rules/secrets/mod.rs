//! Secrets hygiene: Secret objects committed in plain text, how workloads reach
//! external secret stores, credentials written into environment variables,
//! private keys.

mod committed_secret;
mod credential_env;
mod key_vault_identity;
mod private_key;

use super::Rule;
use crate::model::Resource;
use crate::source::yaml::Node;

/// The secrets rules, in ID order.
pub static RULES: &[&Rule] = &[
    &committed_secret::RULE,
    &key_vault_identity::RULE,
    &credential_env::RULE,
    &private_key::RULE,
];

/// Whether a resource is a core `v1` Secret.
fn is_secret(resource: &Resource) -> bool {
    resource.group().is_empty() && resource.kind == "Secret"
}

/// Whether a document was encrypted with SOPS: it carries SOPS's top-level
/// `sops:` metadata.
fn is_sops_encrypted(resource: &Resource) -> bool {
    resource.body.get("sops").is_some()
}

/// A SOPS ciphertext: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`.
fn is_sops_value(value: &Node) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.starts_with("ENC[") && s.ends_with(']'))
}

/// `${NAME}` alone: a variable replaced at deploy time (Flux post-build
/// substitution, `envsubst`).
fn is_substitution(text: &str) -> bool {
    text.strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| {
            // A default (`${NAME:=value}`) would be a committed value.
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The label of the first PEM private key block in `text`: `RSA PRIVATE KEY`,
/// `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`, …
fn private_key_label(text: &[u8]) -> Option<&str> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut rest = text;
    while let Some(start) = memchr::memmem::find(rest, BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        // A label is short and on one line: `[A-Z0-9 ]+`.
        let label_len = after
            .iter()
            .take(64)
            .take_while(|&&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
            .count();
        let label = &after[..label_len];
        if after[label_len..].starts_with(b"-----")
            && (label.ends_with(b"PRIVATE KEY") || label == b"PGP PRIVATE KEY BLOCK")
        {
            return std::str::from_utf8(label).ok();
        }
        rest = after;
    }
    None
}

/// Decodes standard base64 (as in a Secret's `data`), ignoring whitespace and
/// accepting missing padding; `None` if the text is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut padding = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None; // data after padding
        }
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (padding <= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVs\nbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("aGVsbG8=x"), None);
        assert_eq!(decode_base64("not base64!"), None);
    }

    #[test]
    fn finds_private_key_headers() {
        let key = b"x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE...";
        assert_eq!(private_key_label(key), Some("RSA PRIVATE KEY"));
        let both = b"-----BEGIN CERTIFICATE-----\n...\n-----BEGIN PRIVATE KEY-----\n";
        assert_eq!(private_key_label(both), Some("PRIVATE KEY"));
        let pgp = b"-----BEGIN PGP PRIVATE KEY BLOCK-----";
        assert_eq!(private_key_label(pgp), Some("PGP PRIVATE KEY BLOCK"));
        assert_eq!(private_key_label(b"-----BEGIN PUBLIC KEY-----"), None);
        assert_eq!(private_key_label(b"-----BEGIN PRIVATE KEY"), None);
        assert_eq!(private_key_label(b"-----BEGIN "), None);
    }
}
