// The staff site in Chromium, opened from disk (file://): search, dark theme, phone width,
// accessibility (axe-core), and screenshots for people to look at.
//   node site.mjs SITE_DIR WORD EXPECTED_ID SCREENSHOT_DIR PRINT_ORDER(comma-separated ids)
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [site, word, expectedId, shots, printOrder] = process.argv.slice(2);
const printIds = (printOrder || "").split(",").filter(Boolean);
if (printIds.length < 2) throw new Error("PRINT_ORDER needs the expected ids of print.html");
const url = (p) => pathToFileURL(join(site, p)).href;
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
mkdirSync(shots, { recursive: true });

const pages = {
  home: "index.html",
  document: `doc/${expectedId}.html`,
  soa: "soa.html",
  register: "register.html",
  inventory: "inventory.html",
  system: "system/SYS-ROUTE.html",
  print: "print.html",
};

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await check(`a search for "${word}" lands on ${expectedId}`, async () => {
    await page.goto(url("index.html"));
    await page.keyboard.press("/");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (focused !== "site-search") throw new Error(`"/" focused ${focused}`);
    await page.keyboard.type(word);
    await page.keyboard.press("Enter");
    await page.waitForURL(/search\.html\?q=/);
    await page.waitForSelector(".search-results li a");
    const first = await page.locator(".search-results li a").first();
    const text = await first.innerText();
    if (!text.includes(expectedId)) throw new Error(`first result is "${text}"`);
    if ((await page.locator(".search-results mark").count()) === 0) throw new Error("no highlighted words");
    await page.screenshot({ path: join(shots, "search-desktop.png") });
    await first.click();
    await page.waitForURL(new RegExp(`${expectedId}\\.html`));
  });

  for (const [name, path] of Object.entries(pages)) {
    await check(`axe-core finds no violations on the ${name} page`, async () => {
      await page.goto(url(path));
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      if (result.violations.length) {
        const lines = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        throw new Error("\n  " + lines.join("\n  "));
      }
    });
    await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: false });
  }

  await check("the dark theme follows an emulated dark preference", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(url(pages.document));
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    if (r + g + b > 150) throw new Error(`body background is ${bg}`);
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"], runOnly: ["color-contrast"] }));
    if (result.violations.length) throw new Error("contrast in dark mode: " + JSON.stringify(result.violations.map((v) => v.nodes.map((n) => n.target)).flat().slice(0, 5)));
    await page.screenshot({ path: join(shots, "document-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
  });

  await check("the toggle switches theme and remembers it", async () => {
    const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    await page.goto(url(pages.home));
    await page.click(".theme-toggle");
    if ((await theme()) !== "dark") throw new Error(`data-theme is ${await theme()} after the click`);
    // Remembered across a reload and on another page.
    await page.reload();
    if ((await theme()) !== "dark") throw new Error(`data-theme is ${await theme()} after a reload`);
    await page.goto(url(pages.document));
    if ((await theme()) !== "dark") throw new Error(`data-theme is ${await theme()} on another page`);
    // And switching back is remembered too.
    await page.click(".theme-toggle");
    await page.reload();
    if ((await theme()) !== "light") throw new Error(`data-theme is ${await theme()} after switching back`);
  });

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
  const small = await phone.newPage();
  for (const [name, path] of Object.entries(pages)) {
    await check(`no horizontal scroll at 360 px on the ${name} page`, async () => {
      await small.goto(url(path));
      const { scroll, client } = await small.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      if (scroll > client) throw new Error(`page is ${scroll}px wide in a ${client}px viewport`);
      await small.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: false });
    });
  }

  const phone390 = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const narrow = await phone390.newPage();
  await check("at 390 px the menu button reveals the navigation and the sidebar", async () => {
    await narrow.goto(url(pages.document));
    const menu = narrow.locator(".menu-toggle");
    if (!(await menu.isVisible())) throw new Error("no menu button at 390 px");
    if (await narrow.locator("#site-nav").isVisible()) throw new Error("the navigation is open before the button is pressed");
    if (await narrow.locator("#site-sidebar").isVisible()) throw new Error("the sidebar is shown before the button is pressed");
    const header = await narrow.locator(".site-header").boundingBox();
    if (!header || header.height > 130) throw new Error(`the folded header is ${header && header.height}px tall`);
    await menu.click();
    if ((await menu.getAttribute("aria-expanded")) !== "true") throw new Error("aria-expanded is not true after opening");
    if (!(await narrow.locator("#site-nav a[href$='register.html']").isVisible())) throw new Error("the register link is not shown after opening the menu");
    const sidebar = await narrow.locator("#site-sidebar").boundingBox();
    if (!sidebar || sidebar.y > 900) throw new Error(`the sidebar opens ${sidebar && sidebar.y}px down, not at the top`);
    const { scroll, client } = await narrow.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (scroll > client) throw new Error(`page is ${scroll}px wide in a ${client}px viewport with the menu open`);
    await narrow.screenshot({ path: join(shots, "document-phone-menu.png"), fullPage: false });
    await menu.click();
    if (await narrow.locator("#site-nav").isVisible()) throw new Error("the navigation stays open after closing the menu");
  });

  await check("the inventory sorts and filters from disk", async () => {
    await page.goto(url("inventory.html"));
    const names = () => page.locator("#register tbody tr:not([hidden]) td:nth-child(2)").allInnerTexts();
    if ((await names()).join(",") !== "Chat Helper,Route Planner") throw new Error(`rows: ${await names()}`);
    await page.locator("#register thead th").nth(1).locator("button").click();
    await page.locator("#register thead th").nth(1).locator("button").click();
    if ((await names()).join(",") !== "Route Planner,Chat Helper") throw new Error(`sorted descending: ${await names()}`);
    await page.fill("#register-filter", "none required");
    if ((await names()).join(",") !== "Chat Helper") throw new Error(`filtered: ${await names()}`);
    const count = await page.locator(".register-count").innerText();
    if (count !== "1 of 2 systems") throw new Error(`count reads "${count}"`);
  });

  await check("print.html holds every document in order", async () => {
    await page.goto(url("print.html"));
    const ids = await page.locator("article.print-doc").evaluateAll((els) => els.map((e) => e.id.replace(/^doc-/, "")));
    if (ids.join(",") !== printIds.join(",")) throw new Error(`print.html holds ${ids.join(",")}, expected ${printIds.join(",")}`);
    for (const id of printIds) {
      const blocks = await page.locator(`article#doc-${id} .control-block`).count();
      if (blocks !== 1) throw new Error(`${id} has ${blocks} control blocks in print.html`);
    }
  });
} finally {
  await browser.close();
}
