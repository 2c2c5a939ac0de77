//! `PageIterator`: the async iterator of `iterateOrders` and `iterateSubUsers`. It fetches
//! the pages the core's walk (`proxyshard::walk::ListWalk`) names and hands out what it
//! yields, as JS values.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::super::clients::Inner;
use super::super::convert::{
    async_iterable, call_options_from_js, error_to_js, json_to_js, reply_to_js, Serial,
};
use crate::error::Error;
use crate::paging;
use crate::proxyshard::walk::ListWalk;

struct IterState {
    client: Inner,
    /// The walk: which page comes next, when to stop, which items to yield (the core's).
    walk: ListWalk,
    /// Items still to yield, already JS values (made by one `JSON.parse` of the page).
    buffer: VecDeque<JsValue>,
    timeout_ms: Option<u32>,
    signal: Option<AbortSignal>,
}

/// An async iterator over every item of a paged list (`iterateOrders`, `iterateSubUsers`).
/// Use it with `for await`, or call `next()` directly: calls made while one is pending are
/// queued and answered in order, so none skips or repeats an item.
#[wasm_bindgen]
pub struct PageIterator {
    state: Rc<RefCell<IterState>>,
    /// `next()` calls, one at a time.
    queue: Serial,
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
            queue: Serial::new(),
            state: Rc::new(RefCell::new(IterState {
                client: Rc::clone(client),
                walk: walk.max_pages(max_pages),
                buffer: VecDeque::new(),
                timeout_ms: opts.timeout_ms,
                signal: opts.signal,
            })),
        })
    }
}

/// `{ value, done }`.
fn step(value: JsValue, done: bool) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"value".into(), &value);
    let _ = Reflect::set(&o, &"done".into(), &JsValue::from(done));
    o.into()
}

async fn next_item(state: Rc<RefCell<IterState>>) -> Result<JsValue, Error> {
    loop {
        let (client, request, signal, check) = {
            let mut s = state.borrow_mut();
            if let Some(item) = s.buffer.pop_front() {
                return Ok(step(item, false));
            }
            if !s.walk.wants_more() {
                return Ok(step(JsValue::UNDEFINED, true));
            }
            let (request, check) = s.walk.next_page().prepare(&s.client, s.timeout_ms)?;
            (Rc::clone(&s.client), request, s.signal.clone(), check)
        };
        let (reply, text) = client
            .send_checked_text(request, signal.as_ref(), None, check)
            .await
            .map_err(|f| f.error)?;
        let mut s = state.borrow_mut();
        let items = s.walk.record(&reply);
        if !items.is_empty() {
            // The page as JS in one native parse; the items are taken from it.
            let page = reply_to_js(&reply, &text)?;
            let list = Reflect::get(&page, &JsValue::from_str(s.walk.items_key()))
                .ok()
                .and_then(|l| l.dyn_into::<js_sys::Array>().ok());
            match list {
                Some(list) => s.buffer.extend(list.iter()),
                None => {
                    for item in items {
                        s.buffer.push_back(json_to_js(item)?);
                    }
                }
            }
        }
    }
}

#[wasm_bindgen]
impl PageIterator {
    /// The next item: resolves to `{ value, done }`. Calls made while one is pending wait
    /// their turn (a page fetched for one is not fetched again for the next).
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown>>")]
    pub fn next(&self) -> Promise {
        let state = Rc::clone(&self.state);
        self.queue
            .then(async move { next_item(state).await.map_err(error_to_js) })
    }
}

/// `PageIterator` as an async-iterable JS value.
pub(super) fn iterable(it: PageIterator) -> JsValue {
    async_iterable(JsValue::from(it))
}
