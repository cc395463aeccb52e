//! `report.html`: one self-contained page (inline CSS and SVG, no script, no
//! external resource) that reads on screen and prints.
//!
//! Everything taken from the scanned repository (paths, names, values, source
//! lines, justifications) is untrusted and goes through [`escape`]; the page
//! also carries a Content-Security-Policy that forbids scripts and external
//! loads, should anything slip through.

use std::fmt::Write;

use super::{ControlEvidence, Evidence, FindingEvidence, FrameworkEvidence, Outcome, RuleEvidence};

/// Text made safe for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab have no business in a page.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An `id` attribute value: letters, digits and `-` only.
fn anchor(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(part.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        }));
    }
    out
}

const STYLE: &str = r#"
:root { --pass: #1a7f37; --fail: #cf222e; --manual: #6e7781; --na: #afb8c1; --unchecked: #bf8700; --border: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 20px; border-bottom: 1px solid var(--border); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 0 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; }
table.meta th { width: 190px; }
table.meta, table.rules, table.exceptions { table-layout: fixed; }
td, th { overflow-wrap: anywhere; }
code.id { white-space: nowrap; overflow-wrap: normal; }
table.rules th:nth-child(1) { width: 32%; } table.rules th:nth-child(2) { width: 10%; }
table.rules th:nth-child(4) { width: 14%; }
.badge { display: inline-block; min-width: 92px; text-align: center; border-radius: 10px; padding: 0 8px; color: #fff; font-size: 12px; font-weight: 600; }
.pass { background: var(--pass); } .fail { background: var(--fail); } .manual { background: var(--manual); }
.not-applicable { background: var(--na); color: #1f2328; } .not-checked { background: var(--unchecked); }
.control { border: 1px solid var(--border); border-left: 6px solid var(--manual); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.control.status-pass { border-left-color: var(--pass); } .control.status-fail { border-left-color: var(--fail); }
.control.status-not-applicable { border-left-color: var(--na); } .control.status-not-checked { border-left-color: var(--unchecked); }
.finding { border-top: 1px dashed var(--border); padding-top: 8px; margin-top: 8px; break-inside: avoid; }
.where { font-weight: 600; }
pre.snippet { background: #f6f8fa; border: 1px solid var(--border); border-radius: 4px; padding: 6px 0; overflow-x: auto; white-space: pre; margin: 6px 0; }
pre.snippet span { display: block; padding: 0 8px; }
pre.snippet span.hit { background: #ffebe9; }
pre.snippet i { color: #6e7781; font-style: normal; user-select: none; }
.muted { color: #59636e; }
nav ul { columns: 2; }
svg text { font: 12px sans-serif; }
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table.rules { break-inside: avoid; }
  section.framework { break-before: page; }
  pre.snippet { white-space: pre-wrap; overflow-wrap: anywhere; }
  .badge, .control, pre.snippet span.hit, svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

/// The page.
pub fn render(evidence: &Evidence) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>Vigie compliance evidence</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    header(&mut out, evidence);
    contents(&mut out, evidence);
    summary(&mut out, evidence);
    for framework in &evidence.frameworks {
        framework_section(&mut out, evidence, framework);
    }
    exceptions(&mut out, evidence);
    unmapped(&mut out, evidence);
    diagnostics(&mut out, evidence);
    inputs(&mut out, evidence);
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, evidence: &Evidence) {
    let run = &evidence.run;
    out.push_str("<header>\n<h1>Compliance evidence report</h1>\n<table class=\"meta\">\n");
    let mut row = |name: &str, value_html: String| {
        let _ = writeln!(out, "<tr><th>{name}</th><td>{value_html}</td></tr>");
    };
    row(
        "Generated",
        format!(
            "{} <span class=\"muted\">({})</span>",
            escape(&run.generated_at),
            if run.time_source == "source-date-epoch" {
                "from SOURCE_DATE_EPOCH"
            } else {
                "clock"
            }
        ),
    );
    row("Vigie version", escape(run.vigie_version));
    row(
        "Command",
        format!("<code>{}</code>", escape(&run.command_line.join(" "))),
    );
    row(
        "Scanned paths",
        run.paths
            .iter()
            .map(|p| format!("<code>{}</code>", escape(p)))
            .collect::<Vec<_>>()
            .join(" "),
    );
    row("Commit", revision_html(evidence));
    row(
        "Rule catalog",
        format!(
            "{} rules, {} run; SHA-256 <code>{}</code>",
            run.rule_catalog.rules,
            run.rules_run.len(),
            escape(&run.rule_catalog.sha256)
        ),
    );
    row(
        "Framework catalogs",
        evidence
            .frameworks
            .iter()
            .map(|f| {
                format!(
                    "{} {} <code>{}</code>",
                    escape(&f.id),
                    escape(&f.version),
                    escape(&f.catalog_sha256)
                )
            })
            .collect::<Vec<_>>()
            .join("<br>"),
    );
    row(
        "Inputs",
        format!(
            "{} files, hashed in <code>manifest.sha256</code>",
            evidence.inputs.len()
        ),
    );
    let errors = evidence
        .diagnostics
        .iter()
        .filter(|d| d.level == "error")
        .count();
    let warnings = evidence.diagnostics.len() - errors;
    row(
        "Input problems",
        format!(
            "{errors} {}, {warnings} {}",
            if errors == 1 { "error" } else { "errors" },
            if warnings == 1 { "warning" } else { "warnings" }
        ),
    );
    out.push_str("</table>\n</header>\n");
}

fn revision_html(evidence: &Evidence) -> String {
    let Some(revision) = &evidence.run.revision else {
        return "not a git repository".to_string();
    };
    let mut text = match &revision.commit {
        Some(commit) => format!("<code>{}</code>", escape(commit)),
        None => "no commit yet".to_string(),
    };
    if let Some(reference) = &revision.reference {
        let _ = write!(text, " on <code>{}</code>", escape(reference));
    }
    text.push_str(match revision.dirty {
        Some(true) => "; <strong>dirty</strong>: scanned files differ from the commit",
        Some(false) => "; clean: scanned files match the index",
        None => "; state of the work tree unknown",
    });
    if !revision.changed_files.is_empty() {
        let files: Vec<String> = revision
            .changed_files
            .iter()
            .map(|f| format!("<code>{}</code>", escape(f)))
            .collect();
        let _ = write!(text, " ({})", files.join(", "));
    }
    text
}

fn contents(out: &mut String, evidence: &Evidence) {
    out.push_str("<nav>\n<h2>Contents</h2>\n<ul>\n<li><a href=\"#summary\">Summary</a></li>\n");
    for framework in &evidence.frameworks {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            anchor(&["framework", &framework.id]),
            escape(&framework.title)
        );
    }
    out.push_str("<li><a href=\"#exceptions\">Exceptions register</a></li>\n");
    out.push_str("<li><a href=\"#other-findings\">Findings outside these frameworks</a></li>\n");
    out.push_str("<li><a href=\"#input-problems\">Input problems</a></li>\n");
    out.push_str("<li><a href=\"#inputs\">Scanned inputs</a></li>\n</ul>\n</nav>\n");
}

/// The outcomes in the order the summary shows them, with their CSS colour.
const OUTCOMES: [(Outcome, &str); 5] = [
    (Outcome::Pass, "#1a7f37"),
    (Outcome::Fail, "#cf222e"),
    (Outcome::Manual, "#6e7781"),
    (Outcome::NotApplicable, "#afb8c1"),
    (Outcome::NotChecked, "#bf8700"),
];

fn count(framework: &FrameworkEvidence, outcome: Outcome) -> usize {
    let s = &framework.summary;
    match outcome {
        Outcome::Pass => s.pass,
        Outcome::Fail => s.fail,
        Outcome::Manual => s.manual,
        Outcome::NotApplicable => s.not_applicable,
        Outcome::NotChecked => s.not_checked,
    }
}

fn summary(out: &mut String, evidence: &Evidence) {
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    out.push_str("<table class=\"summary\">\n<tr><th>Framework</th>");
    for (outcome, _) in OUTCOMES {
        let _ = write!(out, "<th class=\"num\">{}</th>", outcome.label());
    }
    out.push_str("<th class=\"num\">Controls</th></tr>\n");
    for framework in &evidence.frameworks {
        let _ = write!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td>",
            anchor(&["framework", &framework.id]),
            escape(&framework.id)
        );
        for (outcome, _) in OUTCOMES {
            let _ = write!(
                out,
                "<td class=\"num\" data-status=\"{}\">{}</td>",
                outcome.as_str(),
                count(framework, outcome)
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"num\">{}</td></tr>",
            framework.summary.total()
        );
    }
    out.push_str("</table>\n");
    chart(out, evidence);
    let open = evidence.findings.iter().filter(|f| !f.accepted).count();
    let _ = writeln!(
        out,
        "<p>{open} open findings, {} accepted (see the <a href=\"#exceptions\">exceptions register</a>).</p>",
        evidence.exceptions.len()
    );
    out.push_str("</section>\n");
}

/// One horizontal bar per framework, split by outcome, with a legend.
fn chart(out: &mut String, evidence: &Evidence) {
    const LABEL: u32 = 130;
    const BAR: u32 = 560;
    const ROW: u32 = 28;
    let rows = evidence.frameworks.len() as u32;
    let height = rows * ROW + 34;
    let width = LABEL + BAR + 60;
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Controls by outcome\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (row, framework) in evidence.frameworks.iter().enumerate() {
        let y = row as u32 * ROW + 4;
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 15,
            escape(&framework.id)
        );
        let total = framework.summary.total().max(1) as u32;
        let mut x = LABEL;
        for (outcome, colour) in OUTCOMES {
            let n = count(framework, outcome) as u32;
            if n == 0 {
                continue;
            }
            let w = (BAR * n).div_ceil(total).min(LABEL + BAR - x);
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"{colour}\"><title>{}: {n}</title></rect>",
                outcome.label()
            );
            if w >= 18 {
                let text_colour = if outcome == Outcome::NotApplicable {
                    "#1f2328"
                } else {
                    "#ffffff"
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" fill=\"{text_colour}\" text-anchor=\"middle\">{n}</text>",
                    x + w / 2,
                    y + 15
                );
            }
            out.push('\n');
            x += w;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            LABEL + BAR + 8,
            y + 15,
            framework.summary.total()
        );
    }
    let mut x = LABEL;
    let y = rows * ROW + 12;
    for (outcome, colour) in OUTCOMES {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 16,
            y + 11,
            outcome.label()
        );
        x += 112;
    }
    out.push_str("</svg>\n");
}

fn framework_section(out: &mut String, evidence: &Evidence, framework: &FrameworkEvidence) {
    let _ = writeln!(
        out,
        "<section class=\"framework\" id=\"{}\">\n<h2>{}</h2>",
        anchor(&["framework", &framework.id]),
        escape(&framework.title)
    );
    let s = &framework.summary;
    let _ = writeln!(
        out,
        "<p><code>{}</code>: {} controls: {} pass, {} fail, {} manual, {} not applicable, {} not checked. Catalog SHA-256 <code>{}</code>.</p>",
        escape(&framework.id),
        s.total(),
        s.pass,
        s.fail,
        s.manual,
        s.not_applicable,
        s.not_checked,
        escape(&framework.catalog_sha256)
    );
    for control in &framework.controls {
        control_article(out, evidence, framework, control);
    }
    out.push_str("</section>\n");
}

fn control_article(
    out: &mut String,
    evidence: &Evidence,
    framework: &FrameworkEvidence,
    control: &ControlEvidence,
) {
    let status = control.status.as_str();
    let _ = writeln!(
        out,
        "<article class=\"control status-{status}\" id=\"{}\" data-status=\"{status}\">",
        anchor(&["control", &framework.id, &control.id])
    );
    let _ = writeln!(
        out,
        "<h3><span class=\"badge {status}\">{}</span> {} {}</h3>",
        control.status.label(),
        escape(&control.id),
        escape(&control.title)
    );
    let mut about = format!("Coverage by rules: {}.", control.coverage);
    if control.coverage == "partial" && control.status == Outcome::Pass {
        about.push_str(" The rules found nothing; the rest of the control needs other evidence.");
    }
    let _ = write!(out, "<p class=\"muted\">{}", escape(&about));
    if let Some(note) = &control.note {
        let _ = write!(out, " {}", escape(note));
    }
    out.push_str("</p>\n");
    if !control.rules.is_empty() {
        out.push_str("<table class=\"rules\">\n<tr><th>Rule</th><th>Severity</th><th>Examined</th><th>Result</th></tr>\n");
        for rule in &control.rules {
            rule_row(out, rule);
        }
        out.push_str("</table>\n");
    }
    for rule in &control.rules {
        for &index in &rule.findings {
            if let Some(finding) = evidence.findings.get(index) {
                finding_block(out, finding);
            }
        }
    }
    out.push_str("</article>\n");
}

fn rule_row(out: &mut String, rule: &RuleEvidence) {
    let examined = match &rule.examined {
        Some(e) if e.count == 0 => format!("no {} in the inputs", escape(e.scope)),
        Some(e) => {
            let kinds: Vec<String> = e
                .by_kind
                .iter()
                .map(|(kind, n)| format!("{} {n}", escape(kind)))
                .collect();
            format!("{}: {} ({})", escape(e.scope), e.count, kinds.join(", "))
        }
        None => "did not run (disabled or not selected)".to_string(),
    };
    let result = match (rule.ran, rule.findings.len(), rule.accepted.len()) {
        (false, _, _) => "—".to_string(),
        (true, 0, 0) => "no findings".to_string(),
        (true, open, accepted) => {
            let mut text = format!("{open} open");
            if accepted > 0 {
                let _ = write!(text, ", {accepted} accepted");
            }
            text
        }
    };
    let _ = writeln!(
        out,
        "<tr><td><code class=\"id\">{}</code> {}<br><span class=\"muted\">{}</span></td><td>{}</td><td>{examined}</td><td>{result}</td></tr>",
        escape(&rule.id),
        escape(&rule.name),
        escape(&rule.summary),
        rule.severity.map_or("", |s| s.as_str())
    );
}

fn finding_block(out: &mut String, finding: &FindingEvidence) {
    let _ = writeln!(
        out,
        "<div class=\"finding\">\n<p><span class=\"where\">{}:{}:{}</span> <code>{}</code> {} — {}</p>",
        escape(&finding.path),
        finding.start.line,
        finding.start.column,
        escape(finding.rule),
        escape(&finding.resource),
        escape(&finding.labelled_message())
    );
    let _ = writeln!(
        out,
        "<p>Field <code>{}</code>, source <code>{}</code> <span class=\"muted\">({})</span></p>",
        escape(&finding.field),
        escape(&finding.value),
        finding.severity.as_str()
    );
    for related in &finding.related {
        let _ = writeln!(
            out,
            "<p class=\"muted\">via {}:{}:{}: {}</p>",
            escape(&related.path),
            related.line,
            related.column,
            escape(&related.message)
        );
    }
    if !finding.variants.is_empty() {
        let variants: Vec<String> = finding
            .variants
            .iter()
            .map(|v| format!("<code>{}</code>", escape(v)))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"muted\">In the output of {}</p>",
            variants.join(", ")
        );
    }
    out.push_str("<pre class=\"snippet\">");
    let last = finding.end.line.max(finding.start.line);
    let width = (finding.snippet.first_line as usize + finding.snippet.lines.len())
        .to_string()
        .len();
    for (offset, line) in finding.snippet.lines.iter().enumerate() {
        let number = finding.snippet.first_line + offset as u32;
        let hit = (finding.start.line..=last).contains(&number);
        let _ = write!(
            out,
            "<span{}><i>{number:>width$} │ </i>{}</span>",
            if hit { " class=\"hit\"" } else { "" },
            escape(line)
        );
    }
    out.push_str("</pre>\n</div>\n");
}

fn exceptions(out: &mut String, evidence: &Evidence) {
    out.push_str("<section id=\"exceptions\">\n<h2>Exceptions register</h2>\n");
    if evidence.exceptions.is_empty() {
        out.push_str("<p>No finding was accepted.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p>{} accepted findings. They do not fail their controls; each acceptance is listed with its justification.</p>",
        evidence.exceptions.len()
    );
    out.push_str("<table class=\"exceptions\">\n<tr><th>Rule</th><th>Finding</th><th>Justification</th><th>Approved by</th><th>Expires</th><th>Written at</th></tr>\n");
    for e in &evidence.exceptions {
        let _ = writeln!(
            out,
            "<tr><td><code class=\"id\">{}</code></td><td>{}:{}<br>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}:{}:{} <span class=\"muted\">({})</span></td></tr>",
            escape(e.rule),
            escape(&e.path),
            e.line,
            escape(&e.resource),
            escape(&e.justification),
            escape(e.approved_by.as_deref().unwrap_or("—")),
            escape(e.expires.as_deref().unwrap_or("never")),
            escape(&e.written_at.path),
            e.written_at.line,
            e.written_at.column,
            e.kind
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn unmapped(out: &mut String, evidence: &Evidence) {
    out.push_str("<section id=\"other-findings\">\n<h2>Findings outside these frameworks</h2>\n");
    let others: Vec<&FindingEvidence> = evidence
        .findings
        .iter()
        .filter(|f| f.controls.is_empty() && !f.accepted)
        .collect();
    if others.is_empty() {
        out.push_str("<p>None: every open finding belongs to a control above.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table>\n<tr><th>Rule</th><th>Location</th><th>Resource</th><th>Message</th></tr>\n",
    );
    for f in others {
        let _ = writeln!(
            out,
            "<tr><td><code class=\"id\">{}</code></td><td>{}:{}:{}</td><td>{}</td><td>{}</td></tr>",
            escape(f.rule),
            escape(&f.path),
            f.start.line,
            f.start.column,
            escape(&f.resource),
            escape(&f.labelled_message())
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn diagnostics(out: &mut String, evidence: &Evidence) {
    out.push_str("<section id=\"input-problems\">\n<h2>Input problems</h2>\n");
    if evidence.diagnostics.is_empty() {
        out.push_str("<p>Every input was read.</p>\n</section>\n");
        return;
    }
    out.push_str("<p>Files or parts of files Vigie could not check; controls cannot be evidenced for what they hold.</p>\n");
    out.push_str("<table>\n<tr><th>Level</th><th>Location</th><th>Problem</th></tr>\n");
    for d in &evidence.diagnostics {
        let at = match (d.line, d.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}{at}</td><td>{} <span class=\"muted\">[{}]</span></td></tr>",
            d.level,
            escape(&d.path),
            escape(&d.message),
            d.code
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn inputs(out: &mut String, evidence: &Evidence) {
    out.push_str("<section id=\"inputs\">\n<h2>Scanned inputs</h2>\n");
    let _ = writeln!(
        out,
        "<p>{} files, relative to the directory Vigie ran from.</p>",
        evidence.inputs.len()
    );
    out.push_str("<table>\n<tr><th>File</th><th>SHA-256</th></tr>\n");
    for input in &evidence.inputs {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(&input.path),
            escape(&input.sha256)
        );
    }
    out.push_str("</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<img src=x onerror='a()'>&\"\u{7}"),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;\u{fffd}"
        );
        assert_eq!(
            anchor(&["control", "cis-k8s", "5.1.1"]),
            "control-cis-k8s-5-1-1"
        );
    }
}
