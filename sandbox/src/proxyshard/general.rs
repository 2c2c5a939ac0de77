//! General: the account, the catalogue, quotes and purchases, and order management
//! (`shared/api/proxyshard.md` §6.2).

use serde_json::{json, Map, Value};

use super::catalogue::{
    cycle_days, cycle_id, p0f_cents, promo_discount, unit_cents, Kind, Product, BLOCKED_CYCLES, GB,
    PRODUCTS,
};
use super::{apply_renewal, bad, check, fail, msg, ok, Addon, Call, Fail, Order, Package, State};
use crate::input::Body;
use crate::time::{iso, DAY};
use crate::Reply;

/// `GET /user/api/me`: the account summary (e-mail, active orders, wallet in cents).
pub(super) fn get_me(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let acc = &st.accounts[a];
    Ok(Reply::json(
        200,
        &json!({
            "email": acc.email,
            "active_orders": acc.orders.iter().filter(|o| o.status == "active").count(),
            "wallet_balance": acc.wallet,
        }),
    ))
}

/// `GET /user/api/proxies/products`: the catalogue with each product's cycles.
pub(super) fn list_products(_st: &mut State, _c: &mut Call<'_>) -> Result<Reply, Fail> {
    Ok(ok(json!({"products": PRODUCTS.iter().map(|p| json!({
    "name": p.name, "description": p.description, "location": p.location, "cycles": p.cycles,
})).collect::<Vec<_>>()})))
}

/// `GET /user/api/proxies/available-count`: IPs in stock per country and product.
pub(super) fn get_available_counts(st: &mut State, _c: &mut Call<'_>) -> Result<Reply, Fail> {
    Ok(Reply::json(
        200,
        &Value::Array(
            st.stock
                .iter()
                .map(|(c, p, n)| json!({"country": c, "product": p, "amount": n}))
                .collect(),
        ),
    ))
}

/// `GET /user/api/orders/calculate`: the price of a purchase (query fields, `addons_json`).
pub(super) fn quote_order(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let q = &mut c.q;
    let addons = match q.str("addons_json") {
        Some(text) => Some(parse_addons(&text)?),
        None => None,
    };
    let req = purchase_request(q, addons)?;
    let price = st.price(&req)?;
    Ok(Reply::json(
        200,
        &json!({
            "original_price": price.original,
            "final_price": price.final_,
            "discount_percent": price.discount,
            "addons_price": price.addons,
            "total_with_addons": price.final_ + price.addons,
        }),
    ))
}

/// `POST /user/api/orders/purchase`: pays from the wallet and creates an active order
/// (stock taken for DC/ISP/mobile, traffic credited for residential packages).
pub(super) fn purchase_order(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let now = c.now;
    let addons = match b.objects("addons") {
        Some(list) => Some(addon_items(list)?),
        None => None,
    };
    check(b)?;
    let req = purchase_request(b, addons)?;
    let price = st.price(&req)?;
    let total = price.final_ + price.addons;
    let stock_code = match req.product.kind {
        Kind::Dc => Some("dc"),
        Kind::Isp => Some("isp"),
        Kind::Mobile => Some("mobile"),
        _ => None,
    };
    if let (Some(code), Some(loc)) = (stock_code, req.product.location) {
        let left = st
            .stock
            .iter()
            .find(|s| s.0 == loc && s.1 == code)
            .map_or(0, |s| s.2);
        if left < req.quantity {
            return Err(bad(format!("Not enough stock: {left} available")));
        }
    }
    if st.accounts[a].wallet < total {
        return Err(bad("Insufficient balance"));
    }
    st.accounts[a].wallet -= total;
    if let (Some(code), Some(loc)) = (stock_code, req.product.location) {
        if let Some(s) = st.stock.iter_mut().find(|s| s.0 == loc && s.1 == code) {
            s.2 -= req.quantity;
        }
    }
    let promo = req.promo.clone().map(|p| (p, price.discount));
    let id = st.create(
        a,
        req.product.id,
        &req.cycle,
        req.quantity,
        promo,
        req.auto_renewal,
        now,
    );
    let i = st.order_index(a, id)?;
    let o = &mut st.accounts[a].orders[i];
    for (key, qty) in &req.addons {
        o.addons.push(Addon {
            key: key.clone(),
            qty: *qty,
            price_per_unit: p0f_cents(req.product.kind),
            pending: None,
        });
    }
    o.addons_price_paid = price.addons;
    if let Kind::Traffic(t) = req.product.kind {
        let pw = st.rng.token(16);
        let acc = &mut st.accounts[a];
        match acc.packages.iter_mut().find(|p| p.proxy_type == t) {
            Some(p) => p.purchased += req.quantity * GB,
            None => acc.packages.push(Package {
                proxy_type: t,
                password: pw,
                purchased: req.quantity * GB,
                owner_spent: 0,
                subs: Vec::new(),
            }),
        }
    }
    if req.product.kind == Kind::Unmetered {
        let pw = st.rng.token(16);
        let acc = &mut st.accounts[a];
        if !acc.packages.iter().any(|p| p.proxy_type == "unlimited") {
            acc.packages.push(Package {
                proxy_type: "unlimited",
                password: pw,
                purchased: 0,
                owner_spent: 0,
                subs: Vec::new(),
            });
        }
    }
    Ok(ok(
        json!({"message": "Order paid successfully", "order_id": id}),
    ))
}

/// `GET /user/api/orders`: orders of one status, newest first, paged with absolute
/// `prev`/`next` links.
pub(super) fn list_orders(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let status = q.req_str("status");
    let offset = q.int("offset").unwrap_or(0);
    let limit = q.int("limit").unwrap_or(20);
    check(q)?;
    let status = status.unwrap_or_default();
    if !["active", "on-hold", "cancelled", "all"].contains(&status.as_str()) {
        return Err(bad("status must be one of active, on-hold, cancelled, all"));
    }
    if offset < 0 {
        return Err(bad("offset must be >= 0"));
    }
    if !(1..=100).contains(&limit) {
        return Err(bad("limit must be between 1 and 100"));
    }
    let mut all: Vec<&Order> = st.accounts[a]
        .orders
        .iter()
        .filter(|o| status == "all" || o.status == status)
        .collect();
    all.sort_by_key(|o| std::cmp::Reverse(o.id));
    let page: Vec<Value> = all
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|o| {
            json!({
                "order_id": o.id,
                "product_id": o.product_id,
                "product_name": o.product().name,
                "cycle_id": cycle_id(&o.cycle),
                "cycle_name": o.cycle,
                "expires_at": iso(o.expires_at),
                "auto_renewal": o.auto_renewal,
                "tag": o.tag,
            })
        })
        .collect();
    let link = |off: i64| {
        format!(
            "{}/user/api/orders?status={status}&offset={off}&limit={limit}",
            c.origin
        )
    };
    let total = all.len() as i64;
    Ok(ok(json!({
        "orders": page,
        "count": page.len(),
        "prev": if offset > 0 { Value::String(link((offset - limit).max(0))) } else { Value::Null },
        "next": if offset + limit < total { Value::String(link(offset + limit)) } else { Value::Null },
    })))
}

/// `GET /user/api/orders/{id}`: one order in detail.
pub(super) fn get_order(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let id = c.id;
    let i = st.order_index(a, id)?;
    Ok(ok(
        json!({"order": State::order_detail(&st.accounts[a].orders[i])}),
    ))
}

/// `POST /user/api/orders/{id}/renew`: pays the next period of an on-hold order.
pub(super) fn renew_order(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let now = c.now;
    let id = c.id;
    let i = st.order_index(a, id)?;
    let acc = &mut st.accounts[a];
    let o = &mut acc.orders[i];
    if o.status != "on-hold" {
        return Err(bad(format!(
            "Only on-hold orders can be renewed (order is {})",
            o.status
        )));
    }
    let cost = o.renewal_cost();
    if acc.wallet < cost {
        return Err(bad("Insufficient balance"));
    }
    acc.wallet -= cost;
    apply_renewal(o);
    o.status = "active";
    o.expires_at = now + cycle_days(&o.cycle) * DAY;
    Ok(msg("Order renewed successfully"))
}

/// `POST /user/api/orders/{id}/tag`: labels an order (at most 255 characters).
pub(super) fn set_order_tag(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let tag = b.req_str("tag");
    check(b)?;
    let i = st.order_index(a, id)?;
    let tag = tag.unwrap_or_default();
    if tag.chars().count() > 255 {
        return Err(bad("tag must be at most 255 characters"));
    }
    st.accounts[a].orders[i].tag = Some(tag);
    Ok(msg("Order tag updated"))
}

/// `POST /user/api/orders/edit-auto-renewal/{order_id}?auto_renewal=`: DC/ISP only.
pub(super) fn set_auto_renewal(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let id = c.id;
    let i = st.dc_isp_order(a, id)?;
    let value = match q.str("auto_renewal").as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => {
            return Err(bad(
                "Query deserialize error: auto_renewal must be true or false",
            ))
        }
    };
    st.accounts[a].orders[i].auto_renewal = value;
    Ok(msg("Auto renewal updated"))
}

/// `POST /user/api/orders/change-billing-cycle/{order_id}`: DC/ISP only; `yearly` is
/// refused with 403 (see [`catalogue::BLOCKED_CYCLES`]).
pub(super) fn change_billing_cycle(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let cycle = b.req_str("cycle");
    check(b)?;
    let i = st.dc_isp_order(a, id)?;
    let cycle = cycle.unwrap_or_default();
    let o = &mut st.accounts[a].orders[i];
    let p = o.product();
    if !p.cycles.contains(&cycle.as_str()) {
        return Err(bad(format!(
            "Invalid cycle `{cycle}` for {} (cycles: {})",
            p.name,
            p.cycles.join(", ")
        )));
    }
    if BLOCKED_CYCLES.contains(&cycle.as_str()) {
        return Err(fail(
            403,
            format!("Cycle `{cycle}` is not available for this user"),
        ));
    }
    if o.promo
        .as_deref()
        .is_some_and(|code| promo_discount(code, &cycle).is_err())
    {
        o.promo = None;
    }
    let discount = o
        .promo
        .as_deref()
        .and_then(|c| promo_discount(c, &cycle).ok())
        .unwrap_or(0);
    let original = unit_cents(p.kind, &cycle) * o.quantity;
    let final_ = original * (100 - discount) / 100;
    o.cycle = cycle;
    o.price_paid = final_;
    Ok(ok(
        json!({"message": "Billing cycle changed", "order_id": id, "original_price": original, "final_price": final_, "discount_percent": discount}),
    ))
}

pub(super) struct PurchaseRequest {
    pub product: &'static Product,
    pub cycle: String,
    pub quantity: i64,
    pub promo: Option<String>,
    pub auto_renewal: bool,
    pub addons: Vec<(String, i64)>,
}

pub(super) struct Price {
    pub original: i64,
    pub final_: i64,
    pub discount: i64,
    pub addons: i64,
}

fn parse_addons(text: &str) -> Result<Vec<(String, i64)>, Fail> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => addon_items(
            items
                .into_iter()
                .map(|v| match v {
                    Value::Object(m) => Ok(m),
                    _ => Err(bad("addons_json: expected a list of objects")),
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => Err(bad(
            "addons_json: expected a JSON list such as [{\"addon_key\":\"p0f_slots\",\"qty\":5}]",
        )),
    }
}

fn addon_items(list: Vec<Map<String, Value>>) -> Result<Vec<(String, i64)>, Fail> {
    list.into_iter()
        .map(|m| {
            match (
                m.get("addon_key").and_then(Value::as_str),
                m.get("qty").and_then(Value::as_i64),
            ) {
                (Some("p0f_slots"), Some(q)) if (1..=100_000).contains(&q) => {
                    Ok(("p0f_slots".to_string(), q))
                }
                (Some("p0f_slots"), Some(_)) => {
                    Err(bad("addons: qty must be between 1 and 100000"))
                }
                (Some(k), Some(_)) => Err(bad(format!("Unknown add-on `{k}`"))),
                _ => Err(bad(
                    "Json deserialize error: each add-on needs `addon_key` and `qty`",
                )),
            }
        })
        .collect()
}

/// Reads a purchase (or quote) by product variant.
fn purchase_request(
    b: &mut Body,
    addons: Option<Vec<(String, i64)>>,
) -> Result<PurchaseRequest, Fail> {
    let name = b.req_str("product");
    let location = b.str("location");
    let cycle = b.str("cycle");
    let quantity = b.int("quantity");
    let promo = b.str("promo_code");
    let auto_renewal = b.bool("auto_renewal").unwrap_or(false);
    if let Some(m) = b.first_error() {
        return Err(bad(m));
    }
    let name = name.unwrap_or_default();
    let candidates: Vec<&'static Product> = PRODUCTS.iter().filter(|p| p.name == name).collect();
    let Some(first) = candidates.first() else {
        return Err(bad(format!("Unknown product `{name}`")));
    };
    let kind = first.kind;
    let product = match kind {
        Kind::Dc | Kind::Isp | Kind::Mobile => {
            let Some(loc) = location.as_deref() else {
                return Err(bad(format!("location is required for {name}")));
            };
            *candidates
                .iter()
                .find(|p| p.location.is_some_and(|l| l.eq_ignore_ascii_case(loc)))
                .ok_or_else(|| bad(format!("Location `{loc}` is not available for {name}")))?
        }
        _ => *first,
    };
    let cycle = match kind {
        Kind::Traffic(_) => "lifetime".to_string(),
        _ => cycle.ok_or_else(|| bad(format!("cycle is required for {name}")))?,
    };
    if !product.cycles.contains(&cycle.as_str()) {
        return Err(bad(format!(
            "Invalid cycle `{cycle}` for {name} (cycles: {})",
            product.cycles.join(", ")
        )));
    }
    if BLOCKED_CYCLES.contains(&cycle.as_str()) {
        return Err(fail(
            403,
            format!("Cycle `{cycle}` is not available for this user"),
        ));
    }
    let quantity = if kind == Kind::Unmetered {
        1
    } else {
        quantity.unwrap_or(1)
    };
    if quantity < 1 {
        return Err(bad("quantity must be at least 1"));
    }
    if quantity > 10_000 {
        return Err(bad("quantity must be at most 10000"));
    }
    let addons = addons.unwrap_or_default();
    if !addons.is_empty() {
        if !matches!(kind, Kind::Dc | Kind::Isp) {
            return Err(bad(
                "Add-ons are available for Datacenter and ISP orders only",
            ));
        }
        if kind == Kind::Dc && cycle_days(&cycle) < 30 {
            return Err(bad(
                "Datacenter p0f slots are only sold with rentals of a month or longer",
            ));
        }
    }
    Ok(PurchaseRequest {
        product,
        cycle,
        quantity,
        promo,
        auto_renewal,
        addons,
    })
}
