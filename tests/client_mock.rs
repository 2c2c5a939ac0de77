//! The client over the recording mock transport: requests asserted as data, documented
//! replies (fixtures under tests/fixtures/) decoded, error replies kept.

use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::http::Method;
use proxykit::proxy_solutions::endpoints::ListMerchantsParams;
use proxykit::proxyshard::endpoints::GetMeParams;
use proxykit::transport::mock::{block_on, MockTransport};
use proxykit::{proxy_solutions, proxyshard, ApiBody, CallOptions, Client, Error};

fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn ps_client(input: ConfigInput) -> Client<MockTransport> {
    let cfg = ClientConfig::from_input(input, proxy_solutions::DEFAULTS).expect("config");
    Client::new(cfg, MockTransport::new())
}

fn shard_client(key: Option<&str>) -> Client<MockTransport> {
    let input = ConfigInput {
        api_key: key.map(str::to_owned),
        ..Default::default()
    };
    let cfg = ClientConfig::from_input(input, proxyshard::DEFAULTS).expect("config");
    Client::new(cfg, MockTransport::new())
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    block_on(f).expect("the mock transport never waits")
}

#[test]
fn list_merchants_request_and_reply() {
    let c = ps_client(ConfigInput::default());
    c.transport()
        .reply(200, fixture("proxy_solutions/merchants.json"));
    let out = run(c.call(&ListMerchantsParams {}, CallOptions::default())).unwrap();
    assert_eq!(out.merchants.len(), 1);
    assert_eq!(out.merchants[0].code, "interkassa");
    assert_eq!(out.merchants[0].currencies, ["UAH", "USD", "EUR"]);

    let reqs = c.transport().requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.url, "https://v3.proxy-solutions.net/api/merchants");
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("x-api-key"), None, "no key configured, none sent");
    assert_eq!(r.body, None);
    assert_eq!(r.timeout_ms, Some(30_000));
}

#[test]
fn proxy_solutions_key_goes_in_the_configured_header() {
    let c = ps_client(ConfigInput {
        api_key: Some("test-key-1".into()),
        base_url: Some("http://127.0.0.1:9/api/".into()),
        ..Default::default()
    });
    c.transport().reply(200, r#"{"merchants":[]}"#);
    run(c.call(&ListMerchantsParams {}, CallOptions::default())).unwrap();
    let r = &c.transport().requests()[0];
    assert_eq!(r.url, "http://127.0.0.1:9/api/merchants");
    assert_eq!(r.header("X-API-KEY"), Some("test-key-1"));

    let c = ps_client(ConfigInput {
        api_key: Some("test-key-1".into()),
        auth_header: Some("Authorization".into()),
        auth_prefix: Some("Bearer".into()),
        ..Default::default()
    });
    c.transport().reply(200, r#"{"merchants":[]}"#);
    run(c.call(&ListMerchantsParams {}, CallOptions::default())).unwrap();
    let r = &c.transport().requests()[0];
    assert_eq!(r.header("authorization"), Some("Bearer test-key-1"));
    assert_eq!(r.header("x-api-key"), None);
    assert!(
        !format!("{r:?}").contains("test-key-1"),
        "Debug must redact"
    );
}

#[test]
fn call_json_keeps_fields_the_sdk_does_not_know() {
    let c = ps_client(ConfigInput::default());
    c.transport().reply(
        200,
        r#"{"merchants":[{"code":"balance","name":"API balance","currencies":["USD"],"min":1}],"extra":true}"#,
    );
    let v = run(c.call_json(&ListMerchantsParams {}, CallOptions::default())).unwrap();
    assert_eq!(v["extra"], true);
    assert_eq!(v["merchants"][0]["min"], 1);
}

#[test]
fn proxy_solutions_422_body_is_kept_whole() {
    let c = ps_client(ConfigInput::default());
    c.transport()
        .reply(422, fixture("proxy_solutions/error_422.json"));
    let e = run(c.call(&ListMerchantsParams {}, CallOptions::default())).unwrap_err();
    match e {
        Error::Api {
            status: 422,
            message: Some(m),
            body: ApiBody::Json(b),
            operation: "listMerchants",
            ..
        } => {
            assert_eq!(m, "The given data was invalid.");
            assert_eq!(
                b["errors"]["quantity"][0],
                "The quantity must be at least 1."
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn get_me_needs_a_key_and_sends_nothing_without_one() {
    let c = shard_client(None);
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert_eq!(e.field(), Some("options.apiKey"));
    assert_eq!(c.transport().request_count(), 0);
}

#[test]
fn get_me_request_and_reply() {
    let c = shard_client(Some("psk-test-abc"));
    c.transport().reply(200, fixture("proxyshard/me.json"));
    let me = run(c.call(
        &GetMeParams {},
        CallOptions {
            timeout_ms: Some(1234),
            ..CallOptions::default()
        },
    ))
    .unwrap();
    assert_eq!(me.email, "dev@example.com");
    assert_eq!(me.active_orders, 3);
    assert_eq!(me.wallet_balance, 1250);
    let r = &c.transport().requests()[0];
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.url, "https://user-api.proxyshard.com/user/api/me");
    assert_eq!(r.header("Authorization"), Some("Bearer psk-test-abc"));
    assert_eq!(
        r.timeout_ms,
        Some(1234),
        "call option overrides the default"
    );
}

#[test]
fn proxyshard_error_envelope_is_kept_and_key_scrubbed() {
    let c = shard_client(Some("psk-test-abc"));
    c.transport()
        .reply(401, fixture("proxyshard/error_401.json"));
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.to_string(), "getMe: the API answered 401: Unauthorized");

    // A server that echoes the key back must not leak it into the error.
    c.transport().reply(
        400,
        r#"{"success":false,"message":"key psk-test-abc is disabled"}"#,
    );
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("psk-test-abc"), "{shown}");
}

#[test]
fn get_me_decode_errors_name_the_field() {
    let c = shard_client(Some("k"));
    c.transport()
        .reply(200, r#"{"email":"a@b.c","active_orders":3}"#)
        .reply(
            200,
            r#"{"email":"a@b.c","active_orders":"3","wallet_balance":1}"#,
        )
        .reply(200, "<html>maintenance</html>");
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert!(
        matches!(&e, Error::Decode { message, .. } if message.contains("wallet_balance")),
        "{e:?}"
    );
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert!(
        matches!(&e, Error::Decode { path, .. } if path == "active_orders"),
        "{e:?}"
    );
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert!(
        matches!(&e, Error::Decode { snippet, .. } if snippet.contains("maintenance")),
        "{e:?}"
    );
}

#[test]
fn transport_failures_pass_through_after_the_retries() {
    let c = shard_client(Some("k"));
    for _ in 0..3 {
        c.transport().fail(Error::Timeout { after_ms: 5 });
    }
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(e, Error::Timeout { after_ms: 5 });
    assert_eq!(
        c.transport().request_count(),
        3,
        "a read is retried twice by default"
    );
    assert!(e.may_have_been_applied());
}

// ------------------------------------------------------------------------------ retries

use proxykit::proxyshard::endpoints::{PurchaseOrderParams, SetOrderTagParams};
use proxykit::{json::FromJson, transport::mock::MOCK_NOW_MS};

fn resp(status: u16, body: &str, headers: &[(&str, &str)]) -> proxykit::http::HttpResponse {
    proxykit::http::HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_string(),
    }
}

#[test]
fn reads_retry_on_5xx_429_and_network_errors_with_backoff_and_retry_after() {
    let c = shard_client(Some("k"));
    c.transport()
        .reply(503, r#"{"success":false,"message":"busy"}"#)
        .reply(200, fixture("proxyshard/me.json"));
    let me = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap();
    assert_eq!(me.wallet_balance, 1250);
    // 300 ms doubled per retry, half of it jittered (the mock's random is 0.5).
    assert_eq!(c.transport().sleeps(), vec![225]);
    // What hooks see: each attempt, its outcome, the retry and its wait; the path only.
    assert_eq!(
        c.transport().events(),
        [
            "request getMe GET /user/api/me #1",
            "response #1 503 -",
            "retry #1 225 ms",
            "request getMe GET /user/api/me #2",
            "response #2 200 -",
        ]
    );

    let c = shard_client(Some("k"));
    c.transport()
        .reply_with(resp(429, "", &[("retry-after", "2")]))
        .fail(Error::network("reset"))
        .reply(200, fixture("proxyshard/me.json"));
    run(c.call(&GetMeParams {}, CallOptions::default())).unwrap();
    assert_eq!(c.transport().sleeps(), vec![2000, 450]);
    assert_eq!(
        c.transport().events()[3..6],
        [
            "request getMe GET /user/api/me #2",
            "response #2 - network",
            "retry #2 450 ms"
        ]
    );

    // An HTTP date, 5 s after the mock's clock.
    let c = shard_client(Some("k"));
    let date = "Sun, 06 Nov 1994 08:49:42 GMT";
    assert_eq!(MOCK_NOW_MS, 784_111_777_000.0);
    c.transport()
        .reply_with(resp(503, "", &[("retry-after", date)]))
        .reply(200, fixture("proxyshard/me.json"));
    run(c.call(&GetMeParams {}, CallOptions::default())).unwrap();
    assert_eq!(c.transport().sleeps(), vec![5000]);

    // A Retry-After over the cap is not waited for: the 429 comes back at once.
    let c = shard_client(Some("k"));
    c.transport()
        .reply_with(resp(429, "", &[("retry-after", "3600")]));
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!((e.status(), c.transport().request_count()), (Some(429), 1));
    assert!(!e.may_have_been_applied());
}

#[test]
fn client_and_call_retry_counts() {
    let input = ConfigInput {
        api_key: Some("k".into()),
        retries: Some(4.0),
        retry_delay_ms: Some(100.0),
        ..Default::default()
    };
    let c = Client::new(
        ClientConfig::from_input(input, proxyshard::DEFAULTS).unwrap(),
        MockTransport::new(),
    );
    for _ in 0..5 {
        c.transport().reply(502, "<html>bad gateway</html>");
    }
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(e.status(), Some(502));
    assert_eq!(c.transport().sleeps(), vec![75, 150, 300, 600]);

    let c = shard_client(Some("k"));
    c.transport().reply(500, "");
    let once = CallOptions {
        retries: Some(0),
        ..CallOptions::default()
    };
    run(c.call(&GetMeParams {}, once)).unwrap_err();
    assert_eq!(c.transport().request_count(), 1);

    for (bad, field) in [
        (11.0, "options.retries"),
        (-1.0, "options.retries"),
        (0.5, "options.retries"),
    ] {
        let input = ConfigInput {
            retries: Some(bad),
            ..Default::default()
        };
        let e = ClientConfig::from_input(input, proxyshard::DEFAULTS).unwrap_err();
        assert_eq!(e.field(), Some(field));
    }
}

#[test]
fn money_and_state_creating_calls_are_never_retried() {
    let buy = PurchaseOrderParams::from_json(&serde_json::json!({
        "product": "Datacenter Proxy", "location": "DE", "cycle": "monthly"
    }))
    .unwrap();
    for failure in [
        Err(Error::network("reset")),
        Err(Error::Timeout { after_ms: 30_000 }),
        Ok(resp(503, "", &[])),
        Ok(resp(429, "", &[("retry-after", "1")])),
    ] {
        let c = shard_client(Some("k"));
        match failure.clone() {
            Ok(r) => c.transport().reply_with(r),
            Err(e) => c.transport().fail(e),
        };
        c.transport().reply(
            200,
            r#"{"success":true,"message":"Order paid successfully","order_id":9}"#,
        );
        let e = run(c.call(&buy, CallOptions::default())).unwrap_err();
        assert_eq!(c.transport().request_count(), 1, "{failure:?}");
        assert!(c.transport().sleeps().is_empty());
        assert_eq!(e.may_have_been_applied(), e.status() != Some(429), "{e}");
    }
    // Setting a tag to a value is safe to repeat: retried.
    let tag = SetOrderTagParams::from_json(&serde_json::json!({"id": 5, "tag": "x"})).unwrap();
    let c = shard_client(Some("k"));
    c.transport()
        .reply(503, "")
        .reply(200, r#"{"success":true,"message":"Order tag updated"}"#);
    run(c.call(&tag, CallOptions::default())).unwrap();
    assert_eq!(c.transport().request_count(), 2);
    // A 4xx is final for every class.
    let c = shard_client(Some("k"));
    c.transport()
        .reply(400, r#"{"success":false,"message":"bad"}"#);
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(
        (c.transport().request_count(), e.may_have_been_applied()),
        (1, false)
    );
}

#[test]
fn redirects_are_never_followed_and_say_whether_the_call_may_have_applied() {
    let buy = PurchaseOrderParams::from_json(&serde_json::json!({
        "product": "Datacenter Proxy", "location": "DE", "cycle": "monthly"
    }))
    .unwrap();
    for status in [301, 302, 303, 307, 308] {
        // A read: nothing happened at the vendor.
        let c = shard_client(Some("k"));
        c.transport().reply_with(resp(
            status,
            "",
            &[("location", "https://Other.example:8443/x?y")],
        ));
        let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
        assert_eq!(e.code(), "redirect");
        assert_eq!(e.status(), Some(status));
        assert!(!e.may_have_been_applied(), "{e}");
        assert!(
            matches!(&e, Error::Redirect { location: Some(l), operation: "getMe", .. } if l == "https://other.example:8443"),
            "{e:?}"
        );
        assert_eq!(c.transport().request_count(), 1, "never retried");
        // A money call: the server may have applied it before redirecting (303).
        let c = shard_client(Some("k"));
        c.transport()
            .reply_with(resp(status, "", &[("location", "/elsewhere")]));
        let e = run(c.call(&buy, CallOptions::default())).unwrap_err();
        assert!(e.may_have_been_applied(), "{e}");
        assert!(
            matches!(&e, Error::Redirect { location: Some(l), .. } if l == "https://user-api.proxyshard.com"),
            "{e:?}"
        );
        assert_eq!(c.transport().request_count(), 1);
    }
    // A browser's opaque redirect: status 0, no Location.
    let c = shard_client(Some("k"));
    c.transport().reply(0, "");
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Redirect {
                status: 0,
                location: None,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn replies_over_the_size_cap_are_refused() {
    let cfg = ClientConfig::from_input(
        ConfigInput {
            api_key: Some("k".into()),
            max_response_bytes: Some(64.0),
            ..Default::default()
        },
        proxyshard::DEFAULTS,
    )
    .unwrap();
    let c = Client::new(cfg, MockTransport::new());
    c.transport()
        .reply(200, format!(r#"{{"email":"{}"}}"#, "a".repeat(100)));
    let e = run(c.call(&GetMeParams {}, CallOptions::default())).unwrap_err();
    assert_eq!(
        e,
        Error::ResponseTooLarge {
            operation: "getMe",
            status: 200,
            limit: 64
        }
    );
    for bad in [0.0, 1.5, -1.0, 2e9] {
        let r = ClientConfig::from_input(
            ConfigInput {
                max_response_bytes: Some(bad),
                ..Default::default()
            },
            proxyshard::DEFAULTS,
        );
        assert_eq!(
            r.unwrap_err().field(),
            Some("options.maxResponseBytes"),
            "{bad}"
        );
    }
}
