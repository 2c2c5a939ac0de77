//! Residential targeting locations (User API → Residential Proxies): countries, regions,
//! cities and ISPs (`listCountries`, `listRegions`, `listCities`, `listIsps`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use super::params::*;
use super::{proxy_type, Validate};
use crate::proxyshard::rules::one_of;
use crate::validate::Problems;

impl Validate for ListCountriesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
impl Validate for ListRegionsParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("country_code", &self.country_code);
        p
    }
}
impl Validate for ListCitiesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("country_code", &self.country_code);
        p.non_empty("region_code", &self.region_code);
        p
    }
}
impl Validate for ListIspsParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        one_of(&mut p, "proxy_type", &self.proxy_type, &["premium"]);
        p.non_empty("country_code", &self.country_code);
        p.non_empty("region_code", &self.region_code);
        p.non_empty("city_code", &self.city_code);
        p
    }
}
