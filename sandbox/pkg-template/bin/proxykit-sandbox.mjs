#!/usr/bin/env node
// proxykit-sandbox: serve the emulated Proxy-Solutions and ProxyShard APIs on 127.0.0.1.
import { readFileSync } from "node:fs";
import { MAX_TTL_SECONDS, startSandboxServer } from "../node.mjs";

const USAGE = `usage: proxykit-sandbox [options]

  --port N             port to listen on, 0..65535 (default 8787; 0 picks a free one)
  --host H             address to bind (default 127.0.0.1)
  --seed N             fixes every id, IP and password, 0..2^53-1 (default 1)
  --config FILE        sandbox options as JSON (accounts, faults, start time …)
  --fault-rate R       share of API requests that get a fault, 0..1 (default 0)
  --max-requests N     stop after N requests (the N-th reply is still sent in full)
  --ttl-seconds S      stop after S seconds (above 0, at most ${MAX_TTL_SECONDS}, about 24.8 days)
  --allow-host NAME    also answer requests whose Host is NAME or NAME:PORT (repeatable;
                       "*" for any). By default only loopback names are answered:
                       127.x.x.x, localhost, *.localhost, [::1] (and the --host value)
  --cors-origin ORIGIN also allow pages from ORIGIN, e.g. https://app.example:3000
                       (repeatable; "*" for any). By default only loopback origins
                       (http(s)://127.x.x.x, localhost, *.localhost, [::1]) get CORS;
                       requests from other origins are refused
  --quiet              do not print one line per request
  --help`;

const args = process.argv.slice(2);
const opts = {};
let quiet = false;

function fail(msg) {
  console.error(`proxykit-sandbox: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) fail(`${a} needs a value`);
    return args[++i];
  };
  /** A whole number written in decimal digits, within [min, max]. */
  const int = (v, min, max, what) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(Number.isSafeInteger(n) && n >= min && n <= max)) fail(`${a}: expected ${what}, got ${JSON.stringify(v)}`);
    return n;
  };
  /** A decimal number (digits, optional fraction), within (or at) the bounds. */
  const dec = (v, ok, what) => {
    const n = /^(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : NaN;
    if (!ok(n)) fail(`${a}: expected ${what}, got ${JSON.stringify(v)}`);
    return n;
  };
  switch (a) {
    case "--port": opts.port = int(next(), 0, 65535, "an integer from 0 to 65535"); break;
    case "--host": opts.host = next(); break;
    case "--seed": opts.seed = int(next(), 0, Number.MAX_SAFE_INTEGER, `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`); break;
    case "--config": {
      const file = next();
      try {
        Object.assign(opts, JSON.parse(readFileSync(file, "utf8")));
      } catch (e) {
        fail(`--config ${file}: ${e.message}`);
      }
      break;
    }
    case "--fault-rate": opts.faults = { ...opts.faults, rate: dec(next(), (n) => n >= 0 && n <= 1, "a number from 0 to 1") }; break;
    case "--max-requests": opts.maxRequests = int(next(), 1, Number.MAX_SAFE_INTEGER, "a positive whole number"); break;
    case "--ttl-seconds":
      opts.ttlSeconds = dec(next(), (n) => n > 0 && n <= MAX_TTL_SECONDS, `seconds above 0 and at most ${MAX_TTL_SECONDS} (about 24.8 days, the longest a Node timer waits)`);
      break;
    case "--allow-host": (opts.allowedHosts ??= []).push(next()); break;
    case "--cors-origin": {
      const o = next();
      if (opts.corsOrigins !== "*") opts.corsOrigins = o === "*" ? "*" : [...(opts.corsOrigins ?? []), o];
      break;
    }
    case "--quiet": quiet = true; break;
    case "--help": case "-h": console.log(USAGE); process.exit(0);
    default: fail(`unknown option ${a}`);
  }
}

let server;
try {
  server = await startSandboxServer({ ...opts, log: quiet ? () => {} : (line) => console.log(line) });
} catch (e) {
  fail(e.message.replace(/^proxykit-sandbox: /, ""));
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
