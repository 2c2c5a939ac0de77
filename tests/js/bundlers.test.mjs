// The package as bundler users get it (issue 14's packaging matrix; the runtimes are in
// runtimes.test.mjs): a storefront page importing a provider's web entry, built for
// production (`vite build`) and served by Vite's dev server, for Vite 6, 7 and 8, each loaded
// in headless Chromium and making one real call against the sandbox's HTTP server; esbuild,
// webpack 5 and Rollup for the browser; esbuild, webpack 5 and a Next.js route handler
// (Turbopack and webpack) for Node servers, with nothing marked external: server bundles get
// the build with the .wasm embedded (the `module`/`webpack` conditions under `node`).
//
// The dev servers of Vite 6 and 7 need `optimizeDeps: { exclude: ["proxykit"] }` (README):
// their pre-bundling moves the glue away from its `.wasm`. Each version is asserted with the
// setting; the run without it is reported, not asserted (Vite 8 passes it), so a Vite that
// fixes or breaks it is visible in the log without failing the suite.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, copyFileSync, statSync, readdirSync } from "node:fs";
import { run, startNext } from "./harness.mjs";
import { tmpdir } from "node:os";
import { join, normalize, extname, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandboxServer } from "proxykit-sandbox";
import { launchChromium } from "./chromium.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const SHARD_KEY = "sandbox-shard-key";

const MAIN = `import { init, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";
const out = {};
try {
  await init();
  const api = new URLSearchParams(location.search).get("api");
  const shard = new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true });
  out.wallet = (await shard.getMe()).wallet_balance;
  const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong", dangerouslyAllowBrowser: true }).getMe().catch((e) => e);
  out.denied = { code: denied.code, instance: denied instanceof ProxykitError };
} catch (e) {
  out.error = String((e && e.stack) || e);
}
window.__result = out;
`;

// The same page importing the package by name: bundlers resolve the `browser` condition to an
// entry that loads its .wasm at import (top-level await), so there is no init() to call.
const MAIN_BY_NAME = MAIN.replace(
  'import { init, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";',
  'import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";',
).replace("  await init();\n", "");

/** A fresh Vite project inside tests/js (so "proxykit" resolves from tests/js/node_modules). */
function project(name) {
  const dir = join(here, `.bundler-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), `<!doctype html><title>${name}</title><script type="module" src="./main.js"></script>`);
  writeFileSync(join(dir, "main.js"), MAIN);
  return dir;
}

const TYPES = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };

/** Serves a built `dist/` on 127.0.0.1. */
async function serveDir(root) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const rel = normalize(path === "/" ? "index.html" : path.slice(1));
    const file = join(root, rel);
    if (rel.startsWith("..") || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}


let browser;
let sandbox;
before(async () => {
  sandbox = await startSandboxServer({ port: 0, maxRequests: 300, ttlSeconds: 900 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
  for (const name of ["next"]) rmSync(join(here, `.bundler-${name}`), { recursive: true, force: true });
});

async function runPage(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${url}?api=${encodeURIComponent(sandbox.url)}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    return { ...(await page.evaluate(() => window.__result)), errors };
  } finally {
    await page.close();
  }
}

const expectOk = (result, what) => {
  assert.equal(result.error, undefined, `${what}: ${result.error}`);
  assert.deepEqual(result.errors, [], what);
  assert.equal(result.wallet, 10_000, what);
  assert.deepEqual(result.denied, { code: "unauthorized", instance: true }, what);
};

/** Bundles `entries` of `dir` for the browser with esbuild (the `.wasm` through its file
 * loader), serves the result with a page that loads `main.js`, and checks one run. */
async function esbuildPage(dir, entries, what) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: entries.map((e) => join(dir, e)),
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: join(dir, "dist"),
    loader: { ".wasm": "file" },
    logLevel: "silent",
  });
  writeFileSync(join(dir, "dist", "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
  const server = await serveDir(join(dir, "dist"));
  try {
    expectOk(await runPage(`http://127.0.0.1:${server.address().port}/`), what);
    console.log(`[bundlers] ${what}: OK`);
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a Node bundle with the sandbox's URL and checks what it printed. Asynchronous: the
 * sandbox server runs in this process and must keep answering meanwhile. */
async function expectNodeBundleOk(file, what) {
  const r = await run(process.execPath, [file, sandbox.url], { timeout: 30_000 });
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  assert.deepEqual(JSON.parse(r.stdout), { wallet: 10_000, denied: { code: "unauthorized", instance: true } }, what);
  console.log(`[bundlers] ${what}: OK`);
}

// Vite 6 and 8 are installed under the npm aliases vite6 and vite8 (pinned in package.json).
const VITES = [
  ["vite6", "Vite 6"],
  ["vite", "Vite 7"],
  ["vite8", "Vite 8"],
];

for (const [pkg, label] of VITES) {
  test(`${label} production build: the .wasm is emitted and found, one call works`, { timeout: 120_000 }, async () => {
    const { build, version } = await import(pkg);
    for (const [main, how] of [[MAIN, "proxykit/web/proxyshard + init()"], [MAIN_BY_NAME, "proxykit/proxyshard by name"]]) {
      const dir = project(`build-${pkg}`);
      writeFileSync(join(dir, "main.js"), main);
      // es2022: the by-name entry uses top-level await (Vite 6's default target predates it).
      await build({ root: dir, logLevel: "silent", build: { outDir: join(dir, "dist"), target: "es2022" } });
      const server = await serveDir(join(dir, "dist"));
      try {
        const result = await runPage(`http://127.0.0.1:${server.address().port}/`);
        expectOk(result, `${label} build, ${how}`);
        console.log(`[bundlers] Vite ${version} build, ${how}: OK`);
      } finally {
        await new Promise((r) => server.close(r));
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test(`${label} dev server with optimizeDeps.exclude (the README's setting): one call works`, { timeout: 120_000 }, async () => {
    const { createServer, version } = await import(pkg);
    for (const [main, how] of [[MAIN, "proxykit/web/proxyshard + init()"], [MAIN_BY_NAME, "proxykit/proxyshard by name"]]) {
      const dir = project(`dev-${pkg}`);
      writeFileSync(join(dir, "main.js"), main);
      const server = await createServer({
        root: dir,
        logLevel: "silent",
        server: { host: "127.0.0.1", port: 0, strictPort: false },
        optimizeDeps: { exclude: ["proxykit"] },
      });
      await server.listen();
      try {
        const result = await runPage(server.resolvedUrls.local[0]);
        expectOk(result, `${label} dev (exclude), ${how}`);
        console.log(`[bundlers] Vite ${version} dev server with optimizeDeps.exclude, ${how}: OK`);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Without the setting: reported only (see the file's head).
    const plainDir = project(`dev-plain-${pkg}`);
    const plain = await createServer({ root: plainDir, logLevel: "silent", server: { host: "127.0.0.1", port: 0 } });
    await plain.listen();
    try {
      const result = await runPage(plain.resolvedUrls.local[0]).catch((e) => ({ error: String(e) }));
      const ok = result.error === undefined && result.wallet === 10_000;
      console.log(`[bundlers] Vite ${version} dev server without the setting: ${ok ? "OK (the setting may no longer be needed)" : `fails as documented (${String(result.error).split("\n")[0].slice(0, 160)})`}`);
    } finally {
      await plain.close();
      rmSync(plainDir, { recursive: true, force: true });
    }
  });
}

// ------------------------------------------------------------------------------ esbuild
// esbuild does not rewrite `new URL("…wasm", import.meta.url)`, so the glue's default URL
// 404s next to a bundle. The one-line setting (README): load the `.wasm` with the file loader
// and hand its URL to init().
const ESBUILD_MAIN = MAIN.replace(
  "await init();",
  "await init(wasmUrl);",
).replace(
  'import { init, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";',
  'import { init, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";\nimport wasmUrl from "proxykit/proxykit_proxyshard_bg.wasm";',
);

test("esbuild, browser: with the .wasm file loader and init(url), one call works", { timeout: 120_000 }, async () => {
  const dir = project("esbuild-web");
  writeFileSync(join(dir, "main.js"), ESBUILD_MAIN);
  await esbuildPage(dir, ["main.js"], "esbuild browser (file loader + init(url))");
});

// By name, esbuild takes the `browser` entry, builds, and cannot emit the .wasm: the page then
// fails at load. What is asserted is that the failure says what to do (the setting above).
test("esbuild, browser, import by name: the load failure names the fix", { timeout: 120_000 }, async () => {
  const esbuild = await import("esbuild");
  const dir = project("esbuild-by-name");
  writeFileSync(join(dir, "main.js"), MAIN_BY_NAME);
  await esbuild.build({ entryPoints: [join(dir, "main.js")], bundle: true, format: "esm", platform: "browser", outdir: join(dir, "dist"), logLevel: "silent" });
  writeFileSync(join(dir, "dist", "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
  const server = await serveDir(join(dir, "dist"));
  const page = await browser.newPage();
  try {
    const failed = new Promise((resolve) => page.on("pageerror", (e) => resolve(String(e.message))));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const message = await Promise.race([failed, new Promise((r) => setTimeout(() => r("no error within 20 s"), 20_000))]);
    assert.match(message, /proxykit_proxyshard_bg\.wasm did not load \(.*404.*\)/, message);
    assert.match(message, /import from "proxykit\/web\/…" and pass the \.wasm URL to init\(\)/, message);
    console.log("[bundlers] esbuild browser by name (no setting): fails at load, the message names the fix, as documented");
  } finally {
    await page.close();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

// For Node servers: nothing marked external. esbuild matches the `module` condition under
// `node`, which gives the build with the .wasm embedded, so the bundle runs alone: no
// `__dirname` (undefined in an ESM bundle) and no .wasm file beside it.
const SERVER = `const { ProxyShardClient, ProxykitError } = require("proxykit/proxyshard");
(async () => {
  const api = process.argv[2];
  const me = await new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}" }).getMe();
  const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong" }).getMe().catch((e) => e);
  console.log(JSON.stringify({ wallet: me.wallet_balance, denied: { code: denied.code, instance: denied instanceof ProxykitError } }));
})();
`;

/** Copies a built server bundle alone into an empty folder outside node_modules' reach. */
function alone(file) {
  const dir = join(tmpdir(), `proxykit-bundle-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const to = join(dir, basename(file));
  copyFileSync(file, to);
  return { file: to, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test("esbuild, Node: CJS and ESM server bundles run alone, with nothing external", { timeout: 120_000 }, async () => {
  const esbuild = await import("esbuild");
  const dir = project("esbuild-node");
  writeFileSync(join(dir, "server.cjs"), SERVER);
  writeFileSync(join(dir, "server.mjs"), SERVER.replace('const { ProxyShardClient, ProxykitError } = require("proxykit/proxyshard");', 'import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";'));
  try {
    for (const [entry, format, out] of [["server.cjs", "cjs", "bundle.cjs"], ["server.mjs", "esm", "bundle.mjs"]]) {
      await esbuild.build({ entryPoints: [join(dir, entry)], bundle: true, platform: "node", format, outfile: join(dir, out), logLevel: "silent" });
      const copy = alone(join(dir, out));
      try {
        await expectNodeBundleOk(copy.file, `esbuild ${esbuild.version} Node ${format} bundle, run alone (${Math.round(statSync(copy.file).size / 1024)} KB)`);
      } finally {
        copy.done();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------ webpack
// webpack 5 follows `new URL(…, import.meta.url)` and emits the .wasm; the `browser` entry
// loads it at import with top-level await (on by default since webpack 5.83). No setting.
test("webpack 5, browser: import by name with no setting, one call works", { timeout: 180_000 }, async () => {
  const { default: webpack } = await import("webpack");
  const dir = project("webpack-web");
  writeFileSync(
    join(dir, "main.js"),
    MAIN_BY_NAME,
  );
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        context: dir,
        entry: "./main.js",
        output: { path: join(dir, "dist"), filename: "main.js", publicPath: "auto" },
        resolve: { modules: [join(here, "node_modules")] },
        performance: { hints: false },
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  writeFileSync(join(dir, "dist", "index.html"), `<!doctype html><script src="./main.js"></script>`);
  const server = await serveDir(join(dir, "dist"));
  try {
    const result = await runPage(`http://127.0.0.1:${server.address().port}/`);
    expectOk(result, "webpack browser");
    console.log(`[bundlers] webpack ${webpack.version} browser, proxykit/proxyshard by name, no setting: OK`);
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("webpack 5, Node: a server bundle runs alone, with no externals", { timeout: 180_000 }, async () => {
  const { default: webpack } = await import("webpack");
  const dir = project("webpack-node");
  // .cjs: tests/js is "type": "module", and webpack leaves `require` alone in an ES module.
  writeFileSync(join(dir, "server.cjs"), SERVER);
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        target: "node",
        context: dir,
        entry: "./server.cjs",
        output: { path: join(dir, "dist"), filename: "server.cjs" },
        resolve: { modules: [join(here, "node_modules")] },
        performance: { hints: false },
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  const copy = alone(join(dir, "dist", "server.cjs"));
  try {
    await expectNodeBundleOk(copy.file, `webpack ${webpack.version} Node bundle, run alone (${Math.round(statSync(copy.file).size / 1024)} KB)`);
  } finally {
    copy.done();
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------ Next.js
// A route handler (app router) importing proxykit/proxyshard, built by `next build` with
// Turbopack (Next 16's default) and with webpack, served by `next start`, one real call each.
// Nothing in next.config: Next's server bundlers take the embedded build, so `.next/` holds
// no .wasm file and needs none.
const ROUTE = `import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";
export const dynamic = "force-dynamic";
export async function GET(request) {
  const api = new URL(request.url).searchParams.get("api");
  const me = await new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}" }).getMe();
  const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong" }).getMe().catch((e) => e);
  return Response.json({ wallet: me.wallet_balance, denied: { code: denied.code, instance: denied instanceof ProxykitError } });
}
`;

test("Next.js route handler (Turbopack and webpack builds): one real call each", { timeout: 300_000 }, async () => {
  const { version } = JSON.parse(readFileSync(join(here, "node_modules", "next", "package.json"), "utf8"));
  const dir = join(here, ".bundler-next");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "app", "api", "me"), { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "name": "next-row", "private": true }\n');
  writeFileSync(join(dir, "app", "layout.js"), "export default function RootLayout({ children }) { return <html><body>{children}</body></html>; }\n");
  writeFileSync(join(dir, "app", "api", "me", "route.js"), ROUTE);
  for (const [flags, label] of [[[], "Turbopack"], [["--webpack"], "webpack"]]) {
    rmSync(join(dir, ".next"), { recursive: true, force: true });
    const app = await startNext(dir, { flags, probe: `/api/me?api=${encodeURIComponent(sandbox.url)}` });
    try {
      const wasmFiles = readdirSync(join(dir, ".next"), { recursive: true }).filter((f) => String(f).endsWith(".wasm"));
      const text = await app.reply.text();
      assert.equal(app.reply.status, 200, `${text}\n${app.log()}`);
      assert.deepEqual(JSON.parse(text), { wallet: 10_000, denied: { code: "unauthorized", instance: true } });
      console.log(`[bundlers] Next.js ${version} route handler, ${label} build: OK (${wasmFiles.length} .wasm files in .next/)`);
    } finally {
      app.stop();
    }
  }
});

// The same route on Vercel's Edge runtime (`runtime = "edge"`, deprecated by Next 16 but
// still built and served): the `edge-light` condition's entry imports the .wasm `?module`.
test("Next.js edge route handler (Turbopack and webpack builds): one real call each", { timeout: 300_000 }, async () => {
  const { version } = JSON.parse(readFileSync(join(here, "node_modules", "next", "package.json"), "utf8"));
  const dir = join(here, ".bundler-next-edge");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "app", "api", "me"), { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "name": "next-edge-row", "private": true }\n');
  writeFileSync(join(dir, "app", "layout.js"), "export default function RootLayout({ children }) { return <html><body>{children}</body></html>; }\n");
  writeFileSync(join(dir, "app", "api", "me", "route.js"), `${ROUTE}export const runtime = "edge";\n`);
  try {
    for (const [flags, label] of [[[], "Turbopack"], [["--webpack"], "webpack"]]) {
      rmSync(join(dir, ".next"), { recursive: true, force: true });
      const app = await startNext(dir, { flags, probe: `/api/me?api=${encodeURIComponent(sandbox.url)}` });
      try {
        const text = await app.reply.text();
        assert.equal(app.reply.status, 200, `${text}\n${app.log()}`);
        assert.deepEqual(JSON.parse(text), { wallet: 10_000, denied: { code: "unauthorized", instance: true } });
        console.log(`[bundlers] Next.js ${version} edge route handler, ${label} build: OK`);
      } finally {
        app.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------ Rollup
// Rollup leaves `new URL("…wasm", import.meta.url)` alone, so the .wasm is not emitted. The
// one-line setting (README): @web/rollup-plugin-import-meta-assets, which emits the file and
// rewrites the URL; the code is the same as Vite's.
test("Rollup 4, browser: with the import-meta-assets plugin, one call works", { timeout: 120_000 }, async () => {
  const { rollup, VERSION } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const { importMetaAssets } = await import("@web/rollup-plugin-import-meta-assets");
  const dir = project("rollup");
  const bundle = await rollup({ input: join(dir, "main.js"), plugins: [nodeResolve({ browser: true }), importMetaAssets()], logLevel: "silent" });
  await bundle.write({ dir: join(dir, "dist"), format: "es" });
  await bundle.close();
  writeFileSync(join(dir, "dist", "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
  const server = await serveDir(join(dir, "dist"));
  try {
    expectOk(await runPage(`http://127.0.0.1:${server.address().port}/`), "rollup");
    console.log(`[bundlers] Rollup ${VERSION} browser (import-meta-assets plugin): OK`);
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------ Web Worker
test("a module Web Worker (esbuild-built) loads the web entry and makes real calls", { timeout: 120_000 }, async () => {
  const dir = project("worker");
  writeFileSync(
    join(dir, "worker.js"),
    `import { init, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";
import wasmUrl from "proxykit/proxykit_proxyshard_bg.wasm";
self.onmessage = async (event) => {
  const api = event.data;
  try {
    await init(wasmUrl);
    // A worker counts as a browser: a key needs the explicit opt-in.
    const shard = new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true });
    const wallet = (await shard.getMe()).wallet_balance;
    const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong", dangerouslyAllowBrowser: true }).getMe().catch((e) => e);
    self.postMessage({ wallet, denied: { code: denied.code, instance: denied instanceof ProxykitError } });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
`,
  );
  writeFileSync(
    join(dir, "main.js"),
    `const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => { window.__result = event.data; };
worker.onerror = (event) => { window.__result = { error: String(event.message) }; };
worker.postMessage(new URLSearchParams(location.search).get("api"));
`,
  );
  await esbuildPage(dir, ["main.js", "worker.js"], "module Web Worker in Chromium (esbuild, init(url))");
});
