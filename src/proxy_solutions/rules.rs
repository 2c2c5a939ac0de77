//! Proxy-Solutions business rules, as the vendor states them (`shared/api/proxy-solutions.md`
//! §7 and the vendor pages), plus what the SDK knows about a service's kind.
//!
//! Kind-dependent rules (periods, quantity caps) apply only when the kind is known: from a
//! call-option hint, or learned from catalogue and order replies this client has seen.
//! Otherwise the union of the documented values is accepted, never a guess.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::endpoints::Contextual;
use crate::error::Error;
use crate::json::{Fields, FromJson};
use crate::validate::MAX_SAFE_INTEGER;

/// The kinds of service the vendor's rules distinguish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Individual ("personal") proxies.
    Personal,
    /// Prime proxies.
    Prime,
    /// City proxies.
    City,
    /// Batch (packet) proxies; sizes come from the catalogue's `packets`.
    Batch,
    /// Mobile proxies.
    Mobile,
    /// "Mobile proxies plus" (relocation to another location allowed).
    MobilePlus,
}

impl ServiceKind {
    /// Every kind.
    pub const ALL: [ServiceKind; 6] = [
        ServiceKind::Personal,
        ServiceKind::Prime,
        ServiceKind::City,
        ServiceKind::Batch,
        ServiceKind::Mobile,
        ServiceKind::MobilePlus,
    ];

    /// Whether this is a mobile kind (channels rather than IPs; `perform` operations).
    pub fn is_mobile(self) -> bool {
        matches!(self, ServiceKind::Mobile | ServiceKind::MobilePlus)
    }

    /// A kind from its wire-style name.
    pub fn parse(name: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A kind named by a caller's argument (`name` is `None` when it was not a string); an
    /// unknown name is an `invalid_input` on `field` listing the kinds.
    pub fn from_field(name: Option<&str>, field: &str) -> Result<ServiceKind, Error> {
        name.and_then(ServiceKind::parse)
            .ok_or_else(|| Error::invalid(field, format!("must be one of {}", kind_names())))
    }

    /// The wire-style name (`personal`, `mobile_plus`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Personal => "personal",
            ServiceKind::Prime => "prime",
            ServiceKind::City => "city",
            ServiceKind::Batch => "batch",
            ServiceKind::Mobile => "mobile",
            ServiceKind::MobilePlus => "mobile_plus",
        }
    }
}

/// Default `period` of `createOrder` and `calculatePrice`, in days.
pub const DEFAULT_PERIOD: u64 = 30;
/// Default `quantity` of `createOrder` and `calculatePrice`.
pub const DEFAULT_QUANTITY: u64 = 1;
/// Default `multiport` of `createOrder` and `calculatePrice` (mobile: the client may change
/// equipment, which relocation needs).
pub const DEFAULT_MULTIPORT: bool = true;

/// The vendor's defaults of `createOrder` and `calculatePrice` (placing-an-order and payment
/// pages), as `ProxySolutionsRules.defaults()` returns them. proxykit never sends them:
/// leaving a field out means the vendor's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OrderDefaults {
    // Declared in alphabetical order, the key order the JS object has always had (it was
    // built from a JSON map, whose keys are sorted).
    /// `multiport`: [`DEFAULT_MULTIPORT`].
    pub multiport: bool,
    /// `period` in days: [`DEFAULT_PERIOD`].
    pub period: u64,
    /// `quantity`: [`DEFAULT_QUANTITY`].
    pub quantity: u64,
}

impl crate::json::ToJson for OrderDefaults {
    fn to_json(&self) -> serde_json::Value {
        crate::json::object([
            ("multiport", serde_json::Value::Bool(self.multiport)),
            ("period", self.period.to_json()),
            ("quantity", self.quantity.to_json()),
        ])
    }
}

impl crate::json::ToJson for ServiceKind {
    fn to_json(&self) -> serde_json::Value {
        self.as_str().to_json()
    }
}

/// [`OrderDefaults`] as the vendor states them.
pub const ORDER_DEFAULTS: OrderDefaults = OrderDefaults {
    multiport: DEFAULT_MULTIPORT,
    period: DEFAULT_PERIOD,
    quantity: DEFAULT_QUANTITY,
};
/// Periods (days) of individual, prime, city and batch proxies.
pub const PERIODS_STANDARD: &[u64] = &[30, 60, 90, 180, 365];
/// Periods (days) of mobile and mobile-plus proxies.
pub const PERIODS_MOBILE: &[u64] = &[1, 7, 30, 90, 365];
/// Every documented period: accepted when the kind is not known.
pub const PERIODS_ANY: &[u64] = &[1, 7, 30, 60, 90, 180, 365];
/// Languages of `?lang=`.
pub const LANGS: &[&str] = &["EN", "RU", "UA"];
/// Currencies of `?currency=`.
pub const CURRENCIES: &[&str] = &["USD", "EUR", "RUB", "UAH", "KZT"];
/// Codes of `performOrderOperation`'s `operation`.
pub const OPERATIONS: &[&str] = &[
    "channels-change-ip",
    "channels-reset",
    "channels-set-autoreset",
    "channels-relocate",
];
/// Smallest auto-reset `interval` (seconds) other than 0 (off).
pub const MIN_AUTORESET_INTERVAL: u64 = 60;
/// Smallest balance top-up (`amount` in USD, `payer_amount` in the currency).
pub const MIN_TOP_UP: f64 = 0.1;

/// The allowed `period` values in words, for a type error read before the service's kind is
/// known: "one of 30, 60, 90, 180, 365 days (mobile: 1, 7, 30, 90, 365)".
pub fn periods_text() -> String {
    format!(
        "one of {} days (mobile: {})",
        crate::json::comma_numbers(PERIODS_STANDARD),
        crate::json::comma_numbers(PERIODS_MOBILE)
    )
}

/// The allowed `quantity` values in words, for a type error (the caps of [`quantity_cap`]).
pub const QUANTITY_TEXT: &str =
    "at most 500 (personal), 100 (prime), 50 (city); for a batch service one of its batch sizes";

/// The allowed periods for a kind (the union when the kind is unknown).
pub fn allowed_periods(kind: Option<ServiceKind>) -> &'static [u64] {
    match kind {
        None => PERIODS_ANY,
        Some(k) if k.is_mobile() => PERIODS_MOBILE,
        Some(_) => PERIODS_STANDARD,
    }
}

/// The documented per-order quantity cap of a kind: personal 500, prime 100, city 50.
/// `None` for batch (sizes come from `packets`) and mobile (not documented).
pub fn quantity_cap(kind: ServiceKind) -> Option<u64> {
    match kind {
        ServiceKind::Personal => Some(500),
        ServiceKind::Prime => Some(100),
        ServiceKind::City => Some(50),
        ServiceKind::Batch | ServiceKind::Mobile | ServiceKind::MobilePlus => None,
    }
}

/// What the rules may know about the service an operation concerns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct RuleContext {
    /// The service's kind, when known.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "serviceKind"
    )]
    #[tsify(optional)]
    pub kind: Option<ServiceKind>,
    /// Batch sizes allowed for this service (its `packets`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub packets: Option<Vec<u64>>,
    /// Lets `createOrder` omit `location_id` for a tariff without locations (the docs mark it
    /// required, the price page calls it conditional).
    #[serde(default, rename = "allowMissingLocation")]
    #[tsify(optional)]
    pub allow_missing_location: bool,
}

impl RuleContext {
    /// The call options that carry a rule context, on the operations whose rules depend on
    /// the service (see [`super::endpoints::Contextual::CONTEXT_OPTIONS`]).
    pub const KEYS: &'static [&'static str] = &["serviceKind", "packets", "allowMissingLocation"];
}

impl FromJson for RuleContext {
    /// Reads `{ serviceKind?, packets?, allowMissingLocation? }`.
    fn from_json(v: &serde_json::Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let kind = match f.opt_str("serviceKind")? {
            None => None,
            Some(k) => Some(ServiceKind::parse(&k).ok_or_else(|| {
                Error::invalid("serviceKind", format!("must be one of {}", kind_names()))
            })?),
        };
        let packets = f.opt_uint_list("packets")?;
        let allow_missing_location = f.opt_bool("allowMissingLocation")?.unwrap_or(false);
        f.finish()?;
        Ok(RuleContext {
            kind,
            packets,
            allow_missing_location,
        })
    }
}

/// A service id given as a JavaScript number (`setServiceKind`): a whole number from 1 to
/// 2^53 − 1; anything else (`NaN` for a non-number) is an `invalid_input` on `field`.
pub fn service_id(n: f64, field: &str) -> Result<u64, Error> {
    (n.fract() == 0.0 && (1.0..=MAX_SAFE_INTEGER as f64).contains(&n))
        .then_some(n as u64)
        .ok_or_else(|| Error::invalid(field, "must be a positive whole number"))
}

/// `personal, prime, city, batch, mobile, mobile_plus`.
pub fn kind_names() -> String {
    crate::json::comma_list(&ServiceKind::ALL.map(ServiceKind::as_str))
}

/// What the client has learned from replies: service kinds and batch sizes per service id,
/// and the service of each order. Best effort: the catalogue's reply shape is not
/// published, so a service whose kind cannot be read unambiguously stays unknown.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    services: IdMap<(Option<ServiceKind>, Option<Vec<u64>>)>,
    orders: IdMap<u64>,
}

/// A map from ids, as a vector sorted by id (binary search). Not a `HashMap`: that linked
/// hashbrown and SipHash into the wasm for this one use (about 3 KB gzip); a catalogue holds
/// tens to a few thousand ids, where a sorted vector is as fast.
#[derive(Clone, Debug, Default)]
struct IdMap<V>(Vec<(u64, V)>);

impl<V: Default> IdMap<V> {
    fn get(&self, id: &u64) -> Option<&V> {
        self.0
            .binary_search_by_key(id, |(k, _)| *k)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    fn entry_or_default(&mut self, id: u64) -> &mut V {
        let i = match self.0.binary_search_by_key(&id, |(k, _)| *k) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (id, V::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    fn insert(&mut self, id: u64, value: V) {
        *self.entry_or_default(id) = value;
    }
}

/// Which service or order an operation concerns, for looking up its [`RuleContext`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A service id (`createOrder`, `calculatePrice`).
    Service(u64),
    /// An order id (`changeOrder`, `chargeOrder`, `performOrderOperation`).
    Order(u64),
    /// Nothing kind-dependent.
    None,
}

impl Catalogue {
    /// The context for a subject: the caller's hint wins field by field over what was learned.
    pub fn context(&self, subject: Subject, hint: RuleContext) -> RuleContext {
        let service = match subject {
            Subject::Service(id) => Some(id),
            Subject::Order(id) => self.orders.get(&id).copied(),
            Subject::None => None,
        };
        let learned = service.and_then(|s| self.services.get(&s));
        RuleContext {
            kind: hint.kind.or_else(|| learned.and_then(|l| l.0)),
            packets: hint.packets.or_else(|| learned.and_then(|l| l.1.clone())),
            allow_missing_location: hint.allow_missing_location,
        }
    }

    /// Resolves an operation's rule context before it is sent: the caller's `hint` (the
    /// call options' [`RuleContext::KEYS`], as JSON) over what was learned about the
    /// operation's service or order. A bad hint is an `invalid_input` naming its field
    /// (`serviceKind`); the JS layer puts it under `callOptions`.
    pub fn apply<E: Contextual>(
        &self,
        operation: &mut E,
        hint: &serde_json::Value,
    ) -> Result<(), Error> {
        let hint = RuleContext::from_json(hint)?;
        operation.set_context(self.context(operation.subject(), hint));
        Ok(())
    }

    /// Records a service's kind (e.g. from a UI that knows it).
    pub fn set_kind(&mut self, service_id: u64, kind: ServiceKind) {
        self.services.entry_or_default(service_id).0 = Some(kind);
    }

    /// Learns from a reply: services from `listServices`, orders (and their services) from
    /// the order replies. Unknown shapes are ignored.
    pub fn learn(&mut self, operation: &str, reply: &serde_json::Value) {
        match operation {
            "listServices" => {
                for svc in service_objects(reply) {
                    self.learn_service(svc);
                }
            }
            "listOrders" | "createOrder" => {
                if let Some(orders) = reply.get("orders").and_then(|o| o.as_array()) {
                    orders.iter().for_each(|o| self.learn_order(o));
                }
            }
            "changeOrder" | "performOrderOperation" => {
                if let Some(o) = reply.get("order") {
                    self.learn_order(o);
                }
            }
            _ => {}
        }
    }

    fn learn_service(&mut self, svc: &serde_json::Value) {
        let Some(id) = svc.get("id").and_then(|i| i.as_u64()) else {
            return;
        };
        let explicit = ["kind", "type", "category"]
            .iter()
            .filter_map(|k| svc.get(*k).and_then(|v| v.as_str()))
            .find_map(kind_from_label);
        let named = svc
            .get("name")
            .and_then(|n| n.as_str())
            .and_then(kind_from_name);
        let packets = svc.get("packets").and_then(|p| p.as_array()).and_then(|a| {
            a.iter()
                .map(|x| x.as_u64().filter(|n| *n > 0))
                .collect::<Option<Vec<u64>>>()
        });
        let kind = explicit
            .or(named)
            .or(packets.as_ref().map(|_| ServiceKind::Batch));
        let entry = self.services.entry_or_default(id);
        if kind.is_some() {
            entry.0 = kind;
        }
        if packets.is_some() {
            entry.1 = packets;
        }
    }

    fn learn_order(&mut self, order: &serde_json::Value) {
        let id = order.get("id").and_then(|i| i.as_u64());
        let service = order.get("service");
        let service_id = service.and_then(|s| s.get("id")).and_then(|i| i.as_u64());
        if let (Some(id), Some(sid)) = (id, service_id) {
            self.orders.insert(id, sid);
            if let Some(svc) = service {
                if let Some(kind) = svc
                    .get("name")
                    .and_then(|n| n.as_str())
                    .and_then(kind_from_name)
                {
                    self.services.entry_or_default(sid).0.get_or_insert(kind);
                }
            }
        }
    }
}

/// Service-like objects in a catalogue reply of unknown shape: the reply itself if it is an
/// array, else arrays under common keys.
fn service_objects(reply: &serde_json::Value) -> Vec<&serde_json::Value> {
    let arrays: Vec<&Vec<serde_json::Value>> = match reply {
        serde_json::Value::Array(a) => vec![a],
        serde_json::Value::Object(o) => ["services", "data", "items", "tariffs"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(|v| v.as_array()))
            .collect(),
        _ => vec![],
    };
    arrays
        .into_iter()
        .flatten()
        .filter(|v| v.is_object())
        .collect()
}

fn kind_from_label(label: &str) -> Option<ServiceKind> {
    let l = label.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    match l.as_str() {
        "personal" | "individual" => Some(ServiceKind::Personal),
        "prime" => Some(ServiceKind::Prime),
        "city" => Some(ServiceKind::City),
        "batch" | "packet" | "packets" => Some(ServiceKind::Batch),
        "mobile" => Some(ServiceKind::Mobile),
        "mobile_plus" => Some(ServiceKind::MobilePlus),
        _ => None,
    }
}

/// A kind from a display name such as "City proxies" or "Mobile proxies plus". Exactly one
/// kind word must appear; anything ambiguous stays unknown. The kind words are ASCII, so the
/// name is lower-cased as ASCII: `to_lowercase` would pull Unicode case tables into the
/// wasm (~10 KB gzip) to change only letters no kind word has.
fn kind_from_name(name: &str) -> Option<ServiceKind> {
    let n = name.to_ascii_lowercase();
    let has = |w: &str| crate::json::has_text(&n, w);
    let mut found = Vec::new();
    if has("mobile") {
        found.push(if has("plus") {
            ServiceKind::MobilePlus
        } else {
            ServiceKind::Mobile
        });
    }
    if has("prime") {
        found.push(ServiceKind::Prime);
    }
    if has("city") {
        found.push(ServiceKind::City);
    }
    if has("batch") || has("packet") {
        found.push(ServiceKind::Batch);
    }
    if has("personal") || has("individual") {
        found.push(ServiceKind::Personal);
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn periods_and_caps() {
        assert_eq!(
            allowed_periods(Some(ServiceKind::City)),
            &[30, 60, 90, 180, 365]
        );
        assert_eq!(
            allowed_periods(Some(ServiceKind::MobilePlus)),
            &[1, 7, 30, 90, 365]
        );
        assert_eq!(allowed_periods(None), &[1, 7, 30, 60, 90, 180, 365]);
        assert_eq!(quantity_cap(ServiceKind::Personal), Some(500));
        assert_eq!(quantity_cap(ServiceKind::Prime), Some(100));
        assert_eq!(quantity_cap(ServiceKind::City), Some(50));
        assert_eq!(quantity_cap(ServiceKind::Mobile), None);
    }

    #[test]
    fn names_classify_only_when_unambiguous() {
        assert_eq!(kind_from_name("City proxies"), Some(ServiceKind::City));
        assert_eq!(
            kind_from_name("Mobile proxies plus"),
            Some(ServiceKind::MobilePlus)
        );
        assert_eq!(kind_from_name("Mobile proxies"), Some(ServiceKind::Mobile));
        assert_eq!(
            kind_from_name("Individual proxies"),
            Some(ServiceKind::Personal)
        );
        assert_eq!(kind_from_name("Prime"), Some(ServiceKind::Prime));
        assert_eq!(kind_from_name("City mobile proxies"), None);
        // Any ASCII case; non-ASCII letters are left as they are.
        assert_eq!(kind_from_name("CITY PROXIES"), Some(ServiceKind::City));
        assert_eq!(
            kind_from_name("Mobile Proxies PLUS"),
            Some(ServiceKind::MobilePlus)
        );
        assert_eq!(kind_from_name("PrImE – Ёмкие"), Some(ServiceKind::Prime));
        assert_eq!(kind_from_name("Residential"), None);
    }

    #[test]
    fn learns_from_catalogue_and_orders() {
        let mut c = Catalogue::default();
        c.learn(
            "listServices",
            &json!({"services": [
                {"id": 4, "name": "City proxies"},
                {"id": 7, "name": "Batch proxies", "packets": [10, 50, 100]},
                {"id": 9, "name": "Something", "type": "mobile-plus"},
                {"id": 11, "name": "Unclear"},
                "junk"
            ]}),
        );
        let ctx = |c: &Catalogue, s| c.context(s, RuleContext::default());
        assert_eq!(ctx(&c, Subject::Service(4)).kind, Some(ServiceKind::City));
        assert_eq!(
            ctx(&c, Subject::Service(7)).packets,
            Some(vec![10, 50, 100])
        );
        assert_eq!(
            ctx(&c, Subject::Service(9)).kind,
            Some(ServiceKind::MobilePlus)
        );
        assert_eq!(ctx(&c, Subject::Service(11)).kind, None);
        assert_eq!(ctx(&c, Subject::Service(99)).kind, None);

        c.learn(
            "listOrders",
            &json!({"orders": [{"id": 10000, "service": {"id": 4, "name": "City proxies"}}]}),
        );
        assert_eq!(ctx(&c, Subject::Order(10000)).kind, Some(ServiceKind::City));
        // The caller's hint wins.
        let hinted = c.context(
            Subject::Order(10000),
            RuleContext {
                kind: Some(ServiceKind::Mobile),
                ..Default::default()
            },
        );
        assert_eq!(hinted.kind, Some(ServiceKind::Mobile));
        // A bare array reply is read too; unknown shapes are ignored.
        c.learn("listServices", &json!([{"id": 12, "kind": "prime"}]));
        assert_eq!(ctx(&c, Subject::Service(12)).kind, Some(ServiceKind::Prime));
        c.learn("listServices", &json!("nonsense"));
    }

    #[test]
    fn kinds_and_service_ids_from_arguments() {
        assert_eq!(
            ServiceKind::from_field(Some("mobile_plus"), "kind"),
            Ok(ServiceKind::MobilePlus)
        );
        for bad in [Some("Mobile"), Some(""), None] {
            let e = ServiceKind::from_field(bad, "kind").unwrap_err();
            assert_eq!(e.field(), Some("kind"));
            assert!(e
                .to_string()
                .contains("must be one of personal, prime, city, batch, mobile, mobile_plus"));
        }
        assert_eq!(service_id(4.0, "serviceId"), Ok(4));
        assert_eq!(
            service_id(9007199254740991.0, "serviceId"),
            Ok((1 << 53) - 1)
        );
        for bad in [0.0, -1.0, 1.5, 9007199254740992.0, f64::NAN, f64::INFINITY] {
            let e = service_id(bad, "serviceId").unwrap_err();
            assert_eq!(e.field(), Some("serviceId"), "{bad}");
        }
    }

    #[test]
    fn order_defaults() {
        assert_eq!(
            serde_json::to_value(ORDER_DEFAULTS).unwrap(),
            json!({"period": 30, "quantity": 1, "multiport": true})
        );
        assert_eq!(
            serde_json::to_string(&ORDER_DEFAULTS).unwrap(),
            r#"{"multiport":true,"period":30,"quantity":1}"#
        );
    }

    #[test]
    fn catalogue_applies_hint_over_learned_context() {
        use crate::proxy_solutions::endpoints::{
            ChangeOrderParams, Contextual, CreateOrderParams, ListOrdersParams,
        };
        assert_eq!(
            <CreateOrderParams as Contextual>::CONTEXT_OPTIONS,
            ["serviceKind", "packets", "allowMissingLocation"]
        );
        assert!(<ListOrdersParams as Contextual>::CONTEXT_OPTIONS.is_empty());

        let mut c = Catalogue::default();
        c.learn(
            "listOrders",
            &json!({"orders": [{"id": 10, "service": {"id": 4, "name": "City proxies"}}]}),
        );
        let mut change = ChangeOrderParams {
            order_id: 10,
            ..Default::default()
        };
        c.apply(&mut change, &json!({})).unwrap();
        assert_eq!(change.context.kind, Some(ServiceKind::City));
        c.apply(
            &mut change,
            &json!({"serviceKind": "prime", "packets": [5]}),
        )
        .unwrap();
        assert_eq!(change.context.kind, Some(ServiceKind::Prime));
        assert_eq!(change.context.packets, Some(vec![5]));

        let mut create = CreateOrderParams {
            service_id: 4,
            ..Default::default()
        };
        c.apply(&mut create, &json!({"allowMissingLocation": true}))
            .unwrap();
        assert_eq!(create.context.kind, Some(ServiceKind::City));
        assert!(create.context.allow_missing_location);

        let e = c
            .apply(&mut create, &json!({"serviceKind": "tiny"}))
            .unwrap_err();
        assert_eq!(
            e.under("callOptions").field(),
            Some("callOptions.serviceKind")
        );
    }
}
