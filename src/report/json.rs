//! Machine-readable output. The schema is documented in `docs/json-output.md`
//! and `docs/scan-output.schema.json`; field names only change with
//! [`FORMAT_VERSION`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Scan;
use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::frameworks;
use crate::rules::{ParamValue, ResourceIdentity, Severity, Suppression};
use crate::source::Position;

/// Version of the JSON output format.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    format_version: u32,
    tool: Tool,
    frameworks: &'a [String],
    rules: Vec<RuleOut<'a>>,
    findings: Vec<FindingOut<'a>>,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleOut<'a> {
    id: &'a str,
    name: &'a str,
    severity: Severity,
    summary: &'a str,
    frameworks: Vec<&'static str>,
    controls: Vec<String>,
    parameters: BTreeMap<&'static str, &'a ParamValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingOut<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    location: Location<'a>,
    resource: &'a ResourceIdentity,
    field: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedOut<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    variants: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    value_set: Option<&'a str>,
    frameworks: Vec<&'static str>,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<&'a Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedOut<'a> {
    message: &'a str,
    path: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    path: &'a str,
    start: Position,
    end: Position,
    /// The source line the finding starts on.
    snippet: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    files: usize,
    resources: usize,
    rules: usize,
    /// Open findings (not suppressed).
    findings: usize,
    suppressed: usize,
    in_baseline: usize,
    unchanged: usize,
    by_severity: BTreeMap<&'static str, usize>,
    errors: usize,
    warnings: usize,
    notes: usize,
}

/// Renders the scan as pretty-printed JSON, ending with a newline.
pub fn render(scan: &Scan) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(scan, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the report to `out` as it is serialized, without building it in
/// memory first.
pub fn write(scan: &Scan, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let findings = scan
        .findings
        .iter()
        .map(|f| {
            let file = scan.sources.get(f.span.file);
            let span = file.clamp(f.span);
            FindingOut {
                rule: f.rule.id,
                name: f.rule.name,
                severity: f.severity,
                message: &f.message,
                location: Location {
                    path: &file.display,
                    start: span.start,
                    end: span.end,
                    snippet: file.line(span.start.line).unwrap_or(""),
                },
                resource: &f.resource,
                field: &f.field,
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let span = scan.sources.get(r.span.file).clamp(r.span);
                        RelatedOut {
                            message: &r.message,
                            path: &scan.sources.get(r.span.file).display,
                            start: span.start,
                            end: span.end,
                        }
                    })
                    .collect(),
                variants: &f.variants,
                value_set: f.value_set.as_deref(),
                frameworks: frameworks::of_rule(f.rule),
                fingerprint: &f.fingerprint,
                suppression: f.suppression.as_ref(),
            }
        })
        .collect();
    let count = |level| scan.diagnostics.iter().filter(|d| d.level == level).count();
    let output = Output {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "vigie",
            version: env!("CARGO_PKG_VERSION"),
        },
        frameworks: &scan.frameworks,
        rules: scan
            .rules
            .iter()
            .map(|active| RuleOut {
                id: active.rule.id,
                name: active.rule.name,
                severity: active.severity,
                summary: active.rule.summary,
                frameworks: frameworks::of_rule(active.rule),
                controls: frameworks::controls_of(active.rule),
                parameters: active.params.iter().collect(),
            })
            .collect(),
        findings,
        diagnostics: &scan.diagnostics,
        summary: Summary {
            files: scan.sources.len(),
            resources: scan.resources.len(),
            rules: scan.rules.len(),
            findings: scan.open_findings().count(),
            suppressed: scan
                .findings
                .iter()
                .filter(|f| f.suppression.is_some())
                .count(),
            in_baseline: scan.dropped.in_baseline,
            unchanged: scan.dropped.unchanged,
            by_severity: Severity::ALL
                .iter()
                .map(|&s| {
                    (
                        s.as_str(),
                        scan.open_findings().filter(|f| f.severity == s).count(),
                    )
                })
                .collect(),
            errors: count(DiagnosticLevel::Error),
            warnings: count(DiagnosticLevel::Warning),
            notes: count(DiagnosticLevel::Note),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    out.write_all(b"\n")
}
