//! The fetch transport and client, run as wasm in Node and in headless Chromium (the same
//! file; `WASM_BINDGEN_USE_BROWSER=1` selects the browser) against the sandbox's HTTP server
//! (`proxykit-sandbox`, started by `scripts/test-wasm.sh` with the accounts of
//! `tests/wasm_fetch.sandbox.json` and reset between the two runs), whose URL is baked in at
//! compile time. Faults come from the sandbox's `/__fault/<kind>` base URLs, since a client
//! on the global `fetch` cannot add the `x-sandbox-fault` header.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::proxy_solutions::endpoints::{ListMerchantsParams, ListOrdersParams};
use proxykit::proxyshard::endpoints::GetMeParams;
use proxykit::transport::fetch::FetchTransport;
use proxykit::{proxy_solutions, proxyshard, ApiBody, CallOptions, Client, Error};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::AbortController;

const SERVER: &str = match option_env!("PROXYKIT_TEST_SERVER") {
    Some(s) => s,
    None => "http://127.0.0.1:8788",
};

/// The sandbox's default keys, and two more ProxyShard accounts of
/// `tests/wasm_fetch.sandbox.json`: one for the purchase flow (so the default account's
/// wallet stays as it started), one with 47 cancelled orders to page through.
const SHARD_KEY: &str = "sandbox-shard-key";
const PS_KEY: &str = "sandbox-ps-key";
const FLOW_KEY: &str = "wasm-flow-key";
const PAGES_KEY: &str = "wasm-pages-key";

/// A ProxyShard client; with `fault`, every call gets that sandbox fault.
fn shard(
    fault: Option<&str>,
    key: Option<&str>,
    transport: FetchTransport,
) -> Client<FetchTransport> {
    let base = match fault {
        Some(kind) => format!("{SERVER}/__fault/{kind}"),
        None => SERVER.to_string(),
    };
    let input = ConfigInput {
        api_key: key.map(str::to_owned),
        base_url: Some(base),
        ..Default::default()
    };
    Client::new(
        ClientConfig::from_input(input, proxyshard::DEFAULTS).unwrap(),
        transport,
    )
}

fn ps(key: Option<&str>) -> Client<FetchTransport> {
    let input = ConfigInput {
        api_key: key.map(str::to_owned),
        base_url: Some(format!("{SERVER}/api")),
        ..Default::default()
    };
    Client::new(
        ClientConfig::from_input(input, proxy_solutions::DEFAULTS).unwrap(),
        FetchTransport::global(),
    )
}

/// A JSON `POST` with the global `fetch` (the sandbox's control routes); panics unless 200.
async fn post(url: &str, body: &str) {
    let fetch: Function = Reflect::get(&js_sys::global(), &"fetch".into())
        .unwrap()
        .unchecked_into();
    let init = js_sys::Object::new();
    Reflect::set(&init, &"method".into(), &"POST".into()).unwrap();
    Reflect::set(&init, &"body".into(), &body.into()).unwrap();
    let headers = js_sys::Object::new();
    Reflect::set(&headers, &"content-type".into(), &"application/json".into()).unwrap();
    Reflect::set(&init, &"headers".into(), &headers).unwrap();
    let p: js_sys::Promise = fetch
        .call2(&JsValue::UNDEFINED, &url.into(), &init)
        .unwrap()
        .unchecked_into();
    let res = wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    let status = Reflect::get(&res, &"status".into()).unwrap();
    assert_eq!(status.as_f64(), Some(200.0), "POST {url}");
}

fn opts() -> CallOptions<'static, web_sys::AbortSignal> {
    CallOptions::default()
}

#[wasm_bindgen_test]
async fn list_merchants_over_fetch() {
    let out = ps(None)
        .call(&ListMerchantsParams {}, opts())
        .await
        .unwrap();
    assert_eq!(out.merchants[0].code, "interkassa");
    assert_eq!(out.merchants[0].currencies, ["UAH", "USD", "EUR"]);
    // A configured key goes in X-API-KEY (listMerchants is public: a key is sent along and
    // ignored); a call that needs the key takes the right one and refuses a wrong one.
    ps(Some(PS_KEY))
        .call(&ListMerchantsParams {}, opts())
        .await
        .unwrap();
    ps(Some(PS_KEY))
        .call(&ListOrdersParams::default(), opts())
        .await
        .unwrap();
    let e = ps(Some("wrong-key"))
        .call(&ListOrdersParams::default(), opts())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Api {
                status: 401,
                body: ApiBody::Empty,
                ..
            }
        ),
        "{e:?}"
    );
}

#[wasm_bindgen_test]
async fn get_me_over_fetch_with_bearer_key() {
    let me = shard(None, Some(SHARD_KEY), FetchTransport::global())
        .call(&GetMeParams {}, opts())
        .await
        .unwrap();
    assert_eq!(me.email, "reseller1@sandbox.invalid");
    assert_eq!(me.wallet_balance, 10_000);
}

#[wasm_bindgen_test]
async fn vendor_error_body_is_kept() {
    let e = shard(None, Some("nope"), FetchTransport::global())
        .call(&GetMeParams {}, opts())
        .await
        .unwrap_err();
    match e {
        Error::Api {
            status,
            message,
            body: ApiBody::Json(b),
            ..
        } => {
            assert_eq!(status, 401);
            assert_eq!(message.as_deref(), Some("Unauthorized"));
            assert_eq!(b["success"], false);
        }
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn html_and_garbage_replies_are_typed_errors() {
    let e = shard(Some("html"), Some(SHARD_KEY), FetchTransport::global())
        .call(&GetMeParams {}, opts())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { status: 502, body: ApiBody::Text(t), .. } if t.contains("Bad Gateway")),
        "{e:?}"
    );
    let e = shard(Some("not-json"), Some(SHARD_KEY), FetchTransport::global())
        .call(&GetMeParams {}, opts())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "decode");
    // Every object cut to its first field: `{"active_orders": 1}`, no `email`.
    let e = shard(
        Some("missing-fields"),
        Some(SHARD_KEY),
        FetchTransport::global(),
    )
    .call(&GetMeParams {}, opts())
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { message, .. } if message.contains("email")),
        "{e:?}"
    );
}

#[wasm_bindgen_test]
async fn timeout_ends_a_slow_call() {
    let c = shard(Some("slow"), Some(SHARD_KEY), FetchTransport::global());
    let e = c
        .call(
            &GetMeParams {},
            CallOptions {
                timeout_ms: Some(150),
                signal: None,
                retries: Some(0),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e, Error::Timeout { after_ms: 150 });
}

#[wasm_bindgen_test]
async fn abort_signal_cancels_before_and_during() {
    let c = shard(Some("slow"), Some(SHARD_KEY), FetchTransport::global());
    let ctl = AbortController::new().unwrap();
    ctl.abort();
    let e = c
        .call(
            &GetMeParams {},
            CallOptions {
                timeout_ms: None,
                signal: Some(&ctl.signal()),
                retries: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e, Error::Aborted);

    // Aborted mid-flight, with a non-Error reason (must not reach gloo-net's conversion).
    let ctl = AbortController::new().unwrap();
    let ctl2 = ctl.clone();
    let cb = Closure::once_into_js(move || ctl2.abort_with_reason(&JsValue::from_str("user left")));
    let global = js_sys::global();
    let set_timeout: Function = Reflect::get(&global, &"setTimeout".into())
        .unwrap()
        .unchecked_into();
    set_timeout
        .call2(&global, &cb, &JsValue::from(100))
        .unwrap();
    let e = c
        .call(
            &GetMeParams {},
            CallOptions {
                timeout_ms: Some(5_000),
                signal: Some(&ctl.signal()),
                retries: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e, Error::Aborted);
}

#[wasm_bindgen_test]
async fn refused_connection_is_a_network_error() {
    let input = ConfigInput {
        api_key: Some(SHARD_KEY.into()),
        // Port 9 (discard) is closed on the test machines.
        base_url: Some("http://127.0.0.1:9".into()),
        ..Default::default()
    };
    let c = Client::new(
        ClientConfig::from_input(input, proxyshard::DEFAULTS).unwrap(),
        FetchTransport::global(),
    );
    let e = c.call(&GetMeParams {}, opts()).await.unwrap_err();
    assert_eq!(e.code(), "network", "{e:?}");
}

#[wasm_bindgen_test]
async fn custom_fetch_function_is_used() {
    // A user-supplied fetch that records what it was given, then delegates to the global.
    let f = Function::new_with_args(
        "url, init",
        "globalThis.__proxykitSeen = { url, method: init.method, auth: init.headers['Authorization'] }; return fetch(url, init);",
    );
    let c = shard(None, Some(SHARD_KEY), FetchTransport::with_fetch(f));
    let me = c.call(&GetMeParams {}, opts()).await.unwrap();
    assert_eq!(me.email, "reseller1@sandbox.invalid");
    let seen = Reflect::get(&js_sys::global(), &"__proxykitSeen".into()).unwrap();
    let get = |k: &str| Reflect::get(&seen, &k.into()).unwrap().as_string().unwrap();
    assert_eq!(get("url"), format!("{SERVER}/user/api/me"));
    assert_eq!(get("method"), "GET");
    assert_eq!(get("auth"), format!("Bearer {SHARD_KEY}"));
}

#[wasm_bindgen_test]
async fn custom_fetch_misbehaving_is_a_typed_error() {
    for body in [
        "throw 'not an Error object'",
        "return Promise.reject(42)",
        "return 5",
        "return { status: 200 }",
        "return { status: 'x', text: () => '{}' }",
        "return { status: 200, headers: new Headers(), text: () => Promise.resolve(7) }",
        // No headers object: not a Response (the old gloo-net path trapped on such values).
        r#"return { status: 200, text: async () => '{"email":"e","active_orders":1,"wallet_balance":-5}' }"#,
        "throw undefined",
        "return new Promise(() => { throw null; })",
    ] {
        let f = Function::new_with_args("url, init", body);
        let e = shard(None, Some(SHARD_KEY), FetchTransport::with_fetch(f))
            .call(&GetMeParams {}, opts())
            .await
            .unwrap_err();
        assert_eq!(e.code(), "network", "{body}: {e:?}");
    }
    // A Response-like object with headers and text() works.
    let f = Function::new_with_args(
        "url, init",
        r#"return { status: 200, headers: new Headers(), text: async () => '{"email":"e","active_orders":1,"wallet_balance":-5}' }"#,
    );
    let me = shard(None, Some(SHARD_KEY), FetchTransport::with_fetch(f))
        .call(&GetMeParams {}, opts())
        .await
        .unwrap();
    assert_eq!(me.wallet_balance, -5);
}

#[wasm_bindgen_test]
async fn a_fetch_that_ignores_the_signal_still_times_out_and_aborts() {
    // Resolves after 5 s whatever its signal says.
    let slow = || {
        Function::new_with_args(
            "url, init",
            "return new Promise(r => setTimeout(() => r(new Response('{}')), 5000))",
        )
    };
    let t0 = js_sys::Date::now();
    let e = shard(None, Some("k"), FetchTransport::with_fetch(slow()))
        .call(
            &GetMeParams {},
            CallOptions {
                timeout_ms: Some(200),
                retries: Some(0),
                ..opts()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e, Error::Timeout { after_ms: 200 });
    assert!(js_sys::Date::now() - t0 < 2_000.0);
    let ctl = AbortController::new().unwrap();
    let abort = Function::new_with_args("c", "setTimeout(() => c.abort(), 100)");
    abort.call1(&JsValue::UNDEFINED, &ctl).unwrap();
    let t0 = js_sys::Date::now();
    let e = shard(None, Some("k"), FetchTransport::with_fetch(slow()))
        .call(
            &GetMeParams {},
            CallOptions {
                signal: Some(&ctl.signal()),
                ..opts()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e, Error::Aborted);
    assert!(js_sys::Date::now() - t0 < 2_000.0);
}

#[wasm_bindgen_test]
async fn redirects_and_oversized_replies_are_typed_errors() {
    let f = Function::new_with_args(
        "url, init",
        "if (init.redirect !== 'manual') throw new Error('redirect not manual');\
         return new Response(null, { status: 307, headers: { location: 'http://127.0.0.1:1/x' } })",
    );
    let e = shard(None, Some("k"), FetchTransport::with_fetch(f))
        .call(&GetMeParams {}, opts())
        .await
        .unwrap_err();
    assert_eq!(
        e,
        Error::Redirect {
            operation: "getMe",
            status: 307,
            location: Some("http://127.0.0.1:1".into()),
            applied: false
        }
    );
    let big = Function::new_with_args(
        "url, init",
        "return new Response(new Uint8Array(3 << 20).fill(32), { status: 200 })",
    );
    let input = ConfigInput {
        api_key: Some("k".into()),
        base_url: Some(SERVER.into()),
        max_response_bytes: Some(f64::from(1u32 << 20)),
        ..Default::default()
    };
    let c = Client::new(
        ClientConfig::from_input(input, proxyshard::DEFAULTS).unwrap(),
        FetchTransport::with_fetch(big),
    );
    let e = c.call(&GetMeParams {}, opts()).await.unwrap_err();
    assert_eq!(
        e,
        Error::ResponseTooLarge {
            operation: "getMe",
            status: 200,
            limit: 1 << 20
        }
    );
}

// ------------------------------------------------------------------ Proxy-Solutions flow

mod proxy_solutions_flow {
    use super::*;
    use proxykit::proxy_solutions::endpoints::{
        CalculatePriceParams, ChangeOrderParams, ChargeOrderParams, CreateOrderParams,
        ListOrdersParams,
    };
    use serde_json::json;

    fn p<T: proxykit::json::FromJson>(v: serde_json::Value) -> T {
        T::from_json(&v).unwrap()
    }

    #[wasm_bindgen_test]
    async fn calculate_price_with_promocode() {
        let c = ps(None);
        let out = c
            .call(
                &p::<CalculatePriceParams>(
                    json!({"service_id": 4, "quantity": 2, "promocode": "PSPromo"}),
                ),
                opts(),
            )
            .await
            .unwrap();
        assert_eq!(out.amount, Some(3.62));
        assert_eq!(out.discount, Some(10.0));
        assert_eq!(out.merchant, None, "an absent optional field");
        let e = c
            .call(
                &p::<CalculatePriceParams>(json!({"service_id": 4, "promocode": "EXPIRED"})),
                opts(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "validation_failed");
        assert_eq!(
            e.field_errors(),
            vec![(
                "promocode".to_owned(),
                vec!["The selected promocode is invalid.".to_owned()]
            )]
        );
        let e = c
            .call(
                &p::<CalculatePriceParams>(json!({"service_id": 999})),
                opts(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_found");
    }

    #[wasm_bindgen_test]
    async fn create_charge_change_list() {
        let c = ps(Some(PS_KEY));
        let created = c
            .call(
                &p::<CreateOrderParams>(
                    json!({"service_id": 4, "location_id": 24, "quantity": 2, "period": 60}),
                ),
                opts(),
            )
            .await
            .unwrap();
        let order = &created.orders[0];
        assert_eq!(order.status, "waiting");
        assert_eq!(order.quantity, 2);
        let id = order.id;

        let paid = c
            .call(
                &p::<ChargeOrderParams>(
                    json!({"order_id": id, "merchant": "balance", "currency": "USD"}),
                ),
                opts(),
            )
            .await
            .unwrap();
        assert_eq!(paid.payment.merchant.as_deref(), Some("balance"));
        let invoice = c
            .call(
                &p::<ChargeOrderParams>(json!({"order_id": id, "merchant": "interkassa", "currency": "EUR", "period": 90})),
                opts(),
            )
            .await
            .unwrap();
        // A payment link back to the sandbox (`/__sandbox/pay/{id}` completes it).
        assert!(invoice
            .payment
            .url
            .unwrap()
            .starts_with(&format!("{SERVER}/__sandbox/pay/")));

        let changed = c
            .call(
                &p::<ChangeOrderParams>(
                    json!({"order_id": id, "port": 9000, "ip_auth": ["203.0.113.7"]}),
                ),
                opts(),
            )
            .await
            .unwrap();
        let access = changed.order.access.unwrap();
        assert_eq!(access.port, Some(9000));
        assert_eq!(access.ip_list.unwrap(), ["203.0.113.7"]);
        assert_eq!(changed.order.proxies.unwrap().len(), 2);

        let list = c.call(&ListOrdersParams::default(), opts()).await.unwrap();
        assert!(list
            .orders
            .iter()
            .any(|o| o.id == id && o.status == "active"));

        let e = c
            .call(
                &p::<ChangeOrderParams>(json!({"order_id": 1, "port": 8001})),
                opts(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_found");
    }
}

// ------------------------------------------------------------------------ ProxyShard flow

mod proxyshard_flow {
    use super::*;
    use proxykit::json::FromJson;
    use proxykit::proxyshard::endpoints::{
        GetOrderParams, ListOrdersParams, PurchaseOrderParams, RenewOrderParams, SetOrderTagParams,
    };
    use proxykit::proxyshard::rules::{PageWalker, Stop};
    use serde_json::json;

    fn p<T: FromJson>(v: serde_json::Value) -> T {
        T::from_json(&v).unwrap()
    }

    #[wasm_bindgen_test]
    async fn purchase_get_tag_renew() {
        // An account of its own, so the others' wallets stay as they started.
        let c = shard(None, Some(FLOW_KEY), FetchTransport::global());
        let bought = c
            .call(
                &p::<PurchaseOrderParams>(json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 2})),
                opts(),
            )
            .await
            .unwrap();
        let id = bought.order_id;
        let order = c.call(&GetOrderParams { id }, opts()).await.unwrap().order;
        assert_eq!(order.status.as_deref(), Some("active"));
        assert_eq!(order.quantity, Some(2));
        assert_eq!(
            order.promo_code, None,
            "null is accepted for optional fields"
        );

        c.call(
            &p::<SetOrderTagParams>(json!({"id": id, "tag": "client-42"})),
            opts(),
        )
        .await
        .unwrap();
        let order = c.call(&GetOrderParams { id }, opts()).await.unwrap().order;
        assert_eq!(order.tag.as_deref(), Some("client-42"));

        // Renew is refused while active (the vendor's rule, enforced by the server) …
        let e = c.call(&RenewOrderParams { id }, opts()).await.unwrap_err();
        assert_eq!(e.code(), "api");
        assert_eq!(e.status(), Some(400));
        // … and works once the order is on hold: 31 days on, past its month.
        post(&format!("{SERVER}/__sandbox/advance"), r#"{"days": 31}"#).await;
        let order = c.call(&GetOrderParams { id }, opts()).await.unwrap().order;
        assert_eq!(order.status.as_deref(), Some("on-hold"));
        let renewed = c.call(&RenewOrderParams { id }, opts()).await.unwrap();
        assert_eq!(
            renewed.message.as_deref(),
            Some("Order renewed successfully")
        );

        // Not enough money: the vendor's 400 with its message.
        let e = c
            .call(
                &p::<PurchaseOrderParams>(json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "quantity": 100})),
                opts(),
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("Insufficient balance"), "{e}");
    }

    #[wasm_bindgen_test]
    async fn list_orders_walks_every_page() {
        let c = shard(None, Some(PAGES_KEY), FetchTransport::global());
        let mut walker = PageWalker::new(0, 20, 50);
        let mut ids = Vec::new();
        let mut pages = 0;
        let stop = loop {
            let page = c
                .call_json(
                    &p::<ListOrdersParams>(
                        json!({"status": "all", "offset": walker.offset, "limit": walker.limit}),
                    ),
                    opts(),
                )
                .await
                .unwrap();
            pages += 1;
            let items = page["orders"].as_array().cloned().unwrap_or_default();
            ids.extend(items.iter().map(|o| o["order_id"].as_u64().unwrap()));
            let stop = walker.record(&items, page["next"].is_null());
            if stop != Stop::No {
                break stop;
            }
        };
        assert_eq!(stop, Stop::LastPage);
        assert_eq!(pages, 3);
        assert_eq!(ids.len(), 48, "47 cancelled orders and the active one");
        ids.dedup();
        assert_eq!(ids.len(), 48, "no order twice");
    }
}
