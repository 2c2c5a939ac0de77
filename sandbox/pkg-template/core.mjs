// The runtime-neutral half of proxykit-sandbox: wraps the wasm core (one `handle` taking and
// giving JSON text) into the Sandbox object: a fetch-compatible function plus the control
// calls (log, clock, faults, payments). Used by node.mjs and web.mjs.

const NULL_BODY = new Set([101, 204, 205, 304]);
const ORIGIN = "http://sandbox.invalid";

function abortError(signal) {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function bodyText(body) {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  return await new Response(body).text();
}

/** Wraps a constructed SandboxCore. */
export function wrap(core) {
  const handle = (method, url, headers = [], body = "") =>
    JSON.parse(core.handle(method, url, JSON.stringify(headers), body));
  const control = (method, path, body, origin = ORIGIN) => {
    const out = handle(method, `${origin}/__sandbox${path}`, [], body === undefined ? "" : JSON.stringify(body));
    const value = JSON.parse(out.body);
    if (out.status !== 200) throw new Error(`proxykit-sandbox: ${value.error ?? out.status}`);
    return value;
  };

  async function sandboxFetch(input, init = {}) {
    const isRequest = typeof Request !== "undefined" && input instanceof Request;
    const url = new URL(String(isRequest ? input.url : input), ORIGIN).href;
    const method = String(init.method ?? (isRequest ? input.method : "GET")).toUpperCase();
    const headers = new Headers(init.headers ?? (isRequest ? input.headers : undefined));
    const signal = init.signal ?? (isRequest ? input.signal : undefined);
    const body = await bodyText(init.body ?? (isRequest ? await input.text() : undefined));
    if (signal?.aborted) throw abortError(signal);
    const out = handle(method, url, [...headers], body);
    if (out.delayMs > 0) await sleep(out.delayMs, signal);
    if (out.drop) throw new TypeError("fetch failed (proxykit-sandbox: connection dropped)");
    return new Response(NULL_BODY.has(out.status) || method === "HEAD" ? null : out.body, {
      status: out.status,
      headers: out.headers,
    });
  }

  return {
    /** A `fetch`-compatible function answered by this sandbox (no network). */
    fetch: sandboxFetch,
    /** Answers one request synchronously: `{status, headers, body, delayMs, drop}`. */
    handle,
    /** The request log: `{entries, counts, total}`. */
    log: () => control("GET", "/log"),
    /** Empties the log and the counts. */
    clearLog: () => control("POST", "/log/clear"),
    /** Moves the clock: `{days}` or `{seconds}`; returns `{now}`. */
    advance: (by) => control("POST", "/advance", by),
    /** The sandbox clock as ISO-8601. */
    now: () => control("GET", "/clock").now,
    /** Back to the initial state (same seed and options). */
    reset: () => control("POST", "/reset"),
    /** The fault settings. */
    faults: () => control("GET", "/faults"),
    /** Replaces the fault settings (missing keys take their defaults). */
    setFaults: (config) => control("POST", "/faults", config),
    /** Completes a Proxy-Solutions payment link (its URL or its id). */
    pay: (urlOrId) => control("POST", `/pay/${String(urlOrId).split("/").pop()}`),
    /** Base URLs (relative to `origin`), API keys, clock and seed. */
    info: (origin = ORIGIN) => control("GET", "/info", undefined, origin),
    /** Frees the wasm memory of this sandbox. */
    free: () => core.free(),
  };
}

export const SANDBOX_ORIGIN = ORIGIN;
