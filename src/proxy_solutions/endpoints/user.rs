//! User: topping up the API balance (`chargeUserBalance`; newer docs only).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/user/charge-user-profile>

use super::params::*;
use super::Validate;
use crate::proxy_solutions::rules::MIN_TOP_UP;
use crate::validate::Problems;

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
