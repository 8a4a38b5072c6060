// The release build as a partner's browser gets it: the pages outside the first load arrive as
// wasm chunks. Checks, against a real server serving dist/ with the demo data, in headless
// Chromium (playwright-core from .tools/):
//   1. a signed-out visit downloads no chunk; once the list is drawn every page's chunk is
//      fetched in the background;
//   2. every page outside the first load opens from its own URL, on a fresh visit (its chunk
//      fetched by the page itself), with no console error;
//   3. a chunk that fails (a flaky network) shows an error with Retry in the page's place, the
//      rest of the console keeps working, and Retry fetches it anew and shows the page.
// Usage: node frontend/tests/chunks.mjs http://127.0.0.1:PORT (run by scripts/test).
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "../../.tools/node_modules/playwright-core");

const base = process.argv[2];
if (!base) throw new Error("usage: chunks.mjs URL");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"],
});
let passed = 0;
let failed = 0;
async function check(name, body) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: "en-GB" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const chunks = [];
  page.on("request", (r) => { if (/\/(split|chunk)_\w+\.wasm$/.test(r.url())) chunks.push(new URL(r.url()).pathname); });
  try {
    await body({ page, context, chunks, errors });
    console.log(`test ${name} ... ok`);
    passed++;
  } catch (e) {
    console.log(`test ${name} ... FAILED\n${e.stack || e}`);
    failed++;
  } finally {
    await context.close();
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
async function signIn(page) {
  await page.waitForSelector("#rc-email");
  await page.fill("#rc-email", "admin@northwind.example");
  await page.fill("#rc-password", "demo-password");
  await page.click(".rc-sign-in button[type=submit]");
}
const PAGES = ["account", "activity", "new_customer", "new_subscription", "renewals", "subscription", "team"];

await check("the first load holds no page chunk; the list draws, then every chunk is fetched", async ({ page, errors }) => {
  // When the first customer row appeared, by the page's own clock (beside its resource timings).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(".rc-table tbody tr")) { window.__rowsAt = performance.now(); observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  const fetched = PAGES.map((name) => page.waitForResponse((r) => r.url().endsWith(`/split_${name}.wasm`), { timeout: 30000 }));
  await page.goto(base + "/");
  await signIn(page);
  await page.waitForSelector(".rc-table tbody tr");
  await Promise.all(fetched);
  const { rowsAt, firstChunkAt } = await page.evaluate(() => ({
    rowsAt: window.__rowsAt,
    firstChunkAt: Math.min(...performance.getEntriesByType("resource").filter((e) => /_\w+\.wasm$/.test(e.name) && /\/(split|chunk)_/.test(e.name)).map((e) => e.startTime)),
  }));
  assert(rowsAt !== undefined && firstChunkAt >= rowsAt, `a chunk was fetched at ${firstChunkAt} ms, before the list was drawn at ${rowsAt} ms`);
  assert(errors.length === 0, `console errors: ${errors.join(" | ")}`);
});

await check("a signed-out visit downloads no chunk", async ({ page, chunks }) => {
  await page.goto(base + "/");
  await page.waitForSelector("#rc-email");
  await page.waitForLoadState("networkidle");
  assert(chunks.length === 0, `chunks fetched before signing in: ${chunks.join(", ")}`);
});

// Ids for the pages that need one: the first customer and one of its subscriptions.
const ids = await (async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "/");
  await signIn(page);
  await page.waitForSelector(".rc-table tbody tr");
  const found = await page.evaluate(async () => {
    const list = await (await fetch("/api/customers?q=&page=1&per_page=15", { credentials: "include" })).json();
    const customer = list.items[0].id;
    const subs = await (await fetch(`/api/customers/${customer}/subscriptions`, { credentials: "include" })).json();
    return { customer, subscription: (subs.items || subs)[0].id };
  });
  await context.close();
  return found;
})();

const OPENS = [
  ["/team", ".rc-team-table tbody tr"],
  ["/renewals", ".rc-window"],
  ["/activity", ".rc-activity .rc-filters"],
  ["/account", "#rc-current-password"],
  ["/new-customer", "#rc-domain"],
  [`/customers/${ids.customer}/new`, ".rc-order select"],
  [`/subscriptions/${ids.subscription}`, ".rc-edit-quantity, .rc-term-value"],
  [`/customers/${ids.customer}/statement`, ".rc-statement"],
  ["/prices", ".rc-price-table"],
  // No file of Microsoft's for the month yet: the API answers 404, which Chromium logs.
  ["/reconciliation", ".rc-reconciliation .rc-month", /status of 404/],
];
for (const [path, marker, expected] of OPENS) {
  await check(`${path.replace(/[0-9a-f-]{36}/g, "{id}")} opens from its own URL, its chunk fetched by the page`, async ({ page, errors, chunks }) => {
    await page.goto(base + path);
    await signIn(page);
    await page.waitForSelector(marker, { timeout: 20000 });
    assert(chunks.some((c) => c.startsWith("/split_")), "no chunk was fetched");
    const unexpected = errors.filter((e) => !(expected && expected.test(e)));
    assert(unexpected.length === 0, `console errors: ${unexpected.join(" | ")}`);
  });
}

await check("a chunk that fails shows Retry in the page's place; Retry fetches it anew", async ({ page, chunks }) => {
  let offline = true;
  await page.route("**/split_team.wasm", (route) => (offline ? route.abort("internetdisconnected") : route.continue()));
  await page.goto(base + "/team");
  await signIn(page);
  const alert = page.locator(".rc-main [role=alert]");
  await alert.waitFor({ timeout: 20000 });
  assert((await alert.textContent()).includes("could not be loaded"), `unexpected error text: ${await alert.textContent()}`);
  assert(await page.locator(".rc-team-table").count() === 0, "the Team table showed although its chunk failed");
  assert((await page.locator(".rc-main h1").textContent()) === "Page not loaded", "the failed page has a heading saying so");
  // The rest of the console still works: the list opens, and the Team link comes back to the error.
  await page.click(".rc-nav a >> nth=0");
  await page.waitForSelector(".rc-table tbody tr");
  await page.click(".rc-nav a[href$='/team']");
  await alert.waitFor();
  const tries = chunks.filter((c) => c === "/split_team.wasm").length;
  offline = false;
  await page.click(".rc-main [role=alert] button");
  await page.waitForSelector(".rc-team-table tbody tr", { timeout: 20000 });
  assert(chunks.filter((c) => c === "/split_team.wasm").length > tries, "Retry did not fetch the chunk again");
  assert(await page.locator(".rc-main [role=alert]").count() === 0, "the error stayed after Retry");
});

await browser.close();
console.log(`test result: ${failed ? "FAILED" : "ok"}. ${passed} passed; ${failed} failed (chunks of the release build)`);
process.exit(failed ? 1 : 0);
