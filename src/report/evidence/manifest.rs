//! `manifest.sha256`: the SHA-256 of every report file and every scanned input,
//! in the format `sha256sum -c` reads.
//!
//! Report files are named relative to the bundle directory, inputs relative to
//! the working directory of the run (the scan root), so:
//! `cd DIR && sha256sum -c --ignore-missing manifest.sha256` checks the reports,
//! and `cd ROOT && sha256sum -c --ignore-missing DIR/manifest.sha256` checks the
//! inputs. Report files come first, inputs follow in path order.

use super::Input;

/// The manifest text.
pub fn render(inputs: &[Input], reports: &[(&'static str, Vec<u8>)]) -> String {
    let mut text = String::new();
    for (name, bytes) in reports {
        line(&mut text, &crate::source::sha256_hex(bytes), name);
    }
    for input in inputs {
        line(&mut text, &input.sha256, &input.path);
    }
    text
}

/// `HASH  NAME`; a name holding a backslash or a line break is escaped and the
/// line starts with a backslash, as GNU `sha256sum` writes it.
fn line(text: &mut String, hash: &str, name: &str) {
    if name.contains(['\\', '\n', '\r']) {
        let escaped = name
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        text.push('\\');
        text.push_str(hash);
        text.push_str("  ");
        text.push_str(&escaped);
    } else {
        text.push_str(hash);
        text.push_str("  ");
        text.push_str(name);
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_sha256sum_lines() {
        let inputs = vec![Input {
            path: "a\\b\nc.yaml".to_string(),
            sha256: "00".repeat(32),
        }];
        let text = render(&inputs, &[("report.md", b"x".to_vec())]);
        assert_eq!(
            text,
            format!(
                "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  report.md\n\\{}  a\\\\b\\nc.yaml\n",
                "00".repeat(32)
            )
        );
    }
}
