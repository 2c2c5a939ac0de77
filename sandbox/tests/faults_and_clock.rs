//! The redirect fault kinds, the pinned default fault sequence, and the bounds of the clock
//! (`POST /__sandbox/advance` and the `start` option), driven through `Sandbox::handle`.

use proxykit_sandbox::faults::{FaultConfig, DEFAULT_REDIRECT_TO};
use proxykit_sandbox::{time, Options, Reply, Request, Sandbox, MAX_ADVANCE};
use serde_json::{json, Value};

const SHARD_KEY: &str = "sandbox-shard-key";

fn me() -> Request {
    Request::new("GET", "http://127.0.0.1:8787/user/api/me")
        .header("Authorization", &format!("Bearer {SHARD_KEY}"))
}

fn purchase() -> Request {
    Request::new("POST", "http://127.0.0.1:8787/user/api/orders/purchase")
        .header("Authorization", &format!("Bearer {SHARD_KEY}"))
        .json(&json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 1}))
}

fn wallet(sb: &mut Sandbox) -> Value {
    sb.handle(&me()).reply.value()["wallet_balance"].clone()
}

fn ctl(sb: &mut Sandbox, method: &str, path: &str, body: Value) -> Reply {
    let mut r = Request::new(method, &format!("http://127.0.0.1:8787/__sandbox{path}"));
    if !body.is_null() {
        r = r.json(&body);
    }
    sb.handle(&r).reply
}

fn header<'a>(r: &'a Reply, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn redirect_faults_reach_or_skip_the_logic_and_are_logged() {
    let mut sb = Sandbox::default();
    let before = wallet(&mut sb);

    // `redirect` / `redirect-308`: the purchase never reaches the logic.
    let out = sb.handle(&purchase().header("x-sandbox-fault", "redirect"));
    assert_eq!(out.reply.status, 307);
    assert_eq!(header(&out.reply, "location"), Some(DEFAULT_REDIRECT_TO));
    assert!(!out.drop);
    let out = sb.handle(&purchase().header("x-sandbox-fault", "redirect-308"));
    assert_eq!(out.reply.status, 308);
    assert_eq!(
        header(&out.reply, "location"),
        Some("http://127.0.0.1:9/elsewhere")
    );
    assert_eq!(wallet(&mut sb), before, "no purchase happened");

    // `redirect-after`: the purchase happens, the client sees a 303 elsewhere.
    let out = sb.handle(&purchase().header("x-sandbox-fault", "redirect-after"));
    assert_eq!(out.reply.status, 303);
    assert_eq!(header(&out.reply, "location"), Some(DEFAULT_REDIRECT_TO));
    assert!(
        out.reply.value()["order_id"].is_null(),
        "the real reply is replaced"
    );
    assert_eq!(wallet(&mut sb), json!(before.as_i64().unwrap() - 150));

    let log = ctl(&mut sb, "GET", "/log", Value::Null).value();
    let entries: Vec<(Value, Value, Value, Value)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["operation"].clone(),
                e["fault"].clone(),
                e["status"].clone(),
                e["reached"].clone(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            (json!("getMe"), Value::Null, json!(200), json!(true)),
            (
                json!("purchaseOrder"),
                json!("redirect"),
                json!(307),
                json!(false)
            ),
            (
                json!("purchaseOrder"),
                json!("redirect-308"),
                json!(308),
                json!(false)
            ),
            (json!("getMe"), Value::Null, json!(200), json!(true)),
            (
                json!("purchaseOrder"),
                json!("redirect-after"),
                json!(303),
                json!(true)
            ),
            (json!("getMe"), Value::Null, json!(200), json!(true)),
        ]
    );
    assert_eq!(
        log["counts"]["proxyShard"]["purchaseOrder"],
        json!({"received": 3, "reached": 1})
    );
    assert_eq!(log["total"], 6);
    // `total` counts from the last clear, like the counts; `seq` keeps numbering.
    ctl(&mut sb, "POST", "/log/clear", Value::Null);
    sb.handle(&purchase().header("x-sandbox-fault", "redirect"));
    let log = ctl(&mut sb, "GET", "/log", Value::Null).value();
    assert_eq!(
        (log["total"].clone(), log["entries"][0]["seq"].clone()),
        (json!(1), json!(7))
    );
}

#[test]
fn redirect_target_and_kinds_come_from_the_fault_settings() {
    let opts = Options::from_json(
        r#"{"faults": {"rate": 1, "kinds": ["redirect-after"], "operations": ["getMe"], "redirectTo": "https://elsewhere.example/x?y=1"}}"#,
    )
    .unwrap();
    let mut sb = Sandbox::new(opts);
    let out = sb.handle(&me());
    assert_eq!(out.reply.status, 303);
    assert_eq!(
        header(&out.reply, "location"),
        Some("https://elsewhere.example/x?y=1")
    );
    // GET /faults shows it; POST /faults without it goes back to the default.
    let faults = ctl(&mut sb, "GET", "/faults", Value::Null).value();
    assert_eq!(faults["redirectTo"], "https://elsewhere.example/x?y=1");
    let faults = ctl(
        &mut sb,
        "POST",
        "/faults",
        json!({"rate": 1, "kinds": ["redirect"]}),
    )
    .value();
    assert_eq!(faults["redirectTo"], DEFAULT_REDIRECT_TO);
    assert_eq!(sb.handle(&me()).reply.status, 307);
    // A header value that could split the reply is refused.
    for bad in [
        json!(""),
        json!("http://a/\r\nx: y"),
        json!("a b"),
        json!(5),
    ] {
        let r = ctl(&mut sb, "POST", "/faults", json!({"redirectTo": bad}));
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.body.contains("redirectTo"), "{}", r.body);
    }
    // Not among the default kinds.
    let kinds = FaultConfig::default().kinds;
    assert_eq!(kinds, ["500", "503", "429", "drop", "slow"]);
}

#[test]
fn the_default_fault_sequence_is_pinned() {
    // Recorded before the redirect kinds existed: adding kinds must not change what a
    // default configuration draws for a seed.
    let mut sb =
        Sandbox::new(Options::from_json(r#"{"seed": 3, "faults": {"rate": 0.2}}"#).unwrap());
    for _ in 0..40 {
        sb.handle(&me());
    }
    let seq: Vec<String> = sb
        .log()
        .iter()
        .map(|e| e.fault.clone().unwrap_or_else(|| "-".into()))
        .collect();
    assert_eq!(
        seq.join(","),
        "drop,-,-,503,-,-,-,-,-,-,-,-,500,-,-,-,-,-,drop,-,-,429,-,-,drop,slow,-,-,-,-,-,-,-,-,-,-,-,slow,-,-"
    );
}

#[test]
fn advance_refuses_bad_steps_with_a_400_and_leaves_the_clock() {
    let mut sb = Sandbox::default();
    let now = |sb: &mut Sandbox| ctl(sb, "GET", "/clock", Value::Null).value()["now"].clone();
    let refused = [
        (json!({"days": -1}), "only moves forward"),
        (json!({"seconds": -1}), "only moves forward"),
        (json!({"seconds": -9.0e300}), "only moves forward"),
        (json!({"seconds": 1.5}), "whole number"),
        (json!({"days": 0.5}), "whole number"),
        (json!({"days": "1"}), "whole number"),
        (json!({"days": null}), "whole number"),
        (json!({"days": 3651}), "at most 3650 days"),
        (json!({"seconds": MAX_ADVANCE + 1}), "at most 3650 days"),
        (json!({"seconds": i64::MAX}), "at most 3650 days"),
        (json!({"seconds": u64::MAX}), "too large"),
        (json!({"days": 1e300}), "too large"),
        // Wrapped to 61184 seconds by an unchecked `days * 86400`.
        (json!({"days": 213_503_982_334_602_i64}), "too large"),
        (json!({"days": i64::MAX}), "too large"),
        (json!({}), "expected"),
        (json!({"seconds": 1, "days": 1}), "expected"),
        (json!({"secs": 1}), "expected"),
        (json!([1]), "expected"),
        (Value::Null, "expected"),
    ];
    for (body, why) in refused {
        let r = ctl(&mut sb, "POST", "/advance", body.clone());
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let msg = r.value()["error"].as_str().unwrap_or_default().to_string();
        assert!(msg.contains(why), "{body}: {msg}");
        assert_eq!(
            now(&mut sb),
            "2026-01-01T00:00:00Z",
            "{body} moved the clock"
        );
    }
    // Whole numbers in range work, a whole float included.
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"seconds": 0})).value()["now"],
        "2026-01-01T00:00:00Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"days": 2.0})).value()["now"],
        "2026-01-03T00:00:00Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"days": 3650})).value()["now"],
        "2036-01-01T00:00:00Z"
    );
}

#[test]
fn the_clock_stops_at_the_end_of_year_9999() {
    let mut sb = Sandbox::new(Options::from_json(r#"{"start": "9999-12-01T00:00:00Z"}"#).unwrap());
    let r = ctl(&mut sb, "POST", "/advance", json!({"days": 31}));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("9999-12-31T23:59:59Z"), "{}", r.body);
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"days": 30})).value()["now"],
        "9999-12-31T00:00:00Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"seconds": 86_399})).value()["now"],
        "9999-12-31T23:59:59Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"seconds": 1})).status,
        400
    );
    assert_eq!(sb.now(), time::MAX);
    assert!(sb.try_advance(1).is_err());
    assert!(sb.try_advance(-1).is_err());
    assert_eq!(sb.try_advance(0), Ok(time::MAX));

    // The lenient method clamps instead of overflowing.
    let mut sb = Sandbox::default();
    sb.advance(i64::MAX);
    assert_eq!(sb.now(), time::MAX);
    sb.advance(i64::MIN);
    assert_eq!(sb.now(), time::MAX);

    // `start` has the same bounds.
    for bad in [
        r#"{"start": 253402300800}"#,
        r#"{"start": -1}"#,
        r#"{"start": "0000-01-01"}"#,
    ] {
        let e = Options::from_json(bad).unwrap_err();
        assert!(e.contains("start"), "{bad}: {e}");
    }
    assert!(Options::from_json(r#"{"start": 253402300799}"#).is_ok());
}

#[test]
fn the_core_sets_no_cors_headers() {
    // CORS is the HTTP server's business (it knows the allowed origins); a preflight is an
    // empty 204 that is neither logged nor faulted.
    let mut sb = Sandbox::new(Options::from_json(r#"{"faults": {"rate": 1}}"#).unwrap());
    let pre = sb.handle(
        &Request::new("OPTIONS", "http://127.0.0.1:8787/user/api/me")
            .header("origin", "http://127.0.0.1:5173")
            .header("access-control-request-method", "GET"),
    );
    assert_eq!((pre.reply.status, pre.drop, pre.delay_ms), (204, false, 0));
    assert!(pre.reply.headers.is_empty());
    let r = sb.handle(&me().header("origin", "http://evil.example"));
    assert!(
        !r.reply
            .headers
            .iter()
            .any(|(k, _)| k.starts_with("access-control-")),
        "{:?}",
        r.reply.headers
    );
    assert_eq!(sb.log().len(), 1);
}
