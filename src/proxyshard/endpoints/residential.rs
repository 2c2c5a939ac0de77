//! Residential packages (User API → Residential Proxies): buy traffic for an order and read
//! the owner's traffic (`addBandwidth`, `getResidentialProfile`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use serde_json::Value;
use tsify::Tsify;

use super::{api, body, proxy_type, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
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

impl FromJson for AddBandwidthParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = AddBandwidthParams {
            id: f.uint("id")?,
            amount: f.uint("amount")?,
            promo_code: f.opt_str("promo_code")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for AddBandwidthParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("id", self.id);
        p
    }
}
endpoint!(
    AddBandwidthParams,
    "addBandwidth",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let mut r = spec(
            Method::Post,
            api(&["orders", &s.id.to_string(), "add-bandwidth"]),
        );
        r.body = body(vec![
            ("amount", Some(s.amount.into())),
            ("promo_code", s.promo_code.clone().map(Into::into)),
        ]);
        r
    }
);

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

impl FromJson for GetResidentialProfileParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = GetResidentialProfileParams {
            proxy_type: f.str("proxy_type")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for GetResidentialProfileParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
endpoint!(
    GetResidentialProfileParams,
    "getResidentialProfile",
    Auth::Required,
    ResidentialProfileResponse,
    &RESIDENTIAL_PROFILE_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["proxies", "profile"]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        r
    }
);
