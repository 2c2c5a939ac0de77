//! The wasm face of the sandbox: one class taking and giving JSON text, wrapped by the
//! npm package's JavaScript (an HTTP server for Node, a `fetch` function everywhere).

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::{Options, Request, Sandbox};

/// The emulator core. `handle` answers one request; everything else (log, clock, faults,
/// payments) goes through the `/__sandbox/…` control routes.
#[wasm_bindgen]
pub struct SandboxCore {
    inner: Sandbox,
}

#[wasm_bindgen]
impl SandboxCore {
    /// A sandbox from options JSON (`""` for the defaults); throws on bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<SandboxCore, JsError> {
        let options = Options::from_json(options).map_err(|e| JsError::new(&e))?;
        Ok(SandboxCore {
            inner: Sandbox::new(options),
        })
    }

    /// Answers one request. `headers` is a JSON list of `[name, value]` pairs. Returns
    /// `{status, headers: [[name, value]], body, delayMs, drop}` as JSON text.
    pub fn handle(&mut self, method: &str, url: &str, headers: &str, body: &str) -> String {
        let headers: Vec<(String, String)> = match serde_json::from_str::<Value>(headers) {
            Ok(Value::Array(items)) => items
                .iter()
                .filter_map(|h| {
                    let pair = h.as_array()?;
                    Some((
                        pair.first()?.as_str()?.to_string(),
                        pair.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect(),
            _ => Vec::new(),
        };
        let out = self.inner.handle(&Request {
            method: method.to_string(),
            url: url.to_string(),
            headers,
            body: body.to_string(),
        });
        json!({
            "status": out.reply.status,
            "headers": out.reply.headers.iter().map(|(k, v)| [k, v]).collect::<Vec<_>>(),
            "body": out.reply.body,
            "delayMs": out.delay_ms,
            "drop": out.drop,
        })
        .to_string()
    }
}
