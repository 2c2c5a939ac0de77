//! Every operation of both specs against the sandbox, from one generated row each
//! (`tests/fixtures/calls.json`, written by `cargo xtask gen` from the spec and the overlay's
//! `call`): on a fresh sandbox with the examples seeded (`Options::examples`), the canonical
//! call is built by proxykit (`spec::<provider>::exercise`), answered by the sandbox with a
//! 2xx, and that reply is decoded by proxykit's reply model and checked against the
//! documented shape. A new operation is covered here by its handler and its overlay `call`,
//! with no row to write.

use proxykit::config::{ClientConfig, ConfigInput, Defaults};
use proxykit::error::Error;
use proxykit::http::{HttpRequest, HttpResponse};
use proxykit_sandbox::{Options, Request, Sandbox};
use serde_json::Value;

type Exercise =
    fn(&str, &Value, &ClientConfig, Option<&HttpResponse>) -> Option<Result<HttpRequest, Error>>;

const ORIGIN: &str = "http://127.0.0.1:8787";

fn config(key: &str, base: &str, defaults: Defaults) -> ClientConfig {
    ClientConfig::from_input(
        ConfigInput {
            api_key: Some(key.into()),
            base_url: Some(base.into()),
            ..Default::default()
        },
        defaults,
    )
    .expect("a valid config")
}

fn send(sb: &mut Sandbox, r: &HttpRequest) -> HttpResponse {
    let out = sb.handle(&Request {
        method: r.method.as_str().to_string(),
        url: r.url.clone(),
        headers: r.headers.clone(),
        body: r.body.clone().unwrap_or_default(),
    });
    HttpResponse {
        status: out.reply.status,
        headers: out.reply.headers,
        body: out.reply.body,
    }
}

#[test]
fn every_canonical_call_succeeds_on_the_examples_sandbox_and_decodes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/calls.json");
    let calls: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("calls.json"))
        .expect("calls.json is JSON");
    let providers: [(&str, ClientConfig, Exercise); 2] = [
        (
            "proxy-solutions",
            config(
                "sandbox-ps-key",
                &format!("{ORIGIN}/api"),
                proxykit::proxy_solutions::DEFAULTS,
            ),
            proxykit::spec::proxy_solutions::exercise,
        ),
        (
            "proxyshard",
            config("sandbox-shard-key", ORIGIN, proxykit::proxyshard::DEFAULTS),
            proxykit::spec::proxyshard::exercise,
        ),
    ];
    let options = Options {
        examples: true,
        ..Options::default()
    };
    let mut failures = Vec::new();
    let mut ran = 0;
    for (provider, config, exercise) in &providers {
        for (id, row) in calls[provider].as_object().expect("provider rows") {
            let params = &row["params"];
            let req = match exercise(id, params, config, None) {
                Some(Ok(r)) => r,
                other => {
                    failures.push(format!("{provider} {id}: not built: {other:?}"));
                    continue;
                }
            };
            let mut sb = Sandbox::new(options.clone());
            let reply = send(&mut sb, &req);
            if !(200..300).contains(&reply.status) {
                failures.push(format!(
                    "{provider} {id}({params}): {} {}",
                    reply.status, reply.body
                ));
                continue;
            }
            if let Some(Err(e)) = exercise(id, params, config, Some(&reply)) {
                failures.push(format!("{provider} {id}: the reply does not decode: {e}"));
                continue;
            }
            ran += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(ran, 44, "every operation of both specs");
}

#[test]
fn without_the_examples_the_canonical_objects_are_not_there() {
    // The control: the same call on the default sandbox finds no order 123456.
    let config = config("sandbox-shard-key", ORIGIN, proxykit::proxyshard::DEFAULTS);
    let req = proxykit::spec::proxyshard::exercise(
        "getOrder",
        &serde_json::json!({"id": 123456}),
        &config,
        None,
    )
    .expect("known")
    .expect("built");
    let mut sb = Sandbox::new(Options::default());
    assert_eq!(send(&mut sb, &req).status, 400);
}
