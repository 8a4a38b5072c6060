//! End to end: the real console, mounted through the same `mount` entry partners use, driven
//! through the DOM against a real server; what the agent sees is checked, then what the server
//! holds is read back over the API. `scripts/test` starts the server (fresh SQLite file, demo
//! data, CORS for this test page's origin only) and passes its URL in `RC_E2E_API`.
#![cfg(target_arch = "wasm32")]

mod flows;
mod support;

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);
