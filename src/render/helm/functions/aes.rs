//! `encryptAES` and `decryptAES`: AES-256-CBC with PKCS#7 padding, the key
//! being the password's bytes zero-padded to 32, the IV prepended, all in
//! base64, as Sprig does. Decryption is exact; encryption draws its IV from
//! the seeded generator (Helm's differs every run) and is marked generated,
//! but what it produces decrypts with Helm's `decryptAES`. AES itself
//! (FIPS-197) is written here rather than adding a crate for two functions.

use super::super::value::Value;
use super::arguments::{self, count};
use super::encoding::{base64_decode, base64_encode};
use super::random::next_random;
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "encryptAES",
        function: encrypt_aes,
        generated: true,
    },
    def("decryptAES", decrypt_aes),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// AES-256 with its expanded key and S-boxes.
struct Aes256 {
    round_keys: [[u8; 16]; 15],
    sbox: [u8; 256],
    inverse: [u8; 256],
}

fn xtime(b: u8) -> u8 {
    (b << 1) ^ if b & 0x80 != 0 { 0x1b } else { 0 }
}

fn multiply(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    product
}

/// The S-box from its definition: the multiplicative inverse in GF(2^8)
/// followed by the affine map.
fn substitution_boxes() -> ([u8; 256], [u8; 256]) {
    let mut sbox = [0u8; 256];
    let mut inverse = [0u8; 256];
    for x in 0..=255u8 {
        let inv = if x == 0 {
            0
        } else {
            (1..=255u8).find(|&y| multiply(x, y) == 1).unwrap_or(0)
        };
        let s = inv
            ^ inv.rotate_left(1)
            ^ inv.rotate_left(2)
            ^ inv.rotate_left(3)
            ^ inv.rotate_left(4)
            ^ 0x63;
        sbox[usize::from(x)] = s;
        inverse[usize::from(s)] = x;
    }
    (sbox, inverse)
}

impl Aes256 {
    fn new(key: &[u8; 32]) -> Aes256 {
        let (sbox, inverse) = substitution_boxes();
        let mut words = [[0u8; 4]; 60];
        for (i, word) in words.iter_mut().take(8).enumerate() {
            word.copy_from_slice(&key[4 * i..4 * i + 4]);
        }
        let mut rcon = 1u8;
        for i in 8..60 {
            let mut temp = words[i - 1];
            if i % 8 == 0 {
                temp.rotate_left(1);
                temp = temp.map(|b| sbox[usize::from(b)]);
                temp[0] ^= rcon;
                rcon = xtime(rcon);
            } else if i % 8 == 4 {
                temp = temp.map(|b| sbox[usize::from(b)]);
            }
            for (j, byte) in temp.iter().enumerate() {
                words[i][j] = words[i - 8][j] ^ byte;
            }
        }
        let mut round_keys = [[0u8; 16]; 15];
        for (round, key) in round_keys.iter_mut().enumerate() {
            for c in 0..4 {
                key[4 * c..4 * c + 4].copy_from_slice(&words[4 * round + c]);
            }
        }
        Aes256 {
            round_keys,
            sbox,
            inverse,
        }
    }

    fn add_round_key(state: &mut [u8; 16], key: &[u8; 16]) {
        for (byte, k) in state.iter_mut().zip(key) {
            *byte ^= k;
        }
    }

    fn encrypt_block(&self, block: &mut [u8; 16]) {
        Self::add_round_key(block, &self.round_keys[0]);
        for round in 1..15 {
            let shifted: [u8; 16] =
                std::array::from_fn(|i| self.sbox[usize::from(block[(i + 4 * (i % 4)) % 16])]);
            *block = shifted;
            if round != 14 {
                for c in 0..4 {
                    let a: [u8; 4] = std::array::from_fn(|r| block[4 * c + r]);
                    for r in 0..4 {
                        block[4 * c + r] = xtime(a[r])
                            ^ (xtime(a[(r + 1) % 4]) ^ a[(r + 1) % 4])
                            ^ a[(r + 2) % 4]
                            ^ a[(r + 3) % 4];
                    }
                }
            }
            Self::add_round_key(block, &self.round_keys[round]);
        }
    }

    fn decrypt_block(&self, block: &mut [u8; 16]) {
        Self::add_round_key(block, &self.round_keys[14]);
        for round in (0..14).rev() {
            let mut unshifted = [0u8; 16];
            for (i, byte) in block.iter().enumerate() {
                unshifted[(i + 4 * (i % 4)) % 16] = self.inverse[usize::from(*byte)];
            }
            *block = unshifted;
            Self::add_round_key(block, &self.round_keys[round]);
            if round != 0 {
                for c in 0..4 {
                    let a: [u8; 4] = std::array::from_fn(|r| block[4 * c + r]);
                    for r in 0..4 {
                        block[4 * c + r] = multiply(a[r], 14)
                            ^ multiply(a[(r + 1) % 4], 11)
                            ^ multiply(a[(r + 2) % 4], 13)
                            ^ multiply(a[(r + 3) % 4], 9);
                    }
                }
            }
        }
    }
}

fn key_of(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    key
}

fn encrypt_aes(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("encryptAES", args, 2)?;
    let password = arguments::string(&args[0])?;
    let plaintext = arguments::string(&args[1])?;
    if plaintext.is_empty() {
        return Ok(Value::string(""));
    }
    let aes = Aes256::new(&key_of(password));
    let mut content = plaintext.as_bytes().to_vec();
    let padding = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut previous: [u8; 16] = std::array::from_fn(|_| next_random(env) as u8);
    let mut out = previous.to_vec();
    for chunk in content.chunks(16) {
        let mut block: [u8; 16] = std::array::from_fn(|i| chunk[i] ^ previous[i]);
        aes.encrypt_block(&mut block);
        out.extend_from_slice(&block);
        previous = block;
    }
    Ok(Value::string(base64_encode(&out)))
}

fn decrypt_aes(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("decryptAES", args, 2)?;
    let password = arguments::string(&args[0])?;
    let encoded = arguments::string(&args[1])?;
    if encoded.is_empty() {
        return Ok(Value::string(""));
    }
    let data = base64_decode(encoded)?;
    if data.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            data.len()
        ));
    }
    let (iv, cipher) = data.split_at(16);
    if cipher.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".to_string());
    }
    let aes = Aes256::new(&key_of(password));
    let mut previous: [u8; 16] = std::array::from_fn(|i| iv[i]);
    let mut plain = Vec::with_capacity(cipher.len());
    for chunk in cipher.chunks(16) {
        let mut block: [u8; 16] = std::array::from_fn(|i| chunk[i]);
        let saved = block;
        aes.decrypt_block(&mut block);
        plain.extend(block.iter().zip(previous).map(|(b, p)| b ^ p));
        previous = saved;
    }
    let Some(&padding) = plain.last() else {
        return Err("runtime error: index out of range [-1]".to_string());
    };
    let end = plain.len() as i64 - i64::from(padding);
    if end < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{end}]"));
    }
    plain.truncate(end as usize);
    Ok(Value::string(String::from_utf8_lossy(&plain).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_256_matches_fips_197() {
        // FIPS-197 appendix C.3.
        let key: [u8; 32] = std::array::from_fn(|i| i as u8);
        let aes = Aes256::new(&key);
        let mut block: [u8; 16] = std::array::from_fn(|i| (i as u8) * 0x11);
        aes.encrypt_block(&mut block);
        let hex: String = block.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "8ea2b7ca516745bfeafc49904b496089");
        aes.decrypt_block(&mut block);
        assert_eq!(block, std::array::from_fn(|i| (i as u8) * 0x11));
    }
}
