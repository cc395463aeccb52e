//! Problems with the input itself (unreadable, malformed or skipped files), as
//! opposed to findings, which are problems with the configuration it describes.

use serde::Serialize;

use crate::source::Position;

/// How serious a diagnostic is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// The input could not be checked and would not deploy as written (a parse
    /// error, an oversized or binary manifest). Counts like a finding for the
    /// exit code.
    Error,
    /// Part of the input was skipped or may be read differently than intended.
    Warning,
    /// Something was skipped on purpose; shown with `--verbose`.
    Note,
}

impl DiagnosticLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Note => "note",
        }
    }
}

/// A stable, kebab-case identifier for each kind of diagnostic.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticCode {
    /// The file is not valid YAML or JSON.
    YamlSyntax,
    /// Anchors and aliases expand past the limit (a "billion laughs" document).
    AliasLimit,
    /// Collections nest deeper than the limit.
    NestingLimit,
    /// A mapping key is repeated; the last value wins.
    DuplicateKey,
    /// A mapping key is itself a mapping or a sequence.
    ComplexKey,
    /// A merge key (`<<`) whose value is not a mapping or a list of mappings.
    InvalidMerge,
    /// The file could not be read.
    Unreadable,
    /// The file is larger than `--max-file-size`.
    FileTooLarge,
    /// The file holds binary data.
    BinaryFile,
    /// The file is not UTF-8 text.
    InvalidEncoding,
    /// A symbolic link loops back to one of its ancestors.
    SymlinkLoop,
    /// A symbolic link points outside the scanned directories.
    SymlinkOutsideRoot,
    /// A Helm chart a kustomization inflates (`helmCharts`); not rendered.
    ChartNotRendered,
    /// An unexpected failure inside Vigie while reading one file.
    Internal,
    /// A `vigie:ignore` comment or annotation without a reason.
    IgnoreWithoutReason,
    /// An exception of the configuration whose date has passed.
    ExpiredException,
    /// An exception of the configuration that matches no finding.
    StaleException,
    /// A kustomization could not be built; its files are scanned as plain
    /// manifests instead.
    KustomizeBuild,
    /// A remote resource, base or component that Vigie does not fetch.
    RemoteNotFetched,
    /// A kustomization feature Vigie does not apply (plugins, vars, …).
    KustomizeUnsupported,
    /// A rule could not judge a value known only after `terraform apply`.
    UnknownValue,
    /// A Terraform file is not valid HCL.
    HclSyntax,
    /// A Terraform module whose source Vigie does not read (registry, git,
    /// a path outside the repository): its outputs are unknown.
    ModuleNotResolved,
    /// A Terraform expression that cannot be evaluated (a missing key, a type
    /// mismatch, a cycle between locals, a limit reached): its value is unknown.
    TerraformEvaluation,
    /// Terraform input Vigie does not read (JSON syntax, an unknown function).
    TerraformUnsupported,
    /// A Terraform plan (JSON) that could not be read, in whole or in part.
    TerraformPlan,
    /// A Helm chart could not be loaded (Chart.yaml, archive, layout).
    HelmChart,
    /// Helm values could not be read, parsed or validated.
    HelmValues,
    /// A dependency of a Helm chart is not vendored in `charts/`.
    HelmDependency,
    /// A Helm template failed to parse or render, or rendered invalid YAML.
    HelmRender,
}

impl DiagnosticCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::YamlSyntax => "yaml-syntax",
            DiagnosticCode::AliasLimit => "alias-limit",
            DiagnosticCode::NestingLimit => "nesting-limit",
            DiagnosticCode::DuplicateKey => "duplicate-key",
            DiagnosticCode::ComplexKey => "complex-key",
            DiagnosticCode::InvalidMerge => "invalid-merge",
            DiagnosticCode::Unreadable => "unreadable",
            DiagnosticCode::FileTooLarge => "file-too-large",
            DiagnosticCode::BinaryFile => "binary-file",
            DiagnosticCode::InvalidEncoding => "invalid-encoding",
            DiagnosticCode::SymlinkLoop => "symlink-loop",
            DiagnosticCode::SymlinkOutsideRoot => "symlink-outside-root",
            DiagnosticCode::ChartNotRendered => "chart-not-rendered",
            DiagnosticCode::Internal => "internal",
            DiagnosticCode::IgnoreWithoutReason => "ignore-without-reason",
            DiagnosticCode::ExpiredException => "expired-exception",
            DiagnosticCode::StaleException => "stale-exception",
            DiagnosticCode::KustomizeBuild => "kustomize-build",
            DiagnosticCode::RemoteNotFetched => "remote-not-fetched",
            DiagnosticCode::KustomizeUnsupported => "kustomize-unsupported",
            DiagnosticCode::UnknownValue => "unknown-value",
            DiagnosticCode::HclSyntax => "hcl-syntax",
            DiagnosticCode::ModuleNotResolved => "module-not-resolved",
            DiagnosticCode::TerraformEvaluation => "terraform-evaluation",
            DiagnosticCode::TerraformUnsupported => "terraform-unsupported",
            DiagnosticCode::TerraformPlan => "terraform-plan",
            DiagnosticCode::HelmChart => "helm-chart",
            DiagnosticCode::HelmValues => "helm-values",
            DiagnosticCode::HelmDependency => "helm-dependency",
            DiagnosticCode::HelmRender => "helm-render",
        }
    }
}

/// One problem with the input, located as precisely as known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: DiagnosticLevel,
    pub code: DiagnosticCode,
    pub message: String,
    /// Display path of the file or directory concerned.
    pub path: String,
    /// Where in the file, when the problem has a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The named value set of the chart render that met the problem.
    #[serde(rename = "valueSet", skip_serializing_if = "Option::is_none")]
    pub value_set: Option<String>,
}

impl Diagnostic {
    pub fn new(
        level: DiagnosticLevel,
        code: DiagnosticCode,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            code,
            message: message.into(),
            path: path.into(),
            position: None,
            value_set: None,
        }
    }

    pub fn at(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// Order used in every report: by path, then position, then text.
    pub fn sort_key(&self) -> (&str, Option<Position>, DiagnosticLevel, &str, Option<&str>) {
        (
            &self.path,
            self.position,
            self.level,
            &self.message,
            self.value_set.as_deref(),
        )
    }
}
