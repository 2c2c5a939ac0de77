//! The least an SDK call does in wasm, to measure what it costs before any operation: an
//! exported class, a `format!`ed error, the allocator; with `json`, a params object parsed
//! into a `serde_json::Value` and written back; with `futures`, one async method.

use wasm_bindgen::prelude::*;

/// A client holding its base URL.
#[wasm_bindgen]
pub struct Client {
    base: String,
}

#[wasm_bindgen]
impl Client {
    /// A client for `base`.
    #[wasm_bindgen(constructor)]
    pub fn new(base: String) -> Client {
        Client { base }
    }

    /// Builds a request URL from JSON params.
    pub fn prepare(&self, op: &str, params: &str) -> Result<String, JsError> {
        #[cfg(feature = "json")]
        {
            let v: serde_json::Value =
                serde_json::from_str(params).map_err(|e| JsError::new(&format!("{op}: {e}")))?;
            let id = v
                .get("id")
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| JsError::new(&format!("{op}: id is required")))?;
            let body = serde_json::to_string(&v).unwrap_or_default();
            Ok(format!("{}/orders/{id}?{body}", self.base))
        }
        #[cfg(not(feature = "json"))]
        Ok(format!("{}/{op}/{}", self.base, params.len()))
    }

    /// Awaits a JS promise, as a call awaits `fetch`.
    #[cfg(feature = "futures")]
    pub fn call(&self, url: String) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let p = js_sys::Promise::resolve(&JsValue::from_str(&url));
            wasm_bindgen_futures::JsFuture::from(p).await
        })
    }
}
