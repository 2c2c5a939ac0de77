//! The tariff catalogue (`listServices`, `listServiceLocations`): referenced by the
//! placing-an-order page, not published by the vendor.
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>

use tsify::Tsify;

use super::{lang_currency, Validate};
use crate::validate::Problems;

/// Params of `listServices` (`GET /services`): the tariff catalogue, source of `service_id`.
/// The vendor references this call but does not publish it: the reply is returned as any
/// JSON. When it lists services with an `id` and a recognisable name or kind (or batch
/// `packets`), this client remembers their kinds to apply the period and quantity rules.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListServicesParams {
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Currency of prices. Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
}

impl Validate for ListServicesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
}

/// Params of `listServiceLocations` (`GET /services/{service_id}/locations`): the locations
/// of a tariff, source of `location_id`. Referenced but not published by the vendor: the
/// reply is returned as any JSON.
///
/// Rules: `service_id` positive id; `lang` ∈ EN/RU/UA.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListServiceLocationsParams {
    /// The service (path).
    pub service_id: u64,
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
}

impl Validate for ListServiceLocationsParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("service_id", self.service_id);
        lang_currency(&mut p, &self.lang, &None);
        p
    }
}
