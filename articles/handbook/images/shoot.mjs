// Screenshots for the handbook's figures, in Debian's headless Chromium
// driven by playwright-core (as the preview test does):
//
//   node shoot.mjs URL OUT.png WIDTH HEIGHT [SCALE] [PAGE]
//
// For Iskra's preview page it waits until the book is shown, scrolls to
// the page whose folio is PAGE if given, and waits until the pictures in
// view are drawn.
import { createRequire } from "node:module";
import { join } from "node:path";

const [url, out, width, height, scale, folio] = process.argv.slice(2);
const dir = process.env.READER_DIR ?? "/opt/iskra-reader";
const { chromium } = createRequire(join(dir, "node_modules", "x.js"))("playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({
  viewport: { width: Number(width), height: Number(height) },
  deviceScaleFactor: Number(scale ?? 1),
});
await page.goto(url);
if (url.startsWith("http")) {
  await page.waitForFunction(() => document.querySelectorAll("#pages img").length > 0);
  if (folio) {
    await page.evaluate(label => [...document.querySelectorAll("figure")]
      .find(f => f.querySelector("figcaption").textContent === label)
      .scrollIntoView({ block: "start" }), folio);
  }
  await page.waitForFunction(() => [...document.querySelectorAll("#pages img")]
    .filter(img => img.getBoundingClientRect().top < window.innerHeight)
    .every(img => img.complete && img.naturalWidth > 0));
}
await page.screenshot({ path: out });
await browser.close();
