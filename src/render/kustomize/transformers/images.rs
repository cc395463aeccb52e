//! `images:`: new names, tags and digests for container images.
//!
//! An entry's `name` matches an image reference with that name, with or
//! without a tag and a digest (`nginx` matches `nginx`, `nginx:1.25` and
//! `nginx@sha256:…`, not `docker.io/nginx`; a registry with a port is part of
//! the name). kustomize reads `name` as a regular expression, so `.` matches
//! any character; so does Vigie. Each entry is applied twice, as kustomize
//! does: to the `image` of every item of any `containers` or
//! `initContainers` list in the object (custom resources included), then to
//! the image fields of the field specs. The second pass matters only for
//! `tagSuffix`, which ends up appended twice, as with `kubectl kustomize`.
//! CustomResourceDefinitions are left alone.

use regex::Regex;

use super::fieldspecs::{self, IMAGES};
use super::{BuildError, Object, describe, list, text};
use crate::source::Span;
use crate::source::yaml::{Node, Value};

/// One `images:` entry.
struct ImageChange<'a> {
    pattern: Regex,
    new_name: &'a str,
    new_tag: &'a str,
    digest: &'a str,
    tag_suffix: &'a str,
    span: Span,
}

/// Applies a kustomization's `images:` field (its value node): each entry in
/// order.
pub fn apply_images(objects: &mut [Object], images: &Node) -> Result<(), BuildError> {
    for item in list(images, "images")? {
        if item.is_null() {
            continue;
        }
        if item.as_map().is_none() {
            return Err(BuildError::new(
                "an `images` entry must be a mapping",
                Some(item.span),
            ));
        }
        let field = |name: &str| match item.get(name) {
            Some(node) => text(node, name),
            None => Ok(""),
        };
        let name = field("name")?;
        let pattern = Regex::new(&format!(
            "^{name}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$"
        ))
        .map_err(|_| {
            BuildError::new(
                format!("image name {name:?} is not a valid pattern"),
                item.get("name").map(|n| n.span),
            )
        })?;
        let change = ImageChange {
            pattern,
            new_name: field("newName")?,
            new_tag: field("newTag")?,
            digest: field("digest")?,
            tag_suffix: field("tagSuffix")?,
            span: item.span,
        };
        for object in objects.iter_mut() {
            if object.kind() == "CustomResourceDefinition" {
                continue;
            }
            let fail = |object: &Object, message: String| {
                BuildError::new(
                    format!("images: {}: {message}", describe(object)),
                    Some(item.span),
                )
            };
            change_container_lists(&mut object.body, &change)
                .map_err(|message| fail(object, message))?;
            let api_version = object.api_version().to_string();
            let kind = object.kind().to_string();
            for spec in IMAGES.iter().filter(|s| s.selects(&api_version, &kind)) {
                fieldspecs::walk(&mut object.body, spec, None, change.span, &mut |node| {
                    change_image(node, &change)
                })
                .map_err(|message| fail(object, message))?;
            }
        }
    }
    Ok(())
}

/// The first pass: the `image` of the items of every `containers` and
/// `initContainers` list, wherever it is.
fn change_container_lists(node: &mut Node, change: &ImageChange) -> Result<(), String> {
    match &mut node.value {
        Value::Map(entries) => {
            for entry in entries {
                change_container_lists(&mut entry.value, change)?;
                if !matches!(entry.key.text.as_str(), "containers" | "initContainers") {
                    continue;
                }
                let Value::Seq(items) = &mut entry.value.value else {
                    continue;
                };
                for item in items {
                    if let Some(image) = item.get_mut("image") {
                        change_image(image, change)?;
                    }
                }
            }
            Ok(())
        }
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| change_container_lists(item, change)),
        _ => Ok(()),
    }
}

/// Rewrites one image reference if the entry's name matches it.
fn change_image(node: &mut Node, change: &ImageChange) -> Result<(), String> {
    let image = match &node.value {
        Value::Str(image) => image.as_str(),
        Value::Seq(_) | Value::Map(_) => return Err("an image must be a string".to_string()),
        _ => return Ok(()),
    };
    if !change.pattern.is_match(image) {
        return Ok(());
    }
    let (name, tag, digest) = split_image(image);
    let name = if change.new_name.is_empty() {
        name
    } else {
        change.new_name
    };
    // A new tag or digest replaces both the old tag and the old digest.
    let (tag, digest) = match (change.new_tag, change.digest) {
        ("", "") if !change.tag_suffix.is_empty() => (format!("{tag}{}", change.tag_suffix), ""),
        ("", "") => (tag.to_string(), digest),
        (new_tag, new_digest) => (new_tag.to_string(), new_digest),
    };
    let mut reference = name.to_string();
    if !tag.is_empty() {
        reference.push(':');
        reference.push_str(&tag);
    }
    if !digest.is_empty() {
        reference.push('@');
        reference.push_str(digest);
    }
    *node = Node::string(reference, change.span);
    Ok(())
}

/// `(name, tag, digest)` of an image reference. A registry host (with its
/// port) before the first `/` is part of the name.
pub fn split_image(image: &str) -> (&str, &str, &str) {
    let search_from = match image.find('/') {
        Some(slash) if slash > 0 => slash,
        _ => 0,
    };
    let rest = &image[search_from..];
    let at = rest.find('@').map(|i| i + search_from);
    let colon = rest.find(':').map(|i| i + search_from);
    match (colon, at) {
        (None, None) => (image, "", ""),
        (colon, Some(at)) if colon.is_none_or(|c| at < c) => (&image[..at], "", &image[at + 1..]),
        (Some(colon), Some(at)) => (&image[..colon], &image[colon + 1..at], &image[at + 1..]),
        (Some(colon), None) => (&image[..colon], &image[colon + 1..], ""),
        (None, Some(_)) => (image, "", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{objects_from, parse};
    use super::*;

    #[test]
    fn splits_references() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1.25"), ("nginx", "1.25", ""));
        assert_eq!(
            split_image("localhost:5000/app:1@sha256:ab"),
            ("localhost:5000/app", "1", "sha256:ab")
        );
        assert_eq!(
            split_image("registry:5000/app@sha256:ab"),
            ("registry:5000/app", "", "sha256:ab")
        );
        assert_eq!(
            split_image("registry:5000/app"),
            ("registry:5000/app", "", "")
        );
        // Without a slash, the port reads as a tag, as in kustomize.
        assert_eq!(split_image("localhost:5000"), ("localhost", "5000", ""));
    }

    fn images_after(kustomization: &str, pod_images: &[&str]) -> Vec<String> {
        let containers: String = pod_images
            .iter()
            .enumerate()
            .map(|(i, image)| format!("  - name: c{i}\n    image: {image}\n"))
            .collect();
        let mut objects = objects_from(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{containers}"
        ));
        let kustomization = parse(kustomization);
        apply_images(&mut objects, kustomization.get("images").unwrap()).unwrap();
        objects[0]
            .body
            .get_path(&["spec", "containers"])
            .unwrap()
            .items()
            .iter()
            .map(|c| c.get("image").unwrap().as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn sets_names_tags_and_digests() {
        let images = images_after(
            "images:\n- name: nginx\n  newName: mirror.local:5000/nginx\n  newTag: '1.27'\n- name: redis\n  digest: sha256:0123\n",
            &[
                "nginx:1.25@sha256:ff",
                "redis:7",
                "docker.io/nginx",
                "nginx-exporter",
            ],
        );
        assert_eq!(
            images,
            [
                "mirror.local:5000/nginx:1.27",
                "redis@sha256:0123",
                "docker.io/nginx",
                "nginx-exporter"
            ]
        );
    }

    #[test]
    fn tag_suffix_is_applied_by_both_passes() {
        let images = images_after("images:\n- name: app\n  tagSuffix: -fips\n", &["app:1.0"]);
        assert_eq!(images, ["app:1.0-fips-fips"]);
    }

    #[test]
    fn name_is_a_pattern() {
        let images = images_after(
            "images:\n- name: ngin.\n  newTag: x\n",
            &["nginx:1", "redis"],
        );
        assert_eq!(images, ["nginx:x", "redis"]);
    }

    #[test]
    fn custom_resources_with_container_lists_are_changed() {
        let mut objects = objects_from(
            "apiVersion: example.com/v1\nkind: Runner\nmetadata:\n  name: r\nspec:\n  pods:\n  - containers:\n    - image: app:1\n",
        );
        let kustomization = parse("images:\n- name: app\n  newTag: '2'\n");
        apply_images(&mut objects, kustomization.get("images").unwrap()).unwrap();
        let pods = objects[0].body.get_path(&["spec", "pods"]).unwrap().items();
        let image = pods[0].get("containers").unwrap().items()[0]
            .get("image")
            .unwrap();
        assert_eq!(image.as_str(), Some("app:2"));
        assert_eq!(
            image.span,
            kustomization.get("images").unwrap().items()[0].span
        );
    }
}
