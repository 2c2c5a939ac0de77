//! An operation as the spec and the overlay describe it ([`Op`]), read once for every output.

use yaml_rust2::Yaml;

use crate::yaml::{json, json_type, list, resolve, s};
use crate::Provider;

pub(crate) const CLASSES: [(&str, &str); 4] = [
    ("read", "Read"),
    ("idempotent-write", "IdempotentWrite"),
    ("write", "Write"),
    ("money", "Money"),
];

pub(crate) const KEYS: [(&str, &str); 4] = [
    ("required", "Required"),
    ("optional", "Optional"),
    ("never", "Never"),
    ("balance-only", "BalanceOnly"),
];

/// An operation as the spec and the overlay describe it.
pub(crate) struct Op {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) class: String,
    pub(crate) key: String,
    pub(crate) doc: String,
    pub(crate) dc_isp: bool,
    pub(crate) note: Option<String>,
    pub(crate) example: String,
    pub(crate) why: Option<String>,
    /// Path and query parameters: (name, "path" | "query", JSON schema type).
    pub(crate) params: Vec<(String, String, String)>,
    /// Whether the operation takes a JSON body.
    pub(crate) body: bool,
    /// The JS method (every operation has one: `binding: hand` is refused).
    pub(crate) binding: Binding,
    /// Path, query and body fields, in that order (the body's from its schema).
    pub(crate) fields: Vec<Field>,
    /// Whether the params reader and the `Endpoint` impl are generated (`wire: hand` in the
    /// overlay keeps them hand-written).
    pub(crate) wire: bool,
    /// The Rust reply type (overlay `output`, default the `returns` type).
    pub(crate) output: Option<String>,
    /// A 2xx body that is not JSON is accepted (overlay `any_body: true`).
    pub(crate) any_body: bool,
    /// The reply shape constant (overlay `reply`, default from `output`).
    pub(crate) reply: Option<String>,
    /// The canonical valid params, as JSON (overlay `call`).
    pub(crate) call: String,
    /// The vendor documents no authorization for the call (overlay `auth: none`): the
    /// sandbox ignores any key, right or wrong, where `key: optional` alone refuses a wrong one.
    pub(crate) auth_none: bool,
    /// The params struct is generated (`src/<provider>/endpoints/params.rs`): the reader is,
    /// and the overlay does not say `struct: hand`.
    pub(crate) params_struct: bool,
    /// The README's rules-table rows of the operation (overlay `rules: [[rule, source]]`,
    /// `[]` when it has no rule of its own beyond the provider's common ones).
    pub(crate) rules: Vec<(String, String)>,
    /// Calls refused before sending (overlay `wrong`), at least one per operation.
    pub(crate) wrong: Vec<Wrong>,
    /// The params' TypeScript type, which is also the Rust params struct (overlay `params`).
    pub(crate) params_ts: String,
    /// The Rust type the params are read into (overlay `rust`, else `params`): a newtype or
    /// generic over the params struct when several operations share it.
    pub(crate) rust: String,
    /// The spec's example of the 2xx reply, as JSON, when it has one.
    pub(crate) reply_example: Option<String>,
    /// The derived shape its reply is checked against (`None`: not described, `Ty::Any`).
    pub(crate) reply_shape: Option<String>,
    /// Fields read by a named helper instead of the reader their type calls for (overlay
    /// `readers: { quantity: quantity_field }`: a type error that names the rule's values).
    pub(crate) readers: Vec<(String, String)>,
    /// Params struct fields that are not on the wire (overlay `extra_fields`), set to their
    /// default by the generated reader (Proxy-Solutions' rule `context`).
    pub(crate) extra_fields: Vec<String>,
    /// Of the provider's `empty_impls`, those the operation writes by hand.
    pub(crate) hand_impls: Vec<String>,
    /// The Rust type wraps the params struct (overlay `newtype: true`:
    /// `AddSubUserTraffic(SubUserTrafficParams)`), which several operations share.
    pub(crate) newtype: bool,
    /// The operation is data (overlay `checks: data`): its fields' `rule`s are all its
    /// rules, and the generator writes its `Wire` (`src/wire.rs`), its reader, its `Validate`
    /// and its request building over that `Wire`; the wasm clients run the `Wire` itself.
    pub(crate) checks_data: bool,
}

/// A call the SDK refuses before sending (overlay `wrong: [[params, field], …]`, a third
/// element `ts` when the typings refuse it too). The tests check each row natively
/// (`tests/operations.rs`), through the packed package (the bad-input tests) and, for `ts`
/// rows, with `// @ts-expect-error` under `tsc` (`tests/js/types/calls.ts`).
pub(crate) struct Wrong {
    /// The params, as JSON.
    pub(crate) params: String,
    /// The field the `invalid_input` error must name.
    pub(crate) field: String,
    /// `tsc` must refuse the call as well.
    pub(crate) ts: bool,
}

/// One request field as the spec types it.
pub(crate) struct Field {
    pub(crate) name: String,
    /// "path", "query" or "body".
    pub(crate) loc: &'static str,
    /// The JSON schema type ("string", "integer", "boolean"; anything else is not generated).
    pub(crate) ty: String,
    pub(crate) required: bool,
    pub(crate) minimum: Option<i64>,
    pub(crate) maximum: Option<i64>,
    /// The item type of an `array` field.
    pub(crate) items: Option<String>,
    /// Its doc comment in the generated params struct (and so the `.d.ts`): the overlay's
    /// `fields.<name>.doc` of the operation, else of the provider (top-level `fields:`),
    /// else the spec's `description`.
    pub(crate) doc: Option<String>,
    /// Its TypeScript type when not the one its JSON type gives (overlay `fields.<name>.ts`,
    /// of the operation or the provider): a closed vocabulary such as `ProxyType`.
    pub(crate) ts: Option<String>,
    /// Its rule for an operation that is data (overlay `fields.<name>.rule`, of the operation
    /// or the provider): `any`, `id`, `non_empty`, `segment`, `at_least_one` or
    /// `one_of <LIST>` (a list of the provider's `rules` module).
    pub(crate) rule: Option<String>,
}

impl Field {
    /// Whether the generator writes this field's type (and reads it): strings, integers and
    /// booleans, and when optional numbers and lists of strings or integers.
    pub(crate) fn generated(&self) -> bool {
        match self.ty.as_str() {
            "string" | "integer" | "boolean" => true,
            "number" => !self.required,
            "array" => {
                !self.required && matches!(self.items.as_deref(), Some("string" | "integer"))
            }
            _ => false,
        }
    }
}

/// What the generated `#[wasm_bindgen]` method of an operation needs besides the params
/// types on [`Op`] (overlay fields `params_optional`, `options`, `returns`, `typescript`,
/// `jsdoc`, `section`).
pub(crate) struct Binding {
    pub(crate) params_optional: bool,
    /// The call options' TypeScript type.
    pub(crate) options: String,
    /// The reply's TypeScript type, or `None` when the `.d.ts` declares the method by hand.
    pub(crate) returns: Option<String>,
    pub(crate) jsdoc: String,
    pub(crate) section: Option<String>,
    /// The operation's `Op` (how its request is prepared) is written by hand (`op: hand`:
    /// it reads extra call options).
    pub(crate) hand_op: bool,
}

/// The operations of one spec, in file order, completed by the overlay.
pub(crate) fn operations(p: &Provider, spec: &Yaml, overlay: &Yaml) -> Result<Vec<Op>, String> {
    let extra = &overlay[p.key];
    let extra_ops = extra
        .as_hash()
        .ok_or_else(|| format!("overlay.yaml: no `{}:` section", p.key))?;
    let paths = spec["paths"]
        .as_hash()
        .ok_or_else(|| format!("{}: no paths", p.spec))?;
    let mut ops = Vec::new();
    for (path, item) in paths {
        let path = s(path).ok_or_else(|| format!("{}: a path that is not a string", p.spec))?;
        let Some(methods) = item.as_hash() else {
            continue;
        };
        for (method, op) in methods {
            let Some(method) = s(method) else { continue };
            if !["get", "post", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let id = s(&op["operationId"])
                .ok_or_else(|| format!("{}: {method} {path} has no operationId", p.spec))?;
            let o = &extra[id.as_str()];
            if o.is_badvalue() {
                return Err(format!(
                    "overlay.yaml: {}.{id} is missing (every operation needs its class)",
                    p.key
                ));
            }
            let class =
                s(&o["class"]).ok_or_else(|| format!("overlay.yaml: {}.{id}: no class", p.key))?;
            if !CLASSES.iter().any(|(c, _)| *c == class) {
                return Err(format!(
                    "overlay.yaml: {}.{id}: unknown class {class}",
                    p.key
                ));
            }
            let open = op["security"].as_vec().is_some_and(Vec::is_empty);
            let key =
                s(&o["key"]).unwrap_or_else(|| if open { "never" } else { "required" }.to_owned());
            if !KEYS.iter().any(|(k, _)| *k == key) {
                return Err(format!("overlay.yaml: {}.{id}: unknown key {key}", p.key));
            }
            if open && key != "never" {
                return Err(format!(
                    "overlay.yaml: {}.{id}: the spec says no auth (`security: []`) but the overlay says key: {key}",
                    p.key
                ));
            }
            let scope = s(&o["scope"]);
            if scope.as_deref().is_some_and(|x| x != "dc-isp") {
                return Err(format!("overlay.yaml: {}.{id}: unknown scope", p.key));
            }
            let mut params = Vec::new();
            let mut fields = Vec::new();
            for prm in op["parameters"]
                .as_vec()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                // `$ref: '#/components/parameters/X'` or inline.
                let prm = match s(&prm["$ref"]) {
                    Some(r) => {
                        let name = r.rsplit('/').next().unwrap_or_default().to_owned();
                        &spec["components"]["parameters"][name.as_str()]
                    }
                    None => prm,
                };
                let name = s(&prm["name"])
                    .ok_or_else(|| format!("{}: {id}: a parameter without a name", p.spec))?;
                let loc = s(&prm["in"]).unwrap_or_default();
                if loc != "path" && loc != "query" {
                    continue;
                }
                let schema = resolve(spec, &prm["schema"]);
                let ty = match json_type(spec, schema) {
                    t if t.is_empty() => "string".to_owned(),
                    t => t,
                };
                fields.push(Field {
                    name: name.clone(),
                    loc: if loc == "path" { "path" } else { "query" },
                    ty: ty.clone(),
                    required: prm["required"].as_bool().unwrap_or(false),
                    minimum: schema["minimum"].as_i64(),
                    maximum: schema["maximum"].as_i64(),
                    items: s(&resolve(spec, &schema["items"])["type"]),
                    doc: s(&prm["description"]).or_else(|| s(&schema["description"])),
                    ts: None,
                    rule: None,
                });
                params.push((name, loc, ty));
            }
            let body_schema = resolve(
                spec,
                &op["requestBody"]["content"]["application/json"]["schema"],
            );
            let required: Vec<String> = body_schema["required"]
                .as_vec()
                .map(|v| v.iter().filter_map(s).collect())
                .unwrap_or_default();
            if let Some(props) = body_schema["properties"].as_hash() {
                for (name, prop) in props {
                    let name = s(name).unwrap_or_default();
                    let prop = resolve(spec, prop);
                    fields.push(Field {
                        required: required.contains(&name),
                        ty: json_type(spec, prop),
                        minimum: prop["minimum"].as_i64(),
                        maximum: prop["maximum"].as_i64(),
                        items: s(&resolve(spec, &prop["items"])["type"]),
                        doc: s(&prop["description"]),
                        ts: None,
                        rule: None,
                        name,
                        loc: "body",
                    });
                }
            } else if let Some(variants) = body_schema["oneOf"].as_vec() {
                // A union of bodies: every variant's fields, typed `union` (only a
                // hand-written reader can take them).
                for variant in variants {
                    let variant = resolve(spec, variant);
                    for (name, _) in variant["properties"].as_hash().into_iter().flatten() {
                        let name = s(name).unwrap_or_default();
                        if fields.iter().any(|f: &Field| f.name == name) {
                            continue;
                        }
                        fields.push(Field {
                            name,
                            loc: "body",
                            ty: "union".to_owned(),
                            required: false,
                            minimum: None,
                            maximum: None,
                            items: None,
                            doc: None,
                            ts: None,
                            rule: None,
                        });
                    }
                }
            }
            for f in &mut fields {
                for meta in [
                    &o["fields"][f.name.as_str()],
                    &overlay["fields"][p.key][f.name.as_str()],
                ] {
                    if f.ts.is_none() {
                        f.ts = s(&meta["ts"]);
                    }
                    if f.rule.is_none() {
                        f.rule = s(&meta["rule"]);
                    }
                }
                let own = s(&o["fields"][f.name.as_str()]["doc"]);
                let common = s(&overlay["fields"][p.key][f.name.as_str()]["doc"]);
                if let Some(doc) = own.or(common) {
                    f.doc = Some(doc);
                }
            }
            if let Some(h) = o["fields"].as_hash() {
                for (k, _) in h {
                    let k = s(k).unwrap_or_default();
                    if !fields.iter().any(|f| f.name == k) {
                        return Err(format!(
                            "overlay.yaml: {}.{id}.fields: `{k}` is not a field of the operation",
                            p.key
                        ));
                    }
                }
            }
            let params_ts = s(&o["params"])
                .ok_or_else(|| format!("overlay.yaml: {}.{id}: no `params`", p.key))?;
            let binding = binding(p, &id, o)?;
            let wire = match s(&o["wire"]).as_deref() {
                None => p.wire.is_some(),
                Some("hand") => false,
                Some(other) => {
                    return Err(format!(
                        "overlay.yaml: {}.{id}: wire is `hand` or absent, not `{other}`",
                        p.key
                    ))
                }
            };
            let reply_example = ["200", "201"].iter().find_map(|code| {
                json(&op["responses"][*code]["content"]["application/json"]["example"])
            });
            let readers: Vec<(String, String)> = o["readers"]
                .as_hash()
                .map(|h| h.iter().filter_map(|(k, v)| Some((s(k)?, s(v)?))).collect())
                .unwrap_or_default();
            // Fields the spec marks required that the SDK reads as optional (overlay
            // `optional`, each with the vendor text that allows leaving it out).
            for name in o["optional"].as_vec().into_iter().flatten().filter_map(s) {
                match fields.iter_mut().find(|f| f.name == name) {
                    Some(f) => f.required = false,
                    None => {
                        return Err(format!(
                            "overlay.yaml: {}.{id}: `optional` names `{name}`, not a field",
                            p.key
                        ))
                    }
                }
            }
            let extra_fields: Vec<String> = o["extra_fields"]
                .as_vec()
                .map(|v| v.iter().filter_map(s).collect())
                .unwrap_or_default();
            let hand_impls = list(&o["hand_impls"]);
            for h in &hand_impls {
                if !p.empty_impls.contains(&h.as_str()) {
                    return Err(format!(
                        "overlay.yaml: {}.{id}: hand_impls names `{h}`, not one of {:?}",
                        p.key, p.empty_impls
                    ));
                }
            }
            let all_generated = fields.iter().all(Field::generated);
            // A body that may not be JSON has no shape to check: the clients skip the check
            // of `Ty::Any` replies, which is what lets them take such a body (src/client.rs).
            let any_body = o["any_body"].as_bool().unwrap_or(false);
            let reply = s(&o["reply"]);
            let reply_shape = reply_shape_name(&id, reply_schema(spec, &id));
            if any_body && (reply.is_some() || reply_shape.is_some()) {
                return Err(format!(
                    "overlay.yaml: {}.{id}: `any_body: true` needs an undocumented reply (`Ty::Any`)",
                    p.key
                ));
            }
            let checks_data = match s(&o["checks"]).as_deref() {
                None => false,
                Some("data") => true,
                Some(other) => {
                    return Err(format!(
                        "overlay.yaml: {}.{id}: checks is `data` when given, not `{other}`",
                        p.key
                    ))
                }
            };
            if checks_data {
                if !readers.is_empty() || !extra_fields.is_empty() {
                    return Err(format!(
                        "overlay.yaml: {}.{id}: `checks: data` reads every field by its type (no `readers`, no `extra_fields`)",
                        p.key
                    ));
                }
                if !wire {
                    return Err(format!(
                        "overlay.yaml: {}.{id}: `checks: data` needs a generated wire (no `wire: hand`)",
                        p.key
                    ));
                }
                for f in &fields {
                    if !matches!(f.ty.as_str(), "string" | "integer" | "boolean") {
                        return Err(format!(
                            "overlay.yaml: {}.{id}: `checks: data` reads strings, integers and booleans; `{}` is {}",
                            p.key, f.name, f.ty
                        ));
                    }
                    if f.rule.is_none() {
                        return Err(format!(
                            "overlay.yaml: {}.{id}: `checks: data` but field `{}` has no `rule` (say `rule: any` for none)",
                            p.key, f.name
                        ));
                    }
                }
            }
            ops.push(Op {
                checks_data,
                newtype: o["newtype"].as_bool().unwrap_or(false),
                hand_impls,
                reply_shape,
                readers,
                extra_fields,
                reply_example,
                binding,
                fields,
                wire,
                output: s(&o["output"]),
                any_body,
                reply,
                call: json(&o["call"]).ok_or_else(|| {
                    format!(
                        "overlay.yaml: {}.{id}: no `call` (valid params as JSON)",
                        p.key
                    )
                })?,
                // The struct follows the fields, not the reader: an operation whose reader is
                // hand-written (`wire: hand`) still gets a generated struct when every field is
                // of a type the generator writes.
                params_struct: (wire || all_generated)
                    && match s(&o["struct"]).as_deref() {
                        None => true,
                        Some("hand") => false,
                        Some(other) => {
                            return Err(format!(
                                "overlay.yaml: {}.{id}: struct is `hand` when given, not `{other}`",
                                p.key
                            ))
                        }
                    },
                wrong: wrong_rows(p, &id, &o["wrong"])?,
                rules: rule_rows(&format!("overlay.yaml: {}.{id}.rules", p.key), &o["rules"])?,
                auth_none: match s(&o["auth"]).as_deref() {
                    None => false,
                    Some("none") => true,
                    Some(other) => {
                        return Err(format!(
                            "overlay.yaml: {}.{id}: auth is `none` when given, not `{other}`",
                            p.key
                        ))
                    }
                },
                rust: s(&o["rust"]).unwrap_or_else(|| params_ts.clone()),
                params_ts,
                params,
                body: !op["requestBody"].is_badvalue(),
                class,
                key,
                doc: s(&o["doc"]).ok_or_else(|| format!("overlay.yaml: {}.{id}: no doc", p.key))?,
                dc_isp: scope.is_some(),
                note: s(&o["note"]),
                example: s(&o["example"])
                    .ok_or_else(|| format!("overlay.yaml: {}.{id}: no example", p.key))?,
                why: s(&o["why"]),
                method: method.to_uppercase(),
                path: path.clone(),
                id,
            });
        }
    }
    for (id, _) in extra_ops {
        let id = s(id).unwrap_or_default();
        if !ops.iter().any(|o| o.id == id) {
            return Err(format!(
                "overlay.yaml: {}.{id} is not an operation of {}",
                p.key, p.spec
            ));
        }
    }
    Ok(ops)
}

/// The overlay's binding fields of one operation.
pub(crate) fn binding(p: &Provider, id: &str, o: &Yaml) -> Result<Binding, String> {
    match s(&o["binding"]).as_deref() {
        None => {}
        // Every method is the generated JS call loop now; what an operation may still write
        // by hand is its `Op` (`op: hand`).
        Some("hand") => {
            return Err(format!(
                "overlay.yaml: {}.{id}: `binding: hand` is gone; write the `Op` by hand with \
                 `op: hand` instead",
                p.key
            ))
        }
        Some(other) => {
            return Err(format!(
                "overlay.yaml: {}.{id}: binding is `hand` or absent, not `{other}`",
                p.key
            ))
        }
    }
    let need = |field: &str| {
        s(&o[field]).ok_or_else(|| format!("overlay.yaml: {}.{id}: no {field}", p.key))
    };
    let hand_ts = match s(&o["typescript"]).as_deref() {
        None => false,
        Some("hand") => true,
        Some(other) => {
            return Err(format!(
                "overlay.yaml: {}.{id}: typescript is `hand` or absent, not `{other}`",
                p.key
            ))
        }
    };
    Ok(Binding {
        params_optional: o["params_optional"].as_bool().unwrap_or(false),
        options: s(&o["options"]).unwrap_or_else(|| "CallOptions".to_owned()),
        returns: if hand_ts {
            None
        } else {
            Some(need("returns")?)
        },
        jsdoc: need("jsdoc")?,
        section: s(&o["section"]),
        hand_op: match s(&o["op"]).as_deref() {
            None => false,
            Some("hand") => true,
            Some(other) => {
                return Err(format!(
                    "overlay.yaml: {}.{id}: op is `hand` or absent, not `{other}`",
                    p.key
                ))
            }
        },
    })
}

/// The reply schema of an operation (its 200 or 201 JSON body), or a bad value.
pub(crate) fn reply_schema<'a>(spec: &'a Yaml, op_id: &str) -> &'a Yaml {
    for (_, item) in spec["paths"].as_hash().into_iter().flatten() {
        for (_, op) in item.as_hash().into_iter().flatten() {
            if op["operationId"].as_str() == Some(op_id) {
                for code in ["200", "201"] {
                    let s = &op["responses"][code]["content"]["application/json"]["schema"];
                    if !s.is_badvalue() {
                        return s;
                    }
                }
            }
        }
    }
    &Yaml::BadValue
}

/// The name of the shape an operation's reply is checked against: the reply schema's
/// (`OrderListResponse` → `ORDER_LIST_RESPONSE`), or `<OPERATION>_REPLY` for a reply the
/// spec writes inline (`getAvailableCounts` → `GET_AVAILABLE_COUNTS_REPLY`), or `None` for a
/// reply the spec does not describe.
pub(crate) fn reply_shape_name(op_id: &str, schema: &Yaml) -> Option<String> {
    if schema.is_badvalue() {
        return None;
    }
    match schema["$ref"].as_str() {
        Some(r) => r.rsplit('/').next().map(screaming),
        None => Some(format!("{}_REPLY", snake(op_id).to_ascii_uppercase())),
    }
}

/// `setP0fSignatures` → `set_p0f_signatures`.
pub(crate) fn snake(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `OrderListResponse` → `ORDER_LIST_RESPONSE`: a reply model's shape (`Ty`) constant.
pub(crate) fn screaming(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The overlay's `wrong` rows of an operation (see [`Wrong`]); an operation needs one.
fn wrong_rows(p: &Provider, id: &str, y: &Yaml) -> Result<Vec<Wrong>, String> {
    let at = |what: &str| format!("overlay.yaml: {}.{id}.wrong: {what}", p.key);
    let rows = y.as_vec().filter(|v| !v.is_empty()).ok_or_else(|| {
        at("missing; give at least one call refused before sending, `[params, field]`")
    })?;
    rows.iter()
        .map(|row| {
            let r = row
                .as_vec()
                .ok_or_else(|| at("each row is `[params, field]` or `[params, field, ts]`"))?;
            let params = r
                .first()
                .filter(|v| v.as_hash().is_some())
                .and_then(json)
                .ok_or_else(|| at("a row's params must be an object"))?;
            let field = r
                .get(1)
                .and_then(s)
                .ok_or_else(|| at("a row needs the field its error names"))?;
            let ts = match r.get(2) {
                None => false,
                Some(v) if s(v).as_deref() == Some("ts") => true,
                Some(_) => return Err(at("the third element, when given, is `ts`")),
            };
            if r.len() > 3 {
                return Err(at("a row has at most three elements"));
            }
            Ok(Wrong { params, field, ts })
        })
        .collect()
}

/// README rules-table rows, `[[rule, source], …]` (Markdown cells). `None` in the overlay is
/// an error: every operation says what it checks, `[]` for nothing of its own.
pub(crate) fn rule_rows(at: &str, y: &Yaml) -> Result<Vec<(String, String)>, String> {
    let rows = y.as_vec().ok_or_else(|| {
        format!("{at}: missing; list the README rows of the rules the call checks, `[]` for none of its own")
    })?;
    rows.iter()
        .map(|r| match r.as_vec().map(Vec::as_slice) {
            Some([rule, source]) => match (s(rule), s(source)) {
                (Some(rule), Some(source)) if !rule.contains('|') && !source.contains('|') => {
                    Ok((rule, source))
                }
                _ => Err(format!("{at}: a row is two strings without `|`")),
            },
            _ => Err(format!("{at}: each row is `[rule, source]`")),
        })
        .collect()
}
