// Screenshots of every page at phone, tablet and desktop widths, for people to look at; also
// reports what a user would notice without looking: console errors (a signed-out first visit
// must log none) and pages wider than the screen.
// Usage: node scripts/screenshots.mjs http://127.0.0.1:PORT OUT_DIR [en|it]
// (the console speaks the browser's language: the files are named after it).
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [base, out, lang = "en"] = process.argv.slice(2);
if (!base || !out) throw new Error("usage: screenshots.mjs URL OUT_DIR");
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

let problems = 0;
for (const width of [390, 768, 1366]) {
  const context = await browser.newContext({ viewport: { width, height: 860 }, locale: lang === "it" ? "it-IT" : "en-GB" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const shot = async (name) => {
    await page.waitForTimeout(150);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) { problems++; console.log(`${width}px ${name}: ${wide}px wider than the screen`); }
    await page.screenshot({ path: `${out}/${name}-${lang}-${width}.png`, fullPage: true });
  };
  await page.goto(base + "/");
  await page.waitForSelector("#rc-email");
  await shot("1-sign-in");
  if (errors.length) { problems++; console.log(`${width}px signed-out visit logged: ${errors.join(" | ")}`); }
  await page.fill("#rc-email", "admin@northwind.example");
  await page.fill("#rc-password", "demo-password");
  await page.click(".rc-sign-in button[type=submit]");
  await page.waitForSelector(".rc-table tbody tr");
  await shot("2-customers");
  await page.fill(".rc-search", "wingtip");
  await page.waitForFunction(() => document.querySelectorAll(".rc-table tbody tr").length === 1);
  await page.click(".rc-table tbody tr");
  await page.waitForSelector(".rc-sub");
  await shot("3-action-pane");
  await page.click(".rc-sub >> nth=2");
  await page.waitForSelector(".rc-edit-quantity");
  await page.click(".rc-edit-quantity");
  await page.fill(".rc-form input", String(12 + [390, 768, 1366].indexOf(width)));
  await shot("4-subscription-edit-quantity");
  await page.click(".rc-form button[type=submit]");
  await page.waitForSelector(".rc-seat-chart");
  await shot("5-subscription-after-change");
  await page.goBack();
  await page.waitForSelector(".rc-sub");
  await page.click(".rc-pane .rc-primary, .rc-pane button.rc-wide");
  await page.waitForSelector(".rc-order select");
  await shot("6-new-subscription");
  await page.click(".rc-nav a[href$='/team']");
  await page.waitForSelector(".rc-team-table tbody tr");
  await page.fill("#rc-agent-email", `new-${width}@northwind.example`);
  await page.fill("#rc-agent-name", "Nina Ferri");
  await page.selectOption("#rc-agent-role", "helpdesk");
  await page.click(".rc-add-agent button[type=submit]");
  await page.waitForSelector(".rc-one-time-password");
  await shot("7-team");
  await page.click(".rc-nav a[href$='/account']");
  await page.waitForSelector("#rc-current-password");
  await page.fill("#rc-new-password", "short");
  await shot("8-account");
  await page.click(".rc-nav a >> nth=0"); // Customers
  await page.click(".rc-add-customer");
  await page.waitForSelector("#rc-domain");
  await page.fill("#rc-company", "Lamna Gliders");
  await page.fill("#rc-domain", "lamna gliders");
  await shot("9-add-customer");
  await page.click(".rc-nav a >> nth=1"); // Renewals
  await page.waitForSelector(".rc-window");
  await page.click(".rc-window >> nth=2"); // next 90 days
  await page.waitForSelector(".rc-renewal-table tbody tr");
  await shot("10-renewals");
  // A subscription with seats still removable (the demo's Contoso Business Basic).
  await page.click(".rc-nav a >> nth=0");
  await page.fill(".rc-search", "contoso");
  await page.waitForFunction(() => document.querySelectorAll(".rc-table tbody tr").length === 1);
  await page.click(".rc-table tbody tr");
  await page.waitForSelector(".rc-badge-removable");
  await shot("11-action-pane-removable");
  await page.click(".rc-sub:has(.rc-badge-removable)");
  await page.waitForSelector(".rc-removable");
  await page.click(".rc-edit-quantity");
  await page.fill(".rc-form input", "10");
  await shot("12-subscription-reduction-window");
  // What time does: A. Datum's renewal in 3 days with a change scheduled, and its expired,
  // disabled and cancelled subscriptions.
  await page.click(".rc-nav a >> nth=0");
  await page.fill(".rc-search", "datum");
  await page.waitForFunction(() => document.querySelectorAll(".rc-table tbody tr").length === 1);
  await page.click(".rc-table tbody tr");
  await page.waitForSelector(".rc-badge-ended");
  await shot("13-action-pane-lifecycle");
  await page.click(".rc-sub:has-text('Business Standard')"); // renewing, with a change scheduled
  await page.waitForSelector(".rc-manage-renewal");
  await page.click(".rc-manage-renewal");
  await page.fill("#rc-renewal-seats", "25");
  await shot("14-subscription-manage-renewal");
  await page.goBack();
  await page.waitForSelector(".rc-sub");
  await page.click(".rc-sub:has(.rc-badge-ended) >> nth=0");
  await page.waitForSelector(".rc-term-value");
  await shot("15-subscription-ended");
  // A fresh order can be cancelled, with its refund shown before Save.
  await page.goBack();
  await page.waitForSelector(".rc-sub");
  await page.click(".rc-pane .rc-primary, .rc-pane button.rc-wide");
  await page.waitForSelector(".rc-order select");
  await page.selectOption("#rc-offer", "m365-e3");
  await page.fill("#rc-new-seats", "5");
  await page.click(".rc-order button[type=submit]");
  await page.click(".rc-finish");
  await page.waitForSelector(".rc-sub-new");
  await page.click(".rc-sub-new");
  await page.waitForSelector(".rc-change-status");
  await page.click(".rc-change-status");
  await page.selectOption("#rc-status", "cancelled");
  await shot("16-subscription-cancel");
  // Every change across customers, newest first.
  await page.click(".rc-nav a[href$='/activity']");
  await page.waitForSelector(".rc-activity-table tbody tr");
  await shot("17-activity");
  console.log(`${width}px: done${errors.length ? `, console errors: ${errors.length}` : ""}`);
  await context.close();
}
await browser.close();
console.log(problems ? `${problems} problem(s)` : "no console errors, nothing wider than the screen");
process.exit(problems ? 1 : 0);
