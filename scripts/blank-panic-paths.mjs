// Blanks the source paths of panic locations in a wasm module's data (called by
// scripts/build-pkg.sh after wasm-bindgen, on each shipped .wasm).
//
// Why: every panic site the module links (slice bounds, `RefCell`, capacity overflow, …,
// mostly inside core and alloc) carries its source file's path for the panic message, e.g.
// `/rustc/<40 hex digits>/library/core/src/slice/mod.rs` or a path into the cargo registry.
// In these modules that message is never seen: `panic = "abort"` (Cargo.toml) and std's
// stderr on wasm32-unknown-unknown discards what the panic hook writes, so a panic is the
// engine's `RuntimeError: unreachable` and nothing else (no hook is installed; the library
// also denies unwrap/expect and is written so no input reaches a panic). The paths were
// ~1.1 KB of the ProxyShard module, ~0.3 KB of gzip. Nightly's `-Zlocation-detail=none` drops
// them at compile time; on stable they are blanked here instead: the bytes become zeros in
// place, so every length and offset the module holds stays as it was.
//
// Usage: node scripts/blank-panic-paths.mjs <file.wasm>...
// Only bytes inside the data section's segments are touched, and only whole paths: a
// `/rustc/<hash>/library/…`, a `…/.cargo/registry/src/…` or a crate-relative `src/…`
// (`vendor/<crate>/src/…`) path that ends in `.rs`; neither the library nor its
// dependencies hold a runtime string of that form (no `file!()`, no message naming a `.rs`
// file). tests/js/entries.test.mjs checks that the shipped modules hold no such path, and
// every JS test runs the blanked modules. Prints what it blanked per file.
import { readFileSync, writeFileSync } from "node:fs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: blank-panic-paths.mjs <file.wasm>...");
  process.exit(2);
}
const fail = (why) => {
  console.error(`blank-panic-paths: ${why}`);
  process.exit(1);
};

function readU32(buf, at, file) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buf.length) fail(`${file}: a LEB128 number runs past the end`);
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
    if (shift > 35) fail(`${file}: a LEB128 number is too long`);
  }
}

// A constant expression (an active segment's offset): runs to its `end` (0x0b). The
// offsets wasm-bindgen's modules use are `i32.const n` (and `global.get g`).
function skipExpr(buf, at, file) {
  for (;;) {
    if (at >= buf.length) fail(`${file}: a constant expression runs past the end`);
    const op = buf[at++];
    if (op === 0x0b) return at;
    if (op === 0x41 || op === 0x23) {
      [, at] = readU32(buf, at, file);
    } else {
      fail(`${file}: unexpected opcode 0x${op.toString(16)} in a data offset`);
    }
  }
}

// Whole paths only: the character before must not be one a path holds, so a match never
// starts inside a longer name.
const PATH =
  /(?<![A-Za-z0-9_./-])(?:\/rustc\/[0-9a-f]{40}\/library\/[A-Za-z0-9_/.-]+?\.rs|\/[A-Za-z0-9_./-]*?\/\.cargo\/registry\/src\/[A-Za-z0-9_./-]+?\.rs|(?:vendor\/[a-z_]+\/)?src\/[A-Za-z0-9_/]+?\.rs)(?![A-Za-z0-9_])/g;

for (const file of files) {
  const buf = readFileSync(file);
  if (buf.readUInt32LE(0) !== 0x6d736100) fail(`${file}: not a wasm module`);
  let at = 8;
  let paths = 0;
  let bytes = 0;
  while (at < buf.length) {
    const id = buf[at++];
    let size;
    [size, at] = readU32(buf, at, file);
    const end = at + size;
    if (id === 11) {
      let p = at;
      let count;
      [count, p] = readU32(buf, p, file);
      for (let i = 0; i < count; i++) {
        let kind;
        [kind, p] = readU32(buf, p, file);
        if (kind === 2) [, p] = readU32(buf, p, file); // memory index
        if (kind === 0 || kind === 2) p = skipExpr(buf, p, file);
        let len;
        [len, p] = readU32(buf, p, file);
        if (p + len > end) fail(`${file}: a data segment runs past its section`);
        const text = buf.toString("latin1", p, p + len);
        for (const m of text.matchAll(PATH)) {
          buf.fill(0, p + m.index, p + m.index + m[0].length);
          paths++;
          bytes += m[0].length;
        }
        p += len;
      }
    }
    at = end;
  }
  writeFileSync(file, buf);
  console.log(`blank-panic-paths: ${file}: ${paths} panic location paths, ${bytes} bytes`);
}
