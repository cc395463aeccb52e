#!/usr/bin/env python3
"""Benchmark: scan large Terraform plans in JSON (`terraform show -json`).

Writes PLANS plan files (in a temporary directory, removed afterwards), each
with RESOURCES resource instances spread over child modules: Key Vaults,
container registries, Log Analytics workspaces, diagnostic settings and AKS
clusters, with some values unknown (after_unknown) and references in the
configuration, pretty-printed as `jq .` prints them. Then times
`vigie scan --format json` on the directory (median of --runs) and prints the
size read, the resources and the findings.

Usage: perf/terraform-plan.py [--plans 10] [--resources 2000] [--runs 3]
       [--vigie target/release/vigie]
Build Vigie first: cargo build --release
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

PROVIDER = "registry.terraform.io/hashicorp/azurerm"
RG = "rg-bench"


def values(kind, i):
    name = f"r{i:05d}"
    if kind == "azurerm_key_vault":
        return {"name": f"kv-{name}", "location": "westeurope", "resource_group_name": RG,
                "sku_name": "standard", "tenant_id": "00000000-0000-0000-0000-000000000000",
                "purge_protection_enabled": i % 2 == 0, "public_network_access_enabled": True,
                "soft_delete_retention_days": 90, "enable_rbac_authorization": None,
                "rbac_authorization_enabled": i % 3 == 0, "contact": [], "access_policy": [],
                "network_acls": [{"bypass": "AzureServices", "default_action": "Allow" if i % 5 else "Deny",
                                  "ip_rules": ["203.0.113.0/24"], "virtual_network_subnet_ids": None}],
                "tags": {"team": "bench", "index": str(i)}, "timeouts": None}, {"id": True, "vault_uri": True}
    if kind == "azurerm_container_registry":
        return {"name": f"acr{name}", "location": "westeurope", "resource_group_name": RG, "sku": "Premium",
                "admin_enabled": i % 4 == 0, "anonymous_pull_enabled": None,
                "public_network_access_enabled": i % 2 == 0, "network_rule_set": [],
                "georeplications": [], "identity": [], "tags": None, "timeouts": None}, \
               {"id": True, "login_server": True, "admin_password": True}
    if kind == "azurerm_log_analytics_workspace":
        return {"name": f"log-{name}", "location": "westeurope", "resource_group_name": RG,
                "sku": "PerGB2018", "retention_in_days": 30 if i % 2 else 365, "identity": [],
                "tags": None, "timeouts": None}, {"id": True, "workspace_id": True}
    if kind == "azurerm_monitor_diagnostic_setting":
        return {"name": f"diag-{name}", "log_analytics_workspace_id": "/subscriptions/0/ws",
                "enabled_log": [{"category": "kube-audit-admin" if i % 2 else "kube-apiserver",
                                 "category_group": None}], "enabled_metric": [], "timeouts": None}, \
               {"id": True, "target_resource_id": True, "enabled_log": [{}]}
    return {"name": f"aks-{name}", "location": "westeurope", "resource_group_name": RG,
            "dns_prefix": name, "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5",
                                                        "node_count": 3, "host_encryption_enabled": True,
                                                        "upgrade_settings": []}],
            "identity": [{"type": "SystemAssigned", "identity_ids": None}],
            "microsoft_defender": [{}], "azure_policy_enabled": True, "tags": None, "timeouts": None}, \
           {"id": True, "kube_config": True, "microsoft_defender": [{"log_analytics_workspace_id": True}]}


KINDS = ["azurerm_key_vault", "azurerm_container_registry", "azurerm_log_analytics_workspace",
         "azurerm_monitor_diagnostic_setting", "azurerm_kubernetes_cluster"]


def plan(resources):
    modules, changes, configuration = {}, [], {}
    for i in range(resources):
        kind = KINDS[i % len(KINDS)]
        module = f"module.m{i // 100:03d}"
        name = f"r{i:05d}"
        planned, unknown = values(kind, i)
        address = f"{module}.{kind}.{name}"
        modules.setdefault(module, []).append({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": PROVIDER, "schema_version": 0, "values": planned, "sensitive_values": {}})
        changes.append({"address": address, "module_address": module, "mode": "managed", "type": kind,
                        "name": name, "provider_name": PROVIDER,
                        "change": {"actions": ["create"], "before": None, "after": planned,
                                   "after_unknown": unknown, "before_sensitive": False,
                                   "after_sensitive": {}}})
        expressions = {}
        if kind == "azurerm_monitor_diagnostic_setting":
            cluster = f"azurerm_kubernetes_cluster.r{i + 1:05d}"
            expressions["target_resource_id"] = {"references": [f"{cluster}.id", cluster]}
        configuration.setdefault(module, []).append(
            {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
             "provider_config_key": "azurerm", "expressions": expressions})
    return {
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"child_modules": [
            {"address": m, "resources": r} for m, r in sorted(modules.items())]}},
        "resource_changes": changes,
        "configuration": {"root_module": {"module_calls": {
            m.removeprefix("module."): {"source": f"./modules/{m}", "module": {"resources": r}}
            for m, r in sorted(configuration.items())}}},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10)
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vigie", default="target/release/vigie")
    args = parser.parse_args()
    vigie = os.path.abspath(args.vigie)
    root = tempfile.mkdtemp(prefix="vigie-plan-bench-")
    try:
        size = 0
        for p in range(args.plans):
            text = json.dumps(plan(args.resources), indent=2)
            size += len(text)
            with open(os.path.join(root, f"plan-{p:02d}.json"), "w") as f:
                f.write(text)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            out = subprocess.run([vigie, "scan", "--format", "json", root],
                                 capture_output=True, check=False)
            times.append(time.perf_counter() - start)
        report = json.loads(out.stdout)
        print(f"{args.plans} plans, {args.plans * args.resources} resources, "
              f"{size / 1e6:.1f} MB of JSON: median {statistics.median(times):.3f} s "
              f"over {args.runs} runs, {len(report.get('findings', []))} findings")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
