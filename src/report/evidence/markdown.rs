//! `report.md`: the evidence for a pull request or a wiki page, compact: the
//! run, the summary, one table of controls per framework, the failing
//! findings with their source, and the exceptions register.
//!
//! Text from the scanned repository is escaped so that it cannot add markup,
//! links or HTML (GitHub renders inline HTML); source lines go into code
//! fences longer than any run of backticks they hold.

use std::fmt::Write;

use super::{ControlEvidence, Evidence, FindingEvidence, Outcome};

/// Text safe in a Markdown paragraph or table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block for these lines.
fn fence(out: &mut String, lines: &[String]) {
    let longest = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let marker = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{marker}yaml");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    let _ = writeln!(out, "{marker}");
}

/// The Markdown report.
pub fn render(evidence: &Evidence) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let run = &evidence.run;
    out.push_str("# Compliance evidence report\n\n");
    let _ = writeln!(
        out,
        "- Generated: {} ({})",
        escape(&run.generated_at),
        if run.time_source == "source-date-epoch" {
            "from SOURCE_DATE_EPOCH"
        } else {
            "clock"
        }
    );
    let _ = writeln!(out, "- Vigie: {}", escape(run.vigie_version));
    let _ = writeln!(out, "- Command: {}", escape(&run.command_line.join(" ")));
    match &run.revision {
        Some(revision) => {
            let _ = writeln!(
                out,
                "- Commit: {}{}; {}",
                escape(revision.commit.as_deref().unwrap_or("none yet")),
                revision
                    .reference
                    .as_deref()
                    .map(|r| format!(" on {}", escape(r)))
                    .unwrap_or_default(),
                match revision.dirty {
                    Some(true) => format!(
                        "**dirty** ({})",
                        revision
                            .changed_files
                            .iter()
                            .map(|f| escape(f))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some(false) => "clean".to_string(),
                    None => "work tree state unknown".to_string(),
                }
            );
        }
        None => out.push_str("- Commit: not a git repository\n"),
    }
    let _ = writeln!(
        out,
        "- Rule catalog: {} rules, {} run, SHA-256 {}",
        run.rule_catalog.rules,
        run.rules_run.len(),
        run.rule_catalog.sha256
    );
    for framework in &evidence.frameworks {
        let _ = writeln!(
            out,
            "- Catalog {} {}: SHA-256 {}",
            escape(&framework.id),
            escape(&framework.version),
            framework.catalog_sha256
        );
    }
    let _ = writeln!(
        out,
        "- Inputs: {} files, hashed in manifest.sha256",
        evidence.inputs.len()
    );

    out.push_str("\n## Summary\n\n| Framework | Pass | Fail | Manual | Not applicable | Not checked | Controls |\n|---|--:|--:|--:|--:|--:|--:|\n");
    for f in &evidence.frameworks {
        let s = &f.summary;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&f.id),
            s.pass,
            s.fail,
            s.manual,
            s.not_applicable,
            s.not_checked,
            s.total()
        );
    }
    let open = evidence.findings.iter().filter(|f| !f.accepted).count();
    let _ = writeln!(
        out,
        "\n{open} open findings, {} accepted.",
        evidence.exceptions.len()
    );

    for framework in &evidence.frameworks {
        let _ = writeln!(out, "\n## {}\n", escape(&framework.title));
        out.push_str("| Control | Status | Title | Rules | Examined |\n|---|---|---|---|---|\n");
        for control in &framework.controls {
            control_row(&mut out, control);
        }
        let failing: Vec<&ControlEvidence> = framework
            .controls
            .iter()
            .filter(|c| c.status == Outcome::Fail)
            .collect();
        for control in failing {
            let _ = writeln!(
                out,
                "\n### {} {}: failing findings\n",
                escape(&control.id),
                escape(&control.title)
            );
            for rule in &control.rules {
                for &index in &rule.findings {
                    if let Some(finding) = evidence.findings.get(index) {
                        finding_item(&mut out, finding);
                    }
                }
            }
        }
    }

    out.push_str("\n## Exceptions register\n\n");
    if evidence.exceptions.is_empty() {
        out.push_str("No finding was accepted.\n");
    } else {
        out.push_str("| Rule | Finding | Justification | Approved by | Expires | Written at |\n|---|---|---|---|---|---|\n");
        for e in &evidence.exceptions {
            let _ = writeln!(
                out,
                "| {} | {}:{} {} | {} | {} | {} | {}:{} ({}) |",
                escape(e.rule),
                escape(&e.path),
                e.line,
                escape(&e.resource),
                escape(&e.justification),
                escape(e.approved_by.as_deref().unwrap_or("—")),
                escape(e.expires.as_deref().unwrap_or("never")),
                escape(&e.written_at.path),
                e.written_at.line,
                e.kind
            );
        }
    }

    let others: Vec<&FindingEvidence> = evidence
        .findings
        .iter()
        .filter(|f| f.controls.is_empty() && !f.accepted)
        .collect();
    if !others.is_empty() {
        out.push_str("\n## Findings outside these frameworks\n\n");
        for f in others {
            let _ = writeln!(
                out,
                "- {} {}:{}:{} {}: {}",
                escape(f.rule),
                escape(&f.path),
                f.start.line,
                f.start.column,
                escape(&f.resource),
                escape(&f.labelled_message())
            );
        }
    }
    if !evidence.diagnostics.is_empty() {
        out.push_str("\n## Input problems\n\n");
        for d in &evidence.diagnostics {
            let at = match (d.line, d.column) {
                (Some(line), Some(column)) => format!(":{line}:{column}"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- {} {}{at}: {} \\[{}\\]",
                d.level,
                escape(&d.path),
                escape(&d.message),
                d.code
            );
        }
    }
    out
}

fn control_row(out: &mut String, control: &ControlEvidence) {
    let rules: Vec<String> = control
        .rules
        .iter()
        .map(|r| {
            let result = match (r.ran, r.findings.len()) {
                (false, _) => "not run".to_string(),
                (true, 0) => "ok".to_string(),
                (true, n) => format!("{n} open"),
            };
            format!("{} ({result})", escape(&r.id))
        })
        .collect();
    let examined: Vec<String> = control
        .rules
        .iter()
        .filter_map(|r| r.examined.as_ref())
        .map(|e| format!("{}: {}", escape(e.scope), e.count))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let status = match (control.status, control.coverage) {
        (Outcome::Pass, "partial") => "Pass (partial)".to_string(),
        (Outcome::Fail, _) => "**Fail**".to_string(),
        (status, _) => status.label().to_string(),
    };
    let _ = writeln!(
        out,
        "| {} | {status} | {} | {} | {} |",
        escape(&control.id),
        escape(&control.title),
        rules.join(", "),
        examined.join("; ")
    );
}

fn finding_item(out: &mut String, finding: &FindingEvidence) {
    let _ = writeln!(
        out,
        "- **{}:{}:{}** {} {}: {} (field {}, source {})\n",
        escape(&finding.path),
        finding.start.line,
        finding.start.column,
        escape(finding.rule),
        escape(&finding.resource),
        escape(&finding.labelled_message()),
        escape(&finding.field),
        escape(&finding.value)
    );
    for related in &finding.related {
        let _ = writeln!(
            out,
            "  via {}:{}:{}: {}\n",
            escape(&related.path),
            related.line,
            related.column,
            escape(&related.message)
        );
    }
    let mut lines = Vec::with_capacity(finding.snippet.lines.len());
    for (offset, line) in finding.snippet.lines.iter().enumerate() {
        lines.push(format!(
            "{:>4} {}",
            finding.snippet.first_line + offset as u32,
            line
        ));
    }
    let mut block = String::new();
    fence(&mut block, &lines);
    for line in block.lines() {
        let _ = writeln!(out, "  {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>|[x](y)*`\n"),
            "&lt;script&gt;\\|\\[x\\](y)\\*\\` "
        );
    }

    #[test]
    fn fences_outgrow_backtick_runs() {
        let mut out = String::new();
        fence(&mut out, &["a ```` b".to_string()]);
        assert!(out.starts_with("`````yaml\n"));
        assert!(out.ends_with("\n`````\n"));
    }
}
