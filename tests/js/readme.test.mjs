// The READMEs as npm shows them (the installed packages' own README.md): no relative link or
// image (npm has no repository around them to resolve one), the repository fields agree with
// each other and with Cargo.toml, and every JavaScript example in proxykit's README compiles
// against the published typings (strict TypeScript, nodenext), so a renamed field or a
// missing property in an example fails here instead of in a user's editor. The example that
// needs no vendor (the in-process sandbox) is also run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = (name) => require.resolve(`${name}/package.json`).replace(/package\.json$/, "");
const readme = (name) => readFileSync(join(pkgDir(name), "README.md"), "utf8");
const manifest = (name) => JSON.parse(readFileSync(join(pkgDir(name), "package.json"), "utf8"));

const run = (file, args, options = {}) =>
  new Promise((resolve) =>
    execFile(file, args, { cwd: here, encoding: "utf8", timeout: 120_000, ...options }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

/** Every link and image target of a Markdown text (inline form), outside code blocks. */
function targets(markdown) {
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]);
}

/** The ```js blocks of a Markdown text. */
const jsBlocks = (markdown) => [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test("npm READMEs: every link is absolute or an anchor of the page", () => {
  for (const name of ["proxykit", "proxykit-sandbox"]) {
    const text = readme(name);
    const found = targets(text);
    assert.ok(found.length > 0, `${name}: no links found (the pattern broke?)`);
    const relative = found.filter((t) => !/^https:\/\//.test(t) && !t.startsWith("#"));
    assert.deepEqual(relative, [], `${name}: relative links npm cannot resolve`);
  }
  // proxykit's README is the one written for npm users, not the repository's.
  const text = readme("proxykit");
  assert.match(text, /^npm install proxykit$/m);
  assert.doesNotMatch(text, /make demo/);
  for (const heading of ["### Node", "### Browser, with a bundler", "### Cloudflare Workers", "## Errors", "## Retries", "## Hooks", "the sandbox"]) {
    assert.ok(text.includes(heading), `README section: ${heading}`);
  }
});

test("repository, homepage and bugs agree across both packages and Cargo.toml", () => {
  const cargo = readFileSync(join(here, "..", "..", "Cargo.toml"), "utf8").match(/^repository = "([^"]+)"$/m)?.[1];
  assert.ok(cargo, "Cargo.toml has a repository");
  for (const name of ["proxykit", "proxykit-sandbox"]) {
    const m = manifest(name);
    assert.equal(m.repository.url, `git+${cargo}.git`, name);
    assert.equal(m.bugs.url, `${cargo}/issues`, name);
    assert.ok(m.homepage.startsWith(cargo), name);
  }
  assert.equal(manifest("proxykit-sandbox").repository.directory, "sandbox");
  // The links the READMEs print point at the same repository.
  for (const t of targets(readme("proxykit")).filter((t) => t.includes("github.com"))) assert.ok(t.startsWith(cargo), t);
});

test("every JavaScript example in proxykit's README compiles against the typings", { timeout: 120_000 }, async () => {
  const blocks = jsBlocks(readme("proxykit"));
  assert.ok(blocks.length >= 7, `${blocks.length} examples`);
  const dir = join(here, ".readme-examples");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, i) => {
    const file = `example-${i + 1}.ts`;
    // Node's own modules and `process` from @types/node (pinned); the rest from the imports.
    writeFileSync(join(dir, file), `${code}\nexport {};\n`);
    return file;
  });
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        // The examples are JavaScript: untyped parameters (a Worker's `env`) are fine there.
        noImplicitAny: false,
        noEmit: true,
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["es2022", "dom"],
        types: ["node"],
      },
      files,
    }),
  );
  try {
    const r = await run(join(here, "node_modules", ".bin", "tsc"), ["-p", join(dir, "tsconfig.json")]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    console.log(`[readme] ${blocks.length} README examples compile (strict, nodenext)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's sandbox example runs as written", { timeout: 60_000 }, async () => {
  const block = jsBlocks(readme("proxykit")).find((b) => b.includes('from "proxykit-sandbox"'));
  assert.ok(block, "the sandbox example");
  const file = join(here, ".readme-sandbox-example.mjs");
  writeFileSync(file, block);
  try {
    const r = await run(process.execPath, [file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "10000", "the sandbox's ProxyShard wallet, in cents");
  } finally {
    rmSync(file, { force: true });
  }
});
