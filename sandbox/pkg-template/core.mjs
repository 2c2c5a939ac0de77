// The runtime-neutral half of proxykit-sandbox: wraps the wasm core (one `handle` taking and
// giving JSON text) into the Sandbox object: a fetch-compatible function plus the control
// calls (log, clock, faults, payments). Used by node.mjs and web.mjs.

const NULL_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const ORIGIN = "http://sandbox.invalid";

/** Checks what the wasm core cannot see (a seed that JSON would round); throws an Error. */
export function checkSandboxOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new Error("proxykit-sandbox: options: expected an object");
  }
  const { seed } = options;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new Error(`proxykit-sandbox: seed: expected a non-negative safe integer (0 to 2^53-1), got ${typeof seed === "string" ? JSON.stringify(seed) : String(seed)}`);
  }
}

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

  // Redirects as fetch's `redirect` option says: "manual" returns the 3xx reply (as Node's
  // fetch does), "error" throws, "follow" (the default) follows one to the same origin and
  // throws a network error for another origin (which the in-process sandbox cannot reach).
  async function sandboxFetch(input, init = {}) {
    const isRequest = typeof Request !== "undefined" && input instanceof Request;
    let url = new URL(String(isRequest ? input.url : input), ORIGIN).href;
    let method = String(init.method ?? (isRequest ? input.method : "GET")).toUpperCase();
    const headers = new Headers(init.headers ?? (isRequest ? input.headers : undefined));
    const signal = init.signal ?? (isRequest ? input.signal : undefined);
    const redirect = init.redirect ?? (isRequest ? input.redirect : undefined) ?? "follow";
    let body = await bodyText(init.body ?? (isRequest ? await input.text() : undefined));
    for (let hops = 0; ; hops++) {
      if (signal?.aborted) throw abortError(signal);
      const out = handle(method, url, [...headers], body);
      if (out.delayMs > 0) await sleep(out.delayMs, signal);
      if (out.drop) throw new TypeError("fetch failed (proxykit-sandbox: connection dropped)");
      const location = REDIRECT.has(out.status) ? out.headers.find(([k]) => k.toLowerCase() === "location")?.[1] : undefined;
      if (location === undefined || redirect === "manual") {
        return new Response(NULL_BODY.has(out.status) || method === "HEAD" ? null : out.body, {
          status: out.status,
          headers: out.headers,
        });
      }
      const next = new URL(location, url);
      if (redirect === "error") throw new TypeError(`fetch failed (proxykit-sandbox: ${out.status} redirect to ${next.href} with redirect: "error")`);
      if (next.origin !== new URL(url).origin) {
        throw new TypeError(`fetch failed (proxykit-sandbox: ${out.status} redirect to ${next.href}, another origin, which the in-process sandbox cannot reach)`);
      }
      if (hops >= MAX_REDIRECTS) throw new TypeError("fetch failed (proxykit-sandbox: too many redirects)");
      if ((out.status === 303 && method !== "HEAD") || ((out.status === 301 || out.status === 302) && method === "POST")) {
        method = "GET";
        body = "";
        for (const h of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(h);
      }
      url = next.href;
    }
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
    /** Moves the clock forward: `{days}` or `{seconds}`, a whole number, at most 3650 days, not past 9999-12-31T23:59:59Z; returns `{now}`, throws otherwise. */
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
