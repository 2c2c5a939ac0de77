// A static file server for the example pages on 127.0.0.1. The pages import "proxykit/web"
// and "proxykit-sandbox/web" through an import map that points at /vendor/…, served from the
// installed packages. With a backend it also mounts proxykit/server at /proxykit, so the
// storefront runs with no key in the page (`/storefront/?server=1`).
//
// Usage: node examples-web/serve.mjs [--port 8080] [--backend http://127.0.0.1:8787]
//   --backend URL   a sandbox server (make sandbox): the handler uses its keys
//   --live          the real APIs: keys from PROXY_SOLUTIONS_API_KEY / PROXYSHARD_API_KEY
import http from "node:http";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".png": "image/png", ".json": "application/json" };

// The session cookie the storefront's checkout needs: set on every page, checked by the
// handler's authorize hook. A demo of where your own session check goes, not a login.
const SESSION = "proxykit-demo-session";

/**
 * Serves the pages; `vendor` maps a package name to its installed folder. `backend`, when
 * given, is `{ proxySolutions, proxyShard }` client options (with the keys) for the
 * proxykit/server handler mounted at /proxykit.
 */
export async function startExamplesServer({ port = 0, vendor = {}, backend = null } = {}) {
  const roots = {
    proxykit: vendor.proxykit ?? join(here, "node_modules/proxykit"),
    "proxykit-sandbox": vendor["proxykit-sandbox"] ?? join(here, "node_modules/proxykit-sandbox"),
  };
  let listener = null;
  const sessions = new Set();
  if (backend) {
    // The server entry of the same installed package the pages load.
    const { createProxykitHandler, toNodeListener, CATALOGUE } = await import(pathToFileURL(join(roots.proxykit, "server/index.js")).href);
    const handler = createProxykitHandler({
      ...backend,
      // The catalogue, plus what the storefront's checkout needs, for a page with a session.
      expose: {
        "proxy-solutions": [...CATALOGUE["proxy-solutions"], "createOrder", "chargeOrder"],
        proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder"],
      },
      authorize: (request) => sessions.has(cookie(request.headers.get("cookie"), SESSION)),
    });
    listener = toNodeListener(handler);
  }
  const server = http.createServer(async (req, res) => {
    if (listener && /^\/proxykit\//.test(req.url)) return listener(req, res);
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/") path = "/index.html";
    if (path.endsWith("/")) path += "index.html";
    let root = here;
    const m = path.match(/^\/vendor\/(proxykit-sandbox|proxykit)\/(.*)$/);
    if (m) {
      root = roots[m[1]];
      path = `/${m[2]}`;
    }
    const rel = normalize(path).replace(/^(\.\.[/\\])+/, "");
    if (rel.includes("..") || (!m && rel.includes("node_modules"))) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const body = await readFile(join(root, rel));
      const headers = { "content-type": TYPES[extname(rel)] ?? "application/octet-stream", "cache-control": "no-store" };
      if (listener && extname(rel) === ".html") {
        const id = randomBytes(16).toString("hex");
        sessions.add(id);
        headers["set-cookie"] = `${SESSION}=${id}; Path=/proxykit; HttpOnly; SameSite=Strict`;
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })));
}

function cookie(header, name) {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  let backend = null;
  if (arg("--backend")) {
    const api = arg("--backend");
    backend = { proxySolutions: { apiKey: "sandbox-ps-key", baseUrl: `${api}/api` }, proxyShard: { apiKey: "sandbox-shard-key", baseUrl: api } };
  } else if (process.argv.includes("--live")) {
    backend = {};
    if (process.env.PROXY_SOLUTIONS_API_KEY) backend.proxySolutions = { apiKey: process.env.PROXY_SOLUTIONS_API_KEY };
    if (process.env.PROXYSHARD_API_KEY) backend.proxyShard = { apiKey: process.env.PROXYSHARD_API_KEY };
  }
  const s = await startExamplesServer({ port: Number(arg("--port") ?? 8080), backend });
  console.log(`examples at ${s.url}/ — storefront: ${s.url}/storefront/  panel: ${s.url}/panel/`);
  if (backend) console.log(`keyless storefront (the key stays in this process): ${s.url}/storefront/?server=1`);
  else console.log("add ?api=http://127.0.0.1:8787 to use a sandbox server (make sandbox) instead of the in-page one");
}
