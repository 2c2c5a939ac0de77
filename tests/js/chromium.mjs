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
