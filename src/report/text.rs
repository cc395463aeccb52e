//! Human-readable output: one block per finding, `path:line:col: RULE message`,
//! followed by the source line with the offending field underlined.

use std::fmt::Write;

use crate::Scan;
use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::rules::Severity;
use crate::source::{SourceFile, Span};

/// Presentation choices.
#[derive(Copy, Clone, Debug, Default)]
pub struct TextOptions {
    /// ANSI colors.
    pub color: bool,
    /// Show notes (skipped files and other minor diagnostics).
    pub verbose: bool,
}

/// Longest source excerpt shown for one line, in characters.
const MAX_EXCERPT: usize = 160;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Critical => self.wrap("1;31", text),
            Severity::High => self.wrap("31", text),
            Severity::Medium => self.wrap("33", text),
            Severity::Low => self.wrap("34", text),
        }
    }

    fn level(&self, level: DiagnosticLevel, text: &str) -> String {
        match level {
            DiagnosticLevel::Error => self.wrap("1;31", text),
            DiagnosticLevel::Warning => self.wrap("33", text),
            DiagnosticLevel::Note => self.wrap("36", text),
        }
    }
}

/// Renders the whole report.
pub fn render(scan: &Scan, options: &TextOptions) -> String {
    let paint = Paint { on: options.color };
    let mut out = String::new();
    for finding in scan.open_findings() {
        let file = scan.sources.get(finding.span.file);
        let span = file.clamp(finding.span);
        let _ = writeln!(
            out,
            "{}: {} {} {}{}",
            paint.bold(&format!(
                "{}:{}:{}",
                file.display, span.start.line, span.start.column
            )),
            paint.severity(finding.severity, finding.rule.id),
            finding.message,
            paint.severity(finding.severity, &format!("[{}]", finding.severity)),
            value_set_label(finding.value_set.as_deref()),
        );
        excerpt(
            &mut out,
            file,
            span,
            &finding.resource.display(),
            &paint,
            finding.severity,
        );
        if !finding.variants.is_empty() {
            let _ = writeln!(
                out,
                "{} {}",
                paint.dim("   = in"),
                finding.variants.join(", ")
            );
        }
        for related in &finding.related {
            let file = scan.sources.get(related.span.file);
            let _ = writeln!(
                out,
                "{} {}:{}:{}: {}",
                paint.dim("   = via"),
                file.display,
                related.span.start.line,
                related.span.start.column,
                related.message
            );
        }
        out.push('\n');
    }
    let mut hidden_notes = 0;
    for diagnostic in &scan.diagnostics {
        if diagnostic.level == DiagnosticLevel::Note && !options.verbose {
            hidden_notes += 1;
            continue;
        }
        render_diagnostic(&mut out, scan, diagnostic, &paint);
    }
    summary(&mut out, scan, hidden_notes, &paint);
    out
}

/// ` [values: prod]` after what a named chart render produced.
fn value_set_label(value_set: Option<&str>) -> String {
    value_set.map_or_else(String::new, |set| format!(" [values: {set}]"))
}

fn render_diagnostic(out: &mut String, scan: &Scan, diagnostic: &Diagnostic, paint: &Paint) {
    let location = match diagnostic.position {
        Some(position) => format!("{}:{}:{}", diagnostic.path, position.line, position.column),
        None => diagnostic.path.clone(),
    };
    let _ = writeln!(
        out,
        "{}: {} {}{}",
        paint.bold(&location),
        paint.level(
            diagnostic.level,
            &format!(
                "{}[{}]",
                diagnostic.level.as_str(),
                diagnostic.code.as_str()
            )
        ),
        diagnostic.message,
        value_set_label(diagnostic.value_set.as_deref()),
    );
    let file = scan
        .sources
        .iter()
        .find(|(_, f)| f.display == diagnostic.path);
    if let (Some((id, file)), Some(position)) = (file, diagnostic.position) {
        let span = Span::new(id, position, position);
        let severity = match diagnostic.level {
            DiagnosticLevel::Error => Severity::High,
            DiagnosticLevel::Warning => Severity::Medium,
            DiagnosticLevel::Note => Severity::Low,
        };
        excerpt(out, file, span, "", paint, severity);
    }
    out.push('\n');
}

/// The line before the span, the span's first line, and a caret underline.
fn excerpt(
    out: &mut String,
    file: &SourceFile,
    span: Span,
    label: &str,
    paint: &Paint,
    severity: Severity,
) {
    let line_number = span.start.line;
    let Some(line) = file.line(line_number) else {
        return;
    };
    let width = line_number.to_string().len();
    let gutter = |n: Option<u32>| match n {
        Some(n) => paint.dim(&format!("{n:>width$} |")),
        None => paint.dim(&format!("{:>width$} |", "")),
    };
    let _ = writeln!(out, "{}", gutter(None));
    if let Some(previous) = line_number.checked_sub(1).and_then(|n| file.line(n))
        && !previous.trim().is_empty()
    {
        let (shown, _) = window(previous, 0);
        let _ = writeln!(out, "{} {}", gutter(Some(line_number - 1)), shown);
    }
    let start = span.start.column.saturating_sub(1) as usize;
    let end = if span.end.line == span.start.line {
        (span.end.column.saturating_sub(1) as usize).max(start + 1)
    } else {
        line.chars().count().max(start + 1)
    };
    let (shown, offset) = window(line, start);
    let _ = writeln!(out, "{} {}", gutter(Some(line_number)), shown);
    let indent = display_width(line, offset, start) + usize::from(offset > 0);
    let carets = display_width(line, start, end).clamp(1, MAX_EXCERPT);
    let underline = format!("{}{}", " ".repeat(indent), "^".repeat(carets));
    let underline_painted = paint.severity(severity, &underline);
    let label_part = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    let _ = writeln!(out, "{} {underline_painted}{label_part}", gutter(None));
}

/// A window of at most `MAX_EXCERPT` characters of `line` that shows `column`
/// (0-based), with tabs expanded; returns the text and the first character shown.
fn window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    let first = if length <= MAX_EXCERPT || column < MAX_EXCERPT / 2 {
        0
    } else {
        column - MAX_EXCERPT / 4
    };
    let mut shown: String = line
        .chars()
        .skip(first)
        .take(MAX_EXCERPT)
        .map(|c| {
            if c == '\t' {
                "    ".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if first > 0 {
        shown.insert(0, '…');
    }
    if first + MAX_EXCERPT < length {
        shown.push('…');
    }
    (shown, first)
}

/// Display width of the characters `from..to` of `line` (tabs count four).
fn display_width(line: &str, from: usize, to: usize) -> usize {
    line.chars()
        .chain(std::iter::repeat(' '))
        .skip(from)
        .take(to.saturating_sub(from))
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn summary(out: &mut String, scan: &Scan, hidden_notes: usize, paint: &Paint) {
    // Kubernetes objects and Terraform resource instances alike.
    let checked = scan.resources.len() + scan.terraform.len();
    let scanned = format!(
        "{} {} with {} {} in {} {}",
        checked,
        plural(checked, "resource", "resources"),
        scan.rules.len(),
        plural(scan.rules.len(), "rule", "rules"),
        scan.sources.len(),
        plural(scan.sources.len(), "file", "files"),
    );
    let open: Vec<_> = scan.open_findings().collect();
    if open.is_empty() {
        let _ = writeln!(out, "{} Checked {scanned}.", paint.bold("No findings."));
    } else {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|&severity| {
                let n = open.iter().filter(|f| f.severity == severity).count();
                (n > 0).then(|| paint.severity(severity, &format!("{n} {severity}")))
            })
            .collect();
        let _ = writeln!(
            out,
            "{} ({}). Checked {scanned}.",
            paint.bold(&format!(
                "{} {}",
                open.len(),
                plural(open.len(), "finding", "findings")
            )),
            counts.join(", ")
        );
    }
    let mut hidden = Vec::new();
    let suppressed = scan.findings.len() - open.len();
    if suppressed > 0 {
        hidden.push(format!("{suppressed} suppressed by ignores or exceptions"));
    }
    if scan.dropped.in_baseline > 0 {
        hidden.push(format!("{} in the baseline", scan.dropped.in_baseline));
    }
    if scan.dropped.unchanged > 0 {
        hidden.push(format!("{} on unchanged lines", scan.dropped.unchanged));
    }
    if !hidden.is_empty() {
        let _ = writeln!(out, "Not shown: {}.", hidden.join(", "));
    }
    let count = |level| scan.diagnostics.iter().filter(|d| d.level == level).count();
    let (errors, warnings) = (
        count(DiagnosticLevel::Error),
        count(DiagnosticLevel::Warning),
    );
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(format!("{errors} {}", plural(errors, "error", "errors")));
    }
    if warnings > 0 {
        parts.push(format!(
            "{warnings} {}",
            plural(warnings, "warning", "warnings")
        ));
    }
    if hidden_notes > 0 {
        parts.push(format!(
            "{hidden_notes} {} hidden (--verbose shows them)",
            plural(hidden_notes, "note", "notes")
        ));
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "Input problems: {}.", parts.join(", "));
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_long_lines_around_the_column() {
        let line = "x".repeat(1000);
        let (shown, first) = window(&line, 500);
        assert_eq!(first, 460);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let (shown, first) = window("\tkey: value", 0);
        assert_eq!((shown.as_str(), first), ("    key: value", 0));
    }
}
