// proxykit/server in every server runtime (issue 16): Bun, Deno, Cloudflare's workerd and a
// Next.js route handler each run createProxykitHandler from the installed package and answer
// a real request through it to the sandbox's HTTP server: the catalogue is served (with the
// key added by the handler), an account call is refused. Node is server.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandboxServer } from "proxykit-sandbox";
import { run, startNext } from "./harness.mjs";
import { bundleWorker, startWorkerd, workerdVersion } from "./workerd.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const SHARD_KEY = "sandbox-shard-key";
const EXPECTED = { products: true, refused: 404, code: "not_exposed" };

let sandbox;
before(async () => {
  sandbox = await startSandboxServer({ port: 0, maxRequests: 200, ttlSeconds: 600 });
});
after(async () => {
  await sandbox?.close();
  for (const d of ["bun", "deno", "workerd", "next"]) rmSync(join(here, `.server-runtime-${d}`), { recursive: true, force: true });
});

/** Two requests through a handler; prints what came back. `api` is the sandbox's URL. */
const SCRIPT = (api) => `import { createProxykitHandler } from "proxykit/server";
const handler = createProxykitHandler({ proxyShard: { apiKey: "${SHARD_KEY}", baseUrl: ${api} } });
const served = await handler(new Request("http://shop.test/proxykit/proxyshard/user/api/proxies/products"));
const refused = await handler(new Request("http://shop.test/proxykit/proxyshard/user/api/me"));
const products = (await served.json()).products;
console.log(JSON.stringify({ products: Array.isArray(products) && products.length > 0, refused: refused.status, code: (await refused.json()).code }));
`;

function dir(name) {
  const d = join(here, `.server-runtime-${name}`);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

test("Bun: the handler serves the catalogue through to the sandbox and refuses the rest", { timeout: 120_000 }, async () => {
  const d = dir("bun");
  writeFileSync(join(d, "main.mjs"), SCRIPT("process.argv[2]"));
  const bun = join(here, "node_modules", ".bin", "bun");
  const r = await run(bun, [join(d, "main.mjs"), sandbox.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), EXPECTED);
  console.log(`[server-runtimes] Bun ${(await run(bun, ["--version"])).stdout.trim()}: OK`);
});

test("Deno: the handler serves the catalogue through to the sandbox and refuses the rest", { timeout: 120_000 }, async () => {
  const d = dir("deno");
  writeFileSync(join(d, "main.mjs"), `import process from "node:process";\n${SCRIPT("process.argv[2]")}`);
  const deno = join(here, "node_modules", ".bin", "deno");
  const r = await run(deno, ["run", "--allow-read", "--allow-net", "--allow-env", join(d, "main.mjs"), sandbox.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), EXPECTED);
  console.log(`[server-runtimes] ${(await run(deno, ["--version"])).stdout.split("\n")[0]}: OK`);
});

test("workerd: a Worker whose fetch is the handler, bundled as wrangler does", { timeout: 120_000 }, async () => {
  const d = dir("workerd");
  writeFileSync(
    join(d, "src.mjs"),
    `import { createProxykitHandler } from "proxykit/server";
let handler;
export default {
  fetch(request, env) {
    handler ??= createProxykitHandler({
      proxyShard: { apiKey: env.SHARD_KEY, baseUrl: env.API },
      clientIp: (r) => r.headers.get("cf-connecting-ip") ?? undefined,
    });
    return handler(request);
  },
};
`,
  );
  const wasmFiles = await bundleWorker(d);
  const w = await startWorkerd(d, { wasmFiles, bindings: { SHARD_KEY, API: sandbox.url } });
  try {
    const served = await fetch(`${w.origin}/proxykit/proxyshard/user/api/proxies/products`);
    const text = await served.text();
    assert.equal(served.status, 200, `${text}\n${w.log()}`);
    assert.ok(JSON.parse(text).products.length > 0);
    const refused = await fetch(`${w.origin}/proxykit/proxyshard/user/api/me`);
    assert.equal(refused.status, 404);
    assert.equal((await refused.json()).code, "not_exposed");
    assert.ok(!text.includes(SHARD_KEY));
    console.log(`[server-runtimes] workerd ${workerdVersion()}: OK`);
  } finally {
    w.stop();
  }
});

test("Next.js: a catch-all route handler is the handler, Node and Edge runtimes (next build, next start)", { timeout: 300_000 }, async () => {
  const { version } = JSON.parse(readFileSync(join(here, "node_modules", "next", "package.json"), "utf8"));
  for (const runtime of ["nodejs", "edge"]) {
    const d = dir("next");
    mkdirSync(join(d, "app", "proxykit", "[...path]"), { recursive: true });
    writeFileSync(join(d, "package.json"), '{ "name": "next-server-row", "private": true }\n');
    writeFileSync(join(d, "app", "layout.js"), "export default function RootLayout({ children }) { return <html><body>{children}</body></html>; }\n");
    writeFileSync(
      join(d, "app", "proxykit", "[...path]", "route.js"),
      `import { createProxykitHandler } from "proxykit/server";
export const dynamic = "force-dynamic";
export const runtime = "${runtime}";
let handler;
const handle = (request) => {
  handler ??= createProxykitHandler({
    proxyShard: { apiKey: process.env.SHARD_KEY, baseUrl: process.env.SANDBOX_URL },
    // The Edge runtime puts the catch-all's segments in the query as \`path\`.
    ignoreQuery: ["path"],
  });
  return handler(request);
};
export { handle as GET, handle as POST };
`,
    );
    const app = await startNext(d, { env: { SHARD_KEY, SANDBOX_URL: sandbox.url }, probe: "/proxykit/proxyshard/user/api/proxies/products" });
    try {
      const text = await app.reply.text();
      assert.equal(app.reply.status, 200, `${text}\n${app.log()}`);
      assert.ok(JSON.parse(text).products.length > 0);
      const refused = await fetch(`${app.origin}/proxykit/proxyshard/user/api/me`);
      assert.equal(refused.status, 404);
      assert.equal((await refused.json()).code, "not_exposed");
      console.log(`[server-runtimes] Next.js ${version} route handler, ${runtime} runtime (Turbopack build): OK`);
    } finally {
      app.stop();
    }
  }
});
