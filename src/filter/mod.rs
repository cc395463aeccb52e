//! After the checks: findings accepted by ignores and exceptions are marked as
//! suppressed (they stay in the reports, with their justification), findings in
//! the baseline or outside the changed lines are dropped.

pub mod baseline;
pub mod changes;
pub mod date;
pub mod ignores;

use std::collections::BTreeSet;

use globset::{Glob, GlobBuilder, GlobMatcher};

use crate::config::{Config, Exception};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::{Resource, TfResource};
use crate::rules::{ActiveRule, Finding, Subject, Suppression, SuppressionKind};
use crate::source::{SourceMap, Span};
use baseline::Baseline;
use changes::ChangedLines;
use date::Date;
use ignores::Ignore;

/// What to filter with, besides the configuration's exceptions.
#[derive(Clone, Debug)]
pub struct FilterOptions {
    /// Drop findings recorded in this baseline.
    pub baseline: Option<Baseline>,
    /// Keep only findings on these lines.
    pub changed: Option<ChangedLines>,
    /// The day exceptions expire against.
    pub today: Date,
}

impl Default for FilterOptions {
    fn default() -> Self {
        FilterOptions {
            baseline: None,
            changed: None,
            today: Date::today(),
        }
    }
}

/// How many findings each filter removed from the report.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    pub in_baseline: usize,
    pub unchanged: usize,
}

/// Everything the filters need to know about the scan.
pub struct Input<'a> {
    pub resources: &'a [Resource],
    pub terraform: &'a [TfResource],
    pub sources: &'a SourceMap,
    pub config: &'a Config,
    pub rules: &'a [ActiveRule],
}

/// Applies ignores, exceptions, the baseline and the changed lines; returns
/// what was dropped and the diagnostics about ignores and exceptions.
pub fn apply(
    findings: &mut Vec<Finding>,
    input: &Input<'_>,
    options: &FilterOptions,
) -> (Dropped, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    apply_ignores(findings, input, &mut diagnostics);
    apply_exceptions(findings, input, options.today, &mut diagnostics);
    let mut dropped = Dropped::default();
    if let Some(baseline) = &options.baseline {
        let before = findings.len();
        findings.retain(|f| !baseline.contains(f));
        dropped.in_baseline = before - findings.len();
    }
    if let Some(changed) = &options.changed {
        let before = findings.len();
        findings.retain(|f| {
            std::iter::once(f.span)
                .chain(f.related.iter().map(|r| r.span))
                .any(|span| {
                    changed.contains(&input.sources.get(span.file).display, span.start.line)
                })
        });
        dropped.unchanged = before - findings.len();
    }
    (dropped, diagnostics)
}

fn apply_ignores(findings: &mut [Finding], input: &Input<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let mut warned = BTreeSet::new();
    for finding in findings.iter_mut() {
        let file = input.sources.get(finding.span.file);
        // The resource's first line (a manifest's document start, a Terraform
        // block's header) may carry an ignore for all its findings.
        let (start, kubernetes) = match finding.subject {
            Subject::Kubernetes(index) => {
                let resource = &input.resources[index];
                (
                    Span::new(
                        resource.origin.file,
                        resource.body.span.start,
                        resource.body.span.start,
                    ),
                    Some(resource),
                )
            }
            Subject::Terraform(index) => (input.terraform[index].body.span, None),
        };
        let resource_file = input.sources.get(start.file);
        let mut candidates: Vec<(Ignore, &str)> =
            ignores::comments_at(file, finding.span.start.line)
                .into_iter()
                .map(|i| (i, file.display.as_str()))
                .collect();
        if start.start.line != finding.span.start.line || start.file != finding.span.file {
            candidates.extend(
                ignores::comments_at(resource_file, start.start.line)
                    .into_iter()
                    .map(|i| (i, resource_file.display.as_str())),
            );
        }
        if let Some(resource) = kubernetes {
            candidates.extend(
                ignores::annotation(resource)
                    .into_iter()
                    .map(|i| (i, resource_file.display.as_str())),
            );
        }
        let Some((ignore, path)) = candidates.into_iter().find(|(i, _)| i.covers(finding.rule))
        else {
            continue;
        };
        if ignore.reason.is_none() && warned.insert((path.to_string(), ignore.position)) {
            diagnostics.push(
                Diagnostic::new(
                    DiagnosticLevel::Warning,
                    DiagnosticCode::IgnoreWithoutReason,
                    path,
                    "this ignore gives no reason: write `-- reason` after the rules (or `RULE: reason` in the annotation)",
                )
                .at(ignore.position),
            );
        }
        finding.suppression = Some(Suppression {
            kind: SuppressionKind::InSource,
            justification: ignore.reason.unwrap_or_default(),
            approved_by: None,
            expires: None,
            path: path.to_string(),
            position: ignore.position,
        });
    }
}

/// Compiled matchers of one exception.
struct Matcher<'a> {
    exception: &'a Exception,
    paths: Vec<GlobMatcher>,
    kind: Option<GlobMatcher>,
    namespace: Option<GlobMatcher>,
    name: Option<GlobMatcher>,
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    Glob::new(pattern).ok().map(|g| g.compile_matcher())
}

impl<'a> Matcher<'a> {
    fn new(exception: &'a Exception) -> Self {
        let paths = exception
            .paths
            .iter()
            .filter_map(|pattern| {
                // Like .gitignore: a pattern without `/` matches at any depth.
                let pattern = if pattern.contains('/') {
                    pattern.trim_start_matches('/').to_string()
                } else {
                    format!("**/{pattern}")
                };
                GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            })
            .collect();
        Matcher {
            exception,
            paths,
            kind: exception.kind.as_deref().and_then(glob),
            namespace: exception.namespace.as_deref().and_then(glob),
            name: exception.name.as_deref().and_then(glob),
        }
    }

    fn matches(&self, finding: &Finding, path: &str) -> bool {
        let resource = &finding.resource;
        let field = |matcher: &Option<GlobMatcher>, value: Option<&str>| match matcher {
            None => true,
            Some(m) => value.is_some_and(|v| m.is_match(v)),
        };
        self.exception.covers_rule(finding.rule)
            && (self.paths.is_empty() || self.paths.iter().any(|g| g.is_match(path)))
            && field(&self.kind, Some(&resource.kind))
            && field(&self.namespace, resource.namespace.as_deref())
            && field(&self.name, resource.name.as_deref())
    }
}

fn apply_exceptions(
    findings: &mut [Finding],
    input: &Input<'_>,
    today: Date,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let config = input.config;
    for exception in &config.exceptions {
        let matcher = Matcher::new(exception);
        let expired = exception.expires.is_some_and(|expires| expires < today);
        let mut matched = false;
        for finding in findings.iter_mut() {
            let path = &input.sources.get(finding.span.file).display;
            if !matcher.matches(finding, path) {
                continue;
            }
            matched = true;
            if expired || finding.suppression.is_some() {
                continue;
            }
            finding.suppression = Some(Suppression {
                kind: SuppressionKind::External,
                justification: exception.justification.clone(),
                approved_by: exception.approved_by.clone(),
                expires: exception.expires.map(|d| d.to_string()),
                path: config.path.clone(),
                position: exception.position,
            });
        }
        let warning = |code, message: String| {
            Diagnostic::new(DiagnosticLevel::Warning, code, config.path.clone(), message)
                .at(exception.position)
        };
        if expired {
            let expires = exception.expires.map(|d| d.to_string()).unwrap_or_default();
            diagnostics.push(warning(
                DiagnosticCode::ExpiredException,
                format!("this exception expired on {expires}: the findings it covered are reported again"),
            ));
        } else if !matched
            && input
                .rules
                .iter()
                .any(|active| exception.covers_rule(active.rule))
        {
            diagnostics.push(warning(
                DiagnosticCode::StaleException,
                "this exception matches no finding: remove it, or fix its rules, paths or resource"
                    .to_string(),
            ));
        }
    }
}
