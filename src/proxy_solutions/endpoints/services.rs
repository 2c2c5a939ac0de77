//! The tariff catalogue (`listServices`, `listServiceLocations`): referenced by the
//! placing-an-order page, not published by the vendor.
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>

use super::params::*;
use super::{lang_currency, Validate};
use crate::validate::Problems;

impl Validate for ListServicesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
}

impl Validate for ListServiceLocationsParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("service_id", self.service_id);
        lang_currency(&mut p, &self.lang, &None);
        p
    }
}
