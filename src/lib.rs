//! # proxykit
//!
//! Typed clients for two proxy sellers' APIs — **Proxy-Solutions** (v3 client API) and
//! **ProxyShard** (User API v1.1.0) — as a plain-Rust core compiled to WebAssembly for
//! Node ≥ 18, browsers and web workers.
//!
//! Layout (see `shared/house-style.md`):
//! - [`http`], [`error`], [`config`]: plain data, no I/O.
//! - [`endpoint`]: an operation is a value with a pure `build` and a pure `parse`.
//! - [`transport`]: the one network seam (`fetch` on wasm, a recording mock natively).
//! - [`client`]: build → send → parse.
//! - [`paging`]: the bounded walk over an offset-paged list.
//! - [`proxy_solutions`], [`proxyshard`]: models, endpoints and rules per vendor.
//! - `wasm` (wasm32 only): the `#[wasm_bindgen]` layer, conversions only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod client;
pub mod config;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod json;
pub mod market;
pub mod paging;
pub mod policy;
pub mod proxy_solutions;
pub mod proxyshard;
pub mod transport;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use client::{CallOptions, Client};
pub use config::{ClientConfig, ConfigInput};
pub use endpoint::Endpoint;
pub use error::{ApiBody, Error};
