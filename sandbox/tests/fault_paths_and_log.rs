//! Faults forced by a `/__fault/<kind>` path prefix (the URL form of `x-sandbox-fault`, for
//! clients that cannot add a header), the `missing-fields` kind, and what the request log
//! keeps of each request: its body and which credential headers it carried.

use proxykit::client::{CallOptions, Client};
use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::error::Error;
use proxykit::http::{HttpRequest, HttpResponse};
use proxykit::proxyshard::endpoints::GetMeParams;
use proxykit::transport::mock::block_on;
use proxykit::transport::Transport;
use proxykit_sandbox::faults::FaultConfig;
use proxykit_sandbox::{Options, Request, Sandbox, MAX_LOGGED_BODY};
use serde_json::{json, Value};
use std::cell::RefCell;

const ORIGIN: &str = "http://127.0.0.1:8787";
const SHARD_KEY: &str = "sandbox-shard-key";
const PS_KEY: &str = "sandbox-ps-key";

fn shard(method: &str, path: &str) -> Request {
    Request::new(method, &format!("{ORIGIN}{path}"))
        .header("Authorization", &format!("Bearer {SHARD_KEY}"))
}

fn log(sb: &mut Sandbox) -> Value {
    sb.handle(&Request::new("GET", &format!("{ORIGIN}/__sandbox/log")))
        .reply
        .value()
}

#[test]
fn a_fault_path_prefix_forces_that_fault_on_the_api_path_after_it() {
    let mut sb = Sandbox::default();
    let plain = sb.handle(&shard("GET", "/user/api/me"));

    // `slow` reaches the logic: the same reply, later.
    let slow = sb.handle(&shard("GET", "/__fault/slow/user/api/me"));
    assert_eq!(
        (slow.reply.status, &slow.reply.body, slow.delay_ms),
        (200, &plain.reply.body, 3000)
    );
    // `html` and `503` stop before it; Proxy-Solutions paths work the same way.
    let html = sb.handle(&Request::new(
        "GET",
        &format!("{ORIGIN}/__fault/html/api/merchants"),
    ));
    assert_eq!(html.reply.status, 502);
    assert!(html.reply.body.contains("502 Bad Gateway"));
    let buy = json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly"});
    let out = sb.handle(&shard("POST", "/__fault/503/user/api/orders/purchase").json(&buy));
    assert_eq!(out.reply.status, 503);
    // The prefix wins over the header; `not-json` is a 200 with an HTML page.
    let out =
        sb.handle(&shard("GET", "/__fault/not-json/user/api/me").header("x-sandbox-fault", "500"));
    assert_eq!(out.reply.status, 200);
    assert!(out.reply.body.starts_with("<!doctype html>"));
    // `drop` closes the connection.
    assert!(sb.handle(&shard("GET", "/__fault/drop/user/api/me")).drop);
    // An unknown kind is no prefix: the path is an unknown route.
    let out = sb.handle(&shard("GET", "/__fault/bogus/user/api/me"));
    assert_eq!(out.reply.status, 404);
    assert_eq!(
        out.reply.value()["message"],
        "No route for GET /__fault/bogus/user/api/me"
    );
    // Control routes are not API paths: no fault prefix reaches them.
    let out = sb.handle(&Request::new(
        "GET",
        &format!("{ORIGIN}/__fault/slow/__sandbox/clock"),
    ));
    assert_eq!(out.reply.status, 404);

    // The log keeps the path as it came, with the operation and the fault.
    let log = log(&mut sb);
    let rows: Vec<(Value, Value, Value, Value, Value)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].clone(),
                e["operation"].clone(),
                e["fault"].clone(),
                e["status"].clone(),
                e["reached"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                json!("/user/api/me"),
                json!("getMe"),
                Value::Null,
                json!(200),
                json!(true)
            ),
            (
                json!("/__fault/slow/user/api/me"),
                json!("getMe"),
                json!("slow"),
                json!(200),
                json!(true)
            ),
            (
                json!("/__fault/html/api/merchants"),
                json!("listMerchants"),
                json!("html"),
                json!(502),
                json!(false)
            ),
            (
                json!("/__fault/503/user/api/orders/purchase"),
                json!("purchaseOrder"),
                json!("503"),
                json!(503),
                json!(false)
            ),
            (
                json!("/__fault/not-json/user/api/me"),
                json!("getMe"),
                json!("not-json"),
                json!(200),
                json!(true)
            ),
            (
                json!("/__fault/drop/user/api/me"),
                json!("getMe"),
                json!("drop"),
                json!(0),
                json!(false)
            ),
            (
                json!("/__fault/bogus/user/api/me"),
                json!("unknown"),
                Value::Null,
                json!(404),
                json!(false)
            ),
            (
                json!("/__fault/slow/__sandbox/clock"),
                json!("unknown"),
                Value::Null,
                json!(404),
                json!(false)
            ),
        ]
    );
    assert_eq!(
        log["counts"]["proxyShard"]["purchaseOrder"],
        json!({"received": 1, "reached": 0}),
        "the 503 bought nothing"
    );
}

#[test]
fn links_in_a_reply_under_a_fault_prefix_point_at_the_plain_origin() {
    let mut sb = Sandbox::default();
    let page = sb
        .handle(&shard(
            "GET",
            "/__fault/slow/user/api/orders?status=all&limit=10",
        ))
        .reply
        .value();
    assert_eq!(
        page["next"],
        format!("{ORIGIN}/user/api/orders?status=all&offset=10&limit=10")
    );
}

#[test]
fn missing_fields_cuts_every_object_to_its_first_field() {
    let mut sb = Sandbox::default();
    let me = sb.handle(&shard("GET", "/__fault/missing-fields/user/api/me"));
    assert_eq!(me.reply.status, 200);
    assert_eq!(me.reply.value(), json!({"active_orders": 1}));
    let merchants = sb.handle(&Request::new(
        "GET",
        &format!("{ORIGIN}/__fault/missing-fields/api/merchants"),
    ));
    assert_eq!(
        merchants.reply.value(),
        json!({"merchants": [{"code": "interkassa"}, {"code": "freekassa"}, {"code": "cryptomus"}, {"code": "balance"}]})
    );
    // Bodies that are not JSON stay as they are: a 401 without one, a plain-text probe.
    let no_key = sb.handle(&Request::new(
        "GET",
        &format!("{ORIGIN}/__fault/missing-fields/api/user/orders"),
    ));
    assert_eq!((no_key.reply.status, no_key.reply.body.as_str()), (401, ""));
    let live = sb.handle(&Request::new(
        "GET",
        &format!("{ORIGIN}/__fault/missing-fields/health/live"),
    ));
    assert_eq!(live.reply.body, "OK");
    // It reaches the logic: a purchase under it happened.
    let buy = json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly"});
    let out = sb.handle(
        &shard("POST", "/user/api/orders/purchase")
            .json(&buy)
            .header("x-sandbox-fault", "missing-fields"),
    );
    assert_eq!(
        out.reply.value(),
        json!({"message": "Order paid successfully"})
    );
    let me = sb.handle(&shard("GET", "/user/api/me")).reply.value();
    assert_eq!(me["wallet_balance"], 10_000 - 150);

    // A kind like any other: named in the settings, drawn by the rate.
    let c = FaultConfig::from_json(&json!({"rate": 1, "kinds": ["missing-fields"]})).unwrap();
    sb.set_faults(c);
    let out = sb.handle(&shard("GET", "/user/api/me"));
    assert_eq!(out.reply.value(), json!({"active_orders": 2}));
    let e = FaultConfig::from_json(&json!({"kinds": ["missing"]})).unwrap_err();
    assert!(e.contains("missing-fields"), "{e}");
}

/// proxykit's transport seam answered by an in-process sandbox.
struct InProcess(RefCell<Sandbox>);

impl Transport for InProcess {
    type Signal = ();
    async fn send(&self, r: &HttpRequest, _: Option<&()>) -> Result<HttpResponse, Error> {
        let out = self.0.borrow_mut().handle(&Request {
            method: r.method.as_str().to_string(),
            url: r.url.clone(),
            headers: r.headers.clone(),
            body: r.body.clone().unwrap_or_default(),
        });
        Ok(HttpResponse {
            status: out.reply.status,
            headers: out.reply.headers,
            body: out.reply.body,
        })
    }
    async fn sleep(&self, _ms: u32, _: Option<&()>) -> Result<(), Error> {
        Ok(())
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
    fn random(&self) -> f64 {
        0.5
    }
}

#[test]
fn a_client_with_a_fault_base_url_sees_the_fault_on_every_call() {
    let cfg = ClientConfig::from_input(
        ConfigInput {
            api_key: Some(SHARD_KEY.into()),
            base_url: Some(format!("{ORIGIN}/__fault/missing-fields")),
            ..Default::default()
        },
        proxykit::proxyshard::DEFAULTS,
    )
    .unwrap();
    let c = Client::new(cfg, InProcess(RefCell::new(Sandbox::default())));
    let e = block_on(c.call(&GetMeParams {}, CallOptions::default()))
        .expect("in-process calls never wait")
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { message, .. } if message.contains("email")),
        "{e:?}"
    );
}

#[test]
fn the_log_keeps_each_body_and_names_the_credential_headers() {
    let mut sb = Sandbox::new(Options::from_json(r#"{"logLimit": 10}"#).unwrap());
    let buy =
        json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 2});
    sb.handle(&shard("POST", "/user/api/orders/purchase").json(&buy));
    sb.handle(&Request::new("GET", &format!("{ORIGIN}/api/merchants")).header("X-API-KEY", PS_KEY));
    sb.handle(&Request::new("GET", &format!("{ORIGIN}/health")));
    let mut text = shard("POST", "/user/api/orders/5/tag");
    text.body = "tag=vip".into();
    sb.handle(&text);
    let mut big = Request::new("POST", &format!("{ORIGIN}/api/user/orders"))
        .header("X-API-KEY", PS_KEY)
        .header("Authorization", "Bearer x");
    big.body = format!("{{\"pad\": \"{}é\"}}", "x".repeat(MAX_LOGGED_BODY));
    sb.handle(&big);

    let log = log(&mut sb);
    let e = log["entries"].as_array().unwrap();
    assert_eq!(e[0]["body"], buy, "a JSON body as JSON");
    assert_eq!(e[0]["credentials"], json!(["authorization"]));
    assert_eq!(e[1]["body"], Value::Null, "no body");
    assert_eq!(e[1]["credentials"], json!(["x-api-key"]));
    assert_eq!(e[2]["credentials"], json!([]));
    assert_eq!(e[3]["body"], "tag=vip", "any other body as text");
    let cut = e[4]["body"].as_str().expect("a cut body is text");
    assert_eq!(cut.len(), MAX_LOGGED_BODY);
    assert!(cut.starts_with("{\"pad\": \"xxx"));
    assert_eq!(e[4]["credentials"], json!(["authorization", "x-api-key"]));
    // Names only: no key value anywhere in the log.
    let text = log.to_string();
    assert!(!text.contains(SHARD_KEY) && !text.contains(PS_KEY));
    // The same through the Rust API.
    assert_eq!(sb.log()[1].credentials, ["x-api-key"]);
    assert_eq!(sb.log()[0].body.as_deref(), Some(buy.to_string().as_str()));
}
