#!/usr/bin/env node
// proxykit-sandbox: serve the emulated Proxy-Solutions and ProxyShard APIs on 127.0.0.1.
import { readFileSync } from "node:fs";
import { startSandboxServer } from "../node.mjs";

const USAGE = `usage: proxykit-sandbox [options]

  --port N            port to listen on (default 8787; 0 picks a free one)
  --host H            address to bind (default 127.0.0.1)
  --seed N            fixes every id, IP and password (default 1)
  --config FILE       sandbox options as JSON (accounts, faults, start time …)
  --fault-rate R      share of API requests that get a fault, 0..1 (default 0)
  --max-requests N    stop after N requests
  --ttl-seconds N     stop after N seconds
  --quiet             do not print one line per request
  --help`;

const args = process.argv.slice(2);
const opts = {};
let quiet = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) fail(`${a} needs a value`);
    return args[++i];
  };
  const num = (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) fail(`${a}: expected a non-negative number, got ${v}`);
    return n;
  };
  switch (a) {
    case "--port": opts.port = num(next()); break;
    case "--host": opts.host = next(); break;
    case "--seed": opts.seed = num(next()); break;
    case "--config": Object.assign(opts, JSON.parse(readFileSync(next(), "utf8"))); break;
    case "--fault-rate": opts.faults = { ...opts.faults, rate: num(next()) }; break;
    case "--max-requests": opts.maxRequests = num(next()); break;
    case "--ttl-seconds": opts.ttlSeconds = num(next()); break;
    case "--quiet": quiet = true; break;
    case "--help": case "-h": console.log(USAGE); process.exit(0);
    default: fail(`unknown option ${a}`);
  }
}

function fail(msg) {
  console.error(`proxykit-sandbox: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

let server;
try {
  server = await startSandboxServer({ ...opts, log: quiet ? () => {} : (line) => console.log(line) });
} catch (e) {
  fail(e.message);
}
const info = server.sandbox.info(server.url);
console.log(`proxykit sandbox listening on ${server.url}`);
console.log(`  Proxy-Solutions: baseUrl ${info.proxySolutions.baseUrl}  apiKey ${info.proxySolutions.apiKeys.join(", ")}`);
console.log(`  ProxyShard:      baseUrl ${info.proxyShard.baseUrl}  apiKey ${info.proxyShard.apiKeys.join(", ")}`);
console.log(`  control:         ${server.url}/__sandbox/{info,log,clock,advance,faults,reset,pay/<id>}`);
const stop = () => server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
await server.closed;
