//! Standard base64 as Go's `encoding/base64` reads and writes it: YAML's
//! `!!binary` scalars and Helm's `b64enc`/`b64dec` share it.

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 decoding, strict about padding as Go's `StdEncoding`;
/// Go skips `\r` and `\n`.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    let mut padding = 0;
    let mut seen = 0usize;
    for (offset, c) in text.bytes().enumerate() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if c == b'=' {
            padding += 1;
            seen += 1;
            continue;
        }
        let Some(index) = BASE64.iter().position(|&b| b == c) else {
            return Err(format!("illegal base64 data at input byte {offset}"));
        };
        if padding > 0 {
            return Err(format!("illegal base64 data at input byte {offset}"));
        }
        seen += 1;
        buffer = (buffer << 6) | index as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if !seen.is_multiple_of(4) || padding > 2 {
        // Go points at the start of the incomplete group.
        return Err(format!(
            "illegal base64 data at input byte {}",
            seen / 4 * 4
        ));
    }
    Ok(out)
}
