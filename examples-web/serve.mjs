// A static file server for the example pages on 127.0.0.1. The pages import "proxykit/web"
// and "proxykit-sandbox/web" through an import map that points at /vendor/…, served from the
// installed packages. Usage: node examples-web/serve.mjs [--port 8080]
import http from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".png": "image/png", ".json": "application/json" };

/** Serves the pages; `vendor` maps a package name to its installed folder. */
export function startExamplesServer({ port = 0, vendor = {} } = {}) {
  const roots = {
    proxykit: vendor.proxykit ?? join(here, "node_modules/proxykit"),
    "proxykit-sandbox": vendor["proxykit-sandbox"] ?? join(here, "node_modules/proxykit-sandbox"),
  };
  const server = http.createServer(async (req, res) => {
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
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const s = await startExamplesServer({ port: i > 0 ? Number(process.argv[i + 1]) : 8080 });
  console.log(`examples at ${s.url}/ — storefront: ${s.url}/storefront/  panel: ${s.url}/panel/`);
  console.log("add ?api=http://127.0.0.1:8787 to use a sandbox server (make sandbox) instead of the in-page one");
}
