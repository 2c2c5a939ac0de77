//! Orders → payment: paying for or extending an order, the payment methods, and the price
//! calculation (`chargeOrder`, `listMerchants`, `calculatePrice`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>

use serde_json::Value;

use super::params::*;
use super::{
    check_period, check_quantity, hint_non_empty, hint_quantity, lang_currency, some, Contextual,
    Hints, Validate,
};
use crate::endpoint::{object_of, Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxy_solutions::models::PaymentEnvelope;
use crate::proxy_solutions::rules::{RuleContext, Subject};
use crate::proxy_solutions::shapes::PAYMENT_ENVELOPE;
use crate::validate::Problems;

impl Validate for ChargeOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("merchant", &self.merchant);
        p.non_empty("currency", &self.currency);
        // Order payment: `period` is "the period to pay, in days; if not sent, the order's
        // period is used". No list of values is given for it (unlike creation), so any whole
        // number of days ≥ 1 is sent; the tariff's periods are only a hint.
        if self.period == Some(0) {
            p.add("period", "must be a whole number of days ≥ 1");
        }
        p
    }
}

impl Hints for ChargeOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        let mut periods = Problems::default();
        check_period(&mut periods, self.period.filter(|d| *d > 0), &self.context);
        for x in periods.0 {
            p.add(
                x.field,
                format!(
                    "hint: {} (the tariff's periods; the payment docs accept any period)",
                    x.rule
                ),
            );
        }
        hint_non_empty(&mut p, "promocode", &self.promocode);
        p
    }
}

impl Contextual for ChargeOrderParams {
    const CONTEXT_OPTIONS: &'static [&'static str] = RuleContext::KEYS;
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for ChargeOrderParams {
    const OPERATION: &'static str = "chargeOrder";
    const AUTH: Auth = Auth::Optional;
    type Output = PaymentEnvelope;
    const REPLY: &'static Ty = &PAYMENT_ENVELOPE;
    fn auth(&self) -> Auth {
        // Paying from the API balance acts on the account: the vendor requires a signed-in
        // caller for it, while invoices through a payment system work without a key.
        if self.merchant == "balance" {
            Auth::Required
        } else {
            Auth::Optional
        }
    }
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.order_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["user", "orders", &id, "charge"]);
        s.body = Some(object_of(vec![
            ("merchant", Some(self.merchant.clone().into())),
            ("currency", Some(self.currency.clone().into())),
            ("period", some(self.period)),
            ("promocode", some(self.promocode.clone())),
        ]));
        Ok(s)
    }
}

impl FromJson for ChargeOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ChargeOrderParams {
            order_id: f.take_uint("order_id"),
            merchant: f.take_str("merchant"),
            currency: f.take_str("currency"),
            period: f.take_opt_uint_in("period", "a whole number of days, 1 or more"),
            promocode: f.take_opt_str("promocode"),
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl Validate for CalculatePriceParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("service_id", self.service_id);
        lang_currency(&mut p, &self.lang, &None);
        p.opt_id("location_id", self.location_id);
        check_quantity(&mut p, self.quantity, &self.context);
        check_period(&mut p, self.period, &self.context);
        p
    }
}

impl Hints for CalculatePriceParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        hint_non_empty(&mut p, "promocode", &self.promocode);
        hint_non_empty(&mut p, "merchant", &self.merchant);
        hint_non_empty(&mut p, "currency", &self.currency);
        p
    }
}

impl Contextual for CalculatePriceParams {
    const CONTEXT_OPTIONS: &'static [&'static str] = RuleContext::KEYS;
    fn subject(&self) -> Subject {
        Subject::Service(self.service_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}
