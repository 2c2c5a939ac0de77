//! User: topping up the API balance (`chargeUserBalance`; newer docs only).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/user/charge-user-profile>

use tsify::Tsify;

use super::Validate;
use crate::proxy_solutions::rules::MIN_TOP_UP;
use crate::validate::Problems;

/// Params of `chargeUserBalance` (`POST /user/balance/charge`): top up the API balance
/// through a payment system (newer docs only). Needs the API key.
///
/// Rules: `merchant`, `currency` non-empty; `amount` (USD) ≥ 0.1; `payer_amount` (in
/// `currency`) ≥ 0.1; at least one of the two (the docs mark `amount` required yet describe
/// `payer_amount` as the alternative; the vendor ignores `payer_amount` when `amount` is given).
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/user/charge-user-profile>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChargeUserBalanceParams {
    /// Payment-system code (e.g. `freekassa`).
    pub merchant: String,
    /// Payment currency (e.g. `RUB`).
    pub currency: String,
    /// Top-up in USD, ≥ 0.1.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub amount: Option<f64>,
    /// Top-up in `currency`, ≥ 0.1 (ignored by the vendor when `amount` is given).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub payer_amount: Option<f64>,
}

impl Validate for ChargeUserBalanceParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.non_empty("merchant", &self.merchant);
        p.non_empty("currency", &self.currency);
        for (field, v) in [("amount", self.amount), ("payer_amount", self.payer_amount)] {
            if let Some(v) = v {
                if !v.is_finite() || v < MIN_TOP_UP {
                    p.add(field, "must be at least 0.1");
                }
            }
        }
        if self.amount.is_none() && self.payer_amount.is_none() {
            p.add("amount", "is required (or give payer_amount instead)");
        }
        p
    }
}
