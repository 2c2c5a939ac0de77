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
//! - [`spec`]: the operation tables `cargo xtask gen` derives from `spec/`.
//! - [`wire`]: operations as data (read, checked and built by one interpreter).
//! - `wasm` (wasm32 only): the `#[wasm_bindgen]` layer, conversions only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// A panic poisons the wasm instance, so the library never unwraps (its unit tests may), nor
// slices a str by index: `json::cut` instead, as the slicing panic's message builder alone
// was ~4 KB gzip of each wasm module.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::string_slice)
)]

pub mod client;
pub mod config;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod ip;
pub mod json;
#[cfg(all(feature = "proxy-solutions", feature = "proxyshard"))]
pub mod market;
pub mod paging;
pub mod policy;
#[cfg(feature = "proxy-solutions")]
pub mod proxy_solutions;
#[cfg(feature = "proxyshard")]
pub mod proxyshard;
pub mod spec;
pub mod transport;
pub mod validate;
pub mod wire;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use client::{CallOptions, Client};
pub use config::{ClientConfig, ConfigInput};
pub use endpoint::Endpoint;
pub use error::{ApiBody, Error};
