// Search ranking in Chromium, opened from disk: for each QUERY=ID pair, the search page's first
// result must be document ID.
//   node search-rank.mjs SITE_DIR QUERY=ID...
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [site, ...pairs] = process.argv.slice(2);
if (!pairs.length) throw new Error("QUERY=ID pairs are needed");
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  for (const pair of pairs) {
    const [query, id] = pair.split("=");
    await check(`a search for "${query}" puts ${id} first`, async () => {
      await page.goto(pathToFileURL(join(site, "search.html")).href + "?q=" + encodeURIComponent(query));
      await page.waitForSelector(".search-results li a");
      const first = await page.locator(".search-results li a").first().innerText();
      if (!first.startsWith(id)) {
        const all = await page.locator(".search-results li a").allInnerTexts();
        throw new Error(`the results are: ${all.join(" | ")}`);
      }
    });
  }
} finally {
  await browser.close();
}
