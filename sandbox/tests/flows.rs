//! The sandbox driven through proxykit's own client (in-process transport): realistic flows
//! on both providers, the documented errors, the clock, determinism, faults and the log.
//! Every 2xx reply here is decoded and checked by the SDK's reply schemas.

use std::cell::RefCell;

use proxykit::client::{CallOptions, Client};
use proxykit::config::{ClientConfig, ConfigInput};
use proxykit::endpoint::Endpoint;
use proxykit::error::Error;
use proxykit::http::{HttpRequest, HttpResponse};
use proxykit::json::FromJson;
use proxykit::transport::mock::block_on;
use proxykit::transport::Transport;
use proxykit::{proxy_solutions as psv, proxyshard as sh};
use proxykit_sandbox::{Options, Reply, Request, Sandbox};
use serde_json::{json, Value};

const PS_KEY: &str = "sandbox-ps-key";
const SHARD_KEY: &str = "sandbox-shard-key";
const ORIGIN: &str = "http://127.0.0.1:8787";

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
        if out.drop {
            return Err(Error::network("connection dropped"));
        }
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

fn client(
    key: Option<&str>,
    base: &str,
    defaults: proxykit::config::Defaults,
    sb: Sandbox,
) -> Client<InProcess> {
    let cfg = ClientConfig::from_input(
        ConfigInput {
            api_key: key.map(String::from),
            base_url: Some(base.into()),
            ..Default::default()
        },
        defaults,
    )
    .unwrap();
    Client::new(cfg, InProcess(RefCell::new(sb)))
}

fn ps(sb: Sandbox) -> Client<InProcess> {
    client(Some(PS_KEY), &format!("{ORIGIN}/api"), psv::DEFAULTS, sb)
}

fn shard(sb: Sandbox) -> Client<InProcess> {
    client(Some(SHARD_KEY), ORIGIN, sh::DEFAULTS, sb)
}

/// Calls an operation with JSON params; the reply is checked by the SDK and returned as JSON.
fn call<E: Endpoint + FromJson>(c: &Client<InProcess>, params: Value) -> Result<Value, Error> {
    let e = E::from_json(&params).unwrap_or_else(|e| panic!("params {params}: {e}"));
    block_on(c.call_json(&e, CallOptions::default())).expect("in-process calls never wait")
}

fn ok<E: Endpoint + FromJson>(c: &Client<InProcess>, params: Value) -> Value {
    call::<E>(c, params.clone()).unwrap_or_else(|e| panic!("{} {params}: {e}", E::OPERATION))
}

fn err<E: Endpoint + FromJson>(c: &Client<InProcess>, params: Value) -> Error {
    match call::<E>(c, params.clone()) {
        Ok(v) => panic!("{} {params}: expected an error, got {v}", E::OPERATION),
        Err(e) => e,
    }
}

fn control(c: &Client<InProcess>, method: &str, path: &str, body: Value) -> Value {
    let mut req = Request::new(method, &format!("{ORIGIN}/__sandbox{path}"));
    if !body.is_null() {
        req = req.json(&body);
    }
    let r = c.transport().0.borrow_mut().handle(&req).reply;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.value()
}

fn raw(sb: &mut Sandbox, req: Request) -> Reply {
    sb.handle(&req).reply
}

// ------------------------------------------------------------------ Proxy-Solutions

#[test]
fn proxy_solutions_reseller_flow() {
    use psv::endpoints::*;
    let c = ps(Sandbox::default());

    let services = ok::<ListServicesParams>(&c, json!({}));
    let city = services["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "city")
        .unwrap();
    assert_eq!(city["id"], 4);
    let locs = ok::<ListServiceLocationsParams>(&c, json!({"service_id": 4}));
    assert!(locs["locations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == 24));

    let price = ok::<CalculatePriceParams>(
        &c,
        json!({"service_id": 4, "location_id": 24, "quantity": 2, "period": 60, "promocode": "PSPromo"}),
    );
    assert_eq!(price["amount"], 7.24);
    assert_eq!(price["discount"], 10);
    assert_eq!(price["payer_amount"], 6.52);

    let created = ok::<CreateOrderParams>(
        &c,
        json!({"service_id": 4, "location_id": 24, "quantity": 2, "period": 60}),
    );
    let order = &created["orders"][0];
    assert_eq!(order["status"], "waiting");
    assert_eq!(order["resources_allocated"], false);
    assert!(order.get("access").is_none());
    let id = order["id"].as_u64().unwrap();

    let paid = ok::<ChargeOrderParams>(
        &c,
        json!({"order_id": id, "merchant": "balance", "currency": "USD", "promocode": "PSPromo"}),
    );
    assert_eq!(paid["payment"]["merchant"], "balance");
    assert_eq!(paid["payment"]["payer_amount"], 6.52);
    assert!(paid["payment"].get("url").is_none());

    let list = ok::<ListOrdersParams>(&c, json!({"currency": "EUR"}));
    assert_eq!(list["currency"], "EUR");
    let mine = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap();
    assert_eq!(mine["status"], "active");
    assert_eq!(mine["proxies"].as_array().unwrap().len(), 2);
    let old_password = mine["access"]["password"].clone();

    let changed = ok::<ChangeOrderParams>(
        &c,
        json!({"order_id": id, "gen_password": true, "ip_auth": ["203.0.113.5"], "port": 8100}),
    );
    let access = &changed["order"]["access"];
    assert_ne!(access["password"], old_password);
    assert_eq!(access["ip_list"], json!(["203.0.113.5"]));
    assert_eq!(access["port"], 8100);
    let cleared = ok::<ChangeOrderParams>(&c, json!({"order_id": id, "ip_auth": "clear"}));
    assert_eq!(cleared["order"]["access"]["ip_list"], json!([]));

    // Active orders change only access data (rule 3): the SDK does not know the order's
    // state, so the vendor's 422 comes back with its field.
    let e = err::<ChangeOrderParams>(&c, json!({"order_id": id, "quantity": 3}));
    assert_eq!(e.code(), "validation_failed");
    assert_eq!(e.field_errors()[0].0, "quantity");

    // 61 days later the order has expired into `waiting`; resize it (rule 4), then pay
    // through a payment link, which the sandbox completes at /__sandbox/pay/{id}.
    control(&c, "POST", "/advance", json!({"days": 61}));
    let list = ok::<ListOrdersParams>(&c, json!({}));
    let mine = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(mine["status"], "waiting");
    let first_ip = mine["proxies"][0]["ip"].as_str().unwrap().to_string();
    let resized = ok::<ChangeOrderParams>(
        &c,
        json!({"order_id": id, "remove_proxies": [first_ip], "quantity": 4}),
    );
    let ips: Vec<&str> = resized["order"]["proxies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips.len(), 4);
    assert!(!ips.contains(&first_ip.as_str()));
    let link = ok::<ChargeOrderParams>(
        &c,
        json!({"order_id": id, "merchant": "interkassa", "currency": "UAH"}),
    );
    let url = link["payment"]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{ORIGIN}/__sandbox/pay/")),
        "{url}"
    );
    let pid = url.rsplit('/').next().unwrap();
    assert_eq!(
        control(&c, "GET", &format!("/pay/{pid}"), Value::Null)["paid"],
        true
    );
    let list = ok::<ListOrdersParams>(&c, json!({}));
    assert_eq!(
        list["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()["status"],
        "active"
    );
}

#[test]
fn proxy_solutions_mobile_operations_and_top_up() {
    use psv::endpoints::*;
    let c = ps(Sandbox::default());
    let created = ok::<CreateOrderParams>(
        &c,
        json!({"service_id": 9, "location_id": 30, "quantity": 2, "period": 7}),
    );
    let id = created["orders"][0]["id"].as_u64().unwrap();
    assert_eq!(created["orders"][0]["allowed_operations"], json!([]));
    let e = err::<PerformOrderOperationParams>(
        &c,
        json!({"order_id": id, "operation": "channels-reset"}),
    );
    assert_eq!(e.code(), "validation_failed");
    ok::<ChargeOrderParams>(
        &c,
        json!({"order_id": id, "merchant": "balance", "currency": "USD"}),
    );
    let r = ok::<PerformOrderOperationParams>(
        &c,
        json!({"order_id": id, "operation": "channels-relocate", "location_id": 31}),
    );
    assert_eq!(r["operation_status"], "complete");
    assert_eq!(r["order"]["location"]["id"], 31);
    assert!(r["order"]["allowed_operations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o == "channels-relocate"));
    ok::<PerformOrderOperationParams>(
        &c,
        json!({"order_id": id, "operation": "channels-set-autoreset", "interval": 300}),
    );

    let top = ok::<ChargeUserBalanceParams>(
        &c,
        json!({"merchant": "freekassa", "currency": "RUB", "amount": 50}),
    );
    assert_eq!(top["payment"]["payer_amount"], 4625.0);
    assert!(top["payment"]["url"]
        .as_str()
        .unwrap()
        .contains("/__sandbox/pay/"));
}

#[test]
fn proxy_solutions_documented_errors() {
    use psv::endpoints::*;
    let mut sb = Sandbox::default();
    // 401 without a key, 404 for an unknown order: no body (none is documented).
    let r = raw(&mut sb, Request::new("GET", "http://x/api/user/orders"));
    assert_eq!((r.status, r.body.as_str()), (401, ""));
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/user/orders/999999")
            .header("X-API-KEY", PS_KEY)
            .json(&json!({})),
    );
    assert_eq!((r.status, r.body.as_str()), (404, ""));
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/services/77/price").json(&json!({})),
    );
    assert_eq!(r.status, 404);
    // 422 Laravel-style, every field at once.
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/user/orders")
            .header("X-API-KEY", PS_KEY)
            .json(&json!({"service_id": 4, "location_id": 1, "quantity": 51, "period": 7})),
    );
    assert_eq!(r.status, 422);
    let v = r.value();
    assert_eq!(
        v["message"],
        "The selected location id is invalid. (and 2 more errors)"
    );
    assert_eq!(
        v["errors"]["quantity"],
        json!(["The quantity may not be greater than 50."])
    );
    assert_eq!(
        v["errors"]["period"],
        json!(["The selected period is invalid."])
    );
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/services/5/price").json(&json!({"quantity": 12})),
    );
    assert_eq!(r.status, 422);
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/services/4/price").json(&json!({"promocode": "NOPE"})),
    );
    assert_eq!(
        r.value()["errors"]["promocode"],
        json!(["The selected promocode is invalid."])
    );
    // Balance payments need the key; a short balance is a 422.
    let r = raw(
        &mut sb,
        Request::new("POST", "http://x/api/user/orders/10000/charge")
            .json(&json!({"merchant": "balance", "currency": "USD"})),
    );
    assert_eq!(r.status, 401);
    let c = client(
        Some(PS_KEY),
        &format!("{ORIGIN}/api"),
        psv::DEFAULTS,
        Sandbox::new(
            Options::from_json(
                r#"{"proxySolutions":{"accounts":[{"apiKey":"sandbox-ps-key","balance":1}]}}"#,
            )
            .unwrap(),
        ),
    );
    let created = ok::<CreateOrderParams>(
        &c,
        json!({"service_id": 1, "location_id": 1, "quantity": 10}),
    );
    let e = err::<ChargeOrderParams>(
        &c,
        json!({"order_id": created["orders"][0]["id"], "merchant": "balance", "currency": "USD"}),
    );
    assert_eq!(e.code(), "validation_failed");
    // A wrong key is a typed 401 through the SDK.
    let wrong = client(
        Some("not-the-key"),
        &format!("{ORIGIN}/api"),
        psv::DEFAULTS,
        Sandbox::default(),
    );
    assert_eq!(
        err::<ListOrdersParams>(&wrong, json!({})).code(),
        "unauthorized"
    );
}

// ------------------------------------------------------------------------ ProxyShard

#[test]
fn proxyshard_reseller_flow() {
    use sh::endpoints::*;
    let c = shard(Sandbox::default());
    let me = ok::<GetMeParams>(&c, json!({}));
    assert_eq!(me["wallet_balance"], 10_000);
    assert_eq!(me["active_orders"], 1);
    let products = ok::<ListProductsParams>(&c, json!({}));
    assert!(products["products"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Datacenter Proxy" && p["location"] == "DE"));

    let quote = ok::<QuoteOrderParams>(
        &c,
        json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 4, "promo_code": "SAVE10", "addons": [{"addon_key": "p0f_slots", "qty": 2}]}),
    );
    assert_eq!(
        quote,
        json!({"original_price": 600, "final_price": 540, "discount_percent": 10, "addons_price": 60, "total_with_addons": 600})
    );
    let bought = ok::<PurchaseOrderParams>(
        &c,
        json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 4, "promo_code": "SAVE10", "addons": [{"addon_key": "p0f_slots", "qty": 2}]}),
    );
    let id = bought["order_id"].as_u64().unwrap();
    assert_eq!(ok::<GetMeParams>(&c, json!({}))["wallet_balance"], 9_400);

    ok::<SetOrderTagParams>(&c, json!({"id": id, "tag": "shop-42"}));
    let proxies = ok::<ListActiveProxiesParams>(&c, json!({"order_id": id}));
    assert_eq!(proxies["order_tag"], "shop-42");
    let ips: Vec<String> = proxies["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ip"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ips.len(), 4);

    // Two slots: two IPs can be signed, switching one's OS is free, a third needs a slot.
    let set = ok::<SetP0fSignaturesParams>(
        &c,
        json!({"order_id": id, "items": [{"ip": ips[0], "signature": "win11"}, {"ip": ips[1], "signature": "macos"}]}),
    );
    assert_eq!(set["updated"], 2);
    ok::<SetP0fSignaturesParams>(
        &c,
        json!({"order_id": id, "items": [{"ip": ips[0], "signature": "linux"}]}),
    );
    let e = err::<SetP0fSignaturesParams>(
        &c,
        json!({"order_id": id, "items": [{"ip": ips[2], "signature": "ios"}]}),
    );
    assert_eq!(
        (e.code(), e.to_string().contains("p0f slots")),
        ("api", true),
        "{e}"
    );
    ok::<PurchaseAddonParams>(
        &c,
        json!({"order_id": id, "addon_key": "p0f_slots", "add_qty": 1}),
    );
    ok::<SetP0fSignaturesParams>(
        &c,
        json!({"order_id": id, "items": [{"ip": ips[2], "signature": "ios"}]}),
    );
    let detail = ok::<GetOrderParams>(&c, json!({"id": id}));
    assert_eq!(
        (
            detail["order"]["p0f_slots_available"].as_i64(),
            detail["order"]["p0f_slots_used"].as_i64()
        ),
        (Some(3), Some(3))
    );

    // Downgrade at renewal, cancel it, schedule again.
    let s = ok::<ScheduleAddonDowngradeParams>(
        &c,
        json!({"order_id": id, "addon_key": "p0f_slots", "next_qty": 1}),
    );
    assert_eq!(
        s["addons"][0]["pending"],
        json!({"action": "downgrade", "next_qty": 1})
    );
    ok::<CancelAddonDowngradeParams>(&c, json!({"order_id": id, "addon_key": "p0f_slots"}));
    ok::<ScheduleAddonDowngradeParams>(
        &c,
        json!({"order_id": id, "addon_key": "p0f_slots", "next_qty": 2}),
    );

    // Renew works only on hold: after the month the order is on hold, renewing applies the
    // downgrade.
    let e = err::<RenewOrderParams>(&c, json!({"id": id}));
    assert!(e.to_string().contains("on-hold"), "{e}");
    control(&c, "POST", "/advance", json!({"days": 31}));
    assert_eq!(
        ok::<GetOrderParams>(&c, json!({"id": id}))["order"]["status"],
        "on-hold"
    );
    ok::<RenewOrderParams>(&c, json!({"id": id}));
    let detail = ok::<GetOrderParams>(&c, json!({"id": id}));
    assert_eq!(detail["order"]["status"], "active");
    assert_eq!(detail["order"]["p0f_slots_available"], 2);

    // Auto-renewal charges the wallet at the end of the period; without money → on hold,
    // and 3 days later cancelled.
    ok::<SetAutoRenewalParams>(&c, json!({"order_id": id, "auto_renewal": true}));
    let before = ok::<GetMeParams>(&c, json!({}))["wallet_balance"]
        .as_i64()
        .unwrap();
    control(&c, "POST", "/advance", json!({"days": 30}));
    let after = ok::<GetMeParams>(&c, json!({}))["wallet_balance"]
        .as_i64()
        .unwrap();
    assert_eq!(before - after, 540 + 2 * 30);
    ok::<SetAutoRenewalParams>(&c, json!({"order_id": id, "auto_renewal": false}));
    control(&c, "POST", "/advance", json!({"days": 34}));
    assert_eq!(
        ok::<GetOrderParams>(&c, json!({"id": id}))["order"]["status"],
        "cancelled"
    );

    // Paging: 24 cancelled + the seeded active + this order = 26 orders, newest first.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page =
            ok::<ListOrdersParams>(&c, json!({"status": "all", "offset": offset, "limit": 10}));
        seen.extend(
            page["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["order_id"].as_u64().unwrap()),
        );
        if page["next"].is_null() {
            break;
        }
        assert_eq!(
            page["next"],
            format!(
                "{ORIGIN}/user/api/orders?status=all&offset={}&limit=10",
                offset + 10
            )
        );
        offset += 10;
    }
    assert_eq!(seen.len(), 26);
    assert_eq!(seen[0], id);
}

#[test]
fn proxyshard_rules_the_vendor_enforces() {
    use sh::endpoints::*;
    let c = shard(Sandbox::default());
    // DC/ISP-only calls on a residential order.
    let r = ok::<PurchaseOrderParams>(
        &c,
        json!({"product": "Standart Residential Proxy", "quantity": 5}),
    );
    let resi = r["order_id"].as_u64().unwrap();
    assert_eq!(
        err::<ListActiveProxiesParams>(&c, json!({"order_id": resi})).code(),
        "forbidden"
    );
    assert_eq!(
        err::<ChangeBillingCycleParams>(&c, json!({"order_id": resi, "cycle": "monthly"})).code(),
        "api"
    );
    // A cycle listed but not offered to this user → 403.
    let isp = ok::<PurchaseOrderParams>(
        &c,
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly"}),
    );
    assert_eq!(
        err::<ChangeBillingCycleParams>(
            &c,
            json!({"order_id": isp["order_id"], "cycle": "yearly"})
        )
        .code(),
        "forbidden"
    );
    // Cycle-bound promo code dropped on a cycle change.
    let dc = ok::<PurchaseOrderParams>(
        &c,
        json!({"product": "Datacenter Proxy", "location": "US", "cycle": "monthly", "quantity": 2, "promo_code": "MONTHLY15"}),
    );
    let changed =
        ok::<ChangeBillingCycleParams>(&c, json!({"order_id": dc["order_id"], "cycle": "weekly"}));
    assert_eq!(
        (
            changed["original_price"].as_i64(),
            changed["discount_percent"].as_i64()
        ),
        (Some(100), Some(0))
    );
    // del-np must keep one IP.
    let dcid = dc["order_id"].as_u64().unwrap();
    let ips: Vec<String> = ok::<ListActiveProxiesParams>(&c, json!({"order_id": dcid}))["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ip"].as_str().unwrap().to_string())
        .collect();
    let e = err::<SetPerIpDeletionParams>(
        &c,
        json!({"order_id": dcid, "items": [{"ip": ips[0], "value": true}, {"ip": ips[1], "value": true}]}),
    );
    assert!(e.to_string().contains("keep=0"), "{e}");
    ok::<SetPerIpDeletionParams>(
        &c,
        json!({"order_id": dcid, "items": [{"ip": ips[0], "value": true}]}),
    );
    assert_eq!(
        ok::<GetOrderParams>(&c, json!({"id": dcid}))["order"]["quantity"],
        1
    );
    // Wallet and stock.
    let poor = shard(Sandbox::new(Options::from_json(r#"{"proxyShard":{"accounts":[{"apiKey":"sandbox-shard-key","wallet":100,"history":0}]}}"#).unwrap()));
    let e = err::<PurchaseOrderParams>(
        &poor,
        json!({"product": "ISP Proxy", "location": "US", "cycle": "monthly"}),
    );
    assert!(e.to_string().contains("Insufficient balance"), "{e}");
    let e = err::<PurchaseOrderParams>(
        &c,
        json!({"product": "ISP Proxy", "location": "GB", "cycle": "monthly", "quantity": 41}),
    );
    assert!(e.to_string().contains("Not enough stock"), "{e}");
    // 401 body is the vendor's ApiError.
    let mut sb = Sandbox::default();
    let r = raw(
        &mut sb,
        Request::new("GET", "http://x/user/api/me").header("Authorization", "Bearer wrong"),
    );
    assert_eq!(
        (r.status, r.value()),
        (401, json!({"success": false, "message": "Unauthorized"}))
    );
    // Health needs no key.
    let r = raw(&mut sb, Request::new("GET", "http://x/health/live"));
    assert_eq!((r.status, r.body.as_str()), (200, "OK"));
}

#[test]
fn proxyshard_residential_sub_users_and_geo() {
    use sh::endpoints::*;
    let c = shard(Sandbox::default());
    assert_eq!(
        err::<GetResidentialProfileParams>(&c, json!({"proxy_type": "premium"})).code(),
        "api"
    );
    let r = ok::<PurchaseOrderParams>(
        &c,
        json!({"product": "Premium Residential Proxy", "quantity": 10}),
    );
    let order = r["order_id"].as_u64().unwrap();
    let profile = ok::<GetResidentialProfileParams>(&c, json!({"proxy_type": "premium"}));
    assert_eq!(profile["data"], 10i64 << 30);
    let created = ok::<CreateSubUserParams>(
        &c,
        json!({"proxy_type": "premium", "name": "client-a", "data": 3}),
    );
    let uid = created["data"][0]["user_id"].as_str().unwrap().to_string();
    ok::<AddSubUserTraffic>(
        &c,
        json!({"proxy_type": "premium", "user_id": uid, "data": 2}),
    );
    ok::<SubtractSubUserTraffic>(
        &c,
        json!({"proxy_type": "premium", "user_id": uid, "data": 1}),
    );
    ok::<RenameSubUserParams>(
        &c,
        json!({"proxy_type": "premium", "user_id": uid, "name": "client-b"}),
    );
    let before = ok::<GetSubUserParams>(&c, json!({"proxy_type": "premium", "user_id": uid}));
    ok::<RegenerateSubUserPassword>(&c, json!({"proxy_type": "premium", "user_id": uid}));
    let after = ok::<GetSubUserParams>(&c, json!({"proxy_type": "premium", "user_id": uid}));
    assert_eq!(after["data"][0]["first_name"], "client-b");
    assert_eq!(after["data"][0]["data"], 4i64 << 30);
    assert_ne!(
        after["data"][0]["proxy_password"],
        before["data"][0]["proxy_password"]
    );
    let e = err::<CreateSubUserParams>(
        &c,
        json!({"proxy_type": "premium", "name": "greedy", "data": 7}),
    );
    assert!(e.to_string().contains("Not enough traffic"), "{e}");
    ok::<AddBandwidthParams>(&c, json!({"id": order, "amount": 5}));
    ok::<CreateSubUserParams>(
        &c,
        json!({"proxy_type": "premium", "name": "greedy", "data": 7}),
    );
    // Traffic is spent as the clock moves (50 MB a day per holder).
    control(&c, "POST", "/advance", json!({"days": 2}));
    let list = ok::<ListSubUsersParams>(&c, json!({"proxy_type": "premium", "limit": 1}));
    assert_eq!(list["count"], 2);
    assert_eq!(list["data"][0]["data_spent"], 100i64 << 20);
    ok::<DeleteSubUserParams>(&c, json!({"user_id": uid}));
    assert_eq!(
        ok::<ListSubUsersParams>(&c, json!({"proxy_type": "premium"}))["count"],
        1
    );

    let regions =
        ok::<ListRegionsParams>(&c, json!({"proxy_type": "premium", "country_code": "de"}));
    assert_eq!(regions["count"], 2);
    let isps = ok::<ListIspsParams>(
        &c,
        json!({"proxy_type": "premium", "country_code": "de", "region_code": "be", "city_code": "berlin"}),
    );
    assert_eq!(isps["count"], 2);
    // The SDK refuses a non-premium ISP list locally; the sandbox refuses it too.
    let local = ListIspsParams::from_json(&json!({"proxy_type": "standart", "country_code": "de", "region_code": "be", "city_code": "berlin"})).unwrap();
    assert_eq!(local.problems().0[0].field, "proxy_type");
    let r = c.transport().0.borrow_mut().handle(&Request::new("GET", "http://x/user/api/proxies/isps?proxy_type=standart&country_code=de&region_code=be&city_code=berlin").header("Authorization", &format!("Bearer {SHARD_KEY}"))).reply;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("premium package only"), "{}", r.body);
}

// ------------------------------------------------------------- sandbox machinery

#[test]
fn the_same_seed_gives_the_same_world() {
    let run = |seed: u64| {
        let mut sb = Sandbox::new(Options {
            seed,
            ..Options::default()
        });
        let buy = Request::new("POST", "http://x/user/api/orders/purchase")
            .header("Authorization", &format!("Bearer {SHARD_KEY}"))
            .json(&json!({"product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "quantity": 3}));
        let id = sb.handle(&buy).reply.value()["order_id"].clone();
        let list = Request::new(
            "GET",
            &format!("http://x/user/api/proxies/active?order_id={id}"),
        )
        .header("Authorization", &format!("Bearer {SHARD_KEY}"));
        let ps = Request::new("GET", "http://x/api/user/orders").header("X-API-KEY", PS_KEY);
        (sb.handle(&list).reply.body, sb.handle(&ps).reply.body)
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).0, run(8).0);
    assert_ne!(run(7).1, run(8).1);
}

#[test]
fn faults_are_injected_logged_and_counted() {
    let opts =
        Options::from_json(r#"{"faults": {"rate": 1, "kinds": ["503"], "operations": ["getMe"]}}"#)
            .unwrap();
    let mut sb = Sandbox::new(opts);
    let me = || {
        Request::new("GET", "http://x/user/api/me")
            .header("Authorization", &format!("Bearer {SHARD_KEY}"))
    };
    assert_eq!(sb.handle(&me()).reply.status, 503);
    // Other operations are untouched.
    let products = Request::new("GET", "http://x/user/api/proxies/products")
        .header("Authorization", &format!("Bearer {SHARD_KEY}"));
    assert_eq!(sb.handle(&products).reply.status, 200);
    // The header forces a fault whatever the rate.
    let out = sb.handle(&products.clone().header("x-sandbox-fault", "drop-after"));
    assert!(out.drop);
    let out = sb.handle(&products.clone().header("x-sandbox-fault", "429"));
    assert_eq!(out.reply.status, 429);
    assert!(out
        .reply
        .headers
        .iter()
        .any(|(k, v)| k == "retry-after" && v == "1"));
    let out = sb.handle(&products.clone().header("x-sandbox-fault", "truncate"));
    assert!(serde_json::from_str::<Value>(&out.reply.body).is_err());
    let out = sb.handle(&products.clone().header("x-sandbox-fault", "slow"));
    assert_eq!((out.reply.status, out.delay_ms), (200, 3000));
    let out = sb.handle(&products.clone().header("x-sandbox-delay", "250"));
    assert_eq!(out.delay_ms, 250);

    let log = sb
        .handle(&Request::new("GET", "http://x/__sandbox/log"))
        .reply
        .value();
    assert_eq!(
        log["counts"]["proxyShard"]["getMe"],
        json!({"received": 1, "reached": 0})
    );
    assert_eq!(
        log["counts"]["proxyShard"]["listProducts"],
        json!({"received": 6, "reached": 5})
    );
    let faults: Vec<&Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["fault"])
        .collect();
    assert_eq!(
        faults,
        vec![
            &json!("503"),
            &Value::Null,
            &json!("drop-after"),
            &json!("429"),
            &json!("truncate"),
            &json!("slow"),
            &Value::Null
        ]
    );
    assert_eq!(log["entries"][2]["status"], 0);

    // A 20% rate over 1000 calls lands near 200 and repeats exactly for the same seed.
    let count = || {
        let mut sb =
            Sandbox::new(Options::from_json(r#"{"seed": 3, "faults": {"rate": 0.2}}"#).unwrap());
        for _ in 0..1000 {
            sb.handle(&me());
        }
        sb.log().iter().filter(|e| e.fault.is_some()).count()
    };
    let n = count();
    assert!((150..=250).contains(&n), "{n}");
    assert_eq!(n, count());
}

#[test]
fn control_routes_and_options() {
    let mut sb = Sandbox::default();
    let ctl = |sb: &mut Sandbox, m: &str, p: &str, b: Value| {
        let mut r = Request::new(m, &format!("http://127.0.0.1:9/__sandbox{p}"));
        if !b.is_null() {
            r = r.json(&b);
        }
        sb.handle(&r).reply
    };
    let info = ctl(&mut sb, "GET", "/info", Value::Null).value();
    assert_eq!(info["proxySolutions"]["baseUrl"], "http://127.0.0.1:9/api");
    assert_eq!(info["proxyShard"]["apiKeys"], json!([SHARD_KEY]));
    assert_eq!(
        ctl(&mut sb, "GET", "/clock", Value::Null).value()["now"],
        "2026-01-01T00:00:00Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"seconds": 90})).value()["now"],
        "2026-01-01T00:01:30Z"
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/advance", json!({"days": -1})).status,
        400
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/faults", json!({"kinds": ["nope"]})).status,
        400
    );
    assert_eq!(
        ctl(
            &mut sb,
            "POST",
            "/faults",
            json!({"rate": 0.5, "latencyMs": [5, 10]})
        )
        .value()["latencyMs"],
        json!([5, 10])
    );
    assert_eq!(
        ctl(&mut sb, "POST", "/reset", Value::Null).value()["now"],
        "2026-01-01T00:00:00Z"
    );
    // Preflights get an empty 204; the HTTP server adds the CORS headers it allows.
    let pre = sb.handle(&Request::new("OPTIONS", "http://x/user/api/me").header(
        "access-control-request-headers",
        "authorization, content-type",
    ));
    assert_eq!(pre.reply.status, 204);
    assert!(pre.reply.headers.is_empty());
    // Bad options are refused with the key named.
    assert!(Options::from_json(r#"{"sed": 1}"#)
        .unwrap_err()
        .contains("sed"));
    assert!(Options::from_json(r#"{"faults": {"rate": 2}}"#)
        .unwrap_err()
        .contains("rate"));
    assert!(Options::from_json(r#"{"start": "2026-02-30T00:00:00Z"}"#).is_ok());
    // Unknown routes: 404 in each vendor's style.
    assert_eq!(
        sb.handle(&Request::new("GET", "http://x/api/nope"))
            .reply
            .body,
        ""
    );
    assert_eq!(
        sb.handle(&Request::new("GET", "http://x/user/api/nope"))
            .reply
            .value()["success"],
        false
    );
}

#[test]
fn hostile_requests_never_panic() {
    let mut sb = Sandbox::default();
    let bodies = [
        "",
        "null",
        "[]",
        "{",
        "\"x\"",
        "{\"items\": 5}",
        "{\"quantity\": 1e308}",
        "{\"quantity\": -9223372036854775808}",
        "{\"data\": 9223372036854775807}",
        "{\"addons\": [{}]}",
        "{\"amount\": -1e309}",
    ];
    let paths = [
        "/api/user/orders",
        "/api/user/orders/10000",
        "/api/user/orders/10000/charge",
        "/api/user/orders/10000/perform",
        "/api/services/4/price",
        "/api/user/balance/charge",
        "/user/api/orders/purchase",
        "/user/api/orders/1024/del-np/set",
        "/user/api/orders/1024/signature/set",
        "/user/api/orders/1024/addons/purchase",
        "/user/api/orders/1024/addons/schedule",
        "/user/api/orders/1024/add-bandwidth",
        "/user/api/proxies/sub-user?proxy_type=premium",
        "/user/api/orders/calculate?product=Datacenter%20Proxy&quantity=-5&addons_json=%5B1",
        "/user/api/orders?status=all&limit=0&offset=-1",
        "/user/api/orders/99999999999999999999999",
        "/user/api/proxies/sub-user/%ZZ/data/add?proxy_type=premium",
    ];
    let mut n = 0;
    for p in paths {
        for m in ["GET", "POST", "PATCH", "DELETE"] {
            for b in bodies {
                let r = Request::new(m, &format!("http://x{p}"))
                    .header("X-API-KEY", PS_KEY)
                    .header("Authorization", &format!("Bearer {SHARD_KEY}"));
                let r = Request {
                    body: b.to_string(),
                    ..r
                };
                let out = sb.handle(&r);
                assert!(out.reply.status >= 200, "{m} {p} {b}");
                n += 1;
            }
        }
    }
    assert_eq!(n, paths.len() * 4 * bodies.len());
}
