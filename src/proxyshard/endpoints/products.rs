//! The catalogue (User API → General): products with their locations and cycles, and stock
//! (`listProducts`, `getAvailableCounts`).
//!
//! Docs: <https://docs.proxyshard.com/user-api/general>

use tsify::Tsify;

use super::Validate;
use crate::validate::Problems;

no_params!(
    /// Params of `listProducts` (`GET /user/api/proxies/products`): the catalogue, the only
    /// source of product names, location codes and cycle names. Takes none.
    ListProductsParams
);

no_params!(
    /// Params of `getAvailableCounts` (`GET /user/api/proxies/available-count`): stock per
    /// country and product (a bare list). Takes none.
    GetAvailableCountsParams
);
