//! Proxy-Solutions: every operation's request as data, every documented reply decoded, and
//! each business rule accepted and rejected. Params are built from JSON the way a JS caller
//! passes them, so unknown fields and wrong number types are exercised too.

use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::endpoint::Endpoint;
use proxykit::http::{HttpRequest, HttpResponse, Method};
use proxykit::json::FromJson;
use proxykit::proxy_solutions::endpoints::*;
use proxykit::proxy_solutions::models::Payment;
use proxykit::proxy_solutions::rules::{Catalogue, RuleContext, ServiceKind, Subject};
use proxykit::proxy_solutions::DEFAULTS;
use serde_json::{json, Value};

mod common;
use common::hint_fields;

fn cfg(key: Option<&str>) -> ClientConfig {
    ClientConfig::from_input(
        ConfigInput {
            api_key: key.map(str::to_owned),
            base_url: Some("https://ps.test/api".into()),
            ..Default::default()
        },
        DEFAULTS,
    )
    .unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/proxy_solutions/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn params<T: FromJson>(v: Value) -> Result<T, String> {
    T::from_json(&v).map_err(|e| e.to_string())
}

fn build<E: Endpoint>(e: &E) -> HttpRequest {
    e.build(&cfg(Some("k-123"))).unwrap()
}

fn kind(k: ServiceKind) -> RuleContext {
    RuleContext {
        kind: Some(k),
        ..Default::default()
    }
}

/// The field of the first broken rule, or `None` when valid.
fn first_problem<E: Validate>(e: &E) -> Option<String> {
    e.problems().0.first().map(|p| p.field.clone())
}

// ------------------------------------------------------------------ requests and replies

#[test]
fn list_orders_request_and_reply() {
    let p: ListOrdersParams = params(json!({"lang": "UA", "currency": "EUR"})).unwrap();
    let r = build(&p);
    assert_eq!(r.method, Method::Get);
    assert_eq!(
        r.url,
        "https://ps.test/api/user/orders?lang=UA&currency=EUR"
    );
    assert_eq!(r.header("X-API-KEY"), Some("k-123"));
    assert_eq!(r.body, None);
    let out = p
        .parse(&HttpResponse::new(200, fixture("orders.json")))
        .unwrap();
    assert_eq!(out.orders[0].id, 10000);
    assert_eq!(out.orders[0].service.name.as_deref(), Some("City proxies"));
    assert_eq!(out.orders[0].auto_continuation, Some(true));
    // Needs the key.
    let e = p.build(&cfg(None)).unwrap_err();
    assert_eq!(e.field(), Some("options.apiKey"));
}

#[test]
fn create_order_request_and_reply() {
    let p: CreateOrderParams = params(json!({
        "service_id": 1, "location_id": 1, "quantity": 1, "period": 30, "multiport": true
    }))
    .unwrap();
    let r = build(&p);
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "https://ps.test/api/user/orders");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json_body().unwrap(),
        json!({"service_id": 1, "location_id": 1, "quantity": 1, "period": 30, "multiport": true})
    );
    let out = p
        .parse(&HttpResponse::new(200, fixture("create_order.json")))
        .unwrap();
    assert_eq!(out.orders.len(), 1);
    assert_eq!(out.orders[0].status, "waiting");

    // Defaults are left to the vendor: nothing sent that the caller did not give.
    let p: CreateOrderParams =
        params(json!({"service_id": 4, "location_id": 24, "lang": "RU"})).unwrap();
    let r = build(&p);
    assert_eq!(r.url, "https://ps.test/api/user/orders?lang=RU");
    assert_eq!(
        r.json_body().unwrap(),
        json!({"service_id": 4, "location_id": 24})
    );
}

#[test]
fn change_order_request_and_reply() {
    let p: ChangeOrderParams = params(json!({
        "order_id": 10000, "port": 8000, "login": "ps10000", "gen_password": true
    }))
    .unwrap();
    let r = build(&p);
    assert_eq!(r.url, "https://ps.test/api/user/orders/10000");
    assert_eq!(
        r.json_body().unwrap(),
        json!({"port": 8000, "login": "ps10000", "gen_password": true})
    );
    let out = p
        .parse(&HttpResponse::new(200, fixture("change_order.json")))
        .unwrap();
    let access = out.order.access.as_ref().unwrap();
    assert_eq!(access.port, Some(8000));
    assert_eq!(
        access.ip_list.as_deref(),
        Some(&["192.168.1.1".to_owned()][..])
    );
    assert_eq!(out.order.proxies.as_ref().unwrap()[1].ip, "10.0.0.2");
    let shown = format!("{access:?}");
    assert!(shown.contains(r#"password: Some("<redacted>")"#), "{shown}");

    let p: ChangeOrderParams = params(json!({
        "order_id": 10000, "remove_proxies": ["192.0.2.10", "192.0.2.11"], "quantity": 6
    }))
    .unwrap();
    assert_eq!(
        build(&p).json_body().unwrap(),
        json!({"quantity": 6, "remove_proxies": ["192.0.2.10", "192.0.2.11"]})
    );
    // "clear" goes as the documented empty list.
    let p: ChangeOrderParams = params(json!({"order_id": 1, "ip_auth": "clear"})).unwrap();
    assert_eq!(build(&p).json_body().unwrap(), json!({"ip_auth": []}));
    let p: ChangeOrderParams =
        params(json!({"order_id": 1, "password": "s3cret-pass", "lang": "EN", "currency": "RUB"}))
            .unwrap();
    assert!(!format!("{p:?}").contains("s3cret-pass"));
    assert_eq!(
        build(&p).url,
        "https://ps.test/api/user/orders/1?lang=EN&currency=RUB"
    );
}

#[test]
fn charge_order_request_reply_and_auth() {
    let p: ChargeOrderParams = params(json!({
        "order_id": 10000, "merchant": "freekassa", "period": 60, "currency": "RUB", "promocode": "PSPromo"
    }))
    .unwrap();
    let r = build(&p);
    assert_eq!(r.url, "https://ps.test/api/user/orders/10000/charge");
    assert_eq!(
        r.json_body().unwrap(),
        json!({"merchant": "freekassa", "currency": "RUB", "period": 60, "promocode": "PSPromo"})
    );
    let out = p
        .parse(&HttpResponse::new(200, fixture("charge_order.json")))
        .unwrap();
    let payment = out.payment;
    assert_eq!(payment.payer_amount, Some(90.0));
    assert!(payment.url.unwrap().starts_with("https://pay.freekassa.ru"));
    // The payment page publishes no reply schema: a reply without `payment` (e.g. a balance
    // payment) decodes, with `payment` absent.
    for body in [r#"{}"#, r#"{"status":"paid"}"#, r#"{"payment":null}"#] {
        let out = p.parse(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(out.payment, Payment::default(), "{body}");
    }
    // A period the payment docs allow though it is not a tariff period (14, 120 days).
    for days in [14u64, 120, 7, 1] {
        let p: ChargeOrderParams = params(json!({
            "order_id": 10000, "merchant": "balance", "currency": "USD", "period": days
        }))
        .unwrap();
        assert_eq!(
            build(&p).json_body().unwrap(),
            json!({"merchant": "balance", "currency": "USD", "period": days})
        );
    }
    // An invoice works without a key; paying from the balance needs one.
    assert!(p.build(&cfg(None)).unwrap().header("x-api-key").is_none());
    let bal: ChargeOrderParams =
        params(json!({"order_id": 10000, "merchant": "balance", "currency": "USD"})).unwrap();
    assert_eq!(
        bal.build(&cfg(None)).unwrap_err().field(),
        Some("options.apiKey")
    );
    assert_eq!(
        build(&bal).json_body().unwrap(),
        json!({"merchant": "balance", "currency": "USD"})
    );
}

#[test]
fn perform_request_and_reply() {
    let p: PerformOrderOperationParams =
        params(json!({"order_id": 10000, "operation": "channels-reset", "channels": [1401, 1402]}))
            .unwrap();
    let r = build(&p);
    assert_eq!(r.url, "https://ps.test/api/user/orders/10000/perform");
    assert_eq!(
        r.json_body().unwrap(),
        json!({"operation": "channels-reset", "channels": [1401, 1402]})
    );
    let out = p
        .parse(&HttpResponse::new(200, fixture("perform.json")))
        .unwrap();
    assert_eq!(out.operation_status, "complete");
    assert_eq!(out.order.unwrap().allowed_operations.len(), 3);
    let p: PerformOrderOperationParams = params(json!({
        "order_id": 10000, "operation": "channels-relocate", "location_id": 8, "operator_id": 8
    }))
    .unwrap();
    assert_eq!(
        build(&p).json_body().unwrap(),
        json!({"operation": "channels-relocate", "location_id": 8, "operator_id": 8})
    );
}

#[test]
fn charge_user_balance_request() {
    let p: ChargeUserBalanceParams =
        params(json!({"merchant": "freekassa", "currency": "RUB", "amount": 100})).unwrap();
    let r = build(&p);
    assert_eq!(r.url, "https://ps.test/api/user/balance/charge");
    assert_eq!(
        r.json_body().unwrap(),
        json!({"merchant": "freekassa", "currency": "RUB", "amount": 100.0})
    );
    // The reply is undocumented: a payment object, or anything else, decodes.
    assert!(p
        .parse(&HttpResponse::new(200, fixture("charge_order.json")))
        .unwrap()
        .payment
        .is_some());
    assert!(p
        .parse(&HttpResponse::new(200, r#"{"status":"ok"}"#))
        .unwrap()
        .payment
        .is_none());
}

#[test]
fn calculate_price_request_and_reply() {
    let p: CalculatePriceParams = params(json!({
        "service_id": 4, "lang": "EN", "location_id": 8, "quantity": 1, "period": 30,
        "multiport": true, "promocode": "vk-top10", "merchant": "freekassa", "currency": "RUB"
    }))
    .unwrap();
    let r = p.build(&cfg(None)).unwrap();
    assert_eq!(r.url, "https://ps.test/api/services/4/price?lang=EN");
    assert_eq!(
        r.header("x-api-key"),
        None,
        "public call, no key configured"
    );
    assert_eq!(
        r.json_body().unwrap(),
        json!({"location_id": 8, "quantity": 1, "period": 30, "multiport": true,
               "promocode": "vk-top10", "merchant": "freekassa", "currency": "RUB"})
    );
    let out = p
        .parse(&HttpResponse::new(200, fixture("price.json")))
        .unwrap();
    assert_eq!(out.amount, Some(1.81));
    assert_eq!(out.payer_amount, Some(90.0));
    // Every field is optional in the reply.
    assert_eq!(p.parse(&HttpResponse::new(200, "{}")).unwrap().amount, None);
    // An empty body is sent as {} (the endpoint always has a body).
    let p: CalculatePriceParams = params(json!({"service_id": 4})).unwrap();
    assert_eq!(build(&p).json_body().unwrap(), json!({}));
}

#[test]
fn catalogue_requests() {
    let p: ListServicesParams = params(json!({"lang": "RU", "currency": "UAH"})).unwrap();
    let r = p.build(&cfg(None)).unwrap();
    assert_eq!(r.url, "https://ps.test/api/services?lang=RU&currency=UAH");
    let any = json!({"services": [{"id": 4}], "whatever": true});
    assert_eq!(
        p.parse(&HttpResponse::new(200, any.to_string())).unwrap(),
        any
    );
    let p: ListServiceLocationsParams = params(json!({"service_id": 4, "lang": "EN"})).unwrap();
    assert_eq!(
        p.build(&cfg(None)).unwrap().url,
        "https://ps.test/api/services/4/locations?lang=EN"
    );
}

#[test]
fn list_merchants_takes_nothing() {
    assert!(params::<ListMerchantsParams>(json!({})).is_ok());
    assert!(params::<ListMerchantsParams>(json!({"lang": "EN"})).is_err());
}

// ------------------------------------------------------------------------------ the rules

#[test]
fn unknown_fields_and_wrong_number_types_are_rejected() {
    for bad in [
        json!({"service_id": 1, "location_id": 1, "quantiy": 2}),
        json!({"service_id": 1.5, "location_id": 1}),
        json!({"service_id": "3", "location_id": 1}),
        json!({"service_id": -3, "location_id": 1}),
        json!({"service_id": 1, "location_id": 1, "quantity": 2.5}),
        json!({"service_id": 1, "location_id": 1, "period": "30"}),
        json!({"location_id": 1}),
    ] {
        assert!(params::<CreateOrderParams>(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn ids_are_positive_safe_integers() {
    let ok: CreateOrderParams =
        params(json!({"service_id": 1, "location_id": 9007199254740991u64})).unwrap();
    assert_eq!(first_problem(&ok), None);
    for (v, field) in [
        (json!({"service_id": 0, "location_id": 1}), "service_id"),
        (json!({"service_id": 1, "location_id": 0}), "location_id"),
    ] {
        let p: CreateOrderParams = params(v).unwrap();
        assert_eq!(first_problem(&p).as_deref(), Some(field));
        assert_eq!(p.build(&cfg(Some("k"))).unwrap_err().field(), Some(field));
    }
    // Beyond 2^53 − 1 JavaScript cannot represent the id exactly: refused while reading.
    let e =
        CreateOrderParams::from_json(&json!({"service_id": 1, "location_id": 9007199254740992u64}))
            .unwrap_err();
    assert_eq!(e.field(), Some("location_id"));
    let p: ChangeOrderParams = params(json!({"order_id": 0})).unwrap();
    assert_eq!(first_problem(&p).as_deref(), Some("order_id"));
    let p: PerformOrderOperationParams =
        params(json!({"order_id": 1, "operation": "channels-reset", "channels": [1, 0]})).unwrap();
    assert_eq!(first_problem(&p).as_deref(), Some("channels[1]"));
}

#[test]
fn location_is_required_on_create_unless_allowed() {
    let mut p: CreateOrderParams = params(json!({"service_id": 1})).unwrap();
    assert_eq!(first_problem(&p).as_deref(), Some("location_id"));
    p.set_context(RuleContext {
        allow_missing_location: true,
        ..Default::default()
    });
    assert_eq!(first_problem(&p), None);
    // Price calculation never requires it.
    let p: CalculatePriceParams = params(json!({"service_id": 1})).unwrap();
    assert_eq!(first_problem(&p), None);
}

#[test]
fn periods_follow_the_service_kind() {
    let mk = |period: u64, ctx: RuleContext| {
        let mut p: CreateOrderParams =
            params(json!({"service_id": 1, "location_id": 1, "period": period})).unwrap();
        p.set_context(ctx);
        first_problem(&p)
    };
    // Unknown kind: the union of documented periods.
    for ok in [1, 7, 30, 60, 90, 180, 365] {
        assert_eq!(mk(ok, RuleContext::default()), None, "{ok}");
    }
    for bad in [0, 2, 14, 31, 364, 366] {
        assert_eq!(
            mk(bad, RuleContext::default()).as_deref(),
            Some("period"),
            "{bad}"
        );
    }
    for k in [
        ServiceKind::Personal,
        ServiceKind::Prime,
        ServiceKind::City,
        ServiceKind::Batch,
    ] {
        assert_eq!(mk(60, kind(k)), None);
        assert_eq!(mk(180, kind(k)), None);
        assert_eq!(mk(1, kind(k)).as_deref(), Some("period"), "{k:?}");
        assert_eq!(mk(7, kind(k)).as_deref(), Some("period"));
    }
    for k in [ServiceKind::Mobile, ServiceKind::MobilePlus] {
        assert_eq!(mk(1, kind(k)), None);
        assert_eq!(mk(7, kind(k)), None);
        assert_eq!(mk(60, kind(k)).as_deref(), Some("period"), "{k:?}");
        assert_eq!(mk(180, kind(k)).as_deref(), Some("period"));
    }
    // Price uses the same sets.
    let mut pr: CalculatePriceParams = params(json!({"service_id": 1, "period": 60})).unwrap();
    pr.set_context(kind(ServiceKind::Mobile));
    assert_eq!(first_problem(&pr).as_deref(), Some("period"));
}

#[test]
fn charge_order_takes_any_period_the_payment_docs_allow() {
    // Order payment: "period — the period to pay, in days; if not sent, the order's period is
    // used". No list of values, unlike order creation: 14 or 120 days are sent, for any kind;
    // a period outside the tariff's list is only a hint.
    for (days, k) in [
        (14, None),
        (120, None),
        (7, Some(ServiceKind::City)),
        (60, Some(ServiceKind::Mobile)),
    ] {
        let mut c: ChargeOrderParams = params(
            json!({"order_id": 1, "merchant": "balance", "currency": "USD", "period": days}),
        )
        .unwrap();
        if let Some(k) = k {
            c.set_context(kind(k));
        }
        assert_eq!(first_problem(&c), None, "{days} {k:?}");
        assert_eq!(hint_fields(&c), ["period"], "{days} {k:?}");
        assert_eq!(build(&c).json_body().unwrap()["period"], json!(days));
    }
    let mut c: ChargeOrderParams =
        params(json!({"order_id": 1, "merchant": "m", "currency": "USD", "period": 30})).unwrap();
    c.set_context(kind(ServiceKind::City));
    assert!(hint_fields(&c).is_empty());
    // 0 days is not a period.
    let c: ChargeOrderParams =
        params(json!({"order_id": 1, "merchant": "m", "currency": "USD", "period": 0})).unwrap();
    assert_eq!(first_problem(&c).as_deref(), Some("period"));
}

#[test]
fn quantity_is_at_least_one_and_capped_per_kind() {
    let mk = |q: u64, ctx: RuleContext| {
        let mut p: CreateOrderParams =
            params(json!({"service_id": 1, "location_id": 1, "quantity": q})).unwrap();
        p.set_context(ctx);
        first_problem(&p)
    };
    // The docs give no minimum (1 is the default): 0 is a hint, not a refusal.
    assert_eq!(mk(0, RuleContext::default()), None);
    let zero: CreateOrderParams =
        params(json!({"service_id": 1, "location_id": 1, "quantity": 0})).unwrap();
    assert_eq!(hint_fields(&zero), ["quantity"]);
    assert_eq!(
        mk(10_000, RuleContext::default()),
        None,
        "no cap when the kind is unknown"
    );
    for (k, cap) in [
        (ServiceKind::Personal, 500),
        (ServiceKind::Prime, 100),
        (ServiceKind::City, 50),
    ] {
        assert_eq!(mk(cap, kind(k)), None);
        assert_eq!(mk(cap + 1, kind(k)).as_deref(), Some("quantity"), "{k:?}");
    }
    assert_eq!(
        mk(1000, kind(ServiceKind::Mobile)),
        None,
        "mobile caps are not documented"
    );
    let batch = RuleContext {
        kind: Some(ServiceKind::Batch),
        packets: Some(vec![10, 50]),
        ..Default::default()
    };
    assert_eq!(mk(50, batch.clone()), None);
    assert_eq!(mk(20, batch).as_deref(), Some("quantity"));
    let mut c: ChangeOrderParams = params(json!({"order_id": 1, "quantity": 51})).unwrap();
    assert_eq!(first_problem(&c), None);
    c.set_context(kind(ServiceKind::City));
    assert_eq!(first_problem(&c).as_deref(), Some("quantity"));
}

#[test]
fn change_order_rules() {
    let check = |v: Value, ctx: RuleContext| {
        let mut p: ChangeOrderParams = params(v).unwrap();
        p.set_context(ctx);
        first_problem(&p)
    };
    let none = RuleContext::default;
    // remove_proxies: IP addresses (v4 or v6), with quantity; duplicates and mobile orders
    // are hints only.
    assert_eq!(
        check(
            json!({"order_id": 1, "remove_proxies": ["192.0.2.1"], "quantity": 3}),
            none()
        ),
        None
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "remove_proxies": ["192.0.2.1"]}),
            none()
        )
        .as_deref(),
        Some("quantity")
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "remove_proxies": ["192.0.2.1", "nope"], "quantity": 3}),
            none()
        )
        .as_deref(),
        Some("remove_proxies[1]")
    );
    let dup: ChangeOrderParams =
        params(json!({"order_id": 1, "remove_proxies": ["192.0.2.1", "192.0.2.1"], "quantity": 3}))
            .unwrap();
    assert_eq!(first_problem(&dup), None);
    assert_eq!(hint_fields(&dup), ["remove_proxies[1]"]);
    for v6 in [
        "::1",
        "2001:db8::10",
        "2001:db8:0:0:0:0:0:1",
        "::ffff:192.0.2.1",
    ] {
        assert_eq!(
            check(
                json!({"order_id": 1, "remove_proxies": [v6, "192.0.2.1"], "quantity": 3}),
                none()
            ),
            None,
            "{v6}"
        );
    }
    for bad in [
        "2001:db8::g",
        "192.0.2.1/32",
        " 192.0.2.1",
        "[::1]",
        "::1%eth0",
    ] {
        assert_eq!(
            check(
                json!({"order_id": 1, "remove_proxies": [bad], "quantity": 3}),
                none()
            )
            .as_deref(),
            Some("remove_proxies[0]"),
            "{bad}"
        );
    }
    // The order-changes page does not forbid remove_proxies on mobile orders.
    let mut mobile: ChangeOrderParams =
        params(json!({"order_id": 1, "remove_proxies": ["192.0.2.1"], "quantity": 3})).unwrap();
    mobile.set_context(kind(ServiceKind::Mobile));
    assert_eq!(first_problem(&mobile), None);
    assert_eq!(hint_fields(&mobile), ["remove_proxies"]);
    assert_eq!(
        build(&mobile).json_body().unwrap(),
        json!({"quantity": 3, "remove_proxies": ["192.0.2.1"]})
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "quantity": 3}),
            kind(ServiceKind::Mobile)
        ),
        None
    );
    // port: the docs say only "integer"; outside 1–65535 is a hint.
    assert_eq!(check(json!({"order_id": 1, "port": 65535}), none()), None);
    for port in [0, 65536] {
        let p: ChangeOrderParams = params(json!({"order_id": 1, "port": port})).unwrap();
        assert_eq!(first_problem(&p), None);
        assert_eq!(hint_fields(&p), ["port"]);
    }
    // ip_auth: an IP list (v4 or v6), [] or "clear".
    assert_eq!(
        check(json!({"order_id": 1, "ip_auth": ["203.0.113.5"]}), none()),
        None
    );
    let v6: ChangeOrderParams =
        params(json!({"order_id": 1, "ip_auth": ["2001:db8::5", "203.0.113.5"]})).unwrap();
    assert_eq!(first_problem(&v6), None);
    assert_eq!(
        build(&v6).json_body().unwrap(),
        json!({"ip_auth": ["2001:db8::5", "203.0.113.5"]})
    );
    assert_eq!(
        check(json!({"order_id": 1, "ip_auth": ["2001:db8::zz"]}), none()).as_deref(),
        Some("ip_auth[0]")
    );
    assert_eq!(check(json!({"order_id": 1, "ip_auth": []}), none()), None);
    assert_eq!(
        check(json!({"order_id": 1, "ip_auth": "clear"}), none()),
        None
    );
    assert_eq!(
        check(json!({"order_id": 1, "ip_auth": ["1.2.3"]}), none()).as_deref(),
        Some("ip_auth[0]")
    );
    assert_eq!(
        check(json!({"order_id": 1, "ip_auth": "all"}), none()).as_deref(),
        Some("ip_auth")
    );
    assert!(params::<ChangeOrderParams>(json!({"order_id": 1, "ip_auth": 5})).is_err());
    // gen_password: true makes the server ignore a password: sent, with a hint.
    assert_eq!(
        check(json!({"order_id": 1, "gen_password": true}), none()),
        None
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "password": "x", "gen_password": false}),
            none()
        ),
        None
    );
    let both: ChangeOrderParams =
        params(json!({"order_id": 1, "password": "x", "gen_password": true})).unwrap();
    assert_eq!(first_problem(&both), None);
    assert_eq!(hint_fields(&both), ["password"]);
    assert_eq!(
        build(&both).json_body().unwrap(),
        json!({"password": "x", "gen_password": true})
    );
    // lang and currency lists.
    assert_eq!(
        check(json!({"order_id": 1, "lang": "uk"}), none()).as_deref(),
        Some("lang")
    );
    assert_eq!(
        check(json!({"order_id": 1, "currency": "GBP"}), none()).as_deref(),
        Some("currency")
    );
}

#[test]
fn perform_rules() {
    let check = |v: Value, ctx: RuleContext| {
        let mut p: PerformOrderOperationParams = params(v).unwrap();
        p.set_context(ctx);
        first_problem(&p)
    };
    let none = RuleContext::default;
    for op in [
        "channels-change-ip",
        "channels-reset",
        "channels-set-autoreset",
        "channels-relocate",
    ] {
        assert_eq!(
            check(json!({"order_id": 1, "operation": op}), none()),
            None,
            "{op}"
        );
    }
    assert_eq!(
        check(json!({"order_id": 1, "operation": "reboot"}), none()).as_deref(),
        Some("operation")
    );
    for ok in [0, 60, 600] {
        assert_eq!(
            check(
                json!({"order_id": 1, "operation": "channels-set-autoreset", "interval": ok}),
                none()
            ),
            None
        );
    }
    for bad in [1, 59] {
        assert_eq!(
            check(
                json!({"order_id": 1, "operation": "channels-set-autoreset", "interval": bad}),
                none()
            )
            .as_deref(),
            Some("interval")
        );
    }
    // location_id / operator_id outside channels-relocate: the docs describe them for
    // relocation but do not forbid them elsewhere; a hint.
    let p: PerformOrderOperationParams = params(
        json!({"order_id": 1, "operation": "channels-reset", "location_id": 8, "operator_id": 8}),
    )
    .unwrap();
    assert_eq!(first_problem(&p), None);
    assert_eq!(hint_fields(&p), ["location_id", "operator_id"]);
    assert_eq!(
        check(
            json!({"order_id": 1, "operation": "channels-relocate", "location_id": 8}),
            kind(ServiceKind::MobilePlus)
        ),
        None
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "operation": "channels-relocate", "location_id": 8}),
            kind(ServiceKind::Mobile)
        )
        .as_deref(),
        Some("location_id")
    );
    assert_eq!(
        check(
            json!({"order_id": 1, "operation": "channels-relocate", "operator_id": 8}),
            kind(ServiceKind::Mobile)
        ),
        None
    );
    // Not refused on a kind guess: the vendor's own example does this on a city order.
    assert_eq!(
        check(
            json!({"order_id": 1, "operation": "channels-reset"}),
            kind(ServiceKind::City)
        ),
        None
    );
}

#[test]
fn balance_top_up_rules() {
    let check = |v: Value| first_problem(&params::<ChargeUserBalanceParams>(v).unwrap());
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB", "amount": 0.1})),
        None
    );
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB", "payer_amount": 7700})),
        None
    );
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB", "amount": 0.09})).as_deref(),
        Some("amount")
    );
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB", "amount": -5})).as_deref(),
        Some("amount")
    );
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB", "payer_amount": 0})).as_deref(),
        Some("payer_amount")
    );
    assert_eq!(
        check(json!({"merchant": "m", "currency": "RUB"})).as_deref(),
        Some("amount")
    );
    assert_eq!(
        check(json!({"merchant": " ", "currency": "RUB", "amount": 1})).as_deref(),
        Some("merchant")
    );
    assert!(params::<ChargeUserBalanceParams>(
        json!({"merchant": "m", "currency": "RUB", "amount": "100"})
    )
    .is_err());
}

#[test]
fn charge_and_price_strings_are_not_empty() {
    let c = |v: Value| first_problem(&params::<ChargeOrderParams>(v).unwrap());
    assert_eq!(
        c(json!({"order_id": 1, "merchant": "", "currency": "USD"})).as_deref(),
        Some("merchant")
    );
    assert_eq!(
        c(json!({"order_id": 1, "merchant": "m", "currency": ""})).as_deref(),
        Some("currency")
    );
    // An empty promocode: no rule of the docs; a hint.
    let e: ChargeOrderParams =
        params(json!({"order_id": 1, "merchant": "m", "currency": "USD", "promocode": ""}))
            .unwrap();
    assert_eq!(first_problem(&e), None);
    assert_eq!(hint_fields(&e), ["promocode"]);
    assert!(
        params::<ChargeOrderParams>(json!({"order_id": 1, "merchant": "m"})).is_err(),
        "currency required"
    );
    let p = |v: Value| first_problem(&params::<CalculatePriceParams>(v).unwrap());
    assert_eq!(p(json!({"service_id": 1, "merchant": ""})), None);
    let e: CalculatePriceParams = params(json!({"service_id": 1, "merchant": ""})).unwrap();
    assert_eq!(hint_fields(&e), ["merchant"]);
    assert_eq!(
        p(json!({"service_id": 1, "lang": "DE"})).as_deref(),
        Some("lang")
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let p: ChangeOrderParams = params(json!({
        "order_id": 0, "port": 0, "remove_proxies": ["x"], "password": "p", "gen_password": true
    }))
    .unwrap();
    let fields: Vec<String> = p.problems().0.into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["order_id", "quantity", "remove_proxies[0]"]);
    let hints: Vec<String> = p.hints().0.into_iter().map(|p| p.field).collect();
    assert_eq!(hints, ["port", "password"]);
}

#[test]
fn catalogue_feeds_the_rules() {
    let mut cat = Catalogue::default();
    cat.learn(
        "listServices",
        &json!([{"id": 4, "name": "City proxies"}, {"id": 8, "name": "Mobile proxies"}]),
    );
    let mut p: CreateOrderParams =
        params(json!({"service_id": 4, "location_id": 1, "quantity": 60})).unwrap();
    p.set_context(cat.context(p.subject(), RuleContext::default()));
    assert_eq!(first_problem(&p).as_deref(), Some("quantity"));
    cat.learn(
        "createOrder",
        &serde_json::from_str::<Value>(&fixture("create_order.json")).unwrap(),
    );
    assert_eq!(
        cat.context(Subject::Order(10000), RuleContext::default())
            .kind,
        Some(ServiceKind::City)
    );
}
