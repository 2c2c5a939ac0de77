// Starts Prism (the OpenAPI mock / validating proxy from @stoplight/prism-cli) on a free
// local port for the contract and sandbox-faithfulness tests; `--errors` makes it answer a
// request or reply that breaks the contract with an error instead of a warning.
import { spawn } from "node:child_process";
import { freePort } from "./harness.mjs";
import { fileURLToPath } from "node:url";

const PRISM = fileURLToPath(new URL("./node_modules/.bin/prism", import.meta.url));

/** `prism mock SPEC` (no upstream) or `prism proxy SPEC UPSTREAM`; resolves once listening. */
export async function startPrism(spec, upstream) {
  const port = await freePort();
  const mode = upstream === undefined ? ["mock", spec] : ["proxy", spec, upstream];
  const child = spawn(PRISM, [...mode, "--errors", "--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/Prism is listening/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`prism did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}
