// Running a Worker in workerd (from its npm package) for the runtime rows: bundling it the
// way wrangler does, and serving it on 127.0.0.1 until the caller is done.
import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./harness.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

export const workerdVersion = () => JSON.parse(readFileSync(join(here, "node_modules", "workerd", "package.json"), "utf8")).version;

// How wrangler bundles a Worker: esbuild with the conditions workerd, worker, browser, and
// each imported .wasm left as a module of the Worker (its default CompiledWasm rule), which
// workerd hands to the importer as a compiled WebAssembly.Module. This plugin does that part.
export const wasmAsWorkerModule = (outDir, copied) => ({
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

/** Bundles `dir/src.mjs` into `dir/worker.mjs` as wrangler would; returns the .wasm modules. */
export async function bundleWorker(dir) {
  const esbuild = await import("esbuild");
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
  return copied;
}

/**
 * Serves `dir/worker.mjs` (and `wasmFiles` as wasm modules, `bindings` as text bindings) with
 * workerd; resolves once it answers. `stop()` kills it; `log()` is what it printed.
 */
export async function startWorkerd(dir, { wasmFiles = [], bindings = {} } = {}) {
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
  bindings = [
${Object.entries(bindings).map(([k, v]) => `    (name = "${k}", text = ${JSON.stringify(v)}),`).join("\n")}
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
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${origin}/__up`).then((r) => (r.arrayBuffer(), true), () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, log: () => log, stop: () => workerd.kill("SIGKILL") };
}
