//! The Terraform engine through the public API: values, spans, traces,
//! `count`/`for_each`/`dynamic`, modules, variables and diagnostics.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use vigie::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use vigie::model::{TfAttribute, TfResource, TfValue};
use vigie::render::terraform::{CliInput, TerraformOptions};
use vigie::{Loaded, ScanOptions};

fn load(paths: &[PathBuf], inputs: Vec<CliInput>) -> Loaded {
    let options = ScanOptions {
        paths: paths.to_vec(),
        terraform: TerraformOptions { inputs },
        ..ScanOptions::default()
    };
    vigie::load_inputs(&options).expect("load runs")
}

fn load_dir(dir: &str) -> Loaded {
    load(&[PathBuf::from(dir)], Vec::new())
}

fn resource<'a>(loaded: &'a Loaded, address: &str) -> &'a TfResource {
    loaded
        .terraform
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            let all: Vec<&str> = loaded
                .terraform
                .iter()
                .map(|r| r.address.as_str())
                .collect();
            panic!("no {address} in {all:?}")
        })
}

fn attribute<'a>(resource: &'a TfResource, name: &str) -> &'a TfAttribute {
    resource
        .body
        .attribute(name)
        .unwrap_or_else(|| panic!("{} has no {name}", resource.address))
}

fn s(text: &str) -> TfValue {
    TfValue::String(text.to_string())
}

fn n(number: f64) -> TfValue {
    TfValue::Number(number)
}

fn list(items: Vec<TfValue>) -> TfValue {
    TfValue::List(items)
}

fn map(entries: Vec<(&str, TfValue)>) -> TfValue {
    TfValue::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Writes files into a temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    // A repository root, so module paths are bounded by the temporary tree.
    fs::create_dir(dir.path().join(".git")).expect("create .git");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(path, text).expect("write file");
    }
    dir
}

/// The attributes of the first resource of one `.tf` text.
fn values_of(text: &str) -> (BTreeMap<String, TfValue>, Vec<Diagnostic>) {
    let dir = tree(&[("main.tf", text)]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    let first = loaded.terraform.first().expect("a resource");
    let values = first
        .body
        .attributes
        .iter()
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect();
    (values, loaded.diagnostics)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<(DiagnosticLevel, &'static str, Option<u32>)> {
    diagnostics
        .iter()
        .map(|d| (d.level, d.code.as_str(), d.position.map(|p| p.line)))
        .collect()
}

#[test]
fn expressions_evaluate_as_terraform_does() {
    // Expected values checked with `terraform console`.
    let (values, diagnostics) = values_of(
        r#"
locals {
  empty = split(",", "")
}
resource "probe" "p" {
  a = format("%v|%5.1f|%q|%-3d|%03d|%x|%e", ["1", "x"], 3.14159, "h\"i", 7, 7, 255, 1500)
  b = local.empty
  c = "%{ for x in [1, 2] ~}${x} %{ endfor ~}|end"
  d = toset(["b", "a", "b"])
  f = tostring(1.5)
  g = { for k, v in { a = 1, b = 2, c = 1 } : v => k... }
  h = [{ n = 1 }, { n = 2 }][*].n
  i = try(local.empty[5], "fallback")
  j = can(tonumber("x"))
  k = <<-EOT
    hello
      world
    EOT
  l = element(["a", "b"], 5)
  m = jsonencode({ b = [1, 2.5, "x"], a = null })
  n = coalesce("", null, "z")
  o = "x" == "x" && 1 < 2
  p = flatten([[1, [2]], 3])
  q = replace("a-b-c", "-", "_")
  s = { "x y" = 1 }
  t = merge({ a = 1 }, { b = 2 }, { a = 3 })
  u = length("héllo")
  v = lookup({ a = 1 }, "b", 9)
  w = range(1, 10, 3)
  x = format("%t %.3s %+d", true, "abcdef", 5)
  y = "%{ if 2 > 1 }yes%{ else }no%{ endif }"
  z = [for i, v in ["a", "b"] : "${i}=${upper(v)}" if v != "c"]
  cond = 3 % 2 == 1 ? "odd" : "even"
  strip_if   = "%{ if true ~} yes %{~ else ~} no %{~ endif }."
  strip_else = "%{ if false ~} yes %{~ else ~} no %{~ endif }."
  strip_for  = "<%{ for x in ["a", "b"] ~} ${x} %{~ endfor }>"
  strip_none = "x %{~ if false }y%{ endif ~} z"
  heredoc_for = <<EOT
%{ for x in ["a", "b"] ~}
line ${x}
%{ endfor ~}
EOT
}
"#,
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let expected = [
        (
            "a",
            s("[\"1\",\"x\"]|  3.1|\"h\\\"i\"|7  |007|ff|1.500000e+03"),
        ),
        ("b", list(vec![s("")])),
        ("c", s("1 2 |end")),
        ("d", list(vec![s("a"), s("b")])),
        ("f", s("1.5")),
        (
            "g",
            map(vec![
                ("1", list(vec![s("a"), s("c")])),
                ("2", list(vec![s("b")])),
            ]),
        ),
        ("h", list(vec![n(1.0), n(2.0)])),
        ("i", s("fallback")),
        ("j", TfValue::Bool(false)),
        ("k", s("hello\n  world\n")),
        ("l", s("b")),
        ("m", s("{\"a\":null,\"b\":[1,2.5,\"x\"]}")),
        ("n", s("z")),
        ("o", TfValue::Bool(true)),
        ("p", list(vec![n(1.0), n(2.0), n(3.0)])),
        ("q", s("a_b_c")),
        ("s", map(vec![("x y", n(1.0))])),
        ("t", map(vec![("a", n(3.0)), ("b", n(2.0))])),
        ("u", n(5.0)),
        ("v", n(9.0)),
        ("w", list(vec![n(1.0), n(4.0), n(7.0)])),
        ("x", s("true abc +5")),
        ("y", s("yes")),
        ("z", list(vec![s("0=A"), s("1=B")])),
        ("cond", s("odd")),
        ("strip_if", s("yes.")),
        ("strip_else", s("no.")),
        ("strip_for", s("<ab>")),
        ("strip_none", s("xz")),
        ("heredoc_for", s("line a\nline b\n")),
    ];
    for (name, value) in expected {
        assert_eq!(values.get(name), Some(&value), "attribute {name}");
    }
}

#[test]
fn unknown_stays_unknown() {
    let (values, diagnostics) = values_of(
        r#"
variable "unset" {
  type = string
}
resource "probe" "p" {
  resource_attr = azurerm_kubernetes_cluster.main.id
  data_attr     = data.azurerm_client_config.current.tenant_id
  unset         = var.unset
  clock         = timestamp()
  template      = "id-${azurerm_kubernetes_cluster.main.id}"
  partial       = ["known", var.unset]
  merged        = merge({ a = 1 }, { b = var.unset })
  cond          = var.unset == "x" ? "a" : "b"
  and_false     = false && var.unset == "x"
  or_true       = true || var.unset == "x"
  try_unknown   = try(var.unset, "fallback")
  can_unknown   = can(var.unset)
  length        = length(["a", var.unset])
}
"#,
    );
    let unknown = TfValue::Unknown;
    assert_eq!(values["resource_attr"], unknown);
    assert_eq!(values["data_attr"], unknown);
    assert_eq!(values["unset"], unknown);
    assert_eq!(values["clock"], unknown);
    assert_eq!(values["template"], unknown);
    assert_eq!(values["partial"], list(vec![s("known"), unknown.clone()]));
    assert_eq!(
        values["merged"],
        map(vec![("a", n(1.0)), ("b", unknown.clone())])
    );
    assert_eq!(values["cond"], unknown);
    assert_eq!(values["and_false"], TfValue::Bool(false));
    assert_eq!(values["or_true"], TfValue::Bool(true));
    assert_eq!(values["try_unknown"], unknown);
    assert_eq!(values["can_unknown"], unknown);
    assert_eq!(values["length"], n(2.0));
    // timestamp() is noted (shown with --verbose), not an error.
    assert_eq!(
        codes(&diagnostics),
        [(DiagnosticLevel::Note, "terraform-unsupported", Some(9))]
    );
}

#[test]
fn resources_modules_and_spans() {
    let loaded = load_dir("testdata/terraform/basic");
    let addresses: Vec<&str> = loaded
        .terraform
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "azurerm_resource_group.main",
            "azurerm_kubernetes_cluster.main",
            "azurerm_kubernetes_cluster_node_pool.pool[\"gpu\"]",
            "azurerm_kubernetes_cluster_node_pool.pool[\"user\"]",
            "azurerm_monitor_diagnostic_setting.aks[0]",
            "azurerm_key_vault.kv",
            "module.aks[\"a\"].azurerm_key_vault.kv",
            "module.aks[\"b\"].azurerm_key_vault.kv",
        ]
    );
    let cluster = resource(&loaded, "azurerm_kubernetes_cluster.main");
    let file = &loaded.sources.get(cluster.body.span.file);
    assert_eq!(file.display, "testdata/terraform/basic/main.tf");
    // The header line, `resource "…" "main" {`.
    assert_eq!(
        (cluster.body.span.start.line, cluster.body.span.start.column),
        (35, 1)
    );
    assert_eq!(cluster.body.span.end.column, 47);
    // `name = local.name`: from the name to the end of the value.
    let name = attribute(cluster, "name");
    assert_eq!(name.value, s("aks-prod"));
    assert_eq!((name.span.start.line, name.span.start.column), (36, 3));
    assert_eq!((name.span.end.line, name.span.end.column), (36, 35));
    // Where the value came from: the local, then the tfvars line.
    let trace: Vec<(String, u32)> = name
        .trace
        .iter()
        .map(|r| {
            (
                loaded.sources.get(r.span.file).display.clone(),
                r.span.start.line,
            )
        })
        .collect();
    assert_eq!(
        trace,
        [
            ("testdata/terraform/basic/main.tf".to_string(), 24),
            ("testdata/terraform/basic/terraform.tfvars".to_string(), 1)
        ]
    );
    assert_eq!(
        attribute(cluster, "local_account_disabled").value,
        TfValue::Bool(true)
    );
    let pool = cluster.body.block("default_node_pool").expect("pool");
    let node_count = pool.attribute("node_count").expect("node_count");
    assert_eq!(node_count.value, n(1.0));
    assert_eq!(node_count.trace[0].message, "default of var.node_count");
    // The dynamic block became an ordinary block at the content's attributes.
    let network = cluster.body.block("network_profile").expect("expanded");
    assert_eq!(network.span.start.line, 47);
    assert_eq!(attribute_line(network.attribute("network_policy")), 50);
    // for_each over a map of objects with optional() defaults.
    let gpu = resource(
        &loaded,
        "azurerm_kubernetes_cluster_node_pool.pool[\"gpu\"]",
    );
    assert_eq!(attribute(gpu, "zones").value, list(vec![s("1"), s("2")]));
    let user = resource(
        &loaded,
        "azurerm_kubernetes_cluster_node_pool.pool[\"user\"]",
    );
    assert_eq!(attribute(user, "zones").value, list(vec![s("1")]));
    assert_eq!(attribute(user, "name").value, s("user"));
    assert_eq!(
        attribute(user, "kubernetes_cluster_id").references,
        ["azurerm_kubernetes_cluster.main"]
    );
    let diagnostic = resource(&loaded, "azurerm_monitor_diagnostic_setting.aks[0]");
    assert_eq!(attribute(diagnostic, "name").value, s("diag-0"));
    // Module instances: inputs traced to the call, addresses prefixed.
    let vault = resource(&loaded, "module.aks[\"b\"].azurerm_key_vault.kv");
    assert_eq!(attribute(vault, "name").value, s("aks-prod-b-kv"));
    assert_eq!(
        attribute(vault, "name").trace[0].message,
        "set by module \"aks\""
    );
    assert_eq!(vault.module_calls.len(), 1);
    assert_eq!(vault.module_calls[0].span.start.line, 69);
    let root_vault = resource(&loaded, "azurerm_key_vault.kv");
    let from_module = attribute(root_vault, "name");
    assert_eq!(from_module.value, TfValue::Unknown);
    assert_eq!(from_module.references, ["module.aks.azurerm_key_vault.kv"]);
    assert_eq!(attribute(root_vault, "tenant_id").value, TfValue::Unknown);
    assert_eq!(
        attribute(root_vault, "sizes").value,
        list(vec![s("STANDARD_NC6"), s("STANDARD_D4S_V5")])
    );
    // The remote module is named, not fetched; the module directory is not
    // scanned again as a root.
    assert_eq!(
        codes(&loaded.diagnostics),
        [(DiagnosticLevel::Warning, "module-not-resolved", Some(76))]
    );
    assert!(
        loaded.resources.is_empty(),
        "no .tf file is read as a manifest"
    );
}

fn attribute_line(attribute: Option<&TfAttribute>) -> u32 {
    attribute.expect("attribute").span.start.line
}

#[test]
fn variables_follow_terraform_precedence() {
    let dir = tree(&[
        (
            "main.tf",
            r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "count" { type = number }
variable "flag" { type = bool }
variable "list" { type = list(string) }
resource "probe" "p" {
  a     = var.a
  b     = var.b
  c     = var.c
  d     = var.d
  e     = var.e
  count_plus = var.count + 1
  flag  = var.flag
  list  = var.list
}
"#,
        ),
        (
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\n",
        ),
        (
            "terraform.tfvars.json",
            "{\"b\": \"json\", \"c\": \"json\", \"d\": \"json\"}\n",
        ),
        ("a.auto.tfvars", "c = \"auto-a\"\nd = \"auto-a\"\n"),
        ("b.auto.tfvars", "d = \"auto-b\"\n"),
        ("cli.tfvars", "e = \"var-file\"\n"),
    ]);
    let inputs = vec![
        CliInput::Var("e=first".to_string()),
        CliInput::VarFile(dir.path().join("cli.tfvars")),
        CliInput::Var("count=2".to_string()),
        CliInput::Var("flag=true".to_string()),
        CliInput::Var("list=[\"x\", \"y\"]".to_string()),
    ];
    let loaded = load(&[dir.path().to_path_buf()], inputs);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let probe = resource(&loaded, "probe.p");
    let value = |name: &str| attribute(probe, name).value.clone();
    assert_eq!(value("a"), s("tfvars"));
    assert_eq!(value("b"), s("json"));
    assert_eq!(value("c"), s("auto-a"));
    assert_eq!(value("d"), s("auto-b"));
    // The later of --var and --var-file wins.
    assert_eq!(value("e"), s("var-file"));
    assert_eq!(value("count_plus"), n(3.0));
    assert_eq!(value("flag"), TfValue::Bool(true));
    assert_eq!(value("list"), list(vec![s("x"), s("y")]));
    let trace = &attribute(probe, "count_plus").trace[0];
    assert_eq!(
        loaded.sources.get(trace.span.file).display,
        "<command line>"
    );
    assert_eq!(trace.span.start.line, 2);
    let json = &attribute(probe, "b").trace[0];
    assert!(
        loaded
            .sources
            .get(json.span.file)
            .display
            .ends_with("terraform.tfvars.json")
    );
}

#[test]
fn problems_are_diagnostics_with_positions() {
    let dir = tree(&[
        (
            "main.tf",
            r#"locals {
  a = local.b
  b = local.a
  c = { x = 1 }.y
}
resource "probe" "p" {
  value = local.a
  other = "kept"
  wrong = 1 + "x"
}
"#,
        ),
        ("broken.tf", "resource \"probe\" \"q\" {\n  a = = 1\n}\n"),
        ("extra.tf.json", "{}\n"),
        (
            "main_override.tf",
            "resource \"probe\" \"p\" {\n  other = \"overridden\"\n}\n",
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    // The broken file is reported; the module's other file is still read.
    let probe = resource(&loaded, "probe.p");
    assert_eq!(attribute(probe, "other").value, s("kept"));
    assert_eq!(attribute(probe, "value").value, TfValue::Unknown);
    assert_eq!(attribute(probe, "wrong").value, TfValue::Unknown);
    let found: Vec<(String, &str, Option<u32>)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&d.path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned());
            (
                file.unwrap_or_default(),
                d.code.as_str(),
                d.position.map(|p| p.line),
            )
        })
        .collect();
    assert!(
        found.contains(&("broken.tf".to_string(), "hcl-syntax", Some(2))),
        "{found:?}"
    );
    assert!(
        found.contains(&("extra.tf.json".to_string(), "terraform-unsupported", None)),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "main_override.tf".to_string(),
            "terraform-unsupported",
            None
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("main.tf".to_string(), "terraform-evaluation", Some(3))),
        "{found:?}"
    );
    assert!(
        found.contains(&("main.tf".to_string(), "terraform-evaluation", Some(4))),
        "{found:?}"
    );
    assert!(
        found.contains(&("main.tf".to_string(), "terraform-evaluation", Some(9))),
        "{found:?}"
    );
    let syntax = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::HclSyntax)
        .expect("syntax error");
    assert_eq!(syntax.level, DiagnosticLevel::Error);
    assert_eq!(syntax.position.map(|p| p.column), Some(7));
}

#[test]
fn hostile_input_is_bounded() {
    let nested = format!("{}1{}", "[".repeat(500), "]".repeat(500));
    let dir = tree(&[
        (
            "main.tf",
            r#"module "self" {
  source = "./"
}
resource "probe" "p" {
  huge   = range(100000000)
  kept   = "yes"
}
"#,
        ),
        (
            "deep/main.tf",
            &format!("locals {{\n  nested = {nested}\n}}\n"),
        ),
        (
            "escape/main.tf",
            "module \"out\" {\n  source = \"../../..\"\n}\n",
        ),
        (
            "slow/main.tf",
            "resource \"probe\" \"slow\" {\n  v = length(flatten([for a in range(100000) : [for b in range(100000) : b]]))\n}\n",
        ),
        (
            "wide/main.tf",
            "module \"m\" {\n  source   = \"./m\"\n  for_each = toset([for i in range(1000) : tostring(i)])\n}\n",
        ),
        (
            "wide/m/main.tf",
            "resource \"probe\" \"r\" {\n  count = 1000\n}\n",
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    let probe = resource(&loaded, "probe.p");
    assert_eq!(attribute(probe, "huge").value, TfValue::Unknown);
    assert_eq!(attribute(probe, "kept").value, s("yes"));
    // A module calling itself stops at the nesting limit, with a diagnostic.
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nest deeper")),
        "{:?}",
        loaded.diagnostics
    );
    // Quadratic `for` and exponential instances stop at the budgets.
    let slow = resource(&loaded, "probe.slow");
    assert_eq!(attribute(slow, "v").value, TfValue::Unknown);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.path.ends_with("slow/main.tf") && d.message.contains("budget")),
        "{:?}",
        loaded.diagnostics
    );
    let wide = loaded
        .terraform
        .iter()
        .filter(|r| r.address.starts_with("module.m["))
        .count();
    assert!(wide <= 100_000, "{wide}");
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.path.contains("wide/") && d.message.contains("instances")),
        "{:?}",
        loaded.diagnostics
    );
    // The parser refuses deep nesting.
    let deep = loaded
        .diagnostics
        .iter()
        .find(|d| d.path.ends_with("deep/main.tf"))
        .expect("deep nesting reported");
    assert_eq!(deep.code, DiagnosticCode::HclSyntax);
    let escape = loaded
        .diagnostics
        .iter()
        .find(|d| d.path.ends_with("escape/main.tf"))
        .expect("escaping module reported");
    assert_eq!(escape.code, DiagnosticCode::ModuleNotResolved);
}

#[test]
fn a_named_file_is_a_module_of_its_own() {
    let dir = tree(&[
        ("one.tf", "resource \"probe\" \"one\" {\n  v = var.x\n}\n"),
        ("two.tf", "variable \"x\" { default = \"two\" }\n"),
    ]);
    let alone = load(&[dir.path().join("one.tf")], Vec::new());
    assert_eq!(alone.terraform.len(), 1);
    // Alone, var.x is undeclared: unknown, with a diagnostic.
    assert_eq!(attribute(&alone.terraform[0], "v").value, TfValue::Unknown);
    let options = ScanOptions {
        paths: vec![dir.path().join("one.tf")],
        discover: vigie::discover::DiscoverOptions {
            resolve_roots: true,
            ..Default::default()
        },
        ..ScanOptions::default()
    };
    let whole = vigie::load_inputs(&options).expect("load runs");
    assert_eq!(attribute(&whole.terraform[0], "v").value, s("two"));
}

#[test]
fn loading_is_deterministic() {
    let first = load_dir("testdata/terraform/basic");
    let second = load_dir("testdata/terraform/basic");
    assert_eq!(first.terraform, second.terraform);
    assert_eq!(first.diagnostics, second.diagnostics);
}

fn vigie(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("vigie runs")
}

#[test]
fn render_prints_evaluated_resources_with_command_line_variables() {
    let output = vigie(&[
        "render",
        "testdata/terraform/basic",
        "--var-file",
        "testdata/terraform/basic/terraform.tfvars",
        "--var",
        "env=staging",
        "--var",
        "node_count=3",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "# azurerm_kubernetes_cluster.main (testdata/terraform/basic/main.tf:35)\n\
             resource \"azurerm_kubernetes_cluster\" \"main\" {\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  name                   = \"aks-staging\"\n"),
        "{stdout}"
    );
    assert!(stdout.contains("    node_count = 3\n"), "{stdout}");
    assert!(
        stdout.contains("  location               = (known after apply)\n"),
        "{stdout}"
    );
    // Not prod: no diagnostic setting, no network_profile block.
    assert!(
        !stdout.contains("azurerm_monitor_diagnostic_setting"),
        "{stdout}"
    );
    assert!(!stdout.contains("network_profile"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("module-not-resolved"), "{stderr}");
}

#[test]
fn a_missing_var_file_is_a_usage_error() {
    let output = vigie(&[
        "scan",
        "testdata/terraform/basic",
        "--var-file",
        "nope.tfvars",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn downloaded_modules_are_not_scanned() {
    let dir = tree(&[
        ("main.tf", "resource \"probe\" \"mine\" {}\n"),
        (
            ".terraform/modules/aks/main.tf",
            "resource \"probe\" \"theirs\" {}\n",
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    let addresses: Vec<&str> = loaded
        .terraform
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addresses, ["probe.mine"]);
}

#[test]
fn module_outputs_count_and_paths() {
    let dir = tree(&[
        (
            "envs/prod/main.tf",
            r#"
module "net" {
  source = "../../modules/net"
  name   = "prod"
}
module "pool" {
  source = "../../modules/net"
  count  = 2
  name   = "pool${count.index}"
}
resource "probe" "p" {
  subnet     = module.net.subnet
  second     = module.pool[1].subnet
  pools      = length(module.pool)
  id         = module.net.id
  root       = path.root
  from_root  = path.module
}
"#,
        ),
        (
            "modules/net/main.tf",
            r#"
variable "name" { type = string }
resource "azurerm_subnet" "s" {
  name = var.name
  file = "${path.module}/policy.json"
}
output "subnet" {
  value = "snet-${var.name}"
}
output "id" {
  value = azurerm_subnet.s.id
}
"#,
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let addresses: Vec<&str> = loaded
        .terraform
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "probe.p",
            "module.net.azurerm_subnet.s",
            "module.pool[0].azurerm_subnet.s",
            "module.pool[1].azurerm_subnet.s",
        ]
    );
    let probe = resource(&loaded, "probe.p");
    let subnet = attribute(probe, "subnet");
    assert_eq!(subnet.value, s("snet-prod"));
    let messages: Vec<&str> = subnet.trace.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        ["output subnet of module.net", "set by module \"net\""]
    );
    assert_eq!(attribute(probe, "second").value, s("snet-pool1"));
    assert_eq!(attribute(probe, "pools").value, n(2.0));
    let id = attribute(probe, "id");
    assert_eq!(id.value, TfValue::Unknown);
    assert_eq!(id.references, ["module.net.azurerm_subnet.s"]);
    assert_eq!(attribute(probe, "root").value, s("."));
    assert_eq!(attribute(probe, "from_root").value, s("."));
    let subnet = resource(&loaded, "module.pool[0].azurerm_subnet.s");
    assert_eq!(attribute(subnet, "name").value, s("pool0"));
    assert_eq!(
        attribute(subnet, "file").value,
        s("../../modules/net/policy.json")
    );
}

#[test]
fn a_null_argument_takes_the_default_of_a_non_nullable_variable() {
    let dir = tree(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  strict = null\n  loose  = null\n}\n",
        ),
        (
            "m/main.tf",
            r#"
variable "strict" {
  type     = bool
  default  = true
  nullable = false
}
variable "loose" {
  type    = bool
  default = true
}
resource "probe" "p" {
  count  = var.strict ? 1 : 0
  strict = var.strict
  loose  = var.loose
}
"#,
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    let probe = resource(&loaded, "module.m.probe.p[0]");
    assert_eq!(attribute(probe, "strict").value, TfValue::Bool(true));
    assert_eq!(attribute(probe, "loose").value, TfValue::Null);
}

#[test]
fn findings_relate_to_where_values_came_from() {
    let loaded = load_dir("testdata/terraform/basic");
    let vault = resource(&loaded, "module.aks[\"a\"].azurerm_key_vault.kv");
    let name = attribute(vault, "name");
    let related = vault.related_at(name.span);
    let related: Vec<&str> = related.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        related,
        [
            "set by module \"aks\"",
            "local.name is defined here",
            "var.env set in testdata/terraform/basic/terraform.tfvars",
            "in module.aks[\"a\"]",
        ]
    );
    // A finding on the header (a missing attribute) gets the module calls.
    assert_eq!(vault.related_at(vault.body.span).len(), 1);
}

#[test]
fn reference_addresses_drop_instance_keys() {
    let loaded = load_dir("testdata/terraform/basic");
    let vault = resource(&loaded, "module.aks[\"a\"].azurerm_key_vault.kv");
    assert_eq!(vault.reference_address(), "module.aks.azurerm_key_vault.kv");
    let mut odd = vault.clone();
    odd.address = "module.x[\"a]\\\"b\"].t.n[0]".to_string();
    assert_eq!(odd.reference_address(), "module.x.t.n");
    // References name resources the way reference_address spells them.
    let root_vault = resource(&loaded, "azurerm_key_vault.kv");
    assert_eq!(
        attribute(root_vault, "name").references,
        [vault.reference_address()]
    );
}

#[test]
fn functions_read_files_of_the_repository_only() {
    let dir = tree(&[
        (
            "envs/prod/main.tf",
            "module \"m\" {\n  source = \"../../modules/m\"\n}\n",
        ),
        (
            "modules/m/main.tf",
            r#"
resource "probe" "p" {
  policy   = file("${path.module}/policy.json")
  rendered = templatefile("${path.module}/t.tftpl", { name = "aks", items = ["a", "b"] })
  exists   = fileexists("${path.module}/policy.json")
  missing  = fileexists("${path.module}/nope.json")
  can_read = can(file("${path.module}/nope.json"))
  outside  = file("../../../../../../../../etc/hostname")
}
"#,
        ),
        ("modules/m/policy.json", "{\"effect\": \"deny\"}\n"),
        (
            "modules/m/t.tftpl",
            "name=${name}\n%{ for i in items ~}\n- ${upper(i)}\n%{ endfor ~}\n",
        ),
    ]);
    let loaded = load(&[dir.path().to_path_buf()], Vec::new());
    let probe = resource(&loaded, "module.m.probe.p");
    assert_eq!(
        attribute(probe, "policy").value,
        s("{\"effect\": \"deny\"}\n")
    );
    assert_eq!(
        attribute(probe, "rendered").value,
        s("name=aks\n- A\n- B\n")
    );
    assert_eq!(attribute(probe, "exists").value, TfValue::Bool(true));
    assert_eq!(attribute(probe, "missing").value, TfValue::Bool(false));
    assert_eq!(attribute(probe, "can_read").value, TfValue::Bool(false));
    assert_eq!(attribute(probe, "outside").value, TfValue::Unknown);
}

/// Expressions whose `jsonencode` Terraform printed (recorded in
/// `testdata/terraform/expressions.json`): Vigie must print the same.
#[test]
fn expressions_match_recorded_terraform_results() {
    let recorded: serde_json::Value = serde_json::from_str(
        &fs::read_to_string("testdata/terraform/expressions.json").expect("recorded results"),
    )
    .expect("valid JSON");
    let cases = recorded["cases"].as_array().expect("cases");
    let mut text = String::from("resource \"probe\" \"p\" {\n");
    for (i, case) in cases.iter().enumerate() {
        let expression = case["expression"].as_str().expect("expression");
        text.push_str(&format!("  e{i} = jsonencode({expression})\n"));
    }
    text.push_str("}\n");
    let (values, diagnostics) = values_of(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut differences = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let expected = case["jsonencode"].as_str().expect("recorded text");
        let found = values.get(&format!("e{i}"));
        if found != Some(&s(expected)) {
            differences.push(format!(
                "{}: expected {expected}, found {found:?}",
                case["expression"]
            ));
        }
    }
    assert!(differences.is_empty(), "\n{}\n", differences.join("\n"));
}
