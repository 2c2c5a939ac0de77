// The package in runtimes other than Node, from their npm packages (pinned devDependencies):
// Bun, importing and requiring the package by name; Deno, importing it by name from
// node_modules; and Cloudflare's workerd, running a Worker that imports proxykit/proxyshard
// by name (the package's `workerd` condition, bundled the way wrangler bundles), and one
// that loads the web entry with initSync and a wasm module import. Each
// makes real calls against the sandbox's HTTP server. Part of issue 14's packaging matrix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync, readFileSync, copyFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandboxServer } from "proxykit-sandbox";

const here = fileURLToPath(new URL(".", import.meta.url));
const SHARD_KEY = "sandbox-shard-key";

let sandbox;
before(async () => {
  sandbox = await startSandboxServer({ port: 0, maxRequests: 100, ttlSeconds: 120 });
});
after(async () => {
  await sandbox?.close();
  for (const d of ["bun", "deno", "workerd", "workerd-condition"]) rmSync(join(here, `.bundler-runtime-${d}`), { recursive: true, force: true });
});

/** Runs a program asynchronously (the sandbox answers from this process meanwhile). */
const run = (file, args, options = {}) =>
  new Promise((resolve) =>
    execFile(file, args, { cwd: here, encoding: "utf8", timeout: 60_000, ...options }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

const CALLS = `
  const api = process.argv[2];
  const me = await new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}" }).getMe();
  const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong" }).getMe().catch((e) => e);
  console.log(JSON.stringify({ wallet: me.wallet_balance, denied: { code: denied.code, instance: denied instanceof ProxykitError } }));
`;

test("Bun: import and require of proxykit/proxyshard, and the root entry, make real calls", { timeout: 120_000 }, async () => {
  const bun = join(here, "node_modules", ".bin", "bun");
  const dir = join(here, ".bundler-runtime-bun");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "esm.mjs"), `import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";\n${CALLS}`);
  writeFileSync(join(dir, "cjs.cjs"), `const { ProxyShardClient, ProxykitError } = require("proxykit/proxyshard");\n(async () => {${CALLS}})();`);
  writeFileSync(join(dir, "root.mjs"), `import { ProxyShardClient, ProxykitError } from "proxykit";\n${CALLS}`);
  const version = (await run(bun, ["--version"])).stdout.trim();
  for (const file of ["esm.mjs", "cjs.cjs", "root.mjs"]) {
    const r = await run(bun, [join(dir, file), sandbox.url]);
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), { wallet: 10_000, denied: { code: "unauthorized", instance: true } }, file);
    console.log(`[runtimes] Bun ${version} ${file}: OK`);
  }
});

test("Deno: import of proxykit/proxyshard by name (from node_modules) makes real calls", { timeout: 120_000 }, async () => {
  const deno = join(here, "node_modules", ".bin", "deno");
  const dir = join(here, ".bundler-runtime-deno");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.mjs"), `import process from "node:process";\nimport { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";\n${CALLS}`);
  const version = (await run(deno, ["--version"])).stdout.split("\n")[0];
  // The permissions the Node build needs: read its .wasm, reach the API.
  const r = await run(deno, ["run", "--allow-read", "--allow-net", "--allow-env", join(dir, "main.mjs"), sandbox.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { wallet: 10_000, denied: { code: "unauthorized", instance: true } });
  console.log(`[runtimes] ${version}: OK`);
});

/** A free TCP port on 127.0.0.1 (released before workerd takes it). */
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Serves `worker.mjs` (plus `wasmFiles`, declared as wasm modules) from `dir` with workerd,
 * asks it once with the sandbox's URL, and checks the reply. */
async function expectWorkerdOk(dir, wasmFiles, what) {
  const port = await freePort();
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
${wasmFiles.map((f) => `    (name = "${f}", wasm = embed "${f}"),`).join("\n")}
  ],
  compatibilityDate = "2024-09-23",
  globalOutbound = "loopback",
);
`,
  );
  const workerd = spawn(join(here, "node_modules", ".bin", "workerd"), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  workerd.stdout.on("data", (d) => (log += d));
  workerd.stderr.on("data", (d) => (log += d));
  try {
    let reply = null;
    for (let i = 0; i < 100 && reply === null; i++) {
      reply = await fetch(`http://127.0.0.1:${port}/?api=${encodeURIComponent(sandbox.url)}`).catch(() => null);
      if (reply === null) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(reply, `workerd did not answer: ${log}`);
    const text = await reply.text();
    assert.equal(reply.status, 200, `${text}\n${log}`);
    assert.deepEqual(JSON.parse(text), { wallet: 10_000, denied: { code: "unauthorized", instance: true } });
    console.log(`[runtimes] workerd ${workerdVersion()}, ${what}: OK`);
  } finally {
    workerd.kill("SIGKILL");
  }
}

const workerdVersion = () => JSON.parse(readFileSync(join(here, "node_modules", "workerd", "package.json"), "utf8")).version;

const FETCH_HANDLER = `export default {
  async fetch(request) {
    const api = new URL(request.url).searchParams.get("api");
    const me = await new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}" }).getMe();
    const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong" }).getMe().catch((e) => e);
    return Response.json({ wallet: me.wallet_balance, denied: { code: denied.code, instance: denied instanceof ProxykitError } });
  },
};
`;

// How wrangler bundles a Worker: esbuild with the conditions workerd, worker, browser, and
// each imported .wasm left as a module of the Worker (its default CompiledWasm rule), which
// workerd hands to the importer as a compiled WebAssembly.Module. This plugin does that part.
const wasmAsWorkerModule = (outDir, copied) => ({
  name: "wasm-as-worker-module",
  setup(build) {
    build.onResolve({ filter: /\.wasm$/ }, async (args) => {
      if (args.pluginData === "inner") return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "inner" });
      const name = basename(found.path);
      copyFileSync(found.path, join(outDir, name));
      copied.push(name);
      return { path: `./${name}`, external: true };
    });
  },
});

test("workerd (Cloudflare Workers runtime): import from \"proxykit/proxyshard\" as wrangler bundles it, no setting", { timeout: 120_000 }, async () => {
  const esbuild = await import("esbuild");
  const dir = join(here, ".bundler-runtime-workerd-condition");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "src.mjs"), `import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";\n${FETCH_HANDLER}`);
  const copied = [];
  await esbuild.build({
    entryPoints: [join(dir, "src.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    outfile: join(dir, "worker.mjs"),
    plugins: [wasmAsWorkerModule(dir, copied)],
    logLevel: "silent",
  });
  assert.deepEqual(copied, ["proxykit_proxyshard_bg.wasm"], "the workerd condition's entry imports its .wasm");
  await expectWorkerdOk(dir, copied, "import by name through the workerd condition");
});

test("workerd: the web entry with initSync and a wasm module import (the explicit path) makes real calls", { timeout: 120_000 }, async () => {
  const esbuild = await import("esbuild");
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const dir = join(here, ".bundler-runtime-workerd");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "src.mjs"),
    `import { initSync, ProxyShardClient, ProxykitError } from "proxykit/web/proxyshard";
import wasmModule from "./proxykit_proxyshard_bg.wasm";
initSync(wasmModule);
${FETCH_HANDLER}`,
  );
  copyFileSync(require.resolve("proxykit/proxykit_proxyshard_bg.wasm"), join(dir, "proxykit_proxyshard_bg.wasm"));
  await esbuild.build({
    entryPoints: [join(dir, "src.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: join(dir, "worker.mjs"),
    external: ["./proxykit_proxyshard_bg.wasm"],
    logLevel: "silent",
  });
  await expectWorkerdOk(dir, ["proxykit_proxyshard_bg.wasm"], "web entry + initSync");
});
