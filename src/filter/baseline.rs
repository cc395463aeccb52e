//! Baselines: the findings a team has already seen, recorded by fingerprint so
//! that later scans report only new ones. Fingerprints do not depend on line
//! numbers, so a baseline survives edits elsewhere in the files.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::rules::Finding;

/// Version of the baseline file format.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    vigie_baseline: u32,
    findings: Vec<Entry>,
}

/// What is recorded of a finding: the fingerprint that matches it, and enough
/// for a reviewer to recognise it.
#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    resource: String,
    message: String,
}

/// The fingerprints of a baseline file.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Reads a baseline file written by `--write-baseline`.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("invalid baseline {}: {e}", path.display()))?;
        if file.vigie_baseline != FORMAT {
            return Err(format!(
                "baseline {} has format {}, this Vigie reads format {FORMAT}",
                path.display(),
                file.vigie_baseline
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    pub fn contains(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint)
    }
}

/// The baseline file for these findings, as JSON text.
pub fn render(findings: &[Finding], path_of: impl Fn(&Finding) -> String) -> String {
    let file = File {
        vigie_baseline: FORMAT,
        findings: findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.id.to_string(),
                path: path_of(f),
                resource: f.resource.display(),
                message: f.message.clone(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}
