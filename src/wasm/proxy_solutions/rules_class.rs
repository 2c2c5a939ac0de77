//! `ProxySolutionsRules`: the Proxy-Solutions rules as data and pure checks for forms, from
//! the core. Behind the cargo feature `rules`: the provider entry `proxykit/proxy-solutions`
//! is built without it (a storefront's client does not link the form machinery, ~11 KB gzip
//! of wasm); the root entry and `proxykit/proxy-solutions/rules` have it.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::kind_from_js;
use crate::error::Error;
use crate::json::FromJson;
use crate::proxy_solutions::endpoints::*;
use crate::proxy_solutions::forms::{self, problems_of};
use crate::proxy_solutions::rules::{self, RuleContext, ServiceKind};
use crate::wasm::convert::{error_to_js, js_to_json, json_to_js, no_problems, problems_to_js};

/// The Proxy-Solutions rules as data and pure checks, for forms: nothing is sent.
///
/// ```js
/// ProxySolutionsRules.allowedPeriods("mobile")            // [1, 7, 30, 90, 365]
/// ProxySolutionsRules.validateCreateOrder({ service_id: 4, quantity: 60 }, { serviceKind: "city" })
/// // [{ field: "location_id", rule: "is required …" }, { field: "quantity", rule: "must be at most 50 …" }]
/// ```
#[wasm_bindgen]
pub struct ProxySolutionsRules;

fn rule_context(context: Option<Object>) -> Result<RuleContext, Error> {
    match context {
        Some(c) if !c.is_undefined() && !c.is_null() => {
            let json = js_to_json(&c, "context", 1)?;
            RuleContext::from_json(&json).map_err(|e| e.under("context"))
        }
        _ => Ok(RuleContext::default()),
    }
}

fn validate<E>(params: Option<Object>, context: Option<Object>) -> Result<JsValue, JsValue>
where
    E: Validate + Contextual + FromJson,
{
    problems_to_js(params, |p| problems_of::<E>(p, || rule_context(context)))
}

#[wasm_bindgen]
impl ProxySolutionsRules {
    /// Every broken rule of `createOrder` params (empty when valid): the rules `createOrder` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validateCreateOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_create_order(
        #[wasm_bindgen(unchecked_param_type = "CreateOrderParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<CreateOrderParams>(params, context)
    }

    /// Every broken rule of `changeOrder` params (empty when valid): the rules `changeOrder` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validateChangeOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_change_order(
        #[wasm_bindgen(unchecked_param_type = "ChangeOrderParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<ChangeOrderParams>(params, context)
    }

    /// Every broken rule of `chargeOrder` params (empty when valid): the rules `chargeOrder` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validateChargeOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_charge_order(
        #[wasm_bindgen(unchecked_param_type = "ChargeOrderParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<ChargeOrderParams>(params, context)
    }

    /// Every broken rule of `performOrderOperation` params (empty when valid): the rules `performOrderOperation` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validatePerformOrderOperation, unchecked_return_type = "Problem[]")]
    pub fn validate_perform_order_operation(
        #[wasm_bindgen(unchecked_param_type = "PerformOrderOperationParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<PerformOrderOperationParams>(params, context)
    }

    /// Every broken rule of `chargeUserBalance` params (empty when valid): the rules `chargeUserBalance` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validateChargeUserBalance, unchecked_return_type = "Problem[]")]
    pub fn validate_charge_user_balance(
        #[wasm_bindgen(unchecked_param_type = "ChargeUserBalanceParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<ChargeUserBalanceParams>(params, context)
    }

    /// Every broken rule of `calculatePrice` params (empty when valid): the rules `calculatePrice` refuses a
    /// call for, listed in its JSDoc. Nothing is sent. Advice that does not refuse comes from
    /// `hints`.
    #[wasm_bindgen(js_name = validateCalculatePrice, unchecked_return_type = "Problem[]")]
    pub fn validate_calculate_price(
        #[wasm_bindgen(unchecked_param_type = "CalculatePriceParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        validate::<CalculatePriceParams>(params, context)
    }

    /// Advice on an operation's params that never refuses a call (empty when there is
    /// none): rules from our reference or the vendor's behaviour rather than its text, e.g.
    /// a `password` sent with `gen_password: true` (ignored by the server), a `chargeOrder`
    /// `period` outside the tariff's periods, a port outside 1–65535, a duplicated
    /// `remove_proxies` IP, `quantity: 0`, `remove_proxies` on a mobile order. Each item's
    /// `rule` starts with `hint:`. Nothing is sent.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    pub fn hints(
        #[wasm_bindgen(unchecked_param_type = "ProxySolutionsOperation")] operation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "RuleContext")] context: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        match forms::hinted(operation.as_string().as_deref()).map_err(error_to_js)? {
            Some(hinted) => problems_to_js(params, |p| hinted.hints(p, || rule_context(context))),
            None => no_problems(),
        }
    }
}

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
        json_to_js(&rules::ORDER_DEFAULTS).map_err(error_to_js)
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
