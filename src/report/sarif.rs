//! SARIF 2.1.0, as GitHub code scanning reads it: one run, full rule metadata,
//! results located on the offending field, stable partial fingerprints, and
//! input problems as tool execution notifications.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Scan;
use crate::diagnostic::DiagnosticLevel;
use crate::frameworks;
use crate::rules::{ActiveRule, Severity, SuppressionKind};
use crate::source::{Position, SourceMap};

mod taxonomy;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    column_kind: &'static str,
    artifacts: Vec<Artifact<'a>>,
    results: Vec<ResultOut<'a>>,
    invocations: [Invocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    taxonomies: Vec<taxonomy::Taxonomy>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relationships: Vec<taxonomy::Relationship>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    location: ArtifactLocation,
    length: usize,
    hashes: BTreeMap<&'static str, &'a str>,
    roles: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [LocationOut<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SuppressionOut<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionOut<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    location: LocationOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<SuppressionProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut<'a> {
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    physical_location: PhysicalLocation<'a>,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    severity: Severity,
    field: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    variants: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    value_set: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Text,
    descriptor: Descriptor,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<LocationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<NotificationProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationProperties<'a> {
    value_set: &'a str,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

/// SARIF level of a severity: what GitHub shows as error, warning or note.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// Renders the scan as a SARIF log, ending with a newline.
pub fn render(scan: &Scan) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(scan, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the report to `out` as it is serialized, without building it in
/// memory first.
pub fn write(scan: &Scan, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rule_index: BTreeMap<&str, usize> = scan
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rule.id, i))
        .collect();
    let results = scan
        .findings
        .iter()
        .map(|f| {
            let file = scan.sources.get(f.span.file);
            let span = file.clamp(f.span);
            let resource = &f.resource;
            let qualified = match &resource.namespace {
                Some(ns) => format!(
                    "{}/{ns}/{}",
                    resource.kind,
                    resource.name.as_deref().unwrap_or("")
                ),
                None => format!(
                    "{}/{}",
                    resource.kind,
                    resource.name.as_deref().unwrap_or("")
                ),
            };
            ResultOut {
                rule_id: f.rule.id,
                rule_index: rule_index.get(f.rule.id).copied().unwrap_or(0),
                level: level(f.severity),
                message: Text {
                    text: format!("{} ({})", f.message, resource.display()),
                },
                locations: [LocationOut {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(
                            &file.display,
                            Some(f.span.file.0 as usize),
                        ),
                        region: Some(Region {
                            start_line: span.start.line,
                            start_column: span.start.column,
                            end_line: span.end.line,
                            end_column: span.end.column,
                            snippet: file.line(span.start.line).map(|text| Snippet { text }),
                        }),
                    },
                    logical_locations: vec![LogicalLocation {
                        name: resource.name.clone().unwrap_or_default(),
                        fully_qualified_name: qualified,
                        kind: "resource",
                    }],
                }],
                related_locations: f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        let file = scan.sources.get(related.span.file);
                        let span = file.clamp(related.span);
                        RelatedLocation {
                            id,
                            physical_location: PhysicalLocation {
                                artifact_location: artifact_location(
                                    &file.display,
                                    Some(related.span.file.0 as usize),
                                ),
                                region: Some(Region {
                                    start_line: span.start.line,
                                    start_column: span.start.column,
                                    end_line: span.end.line,
                                    end_column: span.end.column,
                                    snippet: file
                                        .line(span.start.line)
                                        .map(|text| Snippet { text }),
                                }),
                            },
                            message: Text {
                                text: related.message.clone(),
                            },
                        }
                    })
                    .collect(),
                partial_fingerprints: BTreeMap::from([("vigieFinding/v1", f.fingerprint.as_str())]),
                suppressions: f
                    .suppression
                    .iter()
                    .map(|s| SuppressionOut {
                        kind: match s.kind {
                            SuppressionKind::InSource => "inSource",
                            SuppressionKind::External => "external",
                        },
                        status: "accepted",
                        justification: &s.justification,
                        location: LocationOut {
                            physical_location: PhysicalLocation {
                                artifact_location: artifact_location(&s.path, None),
                                region: Some(point_region(s.position, &scan.sources, &s.path)),
                            },
                            logical_locations: Vec::new(),
                        },
                        properties: (s.approved_by.is_some() || s.expires.is_some()).then_some(
                            SuppressionProperties {
                                approved_by: s.approved_by.as_deref(),
                                expires: s.expires.as_deref(),
                            },
                        ),
                    })
                    .collect(),
                properties: ResultProperties {
                    severity: f.severity,
                    field: &f.field,
                    variants: &f.variants,
                    value_set: f.value_set.as_deref(),
                },
            }
        })
        .collect();
    let notifications = scan
        .diagnostics
        .iter()
        .map(|d| Notification {
            level: match d.level {
                DiagnosticLevel::Error => "error",
                DiagnosticLevel::Warning => "warning",
                DiagnosticLevel::Note => "note",
            },
            message: Text {
                text: d.message.clone(),
            },
            descriptor: Descriptor {
                id: d.code.as_str(),
            },
            locations: vec![LocationOut {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&d.path, None),
                    region: d.position.map(|p| point_region(p, &scan.sources, &d.path)),
                },
                logical_locations: Vec::new(),
            }],
            properties: d
                .value_set
                .as_deref()
                .map(|value_set| NotificationProperties { value_set }),
        })
        .collect();
    let catalogs = taxonomy::catalogs(&scan.frameworks, &scan.rules);
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "Vigie",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: scan
                        .rules
                        .iter()
                        .map(|r| descriptor(r, &catalogs))
                        .collect(),
                },
            },
            automation_details: AutomationDetails {
                id: automation_id(&scan.frameworks),
            },
            column_kind: "unicodeCodePoints",
            artifacts: scan
                .sources
                .iter()
                // `<command line>` holds the `--var` values: not a file.
                .filter(|(_, file)| !file.display.starts_with('<'))
                .map(|(_, file)| Artifact {
                    location: artifact_location(&file.display, None),
                    length: file.text.len(),
                    hashes: BTreeMap::from([("sha-256", file.sha256())]),
                    roles: ["analysisTarget"],
                })
                .collect(),
            results,
            invocations: [Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            taxonomies: taxonomy::taxonomies(&catalogs),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// Most tags GitHub shows for a rule.
const MAX_TAGS: usize = 10;

fn descriptor<'a>(
    active: &'a ActiveRule,
    catalogs: &[&'static frameworks::Framework],
) -> RuleDescriptor<'a> {
    let rule = active.rule;
    let documentation = rule.documentation();
    // Family and the rule's own profiles, then one control per catalog; the
    // relationships list every control.
    let mut tags = vec!["security".to_string(), rule.family().to_ascii_lowercase()];
    tags.extend(rule.frameworks.iter().map(|f| f.to_string()));
    tags.extend(taxonomy::control_tags(
        rule,
        MAX_TAGS.saturating_sub(tags.len()),
    ));
    RuleDescriptor {
        id: rule.id,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_string(),
        },
        full_description: Text {
            text: first_section(&documentation),
        },
        help: Help {
            text: documentation.clone(),
            markdown: documentation,
        },
        default_configuration: Configuration {
            level: level(active.severity),
        },
        properties: RuleProperties {
            tags,
            precision: "very-high",
            problem_severity: level(active.severity),
            security_severity: active.severity.security_severity(),
        },
        relationships: taxonomy::relationships(rule, catalogs),
    }
}

/// The text of the documentation's first section ("What it checks"), on one line.
fn first_section(documentation: &str) -> String {
    documentation
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .take_while(|l| !l.starts_with('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `vigie/` followed by the frameworks the run was limited to, so that several
/// Vigie analyses of one repository stay apart in code scanning.
fn automation_id(frameworks: &[String]) -> String {
    if frameworks.is_empty() {
        "vigie/all/".to_string()
    } else {
        let mut sorted = frameworks.to_vec();
        sorted.sort();
        sorted.dedup();
        format!("vigie/{}/", sorted.join("+"))
    }
}

fn point_region<'a>(position: Position, sources: &'a SourceMap, path: &str) -> Region<'a> {
    let snippet = sources
        .iter()
        .find(|(_, f)| f.display == path)
        .and_then(|(_, f)| f.line(position.line))
        .map(|text| Snippet { text });
    Region {
        start_line: position.line,
        start_column: position.column,
        end_line: position.line,
        end_column: position.column + 1,
        snippet,
    }
}

/// A location relative to the repository root (`%SRCROOT%`), or an absolute
/// `file://` URI for paths outside the working directory.
fn artifact_location(display: &str, index: Option<usize>) -> ArtifactLocation {
    if display.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(display)),
            uri_base_id: None,
            index,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(display),
            uri_base_id: Some(SRCROOT),
            index,
        }
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_uris() {
        assert_eq!(
            percent_encode("k8s/my app/é.yaml"),
            "k8s/my%20app/%C3%A9.yaml"
        );
        assert_eq!(
            artifact_location("/abs/x.yaml", None).uri,
            "file:///abs/x.yaml"
        );
    }

    #[test]
    fn automation_id_names_frameworks() {
        assert_eq!(automation_id(&[]), "vigie/all/");
        assert_eq!(
            automation_id(&["pss-restricted".into(), "pss-baseline".into()]),
            "vigie/pss-baseline+pss-restricted/"
        );
    }
}
