// Shared by the packaging and runtime tests: free ports, running a program, and a Next.js
// app built and started on 127.0.0.1.
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A free TCP port on 127.0.0.1, released before the server under test (workerd, next
 * start, redis-server) takes it. */
export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Runs a program without blocking this process (an in-process sandbox keeps answering). */
export const run = (file, args, options = {}) =>
  new Promise((resolve) =>
    execFile(file, args, { cwd: here, encoding: "utf8", timeout: 120_000, ...options }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

/**
 * `next build` (with `flags`) then `next start` in `dir`; resolves once `probe` (a path)
 * answers, with `{ origin, reply, log, stop }`: `reply` is that first answer.
 */
export async function startNext(dir, { flags = [], env = {}, probe = "/" } = {}) {
  const next = join(here, "node_modules", ".bin", "next");
  const fullEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env };
  const built = await run(next, ["build", ...flags], { cwd: dir, env: fullEnv, timeout: 240_000 });
  if (built.status !== 0) throw new Error(`next build ${flags.join(" ")}: ${built.stdout}${built.stderr}`);
  const port = await freePort();
  const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  let reply = null;
  for (let i = 0; i < 150 && reply === null; i++) {
    reply = await fetch(`${origin}${probe}`).catch(() => null);
    if (reply === null) await new Promise((r) => setTimeout(r, 200));
  }
  if (reply === null) {
    server.kill("SIGKILL");
    throw new Error(`next start did not answer: ${log}`);
  }
  return { origin, reply, log: () => log, stop: () => server.kill("SIGKILL") };
}

/**
 * Every operation's generated row (`tests/fixtures/calls.json`, written by `cargo xtask gen`
 * from the spec and the overlay's `call`): `{ method, path, fields, params, reply }` by
 * operationId, for `provider` "proxy-solutions" or "proxyshard".
 */
export function operationCalls(provider) {
  const all = JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/calls.json", import.meta.url)), "utf8"));
  if (!all[provider]) throw new Error(`calls.json has no provider ${provider}`);
  return all[provider];
}

/** `[operationId, params]` for every operation of `provider`, from {@link operationCalls}. */
export const canonicalCalls = (provider) => Object.entries(operationCalls(provider)).map(([op, row]) => [op, row.params]);

/**
 * Every `wrong` row of `provider` (overlay `wrong`, via {@link operationCalls}):
 * `[operationId, params, field]` for each call proxykit must refuse before sending with
 * `invalid_input` naming `field`.
 */
export const wrongCalls = (provider) =>
  Object.entries(operationCalls(provider)).flatMap(([op, row]) => row.wrong.map(([params, field]) => [op, params, field]));
