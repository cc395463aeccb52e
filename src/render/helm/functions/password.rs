//! `derivePassword`: the Master Password algorithm as Sprig implements it
//! (scrypt with N=32768, r=8, p=2 over the user name, then HMAC-SHA256 over
//! the site and counter choosing a template and its characters). It is
//! deterministic, so Vigie computes the real password; scrypt, PBKDF2 and
//! HMAC are written here on top of `sha2` rather than pulling more crates.

use sha2::{Digest, Sha256};

use super::super::value::Value;
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[def("derivePassword", derive_password)];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

const SEED: &[u8] = b"com.lyndir.masterpassword";

/// The algorithm's password templates (public specification data).
fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

/// PBKDF2-HMAC-SHA256 with one iteration, as scrypt uses it.
fn pbkdf2_once(password: &[u8], salt: &[u8], length: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(length);
    let mut index = 1u32;
    while out.len() < length {
        let mut message = salt.to_vec();
        message.extend_from_slice(&index.to_be_bytes());
        out.extend_from_slice(&hmac_sha256(password, &message));
        index += 1;
    }
    out.truncate(length);
    out
}

fn salsa20_8(block: &mut [u32; 16]) {
    let mut x = *block;
    for _ in 0..4 {
        let mut quarter = |a: usize, b: usize, c: usize, d: usize| {
            x[b] ^= x[a].wrapping_add(x[d]).rotate_left(7);
            x[c] ^= x[b].wrapping_add(x[a]).rotate_left(9);
            x[d] ^= x[c].wrapping_add(x[b]).rotate_left(13);
            x[a] ^= x[d].wrapping_add(x[c]).rotate_left(18);
        };
        quarter(0, 4, 8, 12);
        quarter(5, 9, 13, 1);
        quarter(10, 14, 2, 6);
        quarter(15, 3, 7, 11);
        quarter(0, 1, 2, 3);
        quarter(5, 6, 7, 4);
        quarter(10, 11, 8, 9);
        quarter(15, 12, 13, 14);
    }
    for (word, mixed) in block.iter_mut().zip(x) {
        *word = word.wrapping_add(mixed);
    }
}

/// scrypt's BlockMix over `2r` 64-byte blocks held as words.
fn block_mix(input: &[u32], output: &mut [u32], r: usize) {
    let mut x = [0u32; 16];
    x.copy_from_slice(&input[(2 * r - 1) * 16..2 * r * 16]);
    for i in 0..2 * r {
        for (slot, word) in x.iter_mut().zip(&input[i * 16..(i + 1) * 16]) {
            *slot ^= word;
        }
        salsa20_8(&mut x);
        // Even blocks go to the first half, odd ones to the second.
        let target = (i / 2 + (i % 2) * r) * 16;
        output[target..target + 16].copy_from_slice(&x);
    }
}

fn ro_mix(block: &mut [u8], n: usize, r: usize) {
    let words = 32 * r;
    let mut x: Vec<u32> = block
        .chunks(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut v = vec![0u32; n * words];
    let mut scratch = vec![0u32; words];
    for i in 0..n {
        v[i * words..(i + 1) * words].copy_from_slice(&x);
        block_mix(&x, &mut scratch, r);
        std::mem::swap(&mut x, &mut scratch);
    }
    for _ in 0..n {
        let j = x[(2 * r - 1) * 16] as usize % n;
        for (word, saved) in x.iter_mut().zip(&v[j * words..(j + 1) * words]) {
            *word ^= saved;
        }
        block_mix(&x, &mut scratch, r);
        std::mem::swap(&mut x, &mut scratch);
    }
    for (chunk, word) in block.chunks_mut(4).zip(x) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
}

/// scrypt (RFC 7914).
fn scrypt(password: &[u8], salt: &[u8], n: usize, r: usize, p: usize, length: usize) -> Vec<u8> {
    let mut b = pbkdf2_once(password, salt, p * 128 * r);
    for chunk in b.chunks_mut(128 * r) {
        ro_mix(chunk, n, r);
    }
    pbkdf2_once(password, &b, length)
}

fn derive_password(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("derivePassword", args, 5)?;
    let counter = arguments::int(&args[0])? as u32;
    let kind = arguments::string(&args[1])?;
    let password = arguments::string(&args[2])?;
    let user = arguments::string(&args[3])?;
    let site = arguments::string(&args[4])?;
    let Some(templates) = templates(kind) else {
        return Ok(Value::string(format!(
            "cannot find password template {kind}"
        )));
    };
    let mut salt = SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let key = scrypt(password.as_bytes(), &salt, 32768, 8, 2, 64);
    let mut message = SEED.to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let seed = hmac_sha256(&key, &message);
    let template = templates[usize::from(seed[0]) % templates.len()];
    let password: String = template
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let choices = characters(class);
            choices[usize::from(seed[(i + 1) % seed.len()]) % choices.len()] as char
        })
        .collect();
    Ok(Value::string(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrypt_matches_rfc_7914() {
        // RFC 7914 section 12, second vector.
        let key = scrypt(b"password", b"NaCl", 1024, 8, 16, 64);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        );
    }
}
