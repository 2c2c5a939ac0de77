//! Orders: the order list and placing an order (`listOrders`, `createOrder`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-list-reception>,
//! <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>

use tsify::Tsify;

use super::{
    check_period, check_quantity, hint_quantity, lang_currency, Contextual, Hints, Validate,
};
use crate::proxy_solutions::rules::{RuleContext, Subject};
use crate::validate::Problems;

/// Params of `listOrders` (`GET /user/orders`): every order of the account, in one reply
/// (no paging is documented). Needs the API key.
///
/// Rules: `lang` ∈ EN/RU/UA, `currency` ∈ USD/EUR/RUB/UAH/KZT.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-list-reception>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListOrdersParams {
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Currency of `converted_amount`. Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
}

impl Validate for ListOrdersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
}

/// Params of `createOrder` (`POST /user/orders`): places an order, which is then paid with
/// `chargeOrder`. Needs the API key.
///
/// Rules: `service_id` and `location_id` are positive ids (`location_id` is required by the
/// docs; pass `allowMissingLocation: true` in the call options for a tariff without
/// locations); `quantity` at most the service's cap when its kind is known
/// (personal 500, prime 100, city 50; batch: one of the service's `packets`); `period` one of
/// 30/60/90/180/365 days (individual, prime, city, batch) or 1/7/30/90/365 (mobile), the union
/// when the kind is unknown; `lang`, `currency` from their lists.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderParams {
    /// Reply language (query). Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Reply currency (query). Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
    /// Service (tariff) id, from `listServices`.
    pub service_id: u64,
    /// Location id, from `listServiceLocations`.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub location_id: Option<u64>,
    /// Number of addresses (or mobile channels). Default **1**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// Period in days. Default **30**.
    #[serde(default)]
    #[tsify(optional, type = "Period")]
    pub period: Option<u64>,
    /// Mobile only: let the client change equipment (needed to relocate). Default **true**.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub multiport: Option<bool>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for CreateOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p.id("service_id", self.service_id);
        match self.location_id {
            Some(l) => p.id("location_id", l),
            None if self.context.allow_missing_location => {}
            None => p.add(
                "location_id",
                "is required (pass allowMissingLocation: true in the call options for a tariff without locations)",
            ),
        }
        check_quantity(&mut p, self.quantity, &self.context);
        check_period(&mut p, self.period, &self.context);
        p
    }
}

impl Hints for CreateOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        p
    }
}

impl Contextual for CreateOrderParams {
    const CONTEXT_OPTIONS: &'static [&'static str] = RuleContext::KEYS;
    fn subject(&self) -> Subject {
        Subject::Service(self.service_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}
