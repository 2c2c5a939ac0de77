// Small local servers for the call-path tests (callpath.test.mjs, callpath-browser.test.mjs):
// node:http on 127.0.0.1, an ephemeral port, every request recorded (method, path, the auth
// headers it carried), CORS for page tests, bounded in requests and in time so a forgotten
// one cannot outlive its test, and a close() that also drops open connections.
import http from "node:http";

/**
 * Starts a recording server. `handler(req, res, entry)` answers once the request body is in
 * `entry.body`; without a handler every request gets `404 {}`. With `cors` (the default)
 * OPTIONS preflights are answered 204 and recorded too (a preflight is a request that
 * reached the server). Past `maxRequests` requests get a 503; after `ttlSeconds` it closes.
 */
export function startRecorder(handler, { maxRequests = 500, ttlSeconds = 120, cors = true } = {}) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const entry = {
      method: req.method,
      path: req.url,
      headers: { ...req.headers },
      body: "",
    };
    requests.push(entry);
    if (cors) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS");
      res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] || "*");
      res.setHeader("access-control-max-age", "0");
    }
    if (requests.length > maxRequests) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end('{"message":"test server: request budget spent"}');
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      entry.body = Buffer.concat(chunks).toString("utf8");
      if (req.method === "OPTIONS" && cors) {
        res.writeHead(204);
        res.end();
        return;
      }
      if (handler) return handler(req, res, entry);
      res.writeHead(404, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  let closing = null;
  const close = () =>
    (closing ??= new Promise((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  const timer = setTimeout(close, ttlSeconds * 1000);
  timer.unref();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      const url = `http://127.0.0.1:${port}`;
      resolve({
        url,
        origin: url,
        port,
        requests,
        /** Requests other than CORS preflights. */
        calls: () => requests.filter((r) => r.method !== "OPTIONS"),
        close,
      });
    });
  });
}

/**
 * The first server of the redirect tests: `/r-<status>-<mode>/<api path>` answers <status>
 * with a Location of <mode>: `abs` (the other server), `rel` (a path on this server),
 * `proto` (protocol-relative, the other server), `userinfo` (the other server with
 * user:pass@), `none` (no Location). Anything else is a 404.
 */
export function redirectingServer(other, { maxRequests = 600 } = {}) {
  return startRecorder(
    (req, res) => {
      const m = req.url.match(/^\/r-(\d{3})-(abs|rel|proto|userinfo|none)(\/.*)?$/);
      if (!m) {
        res.writeHead(404, { "content-type": "application/json" });
        return res.end('{"success":false,"message":"no route"}');
      }
      const [, status, mode, rest = "/"] = m;
      const location = {
        abs: `${other.url}/stolen${rest}`,
        rel: `/moved${rest}?again=1`,
        proto: `//127.0.0.1:${other.port}/stolen${rest}`,
        userinfo: `http://user:pass@127.0.0.1:${other.port}/stolen${rest}`,
        none: null,
      }[mode];
      // no-store: a browser may cache a 301/308 and answer a repeat itself, which would hide
      // a retried request from this server's log.
      const headers = { "content-type": "text/plain", "cache-control": "no-store" };
      if (location) headers.location = location;
      res.writeHead(Number(status), headers);
      res.end(`Moved to ${location}`);
    },
    { maxRequests },
  );
}

/** Which credential headers a recorded request carried (names only, never values). */
export function credentialHeaders(entry, extra = []) {
  return ["authorization", "x-api-key", ...extra.map((h) => h.toLowerCase())].filter((h) => h in entry.headers);
}

/** A port on 127.0.0.1 that refuses connections: bound once by us, then released. */
export async function refusedPort() {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}
