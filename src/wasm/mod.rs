//! The `#[wasm_bindgen]` layer: the JS classes, and conversions to and from the core.
//! Nothing here decides anything about the APIs; rules live in the core.

mod clients;
mod convert;
#[cfg(feature = "market")]
mod market;
#[cfg(feature = "proxy-solutions")]
mod proxy_solutions;
#[cfg(feature = "proxyshard")]
mod proxyshard;

use wasm_bindgen::prelude::*;

/// The allocator: talc's, which is much smaller than std's dlmalloc (see Cargo.toml). Not for
/// builds with wasm threads (`atomics`), which need its locked form; proxykit has none.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Whether `value` is an error thrown or rejected by proxykit. Such errors are real `Error`s
/// with `name === "ProxykitError"` and a stable `code`; branch on `code`, not on the message.
#[wasm_bindgen(js_name = isProxykitError, skip_typescript)]
pub fn is_proxykit_error(value: JsValue) -> bool {
    convert::is_proxykit_error(&value)
}

/// Size of this wasm instance's linear memory in bytes, for monitoring long-running pages
/// and processes (it grows when needed and never shrinks).
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    // `memory.buffer.byteLength` through `Reflect.get`, which the modules import anyway:
    // js-sys's typed `Memory` / `ArrayBuffer` getters were four more imports and glue
    // functions.
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k));
    get(&wasm_bindgen::memory(), "buffer")
        .and_then(|b| get(&b, "byteLength"))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
}

// The operationId unions, derived from spec/ by `cargo xtask gen`.
#[cfg(feature = "proxy-solutions")]
#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY_SOLUTIONS_OPERATIONS: &'static str = crate::spec::proxy_solutions::TS_OPERATIONS;
#[cfg(feature = "proxyshard")]
#[wasm_bindgen(typescript_custom_section)]
const TS_PROXYSHARD_OPERATIONS: &'static str = crate::spec::proxyshard::TS_OPERATIONS;

#[wasm_bindgen(typescript_custom_section)]
const TS_SHARED: &'static str = r#"
declare global {
  interface SymbolConstructor {
    /**
     * Declared so the clients' `[Symbol.dispose]()` (emitted by wasm-bindgen) type-checks
     * without lib `esnext.disposable`; identical to TypeScript's own and @types/node's.
     */
    readonly dispose: unique symbol;
  }
}

/** Stable error codes. Branch on these, never on message text. */
export type ProxykitErrorCode =
  | "invalid_input"
  | ApiErrorCode
  | "decode"
  | "network"
  | "timeout"
  | "aborted"
  | "redirect"
  | "response_too_large"
  | "client_freed"
  | "not_initialized";

/**
 * Codes of a non-2xx reply: `unauthorized` (401), `forbidden` (403), `not_found` (404),
 * `validation_failed` (422, or a 400 whose message says validation or that lists `errors`:
 * ProxyShard answers 400 for invalid input and for business refusals alike), `rate_limited`
 * (429; see `retryAfter`), `server_error` (5xx), `api` (any other).
 */
export type ApiErrorCode =
  | "api"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "validation_failed"
  | "rate_limited"
  | "server_error";

interface ProxykitErrorBase extends Error {
  name: "ProxykitError";
  code: ProxykitErrorCode;
  /**
   * Whether the request could have taken effect at the vendor: `false` only when it certainly
   * did not (refused locally, or a 4xx reply). After `true` on a write or money call, check
   * the account (list orders, read the wallet) before trying again: proxykit never retries
   * those calls itself.
   */
  mayHaveBeenApplied: boolean;
  /** Requests the call sent, retries included (absent when nothing was sent). */
  attempts?: number;
}

/** The input broke a rule; nothing was sent. */
export interface InvalidInputError extends ProxykitErrorBase {
  code: "invalid_input";
  /** Path of the offending field, e.g. `quantity`, `options.baseUrl`, `callOptions.timeout`. */
  field: string;
  /** The rule that was broken. */
  rule: string;
}

/** The server answered with a non-2xx status. The vendor's body is kept whole. */
export interface ApiError extends ProxykitErrorBase {
  code: ApiErrorCode;
  /** The operationId (method name) of the call. */
  operation: string;
  /** HTTP status. */
  status: number;
  /** The vendor's `message` field, when the body had one. */
  vendorMessage?: string;
  /** The error body: parsed JSON, the text of a non-JSON body, or `null` when empty. */
  body: unknown;
  /**
   * The vendor's messages per field, from the `errors` object of a 422 body when it has one
   * (`{ period: ["The selected period is invalid."] }`).
   */
  fieldErrors?: Record<string, string[]>;
  /**
   * The reply headers worth logging, lower-case names: `retry-after`, request ids
   * (`x-request-id`, `request-id`, `x-amzn-requestid`, `cf-ray`), `x-ratelimit-*`,
   * `content-type`, `date`. Nothing else: never cookies or auth headers.
   */
  headers: Record<string, string>;
  /** The vendor's request id, when the reply carried one (quote it to the vendor's support). */
  requestId?: string;
  /**
   * `Retry-After` in whole seconds (a date is turned into seconds from now), when the reply
   * had a readable one; mostly with `rate_limited` and `server_error`. proxykit's own retries
   * already honour it (up to `maxRetryDelay`).
   */
  retryAfter?: number;
}

/** A 2xx reply did not have the documented shape. */
export interface DecodeError extends ProxykitErrorBase {
  code: "decode";
  operation: string;
  status: number;
  /** JSON path where decoding failed (`.` for the whole body), e.g. `merchants[0].code`. */
  path: string;
  /** The start of the body. */
  snippet: string;
}

/** The request could not be sent or its reply not read. */
export interface NetworkError extends ProxykitErrorBase {
  code: "network";
  /**
   * What the `fetch` threw, rejected with, or resolved to instead of a `Response` (Node's
   * `TypeError: fetch failed` keeps the reason, e.g. `ECONNREFUSED`, in its own `cause`; the
   * message names it too).
   */
  cause?: unknown;
}

/**
 * The server answered with a redirect, which proxykit never follows: following it would send
 * the API key to the origin the reply names and could repeat a purchase. Usually a wrong
 * `baseUrl` (e.g. `http://` to a host that redirects to `https://`).
 */
export interface RedirectError extends ProxykitErrorBase {
  code: "redirect";
  operation: string;
  /** The 3xx status; `0` in browsers, which hide it (an opaque redirect). */
  status: number;
  /** The origin (`scheme://host[:port]`) the redirect points at, or `null` when unknown. */
  location: string | null;
}

/** The reply body was larger than `maxResponseBytes`; reading stopped there. */
export interface ResponseTooLargeError extends ProxykitErrorBase {
  code: "response_too_large";
  operation: string;
  status: number;
  /** The cap that was exceeded, in bytes. */
  limit: number;
}

/** A method was called on a client after `free()` (or `using` disposal). */
export interface ClientFreedError extends ProxykitErrorBase {
  code: "client_freed";
}

/** `proxykit/web` was used before `await init()` loaded the wasm module. */
export interface NotInitializedError extends Omit<ProxykitErrorBase, "mayHaveBeenApplied"> {
  code: "not_initialized";
}

/** No complete reply within the timeout. */
export interface TimeoutError extends ProxykitErrorBase {
  code: "timeout";
  /** The timeout that expired, in milliseconds. */
  timeoutMs: number;
}

/** The call's `AbortSignal` fired. */
export interface AbortedError extends ProxykitErrorBase {
  code: "aborted";
}

/** Every error proxykit throws or rejects with. Narrow on `code`. */
export type ProxykitError =
  | InvalidInputError
  | ApiError
  | DecodeError
  | NetworkError
  | TimeoutError
  | AbortedError
  | RedirectError
  | ResponseTooLargeError
  | ClientFreedError
  | NotInitializedError;

/**
 * Whether `value` is an error thrown or rejected by proxykit (also one made by another copy
 * of the package, e.g. its CJS and ESM builds).
 */
export function isProxykitError(value: unknown): value is ProxykitError;

/**
 * `ProxykitError` as a value, for `instanceof`: `e instanceof ProxykitError` is true for every
 * error proxykit throws or rejects with, from any entry point and from the CJS and ESM builds
 * alike (it checks the same brand as `isProxykitError`), and narrows `e` to the union above.
 * proxykit makes its errors itself; constructing one is refused.
 */
export declare const ProxykitError: {
  readonly prototype: Error;
  [Symbol.hasInstance](value: unknown): value is ProxykitError;
};

/** Options of one call (the optional second argument of every method). */
export interface CallOptions {
  /** Timeout for this call in milliseconds (whole number, 1 to 2147483647); overrides the client's. */
  timeout?: number;
  /** Cancels the call (also during a wait between retries); the promise rejects with code `aborted`. */
  signal?: AbortSignal;
  /**
   * Retries for this call (whole number, 0 to 10); overrides the client's. Only calls that are
   * safe to repeat (reads and idempotent writes) are ever retried.
   */
  retries?: number;
}

/** What a custom `fetch` receives as its second argument. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Always `"manual"`: proxykit never follows a redirect (see `RedirectError`). */
  redirect: "manual";
}

/**
 * What a custom `fetch` must resolve to: a `Response`, or an object with its `status`,
 * `headers.get` and one way to read the body: a `body` stream (preferred: read chunk by chunk
 * and stopped at `maxResponseBytes`), `arrayBuffer()` or `text()`.
 */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer?(): Promise<ArrayBuffer>;
  text?(): Promise<string>;
  /** `"opaqueredirect"` for a redirect seen by a browser's fetch. */
  type?: string;
}

/**
 * A `fetch`-compatible function, called as `fetch(url, init)`. The global `fetch` of Node,
 * browsers and workers fits, and so does a test double.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

/** Options shared by both clients. */
export interface ClientOptionsBase {
  /** Account API key. Optional: public calls work without it. Never logged. */
  apiKey?: string;
  /** Base URL, e.g. the local sandbox. Absolute http(s), no query or credentials. */
  baseUrl?: string;
  /**
   * Function used instead of the global `fetch` (workers, edge runtimes, tests). The global one
   * is looked up at each call, so a patched `globalThis.fetch` is used too. Whatever it does
   * (throws, rejects with a non-Error, resolves to a non-Response, never settles) ends as a
   * typed error, never a crash.
   */
  fetch?: FetchLike;
  /**
   * Timeout of each attempt in milliseconds (whole number, 1 to 2147483647). Default 30000. A
   * retried call takes at most (retries + 1) × timeout plus the waits between attempts. Enforced
   * by proxykit itself (reading the body included), also when a custom `fetch` ignores its signal.
   */
  timeout?: number;
  /**
   * Retries of calls that are safe to repeat (reads, and writes that set a value such as a
   * tag), on network errors, timeouts, 429 and 5xx (whole number, 0 to 10). Default 2.
   * Money-moving and state-creating calls are never retried.
   */
  retries?: number;
  /**
   * Largest reply body read, in bytes, counted after decompression (whole number, 1 to
   * 1073741824). A larger reply fails with `response_too_large` as soon as the cap is passed, so
   * a runaway or hostile reply (a compressed bomb) cannot exhaust memory. Default 16777216 (16 MiB);
   * no documented reply comes near it.
   */
  maxResponseBytes?: number;
  /**
   * Allow `http://` to a host that is not loopback (the key and proxy passwords then travel
   * unencrypted). Loopback hosts (127.0.0.1, ::1, localhost) never need it. Default false.
   */
  allowInsecureHttp?: boolean;
  /**
   * Allow an `apiKey` in a browser page or worker. Anyone who loads the page can read the key
   * and spend your balance, so only set this for a tool only you use (your own reseller
   * panel), never on a public storefront; public calls need no key. Default false.
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * The server at `baseUrl` adds the API key: a `proxykit/server` handler in front of the
   * vendor, so a storefront page holds no key. Calls that need a key are then sent without
   * one instead of being refused locally; the server decides (its `expose` and `authorize`).
   * Needs `baseUrl`; refuses an `apiKey`. Default false.
   */
  keyOnServer?: boolean;
  /** First wait between attempts in ms; doubled per retry, half of it random. Default 300. */
  retryDelay?: number;
  /**
   * Longest single wait in ms, for backoff and `Retry-After` alike (0 to 600000). A
   * `Retry-After` longer than this is not waited for: the call fails with that reply. Default 30000.
   */
  maxRetryDelay?: number;
  /** Called before each request is sent (each attempt of a retried call). For logs and metrics. */
  onRequest?: (event: RequestEvent) => void;
  /** Called when a request ends: a reply of any status, or no usable reply (`code`). */
  onResponse?: (event: ResponseEvent) => void;
  /** Called before the wait of a retry. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * What the hooks receive: the operation, the method and the URL's path (no host, query or
 * headers, so no key or password can be in it) and numbers. A hook that throws is ignored:
 * it never fails the call.
 */
export interface RequestEvent {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface ResponseEvent extends RequestEvent {
  /** The reply's HTTP status, when there was a reply. */
  status?: number;
  /** Set when the attempt got no usable reply: `network`, `timeout`, `aborted`, `redirect`, `response_too_large`. */
  code?: ProxykitErrorCode;
  /** Time from sending to this event, in ms. */
  elapsedMs: number;
}

export interface RetryEvent extends RequestEvent {
  /** The wait before the next attempt, in ms. */
  delayMs: number;
}

/**
 * Options of `ProxySolutionsClient`. The vendor does not publish how the API key is sent, so
 * the header is configurable; the default `X-API-KEY: <key>` is a placeholder to confirm.
 */
export interface ProxySolutionsOptions extends ClientOptionsBase {
  /** Default `https://v3.proxy-solutions.net/api` (newer docs use `https://proxy-solutions.net/api`). */
  baseUrl?: string;
  /** Header that carries the key. Default `X-API-KEY`. */
  authHeader?: string;
  /** Scheme put before the key with one space, e.g. `Bearer`. Default: none. */
  authPrefix?: string;
}

/** Options of `ProxyShardClient`. The key is sent as `Authorization: Bearer <key>`. */
export interface ProxyShardOptions extends ClientOptionsBase {
  /** Default `https://user-api.proxyshard.com`. */
  baseUrl?: string;
}
"#;
