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
const OPTION_KEYS = new Set(["proxySolutions", "proxyShard", "expose", "authorize", "prefix", "cache", "rateLimit", "store", "cors", "clientIp", "maxBodyBytes"]);
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
  const cors = options.cors ? { origins: options.cors.origins ?? [] } : null;
  if (cors && !Array.isArray(cors.origins)) throw optionError("cors.origins must be a list of origins");
  const clientIp = options.clientIp ?? ((_request, context) => context?.ip ?? "unknown");
  const authorize = options.authorize;
  const inFlight = new Map(); // cache key -> the vendor call answering it

  function corsHeaders(request) {
    const origin = request.headers.get("origin");
    if (!cors || !origin || !(cors.origins.includes(origin) || cors.origins.includes("*"))) return {};
    return { "access-control-allow-origin": origin, vary: "origin", "access-control-expose-headers": "retry-after, x-proxykit-cache" };
  }

  async function handle(request, context) {
    const url = new URL(request.url);
    const base = corsHeaders(request);
    if (request.method === "OPTIONS") {
      if (!base["access-control-allow-origin"]) return refuse(403, "forbidden", "CORS is not enabled for this origin");
      return new Response(null, {
        status: 204,
        headers: { ...base, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "content-type, accept", "access-control-max-age": "600" },
      });
    }
    // Route: <prefix>/<provider>/<vendor path>. The path is matched segment by segment on the
    // URL's own (percent-encoded, dot-segment-resolved) path; a segment that is empty, a dot
    // segment, or that hides a slash or backslash is refused before any lookup.
    if (!url.pathname.startsWith(`${prefix}/`)) return refuse(404, "not_found", "not a proxykit route");
    const rest = url.pathname.slice(prefix.length + 1).split("/");
    const provider = rest.shift();
    if (!PROVIDERS.includes(provider) || !clients[provider]) return refuse(404, "not_found", "unknown provider");
    let segments;
    try {
      segments = rest.map((raw) => {
        if (raw === "" || /%2f|%5c|\\/i.test(raw)) throw new Error("bad segment");
        const s = decodeURIComponent(raw);
        if (s === "." || s === "..") throw new Error("dot segment");
        return s;
      });
    } catch {
      return refuse(404, "not_found", "no such operation");
    }
    // Proxy-Solutions' clients append the vendor paths to a base URL that ends in /api.
    if (provider === "proxy-solutions") {
      if (segments[0] !== "api") return refuse(404, "not_found", "no such operation");
      segments.shift();
    }
    let route = null;
    let pathParams = null;
    for (const r of ROUTES[provider]) {
      const tpl = r.path.split("/").slice(1);
      if (tpl.length !== segments.length) continue;
      const got = {};
      if (tpl.every((t, i) => (t.startsWith("{") ? ((got[t.slice(1, -1)] = segments[i]), true) : t === segments[i]))) {
        if (r.method !== request.method) {
          route ??= "method";
          continue;
        }
        route = r;
        pathParams = got;
        break;
      }
    }
    if (route === "method") return refuse(405, "method_not_allowed", "this path takes another method");
    if (route === null) return refuse(404, "not_found", "no such operation");
    if (!expose[provider]?.has(route.id)) return refuse(404, "not_exposed", `${route.id} is not exposed by this server`);

    // Rate limit per client address, counted in the store (shared by every instance).
    if (rateLimit) {
      const window = Math.floor(Date.now() / (rateLimit.windowSeconds * 1000));
      const ip = String(clientIp(request, context) ?? "unknown");
      const n = await store.incr(`proxykit:rl:${window}:${ip}`, rateLimit.windowSeconds * 1000);
      if (n > rateLimit.max) {
        const retryAfter = Math.max(1, Math.ceil(((window + 1) * rateLimit.windowSeconds * 1000 - Date.now()) / 1000));
        return refuse(429, "rate_limited", "too many requests from this address", { ...base, "retry-after": String(retryAfter) });
      }
    }

    // Who may call an account operation is the application's decision.
    let grant = null;
    if (!CATALOGUE[provider].includes(route.id)) {
      grant = await authorize(request, { provider, operation: route.id });
      if (!grant) return refuse(403, "forbidden", `${route.id} needs an authorized session`, base);
    }

    // Params: path, then query, then the JSON body, each under its wire name.
    const params = {};
    for (const [name, loc, type] of route.params) {
      const raw = loc === "path" ? pathParams[name] : url.searchParams.get(name);
      if (raw === null || raw === undefined) continue;
      params[name] = typed(raw, type);
    }
    for (const key of url.searchParams.keys()) {
      if (!route.params.some(([n, l]) => n === key && l === "query")) {
        return refuse(400, "invalid_input", `\`${key}\` is not a query parameter of ${route.id}`, base);
      }
    }
    // The one query quirk: ProxyShard's quote takes `addons` as the JSON string `addons_json`.
    if ("addons_json" in params) {
      try {
        params.addons = JSON.parse(params.addons_json);
      } catch {
        return refuse(400, "invalid_input", "`addons_json` must be JSON", base);
      }
      delete params.addons_json;
    }
    if (route.body) {
      const body = await readBody(request, maxBodyBytes);
      if (body.error) return refuse(body.status, body.error, body.message, base);
      if (body.value !== undefined) {
        if (body.value === null || typeof body.value !== "object" || Array.isArray(body.value)) {
          return refuse(400, "invalid_input", "the body must be a JSON object", base);
        }
        for (const [k, v] of Object.entries(body.value)) {
          if (k in params) return refuse(400, "invalid_input", `\`${k}\` is given twice`, base);
          params[k] = v;
        }
      }
    } else if (request.body) {
      const body = await readBody(request, maxBodyBytes);
      if (body.error) return refuse(body.status, body.error, body.message, base);
    }

    const cacheable = cache && CATALOGUE[provider].includes(route.id);
    const cacheKey = cacheable ? `proxykit:c:${provider}:${route.id}:${canonical(params)}` : null;
    if (cacheKey) {
      const hit = await store.get(cacheKey);
      if (hit !== undefined && hit !== null) {
        return new Response(hit, { status: 200, headers: { ...base, "content-type": "application/json", "x-proxykit-cache": "hit" } });
      }
    }

    let reply;
    try {
      if (cacheKey) {
        // One vendor call for concurrent misses of the same entry (no stampede on expiry).
        let pending = inFlight.get(cacheKey);
        if (!pending) {
          pending = clients[provider][route.id](params).finally(() => inFlight.delete(cacheKey));
          inFlight.set(cacheKey, pending);
        }
        reply = await pending;
      } else {
        reply = await clients[provider][route.id](params, { signal: request.signal });
      }
    } catch (e) {
      return fromError(e, base);
    }
    const credentials = grant && typeof grant === "object" && grant.credentials === true;
    const text = JSON.stringify(cacheable || credentials ? reply : withoutCredentials(reply));
    if (cacheKey) await store.set(cacheKey, text, cache.ttlSeconds * 1000);
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

/** Reads a JSON body, refusing one over `max` bytes without reading past the limit. */
async function readBody(request, max) {
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
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return { value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { error: "invalid_input", status: 400, message: "the body is not JSON" };
  }
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
  if (Array.isArray(value)) return value.map(withoutCredentials);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const lower = k.toLowerCase();
    out[k] = typeof v === "string" && CREDENTIAL_WORDS.some((w) => lower.includes(w)) ? "<redacted>" : withoutCredentials(v);
  }
  return out;
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
 */
export function toNodeListener(handler, { origin = "http://localhost" } = {}) {
  return async function proxykitListener(req, res) {
    try {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(new URL(req.url, origin), {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]])),
        body: hasBody ? nodeStream(req) : undefined,
        duplex: hasBody ? "half" : undefined,
        signal: controller.signal,
      });
      const response = await handler(request, { ip: req.socket?.remoteAddress });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: false, code: "server_error", message: "the proxykit handler failed" }));
    }
  };
}

function nodeStream(req) {
  let open = true;
  return new ReadableStream({
    start(controller) {
      req.on("data", (chunk) => open && controller.enqueue(new Uint8Array(chunk)));
      req.on("end", () => open && ((open = false), controller.close()));
      req.on("error", (e) => open && ((open = false), controller.error(e)));
    },
    cancel() {
      open = false;
      // The handler stopped reading (a body over maxBodyBytes): drain what the client is still
      // sending, so it reads the 413 instead of a reset connection, up to 1 MiB more.
      let drained = 0;
      req.removeAllListeners("data");
      req.on("data", (chunk) => {
        drained += chunk.length;
        if (drained > 1 << 20) req.destroy();
      });
      req.resume();
    },
  });
}
