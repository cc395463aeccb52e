//! GitHub Actions output: workflow commands that annotate the pull request's
//! files (`::error file=…,line=…::message`), and a Markdown summary for the job
//! page (`$GITHUB_STEP_SUMMARY`).

use std::fmt::Write;

use crate::Scan;
use crate::diagnostic::DiagnosticLevel;
use crate::rules::Severity;

/// Rows of the step summary table, at most.
const MAX_SUMMARY_ROWS: usize = 200;

/// Escapes the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property (`file=`, `title=`) of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// One annotation per open finding and per error or warning about the input.
pub fn render(scan: &Scan) -> String {
    let mut out = String::new();
    for finding in scan.open_findings() {
        let file = scan.sources.get(finding.span.file);
        let span = file.clamp(finding.span);
        let _ = writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            command(finding.severity),
            escape_property(&file.display),
            span.start.line,
            span.end.line,
            span.start.column,
            span.end.column,
            escape_property(&format!(
                "{} {} ({})",
                finding.rule.id, finding.rule.name, finding.severity
            )),
            escape_data(&format!(
                "{} ({}){}",
                finding.message,
                finding.resource.display(),
                value_set_label(finding.value_set.as_deref()),
            )),
        );
    }
    for diagnostic in &scan.diagnostics {
        let kind = match diagnostic.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Note => continue,
        };
        let position = diagnostic
            .position
            .map(|p| format!(",line={},col={}", p.line, p.column))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::{kind} file={}{position},title={}::{}",
            escape_property(&diagnostic.path),
            escape_property(&format!("vigie {}", diagnostic.code.as_str())),
            escape_data(&format!(
                "{}{}",
                diagnostic.message,
                value_set_label(diagnostic.value_set.as_deref())
            )),
        );
    }
    out
}

/// ` [values: prod]` after what a named chart render produced.
fn value_set_label(value_set: Option<&str>) -> String {
    value_set.map_or_else(String::new, |set| format!(" [values: {set}]"))
}

/// A Markdown table cell: no pipes, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The job summary: counts, then a table of the open findings.
pub fn step_summary(scan: &Scan) -> String {
    let open: Vec<_> = scan.open_findings().collect();
    let mut out = String::from("## Vigie\n\n");
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|&severity| {
            let n = open.iter().filter(|f| f.severity == severity).count();
            (n > 0).then(|| format!("{n} {severity}"))
        })
        .collect();
    let suppressed = scan.findings.len() - open.len();
    let problems = scan
        .diagnostics
        .iter()
        .filter(|d| d.level != DiagnosticLevel::Note)
        .count();
    if open.is_empty() {
        let _ = write!(out, "**No findings**");
    } else {
        let _ = write!(out, "**{} findings** ({})", open.len(), counts.join(", "));
    }
    let _ = write!(
        out,
        " in {} resources of {} files",
        scan.resources.len(),
        scan.sources.len()
    );
    if suppressed > 0 {
        let _ = write!(out, " · {suppressed} suppressed");
    }
    if scan.dropped.in_baseline > 0 {
        let _ = write!(out, " · {} in the baseline", scan.dropped.in_baseline);
    }
    if scan.dropped.unchanged > 0 {
        let _ = write!(out, " · {} on unchanged lines", scan.dropped.unchanged);
    }
    if problems > 0 {
        let _ = write!(out, " · {problems} input problems");
    }
    out.push_str("\n\n");
    if open.is_empty() {
        return out;
    }
    out.push_str("| Severity | Rule | Location | Finding |\n|---|---|---|---|\n");
    for finding in open.iter().take(MAX_SUMMARY_ROWS) {
        let file = scan.sources.get(finding.span.file);
        let _ = writeln!(
            out,
            "| {} | {} {} | `{}:{}` | {} ({}) |",
            finding.severity,
            finding.rule.id,
            finding.rule.name,
            cell(&file.display),
            finding.span.start.line,
            cell(&finding.message),
            cell(&finding.resource.display()),
        );
    }
    if open.len() > MAX_SUMMARY_ROWS {
        let _ = writeln!(out, "\n…and {} more.", open.len() - MAX_SUMMARY_ROWS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_commands() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
