// proxykit/server: a backend-for-frontend handler, so a storefront's browser page never holds
// a vendor API key. It mirrors the vendors' paths under a prefix; the page's clients point
// their `baseUrl` at it and send no key. Each request is routed by the vendors' OpenAPI paths
// (routes.js, generated from spec/), refused unless its operation is exposed, read into the
// client's params and passed to a real client holding the key: the same local rules, timeouts
// and retry policy as any proxykit call, and the vendor request is rebuilt by the client,
// never copied from what the browser sent (no header, path or query of it is forwarded).
//
// Standard `(request: Request) => Promise<Response>`: Node 18+ (with `toNodeListener`),
// Cloudflare Workers, Deno, Bun, Next.js route handlers.
import { ProxyShardClient, ProxySolutionsClient, ProxykitError } from "proxykit";
import { ROUTES } from "./routes.js";
import { memoryStore } from "./store.js";

export { memoryStore } from "./store.js";
export { redisStore } from "./redis.js";

/** What a storefront page may call without an account: catalogue and quotes. */
export const CATALOGUE = Object.freeze({
  "proxy-solutions": Object.freeze(["listServices", "listServiceLocations", "listMerchants", "calculatePrice"]),
  proxyshard: Object.freeze(["listProducts", "getAvailableCounts", "quoteOrder"]),
});

const PROVIDERS = ["proxy-solutions", "proxyshard"];
// Each route's path template split once, not per request: ["user", "api", "{order_id}", …].
const TEMPLATES = new Map(Object.values(ROUTES).flat().map((r) => [r, r.path.split("/").slice(1)]));
const OPTION_KEYS = new Set(["proxySolutions", "proxyShard", "expose", "authorize", "prefix", "cache", "rateLimit", "store", "cors", "clientIp", "maxBodyBytes", "storeTimeoutMs", "ignoreQuery"]);
// Deepest JSON body read: deeper nesting is refused (400) before anything else sees it.
const MAX_BODY_DEPTH = 32;
// The same words as the SDK's error redaction (src/error.rs CREDENTIAL_WORDS; a test holds
// the two lists equal): a key containing one names a credential.
export const CREDENTIAL_WORDS = Object.freeze(["password", "passwd", "secret", "token", "api_key", "apikey", "api-key"]);

/** A refusal of the handler itself, as a JSON reply the clients read as a typed error. */
function refuse(status, code, message, headers = {}) {
  return new Response(JSON.stringify({ success: false, code, message }), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

function optionError(message) {
  const e = new TypeError(`createProxykitHandler: ${message}`);
  e.code = "invalid_input";
  return e;
}

/**
 * Creates the handler. See index.d.ts for every option.
 * @returns {(request: Request, context?: { ip?: string }) => Promise<Response>}
 */
export function createProxykitHandler(options = {}) {
  if (options === null || typeof options !== "object") throw optionError("options must be an object");
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) throw optionError(`unknown option \`${k}\` (known: ${[...OPTION_KEYS].join(", ")})`);
  }
  const prefix = options.prefix ?? "/proxykit";
  if (typeof prefix !== "string" || (prefix !== "" && (!prefix.startsWith("/") || prefix.endsWith("/")))) {
    throw optionError("`prefix` must be \"\" or a path that starts with / and does not end with / (e.g. \"/proxykit\")");
  }
  const clients = {};
  if (options.proxySolutions) clients["proxy-solutions"] = new ProxySolutionsClient(options.proxySolutions);
  if (options.proxyShard) clients.proxyshard = new ProxyShardClient(options.proxyShard);
  if (Object.keys(clients).length === 0) throw optionError("give `proxySolutions` and/or `proxyShard` client options (with the apiKey)");

  // What is reachable: per provider, a set of operationIds.
  const expose = {};
  // By default, the catalogue of each provider the handler has a client for.
  const asked = options.expose ?? Object.fromEntries(Object.entries(CATALOGUE).filter(([p]) => clients[p]));
  if (asked === null || typeof asked !== "object" || Array.isArray(asked)) {
    throw optionError("`expose` must be { \"proxy-solutions\"?: operationId[], proxyshard?: operationId[] }");
  }
  for (const [provider, ids] of Object.entries(asked)) {
    if (!PROVIDERS.includes(provider)) throw optionError(`expose: unknown provider \`${provider}\` (known: ${PROVIDERS.join(", ")})`);
    if (!Array.isArray(ids)) throw optionError(`expose.${provider} must be a list of operationIds`);
    if (ids.length > 0 && !clients[provider]) throw optionError(`expose.${provider}: no client options were given for it`);
    for (const id of ids) {
      const route = ROUTES[provider].find((r) => r.id === id);
      if (!route) throw optionError(`expose.${provider}: \`${id}\` is not an operation of ${provider}`);
      if (!CATALOGUE[provider].includes(id) && typeof options.authorize !== "function") {
        throw optionError(
          `expose.${provider}: \`${id}\` acts on the account (class ${route.class}): expose it only with an \`authorize(request)\` hook`,
        );
      }
    }
    expose[provider] = new Set(ids);
  }

  const store = options.store ?? memoryStore();
  for (const m of ["get", "set", "incr"]) {
    if (typeof store[m] !== "function") throw optionError(`store must have get, set and incr (missing ${m})`);
  }
  const cache = options.cache === false ? null : { ttlSeconds: 60, ...(options.cache ?? {}) };
  if (cache && !(Number.isFinite(cache.ttlSeconds) && cache.ttlSeconds > 0)) throw optionError("cache.ttlSeconds must be a number above 0");
  const rateLimit = options.rateLimit === false ? null : { windowSeconds: 60, max: 120, ...(options.rateLimit ?? {}) };
  if (rateLimit && !(Number.isInteger(rateLimit.max) && rateLimit.max > 0 && Number.isFinite(rateLimit.windowSeconds) && rateLimit.windowSeconds > 0)) {
    throw optionError("rateLimit must be { windowSeconds > 0, max: a whole number > 0 } or false");
  }
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) throw optionError("maxBodyBytes must be a whole number above 0");
  const cors = options.cors ? { origins: options.cors.origins ?? [], credentials: options.cors.credentials === true } : null;
  if (cors && !Array.isArray(cors.origins)) throw optionError("cors.origins must be a list of origins");
  if (cors && cors.credentials && cors.origins.includes("*")) throw optionError("cors.credentials cannot be used with the origin \"*\"");
  const clientIp = options.clientIp ?? ((_request, context) => context?.ip ?? "unknown");
  const authorize = options.authorize;
  const storeTimeoutMs = options.storeTimeoutMs ?? 1000;
  // Query keys a framework adds to the request URL (Next.js's Edge runtime adds a catch-all
  // route's own segment name, e.g. `path`): dropped before the query is read.
  // A string is iterable too: `ignoreQuery: "path"` would ignore "p", "a", "t" and "h".
  if (options.ignoreQuery !== undefined && !Array.isArray(options.ignoreQuery)) throw optionError("ignoreQuery must be a list of query parameter names");
  const ignoreQuery = new Set(options.ignoreQuery ?? []);
  if (![...ignoreQuery].every((k) => typeof k === "string")) throw optionError("ignoreQuery must be a list of query parameter names");
  if (!(Number.isInteger(storeTimeoutMs) && storeTimeoutMs > 0)) throw optionError("storeTimeoutMs must be a whole number above 0");
  const inFlight = new Map(); // cache key -> the vendor call answering it
  // Cache keys name the vendor each client talks to, so handlers that share a store but not
  // a backend (staging and production on one Redis) never serve each other's entries.
  const backendOf = {
    "proxy-solutions": String(options.proxySolutions?.baseUrl ?? "default"),
    proxyshard: String(options.proxyShard?.baseUrl ?? "default"),
  };

  /** A store call that gives up after storeTimeoutMs: a store outage must not hang requests. */
  function withTimeout(promise) {
    let timer;
    return Promise.race([
      Promise.resolve(promise),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("store timeout")), storeTimeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  /** Whether CORS is on for this Origin header's value. */
  const corsAllows = (origin) => Boolean(cors && origin && (cors.origins.includes(origin) || cors.origins.includes("*")));

  function corsHeaders(request) {
    const origin = request.headers.get("origin");
    if (!corsAllows(origin)) return {};
    return {
      "access-control-allow-origin": origin,
      vary: "origin",
      "access-control-expose-headers": "retry-after, x-proxykit-cache",
      ...(cors.credentials ? { "access-control-allow-credentials": "true" } : {}),
    };
  }

  /** Whether a browser sent this from another site than this handler's (or a CORS origin):
   * such requests may only read the catalogue. Requests without these headers (servers,
   * curl, old browsers) are not browsers' cross-site requests and pass. */
  function crossSite(request, url) {
    const site = request.headers.get("sec-fetch-site");
    const origin = request.headers.get("origin");
    if (corsAllows(origin)) return false;
    if (site === "cross-site" || site === "same-site") return true;
    if (origin && origin !== "null") {
      try {
        return new URL(origin).host !== url.host;
      } catch {
        return true;
      }
    }
    return origin === "null";
  }

  async function handle(request, context) {
    const url = new URL(request.url);
    for (const k of ignoreQuery) url.searchParams.delete(k);
    const base = corsHeaders(request);
    const no = (status, code, message, headers = {}) => refuse(status, code, message, { ...base, ...headers });
    // Route: <prefix>/<provider>/<vendor path>. The path is matched segment by segment on the
    // URL's own (percent-encoded, dot-segment-resolved) path; a segment that is empty, a dot
    // segment, or that hides a slash or backslash is refused before any lookup.
    if (!url.pathname.startsWith(`${prefix}/`)) return no(404, "not_found", "not a proxykit route");
    if (request.method === "OPTIONS") {
      if (!base["access-control-allow-origin"]) return no(403, "forbidden", "CORS is not enabled for this origin");
      return new Response(null, {
        status: 204,
        headers: { ...base, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "content-type, accept", "access-control-max-age": "600" },
      });
    }
    const rest = url.pathname.slice(prefix.length + 1).split("/");
    const provider = rest.shift();
    if (!PROVIDERS.includes(provider) || !clients[provider]) return no(404, "not_found", "unknown provider");
    let segments;
    try {
      segments = rest.map((raw) => {
        if (raw === "" || /%2f|%5c|\\/i.test(raw)) throw new Error("bad segment");
        const s = decodeURIComponent(raw);
        if (s === "." || s === "..") throw new Error("dot segment");
        return s;
      });
    } catch {
      return no(404, "not_found", "no such operation");
    }
    // Proxy-Solutions' clients append the vendor paths to a base URL that ends in /api.
    if (provider === "proxy-solutions") {
      if (segments[0] !== "api") return no(404, "not_found", "no such operation");
      segments.shift();
    }
    let route = null;
    let pathParams = null;
    for (const r of ROUTES[provider]) {
      const tpl = TEMPLATES.get(r);
      if (tpl.length !== segments.length) continue;
      const got = {};
      if (tpl.every((t, i) => (t.startsWith("{") ? ((got[t.slice(1, -1)] = segments[i]), true) : t === segments[i]))) {
        if (r.method !== request.method) {
          route ??= r.method;
          continue;
        }
        route = r;
        pathParams = got;
        break;
      }
    }
    if (typeof route === "string") return no(405, "method_not_allowed", `this path takes ${route}`, { allow: route });
    if (route === null) return no(404, "not_found", "no such operation");
    if (!expose[provider]?.has(route.id)) return no(404, "not_exposed", `${route.id} is not exposed by this server`);
    const catalogue = CATALOGUE[provider].includes(route.id);
    // Account and money calls only from this site's pages: a cross-site form or fetch (CSRF,
    // riding the shopper's session cookie) is refused before anything else.
    if (!catalogue && crossSite(request, url)) return no(403, "forbidden", `${route.id} is not allowed from another site`);

    // Rate limit per client address, counted in the store (shared by every instance).
    if (rateLimit) {
      const window = Math.floor(Date.now() / (rateLimit.windowSeconds * 1000));
      const ip = addressKey(String(clientIp(request, context) ?? "unknown"));
      let n;
      try {
        n = await withTimeout(store.incr(`proxykit:rl:${window}:${ip}`, rateLimit.windowSeconds * 1000));
      } catch {
        // Without its counter the limit cannot hold: refuse rather than spend the vendor quota.
        return no(503, "server_error", "the rate-limit store is unavailable", { "retry-after": "5" });
      }
      if (n > rateLimit.max) {
        const retryAfter = Math.max(1, Math.ceil(((window + 1) * rateLimit.windowSeconds * 1000 - Date.now()) / 1000));
        return no(429, "rate_limited", "too many requests from this address", { "retry-after": String(retryAfter) });
      }
    }

    // Params: path, then query, then the JSON body, each under its wire name. A null-prototype
    // object: a body key such as `__proto__` stays a plain key.
    const params = Object.create(null);
    for (const [name, loc, type] of route.params) {
      const raw = loc === "path" ? pathParams[name] : url.searchParams.get(name);
      if (raw === null || raw === undefined) continue;
      params[name] = typed(raw, type);
    }
    const seen = new Set();
    for (const key of url.searchParams.keys()) {
      if (!route.params.some(([n, l]) => n === key && l === "query")) {
        return no(400, "invalid_input", `\`${key}\` is not a query parameter of ${route.id}`);
      }
      // A repeated key would be read one way here and maybe another by a proxy or a hook.
      if (seen.has(key)) return no(400, "invalid_input", `\`${key}\` is given more than once`);
      seen.add(key);
    }
    // The one query quirk: ProxyShard's quote takes `addons` as the JSON string `addons_json`.
    if ("addons_json" in params) {
      try {
        params.addons = JSON.parse(params.addons_json);
      } catch {
        return no(400, "invalid_input", "`addons_json` must be JSON");
      }
      delete params.addons_json;
    }
    if (route.body) {
      const body = await readBody(request, maxBodyBytes);
      if (body.error) return no(body.status, body.error, body.message);
      if (body.value !== undefined) {
        if (body.value === null || typeof body.value !== "object" || Array.isArray(body.value)) {
          return no(400, "invalid_input", "the body must be a JSON object");
        }
        for (const [k, v] of Object.entries(body.value)) {
          if (Object.hasOwn(params, k)) return no(400, "invalid_input", `\`${k}\` is given twice`);
          params[k] = v;
        }
      }
    } else if (request.body) {
      const body = await readBody(request, maxBodyBytes);
      if (body.error) return no(body.status, body.error, body.message);
    }

    // Who may call an account operation is the application's decision, with the call's
    // params in hand (an order id the session does not own is the hook's to refuse).
    let grant = null;
    if (!catalogue) {
      grant = await authorize(request, { provider, operation: route.id, params: structuredClone({ ...params }) });
      const allowed = grant === true || (grant !== null && typeof grant === "object" && Object.hasOwn(grant, "credentials"));
      if (!allowed) return no(403, "forbidden", `${route.id} needs an authorized session`);
    }

    const cacheable = cache && catalogue;
    const cacheKey = cacheable ? `proxykit:c:${provider}:${backendOf[provider]}:${route.id}:${canonical(params)}` : null;
    if (cacheKey) {
      // A store outage only costs the cache.
      const hit = await withTimeout(store.get(cacheKey)).catch(() => undefined);
      if (hit !== undefined && hit !== null) {
        return new Response(hit, { status: 200, headers: { ...base, "content-type": "application/json", "x-proxykit-cache": "hit" } });
      }
    }

    // One vendor call, one serialisation and one store write for concurrent misses of the
    // same entry (no stampede on expiry); other calls answer their own request.
    let text;
    try {
      if (cacheKey) {
        let pending = inFlight.get(cacheKey);
        if (!pending) {
          pending = clients[provider][route.id]({ ...params })
            .then(async (reply) => {
              const json = JSON.stringify(reply);
              await withTimeout(store.set(cacheKey, json, cache.ttlSeconds * 1000)).catch(() => {});
              return json;
            })
            .finally(() => inFlight.delete(cacheKey));
          inFlight.set(cacheKey, pending);
        }
        text = await pending;
      } else {
        const reply = await clients[provider][route.id]({ ...params }, { signal: request.signal });
        // Credentials are redacted unless authorize granted them.
        const credentials = grant !== null && typeof grant === "object" && grant.credentials === true;
        text = JSON.stringify(credentials ? reply : withoutCredentials(reply));
      }
    } catch (e) {
      return fromError(e, base);
    }
    return new Response(text, {
      status: 200,
      headers: { ...base, "content-type": "application/json", "cache-control": "no-store", ...(cacheKey ? { "x-proxykit-cache": "miss" } : {}) },
    });
  }

  return async function proxykitHandler(request, context) {
    try {
      return await handle(request, context);
    } catch {
      // Never the error itself: it may name a server detail. The clients' errors are mapped
      // above; this is a bug or a store failure.
      return refuse(500, "server_error", "the proxykit handler failed");
    }
  };
}

/** A query or path string as its spec type. A value that does not parse stays a string, so
 * the client's rules refuse it with their usual message. */
function typed(raw, type) {
  if (type === "integer" || type === "number") return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

/** Reads a JSON body, refusing one over `max` bytes without reading past the limit, one that
 * is not declared as JSON (a cross-site form can send text/plain without a preflight), and one
 * nested deeper than MAX_BODY_DEPTH. */
async function readBody(request, max) {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) return { error: "payload_too_large", status: 413, message: `the body is over ${max} bytes` };
  if (!request.body) return { value: undefined };
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return { error: "payload_too_large", status: 413, message: `the body is over ${max} bytes` };
    }
    chunks.push(value);
  }
  if (size === 0) return { value: undefined };
  if (type !== "application/json") return { error: "invalid_input", status: 415, message: "a body must be sent as content-type: application/json" };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let value;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { error: "invalid_input", status: 400, message: "the body is not JSON" };
  }
  if (depth(value) > MAX_BODY_DEPTH) return { error: "invalid_input", status: 400, message: `the body is nested deeper than ${MAX_BODY_DEPTH} levels` };
  return { value };
}

/** The nesting depth of a JSON value, without recursion. */
function depth(value) {
  let max = 0;
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > MAX_BODY_DEPTH) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

/** A client's error as a reply the browser's client turns into the same typed error. */
function fromError(e, base) {
  if (!(e instanceof ProxykitError)) return refuse(500, "server_error", "the proxykit handler failed");
  const headers = { ...base, "content-type": "application/json", "cache-control": "no-store" };
  if (e.code === "invalid_input") {
    return new Response(JSON.stringify({ success: false, code: "invalid_input", field: e.field, message: e.message }), { status: 400, headers });
  }
  if (typeof e.status === "number" && e.status >= 400 && e.body !== undefined) {
    // The vendor's own status and body (the SDK already redacted credentials from it).
    if (e.retryAfter !== undefined) headers["retry-after"] = String(e.retryAfter);
    const text = typeof e.body === "string" ? e.body : JSON.stringify(e.body);
    return new Response(text, { status: e.status, headers });
  }
  const status = e.code === "timeout" ? 504 : 502;
  return new Response(JSON.stringify({ success: false, code: e.code, message: `the vendor could not be reached (${e.code})` }), { status, headers });
}

/** A copy of a reply with the string values of credential fields (proxy passwords, tokens)
 * replaced by "<redacted>", as in the SDK's errors. The field stays, so the reply keeps the
 * shape the browser's client checks. */
export function withoutCredentials(value) {
  if (typeof value === "string") return value.replace(URL_USERINFO, "$1<redacted>@");
  if (Array.isArray(value)) return value.map(withoutCredentials);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const lower = k.toLowerCase();
    out[k] = CREDENTIAL_WORDS.some((w) => lower.includes(w)) ? redactAll(v) : withoutCredentials(v);
  }
  return out;
}

// `scheme://user:password@host`: the password part of a proxy URL.
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@\/]*:)[^\s@\/]+@/gi;

/** Every string or number under a credential key, however nested, becomes "<redacted>". */
function redactAll(value) {
  if (typeof value === "string" || typeof value === "number") return "<redacted>";
  if (Array.isArray(value)) return value.map(redactAll);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAll(v)]));
}

/** The rate-limit bucket of an address: IPv6 by its /64 (one subscriber's usual allocation,
 * so rotating addresses inside it does not give new buckets), IPv4 (also IPv4-mapped) whole. */
export function addressKey(ip) {
  const v4 = ip.match(/^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i);
  if (v4) return v4[1];
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.split("%")[0].toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** Params as a stable string (sorted keys), for cache keys. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(",")}}`;
}

/**
 * The handler as a Node `http` / Express-style listener: `(req, res)`. The client address for
 * the rate limit is the socket's (behind a proxy, pass `clientIp` to createProxykitHandler).
 * The request body is read only as the handler asks for it (backpressure), so a large or slow
 * upload costs no memory; what the handler did not read is drained (up to 1 MiB) or the
 * connection closed once the reply is sent.
 */
export function toNodeListener(handler, { origin } = {}) {
  // The request's own origin, from its Host header unless one is configured: the handler
  // compares a browser's Origin with it to tell same-site calls from cross-site ones.
  const originOf = (req) => {
    if (origin) return origin;
    try {
      return new URL(`http://${req.headers.host}`).origin;
    } catch {
      return "http://localhost";
    }
  };
  return async function proxykitListener(req, res) {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    try {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      let request;
      try {
        request = new Request(new URL(req.url, originOf(req)), {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]])),
          body: hasBody ? nodeStream(req) : undefined,
          duplex: hasBody ? "half" : undefined,
          signal: controller.signal,
        });
      } catch {
        // A method fetch forbids (TRACE, CONNECT) or a header it cannot carry.
        res.writeHead(405, { "content-type": "application/json", allow: "GET, POST" });
        res.end(JSON.stringify({ success: false, code: "method_not_allowed", message: "method not allowed" }));
        return;
      }
      const response = await handler(request, { ip: req.socket?.remoteAddress });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: false, code: "server_error", message: "the proxykit handler failed" }));
    } finally {
      if (hasBody && !req.readableEnded) drain(req);
    }
  };
}

/** Reads what is left of a request the handler answered without reading it all, so the
 * client sees the reply; past 1 MiB the connection is closed instead. */
function drain(req) {
  let left = 1 << 20;
  req.removeAllListeners("readable");
  req.on("data", (chunk) => {
    left -= chunk.length;
    if (left < 0) req.destroy();
  });
  req.resume();
}

/** A Node request as a pull stream: a chunk is read only when the reader asks for one. */
function nodeStream(req) {
  return new ReadableStream(
    {
      pull(controller) {
        return new Promise((resolve) => {
          const step = () => {
            const chunk = req.read();
            if (chunk !== null) {
              controller.enqueue(new Uint8Array(chunk));
              return resolve();
            }
            if (req.readableEnded) {
              controller.close();
              return resolve();
            }
            const again = () => {
              req.off("readable", again);
              req.off("end", again);
              req.off("error", failed);
              step();
            };
            const failed = (e) => {
              req.off("readable", again);
              req.off("end", again);
              controller.error(e);
              resolve();
            };
            req.once("readable", again);
            req.once("end", again);
            req.once("error", failed);
          };
          step();
        });
      },
    },
    { highWaterMark: 0 },
  );
}
