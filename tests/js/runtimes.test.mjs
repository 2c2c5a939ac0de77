// The package in runtimes other than Node, from their npm packages (pinned devDependencies):
// Bun, importing and requiring the package by name; Deno, importing it by name from
// node_modules; and Cloudflare's workerd, running a Worker that imports proxykit/proxyshard
// by name (the package's `workerd` condition, bundled the way wrangler bundles), and one
// that loads the web entry with initSync and a wasm module import. Each
// makes real calls against the sandbox's HTTP server. Part of issue 14's packaging matrix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { startWorkerd, bundleWorker, workerdVersion } from "./workerd.mjs";
import { run } from "./harness.mjs";
import { join } from "node:path";
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


/** Serves the Worker in `dir` with workerd, asks it once with the sandbox's URL, and checks
 * the reply. */
async function expectWorkerdOk(dir, wasmFiles, what) {
  const w = await startWorkerd(dir, { wasmFiles });
  try {
    const reply = await fetch(`${w.origin}/?api=${encodeURIComponent(sandbox.url)}`);
    const text = await reply.text();
    assert.equal(reply.status, 200, `${text}\n${w.log()}`);
    assert.deepEqual(JSON.parse(text), { wallet: 10_000, denied: { code: "unauthorized", instance: true } });
    console.log(`[runtimes] workerd ${workerdVersion()}, ${what}: OK`);
  } finally {
    w.stop();
  }
}

const FETCH_HANDLER = `export default {
  async fetch(request) {
    const api = new URL(request.url).searchParams.get("api");
    const me = await new ProxyShardClient({ baseUrl: api, apiKey: "${SHARD_KEY}" }).getMe();
    const denied = await new ProxyShardClient({ baseUrl: api, apiKey: "wrong" }).getMe().catch((e) => e);
    return Response.json({ wallet: me.wallet_balance, denied: { code: denied.code, instance: denied instanceof ProxykitError } });
  },
};
`;

test("workerd (Cloudflare Workers runtime): import from \"proxykit/proxyshard\" as wrangler bundles it, no setting", { timeout: 120_000 }, async () => {
  const dir = join(here, ".bundler-runtime-workerd-condition");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "src.mjs"), `import { ProxyShardClient, ProxykitError } from "proxykit/proxyshard";\n${FETCH_HANDLER}`);
  const copied = await bundleWorker(dir);
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
