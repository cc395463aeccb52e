//! Vigie: a static security and compliance analyzer for GitOps repositories.
//!
//! The pipeline runs in one direction: [`discover`] finds the files, [`load`]
//! parses them into spanned trees and [`model`] resources, [`rules`] check the
//! resources, and [`report`] turns findings into text, JSON or SARIF.

pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod filter;
pub mod frameworks;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;

use std::path::PathBuf;

use rayon::prelude::*;

use config::Config;
use diagnostic::Diagnostic;
use discover::{DiscoverError, DiscoverOptions};
use filter::{Dropped, FilterOptions};
use load::LoadOptions;
use model::{Repo, Resource, TfResource};
use rules::{ActiveRule, Context, Finding, Findings, Severity};
use source::SourceMap;

/// Everything a scan needs to know.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Files and directories to scan.
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    pub load: LoadOptions,
    /// Only rules of these frameworks (any of them); all rules when empty.
    pub frameworks: Vec<String>,
    /// Only these rules (IDs or names); all rules when empty.
    pub rules: Vec<String>,
    /// Only findings at or above this severity.
    pub min_severity: Option<Severity>,
    /// The project configuration (`.vigie.yaml`); command-line options win.
    pub config: Config,
    /// Baseline, changed lines and the date exceptions expire against.
    pub filter: FilterOptions,
    /// Terraform variables from the command line (`--var`, `--var-file`).
    pub terraform: render::terraform::TerraformOptions,
}

/// The result of a scan.
#[derive(Debug)]
pub struct Scan {
    pub sources: SourceMap,
    pub resources: Vec<Resource>,
    pub terraform: Vec<TfResource>,
    /// The rules that ran, in ID order, with their configured severity and
    /// parameters.
    pub rules: Vec<ActiveRule>,
    /// Frameworks the scan was limited to.
    pub frameworks: Vec<String>,
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings the baseline and the changed-lines filter removed.
    pub dropped: Dropped,
}

impl Scan {
    /// Whether the input holds a problem that fails the scan on its own (a file
    /// that cannot be parsed would not deploy either).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.level == diagnostic::DiagnosticLevel::Error)
    }

    /// The findings nobody accepted: the ones that fail the scan.
    pub fn open_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppression.is_none())
    }

    /// Whether the scan fails: open findings, or input that cannot be checked.
    pub fn fails(&self) -> bool {
        self.open_findings().next().is_some() || self.has_errors()
    }
}

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("unknown framework {0:?} (known: {known})", known = frameworks::known_ids().join(", "))]
    UnknownFramework(String),
    #[error("unknown rule {0:?} (`vigie rules` lists them)")]
    UnknownRule(String),
}

/// The rules a scan runs: `--rule` if given, else the rules the configuration
/// leaves enabled; then only those of the frameworks asked for (`--framework`,
/// else the configuration's). Severities and parameters come from the
/// configuration.
pub fn select_rules(
    frameworks: &[String],
    ids: &[String],
    config: &Config,
) -> Result<Vec<ActiveRule>, Error> {
    for framework in frameworks {
        if frameworks::find(framework).is_none() {
            return Err(Error::UnknownFramework(framework.clone()));
        }
    }
    let frameworks = if frameworks.is_empty() {
        &config.frameworks
    } else {
        frameworks
    };
    let mut wanted = Vec::new();
    for id in ids {
        wanted.push(
            rules::find(id)
                .ok_or_else(|| Error::UnknownRule(id.clone()))?
                .id,
        );
    }
    let mut selected = Vec::new();
    for &rule in rules::all() {
        let mut active = ActiveRule::new(rule);
        let mut enabled = true;
        for setting in config.rules.iter().filter(|s| s.applies_to(rule)) {
            enabled = setting.enabled.unwrap_or(enabled);
            active.severity = setting.severity.unwrap_or(active.severity);
            for (name, value) in &setting.parameters {
                active.params.set(name, value.clone());
            }
        }
        let chosen = if wanted.is_empty() {
            enabled
        } else {
            wanted.contains(&rule.id)
        };
        let in_frameworks = frameworks.is_empty()
            || frameworks::of_rule(rule)
                .iter()
                .any(|f| frameworks.iter().any(|g| g == f));
        if chosen && in_frameworks {
            selected.push(active);
        }
    }
    Ok(selected)
}

/// The objects a scan reads, with their sources and the input problems.
pub struct Loaded {
    pub sources: SourceMap,
    /// Plain manifests first, then the objects of each kustomization, then those
    /// of each Helm chart.
    pub resources: Vec<Resource>,
    /// Terraform resource instances, from HCL modules and plans.
    pub terraform: Vec<TfResource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Discovers the files, builds the kustomizations and reads the plain
/// manifests that no kustomization consumed: what `vigie render` prints and
/// what the rules check.
pub fn load_inputs(options: &ScanOptions) -> Result<Loaded, Error> {
    let mut discover_options = options.discover.clone();
    discover_options
        .exclude
        .extend(options.config.exclude.iter().cloned());
    let discovery = discover::discover(&options.paths, &discover_options)?;
    let mut sources = SourceMap::default();
    let built = render::kustomize::build_roots(
        &discovery.kustomizations,
        &options.paths,
        &mut sources,
        &options.load,
    );
    let loose: Vec<discover::Candidate> = discovery
        .files
        .iter()
        .filter(|c| {
            built.consumed.is_empty()
                || c.path
                    .canonicalize()
                    .is_ok_and(|p| !built.consumed.contains(&p))
        })
        .cloned()
        .collect();
    let loaded = load::load_files(&loose, &options.load, &mut sources);
    let mut charts = render::helm::scan::RenderedChart::default();
    for (dir, display) in &discovery.charts {
        let renders = chart_renders(dir, &options.config, &options.paths);
        let root = renders.first().and_then(|(_, o)| o.root.clone());
        let chart =
            match render::helm::chart::load::Chart::load_within(dir, root.as_deref(), &mut sources)
            {
                Ok(chart) => chart,
                Err(diagnostic) => {
                    charts.diagnostics.push(diagnostic);
                    continue;
                }
            };
        charts.diagnostics.extend(chart.warnings.iter().cloned());
        for (value_set, render_options) in &renders {
            let mut rendered = render::helm::scan::render_loaded(
                &chart,
                display,
                render_options,
                options.load.limits,
                &mut sources,
                render::helm::scan::Want::Objects,
            );
            if value_set.is_some() {
                for resource in &mut rendered.resources {
                    resource.value_set.clone_from(value_set);
                }
                for diagnostic in &mut rendered.diagnostics {
                    diagnostic.value_set.clone_from(value_set);
                }
            }
            charts.resources.extend(rendered.resources);
            charts.diagnostics.extend(rendered.diagnostics);
        }
    }
    let terraform = render::terraform::load(
        &render::terraform::Inputs {
            dirs: discovery.terraform_dirs.clone(),
            files: discovery.terraform_files.clone(),
            scan_roots: options
                .paths
                .iter()
                .filter_map(|p| p.canonicalize().ok())
                .map(|p| {
                    if p.is_file() {
                        p.parent().map(PathBuf::from).unwrap_or(p)
                    } else {
                        p
                    }
                })
                .collect(),
        },
        &options.terraform,
        &mut sources,
    );
    let mut resources = loaded.resources;
    resources.extend(built.resources);
    resources.extend(charts.resources);
    let mut diagnostics = discovery.diagnostics;
    diagnostics.extend(built.diagnostics);
    diagnostics.extend(charts.diagnostics);
    diagnostics.extend(loaded.diagnostics);
    diagnostics.extend(terraform.diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut plans_then_hcl = loaded.terraform;
    plans_then_hcl.extend(terraform.resources);
    Ok(Loaded {
        sources,
        resources,
        terraform: plans_then_hcl,
        diagnostics,
    })
}

/// The renders a scan makes of the chart at `dir`, by value set name (`None`
/// for the unnamed render), in name order: one per named `charts` entry for
/// it; plus the unnamed render, with the last unnamed entry's settings or
/// Helm's defaults, unless the chart only has named entries.
fn chart_renders(
    dir: &std::path::Path,
    config: &Config,
    scanned: &[PathBuf],
) -> Vec<(Option<String>, render::helm::chart::prepare::RenderOptions)> {
    let base = std::path::Path::new(&config.path)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let canonical = dir.canonicalize().ok();
    let entries: Vec<&config::ChartSetting> = config
        .charts
        .iter()
        .filter(|c| {
            canonical
                .as_ref()
                .is_some_and(|dir| base.join(&c.path).canonicalize().is_ok_and(|p| &p == dir))
        })
        .collect();
    let mut renders = Vec::new();
    let unnamed = entries.iter().rev().find(|c| c.name.is_none());
    if unnamed.is_some() || entries.is_empty() {
        renders.push((None, chart_options(dir, unnamed.copied(), base, scanned)));
    }
    // By name; of two paths written differently for this chart with the
    // same name, the last entry wins.
    let mut named: std::collections::BTreeMap<&str, &config::ChartSetting> =
        std::collections::BTreeMap::new();
    for setting in entries {
        if let Some(name) = &setting.name {
            named.insert(name, setting);
        }
    }
    for (name, setting) in named {
        renders.push((
            Some(name.to_string()),
            chart_options(dir, Some(setting), base, scanned),
        ));
    }
    renders
}

/// How a scan renders the chart at `dir`: as `helm template` by default, with
/// the settings of a `charts` entry for it. Its CRDs are read too (Helm
/// installs them), and every file it reads (links, values, `set_file`) must
/// be inside the scanned path that holds it.
fn chart_options(
    dir: &std::path::Path,
    setting: Option<&config::ChartSetting>,
    base: &std::path::Path,
    scanned: &[PathBuf],
) -> render::helm::chart::prepare::RenderOptions {
    let mut options = render::helm::chart::prepare::RenderOptions {
        include_crds: true,
        inputs_within_root: true,
        ..Default::default()
    };
    options.base_dir = Some(base.to_path_buf());
    let Ok(dir) = dir.canonicalize() else {
        return options;
    };
    options.root = scanned
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .map(|p| match p.parent() {
            Some(parent) if p.is_file() && p != dir => parent.to_path_buf(),
            _ => p,
        })
        .filter(|p| dir.starts_with(p))
        .min_by_key(|p| p.components().count())
        .or_else(|| Some(dir.clone()));
    if let Some(setting) = setting {
        options.values_files = setting.values.iter().map(PathBuf::from).collect();
        options.set = setting.set.clone();
        options.set_string = setting.set_string.clone();
        options.set_json = setting.set_json.clone();
        options.set_file = setting.set_file.clone();
        options.set_literal = setting.set_literal.clone();
        options.kube_version = setting.kube_version.clone();
        options.api_versions = setting.api_versions.clone();
        options.is_upgrade = setting.is_upgrade;
        if let Some(name) = &setting.release_name {
            options.release_name = name.clone();
        }
        if let Some(namespace) = &setting.namespace {
            options.namespace = namespace.clone();
        }
    }
    options
}

/// What `vigie render PATH` prints: a directory with a kustomization is built
/// alone (as `kubectl kustomize PATH` would); anything else is read as a scan
/// reads it.
pub fn render(path: &std::path::Path, options: &ScanOptions) -> Result<Loaded, Error> {
    if path.is_dir()
        && render::kustomize::FILE_NAMES
            .iter()
            .any(|name| path.join(name).is_file())
    {
        let mut sources = SourceMap::default();
        let mut built = render::kustomize::Built::default();
        render::kustomize::build_one(path, &[], &mut sources, &options.load, &mut built);
        return Ok(Loaded {
            sources,
            resources: built.resources,
            terraform: Vec::new(),
            diagnostics: built.diagnostics,
        });
    }
    load_inputs(&ScanOptions {
        paths: vec![path.to_path_buf()],
        ..options.clone()
    })
}

/// A rule's check on one kind of object (a Kubernetes object, a Terraform
/// resource).
type CheckFn<T> = fn(&Context<'_>, &T, &mut Findings<'_>);

/// How to run the rules on one world of objects of type `T`.
struct WorldChecks<T> {
    /// Index of the world's first object among the scan's objects of its type.
    start: usize,
    subject: fn(usize) -> rules::Subject,
    identity: fn(&T) -> rules::ResourceIdentity,
    /// The rule's check, if it reads objects of this type.
    check_of: fn(&rules::Check) -> Option<CheckFn<T>>,
    /// Adds the places that explain a finding on an object.
    explain: fn(&T, &mut Finding),
}

/// Runs the selected rules on every object of a world, in parallel.
fn check_world<T: Sync>(
    world: &[T],
    repo: &Repo<'_>,
    selected: &[ActiveRule],
    pss_restricted: bool,
    how: &WorldChecks<T>,
) -> Vec<Finding> {
    world
        .par_iter()
        .enumerate()
        .flat_map_iter(|(offset, object)| {
            let identity = std::sync::Arc::new((how.identity)(object));
            let subject = (how.subject)(how.start + offset);
            let mut found = Vec::new();
            for active in selected {
                let Some(check) = (how.check_of)(&active.rule.check) else {
                    continue;
                };
                let context = Context {
                    repo,
                    params: &active.params,
                    pss_restricted,
                };
                let first = found.len();
                check(
                    &context,
                    object,
                    &mut Findings::new(active, &identity, subject, &mut found),
                );
                for finding in &mut found[first..] {
                    (how.explain)(object, finding);
                }
            }
            found
        })
        .collect()
}

/// Which value set rendered the object, and where a value a chart template
/// printed was written.
fn explain_kubernetes(resource: &Resource, finding: &mut Finding) {
    finding.value_set.clone_from(&resource.value_set);
    for source in &resource.value_sources {
        let at = source.at;
        // The finding's field, or the `key: value` entry holding it.
        let on_field = at.file == finding.span.file
            && at.start.line == finding.span.start.line
            && finding.span.start <= at.start
            && at.end <= finding.span.end;
        // Fields of one `toYaml` block share a span: their paths decide.
        let matches = match source.field.as_deref() {
            Some(field) => model::same_field_path(field, &finding.field),
            None => on_field,
        };
        let related = rules::Related {
            span: source.from,
            message: format!("`.Values.{}` is set here", source.values_path),
        };
        if matches && !finding.related.contains(&related) {
            finding.related.push(related);
        }
    }
}

/// Where the offending value came from, and the module calls.
fn explain_terraform(resource: &TfResource, finding: &mut Finding) {
    for related in resource.related_at(finding.span) {
        if !finding.related.contains(&related) {
            finding.related.push(related);
        }
    }
}

/// Runs the whole pipeline.
pub fn scan(options: &ScanOptions) -> Result<Scan, Error> {
    let config = &options.config;
    let selected = select_rules(&options.frameworks, &options.rules, config)?;
    let Loaded {
        sources,
        resources,
        terraform,
        diagnostics: input_diagnostics,
    } = load_inputs(options)?;
    let pss_restricted = selected
        .iter()
        .any(|r| r.rule.frameworks == rules::pss::RESTRICTED);
    let mut findings = Vec::new();
    let mut start = 0;
    while start < resources.len() {
        // Each kustomization, and each value set of a chart, is a world of
        // its own.
        fn world_of(r: &Resource) -> (Option<&str>, Option<&str>) {
            (r.variant.as_deref(), r.value_set.as_deref())
        }
        let key = world_of(&resources[start]);
        let end = start
            + resources[start..]
                .iter()
                .take_while(|r| world_of(r) == key)
                .count();
        let world = &resources[start..end];
        findings.extend(check_world(
            world,
            &Repo::new(world),
            &selected,
            pss_restricted,
            &WorldChecks {
                start,
                subject: rules::Subject::Kubernetes,
                identity: rules::ResourceIdentity::of,
                check_of: |check| match check {
                    rules::Check::Kubernetes(check) => Some(*check),
                    rules::Check::Terraform(_) => None,
                },
                explain: explain_kubernetes,
            },
        ));
        start = end;
    }
    for world in terraform_worlds(&terraform) {
        let start = world.start;
        let world = &terraform[world];
        findings.extend(check_world(
            world,
            &Repo::terraform(world),
            &selected,
            pss_restricted,
            &WorldChecks {
                start,
                subject: rules::Subject::Terraform,
                identity: rules::ResourceIdentity::of_terraform,
                check_of: |check| match check {
                    rules::Check::Terraform(check) => Some(*check),
                    rules::Check::Kubernetes(_) => None,
                },
                explain: explain_terraform,
            },
        ));
    }
    let mut undetermined_notes = Vec::new();
    findings.retain(|f| {
        if f.undetermined {
            let mut note = Diagnostic::new(
                diagnostic::DiagnosticLevel::Note,
                diagnostic::DiagnosticCode::UnknownValue,
                sources.get(f.span.file).display.clone(),
                format!("{} not checked: {}", f.rule.id, f.message),
            );
            note.position = Some(f.span.start);
            note.value_set.clone_from(&f.value_set);
            undetermined_notes.push(note);
        }
        !f.undetermined
    });
    if let Some(min) = options.min_severity.or(config.severity) {
        findings.retain(|f| f.severity >= min);
    }
    let mut findings = merge_variants(findings, &resources);
    findings.sort_by(|a, b| {
        let path = |f: &Finding| &sources.get(f.span.file).display;
        (
            path(a),
            a.span.start,
            a.rule.id,
            &a.message,
            &a.field,
            &a.value_set,
        )
            .cmp(&(
                path(b),
                b.span.start,
                b.rule.id,
                &b.message,
                &b.field,
                &b.value_set,
            ))
    });
    assign_fingerprints(&mut findings, &sources);
    let input = filter::Input {
        resources: &resources,
        terraform: &terraform,
        sources: &sources,
        config,
        rules: &selected,
    };
    let (dropped, filter_diagnostics) = filter::apply(&mut findings, &input, &options.filter);
    let mut diagnostics = input_diagnostics;
    diagnostics.extend(filter_diagnostics);
    diagnostics.extend(undetermined_notes);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let frameworks = if options.frameworks.is_empty() {
        config.frameworks.clone()
    } else {
        options.frameworks.clone()
    };
    Ok(Scan {
        sources,
        resources,
        terraform,
        rules: selected,
        frameworks,
        findings,
        diagnostics,
        dropped,
    })
}

/// The runs of Terraform resources that cross-resource rules look at
/// together: each plan is a world of its own (a cluster of one plan is not
/// audited by the diagnostic setting of another plan that uses the same
/// address); the resources read from HCL form one.
fn terraform_worlds(terraform: &[TfResource]) -> Vec<std::ops::Range<usize>> {
    let world = |r: &TfResource| match r.input {
        model::TfInput::Plan => Some(r.body.span.file),
        model::TfInput::Hcl => None,
    };
    let mut worlds = Vec::new();
    let mut start = 0;
    while start < terraform.len() {
        let key = world(&terraform[start]);
        let end = start
            + terraform[start..]
                .iter()
                .take_while(|r| world(r) == key)
                .count();
        worlds.push(start..end);
        start = end;
    }
    worlds
}

/// A finding on a field that several kustomizations build from the same
/// source (overlays sharing a base) is reported once, listing the variants it
/// appears in. A finding on a field an overlay changed points at the overlay's
/// file; the resource's own file is added as a related location.
fn merge_variants(findings: Vec<Finding>, resources: &[Resource]) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    type Key = (&'static str, source::Span, String, Option<String>);
    let mut seen: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for mut finding in findings {
        let rules::Subject::Kubernetes(index) = finding.subject else {
            merged.push(finding);
            continue;
        };
        let resource = &resources[index];
        let Some(variant) = &resource.variant else {
            merged.push(finding);
            continue;
        };
        let key = (
            finding.rule.id,
            finding.span,
            finding.field.clone(),
            resource.value_set.clone(),
        );
        // Within one variant the same span is another object (two
        // resources a chart renders from one helper): not a repeat.
        if let Some(&index) = seen.get(&key)
            && !merged[index].variants.contains(variant)
        {
            merged[index].variants.push(variant.clone());
            continue;
        }
        finding.variants.push(variant.clone());
        if finding.span.file != resource.origin.file {
            let at = resource.body.span.start;
            finding.related.push(rules::Related {
                span: source::Span::new(resource.origin.file, at, at),
                message: format!("{} is defined here", resource.display_name()),
            });
        }
        seen.insert(key, merged.len());
        merged.push(finding);
    }
    for finding in &mut merged {
        finding.variants.sort();
    }
    merged
}

/// Fingerprints identify a finding by rule, file, resource and field path, not by
/// line, so they survive edits elsewhere in the file. Identical findings are told
/// apart by their order.
fn assign_fingerprints(findings: &mut [Finding], sources: &SourceMap) {
    use sha2::{Digest, Sha256};
    let mut seen: std::collections::HashMap<[u8; 32], u32> = std::collections::HashMap::new();
    for finding in findings {
        let r = &finding.resource;
        let mut key = Sha256::new();
        for part in [
            finding.rule.id,
            &sources.get(finding.span.file).display,
            &r.api_version,
            &r.kind,
            r.namespace.as_deref().unwrap_or(""),
            r.name.as_deref().unwrap_or(""),
            &finding.field,
        ] {
            key.update(part.as_bytes());
            key.update([0]);
        }
        // Only named renders add their set, so other fingerprints stay as
        // they were.
        if let Some(set) = &finding.value_set {
            key.update(b"value-set");
            key.update([0]);
            key.update(set.as_bytes());
            key.update([0]);
        }
        let key: [u8; 32] = key.finalize().into();
        let occurrence = seen.entry(key).or_insert(0);
        *occurrence += 1;
        let mut print = Sha256::new();
        print.update(key);
        print.update(occurrence.to_le_bytes());
        finding.fingerprint = source::hex(&print.finalize()[..16]);
    }
}
