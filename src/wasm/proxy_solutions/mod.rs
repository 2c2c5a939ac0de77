//! `ProxySolutionsClient` (here) and `ProxySolutionsRules` (`rules_class.rs`, feature `rules`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::clients::{build_client, call_steps, finish_for, AfterReply, How, Inner, Op};
use super::convert::error_to_js;
use crate::client::{reply_check, Client};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::http::HttpRequest;
use crate::json::FromJson;
use crate::proxy_solutions::endpoints::*;
use crate::proxy_solutions::rules::{self, Catalogue, ServiceKind};
use crate::proxy_solutions::DEFAULTS;
use crate::transport::fetch::FetchTransport;

/// Client of the Proxy-Solutions v3 API (<https://proxy-solutions.gitbook.io/api-en/>).
///
/// Every method takes one params object with the vendor's wire field names and optional
/// call options, and resolves to the reply with wire field names. Input is checked against
/// the vendor's rules first (nothing is sent while a rule is broken). Failures reject with a
/// `ProxykitError` (see `isProxykitError`).
///
/// Period and quantity rules depend on the service's kind (individual, prime, city, batch,
/// mobile). The client learns kinds from `listServices` and order replies; pass
/// `{ serviceKind }` in the call options when you know it better.
#[wasm_bindgen]
pub struct ProxySolutionsClient {
    inner: Inner,
    catalogue: Rc<RefCell<Catalogue>>,
}

impl ProxySolutionsClient {
    /// The core client, shared with a `ProxyMarket` built on this client.
    #[cfg(feature = "market")]
    pub(crate) fn inner(&self) -> Inner {
        Rc::clone(&self.inner)
    }
}

/// An operation of this client as data (`ops.rs` holds the table).
type ClientOp = Op<RefCell<Catalogue>>;

/// Operation `E` as data: its rule context is resolved by the core's catalogue (the call
/// options' hint over what was learned), and a successful reply is learned from (so the
/// reply's value is built: `finish_for(true, …)`).
fn op<E>() -> ClientOp
where
    E: Endpoint + Contextual + FromJson + 'static,
{
    Op {
        prepare: How::Code(prepare::<E>),
        extra: E::CONTEXT_OPTIONS,
        check: reply_check::<E>(),
        finish: finish_for(true, E::ANY_BODY),
    }
}

/// Reads `E`'s params, resolves its rule context from the call options' hint (`hint`) over
/// what the catalogue learned, and builds the request (see `clients::prepare_call`).
fn prepare<E: Endpoint + Contextual + FromJson>(
    params: &serde_json::Value,
    hint: &serde_json::Value,
    client: &Client<FetchTransport>,
    catalogue: &RefCell<Catalogue>,
) -> Result<HttpRequest, Error> {
    let mut endpoint = E::from_json(params)?;
    catalogue
        .borrow()
        .apply(&mut endpoint, hint)
        .map_err(|e| e.under("callOptions"))?;
    endpoint.build(client.config())
}

/// What a successful reply of `operation` teaches the catalogue (service kinds); one
/// non-generic closure type for every operation.
fn learner(catalogue: &Rc<RefCell<Catalogue>>, operation: &'static str) -> AfterReply {
    let catalogue = Rc::clone(catalogue);
    Box::new(move |reply: &serde_json::Value| catalogue.borrow_mut().learn(operation, reply))
}

call_steps!(ProxySolutionsClient, |this| context: &*this.catalogue,
    after: |operation| Some(learner(&this.catalogue, operation)));

#[wasm_bindgen]
impl ProxySolutionsClient {
    /// Creates a client. Throws an `invalid_input` `ProxykitError` for a malformed option
    /// (a bad URL, a non-string key, an unknown option name).
    ///
    /// The vendor does not publish how the API key is sent: the default is the header
    /// `X-API-KEY: <key>`; change it with `authHeader` / `authPrefix`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ProxySolutionsOptions")] options: Option<
            Object,
        >,
    ) -> Result<ProxySolutionsClient, JsValue> {
        Ok(ProxySolutionsClient {
            inner: build_client(options, DEFAULTS)?,
            catalogue: Rc::default(),
        })
    }

    /// Tells the client a service's kind, for the period and quantity rules of calls on that
    /// service and its orders (e.g. from your own catalogue).
    #[wasm_bindgen(js_name = setServiceKind)]
    #[allow(non_snake_case)] // the parameter name is what TypeScript shows
    pub fn set_service_kind(
        &self,
        // A JsValue, not an f64: wasm-bindgen's number conversion throws a plain TypeError
        // on a BigInt or Symbol (the fuzz test found it); here every value gets a typed error.
        #[wasm_bindgen(unchecked_param_type = "number")] serviceId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ServiceKind")] kind: JsValue,
    ) -> Result<(), JsValue> {
        let id = rules::service_id(serviceId.as_f64().unwrap_or(f64::NAN), "serviceId")
            .map_err(error_to_js)?;
        let kind = kind_from_js(kind, "kind").map_err(error_to_js)?;
        self.catalogue.borrow_mut().set_kind(id, kind);
        Ok(())
    }
}

// One method per operation, named by its `operationId`: generated into `ops.rs` from the
// overlay's `jsdoc` (a `macro_rules!` would have passed the doc comments to wasm-bindgen as
// raw-string tokens, and every JSDoc line then began with `r"`).
mod ops;
// `ProxySolutionsRules`, for forms (cargo feature `rules`).
#[cfg(feature = "rules")]
mod rules_class;

fn kind_from_js(v: JsValue, field: &str) -> Result<ServiceKind, Error> {
    ServiceKind::from_field(v.as_string().as_deref(), field)
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY_SOLUTIONS: &'static str = r#"
/** Reply language (`?lang=`). Note `UA`, not ISO `uk`. */
export type Lang = "EN" | "RU" | "UA";
/** Currency of converted amounts (`?currency=`). */
export type Currency = "USD" | "EUR" | "RUB" | "UAH" | "KZT";
/** Order state (the docs' enum); only `waiting` (expired without auto-renewal) is explained. */
export type OrderStatus =
  | "waiting"
  | "waiting.activation"
  | "active"
  | "active.suspended"
  | "archived";
/**
 * `period` in days of `createOrder` / `calculatePrice`: 30/60/90/180/365 for individual,
 * prime, city and batch proxies, 1/7/30/90/365 for mobile (the kind decides at run time).
 */
export type Period = 1 | 7 | 30 | 60 | 90 | 180 | 365;
/** Mobile channel operations of `performOrderOperation`. */
export type OrderOperation =
  | "channels-change-ip"
  | "channels-reset"
  | "channels-set-autoreset"
  | "channels-relocate";
/**
 * A tariff in the `listServices` reply. The vendor does not publish the shape; these are
 * the fields its other pages and the legacy API name, all optional; others are kept.
 */
export interface CatalogueService {
  /** Service id, the `service_id` of other calls. */
  id?: number;
  /** Display name, e.g. `City proxies`. */
  name?: string;
  /** Batch proxies: the allowed batch sizes (`quantity`). */
  packets?: number[];
  [key: string]: unknown;
}
/** Reply of `listServices`: an object (as the OpenAPI file models it), `services` when present. */
export interface ServiceCatalogue {
  services?: CatalogueService[];
  [key: string]: unknown;
}
/** A location in the `listServiceLocations` reply (fields from order examples; all optional). */
export interface CatalogueLocation {
  /** Location id, the `location_id` of other calls. */
  id?: number;
  /** `country` or `city`. */
  type?: string;
  name?: string;
  country_name?: string;
  [key: string]: unknown;
}
/** Reply of `listServiceLocations`: an object (as the OpenAPI file models it), `locations` when present. */
export interface LocationCatalogue {
  locations?: CatalogueLocation[];
  [key: string]: unknown;
}
/**
 * Call options of Proxy-Solutions operations whose rules depend on the service: the kind
 * (when you know it better than the client's catalogue), batch `packets`, and the escape
 * hatch for creating an order on a tariff without locations.
 */
export interface ProxySolutionsCallOptions extends CallOptions, RuleContext {}
"#;
