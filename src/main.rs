//! The `vigie` command line: parses arguments, runs the library, maps the result
//! to an exit code (0 clean, 1 findings or unparseable input, 2 usage or
//! internal error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Scans allocate many small trees from several threads; mimalloc handles that
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use vigie::config::{self, Config};
use vigie::filter::baseline::{self, Baseline};
use vigie::filter::changes;
use vigie::filter::{FilterOptions, date::Date};
use vigie::load::{DEFAULT_MAX_FILE_SIZE, LoadOptions, human_size, parse_size};
use vigie::render::helm::chart::prepare::RenderOptions;
use vigie::render::helm::chart::show_only::show_only;
use vigie::render::terraform::{CliInput, TerraformOptions};
use vigie::report::{github, json, sarif, text};
use vigie::rules::{self, Rule, Severity};
use vigie::{ScanOptions, discover::DiscoverOptions};

/// Static security and compliance analysis for GitOps repositories.
///
/// Vigie reads Kubernetes manifests (YAML and JSON, multi-document streams and
/// lists), kustomizations and Terraform, and reports security and compliance
/// problems with the exact file, line and column of the offending field,
/// before anything is deployed.
#[derive(Parser)]
#[command(name = "vigie", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories and report findings.
    ///
    /// Exit status: 0 when nothing at or above --severity was found, 1 when
    /// something was (or a manifest could not be parsed), 2 on a usage error.
    Scan(Box<ScanArgs>),
    /// Write an evidence bundle for auditors into a directory: report.html,
    /// report.md, evidence.json and manifest.sha256.
    ///
    /// Each control of the chosen frameworks is marked pass (its rules ran and
    /// found nothing open), fail, manual, not applicable or not checked, with
    /// the failing findings, what was examined, and the accepted exceptions.
    /// The time written is SOURCE_DATE_EPOCH when set (then two runs write
    /// identical files), else the current time.
    ///
    /// Exit status: 0 when the bundle was written, even with failing controls
    /// (1 instead with --fail-on-findings when scan would exit 1); 2 on a usage
    /// error or when the bundle cannot be written.
    Report(Box<ReportArgs>),
    /// List every rule with its severity, frameworks and controls.
    Rules {
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// List the compliance frameworks and how many of their controls a scan
    /// evidences (automated, partial) or leaves to other evidence (manual,
    /// not applicable).
    Frameworks {
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the Kubernetes objects Vigie sees: plain manifests as read,
    /// kustomizations built as `kubectl kustomize` builds them, and a Helm
    /// chart (directory or .tgz) rendered as `helm template` prints it.
    /// Terraform resources are printed as evaluated, after the objects.
    Render(Box<RenderArgs>),
    /// Print a rule's documentation: what it checks, why, an example and the fix.
    Explain {
        /// Rule ID (PSS001) or name (privileged-container).
        rule: String,
    },
}

#[derive(Args)]
struct RenderArgs {
    /// Files and directories (a directory with a kustomization is built,
    /// one with a Chart.yaml or a packaged chart .tgz is rendered).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Helm: a values file, over the chart's defaults (repeatable, or a
    /// comma-separated list; the last wins).
    #[arg(long = "values", short = 'f', value_name = "FILE")]
    values: Vec<String>,
    /// Helm: set values, as `helm --set` (repeatable; `a=1,b.c=x`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Helm: set string values, as `helm --set-string` (repeatable).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    set_string: Vec<String>,
    /// Helm: set JSON values, as `helm --set-json` (repeatable; `a={"b":1}`).
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    set_json: Vec<String>,
    /// Helm: set values to the content of files, as `helm --set-file`
    /// (repeatable; paths relative to the current directory).
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    set_file: Vec<String>,
    /// Helm: set one string value taken literally, commas and all, as
    /// `helm --set-literal` (repeatable).
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    set_literal: Vec<String>,
    /// Helm: the release name.
    #[arg(
        long = "release-name",
        value_name = "NAME",
        default_value = "release-name"
    )]
    release_name: String,
    /// Helm: the release namespace.
    #[arg(long, short = 'n', value_name = "NAMESPACE", default_value = "default")]
    namespace: String,
    /// Helm: the Kubernetes version of `.Capabilities.KubeVersion` [default: v1.32.0].
    #[arg(long = "kube-version", value_name = "VERSION")]
    kube_version: Option<String>,
    /// Helm: an API version added to `.Capabilities.APIVersions` (repeatable,
    /// or a comma-separated list; `group/version` or `group/version/Kind`).
    #[arg(long = "api-versions", short = 'a', value_name = "VERSION")]
    api_versions: Vec<String>,
    /// Helm: print the chart's CRDs (`crds/`, with enabled subcharts') first.
    #[arg(long = "include-crds")]
    include_crds: bool,
    /// Helm: accepted for compatibility; `helm template` prints CRDs only
    /// with --include-crds, so this changes nothing.
    #[arg(long = "skip-crds")]
    _skip_crds: bool,
    /// Helm: only print the documents of templates matching this path or
    /// glob, relative to the chart (`templates/deployment.yaml`, repeatable).
    #[arg(long = "show-only", short = 's', value_name = "TEMPLATE")]
    show_only: Vec<String>,
    /// Helm: leave hooks out of the output.
    #[arg(long = "no-hooks")]
    no_hooks: bool,
    /// Helm: render as an upgrade (`.Release.IsUpgrade` true, `.IsInstall` false).
    #[arg(long = "is-upgrade")]
    is_upgrade: bool,
    /// Set a Terraform root module variable (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Read Terraform variable values from FILE (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
}

#[derive(Args)]
struct ScanArgs {
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Read the project configuration from FILE [default: .vigie.yaml in the
    /// scanned directory, or in the current directory].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Only run the rules that evidence this framework (repeatable):
    /// pss-baseline, pss-restricted, cis-k8s, cis-aks, iso27001, hds, rgpd.
    #[arg(long = "framework", value_name = "ID")]
    frameworks: Vec<String>,
    /// Only run this rule, by ID or name (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// Only report findings at or above this severity: low, medium, high, critical.
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    severity: Option<Severity>,
    /// Skip paths matching this gitignore-style glob (repeatable), e.g. 'vendor/**'.
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// Skip files larger than this (e.g. 10MiB, 512K); each one is reported.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "10MiB")]
    max_file_size: u64,
    /// Do not honour .gitignore, .ignore and .git/info/exclude files.
    #[arg(long)]
    no_ignore: bool,
    /// Scan the whole Helm chart or kustomization each named file belongs to
    /// (for pre-commit hooks, which name the staged files).
    #[arg(long)]
    resolve_roots: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current findings to a baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report only findings on lines changed since this git revision (uses
    /// `git diff`; run from the repository).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Also show notes (files skipped as binary, oversized or not manifests).
    #[arg(long, short)]
    verbose: bool,
    /// Set a Terraform root module variable (repeatable): a string unless the
    /// variable's type is a collection or object, then an HCL expression.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Read Terraform variable values from FILE (repeatable); later --var and
    /// --var-file values win over earlier ones and over *.tfvars files.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
}

#[derive(Args)]
struct ReportArgs {
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Directory to write the bundle into (created if needed; only the four
    /// bundle files are written).
    #[arg(long, short, value_name = "DIR")]
    output: PathBuf,
    /// Report on this framework (repeatable): pss-baseline, pss-restricted,
    /// cis-k8s, cis-aks, iso27001, hds, rgpd [default: every framework; the
    /// configuration's `frameworks` and `severity` do not apply].
    #[arg(long = "framework", value_name = "ID")]
    frameworks: Vec<String>,
    /// Read the project configuration from FILE [default: .vigie.yaml in the
    /// scanned directory, or in the current directory].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Skip paths matching this gitignore-style glob (repeatable), e.g. 'vendor/**'.
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// Skip files larger than this (e.g. 10MiB, 512K); each one is reported.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "10MiB")]
    max_file_size: u64,
    /// Do not honour .gitignore, .ignore and .git/info/exclude files.
    #[arg(long)]
    no_ignore: bool,
    /// Exit 1 when there are open findings or unparseable input, as `scan` does.
    #[arg(long)]
    fail_on_findings: bool,
    /// Set a Terraform root module variable (repeatable): a string unless the
    /// variable's type is a collection or object, then an HCL expression.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Read Terraform variable values from FILE (repeatable); later --var and
    /// --var-file values win over earlier ones and over *.tfvars files.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow annotations (and a job summary when
    /// GITHUB_STEP_SUMMARY is set).
    Github,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let terraform = match matches.subcommand() {
        Some(("scan" | "render" | "report", sub)) => terraform_inputs(sub),
        _ => TerraformOptions::default(),
    };
    let result = match cli.command {
        Command::Scan(args) => scan(*args, terraform),
        Command::Report(args) => report(*args, terraform),
        Command::Rules { format } => list_rules(format).map(|()| ExitCode::SUCCESS),
        Command::Frameworks { format } => list_frameworks(format).map(|()| ExitCode::SUCCESS),
        Command::Explain { rule } => explain(&rule).map(|()| ExitCode::SUCCESS),
        Command::Render(args) => render(*args, terraform),
    };
    result.unwrap_or_else(|message| {
        eprintln!("vigie: error: {message}");
        ExitCode::from(2)
    })
}

/// The configuration named by `--config`, or found next to what is scanned.
fn project_config(explicit: Option<&PathBuf>, paths: &[PathBuf]) -> Result<Config, String> {
    let Some(path) = explicit.cloned().or_else(|| config::locate(paths)) else {
        return Ok(Config::default());
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let display = vigie::discover::display_path(
        &path,
        &cwd,
        &cwd.canonicalize().unwrap_or_else(|_| cwd.clone()),
    );
    config::load(&path, &display).map_err(|e| e.to_string())
}

/// `--var` and `--var-file` in the order given: Terraform applies them in
/// that order, the last value of a variable winning.
fn terraform_inputs(matches: &clap::ArgMatches) -> TerraformOptions {
    let mut inputs: Vec<(usize, CliInput)> = Vec::new();
    if let (Some(indices), Some(values)) = (
        matches.indices_of("vars"),
        matches.get_many::<String>("vars"),
    ) {
        inputs.extend(indices.zip(values.map(|v| CliInput::Var(v.clone()))));
    }
    if let (Some(indices), Some(values)) = (
        matches.indices_of("var_files"),
        matches.get_many::<PathBuf>("var_files"),
    ) {
        inputs.extend(indices.zip(values.map(|v| CliInput::VarFile(v.clone()))));
    }
    inputs.sort_by_key(|(index, _)| *index);
    TerraformOptions {
        inputs: inputs.into_iter().map(|(_, input)| input).collect(),
    }
}

fn scan(args: ScanArgs, terraform: TerraformOptions) -> Result<ExitCode, String> {
    for path in &args.var_files {
        if !path.is_file() {
            return Err(format!("--var-file {}: file not found", path.display()));
        }
    }
    let config = project_config(args.config.as_ref(), &args.paths)?;
    let options = ScanOptions {
        paths: args.paths,
        discover: DiscoverOptions {
            exclude: args.exclude,
            respect_ignore_files: !args.no_ignore,
            resolve_roots: args.resolve_roots,
            ..DiscoverOptions::default()
        },
        load: LoadOptions {
            max_file_size: args.max_file_size,
            ..LoadOptions::default()
        },
        frameworks: args.frameworks,
        rules: args.rules,
        min_severity: args.severity,
        config,
        filter: FilterOptions {
            baseline: args.baseline.as_deref().map(Baseline::load).transpose()?,
            changed: args
                .changed_since
                .as_deref()
                .map(changes::since)
                .transpose()?,
            today: Date::today(),
        },
        terraform,
    };
    let scan = vigie::scan(&options).map_err(|e| e.to_string())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    let text_report = |scan: &vigie::Scan| -> Result<Option<String>, String> {
        Ok(match args.format {
            Format::Text => Some(text::render(
                scan,
                &text::TextOptions {
                    color,
                    verbose: args.verbose,
                },
            )),
            Format::Github => {
                if let Some(summary) =
                    std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
                {
                    append(&PathBuf::from(summary), &github::step_summary(scan))?;
                }
                Some(github::render(scan))
            }
            Format::Json | Format::Sarif => None,
        })
    };
    let report = text_report(&scan)?;
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match (&report, args.format) {
            (Some(text), _) => out.write_all(text.as_bytes()),
            (None, Format::Json) => json::write(&scan, out),
            (None, _) => sarif::write(&scan, out),
        }
    };
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let open = scan.open_findings().count();
            eprintln!(
                "vigie: {} {}, {} input {}; report written to {}",
                open,
                if open == 1 { "finding" } else { "findings" },
                scan.diagnostics.len(),
                if scan.diagnostics.len() == 1 {
                    "problem"
                } else {
                    "problems"
                },
                path.display()
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(format!("cannot write output: {e}"));
                }
                _ => {}
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        let open: Vec<_> = scan.open_findings().cloned().collect();
        let text = baseline::render(&open, |f| scan.sources.get(f.span.file).display.clone());
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!(
            "vigie: baseline of {} findings written to {}",
            open.len(),
            path.display()
        );
        std::mem::forget(scan);
        return Ok(ExitCode::SUCCESS);
    }
    let failed = scan.fails();
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report(args: ReportArgs, terraform: TerraformOptions) -> Result<ExitCode, String> {
    for path in &args.var_files {
        if !path.is_file() {
            return Err(format!("--var-file {}: file not found", path.display()));
        }
    }
    use vigie::report::evidence;
    let time = evidence::Timestamp::now(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    let config_path = args.config.clone().or_else(|| config::locate(&args.paths));
    let mut config = project_config(config_path.as_ref(), &args.paths)?;
    // The frameworks reported on are chosen here, not by the configuration;
    // and every finding counts as evidence, whatever the severity threshold.
    config.frameworks.clear();
    config.severity = None;
    let frameworks: Vec<&'static vigie::frameworks::Framework> = if args.frameworks.is_empty() {
        vigie::frameworks::all().iter().collect()
    } else {
        let mut chosen = Vec::new();
        for id in &args.frameworks {
            let framework = vigie::frameworks::find(id)
                .ok_or_else(|| vigie::Error::UnknownFramework(id.clone()).to_string())?;
            if !chosen
                .iter()
                .any(|f: &&vigie::frameworks::Framework| f.id == framework.id)
            {
                chosen.push(framework);
            }
        }
        chosen
    };
    let config_file = config_path.map(|path| (path, config.path.clone()));
    let options = ScanOptions {
        paths: args.paths.clone(),
        discover: DiscoverOptions {
            exclude: args.exclude,
            respect_ignore_files: !args.no_ignore,
            resolve_roots: false,
            // A bundle written into a scanned directory is not input next time.
            skip_dirs: args.output.canonicalize().into_iter().collect(),
        },
        load: LoadOptions {
            max_file_size: args.max_file_size,
            ..LoadOptions::default()
        },
        frameworks: args.frameworks,
        config,
        terraform,
        // Exceptions expire against the day the report is dated.
        filter: FilterOptions {
            today: Date::from_days(time.seconds.div_euclid(86_400)),
            ..FilterOptions::default()
        },
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).map_err(|e| e.to_string())?;
    let files = evidence::scanned_files(&scan, config_file.as_ref());
    let start = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let revision = evidence::revision::read(&start, &files);
    let mut command_line: Vec<String> = std::env::args().collect();
    // The program's own path says nothing about the run and differs between
    // machines.
    if let Some(program) = command_line.first_mut() {
        *program = "vigie".to_string();
    }
    let run = evidence::RunInfo {
        command_line,
        paths: args
            .paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        time,
        revision,
        config: config_file,
    };
    let built = evidence::build(&scan, &frameworks, run);
    let bundle = evidence::render(&built);
    let inputs: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    evidence::write(&args.output, &bundle, &inputs).map_err(|e| e.to_string())?;
    let failing: usize = built.frameworks.iter().map(|f| f.summary.fail).sum();
    let controls: usize = built.frameworks.iter().map(|f| f.summary.total()).sum();
    eprintln!(
        "vigie: evidence written to {} ({failing} of {controls} controls failing)",
        args.output.display()
    );
    Ok(if args.fail_on_findings && scan.fails() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The `helm template` options of `vigie render`'s flags.
fn chart_options(args: &RenderArgs) -> Result<RenderOptions, String> {
    if let Some(version) = &args.kube_version {
        vigie::render::helm::chart::objects::parse_kube_version(version)?;
    }
    let mut values_files = Vec::new();
    for list in &args.values {
        values_files.extend(
            flag_list(list, "-f, --values")?
                .into_iter()
                .map(PathBuf::from),
        );
    }
    let mut api_versions = Vec::new();
    for list in &args.api_versions {
        api_versions.extend(flag_list(list, "-a, --api-versions")?);
    }
    Ok(RenderOptions {
        values_files,
        set: args.set.clone(),
        set_string: args.set_string.clone(),
        set_json: args.set_json.clone(),
        set_file: args.set_file.clone(),
        set_literal: args.set_literal.clone(),
        release_name: args.release_name.clone(),
        namespace: args.namespace.clone(),
        kube_version: args.kube_version.clone(),
        api_versions,
        include_crds: args.include_crds,
        no_hooks: args.no_hooks,
        is_upgrade: args.is_upgrade,
        ..RenderOptions::default()
    })
}

/// A comma-separated flag value read as Helm's flag library reads it (one
/// line of CSV: `"a,b",c` is two items); empty text is no item.
fn flag_list(text: &str, flag: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let invalid = |column: usize, what: &str| {
        format!(
            "invalid argument {text:?} for {flag:?} flag: parse error on line 1, column {column}: {what}"
        )
    };
    let chars: Vec<char> = text.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    loop {
        let mut item = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(invalid(i + 1, "extraneous or missing \" in quoted-field")),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        item.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        item.push(c);
                        i += 1;
                    }
                }
            }
            if !matches!(chars.get(i), None | Some(',')) {
                return Err(invalid(i + 1, "extraneous or missing \" in quoted-field"));
            }
        } else {
            while let Some(&c) = chars.get(i).filter(|c| **c != ',') {
                if c == '"' {
                    return Err(invalid(i + 1, "bare \" in non-quoted-field"));
                }
                item.push(c);
                i += 1;
            }
        }
        items.push(item);
        if chars.get(i).is_none() {
            return Ok(items);
        }
        i += 1;
    }
}

fn render(args: RenderArgs, terraform: TerraformOptions) -> Result<ExitCode, String> {
    let mut chart = chart_options(&args)?;
    let options = ScanOptions {
        terraform,
        ..ScanOptions::default()
    };
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .unwrap_or_default();
    let mut out = String::new();
    let mut diagnostics = Vec::new();
    for path in &args.paths {
        if vigie::discover::is_chart(path) {
            // Links in the chart may point anywhere under the current
            // directory, or only inside the chart when it lies elsewhere.
            let within_cwd = path.canonicalize().is_ok_and(|p| p.starts_with(&cwd));
            chart.root = Some(if within_cwd {
                cwd.clone()
            } else {
                path.clone()
            });
            let mut sources = vigie::source::SourceMap::default();
            let display = path.display().to_string().replace('\\', "/");
            let rendered = vigie::render::helm::scan::render_chart(
                path,
                &display,
                &chart,
                options.load.limits,
                &mut sources,
                vigie::render::helm::scan::Want::Manifest,
            );
            let manifest = rendered.manifest.as_deref().unwrap_or_default();
            if args.show_only.is_empty() || rendered.manifest.is_none() {
                out.push_str(manifest);
            } else {
                out.push_str(&show_only(manifest, &args.show_only)?);
            }
            diagnostics.extend(rendered.diagnostics);
            continue;
        }
        let loaded = vigie::render(path, &options).map_err(|e| e.to_string())?;
        for resource in &loaded.resources {
            out.push_str("---\n");
            out.push_str(&vigie::source::emit::to_yaml(&resource.body));
        }
        for resource in &loaded.terraform {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&vigie::render::terraform::to_hcl(resource, &loaded.sources));
        }
        diagnostics.extend(loaded.diagnostics);
    }
    write_stdout(&out)?;
    let mut failed = false;
    for diagnostic in &diagnostics {
        if diagnostic.level == vigie::diagnostic::DiagnosticLevel::Note {
            continue;
        }
        failed |= diagnostic.level == vigie::diagnostic::DiagnosticLevel::Error;
        let at = diagnostic
            .position
            .map(|p| format!(":{}:{}", p.line, p.column))
            .unwrap_or_default();
        eprintln!(
            "{}{at}: {}[{}] {}",
            diagnostic.path,
            diagnostic.level.as_str(),
            diagnostic.code.as_str(),
            diagnostic.message
        );
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn list_rules(format: ListFormat) -> Result<(), String> {
    let rules = rules::all();
    let output = match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity,
                        "summary": r.summary,
                        "frameworks": vigie::frameworks::of_rule(r),
                        "controls": vigie::frameworks::controls_of(r),
                        "parameters": r.parameters.iter().map(|p| serde_json::json!({
                            "name": p.name,
                            "type": p.default.type_name(),
                            "default": p.default.value(),
                            "description": p.description,
                        })).collect::<Vec<_>>(),
                        "documentation": r.documentation(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
        ListFormat::Text => {
            let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
            let frameworks: Vec<String> = rules
                .iter()
                .map(|r| vigie::frameworks::of_rule(r).join(","))
                .collect();
            let fw_width = frameworks
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(10)
                .max(10);
            let mut text = format!(
                "{:<7} {:<8} {:<name_width$} {:<fw_width$} SUMMARY\n",
                "ID", "SEVERITY", "NAME", "FRAMEWORKS"
            );
            for (rule, frameworks) in rules.iter().zip(&frameworks) {
                text.push_str(&format!(
                    "{:<7} {:<8} {:<name_width$} {:<fw_width$} {}\n",
                    rule.id, rule.severity, rule.name, frameworks, rule.summary
                ));
                text.push_str(&parameter_lines(rule, "        "));
                let controls = vigie::frameworks::controls_of(rule);
                if !controls.is_empty() {
                    text.push_str(&format!("        controls: {}\n", controls.join(", ")));
                }
            }
            text.push_str(&format!(
                "\n{} rules. `vigie explain ID` prints a rule's documentation. Files over {} are skipped by default.\n",
                rules.len(),
                human_size(DEFAULT_MAX_FILE_SIZE)
            ));
            text
        }
    };
    write_stdout(&output)
}

fn list_frameworks(format: ListFormat) -> Result<(), String> {
    let frameworks = vigie::frameworks::all();
    let output = match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = frameworks
                .iter()
                .map(|f| {
                    let coverage = f.coverage();
                    serde_json::json!({
                        "id": f.id,
                        "title": f.title,
                        "version": f.version,
                        "source": f.source,
                        "url": f.url,
                        "note": f.note,
                        "rules": rules::all()
                            .iter()
                            .filter(|r| vigie::frameworks::of_rule(r).contains(&f.id.as_str()))
                            .count(),
                        "controls": {
                            "automated": coverage.automated,
                            "partial": coverage.partial,
                            "manual": coverage.manual,
                            "not-applicable": coverage.not_applicable,
                            "total": coverage.total(),
                        },
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
        ListFormat::Text => {
            let id_width = frameworks.iter().map(|f| f.id.len()).max().unwrap_or(2);
            let version_width = frameworks
                .iter()
                .map(|f| f.version.chars().count())
                .max()
                .unwrap_or(7);
            let mut text = format!(
                "{:<id_width$} {:<version_width$} {:>5} {:>9} {:>7} {:>6} {:>4} {:>5}  TITLE\n",
                "ID", "VERSION", "RULES", "AUTOMATED", "PARTIAL", "MANUAL", "N/A", "TOTAL"
            );
            for f in frameworks {
                let c = f.coverage();
                let rule_count = rules::all()
                    .iter()
                    .filter(|r| vigie::frameworks::of_rule(r).contains(&f.id.as_str()))
                    .count();
                // The Pod Security profiles are their rules; they have no control list.
                let counts = if f.controls.is_empty() {
                    format!("{:>9} {:>7} {:>6} {:>4} {:>5}", "-", "-", "-", "-", "-")
                } else {
                    format!(
                        "{:>9} {:>7} {:>6} {:>4} {:>5}",
                        c.automated,
                        c.partial,
                        c.manual,
                        c.not_applicable,
                        c.total()
                    )
                };
                text.push_str(&format!(
                    "{:<id_width$} {:<version_width$} {:>5} {counts}  {}\n",
                    f.id,
                    pad(&f.version, version_width),
                    rule_count,
                    f.title
                ));
            }
            text.push_str(
                "\nAUTOMATED: the rules decide the control for what the repository describes.\n\
                 PARTIAL: they evidence part of it.\n\
                 MANUAL: the evidence is elsewhere (`vigie rules` and the catalogs in benchmarks/ say where).\n\
                 N/A: a repository scan cannot see it (control-plane and node settings).\n\
                 `vigie scan --framework ID` runs the rules of a framework.\n",
            );
            text
        }
    };
    write_stdout(&output)
}

/// Left-aligns text that may hold non-ASCII characters to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text.chars().count()),
    ));
    out
}

/// One line per parameter: name, type, default and meaning.
fn parameter_lines(rule: &Rule, indent: &str) -> String {
    rule.parameters
        .iter()
        .map(|p| {
            format!(
                "{indent}parameter {} ({}, default {}): {}\n",
                p.name,
                p.default.type_name(),
                p.default.value(),
                p.description
            )
        })
        .collect()
}

fn explain(id: &str) -> Result<(), String> {
    let rule =
        rules::find(id).ok_or_else(|| format!("unknown rule {id:?} (`vigie rules` lists them)"))?;
    let controls = vigie::frameworks::controls_of(rule);
    let controls = if controls.is_empty() {
        String::new()
    } else {
        format!("Controls: {}\n", controls.join(", "))
    };
    let text = format!(
        "{} {}\n{}\n\nSeverity: {}\nFrameworks: {}\n{controls}{}\n{}",
        rule.id,
        rule.name,
        rule.summary,
        rule.severity,
        vigie::frameworks::of_rule(rule).join(", "),
        parameter_lines(rule, ""),
        rule.documentation()
    );
    write_stdout(&text)
}

/// Appends to a file (the GitHub job summary).
fn append(path: &PathBuf, text: &str) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes to standard output; a closed pipe (`vigie rules | head`) is not an error.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
