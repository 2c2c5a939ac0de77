// The call loop of ProxySolutionsClient and ProxyShardClient: appended by
// scripts/build-pkg.sh to each glue, inside one function with src/transport/fetch.js (for
// pkSend and pkSleep), so nothing here is a global. Every generated method
// (src/wasm/methods.js) is `pkCall(this, op, name, params, options)`.
//
// Why the loop is JS: an async wasm export costs a Rust future, `future_to_promise`, a
// closure per awaited promise and their wasm-bindgen shims, in bytes (bench/notes.md) and in
// µs per call. Here the wasm makes three synchronous decisions, all the core's, as for the
// native client (src/client.rs, `Client::send_counted`, the same steps in Rust):
//   __prepare(op, params, options)  reads and checks the input, builds the request, or throws
//                                   the typed error of bad input (nothing is sent);
//   __next(op, attempts, ...)       the retry policy: the wait before the next attempt, or -1;
//   __finish(op, attempts, ...)     the last attempt's reply or failure as the result (the
//                                   reply checked against its documented shape) or the typed
//                                   error (scrubbed of the key).
// What stays here is only sending, waiting and the hooks, which the caller gave as JS.

const IO = new WeakMap();
const CODES = [undefined, "network", "timeout", "aborted", "response_too_large"];

// A hook that throws never fails the call; what it returns is ignored.
function observe(hook, event) {
  try {
    hook(event);
  } catch {
    // ignored by design (see ClientOptionsBase.onRequest)
  }
}

// The `client_freed` ProxykitError of method `name` of class `cls`: called on a freed
// client (free() or `using` disposal; src/wasm/freed-guard.js, which gets this function
// from the build), or `inFlight`: the client was freed while the call was in flight, after
// `attempts` requests, so its reply was lost.
function freedError(cls, name, inFlight, attempts) {
  const e = new Error(
    !inFlight
      ? `${cls}.${name}: this client was freed (free() or \`using\` disposal); create a new client`
      : `${cls}.${name}: the client was freed while this call was in flight; ` +
          "its reply was dropped (check the account before repeating a write)",
  );
  e.name = "ProxykitError";
  e[Symbol.for("proxykit.error")] = true;
  e.code = "client_freed";
  e.mayHaveBeenApplied = attempts > 0;
  e.attempts = attempts;
  return e;
}

// The client's `[fetch, onRequest, onResponse, onRetry]` (read from the wasm once per
// client; a page walk reads them when it starts, so it may outlive the client).
function ioOf(client) {
  let io = IO.get(client);
  if (io === undefined) {
    io = client.__io();
    IO.set(client, io);
  }
  return io;
}

// Sends a prepared request (`__prepare`'s array) until the retry policy stops, then ends
// the call. `steps` is the object whose `__next` and `__finish` decide (a client, or a page
// iterator: the same signatures); `client` the client whose hooks see each attempt. `path`
// (the URL's path, all the hooks see of it) is in the array only for a client with hooks.
async function pkLoop(client, steps, op, name, prepared) {
  const [url, method, headers, body, timeout, max, signal, retries, path] = prepared;
  const [fetchFn, onRequest, onResponse, onRetry] = ioOf(client);
  const end = (attempts, ok, outcome) => {
    if (steps.__wbg_ptr === 0) throw freedError(client.constructor.name, name, true, attempts);
    return steps.__finish(op, attempts, ok, outcome, url, timeout, max);
  };
  for (let attempts = 0; ; ) {
    // A signal that fired (before the call, or during a wait) stops it: nothing more is sent.
    if (signal && signal.aborted) return end(attempts, false, new Failure(ABORTED, "", undefined, 0));
    attempts++;
    if (onRequest) observe(onRequest, { operation: name, method, path, attempt: attempts });
    const started = onResponse ? Date.now() : 0;
    let ok = true;
    let outcome;
    try {
      outcome = await pkSend(fetchFn, url, method, headers, body, timeout, signal, max);
    } catch (failure) {
      ok = false;
      outcome = failure;
    }
    const kind = ok ? 0 : outcome.kind;
    const status = outcome.status;
    if (onResponse) {
      const redirect = ok && (status === 0 || (status >= 300 && status < 400));
      const event = { operation: name, method, path, attempt: attempts, status: undefined, code: undefined };
      if (ok && !redirect) event.status = status;
      else {
        event.code = redirect ? "redirect" : CODES[kind] ?? "network";
        if (redirect || kind === TOO_LARGE) event.status = status;
      }
      event.elapsedMs = Math.max(0, Date.now() - started);
      observe(onResponse, event);
    }
    if (ok && status >= 200 && status < 300) return end(attempts, ok, outcome);
    if (steps.__wbg_ptr === 0) throw freedError(client.constructor.name, name, true, attempts);
    const delay = steps.__next(op, attempts, retries, kind, status, ok ? outcome.retryAfter : undefined);
    if (delay < 0) return end(attempts, ok, outcome);
    if (onRetry) observe(onRetry, { operation: name, method, path, attempt: attempts, delayMs: delay });
    try {
      await pkSleep(delay, signal);
    } catch {
      return end(attempts, false, new Failure(ABORTED, "", undefined, 0));
    }
  }
}

// One operation: operation number `op` (the client's table), named `name`.
async function pkCall(client, op, name, params, options) {
  return pkLoop(client, client, op, name, client.__prepare(op, params, options));
}

// @only proxyshard
// The page iterators of ProxyShardClient: `iterateOrders` / `iterateSubUsers` start a
// PageIterator (`__walk`: the core's ListWalk in wasm, which names each page's request and
// turns each page into the items to yield); its `next()`, installed here, sends the pages
// with the call loop and hands the items out. `next()` calls made while one is pending wait
// their turn, so none skips or repeats an item (a page fetched for one is not fetched again).
// The iterator holds the client's core itself, so it outlives a freed client.
const WALKS = [
  ["iterateOrders", "listOrders"],
  ["iterateSubUsers", "listSubUsers"],
];
const PAGES = new WeakMap();

async function pageStep(it, s) {
  for (;;) {
    if (s.at < s.items.length) return { value: s.items[s.at++], done: false };
    const prepared = it.__prepare();
    if (prepared === undefined) return { value: undefined, done: true };
    s.items = await pkLoop(s.client, it, 0, s.name, prepared);
    s.at = 0;
  }
}

if (typeof ProxyShardClient !== "undefined" && typeof PageIterator !== "undefined") {
  WALKS.forEach(([method, name], kind) => {
    const value = {
      [method](params, options) {
        // Throws the typed error of bad params or options at once (the methods are synchronous).
        const it = this.__walk(kind, params, options);
        ioOf(this);
        PAGES.set(it, { client: this, name, items: [], at: 0, queue: Promise.resolve() });
        return it;
      },
    }[method];
    Object.defineProperty(ProxyShardClient.prototype, method, { value, writable: true, configurable: true });
  });
  const next = {
    next() {
      const s = PAGES.get(this);
      if (s === undefined) return Promise.resolve({ value: undefined, done: true });
      const result = s.queue.then(() => pageStep(this, s));
      s.queue = result.then(
        () => {},
        () => {},
      );
      return result;
    },
  }.next;
  Object.defineProperty(PageIterator.prototype, "next", { value: next, writable: true, configurable: true });
  Object.defineProperty(PageIterator.prototype, Symbol.asyncIterator, {
    value() {
      return this;
    },
    writable: true,
    configurable: true,
  });
}
// @end
