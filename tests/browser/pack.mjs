// The unpacked Stage 1 pack in Chromium, opened from disk (file://): the site lists the documents,
// search finds a known word, the register filters, print.html holds every document and appendix.
//   node pack.mjs PACK_DIR WORD EXPECTED_ID DOCUMENT_IDS(comma-separated) SCREENSHOT_DIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [pack, word, expectedId, idList, shots] = process.argv.slice(2);
const ids = idList.split(",");
const url = (p) => pathToFileURL(join(pack, p)).href;
mkdirSync(shots, { recursive: true });

const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Nothing may be fetched from the network: every request stays on file://.
  page.on("request", (r) => {
    if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) errors.push(`network request: ${r.url()}`);
  });

  await check("index.html opens from disk and leads to every document", async () => {
    await page.goto(url("index.html"));
    const title = await page.title();
    if (!title) throw new Error("no title");
    await page.click('a[href="documents.html"]');
    await page.waitForURL(/documents\.html$/);
    for (const id of ids) {
      const link = page.locator(`a[href="doc/${id}.html"]`);
      if ((await link.count()) === 0) throw new Error(`documents.html does not list ${id}`);
    }
    await page.locator(`a[href="doc/${ids[0]}.html"]`).first().click();
    await page.waitForURL(new RegExp(`doc/${ids[0]}\\.html$`));
    if ((await page.locator(".control-block").count()) === 0) throw new Error("no control block on the document page");
  });

  await check(`search for "${word}" from disk finds ${expectedId}`, async () => {
    await page.goto(url("index.html"));
    await page.fill("#site-search", word);
    await page.keyboard.press("Enter");
    await page.waitForURL(/search\.html\?q=/);
    await page.waitForSelector(".search-results li a");
    const text = await page.locator(".search-results li a").first().innerText();
    if (!text.includes(expectedId)) throw new Error(`first result is "${text}"`);
    await page.screenshot({ path: join(shots, "pack-search.png") });
  });

  await check("the register filters rows from disk", async () => {
    await page.goto(url("register.html"));
    await page.fill("#register-filter", expectedId);
    const visible = await page.locator("#register tbody tr:not([hidden])").count();
    if (visible !== 1) throw new Error(`${visible} rows shown for ${expectedId}`);
  });

  await check("print.html holds every document with its control block, then the appendices", async () => {
    await page.goto(url("print.html"));
    for (const id of ids) {
      const section = page.locator(`article#doc-${id}`);
      if ((await section.count()) !== 1) throw new Error(`print.html has no section for ${id}`);
      if ((await section.locator(".control-block").count()) === 0) throw new Error(`${id} has no control block in print.html`);
    }
    for (const a of ["appendix-soa", "appendix-register", "appendix-coverage", "appendix-readiness"]) {
      if (!(await page.locator(`#${a}`).isVisible())) throw new Error(`${a} is not shown`);
    }
    await page.screenshot({ path: join(shots, "pack-print.png") });
  });

  await check("no script errors and no network requests", async () => {
    if (errors.length) throw new Error(errors.join("\n"));
  });
} finally {
  await browser.close();
}
