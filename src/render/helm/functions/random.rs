//! Random and cryptographic generators. Helm's output differs on every run;
//! Vigie's must not, so everything here draws from [`Env::seed`] and is
//! marked `generated`. Keys, certificates and bcrypt hashes are
//! well-formed but synthetic: a PEM block of the right type around random
//! bytes, a `$2a$10$` hash of the right length. They do not parse as real
//! keys or verify a password, which is fine for static analysis (a scan
//! looks at where secrets go, not at their bytes).

use std::rc::Rc;

use super::super::value::{GoObject, Value};
use super::arguments::{self, count};
use super::encoding::base64_encode;
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    generated("randAlphaNum", rand_alpha_num),
    generated("randAlpha", rand_alpha),
    generated("randNumeric", rand_numeric),
    generated("randAscii", rand_ascii),
    generated("randInt", rand_int),
    generated("randBytes", rand_bytes),
    generated("shuffle", shuffle),
    generated("uuidv4", uuidv4),
    generated("genPrivateKey", gen_private_key),
    generated("genCA", gen_ca),
    generated("genCAWithKey", gen_ca_with_key),
    generated("genSelfSignedCert", gen_self_signed_cert),
    generated("genSelfSignedCertWithKey", gen_self_signed_cert_with_key),
    generated("genSignedCert", gen_signed_cert),
    generated("genSignedCertWithKey", gen_signed_cert_with_key),
    generated("bcrypt", bcrypt),
    generated("htpasswd", htpasswd),
    FunctionDef {
        name: "buildCustomCert",
        function: build_custom_cert,
        generated: false,
    },
];

const fn generated(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: true,
    }
}

/// The next number of the seeded sequence (SplitMix64).
pub fn next_random(env: &Env) -> u64 {
    let state = env.seed.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
    env.seed.set(state);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `0..bound` (`bound > 0`).
fn below(env: &Env, bound: u64) -> u64 {
    next_random(env) % bound
}

fn random_bytes(env: &Env, n: usize) -> Vec<u8> {
    (0..n).map(|_| next_random(env) as u8).collect()
}

fn random_text(name: &str, env: &Env, args: &[Value], alphabet: &[u8]) -> Result<Value, String> {
    count(name, args, 1)?;
    let n = arguments::int(&args[0])?;
    if n < 0 {
        return Err("runtime error: makeslice: len out of range".to_string());
    }
    if n > 1 << 24 {
        return Err(format!(
            "{name}: {n} characters is more than Vigie generates"
        ));
    }
    let text: String = (0..n)
        .map(|_| alphabet[below(env, alphabet.len() as u64) as usize] as char)
        .collect();
    Ok(Value::string(text))
}

const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn rand_alpha_num(env: &Env, args: &[Value]) -> Result<Value, String> {
    random_text("randAlphaNum", env, args, ALPHANUMERIC)
}

fn rand_alpha(env: &Env, args: &[Value]) -> Result<Value, String> {
    random_text("randAlpha", env, args, LETTERS)
}

fn rand_numeric(env: &Env, args: &[Value]) -> Result<Value, String> {
    random_text("randNumeric", env, args, b"0123456789")
}

fn rand_ascii(env: &Env, args: &[Value]) -> Result<Value, String> {
    let printable: Vec<u8> = (32..=126).collect();
    random_text("randAscii", env, args, &printable)
}

fn rand_int(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("randInt", args, 2)?;
    let min = arguments::int(&args[0])?;
    let max = arguments::int(&args[1])?;
    let span = max.wrapping_sub(min);
    if span <= 0 {
        return Err("invalid argument to Intn".to_string());
    }
    Ok(Value::Int(min + below(env, span as u64) as i64))
}

fn rand_bytes(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("randBytes", args, 1)?;
    let n = arguments::int(&args[0])?;
    if !(0..=1 << 24).contains(&n) {
        return Err("runtime error: makeslice: len out of range".to_string());
    }
    Ok(Value::string(base64_encode(&random_bytes(env, n as usize))))
}

fn shuffle(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("shuffle", args, 1)?;
    let mut chars: Vec<char> = arguments::string(&args[0])?.chars().collect();
    for i in (1..chars.len()).rev() {
        let j = below(env, i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(Value::string(chars.into_iter().collect::<String>()))
}

fn uuidv4(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("uuidv4", args, 0)?;
    let mut bytes = random_bytes(env, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::string(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )))
}

/// A PEM block around `body`, lines of 64 characters as Go's `pem.Encode`.
fn pem(label: &str, body: &[u8]) -> String {
    let encoded = base64_encode(body);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn private_key(env: &Env, kind: &str) -> Option<String> {
    let (label, size) = match kind {
        "rsa" => ("RSA PRIVATE KEY", 1190),
        "dsa" => ("DSA PRIVATE KEY", 440),
        "ecdsa" => ("EC PRIVATE KEY", 121),
        "ed25519" => ("PRIVATE KEY", 48),
        _ => return None,
    };
    Some(pem(label, &random_bytes(env, size)))
}

fn gen_private_key(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genPrivateKey", args, 1)?;
    let kind = arguments::string(&args[0])?;
    Ok(Value::string(
        private_key(env, kind).unwrap_or_else(|| format!("Unknown type {kind}")),
    ))
}

/// Sprig's `certificate` struct: `.Cert` and `.Key`, PEM text.
struct Certificate {
    cert: String,
    key: String,
}

impl GoObject for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::string(self.cert.as_str())),
            "Key" => Some(Value::string(self.key.as_str())),
            _ => None,
        }
    }

    fn method(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }

    fn display(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
}

fn certificate(env: &Env, key: Option<&str>) -> Result<Value, String> {
    let key = match key {
        Some(key) => {
            if !key.contains("-----BEGIN ") {
                return Err("error decoding PEM".to_string());
            }
            key.to_string()
        }
        None => private_key(env, "rsa").unwrap_or_default(),
    };
    let cert = pem("CERTIFICATE", &random_bytes(env, 800));
    Ok(Value::Object(Rc::new(Certificate { cert, key })))
}

/// Checks the common parameters: `cn string`, then `ips`, `alternateDNS`
/// lists where present, then `daysValid int`.
fn certificate_args(args: &[Value], with_lists: bool) -> Result<(), String> {
    arguments::string(&args[0]).map(|_| ())?;
    let days_at = if with_lists {
        for list in &args[1..3] {
            if !matches!(list, Value::List(_) | Value::Nil) {
                return Err(format!(
                    "wrong type for value; expected []interface {{}}; got {}",
                    list.type_name()
                ));
            }
        }
        3
    } else {
        1
    };
    arguments::int(&args[days_at]).map(|_| ())
}

fn gen_ca(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genCA", args, 2)?;
    certificate_args(args, false)?;
    certificate(env, None)
}

fn gen_ca_with_key(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genCAWithKey", args, 3)?;
    certificate_args(args, false)?;
    certificate(env, Some(arguments::string(&args[2])?))
}

fn gen_self_signed_cert(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genSelfSignedCert", args, 4)?;
    certificate_args(args, true)?;
    certificate(env, None)
}

fn gen_self_signed_cert_with_key(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genSelfSignedCertWithKey", args, 5)?;
    certificate_args(args, true)?;
    certificate(env, Some(arguments::string(&args[4])?))
}

fn check_ca(value: &Value) -> Result<(), String> {
    match value {
        Value::Object(object) if object.type_name() == "sprig.certificate" => Ok(()),
        other => Err(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            other.type_name()
        )),
    }
}

fn gen_signed_cert(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genSignedCert", args, 5)?;
    certificate_args(args, true)?;
    check_ca(&args[4])?;
    certificate(env, None)
}

fn gen_signed_cert_with_key(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("genSignedCertWithKey", args, 6)?;
    certificate_args(args, true)?;
    check_ca(&args[4])?;
    certificate(env, Some(arguments::string(&args[5])?))
}

/// `buildCustomCert`: a certificate object from base64-encoded PEM texts.
fn build_custom_cert(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("buildCustomCert", args, 2)?;
    let decode = |value: &Value, what: &str| -> Result<String, String> {
        let text = arguments::string(value)?;
        let bytes = super::encoding::base64_decode(text)
            .map_err(|_| format!("unable to decode base64 {what}"))?;
        let pem = String::from_utf8_lossy(&bytes).into_owned();
        if !pem.contains("-----BEGIN ") {
            return Err(format!("unable to decode {what}"));
        }
        Ok(pem)
    };
    let cert = decode(&args[0], "certificate")?;
    let key = decode(&args[1], "private key")?;
    Ok(Value::Object(Rc::new(Certificate { cert, key })))
}

const BCRYPT_ALPHABET: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn synthetic_bcrypt(env: &Env) -> String {
    let tail: String = (0..53)
        .map(|_| BCRYPT_ALPHABET[below(env, 64) as usize] as char)
        .collect();
    format!("$2a$10${tail}")
}

fn bcrypt(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("bcrypt", args, 1)?;
    arguments::string(&args[0])?;
    Ok(Value::string(synthetic_bcrypt(env)))
}

fn htpasswd(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("htpasswd", args, 2)?;
    let user = arguments::string(&args[0])?;
    arguments::string(&args[1])?;
    if user.contains(':') {
        return Ok(Value::string(format!("invalid username: {user}")));
    }
    Ok(Value::string(format!("{user}:{}", synthetic_bcrypt(env))))
}
