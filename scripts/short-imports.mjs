// Gives the imports of a wasm module short names, in the .wasm and in each of its glue files
// (called by scripts/build-pkg.sh after wasm-bindgen, before the per-runtime variants).
//
// Why: wasm-bindgen names each import `__wbg_<what>_<16 hex digits>` (the digits keep names
// of different crates apart). Each name is written twice, in the .wasm's import section and
// as a key of the glue's import object (or an exported function of the bundler glue), and
// minifiers keep property names, so every storefront downloaded ~50 random 16-digit hashes
// twice: about 1 KB of gzip that carries no information. The new names are `__wbg_` plus a
// base-36 number, given in import order; they stay unique within the module, which is all
// the names need to be.
//
// Usage: node scripts/short-imports.mjs <file.wasm> <glue.js>...
// Every import of the module "./<name>_bg.js" must occur exactly once, as a whole word, in
// each glue file, and no new name may be in use there already; otherwise nothing is written
// and the build fails (wasm-bindgen's output changed shape).
import { readFileSync, writeFileSync } from "node:fs";

const [, , wasmFile, ...glueFiles] = process.argv;
if (!wasmFile || glueFiles.length === 0) {
  console.error("usage: short-imports.mjs <file.wasm> <glue.js>...");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

const bytes = readFileSync(wasmFile);
const utf8 = new TextDecoder("utf-8", { fatal: true });

function readU32(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buf.length) fail(`${wasmFile}: a LEB128 number runs past the end`);
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
    if (shift > 35) fail(`${wasmFile}: a LEB128 number is too long`);
  }
}
function writeU32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const name = (s) => {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([writeU32(b.length), b]);
};

if (bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) fail(`${wasmFile} is not a wasm module`);

// The sections, with the import section (id 2) parsed.
let at = 8;
const sections = [];
let imports = null;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, start] = readU32(bytes, at + 1);
  const end = start + size;
  if (end > bytes.length) fail(`${wasmFile}: section ${id} runs past the end`);
  if (id === 2) {
    let p = start;
    let count;
    [count, p] = readU32(bytes, p);
    imports = [];
    for (let i = 0; i < count; i++) {
      let len;
      [len, p] = readU32(bytes, p);
      const module = utf8.decode(bytes.subarray(p, p + len));
      p += len;
      [len, p] = readU32(bytes, p);
      const field = utf8.decode(bytes.subarray(p, p + len));
      p += len;
      // The descriptor: kind, then its type; copied as it is.
      const kind = bytes[p];
      const descStart = p;
      p += 1;
      if (kind === 0) [, p] = readU32(bytes, p); // function: type index
      else if (kind === 1) { // table: reftype, limits
        p += 1;
        const flags = bytes[p++];
        [, p] = readU32(bytes, p);
        if (flags & 1) [, p] = readU32(bytes, p);
      } else if (kind === 2) { // memory: limits
        const flags = bytes[p++];
        [, p] = readU32(bytes, p);
        if (flags & 1) [, p] = readU32(bytes, p);
      } else if (kind === 3) p += 2; // global: valtype, mutability
      else fail(`${wasmFile}: import ${module}.${field} has an unknown kind ${kind}`);
      imports.push({ module, field, desc: bytes.subarray(descStart, p) });
    }
    if (p !== end) fail(`${wasmFile}: the import section has ${end - p} bytes left over`);
  }
  sections.push({ id, body: bytes.subarray(start, end) });
  at = end;
}
if (!imports) fail(`${wasmFile} has no import section`);

const glueModule = imports.map((i) => i.module).find((m) => /^\.\/[A-Za-z0-9_]+_bg\.js$/.test(m));
if (!glueModule) fail(`${wasmFile}: no import from a "./<name>_bg.js" module`);
const renames = new Map();
for (const imp of imports) {
  if (imp.module !== glueModule) continue;
  if (renames.has(imp.field)) fail(`${wasmFile}: ${imp.field} is imported twice`);
  renames.set(imp.field, `__wbg_${renames.size.toString(36)}`);
}

// The glue files first: any surprise there and nothing is written.
const escape = (s) => s.replace(/[$]/g, "\\$");
const texts = glueFiles.map((file) => {
  let text = readFileSync(file, "utf8");
  for (const [from, to] of renames) {
    if (new RegExp(`(?<![\\w$])${escape(to)}(?![\\w$])`).test(text)) fail(`${file} already uses the name ${to}`);
    const word = new RegExp(`(?<![\\w$])${escape(from)}(?![\\w$])`, "g");
    const seen = text.match(word)?.length ?? 0;
    if (seen !== 1) fail(`${file}: ${from} occurs ${seen} times, not once`);
    text = text.replace(word, to);
  }
  return [file, text];
});

const importBody = Buffer.concat([
  writeU32(imports.length),
  ...imports.map((i) =>
    Buffer.concat([name(i.module), name(i.module === glueModule ? renames.get(i.field) : i.field), i.desc]),
  ),
]);
const out = [bytes.subarray(0, 8)];
for (const s of sections) {
  const body = s.id === 2 ? importBody : s.body;
  out.push(Buffer.from([s.id]), writeU32(body.length), body);
}
writeFileSync(wasmFile, Buffer.concat(out));
for (const [file, text] of texts) writeFileSync(file, text);
