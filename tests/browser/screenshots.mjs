// Screenshots of the bundled example at phone and desktop widths, written as test artefacts:
// home, a document, the Statement of Applicability and the register, light theme.
//   node screenshots.mjs SITE_DIR OUT_DIR
import { mkdirSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { launch, check } from "./lib.mjs";

const [site, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const pages = [
  ["home", "index.html"],
  ["document", "doc/AIMS-POL-004.html"],
  ["soa", "soa.html"],
  ["register", "register.html"],
];
const browser = await launch();
try {
  for (const [width, height] of [[390, 844], [1400, 1000]]) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: "light" });
    for (const [name, rel] of pages) {
      await check(`${name} at ${width} px`, async () => {
        await page.goto(pathToFileURL(`${site}/${rel}`).href);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) throw new Error(`${rel} scrolls sideways by ${overflow} px at ${width} px`);
        const file = `${out}/${name}-${width}.png`;
        await page.screenshot({ path: file, fullPage: false });
        if (statSync(file).size < 10000) throw new Error(`${file} is nearly empty`);
      });
    }
    await page.close();
  }
} finally {
  await browser.close();
}
