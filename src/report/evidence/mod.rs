//! The auditor evidence bundle written by `vigie report`: for each control of
//! the chosen frameworks, whether the repository passes it, the findings that
//! fail it with their source, what was examined when nothing was found, and
//! the register of accepted exceptions. [`build`] gathers this into an
//! [`Evidence`] value; `html`, `markdown` and `json` render it, `manifest`
//! hashes the inputs and the rendered files.
//!
//! Everything in the bundle is a function of the inputs, the command line and
//! the run's time (`SOURCE_DATE_EPOCH` when set), so two runs with the same
//! `SOURCE_DATE_EPOCH` write identical bytes.

mod bundle;
pub mod html;
pub mod json;
pub mod manifest;
pub mod markdown;
pub mod revision;
pub mod scope;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Scan;
use crate::diagnostic::DiagnosticLevel;
use crate::frameworks::{ControlStatus, Framework};
use crate::rules::{self, Finding, Severity, SuppressionKind};
use crate::source::{Position, SourceFile};
pub use bundle::{MANIFEST_FILE, REPORT_FILES, WriteError, render, write};
pub use revision::Revision;
use scope::Scope;

/// Version of the `evidence.json` format.
pub const FORMAT_VERSION: u32 = 1;

/// Lines shown before and after a finding in its source snippet.
const SNIPPET_CONTEXT: u32 = 2;
/// Longest offending value shown, in characters.
const MAX_VALUE: usize = 200;

/// Everything the bundle says, in the order the reports show it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub format_version: u32,
    pub run: Run,
    /// Every file the scan read, sorted by path.
    pub inputs: Vec<Input>,
    pub frameworks: Vec<FrameworkEvidence>,
    /// Every finding, open and accepted, sorted by file, position and rule;
    /// controls refer to them by index.
    pub findings: Vec<FindingEvidence>,
    /// The accepted findings, with who accepted them and why.
    pub exceptions: Vec<ExceptionEntry>,
    /// Problems with the input (errors and warnings; notes are left out).
    pub diagnostics: Vec<DiagnosticEntry>,
}

/// What was run, on what, when.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub vigie_version: &'static str,
    /// UTC, RFC 3339 (`2024-05-01T12:00:00Z`).
    pub generated_at: String,
    /// `source-date-epoch` or `clock`.
    pub time_source: &'static str,
    pub command_line: Vec<String>,
    /// The scanned paths, as given.
    pub paths: Vec<String>,
    pub revision: Option<Revision>,
    pub rule_catalog: RuleCatalog,
    /// IDs of the rules that ran.
    pub rules_run: Vec<&'static str>,
}

/// The rule set of this Vigie build, identified by a hash.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCatalog {
    pub rules: usize,
    /// SHA-256 of every rule's ID, default severity and documentation.
    pub sha256: String,
}

/// A scanned file.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// Relative to the working directory of the run, `/`-separated.
    pub path: String,
    pub sha256: String,
}

/// One framework's controls and their outcome.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameworkEvidence {
    pub id: String,
    pub title: String,
    /// The version of the benchmark or standard the catalog describes
    /// (`v1.8.0`, `2022`, the Pod Security policy version).
    pub version: String,
    /// Who publishes it, and which document.
    pub source: String,
    /// SHA-256 of the catalog as Vigie reads it (controls, their status and
    /// rules), so a report names the exact mapping it was judged against.
    pub catalog_sha256: String,
    pub summary: StatusCounts,
    pub controls: Vec<ControlEvidence>,
}

/// Controls by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    pub pass: usize,
    pub fail: usize,
    pub manual: usize,
    pub not_applicable: usize,
    pub not_checked: usize,
}

impl StatusCounts {
    fn add(&mut self, status: Outcome) {
        match status {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail => self.fail += 1,
            Outcome::Manual => self.manual += 1,
            Outcome::NotApplicable => self.not_applicable += 1,
            Outcome::NotChecked => self.not_checked += 1,
        }
    }

    /// Every control.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.manual + self.not_applicable + self.not_checked
    }
}

/// A control's outcome in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Its rules ran and found nothing open.
    Pass,
    /// At least one open (not accepted) finding.
    Fail,
    /// The catalog says evidence must come from elsewhere.
    Manual,
    /// The catalog says the control does not apply.
    NotApplicable,
    /// None of its rules ran (disabled or filtered out).
    NotChecked,
}

impl Outcome {
    /// `pass`, `fail`, `manual`, `not-applicable`, `not-checked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Manual => "manual",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NotChecked => "not-checked",
        }
    }

    /// For people: `Pass`, `Not applicable`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "Pass",
            Outcome::Fail => "Fail",
            Outcome::Manual => "Manual",
            Outcome::NotApplicable => "Not applicable",
            Outcome::NotChecked => "Not checked",
        }
    }
}

/// One control: its outcome and the rules that evidence it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlEvidence {
    pub id: String,
    pub title: String,
    /// How far the catalog says rules cover it: `automated`, `partial`,
    /// `manual`, `not-applicable`.
    pub coverage: &'static str,
    pub status: Outcome,
    pub note: Option<String>,
    pub rules: Vec<RuleEvidence>,
}

/// One rule's part in a control.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleEvidence {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub severity: Option<Severity>,
    /// Whether the rule ran in this scan.
    pub ran: bool,
    /// What the rule examined (absent when it did not run).
    pub examined: Option<ExaminedEvidence>,
    /// Indices into [`Evidence::findings`] of its open findings.
    pub findings: Vec<usize>,
    /// Indices of its accepted findings.
    pub accepted: Vec<usize>,
}

/// The objects a rule looked at.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExaminedEvidence {
    /// In words: `workloads (objects with a pod template)`.
    pub scope: &'static str,
    pub count: usize,
    /// Kind (or Terraform type) → count.
    pub by_kind: BTreeMap<String, usize>,
}

/// One finding, with the source around it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingEvidence {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub start: Position,
    pub end: Position,
    /// Field path in the resource.
    pub field: String,
    /// `Deployment shop/web`.
    pub resource: String,
    /// The offending text (the span's first line, shortened).
    pub value: String,
    pub snippet: Snippet,
    pub fingerprint: String,
    /// Whether an ignore or an exception accepts it.
    pub accepted: bool,
    /// The controls it concerns, `framework:control`.
    pub controls: Vec<String>,
    /// Other places that explain it (the links of an attack path, the file
    /// that defines the resource an overlay changed).
    pub related: Vec<RelatedEvidence>,
    /// The kustomizations whose output holds it; empty for plain manifests.
    pub variants: Vec<String>,
    /// The named value set of the chart render it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_set: Option<String>,
}

impl FindingEvidence {
    /// The message, with ` [values: prod]` when a named chart render
    /// produced the finding.
    pub fn labelled_message(&self) -> String {
        match &self.value_set {
            Some(set) => format!("{} [values: {set}]", self.message),
            None => self.message.clone(),
        }
    }
}

/// A place that explains a finding.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedEvidence {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Source lines around a finding.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snippet {
    /// Number of the first line shown.
    pub first_line: u32,
    pub lines: Vec<String>,
}

/// An accepted finding: what, who, why, until when, and where that is written.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionEntry {
    /// Index into [`Evidence::findings`].
    pub finding: usize,
    pub rule: &'static str,
    pub path: String,
    pub line: u32,
    pub resource: String,
    /// `in-source` (ignore comment or annotation) or `configuration`.
    pub kind: &'static str,
    pub justification: String,
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// Where the ignore or exception is written.
    pub written_at: WrittenAt,
}

/// A place in a file.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WrittenAt {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// A problem with the input.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticEntry {
    pub level: &'static str,
    pub code: &'static str,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// The run's time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01 UTC.
    pub seconds: i64,
    /// Taken from `SOURCE_DATE_EPOCH` rather than the clock.
    pub from_source_date_epoch: bool,
}

impl Timestamp {
    /// `SOURCE_DATE_EPOCH` when it is set (an error when it is not a number of
    /// seconds), else the current time.
    pub fn now(source_date_epoch: Option<&str>) -> Result<Timestamp, String> {
        if let Some(text) = source_date_epoch.filter(|t| !t.is_empty()) {
            let seconds = text.trim().parse::<i64>().map_err(|_| {
                format!("SOURCE_DATE_EPOCH must be a number of seconds, not {text:?}")
            })?;
            return Ok(Timestamp {
                seconds,
                from_source_date_epoch: true,
            });
        }
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(Timestamp {
            seconds: i64::try_from(seconds).unwrap_or(i64::MAX),
            from_source_date_epoch: false,
        })
    }

    /// `2024-05-01T12:00:00Z`.
    pub fn rfc3339(&self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let rest = self.seconds.rem_euclid(86_400);
        let date = crate::filter::date::Date::from_days(days);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            date.year,
            date.month,
            date.day,
            rest / 3600,
            rest / 60 % 60,
            rest % 60
        )
    }
}

/// What the run knows besides the scan.
#[derive(Clone, Debug)]
pub struct RunInfo {
    pub command_line: Vec<String>,
    pub paths: Vec<String>,
    pub time: Timestamp,
    pub revision: Option<Revision>,
    /// The configuration file read, as (path on disk, display path).
    pub config: Option<(PathBuf, String)>,
}

/// The files a scan read, as (path on disk, display path), sorted by display
/// path: the sources, and the configuration file.
pub fn scanned_files(scan: &Scan, config: Option<&(PathBuf, String)>) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = scan
        .sources
        .iter()
        .map(|(_, file)| (file.path.clone(), file.display.clone()))
        .chain(config.cloned())
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.1 == b.1);
    files
}

/// The controls of a framework as the report judges them: a catalog's own, or
/// for a Pod Security profile, one control per rule of the profile.
fn controls_of(framework: &Framework) -> Vec<ControlView> {
    if !framework.controls.is_empty() {
        return framework
            .controls
            .iter()
            .map(|c| ControlView {
                id: c.id.clone(),
                title: c.title.clone(),
                coverage: c.status,
                note: c.note.clone(),
                rules: c.rules.clone(),
            })
            .collect();
    }
    rules::all()
        .iter()
        .filter(|r| r.frameworks.contains(&framework.id.as_str()))
        .map(|r| ControlView {
            id: r.id.to_string(),
            title: r.summary.to_string(),
            coverage: ControlStatus::Automated,
            note: None,
            rules: vec![r.id.to_string()],
        })
        .collect()
}

/// A control, from a catalog or a profile.
struct ControlView {
    id: String,
    title: String,
    coverage: ControlStatus,
    note: Option<String>,
    rules: Vec<String>,
}

fn coverage_name(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Automated => "automated",
        ControlStatus::Partial => "partial",
        ControlStatus::Manual => "manual",
        ControlStatus::NotApplicable => "not-applicable",
    }
}

/// SHA-256 of fields separated by NUL bytes, in hex.
fn hash_fields<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for field in fields {
        hasher.update(field.as_bytes());
        hasher.update([0]);
    }
    crate::source::hex(&hasher.finalize())
}

/// Hash of every rule's ID, default severity and documentation.
pub fn rule_catalog_sha256() -> String {
    hash_fields(
        rules::all()
            .iter()
            .flat_map(|r| [r.id, r.severity.as_str(), r.doc]),
    )
}

fn catalog_sha256(framework: &Framework, controls: &[ControlView]) -> String {
    let mut fields: Vec<String> = vec![framework.id.clone(), framework.title.clone()];
    for control in controls {
        fields.push(control.id.clone());
        fields.push(control.title.clone());
        fields.push(coverage_name(control.coverage).to_string());
        fields.push(control.rules.join(","));
        fields.push(control.note.clone().unwrap_or_default());
    }
    hash_fields(fields.iter().map(String::as_str))
}

/// Gathers the evidence of a scan for these frameworks.
pub fn build(scan: &Scan, frameworks: &[&Framework], run: RunInfo) -> Evidence {
    let file = |f: &Finding| scan.sources.get(f.span.file);
    let views: Vec<Vec<ControlView>> = frameworks.iter().map(|f| controls_of(f)).collect();
    let mut findings: Vec<FindingEvidence> = scan
        .findings
        .iter()
        .map(|f| finding_evidence(f, file(f), scan))
        .collect();
    let mut examined_by_rule: BTreeMap<&'static str, ExaminedEvidence> = BTreeMap::new();
    for active in &scan.rules {
        let scope = Scope::of(active.rule);
        let examined = scope::examined(scope, &scan.resources, &scan.terraform);
        examined_by_rule.insert(
            active.rule.id,
            ExaminedEvidence {
                scope: scope.description(),
                count: examined.total,
                by_kind: examined.by_kind,
            },
        );
    }
    let mut framework_evidence = Vec::with_capacity(frameworks.len());
    for (framework, controls) in frameworks.iter().zip(&views) {
        let mut summary = StatusCounts::default();
        let mut out = Vec::with_capacity(controls.len());
        for control in controls {
            let evidence = control_evidence(scan, control, &examined_by_rule);
            for rule in &evidence.rules {
                for &index in rule.findings.iter().chain(&rule.accepted) {
                    findings[index]
                        .controls
                        .push(format!("{}:{}", framework.id, control.id));
                }
            }
            summary.add(evidence.status);
            out.push(evidence);
        }
        framework_evidence.push(FrameworkEvidence {
            id: framework.id.clone(),
            title: framework.title.clone(),
            version: framework.version.clone(),
            source: framework.source.clone(),
            catalog_sha256: catalog_sha256(framework, controls),
            summary,
            controls: out,
        });
    }
    let exceptions = scan
        .findings
        .iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let s = f.suppression.as_ref()?;
            Some(ExceptionEntry {
                finding: index,
                rule: f.rule.id,
                path: file(f).display.clone(),
                line: f.span.start.line,
                resource: f.resource.display(),
                kind: match s.kind {
                    SuppressionKind::InSource => "in-source",
                    SuppressionKind::External => "configuration",
                },
                justification: s.justification.clone(),
                approved_by: s.approved_by.clone(),
                expires: s.expires.clone(),
                written_at: WrittenAt {
                    path: s.path.clone(),
                    line: s.position.line,
                    column: s.position.column,
                },
            })
        })
        .collect();
    let config = run.config.clone();
    let inputs = scanned_files(scan, config.as_ref())
        .into_iter()
        .map(|(path, display)| {
            let sha256 = scan
                .sources
                .find(&path)
                .map(|id| scan.sources.get(id).sha256().to_string())
                .or_else(|| {
                    std::fs::read(&path)
                        .ok()
                        .map(|b| crate::source::sha256_hex(&b))
                })
                .unwrap_or_default();
            Input {
                path: display,
                sha256,
            }
        })
        .collect();
    let diagnostics = scan
        .diagnostics
        .iter()
        .filter(|d| d.level != DiagnosticLevel::Note)
        .map(|d| DiagnosticEntry {
            level: d.level.as_str(),
            code: d.code.as_str(),
            path: d.path.clone(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            message: match &d.value_set {
                Some(set) => format!("{} [values: {set}]", d.message),
                None => d.message.clone(),
            },
        })
        .collect();
    Evidence {
        format_version: FORMAT_VERSION,
        run: Run {
            vigie_version: env!("CARGO_PKG_VERSION"),
            generated_at: run.time.rfc3339(),
            time_source: if run.time.from_source_date_epoch {
                "source-date-epoch"
            } else {
                "clock"
            },
            command_line: run.command_line,
            paths: run.paths,
            revision: run.revision,
            rule_catalog: RuleCatalog {
                rules: rules::all().len(),
                sha256: rule_catalog_sha256(),
            },
            rules_run: scan.rules.iter().map(|r| r.rule.id).collect(),
        },
        inputs,
        frameworks: framework_evidence,
        findings,
        exceptions,
        diagnostics,
    }
}

fn control_evidence(
    scan: &Scan,
    control: &ControlView,
    examined: &BTreeMap<&'static str, ExaminedEvidence>,
) -> ControlEvidence {
    let rules: Vec<RuleEvidence> = control
        .rules
        .iter()
        .map(|id| {
            let active = scan.rules.iter().find(|r| r.rule.id == id.as_str());
            let rule = rules::find(id);
            let (findings, accepted): (Vec<usize>, Vec<usize>) = scan
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.rule.id == id.as_str())
                .map(|(i, _)| i)
                .partition(|&i| scan.findings[i].suppression.is_none());
            RuleEvidence {
                id: id.clone(),
                name: rule.map_or_else(String::new, |r| r.name.to_string()),
                summary: rule.map_or_else(String::new, |r| r.summary.to_string()),
                severity: active.map(|a| a.severity),
                ran: active.is_some(),
                examined: active.and_then(|a| examined.get(a.rule.id).cloned()),
                findings,
                accepted,
            }
        })
        .collect();
    let status = match control.coverage {
        ControlStatus::Manual => Outcome::Manual,
        ControlStatus::NotApplicable => Outcome::NotApplicable,
        ControlStatus::Automated | ControlStatus::Partial => {
            if rules.iter().any(|r| !r.findings.is_empty()) {
                Outcome::Fail
            } else if rules.iter().any(|r| r.ran) {
                Outcome::Pass
            } else {
                Outcome::NotChecked
            }
        }
    };
    ControlEvidence {
        id: control.id.clone(),
        title: control.title.clone(),
        coverage: coverage_name(control.coverage),
        status,
        note: control.note.clone(),
        rules,
    }
}

fn finding_evidence(finding: &Finding, file: &SourceFile, scan: &Scan) -> FindingEvidence {
    let span = file.clamp(finding.span);
    let first_line = span.start.line.saturating_sub(SNIPPET_CONTEXT).max(1);
    let last_line = span.end.line.max(span.start.line) + SNIPPET_CONTEXT;
    let lines: Vec<String> = (first_line..=last_line)
        .map_while(|n| file.line(n).map(str::to_string))
        .collect();
    let value = file
        .line(span.start.line)
        .map(|line| {
            let start = span.start.column.saturating_sub(1) as usize;
            let end = if span.end.line == span.start.line {
                span.end.column.saturating_sub(1) as usize
            } else {
                usize::MAX
            };
            let text: String = line
                .chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect();
            shorten(text.trim_end(), MAX_VALUE)
        })
        .unwrap_or_default();
    FindingEvidence {
        rule: finding.rule.id,
        name: finding.rule.name,
        severity: finding.severity,
        message: finding.message.clone(),
        path: file.display.clone(),
        start: span.start,
        end: span.end,
        field: finding.field.clone(),
        resource: finding.resource.display(),
        value,
        snippet: Snippet { first_line, lines },
        fingerprint: finding.fingerprint.clone(),
        accepted: finding.suppression.is_some(),
        controls: Vec::new(),
        related: finding
            .related
            .iter()
            .map(|r| RelatedEvidence {
                path: scan.sources.get(r.span.file).display.clone(),
                line: r.span.start.line,
                column: r.span.start.column,
                message: r.message.clone(),
            })
            .collect(),
        variants: finding.variants.clone(),
        value_set: finding.value_set.clone(),
    }
}

/// At most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_as_rfc3339() {
        let at = |seconds| {
            Timestamp {
                seconds,
                from_source_date_epoch: true,
            }
            .rfc3339()
        };
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(1_714_564_800), "2024-05-01T12:00:00Z");
        assert_eq!(at(951_825_599), "2000-02-29T11:59:59Z");
        assert!(Timestamp::now(Some("soon")).is_err());
        assert_eq!(
            Timestamp::now(Some("86400")).unwrap().rfc3339(),
            "1970-01-02T00:00:00Z"
        );
    }

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
    }

    #[test]
    fn pss_profiles_have_one_control_per_rule() {
        let profile = crate::frameworks::find("pss-baseline").unwrap();
        let controls = controls_of(profile);
        assert!(controls.iter().any(|c| c.id == "PSS001"));
        assert!(
            !controls.iter().any(|c| c.id == "PSS015"),
            "a Restricted rule"
        );
        assert!(controls.iter().all(|c| c.rules == [c.id.clone()]));
    }
}
