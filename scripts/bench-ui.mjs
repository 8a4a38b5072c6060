// Page-load benchmark: cold loads of the console in headless Chromium (Debian's), each in a
// new browser context (empty cache), on this machine's loopback and on emulated networks.
// Prints the bytes transferred and median times; figures, not pass/fail.
// Usage: node scripts/bench-ui.mjs http://127.0.0.1:PORT [runs]
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const base = process.argv[2];
const runs = Number(process.argv[3] || 5);
if (!base) throw new Error("usage: bench-ui.mjs URL [runs]");

// Chromium's DevTools network emulation: throughput in bytes per second, latency in ms.
const networks = [
  { name: "loopback (no limit)", conditions: null },
  { name: "cable 20 Mbit/s, 20 ms", conditions: { latency: 20, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 } },
  { name: "4G 9 Mbit/s, 85 ms", conditions: { latency: 85, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 } },
];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function coldLoad(conditions) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (conditions) await cdp.send("Network.emulateNetworkConditions", { offline: false, ...conditions });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  const start = Date.now();
  await page.goto(base + "/");
  await page.waitForSelector("#rc-email");
  const signInReady = Date.now() - start;
  const loadBytes = bytes;
  await page.fill("#rc-email", "admin@northwind.example");
  await page.fill("#rc-password", "demo-password");
  const signInStart = Date.now();
  await page.click(".rc-sign-in button[type=submit]");
  await page.waitForSelector(".rc-table tbody tr");
  const listShown = Date.now() - signInStart;
  const searchStart = Date.now();
  await page.fill("input.rc-search", "contoso");
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll(".rc-table tbody tr");
    return rows.length > 0 && [...rows].every((r) => r.textContent.toLowerCase().includes("contoso"));
  });
  const searched = Date.now() - searchStart;
  await context.close();
  return { signInReady, loadBytes, listShown, searched };
}

console.log(`Console page load, ${runs} cold loads each (new context, empty cache), medians`);
console.log(
  "network".padEnd(26) + "KB sent".padStart(9) + "sign-in ready ms".padStart(18) +
  "list after sign-in ms".padStart(23) + "search ms".padStart(11),
);
for (const net of networks) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await coldLoad(net.conditions));
  const m = (k) => median(results.map((r) => r[k]));
  console.log(
    net.name.padEnd(26) + String(Math.round(m("loadBytes") / 1024)).padStart(9) +
    String(m("signInReady")).padStart(18) + String(m("listShown")).padStart(23) +
    String(m("searched")).padStart(11),
  );
}
await browser.close();
