//! Residential Proxies: the geo reference lists (`shared/api/proxyshard.md` §6.3, calls
//! 29–32). Countries, regions and cities are the same for every package; ISPs are listed for
//! the premium package only.

use serde_json::{json, Value};

use super::catalogue::Kind;
use super::residential::proxy_type;
use super::{bad, check, Call, Fail, State};
use crate::Reply;

const COUNTRIES: &[(&str, &str)] = &[
    ("de", "Germany"),
    ("us", "United States"),
    ("gb", "United Kingdom"),
];
const REGIONS: &[(&str, &str, &str)] = &[
    ("de", "be", "Berlin"),
    ("de", "by", "Bavaria"),
    ("us", "ny", "New York"),
    ("us", "ca", "California"),
    ("gb", "eng", "England"),
];
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("de", "be", "berlin", "Berlin"),
    ("de", "by", "munich", "Munich"),
    ("us", "ny", "new-york", "New York"),
    ("us", "ca", "los-angeles", "Los Angeles"),
    ("us", "ca", "san-francisco", "San Francisco"),
    ("gb", "eng", "london", "London"),
];
const ISPS: &[(&str, &str, &str, &str)] = &[
    ("berlin", "deutsche-telekom", "Deutsche Telekom", "be"),
    ("berlin", "vodafone-de", "Vodafone GmbH", "be"),
    ("new-york", "verizon", "Verizon", "ny"),
    ("new-york", "spectrum", "Charter Spectrum", "ny"),
    ("london", "bt", "British Telecom", "eng"),
];

/// `GET /user/api/proxies/countries?proxy_type=`.
pub(super) fn list_countries(_st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let q = &mut c.q;
    proxy_type(q)?;
    let list: Vec<Value> = COUNTRIES
        .iter()
        .map(|(c, n)| json!({"code": c, "name": n}))
        .collect();
    Ok(Reply::json(
        200,
        &json!({"count": list.len(), "results": list}),
    ))
}

/// `GET /user/api/proxies/regions?proxy_type=&country_code=`.
pub(super) fn list_regions(_st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let q = &mut c.q;
    proxy_type(q)?;
    let c = q.req_str("country_code");
    check(q)?;
    let c = c.unwrap_or_default().to_lowercase();
    let list: Vec<Value> = REGIONS
        .iter()
        .filter(|r| r.0 == c)
        .map(|(cc, code, name)| json!({"code": code, "name": name, "country": country(cc)}))
        .collect();
    Ok(Reply::json(
        200,
        &json!({"count": list.len(), "results": list}),
    ))
}

/// `GET /user/api/proxies/cities?proxy_type=&country_code=&region_code=`.
pub(super) fn list_cities(_st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let q = &mut c.q;
    proxy_type(q)?;
    let c = q.req_str("country_code");
    let r = q.req_str("region_code");
    check(q)?;
    let (c, r) = (
        c.unwrap_or_default().to_lowercase(),
        r.unwrap_or_default().to_lowercase(),
    );
    let list: Vec<Value> = CITIES.iter().filter(|x| x.0 == c && x.1 == r).map(|(cc, rc, code, name)| json!({"code": code, "name": name, "country": country(cc), "region": region(rc)})).collect();
    Ok(Reply::json(
        200,
        &json!({"count": list.len(), "results": list}),
    ))
}

/// `GET /user/api/proxies/isps?…`: premium only, and only with an active premium order.
pub(super) fn list_isps(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let t = proxy_type(q)?;
    if t != "premium" {
        return Err(bad(
            "ISP targeting is available for the premium package only",
        ));
    }
    let c = q.req_str("country_code");
    let r = q.req_str("region_code");
    let city = q.req_str("city_code");
    check(q)?;
    let has_premium = st.accounts[a]
        .orders
        .iter()
        .any(|o| o.status == "active" && o.product().kind == Kind::Traffic("premium"));
    if !has_premium {
        return Err(bad("No active order for the premium package"));
    }
    let (c, r, city) = (
        c.unwrap_or_default().to_lowercase(),
        r.unwrap_or_default().to_lowercase(),
        city.unwrap_or_default().to_lowercase(),
    );
    let in_chain = CITIES.iter().any(|x| x.0 == c && x.1 == r && x.2 == city);
    let list: Vec<Value> = ISPS.iter().filter(|x| in_chain && x.0 == city).map(|(_, code, name, rc)| json!({"code": code, "name": name, "country": country(&c), "region": region(rc)})).collect();
    Ok(Reply::json(
        200,
        &json!({"count": list.len(), "results": list}),
    ))
}

fn country(code: &str) -> Value {
    let name = COUNTRIES.iter().find(|c| c.0 == code).map_or(code, |c| c.1);
    json!({"code": code, "name": name})
}

fn region(code: &str) -> Value {
    let name = REGIONS.iter().find(|r| r.1 == code).map_or(code, |r| r.2);
    json!({"code": code, "name": name})
}
