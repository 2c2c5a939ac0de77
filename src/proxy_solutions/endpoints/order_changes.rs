//! Orders → order changes: access data, or resizing an expired order (`changeOrder`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-changes>

use std::fmt;

use serde_json::Value;
use tsify::Tsify;

use super::{
    check_quantity, hint_quantity, is_ip, lang_currency, lang_currency_fields, quantity_field,
    query, some, Contextual, Hints, Validate,
};
use crate::endpoint::{object_of, Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxy_solutions::models::OrderEnvelope;
use crate::proxy_solutions::rules::{RuleContext, Subject};
use crate::proxy_solutions::shapes::ORDER_ENVELOPE;
use crate::validate::Problems;

/// `ip_auth` of `changeOrder`: a list of IP addresses (v4 or v6), or `"clear"`.
#[derive(Clone, Debug, PartialEq, Tsify)]
#[serde(untagged)]
#[tsify(type = "string[] | \"clear\"")]
pub enum IpAuth {
    /// The allowed IPs (an empty list clears them).
    List(Vec<String>),
    /// `"clear"`: remove every allowed IP (sent as `[]`, the documented form).
    Word(String),
}

/// Params of `changeOrder` (`POST /user/orders/{order_id}`): change access data, or resize
/// an expired order. Needs the API key. Send only what changes.
///
/// - An **active** order accepts only access-data changes: `port`, `login`, `password`,
///   `gen_password`, `ip_auth`.
/// - An **expired** order (before paying the extension) also accepts a new `quantity`:
///   mobile orders take only `quantity`; other orders take `remove_proxies` (IPs to drop) plus
///   the final `quantity` — the server removes those IPs and adds new ones until the order
///   has `quantity` addresses (4 IPs, remove 2, `quantity: 6` → 4 new IPs).
///
/// Rules (each from the order-changes page): `order_id` positive id; `quantity` within the
/// kind's cap when the kind is known; `remove_proxies` IP addresses (`string · ip[]`: IPv4 or
/// IPv6), only with the final `quantity`; `ip_auth` IP addresses (`[]` clears; `"clear"` is
/// accepted and sent as `[]`). Hints only (see [`Hints`]): `quantity: 0`, a duplicated
/// `remove_proxies` IP, `remove_proxies` on a mobile order (the docs say mobile orders send
/// only `quantity`, but do not forbid it), a port outside 1–65535, and a `password` sent with
/// `gen_password: true` (the docs: the password "is then ignored").
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-changes>
#[derive(Clone, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChangeOrderParams {
    /// The order (path).
    pub order_id: u64,
    /// Reply language (query). Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Reply currency (query). Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
    /// Final number of addresses/channels (expired orders only).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// IP addresses (v4 or v6) to drop (expired orders; needs `quantity`).
    #[serde(default)]
    #[tsify(optional, type = "string[]")]
    pub remove_proxies: Option<Vec<String>>,
    /// Proxy port.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub port: Option<u64>,
    /// Proxy login.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub login: Option<String>,
    /// New proxy password (ignored by the server with `gen_password: true`).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub password: Option<String>,
    /// `true`: the server generates a new password. Default `false`.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub gen_password: Option<bool>,
    /// IP addresses (v4 or v6) allowed without login/password; `[]` or `"clear"` removes
    /// them all.
    #[serde(default)]
    #[tsify(optional, type = "string[] | \"clear\"")]
    pub ip_auth: Option<IpAuth>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl fmt::Debug for ChangeOrderParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeOrderParams")
            .field("order_id", &self.order_id)
            .field("quantity", &self.quantity)
            .field("remove_proxies", &self.remove_proxies)
            .field("port", &self.port)
            .field("login", &self.login)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("gen_password", &self.gen_password)
            .field("ip_auth", &self.ip_auth)
            .finish_non_exhaustive()
    }
}

impl Validate for ChangeOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        lang_currency(&mut p, &self.lang, &self.currency);
        check_quantity(&mut p, self.quantity, &self.context);
        if let Some(ips) = &self.remove_proxies {
            // Order changes: "send remove_proxies … and, in quantity, the final number".
            if self.quantity.is_none() {
                p.add(
                    "quantity",
                    "is required with remove_proxies: the final number of proxies after removing them",
                );
            }
            // Order changes: `remove_proxies` is `string · ip[]` (IPv4 or IPv6).
            for (i, ip) in ips.iter().enumerate() {
                if !is_ip(ip) {
                    p.add(format!("remove_proxies[{i}]"), "must be an IP address");
                }
            }
        }
        match &self.ip_auth {
            // Order changes: `ip_auth` is `string · ip[]`; "an empty list or 'clear'" wipes it.
            Some(IpAuth::List(ips)) => {
                for (i, ip) in ips.iter().enumerate() {
                    if !is_ip(ip) {
                        p.add(format!("ip_auth[{i}]"), "must be an IP address");
                    }
                }
            }
            Some(IpAuth::Word(w)) if w != "clear" => {
                p.add("ip_auth", "must be a list of IP addresses or \"clear\"")
            }
            _ => {}
        }
        p
    }
}

impl Hints for ChangeOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        if let Some(ips) = &self.remove_proxies {
            if self.context.kind.is_some_and(|k| k.is_mobile()) {
                p.add(
                    "remove_proxies",
                    "hint: for mobile orders the docs say to send only the final quantity",
                );
            }
            for (i, ip) in ips.iter().enumerate() {
                if ips[..i].contains(ip) {
                    p.add(format!("remove_proxies[{i}]"), "hint: listed twice");
                }
            }
        }
        if let Some(port) = self.port {
            if !(1..=65535).contains(&port) {
                p.add("port", "hint: a TCP port is 1–65535");
            }
        }
        if self.gen_password == Some(true) && self.password.is_some() {
            p.add(
                "password",
                "hint: ignored with gen_password: true (the server generates the password)",
            );
        }
        p
    }
}

impl Contextual for ChangeOrderParams {
    const CONTEXT_OPTIONS: &'static [&'static str] = RuleContext::KEYS;
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for ChangeOrderParams {
    const OPERATION: &'static str = "changeOrder";
    const AUTH: Auth = Auth::Required;
    type Output = OrderEnvelope;
    const REPLY: &'static Ty = &ORDER_ENVELOPE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.order_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["user", "orders", &id]);
        s.query = query(&self.lang, &self.currency);
        let ip_auth = self.ip_auth.as_ref().map(|a| match a {
            IpAuth::List(l) => Value::from(l.clone()),
            IpAuth::Word(_) => Value::Array(Vec::new()),
        });
        s.body = Some(object_of(vec![
            ("quantity", some(self.quantity)),
            ("remove_proxies", some(self.remove_proxies.clone())),
            ("port", some(self.port)),
            ("login", some(self.login.clone())),
            ("password", some(self.password.clone())),
            ("gen_password", some(self.gen_password)),
            ("ip_auth", ip_auth),
        ]));
        Ok(s)
    }
}

impl FromJson for ChangeOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let order_id = f.uint("order_id")?;
        let (lang, currency) = lang_currency_fields(&mut f)?;
        let ip_auth = match f.opt_value("ip_auth") {
            None => None,
            Some(Value::String(s)) => Some(IpAuth::Word(s.clone())),
            Some(Value::Array(items)) => Some(IpAuth::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        x.as_str().map(str::to_owned).ok_or_else(|| {
                            Error::invalid(format!("ip_auth[{i}]"), "must be a string")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            )),
            Some(_) => {
                return Err(Error::invalid(
                    "ip_auth",
                    "must be a list of IPv4 addresses or \"clear\"",
                ))
            }
        };
        let p = ChangeOrderParams {
            order_id,
            lang,
            currency,
            quantity: f.take_with(quantity_field),
            remove_proxies: f.take_opt_str_list("remove_proxies"),
            port: f.take_opt_uint("port"),
            login: f.take_opt_str("login"),
            password: f.take_opt_str("password"),
            gen_password: f.take_opt_bool("gen_password"),
            ip_auth,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}
