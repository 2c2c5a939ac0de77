//! The Rust outputs: operation tables, JS methods (`src/wasm/*/ops.rs`), params readers and
//! `Endpoint` impls (`src/*/endpoints/wire.rs`) and reply shapes (`src/*/shapes.rs`), each
//! formatted by rustfmt.

use std::fmt::Write as _;

use yaml_rust2::Yaml;

use crate::model::{reply_schema, screaming, snake, Field, Op, CLASSES, KEYS};
use crate::other::ts_union;
use crate::yaml::{json_type, list, resolve, s};
use crate::{Provider, HEADER};

/// One provider's operation table: operation number → the operation as data (`Op`), for
/// the client's `__prepare` / `__next` / `__finish` exports in the parent module. A child
/// module of the client's own, so it uses the client's private `op::<E>()`.
pub(crate) fn rust_bindings(p: &Provider, ops: &[Op]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADER}");
    let _ = writeln!(
        out,
        "//! The operations of `{}`, from `{}` and `spec/overlay.yaml`: operation number `n`\n\
         //! (the order of the methods in `src/wasm/methods.js`) as data, for the client's\n\
         //! `__prepare` / `__next` / `__finish` exports, which the JS call loop\n\
         //! (`src/wasm/call.js`) calls; and the methods' TypeScript declarations. An operation\n\
         //! whose overlay entry says `op: hand` gets its `Op` from the parent module.\n",
        p.class, p.spec
    );
    let _ = writeln!(out, "use wasm_bindgen::prelude::*;\n");
    if ops.iter().any(|o| o.checks_data) {
        let _ = writeln!(out, "use super::{{op, wire_op, ClientOp, {}}};", p.class);
    } else {
        let _ = writeln!(out, "use super::{{op, ClientOp, {}}};", p.class);
    }
    let _ = writeln!(out, "use {}::*;\n", p.endpoints);
    let _ = writeln!(out, "impl {} {{", p.class);
    let _ = writeln!(
        out,
        "    /// Operation number `n` of this client's table, or `None`.\n    \
         #[inline(never)]\n    \
         pub(super) fn op(n: u32) -> Option<ClientOp> {{\n        \
         Some(match n {{"
    );
    for (i, o) in ops.iter().enumerate() {
        if o.checks_data && !o.binding.hand_op {
            let _ = writeln!(
                out,
                "            {i} => wire_op(&{}::wire::{}),",
                p.endpoints,
                wire_static(o)
            );
        } else if !o.binding.hand_op {
            let _ = writeln!(out, "            {i} => op::<{}>(),", o.rust);
        } else {
            let _ = writeln!(out, "            {i} => super::{}_op(),", snake(&o.id));
        }
    }
    let _ = writeln!(
        out,
        "            _ => return None,\n        }})\n    }}\n}}\n"
    );
    // The methods' declarations, JSDoc included (the methods themselves are JS).
    let mut ts = format!("export interface {} {{\n", p.class);
    for o in ops {
        let b = &o.binding;
        let Some(ret) = &b.returns else { continue };
        ts.push_str("  /**\n");
        for line in b.jsdoc.trim_end().lines() {
            if line.is_empty() {
                ts.push_str("   *\n");
            } else {
                let _ = writeln!(ts, "   * {line}");
            }
        }
        ts.push_str("   *\n");
        match &b.section {
            Some(sec) => {
                let _ = writeln!(ts, "   * Docs: <{}> ({sec})", o.doc);
            }
            None => {
                let _ = writeln!(ts, "   * Docs: <{}>", o.doc);
            }
        }
        ts.push_str("   */\n");
        let q = if b.params_optional { "?" } else { "" };
        let _ = writeln!(
            ts,
            "  {}(params{q}: {}, options?: {}): Promise<{ret}>;",
            o.id, o.params_ts, b.options
        );
    }
    ts.push_str("}\n");
    let _ = writeln!(
        out,
        "#[wasm_bindgen(typescript_custom_section)]\nconst TS_METHODS: &str = {};",
        rust_str(&ts)
    );
    out
}

/// `src/wasm/methods.js`: each client's methods, named by the operationIds, as JS running
/// the call loop (`src/wasm/call.js`) with the operation's number (the order of
/// `rust_bindings`' table). Appended to each glue before the freed guard, which then wraps
/// them as it wraps every method.
pub(crate) fn js_methods(all: &[(&Provider, Vec<Op>)]) -> String {
    let mut out = String::from(
        "\n// ---- appended by scripts/build-pkg.sh (src/wasm/methods.js, written by `cargo xtask gen`; do not edit) ----\n\
         // Each operation's method, named by its operationId: it runs the call loop\n\
         // (src/wasm/call.js, appended before this) with the operation's number (the table in\n\
         // src/wasm/*/ops.rs). A module declares only its own classes; `typeof` on a name that\n\
         // is not declared is \"undefined\", not a ReferenceError; scripts/build-pkg.sh also\n\
         // drops the `// @only <feature>` blocks of the providers a module was built without.\n\
         (function addMethods(clients) {\n  \
         for (const [C, METHODS] of clients) {\n    \
         if (!C) continue;\n    \
         METHODS.forEach((name, op) => {\n      \
         // An object literal names the function (stack traces, the freed guard's messages);\n      \
         // defined like a class method: not enumerable.\n      \
         const value = { [name](params, options) { return pkCall(this, op, name, params, options); } }[name];\n      \
         Object.defineProperty(C.prototype, name, { value, writable: true, configurable: true });\n    \
         });\n  \
         }\n\
         })([\n",
    );
    for (p, ops) in all {
        let names: Vec<String> = ops.iter().map(|o| format!("\"{}\"", o.id)).collect();
        let _ = writeln!(
            out,
            "  // @only {2}\n  [typeof {0} === \"undefined\" ? null : {0}, [\n    {1},\n  ]],\n  // @end",
            p.class,
            names.join(",\n    "),
            p.key
        );
    }
    out.push_str("]);\n");
    out
}

/// The allowed numbers a field's type error names, from the spec's `minimum` / `maximum`.
pub(crate) fn range_text(f: &Field) -> Option<String> {
    match (f.minimum, f.maximum) {
        (Some(a), Some(b)) => Some(format!("from {a} to {b}")),
        (Some(a), None) if a > 0 => Some(format!("{a} or more")),
        (None, Some(b)) => Some(format!("up to {b}")),
        _ => None,
    }
}

/// One provider's params readers (`FromJson`) and `Endpoint` impls, derived from the spec:
/// each path, query and body field is read with the reader its JSON type calls for, and
/// sent where the spec puts it. The params structs (fields, docs, TypeScript) and their
/// rules (`Validate`) stay hand-written next to each other in `endpoints/`.
pub(crate) fn rust_wire(p: &Provider, ops: &[Op]) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADER}");
    let _ = writeln!(
        out,
        "//! {} params readers and `Endpoint` impls, derived from `{}`: each\n\
         //! field is read by its JSON type and sent where the spec puts it (path, query, body).\n\
         //! Operations whose overlay entry says `wire: hand` are written in their own file.\n",
        p.title, p.spec
    );
    let _ = writeln!(out, "use serde_json::Value;\n");
    let _ = writeln!(out, "use super::*;");
    // `object_of` builds the bodies of the POST / PATCH operations that are not data.
    let object_of = ops
        .iter()
        .any(|o| o.wire && !o.checks_data && matches!(o.method.as_str(), "POST" | "PATCH" | "PUT"));
    let _ = writeln!(
        out,
        "use crate::endpoint::{{{}Auth, Endpoint, RequestSpec}};",
        if object_of { "object_of, " } else { "" }
    );
    let _ = writeln!(out, "use crate::error::Error;");
    let _ = writeln!(out, "use crate::http::Method;");
    let _ = writeln!(out, "use crate::json::{{Fields, FromJson, Ty}};");
    if ops.iter().any(|o| o.checks_data) {
        let _ = writeln!(
            out,
            "use crate::wire::{{self, At, Field, Kind, Rule, Val, Wire}};"
        );
    }
    let _ = writeln!(out, "use {}::*;", p.models);
    // Params structs whose reader is written here: a newtype's inner struct gets one only
    // if no operation of its own has written it.
    let mut readers: Vec<String> = ops
        .iter()
        .filter(|o| o.wire && !o.newtype)
        .map(|o| o.rust.clone())
        .collect();
    for o in ops.iter().filter(|o| o.wire) {
        // A newtype (`AddSubUserTraffic(SubUserTrafficParams)`): one params struct serves
        // several operations; the reader and the fields are the inner struct's.
        let (t, me) = if o.newtype {
            (&o.params_ts, "self.0")
        } else {
            (&o.rust, "self")
        };
        let write_reader = !o.newtype || !readers.contains(t);
        if o.newtype && write_reader {
            readers.push(t.clone());
        }
        for f in &o.fields {
            if !f.generated() {
                return Err(format!(
                    "{}: {}: field `{}` is of type `{}`, which the generator does not read; \
                     write the reader by hand and say `wire: hand` in the overlay",
                    p.spec, o.id, f.name, f.ty
                ));
            }
        }
        if o.newtype {
            let outer = &o.rust;
            let _ = writeln!(
                out,
                "\nimpl FromJson for {outer} {{\n    fn from_json(v: &Value) -> Result<Self, Error> {{\n        {t}::from_json(v).map({outer})\n    }}\n}}\n\nimpl Validate for {outer} {{\n    fn problems(&self) -> crate::validate::Problems {{\n        self.0.problems()\n    }}\n}}"
            );
        }
        if o.checks_data {
            data_op(&mut out, p, ops, o, t, me, write_reader)?;
            continue;
        }
        // The reader.
        if write_reader {
            let _ = writeln!(
                out,
                "\nimpl FromJson for {t} {{\n    fn from_json(v: &Value) -> Result<Self, Error> {{"
            );
            if o.fields.is_empty() {
                let _ = writeln!(
                    out,
                    "        Fields::new(v)?.finish()?;\n        Ok({t} {{}})"
                );
            } else {
                let _ = writeln!(
                    out,
                    "        let mut f = Fields::new(v)?;\n        let p = {t} {{"
                );
                for f in &o.fields {
                    if let Some((_, helper)) = o.readers.iter().find(|(n, _)| *n == f.name) {
                        let _ = writeln!(out, "            {}: f.take_with({helper}),", f.name);
                        continue;
                    }
                    let opt = if f.required { "" } else { "opt_" };
                    let call = match (f.ty.as_str(), range_text(f)) {
                        ("string", _) => format!("{opt}str({:?})", f.name),
                        ("boolean", _) => format!("{opt}bool({:?})", f.name),
                        ("number", _) => format!("opt_num({:?})", f.name),
                        ("array", _) if f.items.as_deref() == Some("string") => {
                            format!("opt_str_list({:?})", f.name)
                        }
                        ("array", _) => format!("opt_uint_list({:?})", f.name),
                        (_, Some(r)) => format!("{opt}uint_in({:?}, {r:?})", f.name),
                        (_, None) => format!("{opt}uint({:?})", f.name),
                    };
                    let _ = writeln!(out, "            {}: f.take_{call},", f.name);
                }
                for extra in &o.extra_fields {
                    let _ = writeln!(out, "            {extra}: Default::default(),");
                }
                let _ = writeln!(out, "        }};\n        f.finish()?;\n        Ok(p)");
            }
            let _ = writeln!(out, "    }}\n}}");
        }
        // The endpoint.
        let method = method_variant(p, o)?;
        write_endpoint_head(&mut out, p, o)?;
        let _ = writeln!(
            out,
            "    fn spec(&self) -> Result<RequestSpec, Error> {{\n        self.problems().into_result()?;"
        );
        let mut segments = Vec::new();
        for seg in o.path.trim_start_matches('/').split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                let f = o
                    .fields
                    .iter()
                    .find(|f| f.name == name && f.loc == "path")
                    .ok_or_else(|| format!("{}: {}: no path parameter {name}", p.spec, o.id))?;
                segments.push(if f.ty == "string" {
                    format!("&{me}.{name}")
                } else {
                    format!("&{me}.{name}.to_string()")
                });
            } else {
                segments.push(format!("{seg:?}"));
            }
        }
        let query: Vec<&Field> = o.fields.iter().filter(|f| f.loc == "query").collect();
        let body: Vec<&Field> = o.fields.iter().filter(|f| f.loc == "body").collect();
        // The server refuses a POST/PATCH without a body length: those always send an object.
        let sends_body = matches!(method, "Post" | "Patch");
        let mutable = if query.is_empty() && !sends_body {
            ""
        } else {
            "mut "
        };
        let _ = writeln!(
            out,
            "        let {mutable}r = RequestSpec::new(Method::{method}, &[{}]);",
            segments.join(", ")
        );
        for f in &query {
            let n = &f.name;
            if f.required {
                let v = if f.ty == "string" {
                    "clone"
                } else {
                    "to_string"
                };
                let _ = writeln!(out, "        r.query.push(({n:?}, {me}.{n}.{v}()));");
            } else {
                let v = if f.ty == "string" {
                    "clone"
                } else {
                    "to_string"
                };
                let _ = writeln!(
                    out,
                    "        if let Some(v) = &{me}.{n} {{\n            r.query.push(({n:?}, v.{v}()));\n        }}"
                );
            }
        }
        if sends_body {
            let items: Vec<String> = body
                .iter()
                .map(|f| {
                    let n = &f.name;
                    let value = match (matches!(f.ty.as_str(), "string" | "array"), f.required) {
                        (true, true) => format!("Some({me}.{n}.clone().into())"),
                        (true, false) => format!("{me}.{n}.clone().map(Into::into)"),
                        (false, true) => format!("Some({me}.{n}.into())"),
                        (false, false) => format!("{me}.{n}.map(Into::into)"),
                    };
                    format!("({n:?}, {value})")
                })
                .collect();
            let _ = writeln!(
                out,
                "        r.body = Some(object_of(vec![{}]));",
                items.join(", ")
            );
        } else if !body.is_empty() {
            return Err(format!("{}: {}: a body on a {method}", p.spec, o.id));
        }
        let _ = writeln!(out, "        Ok(r)\n    }}\n}}");
        for i in p.empty_impls {
            if !o.hand_impls.iter().any(|h| h == i) {
                let _ = writeln!(out, "\nimpl {i} for {t} {{}}");
            }
        }
    }
    let data: Vec<String> = ops
        .iter()
        .filter(|o| o.checks_data)
        .map(|o| format!("&{}", wire_static(o)))
        .collect();
    if !data.is_empty() {
        let _ = writeln!(
            out,
            "\n/// Every operation that is data, in the spec's order (the tests run each through both\n/// paths: the typed params and [`crate::wire::build`]).\npub static ALL: &[&Wire] = &[{}];",
            data.join(", ")
        );
    }
    Ok(out)
}

/// The `http::Method` variant of an operation's method.
fn method_variant(p: &Provider, o: &Op) -> Result<&'static str, String> {
    Ok(match o.method.as_str() {
        "GET" => "Get",
        "POST" => "Post",
        "PATCH" => "Patch",
        "DELETE" => "Delete",
        other => return Err(format!("{}: {}: method {other}", p.spec, o.id)),
    })
}

/// The `Auth` variant of an operation's `key`.
fn auth_variant(o: &Op) -> &'static str {
    match o.key.as_str() {
        "optional" => "Optional",
        "never" => "Never",
        _ => "Required",
    }
}

/// The shape an operation's reply is checked against; an undocumented reply is a JSON
/// value of any shape.
fn reply_expr(p: &Provider, o: &Op) -> String {
    match (o.reply.clone(), &o.reply_shape) {
        (Some(shape), _) => shape,
        (None, Some(shape)) => format!("{}::{shape}", p.shapes_mod),
        (None, None) => "Ty::Any".to_owned(),
    }
}

/// The head of an operation's `impl Endpoint`: its name, auth, reply type and shape (the
/// caller writes `spec` and the closing brace).
fn write_endpoint_head(out: &mut String, p: &Provider, o: &Op) -> Result<(), String> {
    let output = match (&o.output, o.binding.returns.as_ref()) {
        (Some(x), _) | (None, Some(x)) => x.clone(),
        (None, None) => {
            return Err(format!(
                "overlay.yaml: {}.{}: no `output` (the Rust reply type)",
                p.key, o.id
            ))
        }
    };
    let _ = writeln!(
        out,
        "\nimpl Endpoint for {} {{\n    const OPERATION: &'static str = {:?};\n    const AUTH: Auth = Auth::{};\n    type Output = {output};\n    const REPLY: &'static Ty = &{};",
        o.rust,
        o.id,
        auth_variant(o),
        reply_expr(p, o)
    );
    if o.any_body {
        let _ = writeln!(out, "    const ANY_BODY: bool = true;");
    }
    Ok(())
}

/// The `Wire` static of an operation that is data (overlay `checks: data`).
pub(crate) fn wire_static(o: &Op) -> String {
    snake(&o.id).to_ascii_uppercase()
}

/// The `crate::wire::Rule` of a field's overlay `rule`.
fn rule_expr(p: &Provider, o: &Op, f: &Field) -> Result<String, String> {
    let rule = f.rule.as_deref().unwrap_or("any");
    Ok(match rule {
        "any" => "Rule::Any".to_owned(),
        "id" => "Rule::Id".to_owned(),
        "non_empty" => "Rule::NonEmpty".to_owned(),
        "segment" => "Rule::Segment".to_owned(),
        "at_least_one" => "Rule::AtLeastOne".to_owned(),
        _ => match rule.strip_prefix("one_of ") {
            Some(list) if !list.is_empty() && list.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                format!("Rule::OneOf({}::{list})", p.models.replace("::models", "::rules"))
            }
            _ => {
                return Err(format!(
                    "overlay.yaml: {}.{}: field `{}`: unknown rule `{rule}` (any, id, non_empty, segment, at_least_one, one_of <LIST>)",
                    p.key, o.id, f.name
                ))
            }
        },
    })
}

/// An operation that is data: its `Wire` static, and its params type's reader, `Validate`
/// and `Endpoint` over it (`t` the params struct, `me` the expression of its value).
fn data_op(
    out: &mut String,
    p: &Provider,
    ops: &[Op],
    o: &Op,
    t: &str,
    me: &str,
    write_reader: bool,
) -> Result<(), String> {
    let name = wire_static(o);
    let method = method_variant(p, o)?;
    let auth = auth_variant(o);
    let reply = reply_expr(p, o);
    let mut path = Vec::new();
    let mut path_fields = Vec::new();
    for seg in o.path.trim_start_matches('/').split('/') {
        match seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
            Some(field) => {
                path.push("{}");
                path_fields.push(field);
            }
            None => path.push(seg),
        }
    }
    let in_order: Vec<&str> = o
        .fields
        .iter()
        .filter(|f| f.loc == "path")
        .map(|f| f.name.as_str())
        .collect();
    if in_order != path_fields {
        return Err(format!(
            "{}: {}: the path's fields {path_fields:?} are not the path parameters in order {in_order:?}",
            p.spec, o.id
        ));
    }
    if !matches!(method, "Post" | "Patch") && o.fields.iter().any(|f| f.loc == "body") {
        return Err(format!("{}: {}: a body on a {method}", p.spec, o.id));
    }
    let mut fields = String::new();
    for f in &o.fields {
        let kind = match f.ty.as_str() {
            "string" => "Str",
            "boolean" => "Bool",
            _ => "Uint",
        };
        // A number's type error names its allowed values: the interpreter knows them from
        // the rule, which must then say what the spec's bounds say.
        let rule = rule_expr(p, o, f)?;
        let bounds = if kind == "Uint" { range_text(f) } else { None };
        if bounds.is_some() != (rule == "Rule::AtLeastOne")
            || bounds.as_deref().is_some_and(|b| b != "1 or more")
        {
            return Err(format!(
                "overlay.yaml: {}.{}: field `{}`: the spec's bounds ({bounds:?}) and the rule `{rule}` differ; `checks: data` knows `at_least_one` for a minimum of 1",
                p.key, o.id, f.name
            ));
        }
        let at = match f.loc {
            "path" => "Path",
            "query" => "Query",
            _ => "Body",
        };
        let _ = write!(
            fields,
            "Field {{ name: {:?}, kind: Kind::{kind}, required: {}, rule: {rule}, at: At::{at} }}, ",
            f.name,
            f.required,
        );
    }
    let _ = writeln!(
        out,
        "
/// `{}` as data ([`crate::wire`]).
pub static {name}: Wire = Wire {{
    op: {:?},
    method: Method::{method},
    auth: Auth::{auth},
    path: {:?},
    fields: &[{fields}],
    reply: &{reply},
    any_body: {},
}};",
        o.id,
        o.id,
        path.join("/"),
        o.any_body
    );
    if write_reader {
        // Every operation over this params struct must read and check it alike.
        for other in ops
            .iter()
            .filter(|x| x.id != o.id && (if x.newtype { &x.params_ts } else { &x.rust }) == t)
        {
            let same = other.checks_data
                && other.fields.len() == o.fields.len()
                && other.fields.iter().zip(&o.fields).all(|(a, b)| {
                    a.name == b.name && a.ty == b.ty && a.required == b.required && a.rule == b.rule
                });
            if !same {
                return Err(format!(
                    "overlay.yaml: {}: {} and {} share {t} but not its fields and rules (`checks: data` on both, same rules)",
                    p.key, o.id, other.id
                ));
            }
        }
        let _ = writeln!(
            out,
            "
impl FromJson for {t} {{
    fn from_json(v: &Value) -> Result<Self, Error> {{"
        );
        if o.fields.is_empty() {
            let _ = writeln!(
                out,
                "        wire::read(&{name}, v)?;
        Ok({t} {{}})
    }}
}}"
            );
        } else {
            let _ = writeln!(
                out,
                "        let mut v = wire::read(&{name}, v)?.into_iter();
        Ok({t} {{"
            );
            for f in &o.fields {
                let opt = if f.required { "" } else { "opt_" };
                let ty = match f.ty.as_str() {
                    "string" => "str",
                    "boolean" => "bool",
                    _ => "uint",
                };
                let _ = writeln!(out, "            {}: wire::take_{opt}{ty}(&mut v),", f.name);
            }
            let _ = writeln!(
                out,
                "        }})
    }}
}}"
            );
        }
        let vals: Vec<String> = o
            .fields
            .iter()
            .map(|f| {
                let by_ref = !f.required || f.ty == "string";
                format!(
                    "Val::from({}self.{})",
                    if by_ref { "&" } else { "" },
                    f.name
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "
impl {t} {{
    /// The fields' values in [`{name}`]'s order.
    pub(crate) fn wire_vals(&self) -> Vec<Val> {{
        vec![{}]
    }}
}}",
            vals.join(", ")
        );
        if !o.fields.is_empty() {
            let _ = writeln!(
                out,
                "
impl Validate for {t} {{
    fn problems(&self) -> crate::validate::Problems {{
        wire::problems(&{name}, &self.wire_vals())
    }}
}}"
            );
        }
    }
    write_endpoint_head(out, p, o)?;
    let _ = writeln!(
        out,
        "    fn spec(&self) -> Result<RequestSpec, Error> {{
        wire::spec(&{name}, &{me}.wire_vals())
    }}
}}"
    );
    for i in p.empty_impls {
        if !o.hand_impls.iter().any(|h| h == i) {
            let _ = writeln!(
                out,
                "
impl {i} for {t} {{}}"
            );
        }
    }
    Ok(())
}

/// What the overlay's `replies.<provider>` changes in the derived shapes.
pub(crate) struct Tolerances {
    /// Field names the spec marks required that are read as optional in every reply.
    pub(crate) optional: Vec<String>,
    /// Integer field names read as whole numbers ≥ 0.
    pub(crate) unsigned: Vec<String>,
    /// Per schema, fields the spec does not list, with their type (read as optional).
    pub(crate) extra: Vec<(String, Vec<(String, String)>)>,
    /// Per schema, fields the spec marks required that are read as optional there.
    pub(crate) optional_in: Vec<(String, Vec<String>)>,
}

/// One schema as a `Ty` expression; named schemas are referred to by their static.
pub(crate) fn ty_expr(
    spec: &Yaml,
    schema: &Yaml,
    name: Option<&str>,
    tol: &Tolerances,
    out: &mut Vec<String>,
    schema_name: Option<&str>,
) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        let n = r.rsplit('/').next().unwrap_or_default();
        // A named scalar (an enum of strings such as `Lang`) is checked as its type.
        let target = resolve(spec, schema);
        if matches!(
            json_type(spec, target).as_str(),
            "string" | "integer" | "number" | "boolean"
        ) {
            return ty_expr(spec, target, name, tol, out, None);
        }
        if !out.iter().any(|x| x == n) {
            out.push(n.to_owned());
        }
        return format!("Ty::Ref(&{})", screaming(n));
    }
    match json_type(spec, schema).as_str() {
        "string" => "Ty::Str".to_owned(),
        "boolean" => "Ty::Bool".to_owned(),
        "number" => "Ty::Num".to_owned(),
        "integer" => {
            let unsigned = schema["minimum"].as_i64().is_some_and(|m| m >= 0)
                || name.is_some_and(|n| tol.unsigned.iter().any(|u| u == n));
            if unsigned { "Ty::Uint" } else { "Ty::Int" }.to_owned()
        }
        "array" => {
            let item = &schema["items"];
            let inner = ty_expr(spec, item, None, tol, out, None);
            match inner.strip_prefix("Ty::Ref(") {
                Some(r) => format!("Ty::List({}", r),
                None => format!("Ty::List(&{inner})"),
            }
        }
        "object" => {
            let Some(props) = schema["properties"].as_hash() else {
                return "Ty::Any".to_owned();
            };
            let required = list(&schema["required"]);
            let mut fields = Vec::new();
            for (k, v) in props {
                let k = s(k).unwrap_or_default();
                let nullable = v["nullable"].as_bool().unwrap_or(false);
                let optional_here = tol
                    .optional_in
                    .iter()
                    .any(|(sn, fs)| Some(sn.as_str()) == schema_name && fs.contains(&k));
                let req = required.contains(&k)
                    && !nullable
                    && !tol.optional.contains(&k)
                    && !optional_here;
                let ty = ty_expr(spec, v, Some(&k), tol, out, None);
                fields.push(format!("{}({k:?}, {ty})", if req { "req" } else { "opt" }));
            }
            format!("Ty::Obj(&[{}])", fields.join(", "))
        }
        _ => "Ty::Any".to_owned(),
    }
}

/// One provider's reply shapes, derived from the reply schemas of its operations (and the
/// schemas they refer to), with the overlay's `replies` tolerances applied.
pub(crate) fn rust_shapes(
    p: &Provider,
    spec: &Yaml,
    ops: &[Op],
    tol: &Yaml,
) -> Result<String, String> {
    let per_schema = |y: &Yaml| -> Vec<(String, Vec<String>)> {
        y.as_hash()
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| Some((s(k)?, list(v))))
                    .collect()
            })
            .unwrap_or_default()
    };
    let tol = Tolerances {
        optional_in: per_schema(&tol["optional_in"]),
        optional: list(&tol["optional"]),
        unsigned: list(&tol["unsigned"]),
        extra: tol["extra"]
            .as_hash()
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| {
                        let fields = v
                            .as_hash()?
                            .iter()
                            .filter_map(|(f, ty)| Some((s(f)?, s(ty)?)))
                            .collect();
                        Some((s(k)?, fields))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "{HEADER}");
    let _ = writeln!(
        out,
        "//! {} reply shapes, derived from the reply schemas of `{}` with the\n\
         //! tolerances in `spec/overlay.yaml` (`replies`): each reply is checked against its\n\
         //! operation's shape before it is handed over. `tests/schemas.rs` keeps the models in\n\
         //! agreement with them.\n",
        p.title, p.spec
    );
    let _ = writeln!(out, "use crate::json::{{opt, req, Ty}};\n");
    // Named schemas to write, in the order they are first met (each once: every push checks).
    let mut pending: Vec<String> = Vec::new();
    for o in ops {
        let schema = reply_schema(spec, &o.id);
        if schema.is_badvalue() || !schema["$ref"].is_badvalue() {
            if let Some(r) = schema["$ref"].as_str() {
                let n = r.rsplit('/').next().unwrap_or_default().to_owned();
                if !pending.contains(&n) {
                    pending.push(n);
                }
            }
            continue;
        }
        let Some(name) = &o.reply_shape else { continue };
        let expr = ty_expr(spec, schema, None, &tol, &mut pending, None);
        let _ = writeln!(
            out,
            "/// The `{}` reply (written inline in the spec).\npub static {name}: Ty = {expr};",
            o.id
        );
    }
    let mut i = 0;
    while i < pending.len() {
        let n = pending[i].clone();
        i += 1;
        let schema = &spec["components"]["schemas"][n.as_str()];
        if schema.is_badvalue() {
            return Err(format!("{}: no schema {n}", p.spec));
        }
        let mut expr = ty_expr(spec, schema, None, &tol, &mut pending, Some(&n));
        if let Some((_, extra)) = tol.extra.iter().find(|(k, _)| *k == n) {
            let mut added = Vec::new();
            for (f, ty) in extra {
                let ty = match ty.as_str() {
                    "any" => "Ty::Any".to_owned(),
                    "string" => "Ty::Str".to_owned(),
                    "integer" => "Ty::Int".to_owned(),
                    "unsigned" => "Ty::Uint".to_owned(),
                    "number" => "Ty::Num".to_owned(),
                    "boolean" => "Ty::Bool".to_owned(),
                    schema => {
                        if spec["components"]["schemas"][schema].is_badvalue() {
                            return Err(format!(
                                "overlay.yaml: replies.{}.extra.{n}.{f}: `{schema}` is neither a type nor a schema",
                                p.key
                            ));
                        }
                        if !pending.iter().any(|x| x == schema) {
                            pending.push(schema.to_owned());
                        }
                        format!("Ty::Ref(&{})", screaming(schema))
                    }
                };
                added.push(format!("opt({f:?}, {ty})"));
            }
            expr = match expr.strip_suffix("])") {
                Some(head) => format!("{head}, {}])", added.join(", ")),
                None => {
                    return Err(format!(
                        "overlay.yaml: replies.{}.extra: {n} is not an object",
                        p.key
                    ))
                }
            };
        }
        let _ = writeln!(
            out,
            "/// `{n}`.\npub static {}: Ty = {expr};",
            screaming(&n)
        );
    }
    for (k, _) in &tol.extra {
        if !pending.contains(k) {
            return Err(format!(
                "overlay.yaml: replies.{}.extra names {k}, not a reply schema",
                p.key
            ));
        }
    }
    Ok(out)
}

/// Formats generated Rust as `cargo fmt` would, so `cargo fmt --check` and `--check` agree.
pub(crate) fn rustfmt(code: &str) -> Result<String, String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt: no stdin")?
        .write_all(code.as_bytes())
        .map_err(|e| format!("rustfmt: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt refused the generated code: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt: {e}"))
}

pub(crate) fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

pub(crate) fn lookup(table: &[(&str, &'static str)], k: &str) -> &'static str {
    table.iter().find(|(a, _)| *a == k).map_or("?", |(_, b)| *b)
}

pub(crate) fn rust_table(p: &Provider, ops: &[Op]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADER}");
    let _ = writeln!(
        out,
        "//! {} operations, from `{}` and `spec/overlay.yaml`.\n",
        p.title, p.spec
    );
    let _ = writeln!(out, "use super::{{Key, Operation}};");
    let _ = writeln!(out, "use crate::config::ClientConfig;");
    let _ = writeln!(out, "use crate::error::Error;");
    let _ = writeln!(
        out,
        "use crate::http::{{HttpRequest, HttpResponse, Method}};"
    );
    let _ = writeln!(out, "use crate::policy::Class;\n");
    let _ = writeln!(
        out,
        "/// Every operation, in the order of the OpenAPI file."
    );
    let _ = writeln!(out, "pub const OPERATIONS: &[Operation] = &[");
    for o in ops {
        let method = match o.method.as_str() {
            "GET" => "Get",
            "POST" => "Post",
            "PUT" => "Put",
            "PATCH" => "Patch",
            _ => "Delete",
        };
        let _ = writeln!(
            out,
            "    Operation {{\n        id: {},\n        method: Method::{method},\n        path: {},\n        class: Class::{},\n        key: Key::{},\n        dc_isp: {},\n    }},",
            rust_str(&o.id),
            rust_str(&o.path),
            lookup(&CLASSES, &o.class),
            lookup(&KEYS, &o.key),
            o.dc_isp
        );
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(
        out,
        "/// [`super::exercise`] for operation `id`: its params read from `params` and checked, its\n\
         /// request built, and with `reply` the reply decoded and shape-checked. `None` for an\n\
         /// operationId this provider does not have.\n\
         pub fn exercise(\n    id: &str,\n    params: &serde_json::Value,\n    config: &ClientConfig,\n    reply: Option<&HttpResponse>,\n) -> Option<Result<HttpRequest, Error>> {{\n    use {}::*;\n    Some(match id {{",
        p.endpoints
    );
    for o in ops {
        let _ = writeln!(
            out,
            "        {:?} => super::exercise::<{}>(params, config, reply),",
            o.id, o.rust
        );
    }
    let _ = writeln!(out, "        _ => return None,\n    }})\n}}\n");
    let _ = writeln!(
        out,
        "/// [`super::Reply`] of operation `id`: its documented shape and whether its reply model\n\
         /// decodes a value. `None` for an operationId this provider does not have.\n\
         pub fn reply(id: &str) -> Option<super::Reply> {{\n    use {}::*;\n    Some(match id {{",
        p.endpoints
    );
    for o in ops {
        let _ = writeln!(out, "        {:?} => super::reply::<{}>(),", o.id, o.rust);
    }
    let _ = writeln!(out, "        _ => return None,\n    }})\n}}\n");
    let _ = writeln!(
        out,
        "/// The TypeScript union of the operation names (for the `.d.ts`)."
    );
    let _ = writeln!(
        out,
        "pub const TS_OPERATIONS: &str = {};",
        rust_str(&ts_union(p, ops))
    );
    out
}

/// The params structs of the operations whose reader is generated (unless the overlay says
/// `struct: hand`): the spec's fields under their wire names, each with its doc and
/// TypeScript type (see [`crate::model::Field`]), the struct documented by the method's
/// `jsdoc`. Tsify turns them into the `.d.ts` params interfaces.
pub(crate) fn rust_params(p: &Provider, ops: &[Op]) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADER}");
    let _ = writeln!(
        out,
        "//! {} params types, derived from `{}` and `spec/overlay.yaml`\n\
         //! (field docs and TypeScript types: `fields`). Their rules (`impl Validate`) are\n\
         //! hand-written beside the operations' other code; an operation whose overlay says\n\
         //! `struct: hand` or `wire: hand` declares its params type there too.\n",
        p.title, p.spec
    );
    let mut body = String::new();
    let mut done: Vec<&str> = Vec::new();
    let (mut context, mut empty) = (false, false);
    for o in ops.iter().filter(|o| o.params_struct) {
        if o.newtype {
            // Its own Rust type over the shared params struct, for its own `Endpoint` impl;
            // in TypeScript the operation takes the shared struct.
            let _ = writeln!(
                body,
                "\n/// Params of `{}`: [`{}`], under a type of its own for its `Endpoint` impl.\n\
                 #[derive(Clone, Debug, Default, PartialEq)]\npub struct {}(pub {});",
                o.id, o.params_ts, o.rust, o.params_ts
            );
        }
        let name = if o.newtype { &o.params_ts } else { &o.rust };
        if done.contains(&name.as_str()) {
            continue;
        }
        done.push(name);
        let sharing: Vec<String> = ops
            .iter()
            .filter(|x| x.params_struct && (if x.newtype { &x.params_ts } else { &x.rust }) == name)
            .map(|x| format!("`{}`", x.id))
            .collect();
        let _ = writeln!(body, "\n/// Params of {}.\n///", sharing.join(" and "));
        let jsdoc = o.binding.jsdoc.as_str();
        for line in jsdoc.trim_end().lines() {
            let _ = writeln!(body, "///{}{line}", if line.is_empty() { "" } else { " " });
        }
        let _ = writeln!(body, "///\n/// Docs: <{}>", o.doc);
        let _ = writeln!(body, "#[derive(Clone, Debug, Default, PartialEq, Tsify)]");
        if !o.newtype && o.rust != o.params_ts {
            let _ = writeln!(body, "#[tsify(rename = {:?})]", o.params_ts);
        }
        if o.fields.is_empty() && o.extra_fields.is_empty() {
            // `Record<string, never>` rather than `{}`: TypeScript lets any non-null value
            // pass as `{}`, while this type refuses any property.
            let _ = writeln!(body, "#[tsify(type = \"Record<string, never>\")]");
            let _ = writeln!(
                body,
                "pub struct {name} {{}}\n\n\
                 impl Validate for {name} {{\n    fn problems(&self) -> Problems {{\n        Problems::default()\n    }}\n}}"
            );
            empty = true;
            continue;
        }
        let _ = writeln!(body, "pub struct {name} {{");
        for f in &o.fields {
            let doc = f.doc.as_deref().ok_or_else(|| {
                format!(
                    "{}: {}: field `{}` has no doc; give `fields: {{ {}: {{ doc: … }} }}` in the overlay (the operation's or the provider's) or a `description` in the spec",
                    p.spec, o.id, f.name, f.name
                )
            })?;
            for line in doc.trim_end().lines() {
                let _ = writeln!(
                    body,
                    "    ///{}{line}",
                    if line.is_empty() { "" } else { " " }
                );
            }
            let (rust, ts) = match (f.ty.as_str(), f.items.as_deref()) {
                ("string", _) => ("String", "string"),
                ("boolean", _) => ("bool", "boolean"),
                ("number", _) => ("f64", "number"),
                ("array", Some("string")) => ("Vec<String>", "string[]"),
                ("array", _) => ("Vec<u64>", "number[]"),
                _ => ("u64", "number"),
            };
            if f.required {
                if let Some(t) = &f.ts {
                    let _ = writeln!(body, "    #[tsify(type = {t:?})]");
                }
                let _ = writeln!(body, "    pub {}: {rust},", f.name);
            } else {
                let t = f.ts.as_deref().unwrap_or(ts);
                let _ = writeln!(
                    body,
                    "    #[serde(default)]\n    #[tsify(optional, type = {t:?})]\n    pub {}: Option<{rust}>,",
                    f.name
                );
            }
        }
        for extra in &o.extra_fields {
            if extra != "context" {
                return Err(format!(
                    "overlay.yaml: {}.{}: extra field `{extra}`: only `context` (the rule context) is known",
                    p.key, o.id
                ));
            }
            context = true;
            let _ = writeln!(
                body,
                "    /// Context for the kind-dependent rules (set by the client).\n    #[serde(skip)]\n    pub context: RuleContext,"
            );
        }
        let _ = writeln!(body, "}}");
    }
    let _ = writeln!(out, "use tsify::Tsify;\n");
    if context {
        let _ = writeln!(out, "use crate::proxy_solutions::rules::RuleContext;");
    }
    if empty {
        let _ = writeln!(out, "use super::Validate;\nuse crate::validate::Problems;");
    }
    out.push_str(&body);
    Ok(out)
}
