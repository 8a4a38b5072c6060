// Trunk post-build hook: writes a .br and a .gz beside each built asset, at the highest
// levels, so the server sends them as they are (no compression work per request).
// Node's zlib does both; node is already needed for wasm-opt (scripts/setup.sh).
// First it minifies the app's JavaScript glue (wasm-bindgen writes it readable; trunk leaves
// it so) with esbuild, and updates its integrity hash in the HTML: 8 KB → 6 KB as sent.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!root) throw new Error("no folder: set TRUNK_STAGING_DIR or pass one");

const require = createRequire(import.meta.url);
const esbuild = require("../.tools/node_modules/esbuild");
const sha384 = (data) => createHash("sha384").update(data).digest("base64");
const html = readdirSync(root).filter((n) => n.endsWith(".html")).map((n) => join(root, n));
for (const name of readdirSync(root).filter((n) => /^reseller-console-app.*\.js$/.test(n))) {
  const path = join(root, name);
  const before = readFileSync(path);
  const after = Buffer.from(esbuild.transformSync(before.toString(), { minify: true, format: "esm" }).code);
  writeFileSync(path, after);
  for (const page of html) {
    const text = readFileSync(page, "utf8");
    writeFileSync(page, text.split(sha384(before)).join(sha384(after)));
  }
}

const compressible = /\.(wasm|js|css|html|svg|json)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (compressible.test(name)) {
      const data = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(data, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        }),
      );
    }
  }
}

walk(root);
