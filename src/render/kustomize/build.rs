//! Building a kustomization: accumulate resources (files and nested
//! kustomizations), run generators, apply components, then transformers in
//! kustomize's order; at the top level only, add hash suffixes, fix name
//! references, drop local configuration and sort.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::{Origin, is_cluster_scoped_kind};
use crate::source::yaml::{self, Document, Entry, Key, Node, Value};
use crate::source::{FileId, Position, Span};

use super::files::Workspace;
use super::generators::{self, GeneratorKind};
use super::kustomization::{Kustomization, is_remote};
use super::merge::{self, MergeOutcome};
use super::select::{Target, effective_namespace};
use super::transformers;
use super::{BuildError, Object, configurations};

mod configs;

/// Builds kustomizations, reporting what it skipped on purpose.
pub struct Builder<'w, 'a> {
    pub workspace: &'w mut Workspace<'a>,
    /// Kustomizations being built, to detect cycles.
    stack: Vec<PathBuf>,
    /// Every kustomization directory a build reached (canonical).
    pub visited: Vec<PathBuf>,
    /// Problems that do not stop the build (remote resources not fetched,
    /// plugins not run).
    pub diagnostics: Vec<Diagnostic>,
    /// The legacy `vars` of every kustomization built so far.
    vars: Vec<super::vars::Var>,
    /// The `configurations` documents of every kustomization built so far.
    configurations: Vec<Node>,
}

impl<'w, 'a> Builder<'w, 'a> {
    pub fn new(workspace: &'w mut Workspace<'a>) -> Self {
        Builder {
            workspace,
            stack: Vec::new(),
            visited: Vec::new(),
            diagnostics: Vec::new(),
            vars: Vec::new(),
            configurations: Vec::new(),
        }
    }

    fn warn(&mut self, span: Span, code: DiagnosticCode, message: String) {
        let path = self.workspace.sources.get(span.file).display.clone();
        self.diagnostics
            .push(Diagnostic::new(DiagnosticLevel::Warning, code, path, message).at(span.start));
    }

    /// Builds the kustomization in `dir`, like `kustomize build dir`.
    pub fn build(&mut self, dir: &Path) -> Result<Vec<Object>, BuildError> {
        let objects = self.accumulate(dir, Vec::new(), false, None)?;
        let kustomization = Kustomization::load(self.workspace, dir, None)?;
        self.finish(objects, &kustomization)
    }

    /// The steps kustomize runs once, after the whole tree is accumulated.
    fn finish(
        &mut self,
        mut objects: Vec<Object>,
        top: &Kustomization,
    ) -> Result<Vec<Object>, BuildError> {
        for object in &mut objects {
            generators::add_hash_suffix(object)?;
        }
        let extra = configurations::extra_field_specs(&self.configurations)?;
        transformers::fix_name_references_with(&mut objects, &extra.name_reference)?;
        super::vars::resolve(&self.vars, &mut objects, &extra.var_reference)?;
        objects.retain(|o| !is_local_configuration(o));
        for object in &mut objects {
            // kustomize rewrites every object's annotations when it strips its
            // own, and an empty or null `metadata.annotations` goes away.
            if let Some(metadata) = object.body.get_mut("metadata")
                && metadata
                    .get("annotations")
                    .is_some_and(|a| a.is_null() || a.as_map().is_some_and(<[_]>::is_empty))
            {
                metadata.remove("annotations");
            }
        }
        sort(&mut objects, top)?;
        Ok(objects)
    }

    /// Accumulates a kustomization (or a component, applied to `input`).
    fn accumulate(
        &mut self,
        dir: &Path,
        input: Vec<Object>,
        component: bool,
        at: Option<Span>,
    ) -> Result<Vec<Object>, BuildError> {
        let k = Kustomization::load(self.workspace, dir, at)?;
        if self.stack.contains(&k.dir) {
            return Err(BuildError::new(
                format!("cycle: {} includes itself", self.workspace.display(&k.dir)),
                at,
            ));
        }
        match (component, k.is_component) {
            (true, false) => {
                return Err(BuildError::new(
                    format!(
                        "{} is listed as a component but is not `kind: Component`",
                        self.workspace.display(&k.dir)
                    ),
                    at,
                ));
            }
            // A component builds alone at the top, as kustomize allows.
            (false, true) if at.is_some() => {
                return Err(BuildError::new(
                    format!(
                        "{} is a Component: list it under `components`",
                        self.workspace.display(&k.dir)
                    ),
                    at,
                ));
            }
            _ => {}
        }
        self.visited.push(k.dir.clone());
        self.stack.push(k.dir.clone());
        let result = self.accumulate_steps(&k, input);
        self.stack.pop();
        result
    }

    fn accumulate_steps(
        &mut self,
        k: &Kustomization,
        input: Vec<Object>,
    ) -> Result<Vec<Object>, BuildError> {
        let mut objects = input;
        let mut paths = k.strings("resources")?;
        paths.extend(k.strings("bases")?);
        let mut ids: HashSet<ObjectId> = objects.iter().map(ObjectId::of).collect();
        for (path, span) in paths {
            self.add_resource(k, &path, span, &mut objects, &mut ids)?;
        }
        self.report_unsupported(k);
        self.load_configurations(k)?;
        self.generate(k, &mut objects)?;
        for (path, span) in k.strings("components")? {
            if is_remote(&path) {
                self.warn(
                    span,
                    DiagnosticCode::RemoteNotFetched,
                    format!("remote component {path:?} not fetched"),
                );
                continue;
            }
            let dir = k.dir.join(&path);
            objects = self.accumulate(&dir, objects, true, Some(span))?;
        }
        self.strategic_merge_patches(k, &mut objects)?;
        self.patches(k, &mut objects)?;
        let extra = configurations::extra_field_specs(&self.configurations)?;
        transformers::apply_name_and_label_fields_with(&mut objects, &k.root, &extra)?;
        self.json6902_patches(k, &mut objects)?;
        transformers::apply_replica_and_image_fields(&mut objects, &k.root)?;
        self.replacements(k, &mut objects)?;
        self.configured_transformers(k, &mut objects)?;
        let vars = super::vars::parse(k)?;
        super::vars::bind(&vars, &mut objects)?;
        for var in vars {
            if self.vars.iter().any(|v| v.name == var.name) {
                return Err(BuildError::new(
                    format!("var {:?} already encountered", var.name),
                    Some(var.span),
                ));
            }
            self.vars.push(var);
        }
        Ok(objects)
    }

    /// `configurations`: files extending the built-in transformers' fields.
    fn load_configurations(&mut self, k: &Kustomization) -> Result<(), BuildError> {
        for (path, span) in k.strings("configurations")? {
            for document in self.file_documents(k, &path, span)? {
                if document.root.is_null() {
                    continue;
                }
                let Some(entries) = document.root.as_map() else {
                    return Err(BuildError::new(
                        format!("{path:?} is not a mapping"),
                        Some(document.root.span),
                    ));
                };
                let ignored: Vec<(String, Span)> = entries
                    .iter()
                    .filter(|e| !configurations::APPLIED.contains(&e.key.text.as_str()))
                    .map(|e| (e.key.text.to_string(), e.key.span))
                    .collect();
                for (section, at) in ignored {
                    self.warn(
                        at,
                        DiagnosticCode::KustomizeUnsupported,
                        format!("configurations: the `{section}` section is not applied by Vigie; the build may differ from kustomize's"),
                    );
                }
                self.configurations.push(document.root);
            }
        }
        Ok(())
    }

    /// `configMapGenerator` and `secretGenerator`: new objects, or merged into
    /// (or replacing) those of the bases.
    fn generate(&mut self, k: &Kustomization, objects: &mut Vec<Object>) -> Result<(), BuildError> {
        let options = k.get("generatorOptions");
        for kind in [GeneratorKind::ConfigMap, GeneratorKind::Secret] {
            let Some(list) = k.get(kind.field()) else {
                continue;
            };
            let Some(items) = list.as_seq() else {
                return Err(BuildError::new(
                    format!("{} must be a list", kind.field()),
                    Some(list.span),
                ));
            };
            for entry in items {
                let workspace = &mut *self.workspace;
                let dir = k.dir.clone();
                let fallback = k.file;
                let mut read = |path: &str| -> Result<(FileId, Vec<u8>), BuildError> {
                    if is_remote(path) {
                        return Err(BuildError::new(
                            format!("remote file {path:?} is not fetched"),
                            None,
                        ));
                    }
                    let canonical = workspace.resolve(&dir.join(path), None)?;
                    if !canonical.starts_with(&dir) {
                        return Err(BuildError::new(
                            format!("{path:?} is not in or below the kustomization's directory"),
                            None,
                        ));
                    }
                    workspace.read_bytes(&canonical, fallback)
                };
                let origin = Origin {
                    file: k.file,
                    document: 0,
                    item: None,
                };
                let generated = generators::generate(kind, entry, options, &mut read, origin)?;
                generators::absorb(objects, generated)?;
            }
        }
        Ok(())
    }

    /// Fields whose behaviour would need programs or schemas Vigie does not run
    /// or read: reported, not applied.
    fn report_unsupported(&mut self, k: &Kustomization) {
        for (field, what) in [
            ("generators", "generator plugins are not run"),
            ("validators", "validator plugins are not run"),
            (
                "helmCharts",
                "Helm charts are not inflated by this version of Vigie",
            ),
            (
                "helmChartInflationGenerator",
                "Helm charts are not inflated by this version of Vigie",
            ),
            ("openapi", "custom OpenAPI schemas are not read"),
            (
                "crds",
                "CRD schemas are not read (custom resources are merged as plain JSON)",
            ),
        ] {
            if let Some(span) = k.field_span(field) {
                let code = if field.starts_with("helm") {
                    DiagnosticCode::ChartNotRendered
                } else {
                    DiagnosticCode::KustomizeUnsupported
                };
                self.warn(
                    span,
                    code,
                    format!("`{field}`: {what}; the build may differ from kustomize's"),
                );
            }
        }
    }

    /// A `resources` (or `bases`) entry: a file of manifests, or a directory
    /// with its own kustomization.
    fn add_resource(
        &mut self,
        k: &Kustomization,
        path: &str,
        span: Span,
        objects: &mut Vec<Object>,
        ids: &mut HashSet<ObjectId>,
    ) -> Result<(), BuildError> {
        if is_remote(path) {
            self.warn(
                span,
                DiagnosticCode::RemoteNotFetched,
                format!("remote resource {path:?} not fetched: the rest of the kustomization is built without it"),
            );
            return Ok(());
        }
        let target = k.dir.join(path);
        let canonical = self.workspace.resolve(&target, Some(span))?;
        let added = if canonical.is_dir() {
            self.accumulate(&target, Vec::new(), false, Some(span))?
        } else {
            if !canonical.starts_with(&k.dir) {
                return Err(BuildError::new(
                    format!(
                        "{path:?} is not in or below {}: kustomize only reads files inside the kustomization's directory",
                        self.workspace.display(&k.dir)
                    ),
                    Some(span),
                ));
            }
            let file = self.workspace.read(&canonical, Some(span))?;
            objects_of_file(self.workspace.documents(file)?, file)?
        };
        for object in added {
            if !ids.insert(ObjectId::of(&object)) {
                return Err(BuildError::new(
                    format!(
                        "{} {} is added twice (again by {path:?}); kustomize refuses duplicate resources",
                        object.kind(),
                        object.name()
                    ),
                    Some(span),
                ));
            }
            objects.push(object);
        }
        Ok(())
    }

    /// Reads a patch: a file (inside the kustomization's directory) or an
    /// inline string of the kustomization.
    fn patch_documents(
        &mut self,
        k: &Kustomization,
        entry: &Node,
    ) -> Result<Vec<Document>, BuildError> {
        match (entry.get("path"), entry.get("patch")) {
            (Some(path), None) => {
                let text = path
                    .as_str()
                    .ok_or_else(|| BuildError::new("a patch path is a string", Some(path.span)))?;
                self.file_documents(k, text, path.span)
            }
            (None, Some(inline)) => self.inline_documents(k, inline),
            (Some(_), Some(_)) => Err(BuildError::new(
                "a patch has either `path` or `patch`, not both",
                Some(entry.span),
            )),
            (None, None) => Err(BuildError::new(
                "a patch needs `path` or `patch`",
                Some(entry.span),
            )),
        }
    }

    fn file_documents(
        &mut self,
        k: &Kustomization,
        path: &str,
        span: Span,
    ) -> Result<Vec<Document>, BuildError> {
        let canonical = self.workspace.resolve(&k.dir.join(path), Some(span))?;
        if !canonical.starts_with(&k.dir) {
            return Err(BuildError::new(
                format!("{path:?} is not in or below the kustomization's directory"),
                Some(span),
            ));
        }
        let file = self.workspace.read(&canonical, Some(span))?;
        self.workspace.documents(file)
    }

    /// Parses an inline patch. When it is a block scalar whose lines stand in
    /// the kustomization file, its nodes get their real positions there;
    /// otherwise they point at the `patch:` value.
    fn inline_documents(
        &mut self,
        k: &Kustomization,
        node: &Node,
    ) -> Result<Vec<Document>, BuildError> {
        let text = node
            .as_str()
            .ok_or_else(|| BuildError::new("an inline patch is a string", Some(node.span)))?;
        let display = self.workspace.sources.get(k.file).display.clone();
        let limits = yaml::Limits {
            typing: yaml::Typing::Kustomize,
            ..yaml::Limits::default()
        };
        let loaded = yaml::load(k.file, &display, text, limits);
        if let Some(problem) = loaded
            .diagnostics
            .iter()
            .find(|d| d.level == DiagnosticLevel::Error)
        {
            return Err(BuildError::new(
                format!("invalid inline patch: {}", problem.message),
                Some(node.span),
            ));
        }
        let placement = placement(self.workspace.sources.get(k.file), node.span, text);
        let mut documents = loaded.documents;
        for document in &mut documents {
            relocate(&mut document.root, node.span, placement);
        }
        Ok(documents)
    }

    /// `patchesStrategicMerge`: paths or inline patches, matched to objects by
    /// their id.
    fn strategic_merge_patches(
        &mut self,
        k: &Kustomization,
        objects: &mut Vec<Object>,
    ) -> Result<(), BuildError> {
        let Some(list) = k.get("patchesStrategicMerge") else {
            return Ok(());
        };
        for item in list.items() {
            let Some(text) = item.as_str() else {
                return Err(BuildError::new(
                    "patchesStrategicMerge lists paths or patches",
                    Some(item.span),
                ));
            };
            // A string that parses as an object is an inline patch; else a path.
            let inline = !text.contains('\n') && k.dir.join(text).is_file();
            let documents = if inline {
                self.file_documents(k, text, item.span)?
            } else {
                self.inline_documents(k, item)?
            };
            for document in documents {
                apply_strategic_merge_by_id(objects, &document.root, item.span)?;
            }
        }
        Ok(())
    }

    /// `patches`: strategic merge or JSON 6902 patches, with optional targets.
    fn patches(&mut self, k: &Kustomization, objects: &mut Vec<Object>) -> Result<(), BuildError> {
        let Some(list) = k.get("patches") else {
            return Ok(());
        };
        for entry in list.items() {
            if entry.as_map().is_none() {
                return Err(BuildError::new(
                    "a patch is a mapping with path or patch",
                    Some(entry.span),
                ));
            }
            let documents = self.patch_documents(k, entry)?;
            let target = entry
                .get("target")
                .filter(|t| !t.is_null())
                .map(Target::parse)
                .transpose()?;
            let allow_name_change = entry
                .get_path(&["options", "allowNameChange"])
                .and_then(Node::as_bool)
                == Some(true);
            let allow_kind_change = entry
                .get_path(&["options", "allowKindChange"])
                .and_then(Node::as_bool)
                == Some(true);
            let allow = Allow {
                name: allow_name_change,
                kind: allow_kind_change,
            };
            match patch_kind(&documents) {
                PatchKind::Json6902(operations) => {
                    let Some(target) = target else {
                        return Err(BuildError::new(
                            "a JSON 6902 patch needs a `target`",
                            Some(entry.span),
                        ));
                    };
                    for object in objects
                        .iter_mut()
                        .filter(|o| target.matches(o, cluster_scoped(o)))
                    {
                        merge::json6902(&mut object.body, operations)?;
                    }
                }
                PatchKind::StrategicMerge => match target {
                    Some(target) => {
                        if documents.len() > 1 {
                            return Err(BuildError::new(
                                "a `patches` entry with a target holds one strategic merge patch",
                                Some(entry.span),
                            ));
                        }
                        let Some(patch) = documents.first() else {
                            continue;
                        };
                        let mut index = 0;
                        while index < objects.len() {
                            if target.matches(&objects[index], cluster_scoped(&objects[index]))
                                && apply_strategic_merge(&mut objects[index], &patch.root, allow)?
                                    == MergeOutcome::Deleted
                            {
                                objects.remove(index);
                                continue;
                            }
                            index += 1;
                        }
                    }
                    None => {
                        for document in &documents {
                            apply_strategic_merge_by_id(objects, &document.root, entry.span)?;
                        }
                    }
                },
                PatchKind::Empty => {}
            }
        }
        Ok(())
    }

    /// `replacements`: inline, or read from a file (one replacement or a list
    /// of them) in the kustomization's directory.
    fn replacements(
        &mut self,
        k: &Kustomization,
        objects: &mut [Object],
    ) -> Result<(), BuildError> {
        let Some(list) = k.get("replacements") else {
            return Ok(());
        };
        let mut all = Vec::new();
        for item in list.items() {
            let Some(path) = item.get("path") else {
                all.push(item.clone());
                continue;
            };
            let text = path.as_str().ok_or_else(|| {
                BuildError::new("a replacement path is a string", Some(path.span))
            })?;
            for document in self.file_documents(k, text, path.span)? {
                match document.root.value {
                    Value::Seq(items) => all.extend(items),
                    Value::Map(_) => all.push(document.root),
                    Value::Null => {}
                    _ => {
                        return Err(BuildError::new(
                            format!("{text:?} holds neither a replacement nor a list of them"),
                            Some(document.root.span),
                        ));
                    }
                }
            }
        }
        super::replacements::run(&all, objects)
    }

    /// Legacy `patchesJson6902`: a target and a path (or inline patch).
    fn json6902_patches(
        &mut self,
        k: &Kustomization,
        objects: &mut [Object],
    ) -> Result<(), BuildError> {
        let Some(list) = k.get("patchesJson6902") else {
            return Ok(());
        };
        for entry in list.items() {
            let target_node = entry.get("target").ok_or_else(|| {
                BuildError::new("patchesJson6902 entries need a target", Some(entry.span))
            })?;
            let target = Target::parse(target_node)?;
            let documents = self.patch_documents(k, entry)?;
            let PatchKind::Json6902(operations) = patch_kind(&documents) else {
                return Err(BuildError::new(
                    "patchesJson6902 expects a list of operations",
                    Some(entry.span),
                ));
            };
            for object in objects
                .iter_mut()
                .filter(|o| target.matches(o, cluster_scoped(o)))
            {
                merge::json6902(&mut object.body, operations)?;
            }
        }
        Ok(())
    }
}

/// What a patch's text holds.
enum PatchKind<'d> {
    StrategicMerge,
    Json6902(&'d Node),
    Empty,
}

fn patch_kind(documents: &[Document]) -> PatchKind<'_> {
    match documents {
        [] => PatchKind::Empty,
        [only] if matches!(only.root.value, Value::Seq(_)) => PatchKind::Json6902(&only.root),
        [only] if only.root.is_null() => PatchKind::Empty,
        _ => PatchKind::StrategicMerge,
    }
}

/// Which identity changes a patch may make.
#[derive(Copy, Clone, Default)]
struct Allow {
    name: bool,
    kind: bool,
}

pub(super) fn cluster_scoped(object: &Object) -> bool {
    is_cluster_scoped_kind(object.group(), object.kind())
}

/// An object's kustomize id: group, version, kind, name and effective
/// namespace.
#[derive(Hash, PartialEq, Eq)]
struct ObjectId(String, String, String, String, String);

impl ObjectId {
    fn of(object: &Object) -> Self {
        ObjectId(
            object.group().to_string(),
            object.version().to_string(),
            object.kind().to_string(),
            object.name().to_string(),
            effective_namespace(object.namespace(), cluster_scoped(object)).to_string(),
        )
    }
}

/// Applies a strategic merge patch, keeping the object's identity unless the
/// options allow it to change.
fn apply_strategic_merge(
    object: &mut Object,
    patch: &Node,
    allow: Allow,
) -> Result<MergeOutcome, BuildError> {
    let group = object.group().to_string();
    let kind = object.kind().to_string();
    let name = object.body.get_path(&["metadata", "name"]).cloned();
    let namespace = object.body.get_path(&["metadata", "namespace"]).cloned();
    let kind_node = object.body.get("kind").cloned();
    let api_version = object.body.get("apiVersion").cloned();
    // Like kustomize, the patch takes the target's apiVersion: a patch selected
    // by a target may name another version.
    let mut patch = patch.clone();
    if let (Some(version), Some(entry)) = (&api_version, patch.entry_mut("apiVersion")) {
        entry.value.value = version.value.clone();
    }
    let outcome = merge::strategic_merge(&mut object.body, &patch, &group, &kind)?;
    if !allow.name {
        for (field, value) in [("name", name.clone()), ("namespace", namespace)] {
            let Some(metadata) = object.body.get_mut("metadata") else {
                break;
            };
            match value {
                Some(value) => {
                    if let Some(entry) = metadata.entry_mut(field) {
                        entry.value = value;
                    }
                }
                None => {
                    metadata.remove(field);
                }
            }
        }
    } else if object.name() != object.previous.last().map_or("", |p| p.name.as_str()) {
        // A patch that renames records the old name for references.
        let previous = super::ObjectName {
            name: name
                .as_ref()
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string(),
            namespace: object.namespace().map(str::to_string),
        };
        object.previous.push(previous);
    }
    if !allow.kind {
        for (field, value) in [("kind", kind_node), ("apiVersion", api_version)] {
            if let (Some(value), Some(entry)) = (value, object.body.entry_mut(field)) {
                entry.value = value;
            }
        }
    }
    Ok(outcome)
}

/// Applies a patch to the one object with the patch's id (current or
/// previous name), as kustomize does for patches without a target.
fn apply_strategic_merge_by_id(
    objects: &mut Vec<Object>,
    patch: &Node,
    at: Span,
) -> Result<(), BuildError> {
    let text = |path: &[&str]| patch.get_path(path).and_then(Node::as_str).unwrap_or("");
    let (api_version, kind, name) = (
        text(&["apiVersion"]),
        text(&["kind"]),
        text(&["metadata", "name"]),
    );
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let namespace = Some(text(&["metadata", "namespace"])).filter(|n| !n.is_empty());
    let scoped = is_cluster_scoped_kind(group, kind);
    let wanted = effective_namespace(namespace, scoped);
    let matching: Vec<usize> = objects
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.group() == group
                && o.kind() == kind
                && std::iter::once(o.current_name())
                    .chain(o.previous.iter().cloned())
                    .any(|n| {
                        n.name == name
                            && effective_namespace(n.namespace.as_deref(), scoped) == wanted
                    })
        })
        .map(|(i, _)| i)
        .collect();
    let index = match matching.as_slice() {
        [one] => *one,
        [] => {
            return Err(BuildError::new(
                format!("no resource matches the strategic merge patch for {kind} {name}"),
                Some(patch_span(patch, at)),
            ));
        }
        _ => {
            return Err(BuildError::new(
                format!("several resources match the strategic merge patch for {kind} {name}"),
                Some(patch_span(patch, at)),
            ));
        }
    };
    if apply_strategic_merge(&mut objects[index], patch, Allow::default())? == MergeOutcome::Deleted
    {
        objects.remove(index);
    }
    Ok(())
}

fn patch_span(patch: &Node, fallback: Span) -> Span {
    patch
        .get("metadata")
        .and_then(|m| m.entry("name"))
        .map_or(fallback, Entry::span)
}

/// The objects of a file: each document with apiVersion and kind, lists
/// flattened.
fn objects_of_file(documents: Vec<Document>, file: FileId) -> Result<Vec<Object>, BuildError> {
    let mut objects = Vec::new();
    for document in documents {
        if document.root.is_null() {
            continue;
        }
        let index = document.index;
        let is_list = matches!(
            document.root.get("items").map(|n| &n.value),
            Some(Value::Seq(_))
        );
        if is_list {
            let Value::Map(entries) = document.root.value else {
                continue;
            };
            for entry in entries.into_iter().filter(|e| e.key.text == "items") {
                let Value::Seq(items) = entry.value.value else {
                    continue;
                };
                for (item_index, item) in items.into_iter().enumerate() {
                    objects.push(Object::new(
                        item,
                        Origin {
                            file,
                            document: index,
                            item: Some(item_index),
                        },
                    ));
                }
            }
            continue;
        }
        let has_type = document
            .root
            .get("apiVersion")
            .and_then(Node::as_str)
            .is_some()
            && document.root.get("kind").and_then(Node::as_str).is_some();
        if !has_type {
            return Err(BuildError::new(
                "a resource file holds a document without apiVersion and kind",
                Some(document.root.span),
            ));
        }
        objects.push(Object::new(
            document.root,
            Origin {
                file,
                document: index,
                item: None,
            },
        ));
    }
    Ok(objects)
}

/// Objects marked `config.kubernetes.io/local-config: "true"` are not output.
fn is_local_configuration(object: &Object) -> bool {
    object
        .body
        .get_path(&[
            "metadata",
            "annotations",
            "config.kubernetes.io/local-config",
        ])
        .and_then(Node::as_str)
        == Some("true")
}

/// kustomize's default ("legacy") order: some kinds first, webhooks last, the
/// rest by group, version, kind, then namespace and name. `sortOptions.order:
/// fifo` keeps the build order.
fn sort(objects: &mut Vec<Object>, top: &Kustomization) -> Result<(), BuildError> {
    const FIRST: &[&str] = &[
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: &[&str] = &[
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    let options = top.get("sortOptions");
    let order = options
        .and_then(|o| o.get("order"))
        .and_then(Node::as_str)
        .unwrap_or("legacy");
    if order == "fifo" {
        return Ok(());
    }
    if order != "legacy" {
        return Err(BuildError::new(
            "sortOptions.order must be fifo or legacy",
            options.map(|o| o.span),
        ));
    }
    let custom = |field: &str| -> Option<Vec<String>> {
        options?
            .get_path(&["legacySortOptions", field])
            .map(|list| {
                list.items()
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect()
            })
    };
    let first =
        custom("orderFirst").unwrap_or_else(|| FIRST.iter().map(|s| s.to_string()).collect());
    let last = custom("orderLast").unwrap_or_else(|| LAST.iter().map(|s| s.to_string()).collect());
    let rank = |kind: &str| -> i64 {
        if let Some(i) = first.iter().position(|k| k == kind) {
            i as i64 - first.len() as i64
        } else if let Some(i) = last.iter().position(|k| k == kind) {
            1 + i as i64
        } else {
            0
        }
    };
    let gvk = |o: &Object| {
        let or = |s: &str, empty: &str| {
            if s.is_empty() {
                empty.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}_{}_{}",
            or(o.group(), "~G"),
            or(o.version(), "~V"),
            or(o.kind(), "~K")
        )
    };
    // Keys worked out once per object, not per comparison.
    struct SortKey<'o> {
        gvk: String,
        rank: i64,
        kind: &'o str,
        core: bool,
        id: String,
    }
    let keys: Vec<SortKey> = objects
        .iter()
        .map(|o| {
            let gvk = gvk(o);
            let id = format!(
                "{gvk}|{}|{}",
                o.namespace().unwrap_or("~X"),
                if o.name().is_empty() { "~N" } else { o.name() }
            );
            SortKey {
                rank: rank(o.kind()),
                kind: o.kind(),
                core: o.group().is_empty(),
                gvk,
                id,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..objects.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&keys[i], &keys[j]);
        if a.gvk != b.gvk {
            if a.rank != b.rank {
                return a.rank.cmp(&b.rank);
            }
            if a.kind == "Namespace" && b.kind == "Namespace" && (a.core || b.core) {
                return b.gvk.cmp(&a.gvk);
            }
            return a.gvk.cmp(&b.gvk);
        }
        a.id.cmp(&b.id)
    });
    drop(keys);
    let mut slots: Vec<Option<Object>> = std::mem::take(objects).into_iter().map(Some).collect();
    objects.extend(order.into_iter().filter_map(|i| slots[i].take()));
    Ok(())
}

/// How an inline patch's lines sit in the kustomization file: the line its
/// text starts on, and the indentation removed from every line.
type Placement = Option<(u32, u32)>;

fn placement(file: &crate::source::SourceFile, span: Span, text: &str) -> Placement {
    let first_line = span.start.line;
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().find(|l| !l.trim().is_empty())?;
    let first_index = lines.iter().position(|l| !l.trim().is_empty())? as u32;
    let candidate = file.line(first_line + first_index)?;
    let indent = candidate
        .find(first.trim_start())
        .filter(|i| candidate[..*i].trim().is_empty())? as u32;
    let indent = indent - (first.len() - first.trim_start().len()) as u32;
    for (i, line) in lines.iter().enumerate() {
        let actual = file.line(first_line + i as u32)?;
        let expected_ok = if line.is_empty() {
            actual.trim().is_empty()
        } else {
            actual.get(indent as usize..) == Some(*line)
        };
        if !expected_ok {
            return None;
        }
    }
    Some((first_line - 1, indent))
}

/// Moves the spans of an inline patch's nodes into the kustomization file.
fn relocate(node: &mut Node, fallback: Span, placement: Placement) {
    let shift = |span: &mut Span| {
        *span = match placement {
            Some((lines, columns)) => Span::new(
                fallback.file,
                Position::new(span.start.line + lines, span.start.column + columns),
                Position::new(
                    span.end.line + lines,
                    span.end.column.saturating_add(columns),
                ),
            ),
            None => fallback,
        };
    };
    shift(&mut node.span);
    match &mut node.value {
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|item| relocate(item, fallback, placement)),
        Value::Map(entries) => {
            for Entry {
                key: Key { span, .. },
                value,
            } in entries.iter_mut()
            {
                shift(span);
                relocate(value, fallback, placement);
            }
        }
        _ => {}
    }
}
