// The JS half of proxykit's wasm transport (src/transport/fetch.rs): one call per request.
//
// Why JS and not js-sys calls from Rust: racing a fetch against a timer and a signal,
// and reading a body stream chunk by chunk, take dozens of JS<->wasm crossings and a Rust
// closure per callback when written in Rust; here they are plain JS, and the wasm side makes
// one call and awaits one promise. Nothing here decides anything about the APIs.
//
// pkSend resolves to a Reply or rejects with a Failure, and never with anything else:
// whatever the fetch does (throws synchronously, rejects with a non-Error, resolves to a
// non-Response, ignores the AbortSignal, never settles, streams forever) ends as one of the
// four failure kinds, so no value the Rust side does not expect can reach it.

const NETWORK = 1;
const TIMEOUT = 2;
const ABORTED = 3;
const TOO_LARGE = 4;

// Reply headers an error may show: read only for a non-2xx reply, so a successful call pays
// nothing for them. Never cookies or auth. The same list as error::KEPT_HEADERS, which
// filters what every transport hands over (a test in error.rs keeps the two equal).
const KEPT = [
  "retry-after",
  "x-request-id",
  "request-id",
  "x-amzn-requestid",
  "cf-ray",
  "content-type",
  "date",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

class Reply {
  constructor(status, headers, body) {
    this.status = status;
    this.body = body;
    this.retryAfter = headers === null ? undefined : headers.get("retry-after") ?? undefined;
    this.location = headers === null ? undefined : headers.get("location") ?? undefined;
    // "name\nvalue\n…" (header values cannot hold a newline): one string, one crossing.
    this.kept = undefined;
    if (headers !== null && status >= 400) {
      let kept = "";
      for (const name of KEPT) {
        const v = headers.get(name);
        if (typeof v === "string") kept += `${name}\n${v.replace(/[\r\n]/g, " ")}\n`;
      }
      this.kept = kept;
    }
  }
}

class Failure {
  constructor(kind, message, cause, status) {
    this.kind = kind;
    this.message = message;
    this.cause = cause;
    this.status = status;
  }
}

const describe = (v) => {
  if (v === null) return "null";
  if (typeof v !== "object" && typeof v !== "function") return typeof v;
  return "an object";
};

// The message of a thrown value plus its cause's code or message: Node's fetch says only
// "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND …) in `cause`. Total: a value
// whose getters or toString throw (a revoked Proxy, a hostile object) gets a plain message.
function messageOf(v) {
  try {
    if (v === null || v === undefined) return `the fetch failed with ${v}`;
    if (typeof v !== "object") return `the fetch failed with a ${typeof v}: ${String(v).slice(0, 200)}`;
    let message = typeof v.message === "string" && v.message ? v.message : "the fetch failed";
    const c = v.cause;
    if (c !== null && c !== undefined) {
      const code = typeof c === "object" ? c.code ?? c.errno : undefined;
      const text = typeof c === "object" ? c.message : String(c);
      const extra = [code, text].filter((x) => typeof x === "string" && x && !message.includes(x));
      if (extra.length) message += ` (${extra.join(": ")})`;
    }
    return message;
  } catch {
    return "the fetch failed with a value that could not be read";
  }
}

// Whatever was thrown, as a Failure; never throws itself (`instanceof` on a revoked Proxy
// does).
function toFailure(e) {
  try {
    if (e instanceof Failure) return e;
  } catch {
    // fall through: not ours
  }
  return new Failure(NETWORK, messageOf(e), e, 0);
}

const TEXT = new TextEncoder();

// Cancels a stream or reader and ignores how that goes: a Response-like whose cancel()
// throws or returns no promise must not turn a redirect or a timeout into something else.
function quietCancel(x) {
  try {
    const p = x.cancel();
    if (p && typeof p.catch === "function") p.catch(() => {});
  } catch {
    // nothing to release
  }
}

// Reads a body stream, counting bytes as they arrive; past `max` it cancels the stream, so
// a compressed bomb is never inflated beyond the cap. The reader is kept in `state` so a
// timeout or abort cancels it at once (a fetch that ignores its signal would otherwise keep
// feeding it), and reading stops as soon as the call has ended.
async function readStream(stream, max, status, state) {
  const reader = stream.getReader();
  state.reader = reader;
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (state.done) {
      quietCancel(reader);
      return new Uint8Array(0);
    }
    if (done) break;
    // Any realm's Uint8Array (a vm context, an iframe's fetch), not just this one's.
    if (!ArrayBuffer.isView(value) || value.BYTES_PER_ELEMENT !== 1) {
      quietCancel(reader);
      throw new Failure(NETWORK, "the reply body stream gave something that is not bytes", value, 0);
    }
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    total += bytes.length;
    if (total > max) {
      quietCancel(reader);
      throw new Failure(TOO_LARGE, "", undefined, status);
    }
    chunks.push(bytes);
  }
  state.reader = undefined;
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// Error replies are kept (scrubbed) in the error for the caller; past this many bytes only the
// start is handed to wasm, so a huge error page cannot grow wasm memory for good.
const ERROR_BODY_BYTES = 64 * 1024;

async function readReply(res, max, state) {
  if (res === null || (typeof res !== "object" && typeof res !== "function")) {
    throw new Failure(NETWORK, `the fetch resolved to ${describe(res)}, not a Response`, res, 0);
  }
  if (res.type === "opaqueredirect") return new Reply(0, null, new Uint8Array(0));
  const status = res.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new Failure(NETWORK, "the fetch resolved to something that is not a Response (no HTTP status)", res, 0);
  }
  const headers = res.headers;
  if (headers === null || typeof headers !== "object" || typeof headers.get !== "function") {
    throw new Failure(NETWORK, "the fetch resolved to something that is not a Response (no headers)", res, 0);
  }
  const body = res.body;
  const stream = body !== null && typeof body === "object" && typeof body.getReader === "function";
  if (state.done) {
    // Timed out or aborted while the fetch was pending: release the connection.
    if (stream) quietCancel(body);
    return null;
  }
  if (status >= 300 && status < 400) {
    if (stream) quietCancel(body);
    return new Reply(status, headers, new Uint8Array(0));
  }
  if (!headers.get("content-encoding")) {
    const length = Number(headers.get("content-length"));
    if (length > max) {
      if (stream) quietCancel(body);
      throw new Failure(TOO_LARGE, "", undefined, status);
    }
  }
  let bytes;
  if (stream) {
    bytes = await readStream(body, max, status, state);
  } else if (body === null && typeof res.arrayBuffer !== "function" && typeof res.text !== "function") {
    bytes = new Uint8Array(0);
  } else if (typeof res.arrayBuffer === "function") {
    bytes = new Uint8Array(await res.arrayBuffer());
  } else if (typeof res.text === "function") {
    const text = await res.text();
    if (typeof text !== "string") {
      throw new Failure(NETWORK, "the Response's text() did not give a string", text, 0);
    }
    bytes = TEXT.encode(text);
  } else {
    bytes = new Uint8Array(0);
  }
  if (bytes.length > max) throw new Failure(TOO_LARGE, "", undefined, status);
  if ((status < 200 || status >= 300) && bytes.length > ERROR_BODY_BYTES) bytes = bytes.subarray(0, ERROR_BODY_BYTES);
  return new Reply(status, headers, bytes);
}

// One "abort" listener per caller signal, however many calls share it (Node warns past 10
// listeners on one AbortSignal, and sharing one signal across many calls is common: cancel
// everything when a page closes). Each call registers a callback and removes it when done.
const watchers = new WeakMap();
function watchAbort(signal, callback) {
  let entry = watchers.get(signal);
  if (!entry) {
    const callbacks = new Set();
    const fire = () => {
      watchers.delete(signal);
      for (const f of [...callbacks]) f();
    };
    entry = { callbacks, fire };
    watchers.set(signal, entry);
    signal.addEventListener("abort", fire, { once: true });
  }
  entry.callbacks.add(callback);
  return () => {
    entry.callbacks.delete(callback);
    if (entry.callbacks.size === 0 && watchers.get(signal) === entry) {
      watchers.delete(signal);
      signal.removeEventListener("abort", entry.fire);
    }
  };
}

/**
 * Sends one request with `fetchFn` (or the global `fetch`, looked up now so a patched one is
 * used) and reads the whole reply as bytes. Never follows a redirect; enforces `timeoutMs`
 * (0: none) and the caller's `signal` itself, whether or not the fetch honours them.
 */
export function pkSend(fetchFn, url, method, headerLines, body, timeoutMs, signal, max) {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const state = { done: false };
    let timer;
    let unwatch;
    const finish = (ok, value) => {
      if (state.done) return;
      state.done = true;
      if (timer !== undefined) clearTimeout(timer);
      if (unwatch) unwatch();
      if (ok) resolve(value);
      else reject(value);
    };
    const stop = (kind) => {
      controller.abort();
      finish(false, new Failure(kind, "", undefined, 0));
      // A fetch that ignored the signal may still be streaming: stop reading it.
      if (state.reader) quietCancel(state.reader);
    };
    if (signal) {
      if (signal.aborted) return reject(new Failure(ABORTED, "", undefined, 0));
      unwatch = watchAbort(signal, () => stop(ABORTED));
    }
    if (timeoutMs > 0) timer = setTimeout(stop, timeoutMs, TIMEOUT);

    const headers = {};
    const lines = headerLines.split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) headers[lines[i]] = lines[i + 1];
    const init = { method, headers, signal: controller.signal, redirect: "manual" };
    if (body !== undefined) init.body = body;

    let pending;
    try {
      const f = fetchFn ?? globalThis.fetch;
      if (typeof f !== "function") {
        throw new Failure(NETWORK, "this runtime has no global fetch; pass one as options.fetch", f, 0);
      }
      pending = f(url, init);
    } catch (e) {
      return finish(false, toFailure(e));
    }
    Promise.resolve(pending)
      .then((res) => readReply(res, max, state))
      .then(
        (reply) => finish(true, reply),
        (e) => finish(false, toFailure(e)),
      );
  });
}

/** Waits `ms` (between retries); rejects at once when `signal` fires. */
export function pkSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(undefined);
    let unwatch;
    const timer = setTimeout(() => {
      if (unwatch) unwatch();
      resolve(undefined);
    }, ms);
    if (signal) {
      unwatch = watchAbort(signal, () => {
        clearTimeout(timer);
        unwatch();
        reject(undefined);
      });
    }
  });
}
