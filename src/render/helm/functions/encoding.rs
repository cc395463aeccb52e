//! Encodings and checksums: base64, base32, SHA-1/256/512, Adler-32.

use sha2::Digest;

pub use crate::source::base64::{decode as base64_decode, encode as base64_encode};

use super::super::value::Value;
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("b64enc", b64enc),
    def("b64dec", b64dec),
    def("b32enc", b32enc),
    def("b32dec", b32dec),
    def("sha1sum", sha1sum),
    def("sha256sum", sha256sum),
    def("sha512sum", sha512sum),
    def("adler32sum", adler32sum),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(BASE32[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut buffer = 0u64;
    let mut bits = 0;
    let mut padding = false;
    let mut seen = 0usize;
    for (offset, c) in text.bytes().enumerate() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        seen += 1;
        if c == b'=' {
            padding = true;
            continue;
        }
        let Some(index) = BASE32.iter().position(|&b| b == c) else {
            return Err(format!("illegal base32 data at input byte {offset}"));
        };
        if padding {
            return Err(format!("illegal base32 data at input byte {offset}"));
        }
        buffer = (buffer << 5) | index as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if !seen.is_multiple_of(8) {
        return Err(format!(
            "illegal base32 data at input byte {}",
            seen / 8 * 8
        ));
    }
    Ok(out)
}

fn b64enc(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("b64enc", args, 1)?;
    Ok(Value::string(base64_encode(
        arguments::string(&args[0])?.as_bytes(),
    )))
}

/// Sprig returns the decoding error as the result text.
fn b64dec(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("b64dec", args, 1)?;
    Ok(Value::string(
        match base64_decode(arguments::string(&args[0])?) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(message) => message,
        },
    ))
}

fn b32enc(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("b32enc", args, 1)?;
    Ok(Value::string(base32_encode(
        arguments::string(&args[0])?.as_bytes(),
    )))
}

fn b32dec(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("b32dec", args, 1)?;
    Ok(Value::string(
        match base32_decode(arguments::string(&args[0])?) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(message) => message,
        },
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha1sum(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("sha1sum", args, 1)?;
    Ok(Value::string(hex(&sha1(
        arguments::string(&args[0])?.as_bytes(),
    ))))
}

fn sha256sum(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("sha256sum", args, 1)?;
    let digest = sha2::Sha256::digest(arguments::string(&args[0])?.as_bytes());
    Ok(Value::string(hex(&digest)))
}

fn sha512sum(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("sha512sum", args, 1)?;
    let digest = sha2::Sha512::digest(arguments::string(&args[0])?.as_bytes());
    Ok(Value::string(hex(&digest)))
}

fn adler32sum(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("adler32sum", args, 1)?;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in arguments::string(&args[0])?.as_bytes() {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    Ok(Value::string(((b << 16) | a).to_string()))
}

/// SHA-1 (FIPS 180-4); small enough to keep rather than add a crate.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}
