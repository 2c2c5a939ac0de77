//! Reading the spec and the overlay: YAML values as strings, lists and JSON, `$ref`s, and
//! a schema's JSON type.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

/// The schema a `$ref: '#/components/<kind>/<name>'` points to, or the node itself.
pub(crate) fn resolve<'a>(spec: &'a Yaml, node: &'a Yaml) -> &'a Yaml {
    let Some(r) = node["$ref"].as_str() else {
        return node;
    };
    let mut parts = r.trim_start_matches("#/").split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(c)) => &spec[a][b][c],
        _ => node,
    }
}

/// A schema's JSON type: its `type`, or the one type all its `anyOf` / `oneOf` variants
/// share (`interval`: 0 or ≥ 60, both integers); empty when there is none.
pub(crate) fn json_type(spec: &Yaml, schema: &Yaml) -> String {
    if let Some(t) = s(&schema["type"]) {
        return t;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(variants) = schema[key].as_vec() {
            let types: Vec<String> = variants
                .iter()
                .map(|v| json_type(spec, resolve(spec, v)))
                .collect();
            if types
                .first()
                .is_some_and(|t| !t.is_empty() && types.iter().all(|x| x == t))
            {
                return types[0].clone();
            }
        }
    }
    String::new()
}

/// A YAML value as compact JSON (objects keep the file's key order); `None` for what JSON
/// cannot say.
pub(crate) fn json(y: &Yaml) -> Option<String> {
    Some(match y {
        Yaml::Hash(h) => {
            let mut parts = Vec::new();
            for (k, v) in h {
                parts.push(format!("{}:{}", json_str(k.as_str()?), json(v)?));
            }
            format!("{{{}}}", parts.join(","))
        }
        Yaml::Array(a) => {
            let parts: Option<Vec<String>> = a.iter().map(json).collect();
            format!("[{}]", parts?.join(","))
        }
        Yaml::String(s) => json_str(s),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Real(r) => r.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => "null".to_owned(),
        _ => return None,
    })
}

/// A JSON string literal.
pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn s(y: &Yaml) -> Option<String> {
    y.as_str().map(str::to_owned)
}

pub(crate) fn list(y: &Yaml) -> Vec<String> {
    y.as_vec()
        .map(|v| v.iter().filter_map(s).collect())
        .unwrap_or_default()
}

pub(crate) fn load(path: &Path) -> Result<Yaml, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut docs =
        YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if docs.is_empty() {
        return Err(format!("{}: empty", path.display()));
    }
    Ok(docs.swap_remove(0))
}
