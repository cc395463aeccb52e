//! Reading the discovered files and loading the Kubernetes resources they hold.

use std::fs::File;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::discover::{Candidate, FileKind};
use crate::model::{Resource, TfResource, resources_from_document};
use crate::render::terraform::plan;
use crate::source::yaml::{self, Limits};
use crate::source::{FileId, Position, SourceFile, SourceMap, sha256_hex};

/// Files over this size are not read unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Bytes inspected for a NUL byte to tell binary files apart (as git does).
const BINARY_PROBE: usize = 8000;

#[derive(Copy, Clone, Debug)]
pub struct LoadOptions {
    pub max_file_size: u64,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            limits: Limits::default(),
        }
    }
}

/// The resources found in the files read, and what went wrong.
#[derive(Debug, Default)]
pub struct Loaded {
    pub resources: Vec<Resource>,
    /// Resource instances of the Terraform plans (JSON) among the files.
    pub terraform: Vec<TfResource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What one file holds.
type FileContent = (Vec<Resource>, Vec<TfResource>, Vec<Diagnostic>);

/// Reads and parses the candidates, in parallel, adding the files to `sources`;
/// results keep the candidates' order.
pub fn load_files(
    candidates: &[Candidate],
    options: &LoadOptions,
    sources: &mut SourceMap,
) -> Loaded {
    let read: Vec<Result<Option<SourceFile>, Diagnostic>> = candidates
        .par_iter()
        .map(|candidate| read_candidate(candidate, options.max_file_size))
        .collect();
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    for outcome in read {
        match outcome {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let first = sources.len();
    let parsed: Vec<FileContent> = files
        .par_iter()
        .enumerate()
        .map(|(index, file)| parse_file(FileId((first + index) as u32), file, options.limits))
        .collect();
    let mut resources = Vec::new();
    let mut terraform = Vec::new();
    for (mut file_resources, mut file_terraform, mut file_diagnostics) in parsed {
        resources.append(&mut file_resources);
        terraform.append(&mut file_terraform);
        diagnostics.append(&mut file_diagnostics);
    }
    sources.extend(files);
    Loaded {
        resources,
        terraform,
        diagnostics,
    }
}

/// Reads one file, or says why it was not read. `Ok(None)` is a file that is
/// quietly not a manifest.
fn read_candidate(
    candidate: &Candidate,
    max_file_size: u64,
) -> Result<Option<SourceFile>, Diagnostic> {
    // Problems with a file that may not even be a manifest are only notes.
    let level = match candidate.kind {
        FileKind::Manifest => DiagnosticLevel::Error,
        FileKind::Sniff => DiagnosticLevel::Note,
    };
    let file = read_source(
        &candidate.path,
        &candidate.display,
        candidate.size,
        max_file_size,
        level,
    )?;
    if candidate.kind == FileKind::Sniff && !looks_like_manifest(&file.text) {
        return Ok(None);
    }
    Ok(Some(file))
}

/// Reads a text file: refuses files over the size limit (checked on
/// `size_hint`, the size on disk, and again while reading), binary files and
/// text that is not UTF-8, with a diagnostic of `level`.
pub fn read_source(
    path: &std::path::Path,
    display: &str,
    size_hint: u64,
    max_file_size: u64,
    level: DiagnosticLevel,
) -> Result<SourceFile, Diagnostic> {
    let diagnostic =
        |code, message: String| Diagnostic::new(level, code, display.to_string(), message);
    let too_large = |size: u64| {
        diagnostic(
            DiagnosticCode::FileTooLarge,
            format!(
                "not scanned: the file is {}, over the {} limit (raise it with --max-file-size)",
                human_size(size),
                human_size(max_file_size)
            ),
        )
    };
    if size_hint > max_file_size {
        return Err(too_large(size_hint));
    }
    let unreadable = |e: std::io::Error| {
        diagnostic(
            DiagnosticCode::Unreadable,
            format!("not scanned: cannot read the file: {e}"),
        )
    };
    let file = File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // Read one byte past the limit: files can grow, and sizes can lie.
    file.take(max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_file_size {
        return Err(too_large(bytes.len() as u64));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        return Err(diagnostic(
            DiagnosticCode::BinaryFile,
            "not scanned: the file holds binary data".to_string(),
        ));
    }
    let sha256 = sha256_hex(&bytes);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(error) => {
            let valid = &body[..error.valid_up_to()];
            let line = 1 + memchr::memchr_iter(b'\n', valid).count() as u32;
            let line_start = memchr::memrchr(b'\n', valid).map_or(0, |i| i + 1);
            let column = 1 + String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count() as u32;
            return Err(diagnostic(
                DiagnosticCode::InvalidEncoding,
                "not scanned: the file is not UTF-8 text".to_string(),
            )
            .at(Position::new(line, column)));
        }
    };
    Ok(SourceFile::new(
        path.to_path_buf(),
        display.to_string(),
        text.to_string(),
        sha256,
    ))
}

/// Whether a file of unknown type starts like a Kubernetes manifest: its first
/// line that is not blank, a comment or a document marker is `apiVersion:` or
/// `kind:`, or it is a JSON object with both keys.
fn looks_like_manifest(text: &str) -> bool {
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with('%')
            || line == "---"
            || line.starts_with("--- ")
        {
            continue;
        }
        if line.starts_with('{') {
            return text.contains("\"apiVersion\"") && text.contains("\"kind\"");
        }
        return ["apiVersion:", "kind:", "\"apiVersion\":", "\"kind\":"]
            .iter()
            .any(|key| line.starts_with(key));
    }
    false
}

/// Parses one file into Kubernetes resources, or into Terraform resources
/// when it is a plan in JSON. A panic while parsing (a bug) becomes a
/// diagnostic for that file; the scan goes on.
fn parse_file(id: FileId, file: &SourceFile, limits: Limits) -> FileContent {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let loaded = yaml::load(id, &file.display, &file.text, limits);
        if let [document] = &loaded.documents[..]
            && plan::is_plan(&document.root)
        {
            let mut read = plan::resources_from_plan(&file.display, &document.root);
            let mut diagnostics = loaded.diagnostics;
            diagnostics.append(&mut read.diagnostics);
            return (Vec::new(), read.resources, diagnostics, true);
        }
        let resources: Vec<Resource> = loaded
            .documents
            .into_iter()
            .flat_map(|document| resources_from_document(id, document))
            .collect();
        (resources, Vec::new(), loaded.diagnostics, false)
    }));
    match outcome {
        Ok((resources, terraform, diagnostics, true)) => (resources, terraform, diagnostics),
        Ok((resources, _, mut diagnostics, false)) => {
            // Problems in a file that is not a Kubernetes manifest (a CI workflow, a
            // package.json) do not fail the scan: they are demoted one level.
            if resources.is_empty() && !file.text.contains("apiVersion") {
                for diagnostic in &mut diagnostics {
                    diagnostic.level = match diagnostic.level {
                        DiagnosticLevel::Error => DiagnosticLevel::Warning,
                        _ => DiagnosticLevel::Note,
                    };
                }
            }
            (resources, Vec::new(), diagnostics)
        }
        Err(_) => (
            Vec::new(),
            Vec::new(),
            vec![Diagnostic::new(
                DiagnosticLevel::Error,
                DiagnosticCode::Internal,
                file.display.clone(),
                "internal error while loading this file; please report it",
            )],
        ),
    }
}

/// `10.0 MiB`, `512 B`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Parses `10MiB`, `10M`, `512k`, `2G`, `1048576`: binary multiples.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("invalid size {text:?} (examples: 10MiB, 500K, 1048576)"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "invalid size unit in {text:?} (use B, KiB, MiB or GiB)"
            ));
        }
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("size {text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_manifests() {
        assert!(looks_like_manifest(
            "# comment\n---\napiVersion: v1\nkind: Pod\n"
        ));
        assert!(looks_like_manifest("kind: Pod\n"));
        assert!(looks_like_manifest(
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}"
        ));
        assert!(!looks_like_manifest(
            "# Title\n\nSome text apiVersion: v1\n"
        ));
        assert!(!looks_like_manifest("name: x\napiVersion: v1\n"));
    }

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("42"), Ok(42));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("1Q").is_err());
        assert_eq!(human_size(50 << 20), "50.0 MiB");
    }
}
