// proxykit-sandbox for Node: createSandbox (in-process) and startSandboxServer (HTTP on
// 127.0.0.1), both over the same wasm emulator. The server answers only requests whose Host
// is a loopback name (a DNS-rebinding defence) and whose Origin, if any, is allowed; CORS is
// granted to loopback origins unless `corsOrigins` widens it.
import http from "node:http";
import { isIP } from "node:net";
import { createRequire } from "node:module";
import { checkSandboxOptions, wrap } from "./core.mjs";

const require = createRequire(import.meta.url);
const { SandboxCore } = require("./node/proxykit_sandbox.js");

const MAX_BODY = 10 * 1024 * 1024;
/** The longest `ttlSeconds`: a Node timer waits at most 2^31-1 ms (about 24.8 days). */
export const MAX_TTL_SECONDS = 2_147_483;
/** How long a server stopping after `maxRequests` waits for idle connections to close. */
const DRAIN_GRACE_MS = 1000;

export function createSandbox(options = {}) {
  checkSandboxOptions(options);
  return wrap(new SandboxCore(JSON.stringify(options)));
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const LOOPBACK_V4 = new RegExp(`^127\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const LOCALHOST = /^(?:[a-z0-9_-]+\.)*localhost$/;

/** Whether a host name (lower case, IPv6 in brackets, no port) is a loopback name. */
function isLoopbackName(name) {
  return name === "[::1]" || LOCALHOST.test(name) || LOOPBACK_V4.test(name);
}

/** `{name, port}` of a Host header value (name lower-cased, IPv6 kept in brackets), or null. */
function splitHost(value) {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/.exec(value.toLowerCase());
  return m && { name: m[1], port: m[2] };
}

/** An allowed-host entry as compared: lower case, a bare IPv6 address put in brackets. */
function normalizeHostEntry(entry) {
  const e = entry.toLowerCase();
  return isIP(e) === 6 ? `[${e}]` : e;
}

/** Why a request's Host is refused, or null when it is allowed. */
function hostRefusal(hostHeader, extra) {
  if (extra.has("*")) return null;
  if (hostHeader === undefined || hostHeader === "") return "the request has no Host header";
  const h = splitHost(hostHeader);
  if (h && (isLoopbackName(h.name) || extra.has(h.name) || (h.port && extra.has(`${h.name}:${h.port}`)))) return null;
  return `Host ${JSON.stringify(hostHeader)} is not a loopback name (127.x.x.x, localhost, *.localhost, [::1]); start the sandbox with --allow-host NAME (allowedHosts) to serve it under another name`;
}

/** Whether an Origin header value may use the sandbox (and gets CORS). */
function originAllowed(origin, cors) {
  if (cors === "*") return true;
  const o = origin.toLowerCase();
  if (cors.has(o)) return true;
  const m = /^https?:\/\/(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::\d{1,5})?$/.exec(o);
  return m !== null && isLoopbackName(m[1]);
}

/** CORS headers for a reply to `req` (none for a request without an allowed Origin). */
function corsHeaders(req, cors) {
  const origin = req.headers.origin;
  const h = cors === "*" ? {} : { vary: "Origin" };
  if (cors !== "*" && (origin === undefined || !originAllowed(origin, cors))) return h;
  h["access-control-allow-origin"] = cors === "*" ? "*" : origin;
  h["access-control-expose-headers"] = "retry-after, location";
  if (req.method === "OPTIONS") {
    h["access-control-allow-methods"] = "GET, POST, PATCH, DELETE, OPTIONS";
    h["access-control-allow-headers"] = req.headers["access-control-request-headers"] || "*";
    h["access-control-max-age"] = "600";
    if (req.headers["access-control-request-private-network"] === "true") h["access-control-allow-private-network"] = "true";
  }
  return h;
}

const show = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** Checks the server's own options; throws an Error naming the bad one. */
function checkServerOptions({ port, host, maxRequests, ttlSeconds, allowedHosts, corsOrigins, log }) {
  const bad = (msg) => {
    throw new Error(`proxykit-sandbox: ${msg}`);
  };
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad(`port: expected an integer from 0 to 65535 (0 picks a free port), got ${show(port)}`);
  if (typeof host !== "string" || host.trim() === "") bad(`host: expected an address or name to bind, got ${show(host)}`);
  if (maxRequests !== Infinity && !(Number.isSafeInteger(maxRequests) && maxRequests > 0)) {
    bad(`maxRequests: expected a positive integer, got ${show(maxRequests)}`);
  }
  if (ttlSeconds !== Infinity && !(typeof ttlSeconds === "number" && ttlSeconds > 0 && ttlSeconds <= MAX_TTL_SECONDS)) {
    bad(`ttlSeconds: expected seconds above 0 and at most ${MAX_TTL_SECONDS} (about 24.8 days, the longest a Node timer waits), got ${show(ttlSeconds)}`);
  }
  if (!Array.isArray(allowedHosts) || allowedHosts.some((h) => typeof h !== "string" || !/^[^\s/@]+$/.test(h))) {
    bad(`allowedHosts: expected a list of host names (a name, name:port, or "*"), got ${show(JSON.stringify(allowedHosts))}`);
  }
  const origins = corsOrigins === "*" ? [] : corsOrigins;
  if (!Array.isArray(origins)) bad(`corsOrigins: expected "*" or a list of origins, got ${show(JSON.stringify(corsOrigins))}`);
  for (const o of origins) {
    if (typeof o !== "string" || !(o === "*" || o === "null" || /^[a-z][a-z0-9+.-]*:\/\/[^/\s?#@]+$/i.test(o))) {
      bad(`corsOrigins: ${show(o)} is not an origin (scheme://host[:port], no path or trailing slash; or "*")`);
    }
  }
  if (typeof log !== "function") bad("log: expected a function");
}

export async function startSandboxServer({
  port = 8787,
  host = "127.0.0.1",
  maxRequests = Infinity,
  ttlSeconds = Infinity,
  allowedHosts = [],
  corsOrigins = [],
  log = () => {},
  ...options
} = {}) {
  checkServerOptions({ port, host, maxRequests, ttlSeconds, allowedHosts, corsOrigins, log });
  const sandbox = createSandbox(options);
  // The Host names answered besides loopback ones: the given ones, and the one bound to.
  const extraHosts = new Set(allowedHosts.map(normalizeHostEntry));
  if (!["0.0.0.0", "::", "[::]"].includes(host)) extraHosts.add(normalizeHostEntry(host));
  const cors = corsOrigins === "*" || corsOrigins.includes("*") ? "*" : new Set(corsOrigins.map((o) => o.toLowerCase()));

  const sockets = new Set();
  let served = 0;
  let inflight = 0;
  let draining = false;
  let closing = null;
  let timer;

  const reply = (req, res, status, headers, body) => {
    const h = { ...headers, ...corsHeaders(req, cors), "content-length": Buffer.byteLength(body) };
    if (draining) h.connection = "close";
    res.writeHead(status, h);
    res.end(body);
  };
  const refuse = (req, res, status, message) => {
    log(`${req.method} ${req.url} → ${status} (${message})`);
    req.resume();
    res.shouldKeepAlive = false;
    reply(req, res, status, { "content-type": "application/json", connection: "close" }, JSON.stringify({ success: false, message: `proxykit-sandbox: ${message}` }));
  };

  const server = http.createServer((req, res) => {
    served += 1;
    inflight += 1;
    res.on("close", () => {
      inflight -= 1;
      if (draining && inflight === 0) finishDrain();
    });
    if (served > maxRequests) return refuse(req, res, 503, `stopping: maxRequests (${maxRequests}) reached`);
    // The last request is answered in full (even a delayed reply); no new connections.
    if (served === maxRequests) startDrain();
    const why = hostRefusal(req.headers.host, extraHosts);
    if (why) return refuse(req, res, 403, why);
    if (req.headers.origin !== undefined && !originAllowed(req.headers.origin, cors)) {
      return refuse(req, res, 403, `Origin ${JSON.stringify(req.headers.origin)} is not allowed; start the sandbox with --cors-origin ORIGIN (corsOrigins) to allow it`);
    }
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      if (size > MAX_BODY) return;
      size += c.length;
      if (size > MAX_BODY) {
        res.shouldKeepAlive = false;
        res.on("finish", () => req.socket.destroy());
        reply(req, res, 413, { "content-type": "application/json", connection: "close" }, JSON.stringify({ success: false, message: "Request body over 10 MB" }));
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return;
      const headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const url = `http://${req.headers.host || `${host}:${port}`}${req.url}`;
      const out = sandbox.handle(req.method, url, headers, Buffer.concat(chunks).toString("utf8"));
      log(`${req.method} ${req.url} → ${out.drop ? "dropped" : out.status}${out.delayMs ? ` after ${out.delayMs} ms` : ""}`);
      const send = () => {
        if (out.drop) return req.socket.destroy();
        const h = {};
        for (const [k, v] of out.headers) h[k] = v;
        reply(req, res, out.status, h, out.body);
      };
      if (out.delayMs > 0) {
        const t = setTimeout(send, out.delayMs);
        res.on("close", () => clearTimeout(t));
      } else send();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const closed = new Promise((r) => server.once("close", r));
  // Stop listening; the requests already received still get their replies.
  function startDrain() {
    if (draining) return;
    draining = true;
    server.close();
  }
  // Every reply is out: end the connections left (gracefully, then by force).
  function finishDrain() {
    clearTimeout(timer);
    for (const s of sockets) s.end();
    setTimeout(() => {
      for (const s of sockets) s.destroy();
    }, DRAIN_GRACE_MS).unref();
  }
  // Stops at once: pending replies are cut off.
  const close = () => {
    if (!closing) {
      closing = closed;
      clearTimeout(timer);
      draining = true;
      if (server.listening) server.close();
      for (const s of sockets) s.destroy();
    }
    return closing;
  };
  let listening = false;
  await new Promise((resolve, reject) => {
    server.on("error", (e) => {
      if (listening) return log(`server error: ${e.message}`);
      sandbox.free();
      reject(e);
    });
    server.listen(port, host, () => {
      listening = true;
      resolve();
    });
  });
  if (Number.isFinite(ttlSeconds)) timer = setTimeout(close, Math.ceil(ttlSeconds * 1000)).unref();
  const { port: actual } = server.address();
  const url = `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${actual}`;
  return {
    url,
    port: actual,
    sandbox,
    proxySolutionsBaseUrl: `${url}/api`,
    proxyShardBaseUrl: url,
    closed,
    close,
  };
}
