//! Residential packages (User API → Residential Proxies): buy traffic for an order and read
//! the owner's traffic (`addBandwidth`, `getResidentialProfile`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use tsify::Tsify;

use super::{proxy_type, Validate};
use crate::validate::Problems;

/// Params of `addBandwidth` (`POST /user/api/orders/{id}/add-bandwidth`): buy more traffic
/// for a **residential** order, paid from the wallet. **Moves money.**
///
/// Rules: `id` positive id; `amount` a whole number of **GB** (no minimum is documented).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct AddBandwidthParams {
    /// The order (path; the vendor names it `id` here).
    pub id: u64,
    /// Traffic to add, whole **GB**.
    pub amount: u64,
    /// Promo code.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub promo_code: Option<String>,
}

impl Validate for AddBandwidthParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("id", self.id);
        p
    }
}

/// Params of `getResidentialProfile` (`GET /user/api/proxies/profile`): the owner's traffic
/// for a package, in **bytes**, and the gateway password.
///
/// Rules: `proxy_type` one of standart / premium / unlimited.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GetResidentialProfileParams {
    /// `standart` (vendor spelling), `premium` or `unlimited`.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
}

impl Validate for GetResidentialProfileParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
