//! Walking an offset-paged list to its end, bounded: the stop rule and the walker shared by
//! the ProxyShard page iterators (`iterateOrders`, `iterateSubUsers`, see
//! [`crate::proxyshard::walk`]) and the market's order walk. Plain data, no I/O: the caller
//! fetches each page and records it here.

use serde_json::Value;

use crate::error::Error;
use crate::json::as_uint;

/// The call option that bounds a walk: `{ maxPages }` (`IterateOptions` in the typings).
pub const MAX_PAGES_OPTION: &str = "maxPages";

/// Pages a walk reads at most unless told otherwise (100 000 orders at the largest page size):
/// a bound, so a misbehaving server cannot make a walk loop forever.
pub const DEFAULT_MAX_PAGES: u64 = 1000;

/// Whether a walk stops after a page, and why: the one rule of [`PageWalker`] and of the
/// market's order walk. `len` items came back of `limit` asked for; `last_page` is the list's
/// own signal; `repeated` says the page equals the previous one; `pages_read` counts this one.
pub fn page_stop(
    len: u64,
    limit: u64,
    last_page: bool,
    repeated: bool,
    pages_read: u64,
    max_pages: u64,
) -> Stop {
    if len == 0 {
        Stop::Empty
    } else if repeated {
        Stop::Repeated
    } else if last_page || len < limit {
        Stop::LastPage
    } else if pages_read >= max_pages {
        Stop::Bound
    } else {
        Stop::No
    }
}

/// Walks an offset-paged list to the end, bounded: it stops on the last page (the list's
/// own signal), on an empty page, on a page identical to the previous one (a server that
/// ignores `offset` must not loop forever), and after `max_pages`.
#[derive(Debug)]
pub struct PageWalker {
    /// Offset of the next page.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
    pages: u64,
    max_pages: u64,
    previous: Option<Value>,
    done: bool,
}

/// Why a walk stopped (for tests and logs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Not stopped.
    No,
    /// The list said this was the last page.
    LastPage,
    /// The page was empty.
    Empty,
    /// The page repeated the previous one.
    Repeated,
    /// `max_pages` pages were read.
    Bound,
}

impl PageWalker {
    /// A walk from `offset` in pages of `limit`, reading at most `max_pages` pages.
    pub fn new(offset: u64, limit: u64, max_pages: u64) -> Self {
        PageWalker {
            offset,
            limit,
            pages: 0,
            max_pages,
            previous: None,
            done: false,
        }
    }

    /// Whether another page should be fetched.
    pub fn wants_more(&self) -> bool {
        !self.done
    }

    /// Records a page: its items, and whether the list said it was the last one. Returns
    /// why the walk stopped (items of an empty or repeated page are not to be yielded).
    pub fn record(&mut self, items: &[Value], last_page: bool) -> Stop {
        self.pages += 1;
        let page = Value::Array(items.to_vec());
        let stop = page_stop(
            items.len() as u64,
            self.limit,
            last_page,
            self.previous.as_ref() == Some(&page),
            self.pages,
            self.max_pages,
        );
        self.offset += items.len() as u64;
        self.previous = Some(page);
        self.done = stop != Stop::No;
        stop
    }
}

/// Reads the `maxPages` call option from the provider-specific call options (an object with
/// only those keys): absent means [`DEFAULT_MAX_PAGES`]; otherwise a whole number ≥ 1. The
/// error names the field `maxPages`; the JS layer puts it under `callOptions`.
pub fn max_pages(options: &Value) -> Result<u64, Error> {
    match options.get(MAX_PAGES_OPTION) {
        None => Ok(DEFAULT_MAX_PAGES),
        Some(v) => match as_uint(v, MAX_PAGES_OPTION) {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(Error::invalid(
                MAX_PAGES_OPTION,
                "must be a whole number ≥ 1",
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walker_stops_on_each_signal() {
        let page = |ids: &[u64]| ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>();
        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[1, 2]), false), Stop::No);
        assert_eq!(w.offset, 2);
        assert_eq!(w.record(&page(&[3]), false), Stop::LastPage);
        assert!(!w.wants_more());

        let mut w = PageWalker::new(0, 2, 100);
        w.record(&page(&[1, 2]), false);
        assert_eq!(w.record(&page(&[1, 2]), false), Stop::Repeated);

        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[]), false), Stop::Empty);

        let mut w = PageWalker::new(0, 2, 2);
        w.record(&page(&[1, 2]), false);
        assert_eq!(w.record(&page(&[3, 4]), false), Stop::Bound);

        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[1, 2]), true), Stop::LastPage);
    }

    #[test]
    fn max_pages_option() {
        assert_eq!(max_pages(&json!({})), Ok(DEFAULT_MAX_PAGES));
        assert_eq!(DEFAULT_MAX_PAGES, 1000);
        assert_eq!(max_pages(&json!({"maxPages": 3})), Ok(3));
        for bad in [json!(0), json!(-1), json!(2.5), json!("3"), json!(true)] {
            let e = max_pages(&json!({ "maxPages": bad })).unwrap_err();
            assert_eq!(e.field(), Some("maxPages"), "{bad}");
            assert_eq!(
                e.under("callOptions").to_string(),
                Error::invalid("callOptions.maxPages", "must be a whole number ≥ 1").to_string()
            );
        }
    }
}
