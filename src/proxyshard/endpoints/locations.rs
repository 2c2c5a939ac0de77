//! Residential targeting locations (User API → Residential Proxies): countries, regions,
//! cities and ISPs (`listCountries`, `listRegions`, `listCities`, `listIsps`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use tsify::Tsify;

use super::{proxy_type, Validate};
use crate::proxyshard::rules::one_of;
use crate::validate::Problems;

/// Params of `listCountries` (`GET /user/api/proxies/countries`): the countries a
/// residential package can target.
///
/// Rules: `proxy_type` from the list.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListCountriesParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
}

/// Params of `listRegions` (`GET /user/api/proxies/regions`): a country's regions. Codes are
/// sent as given (public clients lower-case them; the vendor is silent).
///
/// Rules: `proxy_type` from the list; `country_code` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListRegionsParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Country code, from `listCountries`.
    pub country_code: String,
}

/// Params of `listCities` (`GET /user/api/proxies/cities`): a region's cities.
///
/// Rules: `proxy_type` from the list; `country_code` and `region_code` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListCitiesParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Country code, from `listCountries`.
    pub country_code: String,
    /// Region code, from `listRegions`.
    pub region_code: String,
}

/// Params of `listIsps` (`GET /user/api/proxies/isps`): a city's ISPs, **premium only**.
///
/// Rules: `proxy_type` is `premium`; the three codes non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListIspsParams {
    /// Package: ISP targeting is premium only.
    #[tsify(type = "\"premium\"")]
    pub proxy_type: String,
    /// Country code, from `listCountries`.
    pub country_code: String,
    /// Region code, from `listRegions`.
    pub region_code: String,
    /// City code, from `listCities`.
    pub city_code: String,
}

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
