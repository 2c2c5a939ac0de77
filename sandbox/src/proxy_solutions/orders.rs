//! Orders: listing, creating and changing orders, and the mobile channel operations
//! (`shared/api/proxy-solutions.md` §6.1–6.3, 6.5).

use serde_json::{json, Value};

use super::catalogue::{service, Svc, OPERATIONS};
use super::{invalid, Call, Order, State};
use crate::input::{is_ip, Body};
use crate::rng::Rng;
use crate::Reply;

/// `GET /user/orders`: every order of the account (no paging).
pub(super) fn list_orders(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let lang = c.lang;
    let currency = c.currency;
    let a = account.unwrap_or(0);
    let orders: Vec<Value> = st.accounts[a]
        .orders
        .iter()
        .map(|o| st.order_json(o, &currency))
        .collect();
    Reply::json(
        200,
        &json!({"lang": lang, "currency": currency, "orders": orders}),
    )
}

/// `POST /user/orders`: a new order, `waiting` until it is paid.
pub(super) fn create_order(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let lang = c.lang;
    let currency = c.currency;
    let mut b = c.b;
    let a = account.unwrap_or(0);
    let svc = match b.req_int("service_id") {
        Some(id) => match service(id as u64) {
            Some(s) => Some(s),
            None => {
                b.fail("service_id", "The selected service id is invalid.");
                None
            }
        },
        None => None,
    };
    let location = b.req_int("location_id");
    let Some(svc) = svc else {
        return invalid(b.errors);
    };
    if let Some(l) = location {
        if !svc.locations.contains(&(l as u64)) {
            b.fail("location_id", "The selected location id is invalid.");
        }
    }
    let (quantity, period) = order_size(&mut b, svc);
    let multiport = b.bool("multiport").unwrap_or(true);
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    let operator = if svc.mobile() {
        let i = st.rng.below(svc.operators.len() as u64) as usize;
        svc.operators.get(i).copied()
    } else {
        None
    };
    let id = st.new_order(
        a,
        svc.id,
        location.unwrap_or(0) as u64,
        operator,
        quantity,
        period,
        multiport && svc.mobile(),
    );
    let o = st.accounts[a].orders.iter().find(|o| o.id == id);
    let orders: Vec<Value> = o.map(|o| st.order_json(o, &currency)).into_iter().collect();
    Reply::json(
        200,
        &json!({"lang": lang, "currency": currency, "orders": orders}),
    )
}

/// `POST /user/orders/{order_id}`: access data on any order; the quantity (with
/// `remove_proxies`) only on an order that is not active.
pub(super) fn change_order(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let currency = c.currency;
    let mut b = c.b;
    let id = c.id;
    let mut rng = Rng::new(st.rng.next_u64());
    let Some((o, svc)) = st.order_with_service(account.unwrap_or(0), id) else {
        return Reply::empty(404);
    };
    let quantity = b.int("quantity");
    let remove = b.str_list("remove_proxies");
    let port = b.int("port");
    let login = b.str("login");
    let password = b.str("password");
    let gen_password = b.bool("gen_password").unwrap_or(false);
    let ip_auth = match b.raw("ip_auth") {
        Some(Value::String(s)) if s == "clear" => Some(Vec::new()),
        Some(_) => b.str_list("ip_auth"),
        None => None,
    };
    if let Some(p) = port {
        if !(1..=65535).contains(&p) {
            b.fail("port", "The port must be between 1 and 65535.");
        }
    }
    if login
        .as_deref()
        .is_some_and(|l| l.is_empty() || l.len() > 64)
    {
        b.fail("login", "The login must be between 1 and 64 characters.");
    }
    if password
        .as_deref()
        .is_some_and(|p| p.is_empty() || p.len() > 64)
    {
        b.fail(
            "password",
            "The password must be between 1 and 64 characters.",
        );
    }
    for (i, ip) in ip_auth.iter().flatten().enumerate() {
        if !is_ip(ip) {
            b.fail(
                &format!("ip_auth.{i}"),
                format!("The ip_auth.{i} must be a valid IP address."),
            );
        }
    }
    let resizing = quantity.is_some() || remove.is_some();
    if resizing && o.status == "active" {
        b.fail(
            "quantity",
            "Only access data can be changed on an active order.",
        );
    }
    if remove.is_some() && svc.mobile() {
        b.fail(
            "remove_proxies",
            "Mobile orders are resized by quantity only.",
        );
    }
    for (i, ip) in remove.iter().flatten().enumerate() {
        if !o.proxies.contains(ip) {
            b.fail(
                &format!("remove_proxies.{i}"),
                format!("The selected remove_proxies.{i} is invalid."),
            );
        }
    }
    let new_quantity =
        quantity.unwrap_or(o.quantity - remove.as_ref().map_or(0, |r| r.len() as i64));
    if resizing {
        if new_quantity < 1 {
            b.fail("quantity", "The quantity must be at least 1.");
        } else if new_quantity > 100_000 {
            b.fail("quantity", "The quantity may not be greater than 100000.");
        } else if let Some(cap) = svc.cap.filter(|c| new_quantity > *c) {
            b.fail(
                "quantity",
                format!("The quantity may not be greater than {cap}."),
            );
        } else if let Some(p) = svc.packets.filter(|p| !p.contains(&new_quantity)) {
            b.fail(
                "quantity",
                format!("The selected quantity is invalid (packets: {p:?})."),
            );
        }
    }
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    if resizing {
        if let Some(r) = &remove {
            o.proxies.retain(|ip| !r.contains(ip));
        }
        o.quantity = new_quantity;
        o.proxies.truncate(new_quantity as usize);
        if o.access.is_some() {
            while (o.proxies.len() as i64) < o.quantity {
                o.proxies.push(rng.ip());
            }
        }
    }
    if let Some(acc) = &mut o.access {
        if let Some(p) = port {
            acc.port = p;
        }
        if let Some(l) = login {
            acc.login = l;
        }
        if gen_password {
            acc.password = rng.token(12);
        } else if let Some(p) = password {
            acc.password = p;
        }
        if let Some(list) = ip_auth {
            acc.ip_list = list;
        }
    }
    let o = o.clone();
    Reply::json(
        200,
        &json!({"currency": currency, "order": st.order_json(&o, &currency)}),
    )
}

/// `POST /user/orders/{order_id}/perform`: mobile channel operations, as the order's
/// `allowed_operations` permit.
pub(super) fn perform_order_operation(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let currency = c.currency;
    let mut b = c.b;
    let id = c.id;
    let mut rng = Rng::new(st.rng.next_u64());
    let Some((o, svc)) = st.order_with_service(account.unwrap_or(0), id) else {
        return Reply::empty(404);
    };
    let operation = b.req_str("operation");
    b.int_list("channels");
    let location = b.int("location_id");
    let operator = b.int("operator_id");
    let interval = b.int("interval");
    if let Some(op) = &operation {
        if !OPERATIONS.contains(&op.as_str()) {
            b.fail("operation", "The selected operation is invalid.");
        } else if !allowed_operations(o).contains(&op.as_str()) {
            b.fail("operation", "The operation is not allowed for this order.");
        }
    }
    if interval.is_some_and(|i| i != 0 && i < 60) {
        b.fail("interval", "The interval must be at least 60.");
    }
    if let Some(l) = location {
        if svc.kind != "mobile_plus" || !o.multiport {
            b.fail(
                "location_id",
                "Relocation to another location needs a Mobile proxies plus order with multiport.",
            );
        } else if !svc.locations.contains(&(l as u64)) {
            b.fail("location_id", "The selected location id is invalid.");
        }
    }
    if let Some(op) = operator {
        if !o.multiport {
            b.fail(
                "operator_id",
                "Changing the operator needs a multiport order.",
            );
        } else if !svc.operators.contains(&(op as u64)) {
            b.fail("operator_id", "The selected operator id is invalid.");
        }
    }
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    match operation.as_deref() {
        Some("channels-change-ip") => {
            for ip in &mut o.proxies {
                *ip = rng.ip();
            }
        }
        Some("channels-set-autoreset") => o.autoreset = interval.unwrap_or(0),
        Some("channels-relocate") => {
            if let Some(l) = location {
                o.location_id = l as u64;
            }
            if let Some(op) = operator {
                o.operator_id = Some(op as u64);
            }
            for ip in &mut o.proxies {
                *ip = rng.ip();
            }
        }
        _ => {}
    }
    let o = o.clone();
    Reply::json(
        200,
        &json!({"operation_status": "complete", "order": st.order_json(&o, &currency)}),
    )
}

pub(super) fn allowed_operations(o: &Order) -> Vec<&'static str> {
    let Some(svc) = service(o.service_id) else {
        return Vec::new();
    };
    if !svc.mobile() || o.status != "active" {
        return Vec::new();
    }
    let mut ops = vec![
        "channels-change-ip",
        "channels-reset",
        "channels-set-autoreset",
    ];
    if o.multiport {
        ops.push("channels-relocate");
    }
    ops
}

/// Reads and checks `quantity` (default 1) and `period` (default 30) for a service.
pub(super) fn order_size(b: &mut Body, svc: &Svc) -> (i64, i64) {
    let quantity = b.int("quantity").unwrap_or(1);
    let period = b.int("period").unwrap_or(30);
    if quantity < 1 {
        b.fail("quantity", "The quantity must be at least 1.");
    } else if let Some(cap) = svc.cap.filter(|c| quantity > *c) {
        b.fail(
            "quantity",
            format!("The quantity may not be greater than {cap}."),
        );
    } else if let Some(p) = svc.packets.filter(|p| !p.contains(&quantity)) {
        b.fail(
            "quantity",
            format!("The selected quantity is invalid (packets: {p:?})."),
        );
    } else if quantity > 100_000 {
        b.fail("quantity", "The quantity may not be greater than 100000.");
    }
    if !svc.periods().contains(&period) {
        b.fail("period", "The selected period is invalid.");
    }
    (quantity, period)
}
