//! `ProxyShardRules`: the ProxyShard rules as data and pure checks for forms, from the core.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::super::convert::{error_to_js, json_to_js, no_problems, problems_to_js};
use crate::error::Error;
use crate::proxyshard::endpoints::{PurchaseOrderParams, QuoteOrderParams};
use crate::proxyshard::{forms, rules};
use crate::validate::problems_of;

/// The ProxyShard rules as data and pure checks, for forms: nothing is sent.
#[wasm_bindgen]
pub struct ProxyShardRules;

#[wasm_bindgen]
impl ProxyShardRules {
    /// Advice on an operation's params that never refuses a call (empty when there is none):
    /// minimums the vendor does not state — sub-user `data: 0`, `listSubUsers` `limit: 0`,
    /// `setP0fSignatures` with no items. Each item's `rule` starts with `hint:`. Nothing is
    /// sent.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    pub fn hints(
        #[wasm_bindgen(unchecked_param_type = "ProxyShardOperation")] operation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object")] params: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        match forms::hinted(operation.as_string().as_deref()).map_err(error_to_js)? {
            Some(hinted) => problems_to_js(params, |p| hinted.hints(p)),
            None => no_problems(),
        }
    }

    /// Every broken rule of `purchaseOrder` params (empty when valid): the per-product
    /// variants listed in `purchaseOrder`'s JSDoc. Nothing is sent.
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = validatePurchaseOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_purchase_order(
        #[wasm_bindgen(unchecked_param_type = "PurchaseOrderParams")] params: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        problems_to_js(params, problems_of::<PurchaseOrderParams>)
    }

    /// Every broken rule of `quoteOrder` params (empty when valid): as `purchaseOrder`.
    /// Nothing is sent.
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = validateQuoteOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_quote_order(
        #[wasm_bindgen(unchecked_param_type = "QuoteOrderParams")] params: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        problems_to_js(params, problems_of::<QuoteOrderParams>)
    }

    /// Which fields a product's purchase takes: `{ variant, requires, accepts }` (`variant`
    /// is `dc_isp`, `residential`, `unmetered` or `other`). `accepts` lists what a buyer
    /// chooses; Standard / Premium residential also accept `cycle: "lifetime"` and
    /// `auto_renewal: false` (what the catalogue and their orders show), which are not sent.
    #[wasm_bindgen(
        js_name = purchaseFields,
        unchecked_return_type = "{ variant: \"dc_isp\" | \"residential\" | \"unmetered\" | \"other\"; requires: string[]; accepts: string[] }"
    )]
    pub fn purchase_fields(
        #[wasm_bindgen(unchecked_param_type = "ProductName")] product: JsValue,
    ) -> Result<JsValue, JsValue> {
        let product = product
            .as_string()
            .ok_or_else(|| error_to_js(Error::invalid("product", "must be a string")))?;
        json_to_js(&rules::purchase_fields(&product)).map_err(error_to_js)
    }

    /// The `status` values of `listOrders`.
    #[wasm_bindgen(js_name = orderStatuses, unchecked_return_type = "OrderStatusFilter[]")]
    pub fn order_statuses() -> Result<JsValue, JsValue> {
        json_to_js(&rules::ORDER_STATUSES).map_err(error_to_js)
    }

    /// The p0f signatures.
    #[wasm_bindgen(js_name = p0fSignatures, unchecked_return_type = "P0fSignature[]")]
    pub fn p0f_signatures() -> Result<JsValue, JsValue> {
        json_to_js(&rules::P0F_SIGNATURES).map_err(error_to_js)
    }

    /// The residential `proxy_type` values.
    #[wasm_bindgen(js_name = proxyTypes, unchecked_return_type = "ProxyType[]")]
    pub fn proxy_types() -> Result<JsValue, JsValue> {
        json_to_js(&rules::PROXY_TYPES).map_err(error_to_js)
    }
}
