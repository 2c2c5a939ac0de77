// make bench: measures proxykit against its budgets, prints one table with PASS/FAIL per
// budget and writes it to BENCHMARKS.md (date, machine, commit, load). Budgets are checked
// here, never in tests. This process only orchestrates: everything timed runs in a fresh
// Node process of its own, and the HTTP server (bench/server.mjs) in yet another.
//
//  1. size       each .wasm and the JS glue per target (raw, gzip); Vite-built storefront pages
//                per entry (one provider ≤ 70 KB gz, both ≤ 100 KB) next to openapi-fetch from
//                the same OpenAPI files
//  2. start-up   require("proxykit") + new ProxyShardClient in ≥ 20 fresh Node processes, and
//                its breakdown (read .wasm, compile, instantiate, JS glue); headless Chromium
//                page load to client ready
//  3. first call the first getMe of a fresh process: proxykit vs the hand-written wrapper
//  4. per-call   raw fetch vs hand-written wrapper vs proxykit, getMe and a 100-order page,
//                sequential and 64 in flight, interleaved rounds (bench/child.mjs percall)
//  5. local      no network: validations per second; the 100-order page through a fake fetch
//  6. memory     wasm memory and RSS after 1 000 and 100 000 calls, in a fresh process; the
//                hand wrapper's RSS over the same calls as a baseline
//
// Usage: node bench.mjs [--quick] [--only size,startup,browser,firstcall,percall,local,memory]
//                       [--out=FILE]
// Only a full run writes BENCHMARKS.md; --out=FILE writes any run's table to FILE instead.
// scripts/bench.sh builds and installs the package first.
import { spawn, execFile, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync, statSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { cpus, loadavg } from "node:os";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join, relative, sep } from "node:path";
import http from "node:http";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyArg = argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? new Set((onlyArg.includes("=") ? onlyArg.split("=")[1] : argv[argv.indexOf(onlyArg) + 1] ?? "").split(",")) : null;
const want = (section) => !only || only.has(section);
const outArg = argv.find((a) => a.startsWith("--out="));
// Where the table goes: BENCHMARKS.md after a full run; --out=FILE writes any run to FILE.
const outFile = outArg ? outArg.slice("--out=".length) : !quick && !only ? join(root, "BENCHMARKS.md") : null;

// Sizes of each part; --quick keeps the method and shrinks the counts.
const CFG = quick
  ? { n: 300, rounds: 3, warmup: 100, coldRuns: 10, firstCallRuns: 10, chromiumRuns: 5, memoryTotal: 10_000 }
  : { n: 2000, rounds: 5, warmup: 300, coldRuns: 30, firstCallRuns: 15, chromiumRuns: 20, memoryTotal: 100_000 };
const BUDGET = { oneProviderGzipKB: 70, bothGzipKB: 100, coldMs: 12, firstCallExtraMs: 5, perCallRatio: 1.1, rssGrowth: 1.5 };

// ------------------------------------------------------------------------------ output
const rows = [];
const W = [10, 72, 46, 22];
const row = (area, what, value, budget = "", verdict = "") => {
  rows.push({ area, what, value, budget, verdict });
  console.log(`${area.padEnd(W[0])} ${what.padEnd(W[1])} ${String(value).padEnd(W[2])} ${budget.padEnd(W[3])} ${verdict}`);
};
const notMeasured = (area, what, why) => row(area, what, `not measured: ${why}`);
const pass = (ok) => (ok ? "PASS" : "FAIL");
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${x.toFixed(2)} ms`;
const us = (x) => `${x.toFixed(0)} µs`;
const errText = (e) => String(e?.message ?? e).split("\n")[0].slice(0, 120);

// ------------------------------------------------------------------ child processes
// Every child is tracked and killed when this process ends, normally or not.
const children = new Set();
const killAll = () => {
  for (const c of children) {
    try {
      c.kill("SIGKILL");
    } catch {}
  }
  children.clear();
};
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Runs a fresh `node [nodeArgs] ...args` in bench/, returns its stdout; killed after limitMs. */
function runNode(args, { nodeArgs = [], limitMs = 60_000, stderr = "pipe" } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: here, stdio: ["ignore", "pipe", stderr] });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args[0] === "-e" ? "-e <script>" : args.join(" ")} ended with ${signal ?? `code ${code}`}${err ? `: ${err.trim().split("\n").slice(-3).join(" | ")}` : ""}`));
    });
  });
}
const lastJson = (out) => JSON.parse(out.trim().split("\n").pop());
/** One script per fresh process, `runs` times; returns the parsed JSON each printed. */
async function freshProcesses(script, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(lastJson(await runNode(["-e", script], { limitMs: 30_000 })));
  return results;
}
/** bench/child.mjs <mode>: its own process, --expose-gc so each side can start on a clean heap. */
async function child(mode, args, limitMs) {
  return lastJson(await runNode([join(here, "child.mjs"), mode, JSON.stringify({ ...args, limitMs })], { nodeArgs: ["--expose-gc"], limitMs: limitMs + 10_000, stderr: "inherit" }));
}

async function startServer() {
  const proc = spawn(process.execPath, [join(here, "server.mjs")], { cwd: here, stdio: ["pipe", "pipe", "inherit"] });
  children.add(proc);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bench server did not start within 10 s")), 10_000);
    proc.once("exit", (code) => reject(new Error(`bench server exited with code ${code}`)));
    proc.stdout.once("data", (d) => {
      clearTimeout(timer);
      resolve(String(d).trim().split(" ")[1]);
    });
  });
  return {
    url,
    stop: () => {
      proc.stdin.end();
      proc.kill("SIGTERM");
      children.delete(proc);
    },
  };
}

// ------------------------------------------------------------------------ the package
let pkgDir = null;
let pkgWhy = "";
try {
  pkgDir = dirname(require.resolve("proxykit/package.json"));
} catch (e) {
  pkgWhy = `proxykit not installed in bench/ (${errText(e)})`;
}
/** Files under the package dir whose name matches `re` (node_modules skipped). */
function globPkg(re, dir = pkgDir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules") found.push(...globPkg(re, p));
    } else if (re.test(name)) found.push(p);
  }
  return found;
}
const rel = (p) => relative(pkgDir, p).split(sep).join("/");
/** The .wasm the Node entry loads: the one next to require.resolve("proxykit"), else the first. */
function nodeWasm() {
  const all = globPkg(/\.wasm$/);
  if (all.length === 0) return null;
  let main = null;
  try {
    main = require.resolve("proxykit");
  } catch {}
  return (main && all.find((p) => dirname(p) === dirname(main))) ?? all.find((p) => p.includes(`${sep}node${sep}`)) ?? all[0];
}

// ------------------------------------------------------------------------------ 1. size
// Each entry a browser can load: its .wasm (under bundler/, shipped once), wasm-bindgen's web
// glue and our loader.
const WEB_ENTRIES = [
  { entry: "proxykit/web", module: "proxykit", loader: "index.js", budget: "both" },
  { entry: "proxykit/web/proxy-solutions", module: "proxykit_proxy_solutions", loader: "proxy-solutions.js", budget: "one" },
  { entry: "proxykit/web/proxyshard", module: "proxykit_proxyshard", loader: "proxyshard.js", budget: "one" },
  { entry: "proxykit/web/market", module: "proxykit_market", loader: "market.js", budget: "none" },
];

function sizes() {
  const wasms = globPkg(/\.wasm$/);
  if (wasms.length === 0) return notMeasured("size", ".wasm", "no .wasm file in the package");
  const seen = new Map();
  for (const p of wasms) {
    const b = readFileSync(p);
    const key = `${b.length}:${gz(b)}`;
    row("size", `.wasm ${rel(p)}${seen.has(key) ? ` (a copy of ${seen.get(key)})` : ""}`, `${kb(b.length)} / ${kb(gz(b))} gz`);
    if (!seen.has(key)) seen.set(key, rel(p));
  }
  row("size", "distinct .wasm files in the package / files", `${seen.size} / ${wasms.length}`, "each once", pass(seen.size === wasms.length));
  // JS glue per target: the .js/.mjs/.cjs files of each top-level folder of the package.
  const targets = readdirSync(pkgDir).filter((d) => statSync(join(pkgDir, d)).isDirectory() && d !== "node_modules");
  for (const t of targets) {
    const files = globPkg(/\.(c|m)?js$/, join(pkgDir, t));
    if (files.length === 0) continue;
    const raw = files.reduce((s, p) => s + statSync(p).size, 0);
    const zipped = files.reduce((s, p) => s + gz(readFileSync(p)), 0);
    row("size", `JS glue, ${t}/ (${files.length} files, all modules)`, `${kb(raw)} / ${kb(zipped)} gz`);
  }
  for (const e of WEB_ENTRIES) {
    const files = [join(pkgDir, "bundler", `${e.module}_bg.wasm`), join(pkgDir, "web", `${e.module}.js`), join(pkgDir, "web", e.loader), join(pkgDir, "web", "loader.js")];
    if (!files.every(existsSync)) {
      notMeasured("size", `${e.entry}: wasm + glue`, `missing ${files.filter((f) => !existsSync(f)).map(rel).join(", ")}`);
      continue;
    }
    const raw = files.reduce((s, p) => s + statSync(p).size, 0);
    const zipped = files.reduce((s, p) => s + gz(readFileSync(p)), 0);
    row("size", `${e.entry}: wasm + glue as served, unbundled`, `${kb(raw)} / ${kb(zipped)} gz`);
  }
}

// The storefront page, built for production by Vite: one provider, both, and openapi-fetch
// (plus the types openapi-typescript generates) from the same OpenAPI files, as the floor a
// generated TS client sets. The budgets are on these bundles (wasm + JS, gzip -9 per file).
const SPEC_DIRS = [join(root, "spec"), join(root, "tests", "contract")];
const specFile = (name) => SPEC_DIRS.map((d) => join(d, name)).find(existsSync);

async function viteBuild(name, files) {
  const dir = join(here, ".bundle", name); // inside bench/ so packages resolve from bench/node_modules
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), `<!doctype html><title>store</title><p id="out">…</p><script type="module" src="./main.${files["main.ts"] ? "ts" : "js"}"></script>`);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const { build } = await import("vite");
  await build({ root: dir, logLevel: "silent", build: { outDir: join(dir, "dist"), target: "es2022" } });
  let raw = 0;
  let zipped = 0;
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(js|wasm)$/.test(n)) {
        const b = readFileSync(p);
        raw += b.length;
        zipped += gz(b);
      }
    }
  };
  walk(join(dir, "dist"));
  return { dist: join(dir, "dist"), raw, zipped };
}

const READY = `window.__ready = performance.now();
document.getElementById("out").textContent = "ready";
`;
const API = `new URLSearchParams(location.search).get("api") ?? "http://127.0.0.1:9"`;

async function bundled() {
  rmSync(join(here, ".bundle"), { recursive: true, force: true });
  const pages = [
    { name: "ps", label: "Vite storefront, proxykit/web/proxy-solutions (ProxySolutionsClient)", budget: BUDGET.oneProviderGzipKB,
      main: `import { init, ProxySolutionsClient } from "proxykit/web/proxy-solutions";
await init();
const ps = new ProxySolutionsClient({ baseUrl: ${API} + "/api" });
document.getElementById("out").onclick = () => ps.listServices().then(console.log, console.error);
${READY}` },
    { name: "shard", label: "Vite storefront, proxykit/web/proxyshard (ProxyShardClient)", budget: BUDGET.oneProviderGzipKB,
      main: `import { init, ProxyShardClient } from "proxykit/web/proxyshard";
await init();
const shard = new ProxyShardClient({ baseUrl: ${API} });
document.getElementById("out").onclick = () => shard.listProducts().then(console.log, console.error);
${READY}` },
    { name: "both", label: "Vite storefront, proxykit/web (both clients)", budget: BUDGET.bothGzipKB,
      main: `import { init, ProxySolutionsClient, ProxyShardClient } from "proxykit/web";
await init();
const ps = new ProxySolutionsClient({ baseUrl: ${API} + "/api" });
const shard = new ProxyShardClient({ baseUrl: ${API} });
document.getElementById("out").onclick = () => Promise.all([ps.listServices(), shard.listProducts()]).then(console.log, console.error);
${READY}` },
  ];
  let bothDist = null;
  for (const p of pages) {
    try {
      const r = await viteBuild(p.name, { "main.js": p.main });
      row("size", p.label, `${kb(r.raw)} / ${kb(r.zipped)} gz`, `≤ ${p.budget} KB gz`, pass(r.zipped <= p.budget * 1024));
      if (p.name === "both") bothDist = r.dist;
    } catch (e) {
      notMeasured("size", p.label, errText(e));
    }
  }
  // The floor: openapi-fetch with openapi-typescript's types, from the same spec.
  const generator = join(here, "node_modules", ".bin", "openapi-typescript");
  for (const [name, spec, call] of [
    ["ps", "proxy-solutions.openapi.yaml", `client.GET("/services")`],
    ["shard", "proxyshard.openapi.yaml", `client.GET("/user/api/proxies/products")`],
  ]) {
    const label = `Vite storefront, openapi-fetch ${readPkgVersion("openapi-fetch")} from ${spec} (reference)`;
    try {
      const file = specFile(spec);
      if (!file) throw new Error(`no ${spec} in spec/ or tests/contract/`);
      const dir = join(here, ".bundle", `openapi-fetch-${name}`);
      mkdirSync(dir, { recursive: true });
      execFileSync(generator, [file, "-o", join(dir, "api.d.ts")], { stdio: "ignore" });
      const r = await viteBuild(`openapi-fetch-${name}`, {
        "main.ts": `import createClient from "openapi-fetch";
import type { paths } from "./api";
const client = createClient<paths>({ baseUrl: ${API} });
document.getElementById("out")!.onclick = () => ${call}.then(console.log, console.error);
${READY}`,
      });
      row("size", label, `${kb(r.raw)} / ${kb(r.zipped)} gz`);
    } catch (e) {
      notMeasured("size", label, errText(e));
    }
  }
  // The other floor: what a Rust SDK on wasm-bindgen pays before any operation (bench/floor,
  // built by bench/floor.sh with proxykit's profile): wasm-bindgen, the allocator and
  // `format!`; serde_json's Value; an async export. The budget's headroom is what is left.
  const FLOOR_LABELS = {
    none: "wasm-bindgen class + format! + allocator",
    json: "… + serde_json Value (parse, write)",
    futures: "… + one async export (wasm-bindgen-futures)",
    "json,futures": "… + serde_json Value + async export",
  };
  try {
    const lines = readFileSync(process.env.PROXYKIT_SIZE_FLOOR ?? join(here, "..", ".cache", "size-floor.jsonl"), "utf8").trim().split("\n");
    for (const line of lines) {
      const f = JSON.parse(line);
      row("size", `wasm floor (reference): ${FLOOR_LABELS[f.features] ?? f.features}`, `${kb(f.raw)} / ${kb(f.gzip)} gz (+ ${kb(f.jsGzip)} gz JS glue)`);
    }
  } catch (e) {
    notMeasured("size", "wasm floor (reference)", errText(e));
  }
  return bothDist;
}

function readPkgVersion(name) {
  try {
    return JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

// --------------------------------------------------------------------------- 2. start-up
const CLIENT_OPTS = `{ apiKey: "bench-key", baseUrl: "http://127.0.0.1:9" }`;

async function nodeStartup() {
  const runs = CFG.coldRuns;
  // The measured code starts at its first line: load the package, construct a client.
  const cold = `const t0 = performance.now();
const { ProxyShardClient } = require("proxykit");
new ProxyShardClient(${CLIENT_OPTS});
process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));`;
  const times = (await freshProcesses(cold, runs)).map((r) => r.ms);
  const med = median(times);
  row("start-up", `Node: require("proxykit") + new ProxyShardClient (${runs} fresh processes)`, `median ${ms(med)}, p95 ${ms(p95(times))}`, `≤ ${BUDGET.coldMs} ms median`, pass(med <= BUDGET.coldMs));
  return { med, p95: p95(times) };
}

async function startupBreakdown() {
  const runs = CFG.coldRuns;
  const area = "start-up";
  // (a) The .wasm loaded directly: read, sync compile, instantiate (imports stubbed), each
  //     the first of its kind in a fresh process.
  const wasm = nodeWasm();
  if (!wasm) {
    for (const s of ["read the .wasm", "new WebAssembly.Module (sync compile)", "instantiate"]) notMeasured(area, `  breakdown: ${s}`, "no .wasm file in the package");
  } else {
    const direct = `const fs = require("fs");
const t0 = performance.now();
const bytes = fs.readFileSync(${JSON.stringify(wasm)});
const t1 = performance.now();
const mod = new WebAssembly.Module(bytes);
const t2 = performance.now();
let why = "";
const imports = {};
for (const imp of WebAssembly.Module.imports(mod)) {
  if (imp.kind !== "function") { why = "the module imports a " + imp.kind + " (" + imp.module + "." + imp.name + ")"; break; }
  (imports[imp.module] ??= {})[imp.name] = () => {};
}
let inst = null;
if (!why) {
  try { const t3 = performance.now(); new WebAssembly.Instance(mod, imports); inst = performance.now() - t3; }
  catch (e) { why = "instantiating with stub imports failed: " + e.message; }
}
process.stdout.write(JSON.stringify({ bytes: bytes.length, read: t1 - t0, compile: t2 - t1, inst, why }));`;
    try {
      const res = await freshProcesses(direct, runs);
      row(area, `  breakdown: read ${rel(wasm)} (${kb(res[0].bytes)}; ${runs} fresh processes)`, `median ${ms(median(res.map((r) => r.read)))}`);
      row(area, "  breakdown: new WebAssembly.Module (sync compile)", `median ${ms(median(res.map((r) => r.compile)))}`);
      if (res.some((r) => r.inst === null)) notMeasured(area, "  breakdown: instantiate", res.find((r) => r.why).why);
      else row(area, "  breakdown: instantiate (imports stubbed)", `median ${ms(median(res.map((r) => r.inst)))}`);
    } catch (e) {
      notMeasured(area, "  breakdown: read / compile / instantiate", errText(e));
    }
  }
  // (b) The JS glue: require("proxykit") with readFileSync(.wasm), WebAssembly.Module and
  //     WebAssembly.Instance timed from inside; what is left of require is the glue's own
  //     evaluation (parsing and running the JS, wasm start-up calls).
  const glue = `const fs = require("fs");
const acc = { read: 0, compile: 0, inst: 0, nRead: 0, nCompile: 0, nInst: 0, nAsync: 0 };
const realRead = fs.readFileSync;
fs.readFileSync = function (p, ...rest) {
  const t = performance.now();
  try { return realRead.call(this, p, ...rest); }
  finally { if (String(p).endsWith(".wasm")) { acc.read += performance.now() - t; acc.nRead++; } }
};
const wrap = (Real, key, n) => {
  const W = function (...a) { const t = performance.now(); try { return new Real(...a); } finally { acc[key] += performance.now() - t; acc[n]++; } };
  Object.setPrototypeOf(W, Real);
  W.prototype = Real.prototype;
  return W;
};
WebAssembly.Module = wrap(WebAssembly.Module, "compile", "nCompile");
WebAssembly.Instance = wrap(WebAssembly.Instance, "inst", "nInst");
for (const k of ["instantiate", "compile", "instantiateStreaming", "compileStreaming"]) {
  const real = WebAssembly[k];
  if (real) WebAssembly[k] = function (...a) { acc.nAsync++; return real.apply(this, a); };
}
const t0 = performance.now();
const { ProxyShardClient } = require("proxykit");
const t1 = performance.now();
new ProxyShardClient(${CLIENT_OPTS});
const t2 = performance.now();
process.stdout.write(JSON.stringify({ ...acc, require: t1 - t0, client: t2 - t1 }));`;
  try {
    const res = await freshProcesses(glue, runs);
    const r0 = res[0];
    if (r0.nCompile === 0 || r0.nInst === 0) {
      notMeasured(area, "  breakdown: JS glue evaluation", `require("proxykit") did not call new WebAssembly.Module/Instance${r0.nAsync ? " (it compiles asynchronously)" : ""}`);
    } else {
      const rest = res.map((r) => r.require - r.read - r.compile - r.inst);
      row(
        area,
        `  breakdown: JS glue (require − read − compile − instantiate)`,
        `median ${ms(median(rest))} (require ${ms(median(res.map((r) => r.require)))} in all)`,
      );
    }
    row(area, "  breakdown: new ProxyShardClient after require", `median ${ms(median(res.map((r) => r.client)))}`);
  } catch (e) {
    notMeasured(area, "  breakdown: JS glue evaluation", errText(e));
  }
}

async function browserStartup(dist) {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    notMeasured("start-up", "Chromium: navigation to client ready", "playwright-core missing");
    return null;
  }
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
  const site = http.createServer((req, res) => {
    const p = join(dist, new URL(req.url, "http://x").pathname.replace(/^\/$/, "/index.html"));
    try {
      const body = readFileSync(p);
      res.writeHead(200, { "content-type": types[p.slice(p.lastIndexOf("."))] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  let browser = null;
  try {
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      timeout: 60_000,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    });
    const version = browser.version();
    const runs = CFG.chromiumRuns;
    const times = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${site.address().port}/`, { timeout: 20_000 });
      times.push(await page.waitForFunction(() => window.__ready, null, { timeout: 20_000 }).then((h) => h.jsonValue()));
      await context.close();
    }
    row("start-up", `Chromium ${version}: navigation to client ready (${runs} fresh contexts)`, `median ${ms(median(times))}, p95 ${ms(p95(times))}`);
    return version;
  } finally {
    await browser?.close().catch(() => {});
    site.close();
  }
}

// -------------------------------------------------------------------------- 3. first call
async function firstCall(url) {
  const runs = CFG.firstCallRuns;
  // Everything but the call itself happens before the timer: load, construct, define.
  const scripts = {
    hand: `const { makeHand, PATHS } = require("./clients.cjs");
const hand = makeHand(${JSON.stringify(url)});
(async () => {
  const t0 = performance.now();
  await hand(PATHS.getMe);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
})();`,
    proxykit: `const { ProxyShardClient } = require("proxykit");
const kit = new ProxyShardClient({ apiKey: "bench-key", baseUrl: ${JSON.stringify(url)} });
(async () => {
  const t0 = performance.now();
  await kit.getMe();
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
})();`,
  };
  const times = { hand: [], proxykit: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 ? ["proxykit", "hand"] : ["hand", "proxykit"]) {
      times[side].push(lastJson(await runNode(["-e", scripts[side]], { limitMs: 30_000 })).ms);
    }
  }
  const hand = median(times.hand);
  const kit = median(times.proxykit);
  row("first call", `getMe, first call of a fresh process: hand wrapper (${runs} processes)`, `median ${ms(hand)}, p95 ${ms(p95(times.hand))}`);
  row(
    "first call",
    `getMe, first call of a fresh process: proxykit (${runs} processes)`,
    `median ${ms(kit)} (hand ${kit >= hand ? "+" : "−"}${ms(Math.abs(kit - hand))}), p95 ${ms(p95(times.proxykit))}`,
    `≤ hand + ${BUDGET.firstCallExtraMs} ms`,
    pass(kit <= hand + BUDGET.firstCallExtraMs),
  );
}

// --------------------------------------------------------------------------- 4. per-call
const perCallTable = [];
async function perCall(url) {
  console.log(
    `\n  per-call: ${CFG.rounds} interleaved rounds × ${CFG.n} calls per side and case (after ${CFG.warmup} warm-up calls), order rotated per round; server in its own process\n`,
  );
  const r = await child("percall", { url, n: CFG.n, rounds: CFG.rounds, warmup: CFG.warmup }, 15 * 60_000);
  console.log("");
  const kitHeaders = Object.keys(r.sentByKit.headers).sort();
  const handHeaders = Object.keys(r.sentByHand.headers).sort();
  const auth = (h) => h.headers.authorization ?? "(none)";
  const sameAuth = auth(r.sentByKit) === auth(r.sentByHand);
  const sent = `proxykit sent ${r.sentByKit.method} ${r.sentByKit.url} with headers [${kitHeaders.join(", ")}]; the hand wrapper ${r.sentByHand.method} ${r.sentByHand.url} with [${handHeaders.join(", ")}]; Authorization ${sameAuth ? "identical" : "DIFFERENT"}`;
  for (const k of r.cases) {
    const m = { raw: median(k.perRound.raw), hand: median(k.perRound.hand), kit: median(k.perRound.proxykit) };
    const roundRatios = k.perRound.proxykit.map((v, i) => v / k.perRound.hand[i]);
    const line = {
      name: k.name,
      ...m,
      kitHand: m.kit / m.hand,
      kitRaw: m.kit / m.raw,
      handRaw: m.hand / m.raw,
      extra: m.kit - m.hand,
      spread: [Math.min(...roundRatios), Math.max(...roundRatios)],
    };
    perCallTable.push(line);
    row(
      "per-call",
      `${k.name} (µs per call, proxykit vs hand)`,
      `${us(m.kit)} vs ${us(m.hand)} = ${line.kitHand.toFixed(3)}× (${line.extra >= 0 ? "+" : "−"}${us(Math.abs(line.extra))})`,
      `≤ ${BUDGET.perCallRatio.toFixed(2)}× hand`,
      pass(line.kitHand <= BUDGET.perCallRatio),
    );
  }
  return { seconds: r.seconds, sent };
}

function perCallDetail() {
  const head = ["case", "raw fetch µs", "hand µs", "proxykit µs", "proxykit/hand", "proxykit/raw", "hand/raw", "proxykit − hand", "proxykit/hand per round", "budget", "verdict"];
  const body = perCallTable.map((l) => [
    l.name,
    l.raw.toFixed(0),
    l.hand.toFixed(0),
    l.kit.toFixed(0),
    `${l.kitHand.toFixed(3)}×`,
    `${l.kitRaw.toFixed(3)}×`,
    `${l.handRaw.toFixed(3)}×`,
    `${l.extra >= 0 ? "+" : "−"}${Math.abs(l.extra).toFixed(0)} µs`,
    `${l.spread[0].toFixed(3)}–${l.spread[1].toFixed(3)}×`,
    `≤ ${BUDGET.perCallRatio.toFixed(2)}×`,
    pass(l.kitHand <= BUDGET.perCallRatio),
  ]);
  return { head, body };
}

// ---------------------------------------------------------------------------- 5. local
async function localWork() {
  const r = await child("local", { quick }, 5 * 60_000);
  if (r.validatePerSecond) row("local", "ProxyShardRules.validatePurchaseOrder (no network)", `${Math.round(r.validatePerSecond).toLocaleString("en")} /s`);
  else notMeasured("local", "ProxyShardRules.validatePurchaseOrder", "not exported");
  row(
    "local",
    `100-order page, fake fetch: proxykit / hand / JSON.parse alone`,
    `${us(r.kitUs)} / ${us(r.handUs)} / ${us(r.parseUs)} (${(r.kitUs / r.handUs).toFixed(1)}× hand)`,
  );
}

// ---------------------------------------------------------------------------- 6. memory
async function memory(url) {
  const r = await child("memory", { url, total: CFG.memoryTotal, side: "proxykit" }, 10 * 60_000);
  const { after1k: a, afterAll: b } = r;
  const n1 = r.first.toLocaleString("en");
  const nAll = r.total.toLocaleString("en");
  const fmt = (s) => `${mb(s.rss)} / ${s.wasm === null ? "not measured" : kb(s.wasm)}`;
  row("memory", `after ${n1} getMe calls (fresh process): RSS / wasm memory`, fmt(a));
  const rssOk = b.rss <= a.rss * BUDGET.rssGrowth;
  if (a.wasm === null) {
    row("memory", `after ${nAll} calls: RSS / wasm memory (wasmMemoryBytes not exported)`, fmt(b), `RSS ≤ ${BUDGET.rssGrowth}×`, pass(rssOk));
  } else {
    row("memory", `after ${nAll} calls (${r.seconds.toFixed(0)} s): RSS / wasm memory`, `${fmt(b)} (RSS ${(b.rss / a.rss).toFixed(2)}×)`, `wasm ≤ 1k, RSS ≤ ${BUDGET.rssGrowth}×`, pass(b.wasm <= a.wasm && rssOk));
  }
  // Where RSS growth sits, if any: the JS heap, or memory outside it (buffers, the allocator).
  row("memory", `  JS heap used / external, after ${n1} → after ${nAll}`, `${mb(a.heapUsed)} / ${mb(a.external)} → ${mb(b.heapUsed)} / ${mb(b.external)}`);
  // The same calls through the hand wrapper: how much RSS Node's fetch itself adds.
  try {
    const h = await child("memory", { url, total: CFG.memoryTotal, side: "hand" }, 10 * 60_000);
    row("memory", `  baseline: hand wrapper, RSS after ${n1} → after ${nAll} (fresh process)`, `${mb(h.after1k.rss)} → ${mb(h.afterAll.rss)} (${(h.afterAll.rss / h.after1k.rss).toFixed(2)}×)`);
  } catch (e) {
    notMeasured("memory", "  baseline: hand wrapper RSS", errText(e));
  }
}

// ----------------------------------------------------------------------------- main
// Other builds/tests running at the same time skew timings on 2 cores. Matched on the program
// name, not on whole command lines (environments mention "cargo" in PATH).
function heavyIn(psOutput) {
  const heavy = [];
  for (const line of psOutput.split("\n")) {
    const m = line.trim().match(/^(\d+)\s+(\S+)(.*)$/);
    if (!m || Number(m[1]) === process.pid) continue;
    const prog = m[2].split("/").pop();
    if (["cargo", "rustc", "wasm-bindgen-test-runner", "chromedriver"].includes(prog) || (prog === "node" && /\s--test\b/.test(m[3]))) heavy.push(prog === "node" ? "node --test" : prog);
  }
  return [...new Set(heavy)];
}
function heavyProcesses() {
  try {
    return heavyIn(execFileSync("ps", ["-eo", "pid=,args="]).toString());
  } catch {
    return ["unknown (ps failed)"];
  }
}
// Sampled every 2 s during the run, per section, so the report says which figures were taken
// while something else was busy.
let currentSection = "setup";
const busy = new Map();
const noteBusy = (sec, names) => names.forEach((n) => (busy.get(sec) ?? busy.set(sec, new Set()).get(sec)).add(n));
const sampler = setInterval(() => {
  const during = currentSection;
  execFile("ps", ["-eo", "pid=,args="], (err, out) => {
    if (err) return;
    noteBusy(during, heavyIn(String(out)));
  });
}, 2000);
sampler.unref();
const busyText = () =>
  busy.size ? [...busy].map(([sec, names]) => `${[...names].join(", ")} during ${sec}`).join("; ") : "none";

const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const commit = (() => {
  try {
    const id = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "pkg-template", "Cargo.toml", "Cargo.lock"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return dirty ? `${id}+local changes` : id;
  } catch {
    return "unknown";
  }
})();
const load0 = loadavg()[0];
const heavy0 = heavyProcesses();
noteBusy("start", heavy0);
const started = performance.now();
console.log(
  `proxykit benchmark — ${when} UTC, commit ${commit}, ${cpus().length} cores, Node ${process.version}${quick ? " (quick)" : ""}; load ${load0.toFixed(2)}; other heavy processes: ${heavy0.length ? heavy0.join(", ") : "none"}\n`,
);

let chromiumVersion = null;
let server = null;
let perCallInfo = null;
const section = async (name, fn) => {
  if (!want(name)) return;
  currentSection = name;
  try {
    return await fn();
  } catch (e) {
    notMeasured(name, `${name} section`, errText(e));
  }
};
try {
  if (!pkgDir) throw new Error(pkgWhy);
  await section("size", sizes);
  const dist = await section("browser", async () => {
    try {
      return await bundled();
    } catch (e) {
      notMeasured("size", "Vite-built storefront pages", errText(e));
      return null;
    }
  });
  await section("startup", nodeStartup);
  await section("startup", startupBreakdown);
  if (dist) chromiumVersion = (await section("browser", () => browserStartup(dist))) ?? null;
  if (["firstcall", "percall", "memory"].some(want)) server = await startServer();
  await section("firstcall", () => firstCall(server.url));
  perCallInfo = await section("percall", () => perCall(server.url));
  await section("local", localWork);
  await section("memory", () => memory(server.url));
} finally {
  server?.stop();
  killAll();
}

clearInterval(sampler);
const load1 = loadavg()[0];
noteBusy("end", heavyProcesses());
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const method = [
  `Method: every timed part runs in a fresh Node process started by \`bench/bench.mjs\`; the HTTP peer is a minimal \`node:http\` server (\`bench/server.mjs\`) in its own process on 127.0.0.1, with keep-alive and precomputed reply bodies (a \`getMe\` reply and a 100-order \`listOrders\` page of 17 KB).`,
  `Per-call: three clients side by side in one process — raw \`fetch\` + \`JSON.parse(await r.text())\`; a careful hand-written wrapper (same \`Authorization: Bearer\` and \`Accept\` headers as proxykit, AbortController + 30 s setTimeout cleared afterwards, \`redirect: "manual"\`, a throw on \`!res.ok\`, \`JSON.parse(await res.text())\`, in \`bench/clients.cjs\`); and proxykit (\`new ProxyShardClient({ apiKey, baseUrl })\`, default options). ${CFG.warmup} warm-up calls per side and case, then ${CFG.rounds} interleaved rounds of ${CFG.n} calls per side and case, the order of the sides rotated each round and a GC before each run; figures are the median over rounds of µs per call (wall time ÷ calls; with 64 in flight that is the inverse of throughput). The budget is proxykit ≤ ${BUDGET.perCallRatio.toFixed(2)}× the hand wrapper in each case.`,
  `Start-up: time from the first line of a fresh process's code to a constructed client, ${CFG.coldRuns} processes; the breakdown loads the package's .wasm directly (read, \`new WebAssembly.Module\`, instantiation with stubbed imports) and times \`require("proxykit")\` with those steps timed from inside to get the glue's own share. First call: the first \`getMe\` of a fresh process, after the client exists, ${CFG.firstCallRuns} processes per side, alternating. Memory: a fresh process (\`--expose-gc\`, GC before each reading) making ${CFG.memoryTotal.toLocaleString("en")} proxykit getMe calls, 64 in flight, and another making the same calls through the hand wrapper as the RSS baseline.`,
];
for (const m of method) console.log(`\n${m}`);
if (perCallInfo) console.log(`\nPer-call section took ${perCallInfo.seconds.toFixed(0)} s. ${perCallInfo.sent}.`);
const detail = perCallTable.length ? perCallDetail() : null;
if (detail) {
  console.log("");
  const widths = detail.head.map((h, i) => Math.max(h.length, ...detail.body.map((b) => b[i].length)));
  for (const line of [detail.head, ...detail.body]) console.log(line.map((c, i) => c.padEnd(widths[i])).join("  "));
}
console.log(`\nLoad average (1 min) ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end; other builds/test runs seen (sampled every 2 s): ${busyText()}; ${minutes} min in all.`);

if (outFile) {
  const md = [
    "# proxykit benchmarks",
    "",
    `Written by \`make bench\` (\`scripts/bench.sh\` → \`bench/bench.mjs\`${quick ? " --quick: small counts, not for keeping" : ""}) on ${when} UTC at commit \`${commit}\`: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, Chromium ${chromiumVersion ?? "not measured"}. Load average (1 min) ${load0.toFixed(2)} at start and ${load1.toFixed(2)} at end; other builds or test runs seen (sampled every 2 s): ${busyText()}. The run took ${minutes} min. Budgets print PASS/FAIL here and are never unit tests.`,
    "",
    "| area | what | measured | budget | verdict |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.area} | ${r.what.trim()} | ${r.value} | ${r.budget} | ${r.verdict} |`),
    "",
    ...(detail
      ? [
          "Per-call detail (µs per call, median of rounds):",
          "",
          `| ${detail.head.join(" | ")} |`,
          `|${detail.head.map(() => "---").join("|")}|`,
          ...detail.body.map((b) => `| ${b.join(" | ")} |`),
          "",
        ]
      : []),
    ...method.flatMap((m) => [m, ""]),
    ...(perCallInfo ? [`The per-call section took ${perCallInfo.seconds.toFixed(0)} s. ${perCallInfo.sent}.`, ""] : []),
    readFileSync(join(here, "notes.md"), "utf8"),
  ];
  writeFileSync(outFile, md.join("\n"));
  console.log(`written to ${relative(process.cwd(), outFile) || outFile}`);
} else {
  console.log("(quick or partial run: BENCHMARKS.md not written)");
}
