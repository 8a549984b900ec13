// A register of several pages in Chromium, opened from disk (file://): the filter says it sees
// the page it is on, the pager leads from page to page, and axe-core finds nothing on the pager.
//   node pages.mjs SITE_DIR
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [site] = process.argv.slice(2);
if (!site) throw new Error("SITE_DIR is needed");
const url = (p) => pathToFileURL(join(site, p)).href;
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const browser = await launch();
try {
  const page = await browser.newPage();
  await check("the register's filter says it sees one page of the register", async () => {
    await page.goto(url("register-2.html"));
    const count = await page.locator(".register-count").innerText();
    if (count !== "5 of 5 documents on this page") throw new Error(`count reads "${count}"`);
    await page.fill("#register-filter", "AIMS-PRO-007");
    const after = await page.locator(".register-count").innerText();
    if (after !== "1 of 5 documents on this page") throw new Error(`filtered count reads "${after}"`);
    const note = await page.locator(".register-tools .note").innerText();
    if (!note.includes("this page only") || !note.includes("register.csv")) throw new Error(`note reads "${note}"`);
  });
  await check("the pager leads to the next page and back", async () => {
    await page.goto(url("register-2.html"));
    await page.locator("nav.pager").first().locator("a[rel=next]").click();
    if (!page.url().endsWith("/register-3.html")) throw new Error(`next led to ${page.url()}`);
    const current = await page.locator("nav.pager").first().locator("a[aria-current=page]").innerText();
    if (current !== "3") throw new Error(`the current page reads "${current}"`);
    await page.locator("nav.pager").first().locator("a[rel=prev]").click();
    if (!page.url().endsWith("/register-2.html")) throw new Error(`previous led to ${page.url()}`);
  });
  await check("axe-core finds nothing on the pager", async () => {
    await page.goto(url("register-2.html"));
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run("nav.pager", { resultTypes: ["violations"] });
      return r.violations.map((v) => `${v.id}: ${v.help}`);
    });
    if (violations.length) throw new Error(violations.join("\n"));
  });
} finally {
  await browser.close();
}
