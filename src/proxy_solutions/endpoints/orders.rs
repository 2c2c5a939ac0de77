//! Orders: the order list and placing an order (`listOrders`, `createOrder`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-list-reception>,
//! <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>

use super::params::*;
use super::{
    check_period, check_quantity, hint_quantity, lang_currency, Contextual, Hints, Validate,
};
use crate::proxy_solutions::rules::{RuleContext, Subject};
use crate::validate::Problems;

impl Validate for ListOrdersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
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
