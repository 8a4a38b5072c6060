// Trunk post-build hook: writes a .br and a .gz beside each built asset, at the highest
// levels, so the server sends them as they are (no compression work per request).
// Node's zlib does both; node is already needed for wasm-opt (scripts/setup.sh).
// First it minifies the app's JavaScript (wasm-bindgen's glue and wasm-split's chunk loader
// are written readable) with esbuild: 8 KB → 6 KB as sent. Then it fills in the integrity of
// each file index.html preloads (`integrity="sri"`), so the browser runs only what was built.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!root) throw new Error("no folder: set TRUNK_STAGING_DIR or pass one");

const require = createRequire(import.meta.url);
const esbuild = require("../.tools/node_modules/esbuild");
for (const name of readdirSync(root).filter((n) => /^(reseller-console-app|__wasm_split).*\.js$/.test(n))) {
  const path = join(root, name);
  const code = esbuild.transformSync(readFileSync(path, "utf8"), { minify: true, format: "esm" }).code;
  writeFileSync(path, code);
}
const sri = (file) => "sha384-" + createHash("sha384").update(readFileSync(join(root, file))).digest("base64");
for (const page of readdirSync(root).filter((n) => n.endsWith(".html"))) {
  const path = join(root, page);
  const html = readFileSync(path, "utf8").replace(
    /(<link[^>]*href="?\/([^"\s>]+)"?[^>]*integrity=)"?sri"?/g,
    (_, head, file) => `${head}"${sri(file)}"`,
  );
  if (html.includes('integrity="sri"') || /integrity=sri\b/.test(html)) throw new Error(`${page}: an integrity left unfilled`);
  writeFileSync(path, html);
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
