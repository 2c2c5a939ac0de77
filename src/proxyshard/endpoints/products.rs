//! The catalogue (User API → General): products with their locations and cycles, and stock
//! (`listProducts`, `getAvailableCounts`).
//!
//! Docs: <https://docs.proxyshard.com/user-api/general>

use serde_json::Value;
use tsify::Tsify;

use super::{api, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
use crate::validate::Problems;

no_params!(
    /// Params of `listProducts` (`GET /user/api/proxies/products`): the catalogue, the only
    /// source of product names, location codes and cycle names. Takes none.
    ListProductsParams
);
endpoint!(
    ListProductsParams,
    "listProducts",
    Auth::Required,
    ProductsResponse,
    &PRODUCTS_RESPONSE,
    |_s| spec(Method::Get, api(&["proxies", "products"]))
);

no_params!(
    /// Params of `getAvailableCounts` (`GET /user/api/proxies/available-count`): stock per
    /// country and product (a bare list). Takes none.
    GetAvailableCountsParams
);
endpoint!(
    GetAvailableCountsParams,
    "getAvailableCounts",
    Auth::Required,
    Vec<AvailableCount>,
    &AVAILABLE_COUNTS,
    |_s| spec(Method::Get, api(&["proxies", "available-count"]))
);
