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

class Reply {
  constructor(status, headers, body) {
    this.status = status;
    this.body = body;
    this.retryAfter = headers === null ? undefined : headers.get("retry-after") ?? undefined;
    this.location = headers === null ? undefined : headers.get("location") ?? undefined;
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
// "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND …) in `cause`.
function messageOf(v) {
  if (v === null || v === undefined) return `the fetch failed with ${v}`;
  if (typeof v !== "object") return `the fetch failed with a ${typeof v}: ${String(v).slice(0, 200)}`;
  let message;
  try {
    message = typeof v.message === "string" && v.message ? v.message : "the fetch failed";
    const c = v.cause;
    if (c !== null && c !== undefined) {
      const code = typeof c === "object" ? c.code ?? c.errno : undefined;
      const text = typeof c === "object" ? c.message : String(c);
      const extra = [code, text].filter((x) => typeof x === "string" && x && !message.includes(x));
      if (extra.length) message += ` (${extra.join(": ")})`;
    }
  } catch {
    message = message ?? "the fetch failed";
  }
  return message;
}

const TEXT = new TextEncoder();

// Reads a body stream, counting bytes as they arrive; past `max` it cancels the stream, so
// a compressed bomb is never inflated beyond the cap.
async function readStream(stream, max, status) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      reader.cancel().catch(() => {});
      throw new Failure(NETWORK, "the reply body stream gave something that is not bytes", value, 0);
    }
    total += value.length;
    if (total > max) {
      reader.cancel().catch(() => {});
      throw new Failure(TOO_LARGE, "", undefined, status);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

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
    if (stream) body.cancel().catch(() => {});
    return null;
  }
  if (status >= 300 && status < 400) {
    if (stream) body.cancel().catch(() => {});
    return new Reply(status, headers, new Uint8Array(0));
  }
  if (!headers.get("content-encoding")) {
    const length = Number(headers.get("content-length"));
    if (length > max) {
      if (stream) body.cancel().catch(() => {});
      throw new Failure(TOO_LARGE, "", undefined, status);
    }
  }
  let bytes;
  if (stream) {
    bytes = await readStream(body, max, status);
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
  return new Reply(status, headers, bytes);
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
    const finish = (ok, value) => {
      if (state.done) return;
      state.done = true;
      if (timer !== undefined) clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", onAbort);
      if (ok) resolve(value);
      else reject(value);
    };
    const stop = (kind) => {
      controller.abort();
      finish(false, new Failure(kind, "", undefined, 0));
    };
    const onAbort = () => stop(ABORTED);
    if (signal) {
      if (signal.aborted) return reject(new Failure(ABORTED, "", undefined, 0));
      signal.addEventListener("abort", onAbort);
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
      return finish(false, e instanceof Failure ? e : new Failure(NETWORK, messageOf(e), e, 0));
    }
    Promise.resolve(pending)
      .then((res) => readReply(res, max, state))
      .then(
        (reply) => finish(true, reply),
        (e) => finish(false, e instanceof Failure ? e : new Failure(NETWORK, messageOf(e), e, 0)),
      );
  });
}

/** Waits `ms` (between retries); rejects at once when `signal` fires. */
export function pkSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(undefined);
    const onAbort = () => {
      clearTimeout(timer);
      reject(undefined);
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", onAbort);
      resolve(undefined);
    }, ms);
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
  });
}
