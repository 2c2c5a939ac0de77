//! The list walks behind `iterateOrders` and `iterateSubUsers`: which list a walk reads, the
//! page size it asks for, how a reply says it was the last page (§4 of the reference), and
//! which items of a page to yield. The JS iterator fetches the page [`ListWalk::next_page`]
//! names, hands the reply to [`ListWalk::record`] and yields what it returns; it decides
//! nothing itself.
//!
//! Docs: <https://docs.proxyshard.com/user-api/general> (orders),
//! <https://docs.proxyshard.com/> (User API → Residential Proxies: sub-users)

use serde_json::Value;

use super::endpoints::{ListOrdersParams, ListSubUsersParams, Validate};
use super::rules::MAX_ORDERS_LIMIT;
use crate::client::{reply_check, Client, ReplyCheck};
use crate::error::Error;
use crate::http::HttpRequest;
use crate::paging::{PageWalker, Stop, DEFAULT_MAX_PAGES};
use crate::transport::Transport;

/// Page size of an order walk without a `limit`: the largest the vendor allows (not its
/// default of 20), so a walk takes the fewest requests.
pub const ORDERS_PAGE: u64 = MAX_ORDERS_LIMIT;
/// Page size of a sub-user walk without a `limit`: the vendor's default (no maximum is
/// documented, so a larger page is not assumed to work).
pub const SUB_USERS_PAGE: u64 = 20;

/// Which list a walk reads, with the filter every page repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Listing {
    Orders { status: String },
    SubUsers { proxy_type: String },
}

/// A walk over every item of a paged list, from the params' `offset` in pages of their
/// `limit`, bounded as [`PageWalker`] is (last page, empty or repeated page, `max_pages`).
#[derive(Debug)]
pub struct ListWalk {
    listing: Listing,
    walker: PageWalker,
}

/// The request for one page: `listOrders` or `listSubUsers` params with the page's `offset`
/// and `limit`.
#[derive(Clone, Debug, PartialEq)]
pub enum PageRequest {
    /// A page of `listOrders`.
    Orders(ListOrdersParams),
    /// A page of `listSubUsers`.
    SubUsers(ListSubUsersParams),
}

impl ListWalk {
    /// `iterateOrders`: every order with `params.status`. The params are checked as
    /// `listOrders` checks them; without a `limit` the pages are [`ORDERS_PAGE`] long.
    pub fn orders(params: ListOrdersParams) -> Result<Self, Error> {
        params.problems().into_result()?;
        Ok(ListWalk {
            walker: PageWalker::new(
                params.offset.unwrap_or(0),
                params.limit.unwrap_or(ORDERS_PAGE),
                DEFAULT_MAX_PAGES,
            ),
            listing: Listing::Orders {
                status: params.status,
            },
        })
    }

    /// `iterateSubUsers`: every sub-user of `params.proxy_type`. The params are checked as
    /// `listSubUsers` checks them; without a `limit` the pages are [`SUB_USERS_PAGE`] long.
    pub fn sub_users(params: ListSubUsersParams) -> Result<Self, Error> {
        params.problems().into_result()?;
        Ok(ListWalk {
            walker: PageWalker::new(
                params.offset.unwrap_or(0),
                params.limit.unwrap_or(SUB_USERS_PAGE),
                DEFAULT_MAX_PAGES,
            ),
            listing: Listing::SubUsers {
                proxy_type: params.proxy_type,
            },
        })
    }

    /// Reads at most `max_pages` pages (the `maxPages` call option, see
    /// [`crate::paging::max_pages`]) instead of [`DEFAULT_MAX_PAGES`].
    pub fn max_pages(self, max_pages: u64) -> Self {
        let PageWalker { offset, limit, .. } = self.walker;
        ListWalk {
            walker: PageWalker::new(offset, limit, max_pages),
            ..self
        }
    }

    /// Whether another page should be fetched.
    pub fn wants_more(&self) -> bool {
        self.walker.wants_more()
    }

    /// The request for the next page.
    pub fn next_page(&self) -> PageRequest {
        let (offset, limit) = (Some(self.walker.offset), Some(self.walker.limit));
        match &self.listing {
            Listing::Orders { status } => PageRequest::Orders(ListOrdersParams {
                status: status.clone(),
                offset,
                limit,
            }),
            Listing::SubUsers { proxy_type } => PageRequest::SubUsers(ListSubUsersParams {
                proxy_type: proxy_type.clone(),
                offset,
                limit,
            }),
        }
    }

    /// The key of a reply's item list: `orders` or `data`.
    pub fn items_key(&self) -> &'static str {
        match self.listing {
            Listing::Orders { .. } => "orders",
            Listing::SubUsers { .. } => "data",
        }
    }

    /// Records the reply to [`ListWalk::next_page`] and returns the items to yield: the
    /// page's items, or none when the page was empty or repeated the previous one. An order
    /// page is the last when `next` is `null`; a sub-user page when the items seen reach
    /// `count` (the total); either list also ends on a short page.
    pub fn record<'a>(&mut self, reply: &'a Value) -> &'a [Value] {
        let items: &[Value] = reply
            .get(self.items_key())
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let last = match self.listing {
            Listing::Orders { .. } => matches!(reply.get("next"), Some(Value::Null)),
            Listing::SubUsers { .. } => reply
                .get("count")
                .and_then(Value::as_u64)
                .is_some_and(|total| self.walker.offset + items.len() as u64 >= total),
        };
        match self.walker.record(items, last) {
            Stop::Empty | Stop::Repeated => &[],
            _ => items,
        }
    }
}

impl PageRequest {
    /// The page's request built by `client` (nothing is sent), with the [`ReplyCheck`] its
    /// reply must pass.
    pub fn prepare<T: Transport>(
        &self,
        client: &Client<T>,
        timeout_ms: Option<u32>,
    ) -> Result<(HttpRequest, ReplyCheck), Error> {
        Ok(match self {
            PageRequest::Orders(p) => (
                client.prepare(p, timeout_ms)?,
                reply_check::<ListOrdersParams>(),
            ),
            PageRequest::SubUsers(p) => (
                client.prepare(p, timeout_ms)?,
                reply_check::<ListSubUsersParams>(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ClientConfig, ConfigInput};
    use crate::transport::mock::MockTransport;
    use serde_json::json;

    fn orders(status: &str, offset: Option<u64>, limit: Option<u64>) -> ListOrdersParams {
        ListOrdersParams {
            status: status.into(),
            offset,
            limit,
        }
    }

    fn sub_users(limit: Option<u64>) -> ListSubUsersParams {
        ListSubUsersParams {
            proxy_type: "premium".into(),
            offset: None,
            limit,
        }
    }

    fn page(ids: std::ops::Range<u64>) -> Vec<Value> {
        ids.map(|i| json!({ "order_id": i })).collect()
    }

    #[test]
    fn order_walk_pages_of_100_until_next_is_null() {
        let mut w = ListWalk::orders(orders("all", None, None)).unwrap();
        assert_eq!(w.items_key(), "orders");
        assert_eq!(
            w.next_page(),
            PageRequest::Orders(orders("all", Some(0), Some(100)))
        );
        let first = json!({"orders": page(0..100), "next": "/user/api/orders?offset=100"});
        assert_eq!(w.record(&first).len(), 100);
        assert!(w.wants_more());
        assert_eq!(
            w.next_page(),
            PageRequest::Orders(orders("all", Some(100), Some(100)))
        );
        // A full page whose `next` is null is the last one.
        let second = json!({"orders": page(100..200), "next": null});
        assert_eq!(w.record(&second).len(), 100);
        assert!(!w.wants_more());
    }

    #[test]
    fn order_walk_keeps_offset_and_limit_and_ends_on_a_short_page() {
        let mut w = ListWalk::orders(orders("active", Some(5), Some(2))).unwrap();
        assert_eq!(
            w.next_page(),
            PageRequest::Orders(orders("active", Some(5), Some(2)))
        );
        // `next` missing is not a stop signal; a short page is.
        assert_eq!(w.record(&json!({"orders": page(0..2)})).len(), 2);
        assert!(w.wants_more());
        assert_eq!(w.record(&json!({"orders": page(2..3)})).len(), 1);
        assert!(!w.wants_more());
    }

    #[test]
    fn walks_check_params_as_the_list_calls_do() {
        let e = ListWalk::orders(orders("open", None, None)).unwrap_err();
        assert_eq!(e.field(), Some("status"));
        let e = ListWalk::orders(orders("all", None, Some(101))).unwrap_err();
        assert_eq!(e.field(), Some("limit"));
        let e = ListWalk::sub_users(ListSubUsersParams {
            proxy_type: "basic".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field(), Some("proxy_type"));
    }

    #[test]
    fn sub_user_walk_pages_of_20_until_count() {
        let mut w = ListWalk::sub_users(sub_users(None)).unwrap();
        assert_eq!(w.items_key(), "data");
        let PageRequest::SubUsers(p) = w.next_page() else {
            panic!("a sub-user page")
        };
        assert_eq!((p.offset, p.limit), (Some(0), Some(20)));
        assert_eq!(
            w.record(&json!({"count": 40, "data": page(0..20)})).len(),
            20
        );
        assert!(w.wants_more());
        // 20 + 20 reaches the total: the walk ends although the page is full.
        assert_eq!(
            w.record(&json!({"count": 40, "data": page(20..40)})).len(),
            20
        );
        assert!(!w.wants_more());
    }

    #[test]
    fn empty_and_repeated_pages_yield_nothing_and_stop() {
        let mut w = ListWalk::sub_users(sub_users(Some(2))).unwrap();
        assert!(w.record(&json!({"count": 9, "data": []})).is_empty());
        assert!(!w.wants_more());

        let mut w = ListWalk::sub_users(sub_users(Some(2))).unwrap();
        let same = json!({"count": 9, "data": page(0..2)});
        assert_eq!(w.record(&same).len(), 2);
        assert!(w.record(&same).is_empty(), "a server ignoring offset");
        assert!(!w.wants_more());

        // A reply without the list reads as an empty page.
        let mut w = ListWalk::orders(orders("all", None, None)).unwrap();
        assert!(w.record(&json!({"success": true})).is_empty());
        assert!(!w.wants_more());
    }

    #[test]
    fn max_pages_bounds_the_walk() {
        let mut w = ListWalk::orders(orders("all", Some(4), Some(2)))
            .unwrap()
            .max_pages(2);
        assert_eq!(
            w.next_page(),
            PageRequest::Orders(orders("all", Some(4), Some(2)))
        );
        w.record(&json!({"orders": page(0..2)}));
        assert!(w.wants_more());
        w.record(&json!({"orders": page(2..4)}));
        assert!(!w.wants_more());
    }

    #[test]
    fn page_requests_are_built_by_the_client() {
        let config = ClientConfig::from_input(
            ConfigInput {
                api_key: Some("k".into()),
                base_url: Some("https://shard.test".into()),
                ..Default::default()
            },
            crate::proxyshard::DEFAULTS,
        )
        .unwrap();
        let client = Client::new(config, MockTransport::new());
        let (request, check) = PageRequest::SubUsers(ListSubUsersParams {
            proxy_type: "premium".into(),
            offset: Some(20),
            limit: Some(20),
        })
        .prepare(&client, Some(1234))
        .unwrap();
        assert_eq!(
            request.url,
            "https://shard.test/user/api/proxies/sub-users?proxy_type=premium&offset=20&limit=20"
        );
        assert_eq!(request.timeout_ms, Some(1234));
        assert_eq!(check.operation, "listSubUsers");
        let (request, check) = ListWalk::orders(orders("all", None, None))
            .unwrap()
            .next_page()
            .prepare(&client, None)
            .unwrap();
        assert_eq!(
            request.url,
            "https://shard.test/user/api/orders?status=all&offset=0&limit=100"
        );
        assert_eq!(check.operation, "listOrders");
    }
}
