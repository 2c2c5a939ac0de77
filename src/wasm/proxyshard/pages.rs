//! `PageIterator`, the iterator of `iterateOrders` and `iterateSubUsers`. Its `next()` is JS
//! (`src/wasm/call.js`, installed on this class's prototype): it asks the walk here for the
//! next page's request, sends it with the call loop every method uses, and hands the last
//! attempt back; the walk (the core's `proxyshard::walk::ListWalk`) decides which page comes
//! next, when to stop and which items to yield.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::super::clients::{next_delay, request_array, Inner, Settled};
use super::super::convert::{call_options_from_js, error_to_js, is_array, json_to_js, reply_to_js};
use crate::client::ReplyCheck;
use crate::paging;
use crate::proxyshard::walk::ListWalk;

/// An async iterator over every item of a paged list (`iterateOrders`, `iterateSubUsers`).
/// Use it with `for await`, or call `next()` directly: calls made while one is pending are
/// queued and answered in order, so none skips or repeats an item.
#[wasm_bindgen]
pub struct PageIterator {
    client: Inner,
    /// The walk: which page comes next, when to stop, which items to yield (the core's).
    walk: RefCell<ListWalk>,
    /// The check of the page being fetched (set by `__prepare`).
    check: Cell<Option<ReplyCheck>>,
    timeout_ms: Option<u32>,
    signal: Option<AbortSignal>,
}

impl PageIterator {
    pub(super) fn start(
        client: &Inner,
        walk: ListWalk,
        options: Option<Object>,
    ) -> Result<PageIterator, JsValue> {
        let (opts, max_pages) = call_options_from_js(options, &[paging::MAX_PAGES_OPTION])
            .and_then(|(opts, extra)| {
                let max_pages = paging::max_pages(&extra).map_err(|e| e.under("callOptions"))?;
                Ok((opts, max_pages))
            })
            .map_err(error_to_js)?;
        Ok(PageIterator {
            client: std::rc::Rc::clone(client),
            walk: RefCell::new(walk.max_pages(max_pages)),
            check: Cell::new(None),
            timeout_ms: opts.timeout_ms,
            signal: opts.signal,
        })
    }
}

// The three steps of a page's call, with the clients' signatures (`clients::call_steps!`),
// so the JS call loop drives an iterator as it drives a client. The operation number is
// the clients' table's; a walk knows its own operation and ignores it.
#[wasm_bindgen]
impl PageIterator {
    /// The next page's request (`clients::prepare_call`'s array), or `undefined` when the
    /// walk is over.
    #[wasm_bindgen(js_name = __prepare, skip_typescript)]
    pub fn prepare_page(&self) -> Result<JsValue, JsValue> {
        let walk = self.walk.borrow();
        if !walk.wants_more() {
            return Ok(JsValue::UNDEFINED);
        }
        let (request, check) = walk
            .next_page()
            .prepare(&self.client, self.timeout_ms)
            .map_err(error_to_js)?;
        self.check.set(Some(check));
        Ok(request_array(&self.client, &request, self.signal.clone(), None).into())
    }

    /// As `clients::next_delay` (`retries` is the prepared array's: none, so the client's
    /// own count applies).
    #[wasm_bindgen(js_name = __next, skip_typescript)]
    pub fn next_page(
        &self,
        _op: u32,
        attempts: u32,
        retries: Option<u32>,
        kind: u8,
        status: u16,
        retry_after: Option<String>,
    ) -> i32 {
        self.check.get().map_or(-1, |c| {
            let client = &self.client;
            next_delay(
                client,
                c.operation,
                attempts,
                retries,
                kind,
                status,
                retry_after,
            )
        })
    }

    /// The page's items to yield (an array, empty when the page ended the walk without
    /// any), or the page call's typed error; the walk records the page.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = __finish, skip_typescript)]
    pub fn finish_page(
        &self,
        _op: u32,
        attempts: u32,
        ok: bool,
        settled: JsValue,
        url: &str,
        timeout_ms: u32,
        max_bytes: u32,
    ) -> Result<Array, JsValue> {
        let Some(check) = self.check.get() else {
            return Ok(Array::new());
        };
        let settled = Settled {
            attempts,
            ok,
            value: settled,
            url,
            timeout_ms,
            max_bytes,
        };
        let response = settled.delivered(&self.client, check.operation)?;
        let (reply, text) = self
            .client
            .finish_text_checked_as_text(response, attempts, check)
            .map_err(super::super::convert::failure_to_js)?;
        let mut walk = self.walk.borrow_mut();
        let items = walk.record(&reply);
        let out = Array::new();
        if !items.is_empty() {
            // The page as JS in one native parse; the items are taken from it.
            let page = reply_to_js(&reply, &text).map_err(error_to_js)?;
            // `is_array`, not `dyn_into::<Array>`: one `Array.isArray` import for the module.
            let list = Reflect::get(&page, &JsValue::from_str(walk.items_key()))
                .ok()
                .filter(|l| is_array(l) == Some(true))
                .map(JsCast::unchecked_into::<Array>);
            match list {
                Some(list) => return Ok(list),
                None => {
                    for item in items {
                        out.push(&json_to_js(item).map_err(error_to_js)?);
                    }
                }
            }
        }
        Ok(out)
    }
}
