//! The reply schemas (checked in wasm) must agree with the serde models (the typed Rust view
//! and the source of the TypeScript declarations). For every documented reply fixture, each
//! field at every depth is deleted, nulled and replaced with values of other types; the
//! schema and the model must accept or refuse each variant alike.

use proxykit::json::{check, check_text, Ty};
use proxykit::proxy_solutions::models as ps;
use proxykit::proxy_solutions::shapes as ps_shape;
use proxykit::proxyshard::models as shard;
use proxykit::proxyshard::shapes as shard_shape;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The spec's example reply of `op` (`tests/fixtures/calls.json`, generated), if it has one:
/// a new operation's model is checked against it without a fixture file of its own.
fn example(provider: &str, op: &str) -> Vec<Value> {
    let v = fixture("calls.json")[provider][op]["reply"].clone();
    if v.is_null() {
        Vec::new()
    } else {
        vec![v]
    }
}

/// Every path (as a list of keys/indices) to a value inside `v`.
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                at.push(json!(k));
                out.push(at.clone());
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(json!(i));
                out.push(at.clone());
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// `root` with the value at `path` replaced (`None` deletes an object key).
fn mutate(root: &Value, path: &[Value], with: Option<Value>) -> Value {
    let mut copy = root.clone();
    let mut cur = &mut copy;
    for seg in &path[..path.len() - 1] {
        cur = match seg {
            Value::String(k) => cur.get_mut(k.as_str()).unwrap(),
            Value::Number(i) => cur.get_mut(i.as_u64().unwrap() as usize).unwrap(),
            _ => unreachable!(),
        };
    }
    match (path.last().unwrap(), with) {
        (Value::String(k), None) => {
            cur.as_object_mut().unwrap().remove(k.as_str());
        }
        (Value::String(k), Some(w)) => cur[k.as_str()] = w,
        (Value::Number(i), Some(w)) => cur[i.as_u64().unwrap() as usize] = w,
        (Value::Number(_), None) => return copy,
        _ => unreachable!(),
    }
    copy
}

fn path_value<'a>(root: &'a Value, path: &[Value]) -> Option<&'a Value> {
    path.iter().try_fold(root, |cur, seg| match seg {
        Value::String(k) => cur.get(k.as_str()),
        Value::Number(i) => cur.get(i.as_u64()? as usize),
        _ => None,
    })
}

fn agree<T: DeserializeOwned>(name: &str, schema: &Ty, fixtures: &[Value]) -> usize {
    agree_by(name, schema, fixtures, |v| {
        serde_json::from_value::<T>(v.clone()).is_ok()
    })
}

/// [`agree`] with the model's decode as a function (from [`proxykit::spec::Reply`]).
fn agree_by(name: &str, schema: &Ty, fixtures: &[Value], decodes: fn(&Value) -> bool) -> usize {
    let replacements = [
        None,
        Some(Value::Null),
        Some(json!("x")),
        Some(json!(true)),
        Some(json!(1.5)),
        Some(json!(-1)),
        Some(json!(7)),
        Some(json!({})),
        Some(json!([])),
        Some(json!(["x"])),
    ];
    let mut checked = 0;
    for root in fixtures {
        assert!(decodes(root), "{name}: fixture decodes");
        assert_eq!(check(schema, root), Ok(()), "{name}: fixture checks");
        let mut all = Vec::new();
        paths(root, &mut Vec::new(), &mut all);
        for path in &all {
            for with in &replacements {
                let v = mutate(root, path, with.clone());
                let by_serde = decodes(&v);
                let by_schema = check(schema, &v).is_ok();
                // The one-pass text checker gives the same verdict and path as the value one.
                assert_eq!(
                    check_text(schema, &v.to_string()),
                    check(schema, &v),
                    "{name}: check_text vs check at {path:?} := {with:?}"
                );
                // serde-derived structs also accept a positional list (`["10.0.0.1"]` for
                // `{ip}`); the schema follows the docs and wants the object. Only that
                // difference is allowed.
                let original = path_value(root, path);
                if by_serde
                    && !by_schema
                    && original.is_some_and(Value::is_object)
                    && with.as_ref().is_some_and(Value::is_array)
                {
                    continue;
                }
                assert_eq!(
                    by_serde, by_schema,
                    "{name}: at {path:?} := {with:?}: serde {by_serde}, schema {by_schema}"
                );
                checked += 1;
            }
        }
        // Root of the wrong type.
        for wrong in [json!([]), json!("x"), json!(1), json!({})] {
            let by_serde = decodes(&wrong);
            let by_schema = check(schema, &wrong).is_ok();
            // An empty list decodes as a struct of only optional fields in serde (positional form).
            if !(by_serde && !by_schema && wrong == json!([])) {
                assert_eq!(by_serde, by_schema, "{name}: root := {wrong}");
            }
        }
    }
    checked
}

#[test]
fn proxy_solutions_schemas_agree_with_models() {
    let mut n = 0;
    n += agree::<ps::OrdersEnvelope>(
        "OrdersEnvelope",
        &ps_shape::ORDERS_ENVELOPE,
        &[
            vec![
                fixture("proxy_solutions/orders.json"),
                fixture("proxy_solutions/create_order.json"),
            ],
            example("proxy-solutions", "listOrders"),
            example("proxy-solutions", "createOrder"),
        ]
        .concat(),
    );
    n += agree::<ps::OrderEnvelope>(
        "OrderEnvelope",
        &ps_shape::ORDER_ENVELOPE,
        &[fixture("proxy_solutions/change_order.json")],
    );
    n += agree::<ps::PaymentEnvelope>(
        "PaymentEnvelope",
        &ps_shape::PAYMENT_ENVELOPE,
        &[fixture("proxy_solutions/charge_order.json")],
    );
    n += agree::<ps::BalanceChargeReply>(
        "BalanceChargeReply",
        &ps_shape::CHARGE_USER_BALANCE_REPLY,
        &[fixture("proxy_solutions/charge_order.json"), json!({})],
    );
    n += agree::<ps::PerformResponse>(
        "PerformResponse",
        &ps_shape::PERFORM_RESPONSE,
        &[
            vec![fixture("proxy_solutions/perform.json")],
            example("proxy-solutions", "performOrderOperation"),
        ]
        .concat(),
    );
    n += agree::<ps::PriceResponse>(
        "PriceResponse",
        &ps_shape::PRICE_RESPONSE,
        &[
            vec![fixture("proxy_solutions/price.json")],
            example("proxy-solutions", "calculatePrice"),
        ]
        .concat(),
    );
    n += agree::<ps::MerchantList>(
        "MerchantList",
        &ps_shape::MERCHANT_LIST,
        &[
            vec![fixture("proxy_solutions/merchants.json")],
            example("proxy-solutions", "listMerchants"),
        ]
        .concat(),
    );
    assert!(n > 1000, "{n} variants");
}

#[test]
fn proxyshard_schemas_agree_with_models() {
    let r = |op: &str| {
        let dir = format!(
            "{}/tests/fixtures/proxyshard/replies",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut out: Vec<Value> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.split('.').next() == Some(op))
            .map(|n| fixture(&format!("proxyshard/replies/{n}")))
            .collect();
        // The spec's own example (tests/fixtures/calls.json, generated), so an operation
        // needs no fixture file of its own.
        for e in example("proxyshard", op) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        assert!(!out.is_empty(), "{op}");
        out.sort_by_key(|v| v.to_string());
        out
    };
    let mut n = 0;
    n += agree::<shard::MeResponse>(
        "MeResponse",
        &shard_shape::ME_RESPONSE,
        &[fixture("proxyshard/me.json")],
    );
    n += agree::<shard::ApiMessage>(
        "ApiMessage",
        &shard_shape::API_MESSAGE,
        &[r("renewOrder"), r("setOrderTag"), r("renameSubUser")].concat(),
    );
    n += agree::<shard::ActiveProxiesResponse>(
        "ActiveProxiesResponse",
        &shard_shape::ACTIVE_PROXIES_RESPONSE,
        &r("listActiveProxies"),
    );
    n += agree::<shard::SignatureSetResponse>(
        "SignatureSetResponse",
        &shard_shape::SIGNATURE_SET_RESPONSE,
        &r("setP0fSignatures"),
    );
    n += agree::<shard::AddonCalculateResponse>(
        "AddonCalculateResponse",
        &shard_shape::ADDON_CALCULATE_RESPONSE,
        &r("quoteAddon"),
    );
    n += agree::<shard::AddonPurchaseResponse>(
        "AddonPurchaseResponse",
        &shard_shape::ADDON_PURCHASE_RESPONSE,
        &r("purchaseAddon"),
    );
    n += agree::<shard::AddonsResponse>(
        "AddonsResponse",
        &shard_shape::ADDONS_RESPONSE,
        &[r("scheduleAddonDowngrade"), r("cancelAddonDowngrade")].concat(),
    );
    n += agree::<shard::PurchaseResponse>(
        "PurchaseResponse",
        &shard_shape::PURCHASE_RESPONSE,
        &r("purchaseOrder"),
    );
    n += agree::<shard::OrderCalculateResponse>(
        "OrderCalculateResponse",
        &shard_shape::ORDER_CALCULATE_RESPONSE,
        &r("quoteOrder"),
    );
    n += agree::<shard::ChangeBillingCycleResponse>(
        "ChangeBillingCycleResponse",
        &shard_shape::CHANGE_BILLING_CYCLE_RESPONSE,
        &r("changeBillingCycle"),
    );
    n += agree::<shard::ProductsResponse>(
        "ProductsResponse",
        &shard_shape::PRODUCTS_RESPONSE,
        &r("listProducts"),
    );
    n += agree::<Vec<shard::AvailableCount>>(
        "AvailableCounts",
        &shard_shape::GET_AVAILABLE_COUNTS_REPLY,
        &r("getAvailableCounts"),
    );
    n += agree::<shard::OrderListResponse>(
        "OrderListResponse",
        &shard_shape::ORDER_LIST_RESPONSE,
        &r("listOrders"),
    );
    n += agree::<shard::OrderDetailResponse>(
        "OrderDetailResponse",
        &shard_shape::ORDER_DETAIL_RESPONSE,
        &r("getOrder"),
    );
    n += agree::<shard::ResidentialProfileResponse>(
        "ResidentialProfileResponse",
        &shard_shape::RESIDENTIAL_PROFILE_RESPONSE,
        &r("getResidentialProfile"),
    );
    // One model serves several replies whose spec schemas differ: it must agree with each.
    for (op, shape) in [
        ("listSubUsers", &shard_shape::SUB_USER_LIST_RESPONSE),
        ("getSubUser", &shard_shape::SUB_USER_GET_RESPONSE),
        ("createSubUser", &shard_shape::SUB_USER_CREATE_RESPONSE),
    ] {
        n += agree::<shard::SubUsersResponse>(op, shape, &r(op));
    }
    for (op, shape) in [
        ("listCountries", &shard_shape::PAGED_COUNTRIES),
        ("listRegions", &shard_shape::PAGED_REGIONS),
        ("listCities", &shard_shape::PAGED_CITIES),
        ("listIsps", &shard_shape::PAGED_ISPS),
    ] {
        n += agree::<shard::GeoList>(op, shape, &r(op));
    }
    assert!(n > 2000, "{n} variants");
}

/// Every operation with an example reply in the spec, found by operationId through the
/// generated `reply` dispatch: a new operation's model is held to its shape with no row here.
#[test]
fn every_example_reply_agrees_with_its_model() {
    let calls = fixture("calls.json");
    let mut ops = 0;
    let mut n = 0;
    for provider in ["proxy-solutions", "proxyshard"] {
        for (id, row) in calls[provider].as_object().expect("provider rows") {
            let reply = match provider {
                "proxyshard" => proxykit::spec::proxyshard::reply(id),
                _ => proxykit::spec::proxy_solutions::reply(id),
            }
            .unwrap_or_else(|| panic!("{provider}: `reply` does not know {id}"));
            assert_eq!(reply.operation, id);
            if row["reply"].is_null() {
                continue;
            }
            n += agree_by(id, reply.shape, &[row["reply"].clone()], reply.decodes);
            ops += 1;
        }
    }
    assert!(ops >= 38, "{ops} operations with an example reply");
    assert!(n > 2000, "{n} variants");
}
