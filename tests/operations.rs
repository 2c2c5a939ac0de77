//! Every operation of both OpenAPI files, end to end without I/O, from one generated row
//! each (`tests/fixtures/calls.json`, written by `cargo xtask gen` from the spec and the
//! overlay's `call`): the params are read and checked as a client would, the request built
//! and compared with the spec — method, the path template with the path fields filled in,
//! each given query field in the query and each given body field in the body, nothing the
//! spec does not document — and the spec's example reply decoded into the reply model and
//! checked against the documented shape. A new operation is covered here by its spec entry
//! and its overlay `call`, with no row to write.

use proxykit::config::{ClientConfig, ConfigInput, Defaults};
use proxykit::http::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};

type Exercise = fn(
    &str,
    &Value,
    &ClientConfig,
    Option<&HttpResponse>,
) -> Option<Result<HttpRequest, proxykit::error::Error>>;

fn providers() -> Vec<(&'static str, Defaults, Exercise)> {
    vec![
        (
            "proxy-solutions",
            proxykit::proxy_solutions::DEFAULTS,
            proxykit::spec::proxy_solutions::exercise as Exercise,
        ),
        (
            "proxyshard",
            proxykit::proxyshard::DEFAULTS,
            proxykit::spec::proxyshard::exercise as Exercise,
        ),
    ]
}

const BASE: &str = "https://vendor.test/base";

fn config(defaults: Defaults) -> ClientConfig {
    ClientConfig::from_input(
        ConfigInput {
            api_key: Some("operations-test-key".into()),
            base_url: Some(BASE.into()),
            ..Default::default()
        },
        defaults,
    )
    .expect("a valid test config")
}

fn calls() -> Map<String, Value> {
    let path = format!("{}/tests/fixtures/calls.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => m,
        other => panic!("{path}: not a JSON object: {other:?}"),
    }
}

/// A query or path value as the client writes it: strings as they are, numbers and
/// booleans in their JSON form.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn query_pairs(url: &str) -> Vec<(String, String)> {
    let Some((_, q)) = url.split_once('?') else {
        return Vec::new();
    };
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8")
}

fn check_request(provider: &str, id: &str, row: &Value, req: &HttpRequest) {
    let what = format!("{provider} {id}");
    let params = row["params"].as_object().expect("params object");
    let fields = row["fields"].as_object().expect("fields object");
    assert_eq!(
        req.method.as_str(),
        row["method"].as_str().unwrap(),
        "{what}: method"
    );
    for name in params.keys() {
        assert!(
            fields.contains_key(name),
            "{what}: the call gives `{name}`, which the spec does not document"
        );
    }
    // The path: the template with each path field filled in.
    let mut path = row["path"].as_str().unwrap().to_owned();
    for (name, loc) in fields {
        if loc == "path" {
            let v = params
                .get(name)
                .unwrap_or_else(|| panic!("{what}: the call lacks path field `{name}`"));
            path = path.replace(&format!("{{{name}}}"), &plain(v));
        }
    }
    let url_path = req.url.split('?').next().unwrap();
    assert_eq!(
        decode(url_path),
        format!("{BASE}{path}"),
        "{what}: path ({})",
        req.url
    );
    // The query: every given query field with its value; nothing undocumented.
    let query = query_pairs(&req.url);
    for (k, _) in &query {
        assert_eq!(
            fields.get(k).and_then(Value::as_str),
            Some("query"),
            "{what}: `{k}` is sent in the query, where the spec does not put it ({})",
            req.url
        );
    }
    for (name, loc) in fields {
        if let (Some("query"), Some(v)) = (loc.as_str(), params.get(name)) {
            assert!(
                query.iter().any(|(k, x)| k == name && *x == plain(v)),
                "{what}: `{name}={}` is not in the query ({})",
                plain(v),
                req.url
            );
        }
    }
    // The body: every given body field with its value; nothing undocumented.
    let given_body = fields
        .iter()
        .any(|(name, loc)| loc == "body" && params.contains_key(name));
    match req.json_body() {
        Some(Value::Object(body)) => {
            for k in body.keys() {
                assert_eq!(
                    fields.get(k).and_then(Value::as_str),
                    Some("body"),
                    "{what}: `{k}` is sent in the body, where the spec does not put it"
                );
            }
            for (name, loc) in fields {
                if let (Some("body"), Some(v)) = (loc.as_str(), params.get(name)) {
                    let sent = body.get(name);
                    // A number is the same number whether written 100 or 100.0 (amounts are
                    // read as f64).
                    let same = match (sent, v) {
                        (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
                        (Some(a), b) => a == b,
                        (None, _) => false,
                    };
                    assert!(
                        same,
                        "{what}: body field `{name}`: sent {sent:?}, given {v}"
                    );
                }
            }
        }
        Some(other) => panic!("{what}: the body is not an object: {other}"),
        None => assert!(
            !given_body,
            "{what}: body fields were given but no body was sent"
        ),
    }
}

#[test]
fn every_operation_is_built_as_its_spec_says_and_decodes_its_example_reply() {
    let calls = calls();
    let mut built = 0;
    let mut decoded = 0;
    for (provider, defaults, exercise) in providers() {
        let rows = calls[provider].as_object().expect("provider rows");
        let mut table: Vec<&str> = match provider {
            "proxyshard" => proxykit::spec::proxyshard::OPERATIONS
                .iter()
                .map(|o| o.id)
                .collect(),
            _ => proxykit::spec::proxy_solutions::OPERATIONS
                .iter()
                .map(|o| o.id)
                .collect(),
        };
        table.sort_unstable();
        assert_eq!(
            rows.keys().map(String::as_str).collect::<Vec<_>>(),
            table,
            "{provider}: one row per operation of the spec"
        );
        let config = config(defaults);
        for (id, row) in rows {
            let reply = match &row["reply"] {
                Value::Null => None,
                v => Some(HttpResponse::new(200, v.to_string())),
            };
            let req = exercise(id, &row["params"], &config, reply.as_ref())
                .unwrap_or_else(|| panic!("{provider}: `exercise` does not know {id}"))
                .unwrap_or_else(|e| panic!("{provider} {id}: {e}"));
            check_request(provider, id, row, &req);
            built += 1;
            decoded += usize::from(reply.is_some());
        }
    }
    // 44 operations, 38 of them with an example reply in the spec (at the time of writing);
    // the counts guard against a row that is silently skipped.
    assert_eq!(
        built,
        calls["proxy-solutions"].as_object().unwrap().len()
            + calls["proxyshard"].as_object().unwrap().len()
    );
    assert!(decoded >= 38, "example replies decoded: {decoded}");
}

#[test]
fn an_unknown_operation_is_none_and_a_broken_call_is_refused() {
    for (provider, defaults, exercise) in providers() {
        let config = config(defaults);
        assert!(
            exercise("noSuchOperation", &Value::Null, &config, None).is_none(),
            "{provider}"
        );
        // The check can fail: an unknown field is refused by every reader.
        let calls = calls();
        let (id, row) = calls[provider].as_object().unwrap().iter().next().unwrap();
        let mut params = row["params"].as_object().unwrap().clone();
        params.insert("no_such_field".into(), Value::Bool(true));
        let e = exercise(id, &Value::Object(params), &config, None)
            .unwrap()
            .expect_err("an unknown field must be refused");
        assert!(
            e.to_string().contains("no_such_field"),
            "{provider} {id}: {e}"
        );
    }
}

/// Every `wrong` row (overlay `wrong`: a call refused before sending, and the field its
/// error names) is refused here as `invalid_input` naming that field. The packed package's
/// bad-input tests run the same rows through the wasm, and `tsc` the rows marked `ts`.
#[test]
fn every_wrong_call_is_refused_naming_its_field() {
    let calls = calls();
    let mut refused = 0;
    let mut failures = Vec::new();
    for (provider, defaults, exercise) in providers() {
        let config = config(defaults);
        for (id, row) in calls[provider].as_object().expect("provider rows") {
            let wrong = row["wrong"].as_array().expect("a `wrong` list");
            assert!(!wrong.is_empty(), "{provider} {id}: no wrong row");
            for w in wrong {
                let (params, field) = (&w[0], w[1].as_str().expect("a field name"));
                match exercise(id, params, &config, None) {
                    Some(Err(proxykit::error::Error::InvalidInput { field: f, .. }))
                        if f == field =>
                    {
                        refused += 1;
                    }
                    Some(Err(e)) => failures.push(format!("{provider} {id}({params}): {e}")),
                    Some(Ok(_)) => failures.push(format!("{provider} {id}({params}): was built")),
                    None => failures.push(format!("{provider}: `exercise` does not know {id}")),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "expected invalid_input naming the row's field:\n{}",
        failures.join("\n")
    );
    assert!(refused >= 44, "wrong rows refused: {refused}");
}
