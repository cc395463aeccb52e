//! What the rules on azurerm resources share: finding the managed resources
//! of a type, reading a setting with its provider default, and the related
//! locations every Terraform finding carries.

use crate::model::{TfAttribute, TfBlock, TfResource, TfValue};
use crate::rules::{Findings, Related};
use crate::source::Span;

/// Whether `resource` is a managed (not data) resource of `resource_type`.
pub(crate) fn is_managed(resource: &TfResource, resource_type: &str) -> bool {
    !resource.data && resource.resource_type == resource_type
}

/// A setting as a rule judges it: written (or planned) with a value, left to
/// the provider's default, or known only after apply.
pub(crate) enum Setting<'a> {
    Set(&'a TfAttribute),
    Default,
    Unknown(&'a TfAttribute),
}

/// The first present spelling of a setting in `block`; `null` counts as not
/// set, as Terraform treats it.
pub(crate) fn setting<'a>(block: &'a TfBlock, names: &[&str]) -> Setting<'a> {
    match names
        .iter()
        .filter_map(|name| block.attribute(name))
        .find(|a| a.value != TfValue::Null)
    {
        Some(attribute) if attribute.value.contains_unknown() => Setting::Unknown(attribute),
        Some(attribute) => Setting::Set(attribute),
        None => Setting::Default,
    }
}

/// The places that explain a finding on `resource`: where the attribute's
/// value came from (variables, tfvars, locals, module arguments), then the
/// module calls that instantiate the resource.
pub(crate) fn related(resource: &TfResource, attribute: Option<&TfAttribute>) -> Vec<Related> {
    let mut related: Vec<Related> = attribute.map_or_else(Vec::new, |a| a.trace.clone());
    related.extend(resource.module_calls.iter().cloned());
    related
}

/// Reports a finding on `resource` at `span`, with its related locations.
pub(crate) fn report(
    out: &mut Findings,
    resource: &TfResource,
    span: Span,
    attribute: Option<&TfAttribute>,
    field: &str,
    message: String,
) {
    out.report_related(
        span,
        field.to_string(),
        message,
        related(resource, attribute),
    );
}

/// Notes that the deciding value of `attribute` is known only after apply.
pub(crate) fn undetermined(out: &mut Findings, attribute: &TfAttribute, field: &str) {
    out.undetermined(
        attribute.span,
        field.to_string(),
        format!("{field} is known only after apply"),
    );
}

/// Whether a string setting equals `expected`, ignoring case (Azure compares
/// these enumerations without case).
pub(crate) fn is(value: &TfValue, expected: &str) -> bool {
    value
        .as_str()
        .is_some_and(|v| v.eq_ignore_ascii_case(expected))
}

/// How a resource type restricts network access: a firewall block whose
/// `default_action` must be `Deny` unless public network access is off.
pub(crate) struct Firewall {
    /// The resource type, e.g. `azurerm_key_vault`.
    pub resource_type: &'static str,
    /// What messages call the resource: `Key Vault`, `registry`.
    pub product: &'static str,
    /// The firewall block: `network_acls`, `network_rule_set`.
    pub block: &'static str,
    /// The message when the block has no `default_action`.
    pub missing_default_action: &'static str,
}

/// Reports a resource reachable from every network: public network access not
/// turned off, and no firewall block that denies by default.
pub(crate) fn check_public_network(firewall: &Firewall, resource: &TfResource, out: &mut Findings) {
    const PUBLIC_ACCESS: &str = "public_network_access_enabled";
    if !is_managed(resource, firewall.resource_type) {
        return;
    }
    let public = match setting(&resource.body, &[PUBLIC_ACCESS]) {
        Setting::Unknown(attribute) => return undetermined(out, attribute, PUBLIC_ACCESS),
        Setting::Set(attribute) if attribute.value.as_bool() == Some(false) => return,
        Setting::Set(attribute) => Some(attribute),
        Setting::Default => None,
    };
    // A plan may know the block only after apply.
    if let Setting::Unknown(attribute) = setting(&resource.body, &[firewall.block]) {
        return undetermined(out, attribute, firewall.block);
    }
    let product = firewall.product;
    let Some(rules) = resource.body.block(firewall.block) else {
        let reason = match public {
            Some(_) => "public_network_access_enabled is true",
            None => "public_network_access_enabled is not set (provider default: true)",
        };
        return report(
            out,
            resource,
            resource.body.span,
            public,
            firewall.block,
            format!(
                "{product} accepts connections from every network: {reason} and no {} block denies by default",
                firewall.block
            ),
        );
    };
    let field = format!("{}.default_action", firewall.block);
    match setting(rules, &["default_action"]) {
        Setting::Unknown(attribute) => undetermined(out, attribute, &field),
        Setting::Set(attribute) if is(&attribute.value, "Deny") => {}
        Setting::Set(attribute) => report(
            out,
            resource,
            attribute.span,
            Some(attribute),
            &field,
            format!(
                "{product} accepts connections from every network: {field} is {}",
                attribute.value
            ),
        ),
        Setting::Default => report(
            out,
            resource,
            rules.span,
            None,
            &field,
            firewall.missing_default_action.to_string(),
        ),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Terraform resources built by hand, for the rules' unit tests.

    use std::sync::Arc;

    use crate::model::{Repo, TfAttribute, TfBlock, TfInput, TfResource, TfValue};
    use crate::rules::{ActiveRule, Context, Finding, Findings, Rule, Subject};
    use crate::source::{FileId, Position, Span};

    /// A span on `line` of a test file.
    pub fn at(line: u32) -> Span {
        Span::new(FileId(0), Position::new(line, 1), Position::new(line, 2))
    }

    pub fn attr(name: &str, value: TfValue, line: u32) -> TfAttribute {
        TfAttribute {
            name: name.to_string(),
            value,
            span: at(line),
            trace: Vec::new(),
            references: Vec::new(),
        }
    }

    pub fn string(text: &str) -> TfValue {
        TfValue::String(text.to_string())
    }

    pub fn block(kind: &str, line: u32, attributes: Vec<TfAttribute>) -> TfBlock {
        TfBlock {
            kind: kind.to_string(),
            labels: Vec::new(),
            span: at(line),
            attributes,
            blocks: Vec::new(),
        }
    }

    /// A managed resource whose header is on line 1.
    pub fn resource(
        resource_type: &str,
        name: &str,
        attributes: Vec<TfAttribute>,
        blocks: Vec<TfBlock>,
    ) -> TfResource {
        TfResource {
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            address: format!("{resource_type}.{name}"),
            data: false,
            body: TfBlock {
                kind: "resource".to_string(),
                labels: vec![resource_type.to_string(), name.to_string()],
                span: at(1),
                attributes,
                blocks,
            },
            module_calls: Vec::new(),
            input: TfInput::Hcl,
        }
    }

    /// Runs `rule` with its default parameters on every resource of `world`:
    /// the findings, then the undetermined notes, as (line, message).
    pub fn run(rule: &'static Rule, world: &[TfResource]) -> (Vec<(u32, String)>, Vec<u32>) {
        run_with(&ActiveRule::new(rule), world)
    }

    /// Runs a configured rule on every resource of `world`.
    pub fn run_with(active: &ActiveRule, world: &[TfResource]) -> (Vec<(u32, String)>, Vec<u32>) {
        let crate::rules::Check::Terraform(check) = active.rule.check else {
            panic!("{} is not a Terraform rule", active.rule.id);
        };
        let repo = Repo::terraform(world);
        let mut found: Vec<Finding> = Vec::new();
        for (index, resource) in world.iter().enumerate() {
            let identity = Arc::new(crate::rules::ResourceIdentity::of_terraform(resource));
            let context = Context {
                repo: &repo,
                params: &active.params,
                pss_restricted: false,
            };
            check(
                &context,
                resource,
                &mut Findings::new(active, &identity, Subject::Terraform(index), &mut found),
            );
        }
        let findings = found
            .iter()
            .filter(|f| !f.undetermined)
            .map(|f| (f.span.start.line, f.message.clone()))
            .collect();
        let notes = found
            .iter()
            .filter(|f| f.undetermined)
            .map(|f| f.span.start.line)
            .collect();
        (findings, notes)
    }
}
