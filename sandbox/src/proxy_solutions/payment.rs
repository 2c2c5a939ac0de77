//! Payment: paying for orders, price calculation, payment methods and balance top-ups
//! (`shared/api/proxy-solutions.md` §6.4, 6.6–6.8).

use serde_json::json;

use super::catalogue::{money, rate, service, usd, MERCHANTS, PROMOCODES};
use super::orders::order_size;
use super::{invalid, Call, Payment, PaymentFor, State};
use crate::input::Body;
use crate::Reply;

/// `POST /user/orders/{order_id}/charge`: `merchant: "balance"` pays at once from the API
/// balance (needs the key); another merchant returns a payment link back to the sandbox.
pub(super) fn charge_order(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let mut b = c.b;
    let id = c.id;
    let found = match account {
        Some(a) => st.accounts[a]
            .orders
            .iter()
            .find(|o| o.id == id)
            .map(|o| (a, o.clone())),
        None => st.accounts.iter().enumerate().find_map(|(a, acc)| {
            acc.orders
                .iter()
                .find(|o| o.id == id)
                .map(|o| (a, o.clone()))
        }),
    };
    let merchant = b.req_str("merchant");
    if merchant.as_deref() == Some("balance") && account.is_none() {
        return Reply::empty(401);
    }
    let Some((a, order)) = found else {
        return Reply::empty(404);
    };
    let svc = service(order.service_id);
    let payer_currency = b.req_str("currency");
    let period = b.int("period");
    if let (Some(p), Some(s)) = (period, svc) {
        if !s.periods().contains(&p) {
            b.fail("period", "The selected period is invalid.");
        }
    }
    let discount = promocode(&mut b);
    if let Some(cur) = &payer_currency {
        check_merchant(&mut b, merchant.as_deref(), cur, true);
    }
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    let (Some(merchant), Some(payer_currency)) = (merchant, payer_currency) else {
        return invalid(b.errors);
    };
    let period = period.unwrap_or(order.period);
    let cents = svc.map_or(0, |s| s.cost_cents(order.quantity, period));
    let due_cents = (cents * (100 - discount) + 50) / 100;
    let payer_amount = money(usd(due_cents) * rate(&payer_currency).unwrap_or(1.0));
    if merchant == "balance" {
        if st.accounts[a].balance_cents < due_cents {
            return invalid(vec![(
                "merchant".into(),
                "Insufficient funds on the API balance.".into(),
            )]);
        }
        st.accounts[a].balance_cents -= due_cents;
        st.activate(a, id, period, c.now);
        return Reply::json(
            200,
            &json!({"payment": {"discount": discount, "merchant": "balance", "payer_currency": payer_currency, "payer_amount": payer_amount}}),
        );
    }
    let pid = st.rng.token(16);
    let url = format!("{}/__sandbox/pay/{pid}", c.origin);
    st.payments.push(Payment {
        id: pid,
        what: PaymentFor::Order {
            account: a,
            order_id: id,
            period,
        },
        paid: false,
    });
    Reply::json(
        200,
        &json!({"payment": {"discount": discount, "merchant": merchant, "payer_currency": payer_currency, "payer_amount": payer_amount, "url": url}}),
    )
}

/// `POST /user/balance/charge`: a top-up link for the API balance.
pub(super) fn charge_user_balance(st: &mut State, c: Call<'_>) -> Reply {
    let account = c.account;
    let mut b = c.b;
    let a = account.unwrap_or(0);
    let merchant = b.req_str("merchant");
    let payer_currency = b.req_str("currency");
    let amount = b.num("amount");
    let payer_amount = b.num("payer_amount");
    if merchant.as_deref() == Some("balance") {
        b.fail(
            "merchant",
            "The API balance cannot be topped up from itself.",
        );
    } else if let Some(cur) = &payer_currency {
        check_merchant(&mut b, merchant.as_deref(), cur, true);
    }
    match (amount, payer_amount) {
        (None, None) if !b.errors.iter().any(|e| e.0 == "amount") => b.fail(
            "amount",
            "The amount field is required when payer amount is not present.",
        ),
        (Some(x), _) if x < 0.1 => b.fail("amount", "The amount must be at least 0.1."),
        (None, Some(x)) if x < 0.1 => {
            b.fail("payer_amount", "The payer amount must be at least 0.1.")
        }
        _ => {}
    }
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    let (Some(merchant), Some(payer_currency)) = (merchant, payer_currency) else {
        return invalid(b.errors);
    };
    let r = rate(&payer_currency).unwrap_or(1.0);
    let (cents, payer) = match amount {
        Some(x) => ((x * 100.0).round() as i64, money(x * r)),
        None => {
            let p = payer_amount.unwrap_or(0.0);
            ((p / r * 100.0).round() as i64, money(p))
        }
    };
    let pid = st.rng.token(16);
    let url = format!("{}/__sandbox/pay/{pid}", c.origin);
    st.payments.push(Payment {
        id: pid,
        what: PaymentFor::TopUp { account: a, cents },
        paid: false,
    });
    Reply::json(
        200,
        &json!({"payment": {"discount": 0, "merchant": merchant, "payer_currency": payer_currency, "payer_amount": payer, "url": url}}),
    )
}

/// `GET /merchants`: the payment methods and their currencies (public).
pub(super) fn list_merchants(_st: &mut State, _c: Call<'_>) -> Reply {
    Reply::json(
        200,
        &json!({"merchants": MERCHANTS.iter().map(|(c, n, cur)| json!({"code": c, "name": n, "currencies": cur})).collect::<Vec<_>>()}),
    )
}

/// `POST /services/{service_id}/price`: the cost of an order, with a promocode and a
/// payer currency (public).
pub(super) fn calculate_price(_st: &mut State, c: Call<'_>) -> Reply {
    let lang = c.lang;
    let mut b = c.b;
    let id = c.id;
    let Some(svc) = service(id) else {
        return Reply::empty(404);
    };
    if let Some(l) = b.int("location_id") {
        if !svc.locations.contains(&(l as u64)) {
            b.fail("location_id", "The selected location id is invalid.");
        }
    }
    let (quantity, period) = order_size(&mut b, svc);
    b.bool("multiport");
    let discount = promocode(&mut b);
    let merchant = b.str("merchant");
    let payer_currency = b.str("currency").unwrap_or_else(|| "USD".into());
    check_merchant(&mut b, merchant.as_deref(), &payer_currency, false);
    if !b.errors.is_empty() {
        return invalid(b.errors);
    }
    let amount = usd(svc.cost_cents(quantity, period));
    let converted = money(amount * rate(&payer_currency).unwrap_or(1.0));
    let mut v = json!({
        "lang": lang,
        "discount": discount,
        "amount": amount,
        "converted_amount": converted,
        "payer_amount": money(converted * (100 - discount) as f64 / 100.0),
        "payer_currency": payer_currency,
    });
    if let Some(m) = merchant {
        v["merchant"] = json!(m);
    }
    Reply::json(200, &v)
}

/// The discount of the body's `promocode` (0 without one).
fn promocode(b: &mut Body) -> i64 {
    match b.str("promocode") {
        None => 0,
        Some(code) => match PROMOCODES.iter().find(|p| p.0 == code) {
            Some(p) => p.1,
            None => {
                b.fail("promocode", "The selected promocode is invalid.");
                0
            }
        },
    }
}

fn check_merchant(b: &mut Body, merchant: Option<&str>, currency: &str, required: bool) {
    if rate(currency).is_none() {
        b.fail("currency", "The selected currency is invalid.");
        return;
    }
    match merchant {
        None if required => {}
        None => {}
        Some(m) => match MERCHANTS.iter().find(|x| x.0 == m) {
            None => b.fail("merchant", "The selected merchant is invalid."),
            Some((_, _, currencies)) if !currencies.contains(&currency) => b.fail(
                "currency",
                format!("The merchant {m} does not accept {currency}."),
            ),
            _ => {}
        },
    }
}
