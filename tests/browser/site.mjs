// The staff site in Chromium, opened from disk (file://): search, dark theme, phone width,
// accessibility (axe-core), and screenshots for people to look at.
//   node site.mjs SITE_DIR WORD EXPECTED_ID SCREENSHOT_DIR PRINT_ORDER(comma-separated ids)
//                 RARE_WORD RARE_ID RARE_ANCHOR (a word found only deep in RARE_ID's body, under
//                 the heading whose id is RARE_ANCHOR)
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [site, word, expectedId, shots, printOrder, rare, rareId, rareAnchor] = process.argv.slice(2);
if (!rareAnchor) throw new Error("RARE_WORD RARE_ID RARE_ANCHOR are needed");
const printIds = (printOrder || "").split(",").filter(Boolean);
if (printIds.length < 2) throw new Error("PRINT_ORDER needs the expected ids of print.html");
const url = (p) => {
  const [file, query] = p.split("?");
  return pathToFileURL(join(site, file)).href + (query ? `?${query}` : "");
};
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
  search: `search.html?q=${word}`,
};

// axe-core's violations on the page as it is now, as lines to read.
async function axeViolations(page, options = {}) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async (o) => await window.axe.run(document, { resultTypes: ["violations"], ...o }), options);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

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

  await check(`typing the id ${expectedId} offers that document first`, async () => {
    await page.goto(url("index.html"));
    await page.click("#site-search");
    await page.keyboard.type(expectedId.toLowerCase());
    const option = page.locator("#site-search-listbox [role=option]").first();
    await option.waitFor();
    const text = await option.innerText();
    if (!text.startsWith(expectedId)) throw new Error(`the first result reads "${text}"`);
    await page.keyboard.press("Escape");
  });

  await check(`typing "${rare}" in the header box offers ${rareId} and leads to its section`, async () => {
    await page.goto(url("index.html"));
    await page.click("#site-search");
    await page.keyboard.type(rare);
    const option = page.locator("#site-search-listbox [role=option]").first();
    await option.waitFor();
    const box = page.locator("#site-search");
    if ((await box.getAttribute("role")) !== "combobox") throw new Error("the header box is not a combobox");
    if ((await box.getAttribute("aria-expanded")) !== "true") throw new Error("aria-expanded is not true with the dropdown open");
    const href = await option.getAttribute("data-href");
    if (!href.endsWith(`doc/${rareId}.html#${rareAnchor}`)) throw new Error(`the first result goes to ${href}`);
    const text = await option.innerText();
    if (!text.includes(rareId)) throw new Error(`the first result reads "${text}"`);
    if ((await option.locator(".result-snippet mark").innerText()).toLowerCase() !== rare.toLowerCase()) throw new Error("the snippet does not highlight the word");
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const lines = await axeViolations(page);
      if (lines.length) throw new Error(`axe-core with the dropdown open (${scheme}):\n  ` + lines.join("\n  "));
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(shots, "search-dropdown.png") });
    // Escape closes; the arrows choose; Enter follows.
    await page.keyboard.press("Escape");
    if (await page.locator(".search-popup").isVisible()) throw new Error("Escape did not close the dropdown");
    if ((await box.getAttribute("aria-expanded")) !== "false") throw new Error("aria-expanded is not false after Escape");
    await page.keyboard.press("ArrowDown");
    await option.waitFor();
    await page.keyboard.press("ArrowDown");
    const activeId = await box.getAttribute("aria-activedescendant");
    if (activeId !== (await option.getAttribute("id"))) throw new Error(`the active option is ${activeId}`);
    if ((await option.getAttribute("aria-selected")) !== "true") throw new Error("the first option is not selected");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`${rareId}\\.html#${rareAnchor}$`));
    const landed = await page.evaluate((id) => {
      const el = document.getElementById(id);
      if (!el) return "no element";
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight ? "ok" : `heading at ${r.top}px`;
    }, rareAnchor);
    if (landed !== "ok") throw new Error(`after following the result: ${landed}`);
  });

  await check("a search with no results says what to try", async () => {
    await page.goto(url("search.html?q=qqqxyzzy"));
    await page.waitForFunction(() => /No results/.test(document.getElementById("search-status").textContent));
    const status = await page.locator("#search-status").innerText();
    if (!/spelling/.test(status) || !/AIMS-POL-001/.test(status) || !/6\.1\.2/.test(status)) throw new Error(`the message reads "${status}"`);
    const boxes = await page.locator("input[type=search]").count();
    if (boxes !== 1) throw new Error(`the search page shows ${boxes} search boxes`);
    if ((await page.locator("#site-search").inputValue()) !== "qqqxyzzy") throw new Error("the header box does not hold the query");
  });

  for (const [name, path] of Object.entries(pages)) {
    await check(`axe-core finds no violations on the ${name} page`, async () => {
      await page.goto(url(path));
      if (name === "search") await page.waitForSelector(".search-results li");
      const lines = await axeViolations(page);
      if (lines.length) throw new Error("\n  " + lines.join("\n  "));
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

  await check("code is coloured by the light theme, and by the dark one in dark mode", async () => {
    const colours = () => page.evaluate(() => [...document.querySelectorAll("pre.code span")].map((s) => getComputedStyle(s).color));
    const plain = () => page.evaluate(() => getComputedStyle(document.querySelector("pre.code code")).color);
    await page.goto(url(pages.document));
    const light = await colours();
    if (light.length === 0) throw new Error("no highlighted token in the document's code block");
    const lightPlain = await plain();
    if (!light.some((c) => c !== lightPlain)) throw new Error(`every token has the text colour ${lightPlain}`);
    for (const via of ["preference", "toggle"]) {
      if (via === "preference") await page.emulateMedia({ colorScheme: "dark" });
      else await page.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
      const dark = await colours();
      await page.emulateMedia({ colorScheme: "light" });
      await page.evaluate(() => document.documentElement.removeAttribute("data-theme"));
      if (dark.length !== light.length) throw new Error("the tokens changed");
      const same = dark.filter((c, i) => c === light[i]).length;
      if (same === dark.length) throw new Error(`dark mode (${via}) shows the light theme's colours: ${dark.join(", ")}`);
    }
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
