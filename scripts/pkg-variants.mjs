// Writes the package's per-runtime variants from wasm-bindgen's glue in pkg/ (called by
// scripts/build-pkg.sh once the glue is final). For each wasm module <name>:
//
// - <entry>.mjs: the ESM entry for Node. It re-exports the CommonJS build, so `import` and
//   `require` share one wasm instance in a process (no dual-package hazard, one set of classes
//   for `instanceof`). Written from the glue's own export list, so a new export needs no
//   hand-kept copy.
// - node/<name>.bundled.cjs: the Node CommonJS glue with the .wasm embedded (base64, in
//   node/<name>_bg.wasm.base64.cjs) instead of read from `${__dirname}/../bundler/…`, and
//   node/<name>.bundled.mjs, its ES module face. Server bundlers (esbuild, webpack, Rollup,
//   Next.js) pick that through the `module` and `webpack` conditions under `node`, so a
//   bundle needs neither `__dirname` nor a file beside it.
//   Plain Node, Deno and Bun never match those conditions and keep reading the file.
// - workerd/<name>.js: the entry for Cloudflare Workers (the `workerd` condition). Workers
//   import a `.wasm` as a compiled `WebAssembly.Module` (wrangler's default CompiledWasm
//   rule), which the web glue instantiates synchronously at load: the clients work on import,
//   as in Node, with no `init()` call.
// - edge/<name>.js: the entry for Vercel's Edge runtime (the `edge-light` condition; Next.js
//   `runtime = "edge"`), which imports the .wasm with `?module`.
// - browser/<name>.js: the entry for browser bundlers (the `browser` condition): the web glue
//   loaded at import with top-level await, so the clients work at once, as in Node. Its
//   .wasm is found through the glue's `new URL(…, import.meta.url)`, which Vite and webpack
//   follow; esbuild does not, and the load error says what to do instead.
// - <entry>.d.mts beside each Node ESM entry (<entry>.mjs): the same declarations as the
//   CommonJS `.d.ts`, as ES module types, so TypeScript under `nodenext` sees each
//   condition's real module format (no "masquerading as CJS").
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const [, , ...pairs] = process.argv; // entry:name, e.g. node:proxykit proxyshard:proxykit_proxyshard

/** An ES module that re-exports a CommonJS module's `names` (and the module as default). */
function esmFace(file, cjs, names, what) {
  writeFileSync(
    file,
    `// ${what}. Written by scripts/pkg-variants.mjs.\nimport cjs from "${cjs}";\n\n` +
      `export const { ${names.join(", ")} } = cjs;\nexport default cjs;\n`,
  );
}

function replaceOnce(text, from, to, file) {
  if (!text.includes(from)) {
    console.error(`pkg-variants: '${from}' not found in ${file} (wasm-bindgen's output changed shape)`);
    process.exit(1);
  }
  return text.replace(from, to);
}

for (const dir of ["workerd", "browser", "edge"]) {
  mkdirSync(`pkg/${dir}`, { recursive: true });
  writeFileSync(`pkg/${dir}/package.json`, '{ "type": "module" }\n');
}

for (const pair of pairs) {
  const [entry, name] = pair.split(":");

  // Node, embedded: the one change is where the bytes come from.
  const glueFile = `pkg/node/${name}.js`;
  let glue = readFileSync(glueFile, "utf8");
  glue = replaceOnce(
    glue,
    `const wasmPath = \`\${__dirname}/../bundler/${name}_bg.wasm\`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);`,
    // No require of a Node built-in (zlib, fs): an ESM bundle made by esbuild cannot
    // require() one ("Dynamic require of \"zlib\" is not supported"), so the bytes are plain
    // base64, decoded by the Buffer global (or atob where there is none).
    `const wasmBase64 = require("./${name}_bg.wasm.base64.cjs");\n` +
      `const wasmBytes = typeof Buffer === "function" ? Buffer.from(wasmBase64, "base64") : Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));`,
    glueFile,
  );
  // Bundlers follow string literals only; wasm-bindgen writes the snippet path as String.raw.
  glue = glue.replace(/require\(String\.raw`([^`$\\]*)`\)/g, (_, path) => `require(${JSON.stringify(path)})`);
  if (/String\.raw|__dirname|readFileSync/.test(glue)) {
    console.error(`pkg-variants: ${glueFile} still reads a file or a non-literal path after embedding`);
    process.exit(1);
  }
  writeFileSync(
    `pkg/node/${name}.bundled.cjs`,
    `// Written by scripts/pkg-variants.mjs: ${name}.js with its .wasm embedded, for server bundles.\n${glue}`,
  );
  // ES module faces of the two CommonJS builds: the Node ESM entry, and the embedded build
  // for the `module` condition (which promises ES module syntax; publint checks it).
  const names = Object.keys(createRequire(import.meta.url)(`${process.cwd()}/pkg/node/${name}.js`)).sort();
  const mjs = entry === "node" ? "node" : entry;
  esmFace(`pkg/${mjs}.mjs`, `./node/${name}.js`, names, "ESM entry for Node: the CommonJS build re-exported, so import and require share one wasm instance");
  esmFace(`pkg/node/${name}.bundled.mjs`, `./${name}.bundled.cjs`, names, `ES module face of ${name}.bundled.cjs (the .wasm embedded), for server bundlers`);
  const wasm = readFileSync(`pkg/bundler/${name}_bg.wasm`);
  writeFileSync(
    `pkg/node/${name}_bg.wasm.base64.cjs`,
    `// ${name}_bg.wasm (${wasm.length} bytes), base64: written by scripts/pkg-variants.mjs.\n` +
      `module.exports = "${wasm.toString("base64")}";\n`,
  );

  // Workers: the compiled module comes in as an import.
  writeFileSync(
    `pkg/workerd/${name}.js`,
    `// Cloudflare Workers entry, written by scripts/pkg-variants.mjs: Workers import a .wasm as a\n` +
      `// compiled WebAssembly.Module, instantiated here synchronously, so the clients work on import.\n` +
      `import wasmModule from "../bundler/${name}_bg.wasm";\n` +
      `import { initSync } from "../web/${name}.js";\n\n` +
      `initSync({ module: wasmModule });\n\n` +
      `export * from "../web/${name}.js";\n`,
  );

  // Vercel's Edge runtime (Next.js `runtime = "edge"`, the `edge-light` condition) imports a
  // .wasm as a compiled module with the `?module` suffix. Its module comes from another realm
  // than the glue's globals, so wasm-bindgen's `instanceof WebAssembly.Module` check fails and
  // it would try to compile the module object as bytes: the prototype is set to this realm's
  // (the engine checks the internal slot, not the prototype, when instantiating).
  writeFileSync(
    `pkg/edge/${name}.js`,
    `// Edge runtime entry (Vercel, Next.js runtime = "edge"), written by scripts/pkg-variants.mjs.\n` +
      `import wasmModule from "../bundler/${name}_bg.wasm?module";\n` +
      `import { initSync } from "../web/${name}.js";\n\n` +
      `const compiled = wasmModule instanceof WebAssembly.Module ? wasmModule : Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype);\n` +
      `initSync({ module: compiled });\n\n` +
      `export * from "../web/${name}.js";\n`,
  );

  // Browsers through a bundler: the web glue, loaded at import (top-level await), its .wasm
  // found through `new URL(…, import.meta.url)` in the glue, which Vite, webpack 5 and
  // Parcel follow and emit without a setting.
  writeFileSync(
    `pkg/browser/${name}.js`,
    `// Browser entry for bundlers, written by scripts/pkg-variants.mjs: the web glue with its\n` +
      `// .wasm loaded at import, so the clients work at once, as in Node.\n` +
      `import init from "../web/${name}.js";\n\n` +
      `try {\n  await init();\n} catch (e) {\n` +
      `  // A bundler that does not follow new URL(…, import.meta.url) (esbuild) builds, then 404s here.\n` +
      `  throw new Error(\n` +
      `    "proxykit: ${name}_bg.wasm did not load (" + String((e && e.message) || e) + "). If your bundler did not emit it " +\n` +
      `      '(esbuild does not follow new URL(…, import.meta.url)), import from "proxykit/web/…" and pass the .wasm URL to init(): see the README.',\n` +
      `    { cause: e },\n  );\n}\n\n` +
      `export * from "../web/${name}.js";\n`,
  );

  // ES module types for the Node ESM entry.
  const dts = readFileSync(`pkg/node/${name}.d.ts`, "utf8");
  writeFileSync(
    `pkg/${mjs}.d.mts`,
    `// Types of ${mjs}.mjs (ES module), written by scripts/pkg-variants.mjs: the declarations of\n` +
      `// node/${name}.d.ts, which types the CommonJS build.\n${dts.replace(/^\/\* tslint:disable \*\/\n/, "")}`,
  );
}
