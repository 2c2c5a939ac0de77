//! `ProxySolutionsClient` and `ProxySolutionsRules`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::clients::{build_client, reject, spawn, Inner};
use super::convert::{
    call_options_from_js, error_to_js, js_to_json, json_to_js, params_from_js, problems_to_js,
};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::json::FromJson;
use crate::proxy_solutions::endpoints::*;
use crate::proxy_solutions::rules::{self, Catalogue, RuleContext, ServiceKind};
use crate::proxy_solutions::DEFAULTS;

const OPTIONS: &[&str] = &["authHeader", "authPrefix"];
/// Call-option keys of the operations whose rules depend on the service kind.
const HINT_KEYS: &[&str] = &["serviceKind", "packets", "allowMissingLocation"];

/// Client of the Proxy-Solutions v3 API (<https://proxy-solutions.gitbook.io/api-en/>).
///
/// Every method takes one params object with the vendor's wire field names and optional
/// call options, and resolves to the reply with wire field names. Input is checked against
/// the vendor's rules first (nothing is sent while a rule is broken). Failures reject with a
/// `ProxykitError` (see `isProxykitError`).
///
/// Period and quantity rules depend on the service's kind (individual, prime, city, batch,
/// mobile). The client learns kinds from `listServices` and order replies; pass
/// `{ serviceKind }` in the call options when you know it better.
#[wasm_bindgen]
pub struct ProxySolutionsClient {
    inner: Inner,
    catalogue: Rc<RefCell<Catalogue>>,
}

impl ProxySolutionsClient {
    fn run<E>(&self, params: Option<Object>, options: Option<Object>, hints: bool) -> Promise
    where
        E: Endpoint + Contextual + FromJson + 'static,
    {
        let keys: &[&str] = if hints { HINT_KEYS } else { &[] };
        let prepared = params_from_js::<E>(params).and_then(|mut ep| {
            let (opts, extra) = call_options_from_js(options, keys)?;
            let hint = RuleContext::from_json(&extra).map_err(|e| e.under("callOptions"))?;
            let context = self.catalogue.borrow().context(ep.subject(), hint);
            ep.set_context(context);
            Ok((ep, opts))
        });
        match prepared {
            Ok((endpoint, opts)) => {
                let catalogue = Rc::clone(&self.catalogue);
                let learn = move |reply: &serde_json::Value| {
                    catalogue.borrow_mut().learn(E::OPERATION, reply)
                };
                spawn(&self.inner, &endpoint, opts, Some(Box::new(learn)))
            }
            Err(e) => reject(e),
        }
    }
}

/// One method per operation: `$js` is the operationId, `$params`/`$pty` the params type in
/// Rust/TS, `$ret` the TS reply type, `$hints` whether the kind hint is accepted.
macro_rules! operation {
    ($(#[$doc:meta])* $rust:ident, $js:tt, $params:ty, $pty:tt, $ret:tt, hints: $hints:tt, $oty:tt) => {
        #[wasm_bindgen]
        impl ProxySolutionsClient {
            $(#[$doc])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
            pub fn $rust(
                &self,
                #[wasm_bindgen(unchecked_optional_param_type = $pty)] params: Option<Object>,
                #[wasm_bindgen(unchecked_optional_param_type = $oty)] options: Option<Object>,
            ) -> Promise {
                self.run::<$params>(params, options, $hints)
            }
        }
    };
}

#[wasm_bindgen]
impl ProxySolutionsClient {
    /// Creates a client. Throws an `invalid_input` `ProxykitError` for a malformed option
    /// (a bad URL, a non-string key, an unknown option name).
    ///
    /// The vendor does not publish how the API key is sent: the default is the header
    /// `X-API-KEY: <key>`; change it with `authHeader` / `authPrefix`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ProxySolutionsOptions")] options: Option<
            Object,
        >,
    ) -> Result<ProxySolutionsClient, JsValue> {
        Ok(ProxySolutionsClient {
            inner: build_client(options, OPTIONS, DEFAULTS)?,
            catalogue: Rc::default(),
        })
    }

    /// Tells the client a service's kind, for the period and quantity rules of calls on that
    /// service and its orders (e.g. from your own catalogue).
    #[wasm_bindgen(js_name = setServiceKind)]
    #[allow(non_snake_case)] // the parameter name is what TypeScript shows
    pub fn set_service_kind(
        &self,
        // A JsValue, not an f64: wasm-bindgen's number conversion throws a plain TypeError
        // on a BigInt or Symbol (the fuzz test found it); here every value gets a typed error.
        #[wasm_bindgen(unchecked_param_type = "number")] serviceId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ServiceKind")] kind: JsValue,
    ) -> Result<(), JsValue> {
        let serviceId = serviceId.as_f64().unwrap_or(f64::NAN);
        let id = (serviceId.fract() == 0.0 && (1.0..=9007199254740991.0).contains(&serviceId))
            .then_some(serviceId as u64)
            .ok_or_else(|| {
                error_to_js(Error::invalid(
                    "serviceId",
                    "must be a positive whole number",
                ))
            })?;
        let kind = kind_from_js(kind, "kind").map_err(error_to_js)?;
        self.catalogue.borrow_mut().set_kind(id, kind);
        Ok(())
    }
}

operation!(
    /// Every order of the account (`GET /user/orders`), in one reply. Needs the API key.
    /// Rules and fields: see `ListOrdersParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-list-reception>
    list_orders, "listOrders", ListOrdersParams, "ListOrdersParams", "Promise<OrdersEnvelope>",
    hints: false, "CallOptions"
);
operation!(
    /// Places an order (`POST /user/orders`); pay for it with `chargeOrder`. Needs the API key.
    /// Defaults: `quantity` 1, `period` 30 days, `multiport` true. Rules: see
    /// `CreateOrderParams` (periods and caps per service kind; `location_id` required unless
    /// `allowMissingLocation` is set in the call options).
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>
    create_order, "createOrder", CreateOrderParams, "CreateOrderParams", "Promise<OrdersEnvelope>",
    hints: true, "ProxySolutionsCallOptions"
);
operation!(
    /// Changes an order (`POST /user/orders/{order_id}`). An **active** order accepts only
    /// access data (`port`, `login`, `password`, `gen_password`, `ip_auth`); an **expired**
    /// one also a new `quantity` (with `remove_proxies` for non-mobile orders). Needs the API
    /// key. Rules: see `ChangeOrderParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-changes>
    change_order, "changeOrder", ChangeOrderParams, "ChangeOrderParams", "Promise<OrderEnvelope>",
    hints: true, "ProxySolutionsCallOptions"
);
operation!(
    /// Pays for or extends an order (`POST /user/orders/{order_id}/charge`): a payment link
    /// in `payment.url`, or `merchant: "balance"` to pay at once from the API balance (needs
    /// the API key). Without `period` the order's own period is billed. **Moves money.**
    /// Rules: see `ChargeOrderParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
    charge_order, "chargeOrder", ChargeOrderParams, "ChargeOrderParams", "Promise<PaymentEnvelope>",
    hints: true, "ProxySolutionsCallOptions"
);
operation!(
    /// Runs a mobile channel operation (`POST /user/orders/{order_id}/perform`): change IP,
    /// reboot, set auto-reboot, relocate. The operation must be in the order's
    /// `allowed_operations`. Needs the API key. Rules: see `PerformOrderOperationParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-operations>
    perform_order_operation, "performOrderOperation", PerformOrderOperationParams,
    "PerformOrderOperationParams", "Promise<PerformResponse>",
    hints: true, "ProxySolutionsCallOptions"
);
operation!(
    /// Tops up the API balance through a payment system (`POST /user/balance/charge`).
    /// **Moves money.** Needs the API key. Rules: see `ChargeUserBalanceParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/user/charge-user-profile>
    charge_user_balance, "chargeUserBalance", ChargeUserBalanceParams, "ChargeUserBalanceParams",
    "Promise<BalanceChargeReply>", hints: false, "CallOptions"
);
operation!(
    /// Lists the payment methods usable right now, each with the currencies it accepts
    /// (`GET /merchants`). Pass a merchant's `code` as `merchant` when paying. Public.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
    list_merchants, "listMerchants", ListMerchantsParams, "ListMerchantsParams",
    "Promise<MerchantList>", hints: false, "CallOptions"
);
operation!(
    /// Prices an order (`POST /services/{service_id}/price`): cost in USD and the sum to pay
    /// through a payment system, with a promocode's discount. Public. Defaults: `quantity`
    /// 1, `period` 30. Rules: see `CalculatePriceParams`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
    calculate_price, "calculatePrice", CalculatePriceParams, "CalculatePriceParams",
    "Promise<PriceResponse>", hints: true, "ProxySolutionsCallOptions"
);
operation!(
    /// The tariff catalogue (`GET /services`), source of `service_id`. The vendor references
    /// but does not publish this call: the reply is returned as received. The client learns
    /// service kinds from it when it can read them.
    list_services, "listServices", ListServicesParams, "ListServicesParams",
    "Promise<CatalogueReply>", hints: false, "CallOptions"
);
operation!(
    /// The locations of a tariff (`GET /services/{service_id}/locations`), source of
    /// `location_id`. Referenced but not published by the vendor: the reply is returned as
    /// received.
    list_service_locations, "listServiceLocations", ListServiceLocationsParams,
    "ListServiceLocationsParams", "Promise<CatalogueReply>", hints: false, "CallOptions"
);

fn kind_from_js(v: JsValue, field: &str) -> Result<ServiceKind, Error> {
    v.as_string()
        .and_then(|k| ServiceKind::parse(&k))
        .ok_or_else(|| Error::invalid(field, format!("must be one of {}", rules::kind_names())))
}

/// The Proxy-Solutions rules as data and pure checks, for forms: nothing is sent.
///
/// ```js
/// ProxySolutionsRules.allowedPeriods("mobile")            // [1, 7, 30, 90, 365]
/// ProxySolutionsRules.validateCreateOrder({ service_id: 4, quantity: 60 }, { serviceKind: "city" })
/// // [{ field: "location_id", rule: "is required …" }, { field: "quantity", rule: "must be at most 50 …" }]
/// ```
#[wasm_bindgen]
pub struct ProxySolutionsRules;

fn validate<E>(params: Option<Object>, context: Option<Object>) -> Result<JsValue, JsValue>
where
    E: Validate + Contextual + FromJson,
{
    problems_to_js::<E>(params, |ep| {
        let ctx = match context {
            Some(c) if !c.is_undefined() && !c.is_null() => {
                let json = js_to_json(&c, &mut "context".to_owned(), 1)?;
                RuleContext::from_json(&json).map_err(|e| e.under("context"))?
            }
            _ => RuleContext::default(),
        };
        ep.set_context(ctx);
        Ok(())
    })
}

macro_rules! validator {
    ($(#[$doc:meta])* $rust:ident, $js:tt, $params:ty, $pty:tt) => {
        #[wasm_bindgen]
        impl ProxySolutionsRules {
            $(#[$doc])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = "Problem[]")]
            pub fn $rust(
                #[wasm_bindgen(unchecked_param_type = $pty)] params: Option<Object>,
                #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
            ) -> Result<JsValue, JsValue> {
                validate::<$params>(params, context)
            }
        }
    };
}

validator!(
    /// Every broken rule of `createOrder` params (empty when valid). Nothing is sent.
    validate_create_order, "validateCreateOrder", CreateOrderParams, "CreateOrderParams"
);
validator!(
    /// Every broken rule of `changeOrder` params (empty when valid). Nothing is sent.
    validate_change_order, "validateChangeOrder", ChangeOrderParams, "ChangeOrderParams"
);
validator!(
    /// Every broken rule of `chargeOrder` params (empty when valid). Nothing is sent.
    validate_charge_order, "validateChargeOrder", ChargeOrderParams, "ChargeOrderParams"
);
validator!(
    /// Every broken rule of `performOrderOperation` params (empty when valid).
    validate_perform_order_operation, "validatePerformOrderOperation",
    PerformOrderOperationParams, "PerformOrderOperationParams"
);
validator!(
    /// Every broken rule of `chargeUserBalance` params (empty when valid).
    validate_charge_user_balance, "validateChargeUserBalance", ChargeUserBalanceParams,
    "ChargeUserBalanceParams"
);
validator!(
    /// Every broken rule of `calculatePrice` params (empty when valid).
    validate_calculate_price, "validateCalculatePrice", CalculatePriceParams,
    "CalculatePriceParams"
);

#[wasm_bindgen]
impl ProxySolutionsRules {
    /// The allowed periods in days: 30/60/90/180/365 for individual, prime, city and batch
    /// proxies; 1/7/30/90/365 for mobile; all of them when `kind` is left out.
    #[wasm_bindgen(js_name = allowedPeriods, unchecked_return_type = "number[]")]
    pub fn allowed_periods(
        #[wasm_bindgen(unchecked_optional_param_type = "ServiceKind")] kind: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let kind = match kind {
            Some(k) if !k.is_undefined() && !k.is_null() => {
                Some(kind_from_js(k.into(), "kind").map_err(error_to_js)?)
            }
            _ => None,
        };
        json_to_js(&rules::allowed_periods(kind)).map_err(error_to_js)
    }

    /// The documented per-order quantity cap: personal 500, prime 100, city 50;
    /// `undefined` for batch (sizes come from the catalogue's `packets`) and mobile (not
    /// documented).
    #[wasm_bindgen(js_name = quantityCap, unchecked_return_type = "number | undefined")]
    pub fn quantity_cap(
        #[wasm_bindgen(unchecked_param_type = "ServiceKind")] kind: JsValue,
    ) -> Result<JsValue, JsValue> {
        let kind = kind_from_js(kind, "kind").map_err(error_to_js)?;
        Ok(rules::quantity_cap(kind).map_or(JsValue::UNDEFINED, |c| JsValue::from(c as f64)))
    }

    /// The vendor's defaults: `{ period: 30, quantity: 1, multiport: true }`.
    #[wasm_bindgen(
        unchecked_return_type = "{ period: number; quantity: number; multiport: boolean }"
    )]
    pub fn defaults() -> Result<JsValue, JsValue> {
        json_to_js(&serde_json::json!({
            "period": rules::DEFAULT_PERIOD,
            "quantity": rules::DEFAULT_QUANTITY,
            "multiport": true,
        }))
        .map_err(error_to_js)
    }

    /// Every service kind the rules know.
    #[wasm_bindgen(js_name = serviceKinds, unchecked_return_type = "ServiceKind[]")]
    pub fn service_kinds() -> Result<JsValue, JsValue> {
        json_to_js(&ServiceKind::ALL).map_err(error_to_js)
    }

    /// The `performOrderOperation` codes.
    #[wasm_bindgen(unchecked_return_type = "OrderOperation[]")]
    pub fn operations() -> Result<JsValue, JsValue> {
        json_to_js(&rules::OPERATIONS).map_err(error_to_js)
    }

    /// The `lang` values (`EN`, `RU`, `UA`).
    #[wasm_bindgen(unchecked_return_type = "Lang[]")]
    pub fn langs() -> Result<JsValue, JsValue> {
        json_to_js(&rules::LANGS).map_err(error_to_js)
    }

    /// The `currency` query values (`USD`, `EUR`, `RUB`, `UAH`, `KZT`).
    #[wasm_bindgen(unchecked_return_type = "Currency[]")]
    pub fn currencies() -> Result<JsValue, JsValue> {
        json_to_js(&rules::CURRENCIES).map_err(error_to_js)
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY_SOLUTIONS: &'static str = r#"
/** Reply language (`?lang=`). Note `UA`, not ISO `uk`. */
export type Lang = "EN" | "RU" | "UA";
/** Currency of converted amounts (`?currency=`). */
export type Currency = "USD" | "EUR" | "RUB" | "UAH" | "KZT";
/** Order state; only `waiting` (expired without auto-renewal) is explained by the vendor. */
export type OrderStatus =
  | "waiting"
  | "waiting.activation"
  | "active"
  | "active.suspended"
  | "archived"
  | (string & {});
/** Mobile channel operations of `performOrderOperation`. */
export type OrderOperation =
  | "channels-change-ip"
  | "channels-reset"
  | "channels-set-autoreset"
  | "channels-relocate";
/** `listServices` / `listServiceLocations` replies: unpublished shape, returned as received. */
export type CatalogueReply = Record<string, unknown> | unknown[];
/**
 * Call options of Proxy-Solutions operations whose rules depend on the service: the kind
 * (when you know it better than the client's catalogue), batch `packets`, and the escape
 * hatch for creating an order on a tariff without locations.
 */
export interface ProxySolutionsCallOptions extends CallOptions, RuleContext {}
"#;
