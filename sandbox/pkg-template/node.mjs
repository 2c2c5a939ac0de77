// proxykit-sandbox for Node: createSandbox (in-process) and startSandboxServer (HTTP on
// 127.0.0.1 with CORS), both over the same wasm emulator.
import http from "node:http";
import { createRequire } from "node:module";
import { wrap } from "./core.mjs";

const require = createRequire(import.meta.url);
const { SandboxCore } = require("./node/proxykit_sandbox.js");

const MAX_BODY = 10 * 1024 * 1024;

export function createSandbox(options = {}) {
  return wrap(new SandboxCore(JSON.stringify(options)));
}

export function startSandboxServer({
  port = 8787,
  host = "127.0.0.1",
  maxRequests = Infinity,
  ttlSeconds = Infinity,
  log = () => {},
  ...options
} = {}) {
  const sandbox = createSandbox(options);
  const sockets = new Set();
  let served = 0;
  let closing = null;
  const server = http.createServer((req, res) => {
    served += 1;
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { "content-type": "application/json", "access-control-allow-origin": "*" });
        res.end(JSON.stringify({ success: false, message: "Request body over 10 MB" }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return;
      const headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const url = `http://${req.headers.host ?? `${host}:${port}`}${req.url}`;
      const out = sandbox.handle(req.method, url, headers, Buffer.concat(chunks).toString("utf8"));
      log(`${req.method} ${req.url} → ${out.drop ? "dropped" : out.status}${out.delayMs ? ` after ${out.delayMs} ms` : ""}`);
      const send = () => {
        if (out.drop) return req.socket.destroy();
        const h = {};
        for (const [k, v] of out.headers) h[k] = v;
        h["content-length"] = Buffer.byteLength(out.body);
        res.writeHead(out.status, h);
        res.end(out.body);
      };
      if (out.delayMs > 0) {
        const t = setTimeout(send, out.delayMs);
        res.on("close", () => clearTimeout(t));
      } else send();
    });
    if (served >= maxRequests) setImmediate(() => close());
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const close = () =>
    (closing ??= new Promise((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  const timer = Number.isFinite(ttlSeconds) ? setTimeout(close, ttlSeconds * 1000) : undefined;
  timer?.unref?.();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
      resolve({
        url,
        port: actual,
        sandbox,
        proxySolutionsBaseUrl: `${url}/api`,
        proxyShardBaseUrl: url,
        closed: new Promise((r) => server.once("close", r)),
        close,
      });
    });
  });
}
