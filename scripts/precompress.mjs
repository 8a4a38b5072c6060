// Trunk post-build hook: writes a .br and a .gz beside each built asset, at the highest
// levels, so the server sends them as they are (no compression work per request).
// Node's zlib does both; node is already needed for wasm-opt (scripts/setup.sh).
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!root) throw new Error("no folder: set TRUNK_STAGING_DIR or pass one");

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
