// Params and other caller values as JSON text: appended by scripts/build-pkg.sh to each glue
// with the call loop, and imported by the wasm as `pkToJson` (src/wasm/convert.rs,
// `js_to_json`), which reads the text with the core's JSON reader.
//
// Why here and not in Rust: the same walk over js-sys (`Reflect.get` per key, a type test
// per value) was ~3 KB of each wasm module and its import shims; this is ~0.5 KB of glue.
// The rules are the Rust walk's, unchanged, and so are the messages:
// - a property that is `undefined` is left out (as `JSON.stringify` does); `undefined` or
//   `null` elsewhere is `null`;
// - a safe integer is written as an integer; any other finite number as a float (a whole
//   number beyond 2^53 in exponent form, so the reader does not take it for an exact
//   integer); `NaN` and `±Infinity` are refused;
// - a lone UTF-16 surrogate in a string or key becomes U+FFFD, as in every string the wasm
//   receives;
// - an array is read up to its `length` (at most 100,000 items), any other object by
//   `Object.keys`; a BigInt, symbol or function is refused;
// - at most 32 levels below `depth` and 1,000,000 values in all; a getter or Proxy that
//   throws is refused.
// The result is the text, or `[field, rule]` for the first value refused: `field` is the
// path from `path` (`items[2].ip`; "params" for the value itself when `path` is empty).
function pkToJson(value, path, depth) {
  const MAX_DEPTH = 32;
  const MAX_ITEMS = 100000;
  let budget = 1000000;
  const out = [];
  // Thrown (and only ever caught below) with the field and rule of the value refused.
  const refused = [];
  const refuse = (at, rule) => {
    refused.push(at === "" ? "params" : at, rule);
    throw refused;
  };
  const unreadable = (at) => refuse(at, "could not be read (a getter or Proxy threw)");
  const text = (s) => JSON.stringify(s.replace(/[\uD800-\uDFFF]/gu, "\uFFFD"));
  const walk = (v, at, level) => {
    if (budget === 0) refuse(at, "holds more than 1000000 values");
    budget--;
    if (level > MAX_DEPTH) refuse(at, `is nested deeper than ${MAX_DEPTH} levels`);
    if (v === undefined || v === null) return void out.push("null");
    switch (typeof v) {
      case "boolean":
        return void out.push(v ? "true" : "false");
      case "number":
        if (Number.isSafeInteger(v)) return void out.push(String(v));
        if (!Number.isFinite(v)) refuse(at, "must be a finite number");
        return void out.push(Number.isInteger(v) ? v.toExponential() : String(v));
      case "string":
        return void out.push(text(v));
      case "object":
        break;
      default:
        refuse(at, "must be a JSON value (string, number, boolean, null, array or plain object)");
    }
    let list;
    try {
      list = Array.isArray(v);
    } catch {
      unreadable(at);
    }
    if (list) {
      let length;
      try {
        length = v.length;
      } catch {
        unreadable(at);
      }
      if (typeof length !== "number") unreadable(at);
      if (length > MAX_ITEMS) refuse(at, `has more than ${MAX_ITEMS} items`);
      out.push("[");
      for (let i = 0; i < length; i++) {
        const here = `${at}[${i}]`;
        let item;
        try {
          item = v[i];
        } catch {
          unreadable(here);
        }
        if (i > 0) out.push(",");
        walk(item, here, level + 1);
      }
      return void out.push("]");
    }
    let keys;
    try {
      keys = Object.keys(v);
    } catch {
      unreadable(at);
    }
    out.push("{");
    let first = true;
    for (const key of keys) {
      const here = at === "" ? key : `${at}.${key}`;
      let item;
      try {
        item = v[key];
      } catch {
        unreadable(here);
      }
      if (item === undefined) continue;
      out.push(first ? "" : ",", text(key), ":");
      first = false;
      walk(item, here, level + 1);
    }
    out.push("}");
  };
  try {
    walk(value, path, depth);
  } catch (e) {
    if (e === refused) return refused;
    throw e;
  }
  return out.join("");
}
