//! ProxyShard: every operation's request as data, every documented reply (and the older
//! reply shapes of §8 of the reference) decoded and checked, and each rule accepted and
//! rejected. Reply fixtures are the OpenAPI file's own examples.

use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::endpoint::{check_reply, Endpoint};
use proxykit::http::{HttpRequest, HttpResponse, Method};
use proxykit::json::FromJson;
use proxykit::proxyshard::endpoints::*;
use proxykit::proxyshard::DEFAULTS;
use serde_json::{json, Value};

mod common;
use common::hint_fields;

fn cfg() -> ClientConfig {
    ClientConfig::from_input(
        ConfigInput {
            api_key: Some("shard-test-key".into()),
            base_url: Some("https://shard.test".into()),
            ..Default::default()
        },
        DEFAULTS,
    )
    .unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/proxyshard/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn p<T: FromJson>(v: Value) -> T {
    T::from_json(&v).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn build<E: Endpoint>(e: &E) -> HttpRequest {
    e.build(&cfg()).unwrap()
}

/// The field of the first problem, or `None` when the params are valid.
fn problem<E: Validate>(e: &E) -> Option<String> {
    e.problems().0.first().map(|p| p.field.clone())
}

/// Parses every reply fixture `<op>*.json` with the endpoint's typed output and its schema.
fn replies_decode<E: Endpoint>(e: &E) -> usize {
    let dir = format!(
        "{}/tests/fixtures/proxyshard/replies",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.split('.').next() != Some(E::OPERATION) {
            continue;
        }
        let body = read(&format!("replies/{name}"));
        let resp = HttpResponse::new(200, body.clone());
        e.parse(&resp).unwrap_or_else(|err| panic!("{name}: {err}"));
        let value: Value = serde_json::from_str(&body).unwrap();
        check_reply(E::OPERATION, 200, E::REPLY, &value)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        n += 1;
    }
    n
}

fn check(e: &HttpRequest, method: Method, url: &str, body: Option<Value>) {
    assert_eq!(e.method, method, "{url}");
    assert_eq!(e.url, url);
    assert_eq!(e.header("authorization"), Some("Bearer shard-test-key"));
    assert_eq!(e.json_body(), body, "{url}");
}

#[test]
fn every_operation_builds_its_request_and_decodes_its_documented_reply() {
    let base = "https://shard.test/user/api";
    let mut replies = 0;
    macro_rules! op {
        ($t:ty, $params:expr, $method:ident, $url:expr, $body:expr) => {{
            let e: $t = p($params);
            check(
                &build(&e),
                Method::$method,
                &format!("{base}{}", $url),
                $body,
            );
            replies += replies_decode(&e);
        }};
    }
    op!(
        ListActiveProxiesParams,
        json!({"order_id": 123456}),
        Get,
        "/proxies/active?order_id=123456",
        None
    );
    op!(
        SetPerIpDeletionParams,
        json!({"order_id": 7, "items": [{"ip": "192.0.2.1", "value": true}]}),
        Post,
        "/orders/7/del-np/set",
        Some(json!({"items": [{"ip": "192.0.2.1", "value": true}]}))
    );
    op!(
        SetP0fSignaturesParams,
        json!({"order_id": 7, "items": [{"ip": "192.0.2.1", "signature": "win11"}]}),
        Post,
        "/orders/7/signature/set",
        Some(json!({"items": [{"ip": "192.0.2.1", "signature": "win11"}]}))
    );
    op!(
        QuoteAddonParams,
        json!({"order_id": 7, "addon_key": "p0f_slots", "add_qty": 5}),
        Get,
        "/orders/7/addons/calculate?addon_key=p0f_slots&add_qty=5",
        None
    );
    op!(
        PurchaseAddonParams,
        json!({"order_id": 7, "addon_key": "p0f_slots", "add_qty": 5}),
        Post,
        "/orders/7/addons/purchase",
        Some(json!({"addon_key": "p0f_slots", "add_qty": 5}))
    );
    op!(
        ScheduleAddonDowngradeParams,
        json!({"order_id": 7, "addon_key": "p0f_slots", "next_qty": 2}),
        Post,
        "/orders/7/addons/schedule",
        Some(json!({"addon_key": "p0f_slots", "action": "downgrade", "next_qty": 2}))
    );
    op!(
        CancelAddonDowngradeParams,
        json!({"order_id": 7, "addon_key": "p0f_slots"}),
        Post,
        "/orders/7/addons/schedule/cancel",
        Some(json!({"addon_key": "p0f_slots"}))
    );
    op!(
        PurchaseOrderParams,
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "quantity": 5}),
        Post,
        "/orders/purchase",
        Some(json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "quantity": 5}))
    );
    op!(QuoteOrderParams, json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 10, "promo_code": "SAVE10", "addons": [{"addon_key": "p0f_slots", "qty": 5}]}), Get,
        "/orders/calculate?product=Datacenter%20Proxy&location=DE&cycle=monthly&quantity=10&promo_code=SAVE10&addons_json=%5B%7B%22addon_key%22%3A%22p0f_slots%22%2C%22qty%22%3A5%7D%5D", None);
    op!(
        ChangeBillingCycleParams,
        json!({"order_id": 7, "cycle": "monthly"}),
        Post,
        "/orders/change-billing-cycle/7",
        Some(json!({"cycle": "monthly"}))
    );
    op!(
        SetAutoRenewalParams,
        json!({"order_id": 7, "auto_renewal": false}),
        Post,
        "/orders/edit-auto-renewal/7?auto_renewal=false",
        Some(json!({}))
    );
    op!(
        ListProductsParams,
        json!({}),
        Get,
        "/proxies/products",
        None
    );
    op!(
        GetAvailableCountsParams,
        json!({}),
        Get,
        "/proxies/available-count",
        None
    );
    op!(GetMeParams, json!({}), Get, "/me", None);
    op!(
        ListOrdersParams,
        json!({"status": "on-hold", "offset": 40, "limit": 20}),
        Get,
        "/orders?status=on-hold&offset=40&limit=20",
        None
    );
    op!(
        GetOrderParams,
        json!({"id": 123456}),
        Get,
        "/orders/123456",
        None
    );
    op!(
        RenewOrderParams,
        json!({"id": 123456}),
        Post,
        "/orders/123456/renew",
        Some(json!({}))
    );
    op!(
        SetOrderTagParams,
        json!({"id": 123456, "tag": "client-42"}),
        Post,
        "/orders/123456/tag",
        Some(json!({"tag": "client-42"}))
    );
    op!(
        AddBandwidthParams,
        json!({"id": 9, "amount": 10, "promo_code": null}),
        Post,
        "/orders/9/add-bandwidth",
        Some(json!({"amount": 10}))
    );
    op!(
        GetResidentialProfileParams,
        json!({"proxy_type": "premium"}),
        Get,
        "/proxies/profile?proxy_type=premium",
        None
    );
    op!(
        ListSubUsersParams,
        json!({"proxy_type": "standart", "offset": 0, "limit": 50}),
        Get,
        "/proxies/sub-users?proxy_type=standart&offset=0&limit=50",
        None
    );
    op!(
        CreateSubUserParams,
        json!({"proxy_type": "standart", "name": "team-a", "data": 5}),
        Post,
        "/proxies/sub-user?proxy_type=standart",
        Some(json!({"name": "team-a", "data": 5}))
    );
    op!(
        GetSubUserParams,
        json!({"user_id": "a b/c", "proxy_type": "premium"}),
        Get,
        "/proxies/sub-user/a%20b%2Fc?proxy_type=premium",
        None
    );
    op!(
        RenameSubUserParams,
        json!({"user_id": "u1", "proxy_type": "premium", "name": "team-b"}),
        Patch,
        "/proxies/sub-user/u1?proxy_type=premium",
        Some(json!({"name": "team-b"}))
    );
    op!(
        DeleteSubUserParams,
        json!({"user_id": "u1"}),
        Delete,
        "/proxies/sub-user/u1",
        None
    );
    op!(
        AddSubUserTraffic,
        json!({"user_id": "u1", "proxy_type": "premium", "data": 2}),
        Post,
        "/proxies/sub-user/u1/data/add?proxy_type=premium",
        Some(json!({"data": 2}))
    );
    op!(
        SubtractSubUserTraffic,
        json!({"user_id": "u1", "proxy_type": "premium", "data": 1}),
        Post,
        "/proxies/sub-user/u1/data/subtract?proxy_type=premium",
        Some(json!({"data": 1}))
    );
    op!(
        RegenerateSubUserPassword,
        json!({"user_id": "u1", "proxy_type": "standart"}),
        Post,
        "/proxies/sub-user/u1/password?proxy_type=standart",
        Some(json!({}))
    );
    op!(
        ListCountriesParams,
        json!({"proxy_type": "standart"}),
        Get,
        "/proxies/countries?proxy_type=standart",
        None
    );
    op!(
        ListRegionsParams,
        json!({"proxy_type": "standart", "country_code": "de"}),
        Get,
        "/proxies/regions?proxy_type=standart&country_code=de",
        None
    );
    op!(
        ListCitiesParams,
        json!({"proxy_type": "standart", "country_code": "de", "region_code": "be"}),
        Get,
        "/proxies/cities?proxy_type=standart&country_code=de&region_code=be",
        None
    );
    op!(
        ListIspsParams,
        json!({"proxy_type": "premium", "country_code": "de", "region_code": "be", "city_code": "berlin"}),
        Get,
        "/proxies/isps?proxy_type=premium&country_code=de&region_code=be&city_code=berlin",
        None
    );
    assert!(
        replies >= 40,
        "{replies} documented replies (incl. older shapes) decoded"
    );

    // Health probes: public, no key, any body.
    let h = build(&HealthParams {});
    assert_eq!(h.url, "https://shard.test/health");
    assert_eq!(
        h.header("authorization"),
        None,
        "the key is never sent to public probes"
    );
    assert_eq!(
        build(&HealthLiveParams(HealthParams {})).url,
        "https://shard.test/health/live"
    );
    assert_eq!(
        HealthLiveParams(HealthParams {})
            .parse(&HttpResponse::new(200, "OK"))
            .unwrap(),
        json!("OK")
    );
    assert_eq!(
        HealthParams {}
            .parse(&HttpResponse::new(200, r#"{"db":"up"}"#))
            .unwrap(),
        json!({"db": "up"})
    );
    assert_eq!(
        HealthParams {}.parse(&HttpResponse::new(200, "")).unwrap(),
        Value::Null
    );
}

#[test]
fn documented_request_bodies_are_sent_as_documented() {
    let dir = format!(
        "{}/tests/fixtures/proxyshard/requests",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let example: Value = serde_json::from_str(&read(&format!("requests/{name}"))).unwrap();
        let op = name.split('.').next().unwrap();
        let mut params = example.clone();
        let obj = params.as_object_mut().unwrap();
        let body = |r: HttpRequest| r.json_body().unwrap();
        let sent = match op {
            "purchaseOrder" => body(build(&p::<PurchaseOrderParams>(params))),
            "setPerIpDeletion" => {
                obj.insert("order_id".into(), json!(1));
                body(build(&p::<SetPerIpDeletionParams>(params)))
            }
            "setP0fSignatures" => {
                obj.insert("order_id".into(), json!(1));
                body(build(&p::<SetP0fSignaturesParams>(params)))
            }
            "purchaseAddon" => {
                obj.insert("order_id".into(), json!(1));
                body(build(&p::<PurchaseAddonParams>(params)))
            }
            "scheduleAddonDowngrade" => {
                obj.insert("order_id".into(), json!(1));
                body(build(&p::<ScheduleAddonDowngradeParams>(params)))
            }
            "cancelAddonDowngrade" => {
                obj.insert("order_id".into(), json!(1));
                body(build(&p::<CancelAddonDowngradeParams>(params)))
            }
            "addBandwidth" => {
                obj.insert("id".into(), json!(1));
                body(build(&p::<AddBandwidthParams>(params)))
            }
            "createSubUser" => {
                obj.insert("proxy_type".into(), json!("standart"));
                body(build(&p::<CreateSubUserParams>(params)))
            }
            "renameSubUser" => {
                obj.insert("proxy_type".into(), json!("standart"));
                obj.insert("user_id".into(), json!("u1"));
                body(build(&p::<RenameSubUserParams>(params)))
            }
            other => panic!("no case for {other}"),
        };
        let mut expected = example;
        // `promo_code: null` is "not given": the SDK leaves it out.
        expected
            .as_object_mut()
            .unwrap()
            .retain(|_, v| !v.is_null());
        assert_eq!(sent, expected, "{name}");
        n += 1;
    }
    assert!(n >= 15, "{n}");
}

#[test]
fn purchase_variants_by_product() {
    let prob = |v: Value| problem(&p::<PurchaseOrderParams>(v));
    // DC / ISP: location and cycle.
    assert_eq!(
        prob(json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly"})),
        None
    );
    assert_eq!(
        prob(json!({"product": "Datacenter Proxy", "cycle": "monthly"})).as_deref(),
        Some("location")
    );
    assert_eq!(
        prob(json!({"product": "ISP Proxy", "location": "US"})).as_deref(),
        Some("cycle")
    );
    // Standard / Premium residential: product only.
    assert_eq!(
        prob(json!({"product": "Standart Residential Proxy", "quantity": 3})),
        None
    );
    assert_eq!(
        prob(json!({"product": "Premium Residential Proxy", "promo_code": "SAVE10"})),
        None
    );
    assert_eq!(
        prob(json!({"product": "Standart Residential Proxy", "cycle": "monthly"})).as_deref(),
        Some("cycle")
    );
    assert_eq!(
        prob(json!({"product": "Premium Residential Proxy", "location": "DE"})).as_deref(),
        Some("location")
    );
    assert_eq!(
        prob(json!({"product": "Premium Residential Proxy", "auto_renewal": true})).as_deref(),
        Some("auto_renewal")
    );
    // The values the catalogue and orders show for these packages (`cycles: ["lifetime"]`,
    // `auto_renewal: false`) are accepted, and the request is the vendor's documented variant
    // (`PurchaseRequestResidentialStandard/Premium`: no `cycle`, no `auto_renewal`).
    for product in ["Standart Residential Proxy", "Premium Residential Proxy"] {
        let v =
            json!({"product": product, "quantity": 1, "cycle": "lifetime", "auto_renewal": false});
        assert_eq!(prob(v.clone()), None, "{product}");
        assert_eq!(
            build(&p::<PurchaseOrderParams>(v)).json_body().unwrap(),
            json!({"product": product, "quantity": 1})
        );
        let q = p::<QuoteOrderParams>(json!({"product": product, "cycle": "lifetime"}));
        assert_eq!(problem(&q), None);
        let url = build(&q).url;
        assert!(!url.contains("cycle"), "{url}");
    }
    // Unmetered: cycle, no quantity.
    assert_eq!(
        prob(
            json!({"product": "Unmetered Residential proxy", "cycle": "monthly", "auto_renewal": true})
        ),
        None
    );
    assert_eq!(
        prob(json!({"product": "Unmetered Residential proxy"})).as_deref(),
        Some("cycle")
    );
    assert_eq!(
        prob(json!({"product": "Unmetered Residential proxy", "cycle": "monthly", "quantity": 2}))
            .as_deref(),
        Some("quantity")
    );
    // Any other product: cycle.
    assert_eq!(
        prob(json!({"product": "Mobile Proxy Plan Name", "cycle": "day", "quantity": 1})),
        None
    );
    assert_eq!(
        prob(json!({"product": "Residential Proxy NEW", "location": "DE"})).as_deref(),
        Some("cycle")
    );
    // quantity ≥ 1, addons {addon_key, qty ≥ 1}, product non-empty.
    assert_eq!(
        prob(json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "quantity": 0}))
            .as_deref(),
        Some("quantity")
    );
    assert_eq!(
        prob(json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "addons": [{"addon_key": "p0f_slots", "qty": 0}]})).as_deref(),
        Some("addons[0].qty")
    );
    assert_eq!(
        prob(json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "addons": [{"addon_key": "", "qty": 1}]})).as_deref(),
        Some("addons[0].addon_key")
    );
    assert_eq!(
        prob(json!({"product": " ", "cycle": "x"})).as_deref(),
        Some("product")
    );
    for bad in [
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "addons": [{"addon_key": "p0f_slots"}]}),
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "addons": [{"addon_key": "p0f_slots", "qty": 1, "price": 3}]}),
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "quantity": 1.5}),
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly", "qty": 1}),
        json!({"location": "US"}),
    ] {
        assert!(PurchaseOrderParams::from_json(&bad).is_err(), "{bad}");
    }
    // Quote follows the same rules, and has no auto_renewal.
    assert_eq!(
        problem(&p::<QuoteOrderParams>(
            json!({"product": "Datacenter Proxy", "cycle": "monthly"})
        ))
        .as_deref(),
        Some("location")
    );
    assert!(QuoteOrderParams::from_json(
        &json!({"product": "X", "cycle": "c", "auto_renewal": true})
    )
    .is_err());
    assert!(QuoteOrderParams::from_json(
        &json!({"product": "X", "cycle": "c", "addons_json": "[]"})
    )
    .is_err());
}

#[test]
fn list_and_id_rules() {
    let lo = |v: Value| problem(&p::<ListOrdersParams>(v));
    for s in ["active", "on-hold", "cancelled", "all"] {
        assert_eq!(lo(json!({"status": s})), None);
    }
    assert_eq!(lo(json!({"status": "expired"})).as_deref(), Some("status"));
    assert_eq!(lo(json!({"status": "all", "limit": 100})), None);
    assert_eq!(
        lo(json!({"status": "all", "limit": 101})).as_deref(),
        Some("limit")
    );
    assert_eq!(
        lo(json!({"status": "all", "limit": 0})).as_deref(),
        Some("limit")
    );
    assert!(ListOrdersParams::from_json(&json!({"status": "all", "offset": -1})).is_err());
    assert!(
        ListOrdersParams::from_json(&json!({})).is_err(),
        "status is required"
    );
    assert_eq!(
        problem(&p::<GetOrderParams>(json!({"id": 0}))).as_deref(),
        Some("id")
    );
    assert!(GetOrderParams::from_json(&json!({"id": "7"})).is_err());
    assert!(
        GetOrderParams::from_json(&json!({"order_id": 7})).is_err(),
        "getOrder's path field is `id`"
    );
    // listSubUsers' limit: the docs give a default (20) but no minimum: 0 is a hint.
    let zero = p::<ListSubUsersParams>(json!({"proxy_type": "premium", "limit": 0}));
    assert_eq!(problem(&zero), None);
    assert_eq!(hint_fields(&zero), ["limit"]);
}

#[test]
fn datacenter_isp_rules() {
    let sig = |v: Value| problem(&p::<SetP0fSignaturesParams>(v));
    assert_eq!(
        sig(json!({"order_id": 1, "items": [{"ip": "2001:db8::1", "signature": "ios"}]})),
        None
    );
    // `items` is required, with no documented minimum length: empty is a hint.
    let empty = p::<SetP0fSignaturesParams>(json!({"order_id": 1, "items": []}));
    assert_eq!(problem(&empty), None);
    assert_eq!(hint_fields(&empty), ["items"]);
    assert_eq!(
        sig(json!({"order_id": 1, "items": [{"ip": "x", "signature": "ios"}]})).as_deref(),
        Some("items[0].ip")
    );
    assert_eq!(
        sig(json!({"order_id": 1, "items": [{"ip": "192.0.2.1", "signature": "windows"}]}))
            .as_deref(),
        Some("items[0].signature")
    );
    assert!(SetP0fSignaturesParams::from_json(&json!({"order_id": 1})).is_err());
    let del = |v: Value| problem(&p::<SetPerIpDeletionParams>(v));
    assert_eq!(
        del(json!({"order_id": 1, "items": [{"ip": "192.0.2.1", "value": false}]})),
        None
    );
    assert_eq!(
        del(json!({"order_id": 1, "items": [{"ip": "nope", "value": true}]})).as_deref(),
        Some("items[0].ip")
    );
    assert!(SetPerIpDeletionParams::from_json(
        &json!({"order_id": 1, "items": [{"ip": "192.0.2.1", "value": "yes"}]})
    )
    .is_err());
    // Add-ons.
    assert_eq!(
        problem(&p::<QuoteAddonParams>(
            json!({"order_id": 1, "addon_key": "p0f_slots", "add_qty": 0})
        ))
        .as_deref(),
        Some("add_qty")
    );
    assert_eq!(
        problem(&p::<PurchaseAddonParams>(
            json!({"order_id": 1, "addon_key": "", "add_qty": 1})
        ))
        .as_deref(),
        Some("addon_key")
    );
    assert_eq!(
        problem(&p::<PurchaseAddonParams>(
            json!({"order_id": 1, "addon_key": "future_addon", "add_qty": 1})
        )),
        None,
        "unknown keys are passed through"
    );
    let sched = |v: Value| p::<ScheduleAddonDowngradeParams>(v);
    assert_eq!(
        problem(&sched(
            json!({"order_id": 1, "addon_key": "p0f_slots", "next_qty": 0})
        ))
        .as_deref(),
        Some("next_qty")
    );
    assert_eq!(
        problem(&sched(
            json!({"order_id": 1, "addon_key": "p0f_slots", "action": "cancel", "next_qty": 1})
        ))
        .as_deref(),
        Some("action")
    );
    let order = serde_json::from_str::<Value>(&read("replies/getOrder.json")).unwrap();
    let current = order["order"]["addons"][0]["qty"].as_i64().unwrap();
    let at = |n: u64| {
        problem(
            &sched(json!({"order_id": 1, "addon_key": "p0f_slots", "next_qty": n}))
                .with_order(&order),
        )
    };
    assert_eq!(at(current as u64 - 1), None);
    assert_eq!(
        at(current as u64).as_deref(),
        Some("next_qty"),
        "must be below the current {current}"
    );
    assert_eq!(
        problem(&sched(
            json!({"order_id": 1, "addon_key": "p0f_slots", "next_qty": 99})
        )),
        None,
        "unknown current: not checked"
    );
    // Auto-renewal needs a boolean; billing cycle a cycle; tag a tag.
    assert!(SetAutoRenewalParams::from_json(&json!({"order_id": 1})).is_err());
    assert!(
        SetAutoRenewalParams::from_json(&json!({"order_id": 1, "auto_renewal": "true"})).is_err()
    );
    assert!(ChangeBillingCycleParams::from_json(&json!({"order_id": 1})).is_err());
    assert_eq!(
        problem(&p::<ChangeBillingCycleParams>(
            json!({"order_id": 1, "cycle": ""})
        ))
        .as_deref(),
        Some("cycle")
    );
    assert!(SetOrderTagParams::from_json(&json!({"id": 1})).is_err());
    assert_eq!(
        problem(&p::<SetOrderTagParams>(json!({"id": 1, "tag": "none"}))),
        None
    );
}

#[test]
fn residential_rules() {
    for t in ["standart", "premium", "unlimited"] {
        assert_eq!(
            problem(&p::<GetResidentialProfileParams>(json!({"proxy_type": t}))),
            None
        );
    }
    assert_eq!(
        problem(&p::<GetResidentialProfileParams>(
            json!({"proxy_type": "standard"})
        ))
        .as_deref(),
        Some("proxy_type")
    );
    let cs = |v: Value| problem(&p::<CreateSubUserParams>(v));
    assert_eq!(
        cs(json!({"proxy_type": "premium", "name": "a", "data": 1})),
        None
    );
    // `data` is "integer GB" with no documented minimum: 0 is a hint.
    let zero = p::<CreateSubUserParams>(json!({"proxy_type": "premium", "name": "a", "data": 0}));
    assert_eq!(problem(&zero), None);
    assert_eq!(hint_fields(&zero), ["data"]);
    assert_eq!(
        cs(json!({"proxy_type": "premium", "name": "", "data": 1})).as_deref(),
        Some("name")
    );
    assert!(CreateSubUserParams::from_json(
        &json!({"proxy_type": "premium", "name": "a", "data": 0.5})
    )
    .is_err());
    let tr = |v: Value| problem(&p::<AddSubUserTraffic>(v));
    assert_eq!(
        tr(json!({"user_id": "u", "proxy_type": "premium", "data": 0})),
        None
    );
    let zero =
        p::<SubUserTrafficParams>(json!({"user_id": "u", "proxy_type": "premium", "data": 0}));
    assert_eq!(hint_fields(&zero), ["data"]);
    assert_eq!(
        tr(json!({"user_id": "", "proxy_type": "premium", "data": 1})).as_deref(),
        Some("user_id")
    );
    assert!(GetSubUserParams::from_json(&json!({"user_id": 5, "proxy_type": "premium"})).is_err());
    assert!(
        DeleteSubUserParams::from_json(&json!({"user_id": "u", "proxy_type": "premium"})).is_err(),
        "no proxy_type on DELETE"
    );
    // Geo: codes required per level; ISPs are premium only.
    assert_eq!(problem(&p::<ListIspsParams>(json!({"proxy_type": "standart", "country_code": "de", "region_code": "be", "city_code": "b"}))).as_deref(), Some("proxy_type"));
    assert!(
        ListCitiesParams::from_json(&json!({"proxy_type": "premium", "country_code": "de"}))
            .is_err()
    );
    assert!(
        ListCountriesParams::from_json(&json!({"proxy_type": "premium", "country_code": "de"}))
            .is_err(),
        "unknown for countries"
    );
    assert_eq!(
        problem(&p::<ListRegionsParams>(
            json!({"proxy_type": "premium", "country_code": ""})
        ))
        .as_deref(),
        Some("country_code")
    );
}

#[test]
fn vendor_errors_keep_status_and_message() {
    let e = GetMeParams {}
        .parse(&HttpResponse::new(
            403,
            r#"{"success":false,"message":"Cycle not available"}"#,
        ))
        .unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert_eq!(
        e.to_string(),
        "getMe: the API answered 403: Cycle not available"
    );
    let e = RenewOrderParams { id: 1 }
        .parse(&HttpResponse::new(
            400,
            r#"{"success":false,"message":"Only on-hold orders can be renewed"}"#,
        ))
        .unwrap_err();
    assert_eq!(e.code(), "api");
    assert_eq!(e.status(), Some(400));
    let e = GetMeParams {}
        .parse(&HttpResponse::new(500, ""))
        .unwrap_err();
    assert_eq!(e.code(), "server_error");
}

/// The operations that are data (`checks: data` in `spec/overlay.yaml`) run by two paths:
/// the typed params (`FromJson`, `Validate`, `Endpoint::build`: what Rust callers use) and
/// the interpreter alone (`proxykit::wire::build`: what the wasm client runs). Both must
/// give the same request or the same error for every params value, valid or not: each
/// operation's canonical call, its `wrong` rows, and the call with each field left out,
/// renamed to camelCase, or set to values of every JSON type and edge (empty, dot
/// segments, 0, −1, fractions, 2^53 + 1, another vendor value).
#[test]
fn data_operations_give_the_same_request_or_error_by_both_paths() {
    let calls: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/calls.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let edge = [
        json!(null),
        json!("x"),
        json!(""),
        json!(" "),
        json!(" padded "),
        json!("."),
        json!("%2E%2e"),
        json!("premium"),
        json!("a/b?c#d"),
        json!(-1),
        json!(0),
        json!(1),
        json!(1.5),
        json!(9007199254740993u64),
        json!(true),
        json!([]),
        json!({}),
    ];
    let show = |r: Result<HttpRequest, proxykit::Error>| match r {
        Ok(q) => format!(
            "{} {} {:?} {:?}",
            q.method.as_str(),
            q.url,
            q.headers,
            q.body
        ),
        Err(e) => format!("{} {e}", e.code()),
    };
    let mut compared = 0;
    assert_eq!(wire::ALL.len(), 27, "the operations that are data");
    for w in wire::ALL {
        let row = &calls["proxyshard"][w.op];
        let call = row["params"].clone();
        let mut variants = vec![call.clone(), Value::Null, json!([]), json!({"extra": 1})];
        variants.extend(
            row["wrong"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x[0].clone()),
        );
        for k in call.as_object().unwrap().keys() {
            let mut without = call.clone();
            without.as_object_mut().unwrap().remove(k);
            let mut camel = without.clone();
            let c: String = k
                .split('_')
                .enumerate()
                .map(|(i, s)| match i {
                    0 => s.to_owned(),
                    _ => s[..1].to_uppercase() + &s[1..],
                })
                .collect();
            camel[c.as_str()] = call[k.as_str()].clone();
            variants.push(without);
            variants.push(camel);
            for x in &edge {
                let mut v = call.clone();
                v[k.as_str()] = x.clone();
                variants.push(v);
            }
        }
        for v in &variants {
            let typed = proxykit::spec::proxyshard::exercise(w.op, v, &cfg(), None)
                .unwrap_or_else(|| panic!("{}: not an operation", w.op));
            let data = proxykit::wire::build(w, v, &cfg());
            assert_eq!(show(typed), show(data), "{} {v}", w.op);
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared}");
}
