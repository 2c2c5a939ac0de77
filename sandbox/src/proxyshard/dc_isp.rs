//! Datacenter & ISP Proxies: proxy lists, per-IP removal, p0f signatures and paid add-ons
//! (`shared/api/proxyshard.md` §6.1).

use serde_json::{json, Value};

use super::catalogue::{cycle_days, p0f_cents, Kind, SIGNATURES};
use super::{addon_json, bad, check, fail, msg, ok, Addon, Call, Fail, Order, Proxy, State};
use crate::time::iso;
use crate::Reply;

/// `GET /user/api/proxies/active?order_id=`: the proxies of a DC/ISP order with their
/// credentials (none once cancelled).
pub(super) fn list_active_proxies(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let id = q.req_int("order_id");
    check(q)?;
    let i = st.order_index(a, id.unwrap_or(0) as u64)?;
    let o = &st.accounts[a].orders[i];
    if !o.dc_isp() {
        return Err(fail(403, "Method is unavailable for this order"));
    }
    let data: Vec<Value> = if o.status == "cancelled" {
        Vec::new()
    } else {
        o.proxies
            .iter()
            .map(|p| {
                json!({
                    "ip": p.ip, "username": o.username, "password": o.password,
                    "http_port": 8080, "socks_port": 1080, "until": iso(o.expires_at),
                    "status": o.status, "signature": p.signature,
                })
            })
            .collect()
    };
    Ok(ok(json!({"data": data, "order_tag": o.tag})))
}

/// `POST /user/api/orders/{order_id}/del-np/set`: marks IPs to drop at renewal; at least
/// one must stay, and `quantity`/`price_paid` drop at once.
pub(super) fn set_per_ip_deletion(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let items = b.objects("items");
    if !b.has("items") {
        return Err(bad("Json deserialize error: missing field `items`"));
    }
    check(b)?;
    let i = st.dc_isp_order(a, id)?;
    let mut marks = Vec::new();
    for it in items.unwrap_or_default() {
        match (
            it.get("ip").and_then(Value::as_str),
            it.get("value").and_then(Value::as_bool),
        ) {
            (Some(ip), Some(v)) => marks.push((ip.to_string(), v)),
            _ => {
                return Err(bad(
                    "Json deserialize error: each item needs `ip` (string) and `value` (boolean)",
                ))
            }
        }
    }
    let acc = &mut st.accounts[a];
    let o = &mut acc.orders[i];
    if let Some((ip, _)) = marks
        .iter()
        .find(|(ip, _)| !o.proxies.iter().any(|p| &p.ip == ip))
    {
        return Err(bad(format!("IP {ip} does not belong to order {id}")));
    }
    let marked = |p: &Proxy| {
        marks
            .iter()
            .rev()
            .find(|(ip, _)| *ip == p.ip)
            .map_or(p.drop_at_renewal, |m| m.1)
    };
    let keep = o.proxies.iter().filter(|p| !marked(p)).count() as i64;
    if keep == 0 {
        return Err(bad("At least one IP must remain (keep=0)"));
    }
    let flags: Vec<bool> = o.proxies.iter().map(marked).collect();
    for (p, f) in o.proxies.iter_mut().zip(flags) {
        p.drop_at_renewal = f;
    }
    let unit = o.price_paid / o.quantity.max(1);
    o.quantity = keep;
    o.price_paid = unit * keep;
    Ok(msg("Per-IP deletion updated"))
}

/// `POST /user/api/orders/{order_id}/signature/set`: the first signature on an IP takes
/// a p0f slot; switching it later is free.
pub(super) fn set_p0f_signatures(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    if !b.has("items") {
        return Err(bad("Json deserialize error: missing field `items`"));
    }
    let items = b.objects("items");
    check(b)?;
    let i = st.dc_isp_order(a, id)?;
    let mut sets = Vec::new();
    for it in items.unwrap_or_default() {
        match (
            it.get("ip").and_then(Value::as_str),
            it.get("signature").and_then(Value::as_str),
        ) {
            (Some(ip), Some(sig)) if SIGNATURES.contains(&sig) => {
                sets.push((ip.to_string(), sig.to_string()))
            }
            (Some(_), Some(sig)) => {
                return Err(bad(format!(
                    "Json deserialize error: unknown variant `{sig}`, expected one of {}",
                    SIGNATURES.join(", ")
                )))
            }
            _ => {
                return Err(bad(
                    "Json deserialize error: each item needs `ip` and `signature`",
                ))
            }
        }
    }
    let o = &mut st.accounts[a].orders[i];
    if let Some((ip, _)) = sets
        .iter()
        .find(|(ip, _)| !o.proxies.iter().any(|p| &p.ip == ip))
    {
        return Err(bad(format!("IP {ip} does not belong to order {id}")));
    }
    let slots = o.p0f().map_or(0, |x| x.qty);
    let new_ips: std::collections::BTreeSet<&String> = sets
        .iter()
        .filter(|(ip, _)| o.proxies.iter().any(|p| &p.ip == ip && !p.signed_ever))
        .map(|(ip, _)| ip)
        .collect();
    if slots == 0 {
        return Err(bad("This order has no active p0f_slots add-on"));
    }
    if o.slots_used() + new_ips.len() as i64 > slots {
        return Err(bad(format!(
            "Not enough free p0f slots: {} free, {} needed",
            slots - o.slots_used(),
            new_ips.len()
        )));
    }
    let mut updated = 0;
    for (ip, sig) in &sets {
        if let Some(p) = o.proxies.iter_mut().find(|p| &p.ip == ip) {
            if p.signature.as_deref() != Some(sig) {
                updated += 1;
            }
            p.signature = Some(sig.clone());
            p.signed_ever = true;
        }
    }
    Ok(ok(
        json!({"message": "Signatures updated", "updated": updated}),
    ))
}

/// `GET /user/api/orders/{order_id}/addons/calculate`: the price of extra add-on units.
pub(super) fn quote_addon(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let id = c.id;
    let key = q.req_str("addon_key");
    let add = q.req_int("add_qty");
    check(q)?;
    let i = st.dc_isp_order(a, id)?;
    let o = &st.accounts[a].orders[i];
    let (key, add) = (key.unwrap_or_default(), add.unwrap_or(0));
    addon_allowed(o, &key, add)?;
    let ppu = p0f_cents(o.product().kind);
    let cur = o.p0f().map_or(0, |x| x.qty);
    Ok(ok(
        json!({"addon_key": key, "catalog_id": 7, "price_per_unit": ppu, "current_qty": cur, "add_qty": add, "new_qty": cur + add, "add_total": ppu * add}),
    ))
}

/// `POST /user/api/orders/{order_id}/addons/purchase`: buys add-on units from the wallet
/// (active orders only).
pub(super) fn purchase_addon(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let key = b.req_str("addon_key");
    let add = b.req_int("add_qty");
    check(b)?;
    let i = st.dc_isp_order(a, id)?;
    let acc = &mut st.accounts[a];
    let o = &mut acc.orders[i];
    let (key, add) = (key.unwrap_or_default(), add.unwrap_or(0));
    addon_allowed(o, &key, add)?;
    if o.status != "active" {
        return Err(bad(format!(
            "Add-ons can only be bought for active orders (order is {})",
            o.status
        )));
    }
    let ppu = p0f_cents(o.product().kind);
    if acc.wallet < ppu * add {
        return Err(bad("Insufficient balance"));
    }
    acc.wallet -= ppu * add;
    match o.addons.iter_mut().find(|x| x.key == key) {
        Some(line) => line.qty += add,
        None => o.addons.push(Addon {
            key,
            qty: add,
            price_per_unit: ppu,
            pending: None,
        }),
    }
    o.addons_price_paid += ppu * add;
    Ok(ok(
        json!({"message": "Add-on purchased", "addons_price_paid": o.addons_price_paid, "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
    ))
}

/// `POST /user/api/orders/{order_id}/addons/schedule`: a downgrade applied at the next
/// renewal.
pub(super) fn schedule_addon_downgrade(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let key = b.req_str("addon_key");
    let action = b.req_str("action");
    let next = b.req_int("next_qty");
    check(b)?;
    if action.as_deref() != Some("downgrade") {
        return Err(bad(
            "Json deserialize error: unknown variant for `action`, expected `downgrade`",
        ));
    }
    let i = st.dc_isp_order(a, id)?;
    let o = &mut st.accounts[a].orders[i];
    let key = key.unwrap_or_default();
    let next = next.unwrap_or(0);
    let Some(line) = o.addons.iter_mut().find(|x| x.key == key) else {
        return Err(bad(format!("Order {id} has no {key} add-on")));
    };
    if next < 1 || next >= line.qty {
        return Err(bad(format!(
            "next_qty must be at least 1 and below the current quantity ({})",
            line.qty
        )));
    }
    line.pending = Some(next);
    Ok(ok(
        json!({"message": "Downgrade scheduled", "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
    ))
}

/// `POST /user/api/orders/{order_id}/addons/schedule/cancel`: drops a pending downgrade.
pub(super) fn cancel_addon_downgrade(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let key = b.req_str("addon_key");
    check(b)?;
    let i = st.dc_isp_order(a, id)?;
    let o = &mut st.accounts[a].orders[i];
    let key = key.unwrap_or_default();
    let Some(line) = o.addons.iter_mut().find(|x| x.key == key) else {
        return Err(bad(format!("Order {id} has no {key} add-on")));
    };
    line.pending = None;
    Ok(ok(
        json!({"message": "Downgrade cancelled", "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
    ))
}

fn addon_allowed(o: &Order, key: &str, qty: i64) -> Result<(), Fail> {
    if key != "p0f_slots" {
        return Err(bad(format!("Unknown add-on `{key}`")));
    }
    if !(1..=100_000).contains(&qty) {
        return Err(bad("add_qty must be between 1 and 100000"));
    }
    if o.product().kind == Kind::Dc && cycle_days(&o.cycle) < 30 {
        return Err(bad(
            "Datacenter p0f slots are only sold with rentals of a month or longer",
        ));
    }
    Ok(())
}
