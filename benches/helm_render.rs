//! Times rendering a Helm chart in process against a `helm template` process.
//!
//! `cargo bench --bench helm_render [-- CHART...]`: without charts, the
//! charts the goldens of `testdata/helm/golden/CASES` use, and those of
//! `VIGIE_BENCH_CHARTS` (separated by `:`). `VIGIE_BENCH_RUNS` sets the number of timed
//! runs (default 30 in process, a third of that for helm), and `HELM` names the
//! helm binary (else `helm` on `PATH`; without one only Vigie is timed).
//!
//! The in-process job is what `vigie render CHART` does between parsing its
//! arguments and writing stdout: read the chart from disk, compute the values,
//! render every template and produce the manifest text. Each figure is the
//! median and the minimum of the timed runs, after one warm-up run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vigie::render::helm::chart::prepare::RenderOptions;
use vigie::render::helm::scan::{Want, render_chart};
use vigie::source::SourceMap;
use vigie::source::yaml::Limits;

// The same allocator as the `vigie` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The median and the fastest of a series of runs.
struct Timing {
    median: Duration,
    min: Duration,
}

impl Timing {
    fn of(mut runs: Vec<Duration>) -> Timing {
        runs.sort();
        Timing {
            median: runs[runs.len() / 2],
            min: runs[0],
        }
    }
}

/// One chart's in-process figures: output size and timing, or why it failed.
fn time_in_process(dir: &Path, runs: usize) -> Result<(usize, Timing), String> {
    let display = dir.display().to_string();
    let options = RenderOptions::default();
    let render = || {
        let mut sources = SourceMap::default();
        render_chart(
            dir,
            &display,
            &options,
            Limits::default(),
            &mut sources,
            Want::Manifest,
        )
    };
    let warm_up = render();
    let Some(manifest) = warm_up.manifest else {
        let first = warm_up
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        return Err(format!("render failed: {first}"));
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let rendered = render();
        times.push(start.elapsed());
        std::hint::black_box(rendered);
    }
    Ok((manifest.len(), Timing::of(times)))
}

/// `helm template CHART` run as a process, output discarded; `None` when helm
/// fails on the chart.
fn time_helm(helm: &Path, dir: &Path, runs: usize) -> Option<(usize, Timing)> {
    let warm_up = Command::new(helm)
        .arg("template")
        .arg(dir)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !warm_up.status.success() {
        return None;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(helm)
            .arg("template")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        times.push(start.elapsed());
        if !status.success() {
            return None;
        }
    }
    Some((warm_up.stdout.len(), Timing::of(times)))
}

/// The helm binary named by `HELM`, else the first `helm` on `PATH`.
fn find_helm() -> Option<PathBuf> {
    if let Some(helm) = std::env::var_os("HELM") {
        return Some(PathBuf::from(helm));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("helm"))
        .find(|candidate| candidate.is_file())
}

/// The charts `testdata/helm/golden/CASES` renders, each once.
fn golden_charts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm");
    let cases = std::fs::read_to_string(dir.join("golden/CASES")).unwrap_or_default();
    let mut charts: Vec<PathBuf> = Vec::new();
    for line in cases.lines().filter(|l| !l.starts_with('#')) {
        if let Some(chart) = line.split_whitespace().nth(1) {
            let chart = dir.join(chart);
            if !charts.contains(&chart) {
                charts.push(chart);
            }
        }
    }
    charts
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and a
    // test run must not spend a minute timing helm.
    if !std::env::args().any(|a| a == "--bench") {
        println!("helm_render: timings run only under `cargo bench`");
        return;
    }
    let mut charts: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();
    if charts.is_empty() {
        charts = golden_charts();
        if let Some(more) = std::env::var_os("VIGIE_BENCH_CHARTS") {
            charts.extend(std::env::split_paths(&more));
        }
    }
    let runs = std::env::var("VIGIE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
        .filter(|&r| r > 0)
        .unwrap_or(30);
    let helm = find_helm();
    match &helm {
        Some(helm) => println!("helm: {}", helm.display()),
        None => println!("helm: not found (set HELM or PATH); timing Vigie only"),
    }
    println!(
        "runs: {runs} in process, {} helm; times in ms",
        runs.div_ceil(3)
    );
    println!(
        "{:<48} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7}",
        "chart", "bytes", "vigie-md", "vigie-mn", "helm-md", "helm-mn", "md-x", "mn-x"
    );
    for chart in &charts {
        let name = chart
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(chart)
            .display()
            .to_string();
        let ours = match time_in_process(chart, runs) {
            Ok(ours) => ours,
            Err(message) => {
                println!("{name:<48} {message}");
                continue;
            }
        };
        let (bytes, vigie) = ours;
        let theirs = helm
            .as_deref()
            .and_then(|helm| time_helm(helm, chart, runs.div_ceil(3)));
        match theirs {
            Some((helm_bytes, helm)) => {
                let note = if helm_bytes == bytes {
                    String::new()
                } else {
                    format!("  (helm printed {helm_bytes} bytes)")
                };
                println!(
                    "{name:<48} {bytes:>9} {:>8.2} {:>8.2} {:>8.1} {:>8.1} {:>7.1} {:>7.1}{note}",
                    millis(vigie.median),
                    millis(vigie.min),
                    millis(helm.median),
                    millis(helm.min),
                    helm.median.as_secs_f64() / vigie.median.as_secs_f64(),
                    helm.min.as_secs_f64() / vigie.min.as_secs_f64(),
                );
            }
            None => println!(
                "{name:<48} {bytes:>9} {:>8.2} {:>8.2} {:>8} {:>8} {:>7} {:>7}",
                millis(vigie.median),
                millis(vigie.min),
                "-",
                "-",
                "-",
                "-"
            ),
        }
    }
}
