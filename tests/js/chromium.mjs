// Debian's Chromium for the page tests, with the flags this closed network needs (without
// them Chromium keeps trying to reach outside hosts).
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

/**
 * Answers `GET /proxykit/<file>` with that file of the installed package (so a page can
 * import `proxykit/web` through an import map); returns false for any other path.
 */
export async function servePackageFile(pathname, res) {
  const { readFile } = await import("node:fs/promises");
  const { dirname, join, normalize } = await import("node:path");
  const { createRequire } = await import("node:module");
  if (!pathname.startsWith("/proxykit/")) return false;
  const rel = normalize(pathname.slice("/proxykit/".length));
  if (rel.startsWith("..")) return false;
  const pkgDir = dirname(createRequire(import.meta.url).resolve("proxykit/package.json"));
  try {
    const body = await readFile(join(pkgDir, rel));
    res.writeHead(200, { "content-type": TYPES[rel.slice(rel.lastIndexOf("."))] || "application/octet-stream" });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * A site on 127.0.0.1 for a page test: `page` (HTML) at `/`, the installed package under
 * `/proxykit/`, 404 for anything else. Returns the node:http server, listening.
 */
export async function startPageSite(page) {
  const http = await import("node:http");
  const site = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(page);
    }
    if (await servePackageFile(url.pathname, res)) return;
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  return site;
}
