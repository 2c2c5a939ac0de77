//! Proxy-Solutions v3 client API, emulated (paths after the `/api` prefix).
//!
//! Follows `shared/api/proxy-solutions.md`. What the vendor leaves open, the sandbox decides
//! as listed in the crate README ("What the sandbox had to guess"): the catalogue shape,
//! prices and exchange rates, error bodies (401/404 empty, 422 Laravel-style), the state of a
//! new order (`waiting`), balance payments without `url`, and payment links that point back
//! at the sandbox (`/__sandbox/pay/{id}`).
//!
//! One handler per operation, in files that follow the vendor's doc groups: [`orders`]
//! (listing, creating and changing orders, mobile operations), [`payment`] (paying for
//! orders, price calculation, payment methods, balance top-ups) and [`services`] (the tariff
//! catalogue). [`ROUTES`] maps each documented method and path to its operationId, who may
//! call it and its handler; this module keeps the state they share and the dispatcher that
//! checks the key and the shared query parameters before a handler runs.

mod catalogue;
mod orders;
mod payment;
mod services;

use serde_json::{json, Value};

use crate::input::{Body, Style};
use crate::rng::Rng;
use crate::routes;
use crate::time::DAY;
use crate::{Cx, Reply};

use catalogue::{location_json, money, rate, service, usd, Svc, LANGS, OPERATORS};
use orders::allowed_operations;

// ------------------------------------------------------------------------- routes

/// Who may call an operation (`shared/api/proxy-solutions.md` §2).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Auth {
    /// Public: a key, right or wrong, is ignored.
    Public,
    /// Optional: no key is fine, a wrong one is refused (401).
    Optional,
    /// The account's `X-API-KEY` (401 without it).
    Required,
}

/// A handler: the state and the request as read for it.
type Handler = fn(&mut State, Call<'_>) -> Reply;

/// One row of [`ROUTES`].
struct RouteSpec {
    method: &'static str,
    /// The documented path after `/api`; `{order_id}` and `{service_id}` are ids ≥ 1.
    path: &'static str,
    operation: &'static str,
    auth: Auth,
    handler: Handler,
}

mod table;
use table::ROUTES;

/// Every handler by name, for the route table [`ROUTES`] that `cargo xtask gen` writes from
/// the spec (`table.rs`): the handler of `operationId` is its snake_case name.
mod handlers {
    pub(super) use super::orders::*;
    pub(super) use super::payment::*;
    pub(super) use super::services::*;
}

/// A request matched to its operation, with its path id.
pub struct Route {
    /// The operationId.
    pub operation: &'static str,
    auth: Auth,
    handler: Handler,
    id: u64,
}

/// The operation of `method path` (path after `/api`).
pub fn route(method: &str, path: &str) -> Option<Route> {
    let segs: Vec<&str> = routes::segments(path).collect();
    let spec = ROUTES
        .iter()
        .find(|r| r.method == method && routes::shape_matches(r.path, &segs))?;
    let mut id = 0;
    for (_, seg) in routes::params(spec.path, &segs) {
        id = seg.parse::<u64>().ok().filter(|n| *n >= 1)?;
    }
    Some(Route {
        operation: spec.operation,
        auth: spec.auth,
        handler: spec.handler,
        id,
    })
}

/// One request past the key and query checks, as a handler reads it.
struct Call<'r> {
    /// The account of the `X-API-KEY`, if it names one.
    account: Option<usize>,
    /// The `lang` query parameter (default `EN`).
    lang: String,
    /// The `currency` query parameter (default `USD`).
    currency: String,
    /// The body, read the way Laravel reads it.
    b: Body,
    /// The `{order_id}` / `{service_id}` of the path (0 when it has none).
    id: u64,
    /// The sandbox clock.
    now: i64,
    /// Scheme, host and port of the request, for payment links.
    origin: &'r str,
}

/// One account's settings.
#[derive(Clone, Debug)]
pub struct AccountSettings {
    /// Its API key (sent as `X-API-KEY`).
    pub api_key: String,
    /// API balance in US cents.
    pub balance_cents: i64,
}

/// Proxy-Solutions settings: `{accounts: [{apiKey, balance}]}` (balance in USD).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The accounts (default: one, key `sandbox-ps-key`, $100).
    pub accounts: Vec<AccountSettings>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            accounts: vec![AccountSettings {
                api_key: "sandbox-ps-key".into(),
                balance_cents: 10_000,
            }],
        }
    }
}

impl Settings {
    pub(crate) fn from_json(v: &Value) -> Result<Settings, String> {
        let blank = AccountSettings {
            api_key: String::new(),
            balance_cents: 10_000,
        };
        let accounts = crate::input::accounts(
            v,
            "proxySolutions",
            blank,
            |a, k| a.api_key = k,
            |a, key, v| {
                if key != "balance" {
                    return Ok(false);
                }
                a.balance_cents = v
                    .as_f64()
                    .filter(|b| (0.0..=1e9).contains(b))
                    .map(|b| (b * 100.0).round() as i64)
                    .ok_or("expected USD 0..=1e9")?;
                Ok(true)
            },
        )?;
        Ok(Settings {
            accounts: accounts.unwrap_or_else(|| Settings::default().accounts),
        })
    }
}

// ------------------------------------------------------------------------- state

#[derive(Clone, Debug)]
struct Order {
    id: u64,
    status: &'static str,
    service_id: u64,
    location_id: u64,
    operator_id: Option<u64>,
    period: i64,
    quantity: i64,
    multiport: bool,
    auto_continuation: bool,
    access: Option<Access>,
    proxies: Vec<String>,
    expires_at: Option<i64>,
    autoreset: i64,
}

#[derive(Clone, Debug)]
struct Access {
    port: i64,
    login: String,
    password: String,
    ip_list: Vec<String>,
}

struct Account {
    key: String,
    balance_cents: i64,
    orders: Vec<Order>,
}

enum PaymentFor {
    Order {
        account: usize,
        order_id: u64,
        period: i64,
    },
    TopUp {
        account: usize,
        cents: i64,
    },
}

struct Payment {
    id: String,
    what: PaymentFor,
    paid: bool,
}

/// Every Proxy-Solutions account, order and pending payment.
pub struct State {
    accounts: Vec<Account>,
    next_order: u64,
    payments: Vec<Payment>,
    rng: Rng,
}

impl State {
    pub(crate) fn new(settings: &Settings, rng: &mut Rng, now: i64) -> State {
        let mut st = State {
            accounts: settings
                .accounts
                .iter()
                .map(|a| Account {
                    key: a.api_key.clone(),
                    balance_cents: a.balance_cents,
                    orders: Vec::new(),
                })
                .collect(),
            next_order: 10_000,
            payments: Vec::new(),
            rng: Rng::new(rng.next_u64()),
        };
        // Every account starts with one active order of two city proxies, so an order list
        // and its access data are there to look at before anything is bought.
        for a in 0..st.accounts.len() {
            let id = st.new_order(a, 4, 24, None, 2, 30, false);
            st.activate(a, id, 30, now);
        }
        st
    }

    /// The objects the canonical calls of spec/overlay.yaml (`call`) name besides the
    /// default order 10000 ([`crate::Options::examples`]), in the first account: the active
    /// "Mobile proxies plus" order 12345 (multiport, Ukraine, Orange), which takes every
    /// mobile operation.
    pub(crate) fn seed_examples(&mut self, now: i64) {
        if self.accounts.is_empty() {
            return;
        }
        let made = self.new_order(0, 9, 30, Some(37), 2, 30, true);
        if let Some(o) = self.accounts[0].orders.iter_mut().find(|o| o.id == made) {
            o.id = 12_345;
        }
        self.activate(0, 12_345, 30, now);
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.key.clone()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn new_order(
        &mut self,
        account: usize,
        service_id: u64,
        location_id: u64,
        operator_id: Option<u64>,
        quantity: i64,
        period: i64,
        multiport: bool,
    ) -> u64 {
        let id = self.next_order;
        self.next_order += 1;
        self.accounts[account].orders.push(Order {
            id,
            status: "waiting",
            service_id,
            location_id,
            operator_id,
            period,
            quantity,
            multiport,
            auto_continuation: false,
            access: None,
            proxies: Vec::new(),
            expires_at: None,
            autoreset: 0,
        });
        id
    }

    /// An order of this account, with its service.
    fn order_with_service(
        &mut self,
        account: usize,
        id: u64,
    ) -> Option<(&mut Order, &'static Svc)> {
        let o = self.accounts[account]
            .orders
            .iter_mut()
            .find(|o| o.id == id)?;
        let svc = service(o.service_id)?;
        Some((o, svc))
    }

    /// Pays `period` days of an order: activates it (allocating IPs and access data the
    /// first time) or extends an active one.
    fn activate(&mut self, account: usize, id: u64, period: i64, now: i64) {
        let rng = &mut self.rng;
        let Some(o) = self.accounts[account]
            .orders
            .iter_mut()
            .find(|o| o.id == id)
        else {
            return;
        };
        match (o.status, o.expires_at) {
            ("active", Some(exp)) => o.expires_at = Some(exp + period * DAY),
            _ => {
                o.status = "active";
                o.expires_at = Some(now + period * DAY);
            }
        }
        while (o.proxies.len() as i64) < o.quantity {
            o.proxies.push(rng.ip());
        }
        if o.access.is_none() {
            o.access = Some(Access {
                port: 8000,
                login: format!("ps{}", o.id),
                password: rng.token(12),
                ip_list: Vec::new(),
            });
        }
    }

    /// Runs the clock to `target`: an active order whose period ends drops into `waiting`
    /// (auto-continuation cannot be switched on through the API, so it never renews here).
    pub(crate) fn advance(&mut self, target: i64) {
        for a in &mut self.accounts {
            for o in &mut a.orders {
                if o.status == "active" && o.expires_at.is_some_and(|e| e <= target) {
                    if o.auto_continuation {
                        let svc = service(o.service_id);
                        let cost = svc.map_or(0, |s| s.cost_cents(o.quantity, o.period));
                        while o.expires_at.is_some_and(|e| e <= target) && a.balance_cents >= cost {
                            a.balance_cents -= cost;
                            o.expires_at = o.expires_at.map(|e| e + o.period * DAY);
                        }
                    }
                    if o.expires_at.is_some_and(|e| e <= target) {
                        o.status = "waiting";
                    }
                }
            }
        }
    }

    pub(crate) fn complete_payment(&mut self, id: &str, now: i64) -> Result<Value, String> {
        let i = self
            .payments
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| format!("no payment {id}"))?;
        if self.payments[i].paid {
            return Ok(json!({"paid": true, "already": true}));
        }
        self.payments[i].paid = true;
        match self.payments[i].what {
            PaymentFor::Order {
                account,
                order_id,
                period,
            } => {
                self.activate(account, order_id, period, now);
                Ok(json!({"paid": true, "order_id": order_id}))
            }
            PaymentFor::TopUp { account, cents } => {
                self.accounts[account].balance_cents += cents;
                Ok(json!({"paid": true, "balance": usd(self.accounts[account].balance_cents)}))
            }
        }
    }

    fn order_json(&self, o: &Order, currency: &str) -> Value {
        let svc = service(o.service_id);
        let cost = svc.map_or(0, |s| s.cost_cents(o.quantity, o.period));
        let minimal = svc.map_or(0, |s| s.cost_cents(o.quantity, s.periods()[0]));
        let mut v = json!({
            "id": o.id,
            "status": o.status,
            "service": svc.map_or(json!({"id": o.service_id}), |s| json!({"id": s.id, "provider": s.provider, "name": s.name})),
            "location": location_json(o.location_id),
            "period": o.period,
            "quantity": o.quantity,
            "minimal_payment": usd(minimal),
            "amount": usd(cost),
            "converted_amount": money(usd(cost) * rate(currency).unwrap_or(1.0)),
            "auto_continuation": o.auto_continuation,
            "allowed_operations": allowed_operations(o),
            "resources_allocated": o.access.is_some(),
        });
        if let Some((id, name)) = o
            .operator_id
            .and_then(|id| OPERATORS.iter().find(|x| x.0 == id))
        {
            v["operator"] = json!({"id": id, "name": name});
        }
        if let Some(a) = &o.access {
            v["access"] = json!({"port": a.port, "login": a.login, "password": a.password, "ip_list": a.ip_list});
            v["proxies"] = Value::Array(o.proxies.iter().map(|ip| json!({"ip": ip})).collect());
        }
        v
    }

    // --------------------------------------------------------------------- handlers

    // --------------------------------------------------------------------- dispatch

    /// Answers a routed request: the key as the operation needs it (401 without a body),
    /// `lang` and `currency` from the query (422), a body that is not JSON counts as none
    /// (Laravel), then the handler.
    pub(crate) fn handle(&mut self, route: Route, cx: &mut Cx<'_>) -> Reply {
        let key = cx.request.header_value("x-api-key").map(str::to_string);
        let account = key
            .as_deref()
            .and_then(|k| self.accounts.iter().position(|a| a.key == k));
        if route.auth == Auth::Required && account.is_none() {
            return Reply::empty(401);
        }
        if route.auth == Auth::Optional && key.is_some() && account.is_none() {
            return Reply::empty(401);
        }
        let mut q = Body::from_query(&cx.query);
        let lang = q.str("lang").unwrap_or_else(|| "EN".into());
        if !LANGS.contains(&lang.as_str()) {
            q.fail("lang", "The selected lang is invalid.");
        }
        let currency = q.str("currency").unwrap_or_else(|| "USD".into());
        if rate(&currency).is_none() {
            q.fail("currency", "The selected currency is invalid.");
        }
        if !q.errors.is_empty() {
            return invalid(q.errors);
        }
        let b = match Body::parse(cx.body, Style::Laravel) {
            Ok(b) => b,
            Err(_) => return invalid(vec![("body".into(), "The body must be JSON.".into())]),
        };
        let call = Call {
            account,
            lang,
            currency,
            b,
            id: route.id,
            now: cx.now,
            origin: cx.origin,
        };
        (route.handler)(self, call)
    }
}

/// A Laravel-style 422.
fn invalid(errors: Vec<(String, String)>) -> Reply {
    let mut map = serde_json::Map::new();
    for (field, msg) in &errors {
        let list = map
            .entry(field.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = list {
            a.push(json!(msg));
        }
    }
    let first = errors
        .first()
        .map_or("The given data was invalid.".to_string(), |e| e.1.clone());
    let message = match errors.len() {
        0 | 1 => first,
        n => format!(
            "{first} (and {} more error{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    Reply::json(422, &json!({"message": message, "errors": map}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxyshard::tests::spec_operations;

    #[test]
    fn the_table_is_the_contract() {
        let spec = spec_operations(include_str!("../../../spec/proxy-solutions.openapi.yaml"));
        let table: Vec<(String, String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.into(), r.path.into(), r.operation.into()))
            .collect();
        assert_eq!(table, spec, "the vendor's operations, in its order");
    }

    #[test]
    fn routes_and_ids() {
        let op = |m: &str, p: &str| route(m, p).map(|r| (r.operation, r.auth, r.id));
        assert_eq!(
            op("POST", "/user/orders/12/charge"),
            Some(("chargeOrder", Auth::Optional, 12))
        );
        assert_eq!(
            op("GET", "/services/4/locations/"),
            Some(("listServiceLocations", Auth::Public, 4))
        );
        assert_eq!(
            op("POST", "/user/balance/charge"),
            Some(("chargeUserBalance", Auth::Required, 0))
        );
        // Ids are 1 or more; segments are not decoded.
        assert_eq!(op("POST", "/user/orders/0"), None);
        assert_eq!(op("POST", "/user/orders/%31"), None);
        assert_eq!(op("POST", "/user/orders/charge"), None);
        assert_eq!(op("GET", "/user/orders/1"), None);
    }
}
