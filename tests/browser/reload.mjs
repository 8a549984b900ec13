// serve: open a page, edit its document on disk, and see the page reload by itself with the new
// text, keeping its scroll position.
//   node reload.mjs URL FILE OLD NEW
import { readFileSync, writeFileSync } from "node:fs";
import { launch, check } from "./lib.mjs";

const [url, file, oldText, newText] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
  await check("page loads with the old text", async () => {
    await page.goto(url);
    await page.waitForFunction((t) => document.body.innerText.includes(t), oldText, { timeout: 20000 });
  });
  await page.evaluate(() => window.scrollTo(0, 200));
  await page.waitForTimeout(300);
  const before = await page.evaluate(() => window.scrollY);
  let navigations = 0;
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations++; });
  writeFileSync(file, readFileSync(file, "utf8").replace(oldText, newText));
  await check("page reloads by itself with the new text", async () => {
    await page.waitForFunction((t) => document.body.innerText.includes(t), newText, { timeout: 20000 });
    if (navigations < 1) throw new Error("the text changed without a reload");
  });
  await check("the page reloads once (shown ahead of its build, not again after it)", async () => {
    await page.waitForTimeout(1500);
    if (navigations !== 1) throw new Error(`reloaded ${navigations} times`);
  });
  await check("scroll position is kept", async () => {
    await page.waitForTimeout(300);
    const after = await page.evaluate(() => window.scrollY);
    if (before > 0 && Math.abs(after - before) > 5) throw new Error(`scrolled to ${after}, was ${before}`);
  });
} finally {
  await browser.close();
}
