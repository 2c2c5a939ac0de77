//! Residential targeting locations (User API → Residential Proxies): countries, regions,
//! cities and ISPs (`listCountries`, `listRegions`, `listCities`, `listIsps`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use serde_json::Value;
use tsify::Tsify;

use super::{api, proxy_type, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::rules::one_of;
use crate::validate::Problems;

/// Params of the geo lists: `listCountries` (`proxy_type`), `listRegions` (+
/// `country_code`), `listCities` (+ `region_code`), `listIsps` (+ `city_code`; **premium
/// only**). Codes are sent as given (public clients lower-case them; the vendor is silent).
///
/// Rules: `proxy_type` from the list (`premium` for `listIsps`); each code the call needs is
/// required and non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GeoParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Country code (regions, cities, ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub country_code: Option<String>,
    /// Region code (cities, ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub region_code: Option<String>,
    /// City code (ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub city_code: Option<String>,
}

/// A geo list call; `LEVEL` is how many codes it needs (0 countries … 3 ISPs).
#[derive(Clone, Debug, PartialEq)]
pub struct GeoList<const LEVEL: u8>(pub GeoParams);

/// `listCountries`
pub type ListCountries = GeoList<0>;
/// `listRegions`
pub type ListRegions = GeoList<1>;
/// `listCities`
pub type ListCities = GeoList<2>;
/// `listIsps`
pub type ListIsps = GeoList<3>;

const GEO_CODES: [&str; 3] = ["country_code", "region_code", "city_code"];

impl<const LEVEL: u8> FromJson for GeoList<LEVEL> {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let mut p = GeoParams {
            proxy_type: f.str("proxy_type")?,
            ..Default::default()
        };
        let slots = [&mut p.country_code, &mut p.region_code, &mut p.city_code];
        for (i, slot) in slots.into_iter().enumerate().take(LEVEL as usize) {
            *slot = Some(f.str(GEO_CODES[i])?);
        }
        f.finish()?;
        Ok(GeoList(p))
    }
}
impl<const LEVEL: u8> Validate for GeoList<LEVEL> {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        if LEVEL == 3 {
            one_of(&mut p, "proxy_type", &self.0.proxy_type, &["premium"]);
        } else {
            proxy_type(&mut p, &self.0.proxy_type);
        }
        let codes = [&self.0.country_code, &self.0.region_code, &self.0.city_code];
        for (i, c) in codes.iter().enumerate().take(LEVEL as usize) {
            match c {
                Some(c) => p.non_empty(GEO_CODES[i], c),
                None => p.add(GEO_CODES[i], "is required"),
            }
        }
        p
    }
}
impl<const LEVEL: u8> Endpoint for GeoList<LEVEL> {
    const OPERATION: &'static str =
        ["listCountries", "listRegions", "listCities", "listIsps"][LEVEL as usize];
    const AUTH: Auth = Auth::Required;
    type Output = crate::proxyshard::models::GeoList;
    const REPLY: &'static Ty = [
        &crate::proxyshard::shapes::PAGED_COUNTRIES,
        &crate::proxyshard::shapes::PAGED_REGIONS,
        &crate::proxyshard::shapes::PAGED_CITIES,
        &crate::proxyshard::shapes::PAGED_ISPS,
    ][LEVEL as usize];
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let last = ["countries", "regions", "cities", "isps"][LEVEL as usize];
        let mut r = spec(Method::Get, api(&["proxies", last]));
        r.query.push(("proxy_type", self.0.proxy_type.clone()));
        let codes = [&self.0.country_code, &self.0.region_code, &self.0.city_code];
        for (i, c) in codes.iter().enumerate().take(LEVEL as usize) {
            if let Some(c) = c {
                r.query.push((GEO_CODES[i], c.clone()));
            }
        }
        Ok(r)
    }
}
