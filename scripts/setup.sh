# Installs what the console needs, skipping whatever is already there. Sourced by scripts/run
# and scripts/test; every step is safe to repeat. Versions must match Cargo.lock / Trunk.toml.

TRUNK_VERSION=0.21.14        # trunk 0.22 needs a newer rustc than these machines have
WASM_BINDGEN_VERSION=0.2.130 # = the wasm-bindgen crate pinned in frontend/Cargo.toml
BINARYEN_VERSION=132         # npm's wasm-opt; Debian's wasm-opt 108 breaks Leptos builds
WASM_SPLIT_VERSION=0.2.4     # wasm-split-cli; 0.2.4 is the first to read wasm-bindgen 0.2.128+ output

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO_ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

# The build tools are compiled once, on the user's machine, and each run takes seconds: they are
# compiled without link-time optimisation, in parallel codegen units, at the opt-level given
# (first argument): 0 for trunk, which only runs other tools (3 minutes instead of the 10 its own
# fat-LTO release profile takes on 2 cores), 1 for the tools that work through the app's wasm.
cargo_install() {
  local opt_level=$1
  shift
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true cargo install "$@"
}

# Each step says when it started (minutes:seconds since the script began): CI's log shows
# which phase took the time.
say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
}

ensure_wasm_target() {
  ensure_rust
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "Installing trunk $TRUNK_VERSION (about 3 minutes on 2 cores, once)"
    cargo_install 0 --locked "trunk@$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2.5 minutes, once)"
    # Not --locked: one of its locked dependencies is missing from the registry.
    cargo_install 1 wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# wasm-split-cli cuts the app into chunks (scripts/build-wasm).
ensure_wasm_split() {
  if [ "$(cat "$HOME/.cargo/.wasm-split-version" 2>/dev/null)" != "$WASM_SPLIT_VERSION" ] ||
     ! command -v wasm-split-cli >/dev/null; then
    say "Installing wasm-split-cli $WASM_SPLIT_VERSION (about 1 minute, once)"
    cargo_install 1 --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
    echo "$WASM_SPLIT_VERSION" > "$HOME/.cargo/.wasm-split-version"
  fi
}

# Tools from npm, installed together into .tools/ (npm removes what a single install does not
# name): wasm-opt (binaryen) for the release build, and playwright-core, which drives Debian's
# /usr/bin/chromium for the page-load benchmark (it never downloads a browser of its own).
PLAYWRIGHT_VERSION=1.65.1
ESBUILD_VERSION=0.28.2         # minifies the app's JS glue (scripts/precompress.mjs)
ensure_node_tools() {
  if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" ||
     [ "$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/playwright-core/package.json" 2>/dev/null)" != "$PLAYWRIGHT_VERSION" ] ||
     [ "$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/esbuild/package.json" 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
    command -v npm >/dev/null || { echo "npm not found: it is needed for wasm-opt" >&2; exit 1; }
    say "Installing binaryen@$BINARYEN_VERSION (wasm-opt), playwright-core@$PLAYWRIGHT_VERSION and esbuild@$ESBUILD_VERSION into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund \
      "binaryen@$BINARYEN_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" "esbuild@$ESBUILD_VERSION" >&2
  fi
}

# twiggy (crates.io), for `scripts/size --parts` only.
TWIGGY_VERSION=0.8.0
ensure_twiggy() {
  if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "$TWIGGY_VERSION" ]; then
    say "Installing twiggy $TWIGGY_VERSION (cargo install)"
    cargo_install 1 --quiet --locked twiggy --version "$TWIGGY_VERSION" >&2
  fi
}

# Lighthouse (npm), for scripts/bench-ui only: 12.x, the last line that runs on Node 20.
LIGHTHOUSE_VERSION=12.8.2
ensure_lighthouse() {
  if [ "$(node -p 'require(process.argv[1]).version' "$TOOLS/lighthouse/node_modules/lighthouse/package.json" 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
    say "Installing lighthouse@$LIGHTHOUSE_VERSION into .tools/lighthouse"
    mkdir -p "$TOOLS/lighthouse"
    npm install --prefix "$TOOLS/lighthouse" --no-save --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >&2
  fi
}

# schemathesis (PyPI), in a virtual environment of the project's: fuzzes the live API against
# its OpenAPI document (scripts/fuzz-api); openapi-spec-validator beside it checks the document
# itself (valid OpenAPI 3.1, operation ids unique: what client generators need).
SCHEMATHESIS_VERSION=4.32.5
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
ensure_schemathesis() {
  if [ "$("$TOOLS/venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -n 1)" != "$SCHEMATHESIS_VERSION" ] ||
     [ "$("$TOOLS/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null)" != "$OPENAPI_SPEC_VALIDATOR_VERSION" ]; then
    command -v python3 >/dev/null || { echo "python3 not found: it is needed for schemathesis" >&2; exit 1; }
    say "Installing schemathesis $SCHEMATHESIS_VERSION and openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION into .tools/venv"
    mkdir -p "$TOOLS"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION" \
      "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION" >&2
  fi
}

# Debian packages, as root or through sudo.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

ensure_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "Installing Chromium and chromedriver (Debian packages)"
    apt_install chromium chromium-driver
  fi
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
}

# The PostgreSQL tests need a server on 127.0.0.1:5432 (trust auth) and psql. They never
# skip: no PostgreSQL means the test command fails.
ensure_postgres() {
  if ! command -v psql >/dev/null || ! command -v pg_isready >/dev/null; then
    say "Installing the PostgreSQL client tools"
    apt_install postgresql-client
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q && command -v pg_ctlcluster >/dev/null; then
    say "Starting the local PostgreSQL cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    echo "PostgreSQL is not reachable on 127.0.0.1:5432; the PostgreSQL tests cannot run." >&2
    exit 1
  fi
}

# Builds the browser app into dist/ with the size profile.
build_app() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_split
  ensure_node_tools
  say "Building the browser app (trunk, release)"
  (cd "$REPO_ROOT" && trunk build --release)
}

# Starts a built server binary in the background on a free port with `--listen 127.0.0.1:0`
# and the given arguments, logging into folder $1; waits for its "listening on" line and sets
# SERVER_PID and SERVER_URL. The caller stops it (kill "$SERVER_PID").
start_server() {
  local dir=$1 binary=$2
  shift 2
  "$binary" --listen 127.0.0.1:0 "$@" > "$dir/server.out" 2> "$dir/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do grep -q "listening on" "$dir/server.out" && break; sleep 0.1; done
  SERVER_URL=$(grep -o 'http://[0-9.:]*' "$dir/server.out" | head -n 1)
  [ -n "$SERVER_URL" ] || { echo "the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }
}
