// The live preview in a real browser: headless Chromium (Debian's) driven
// by playwright-core loads the page of `iskra watch --preview`, sees every
// page of the book drawn, sees the changed page's picture replaced after
// an edit (and the others kept), sees the error overlay with file:line:col
// after a broken edit, and sees it go once the file is fixed.
//
//   node tests/preview/preview.mjs target/release/iskra
//
// Needs chromium at /usr/bin/chromium (or $CHROMIUM), pdfinfo, and
// playwright-core under $READER_DIR (default /opt/iskra-reader, where
// .ci/run installs it with epub.js for .ci/reader). Ends with "preview: N passed, 0 failed"; any
// failure exits 1.

import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const iskra = resolve(process.argv[2] ?? "target/release/iskra");
const playwrightDir = process.env.READER_DIR ?? "/opt/iskra-reader";
const { chromium } = createRequire(join(playwrightDir, "node_modules", "x.js"))("playwright-core");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let passed = 0;
let failed = 0;
function check(what, ok, detail = "") {
  if (ok) {
    passed += 1;
    console.log(`ok: ${what}`);
  } else {
    failed += 1;
    console.log(`FAILED: ${what} ${detail}`);
  }
}

// A series of its own: the seed article, edited as an editor saves (the
// new text written aside, then renamed over the file).
const work = mkdtempSync(join(tmpdir(), "iskra-preview-"));
const series = join(work, "russian-revolution");
cpSync("articles/russian-revolution", series, { recursive: true });
const article = join(series, "02-april-theses.md");
const original = readFileSync(article, "utf8");
function save(text) {
  const temp = join(series, ".02-april-theses.md.tmp");
  writeFileSync(temp, text);
  renameSync(temp, article);
}

const watch = spawn(iskra, ["watch", series, "-o", join(work, "out"), "--preview",
  "--addr", "127.0.0.1:0", "--ignore-system-fonts"], { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
const ready = new Promise((resolveReady, reject) => {
  watch.stderr.setEncoding("utf8");
  watch.stderr.on("data", chunk => {
    stderr += chunk;
    const address = stderr.match(/preview at (http:\/\/\S+)/);
    if (address && stderr.includes("watching")) resolveReady(address[1]);
  });
  watch.on("exit", code => reject(new Error(`iskra watch exited (${code}):\n${stderr}`)));
  setTimeout(() => reject(new Error(`iskra watch did not start:\n${stderr}`)), 120_000);
});

let browser;
try {
  const url = await ready;
  check("the preview listens on loopback", url.startsWith("http://127.0.0.1:"), url);
  const pdfPages = Number(execFileSync("pdfinfo", [join(work, "out", "russian-revolution.pdf")],
    { stdio: ["ignore", "pipe", "ignore"] }).toString().match(/Pages:\s+(\d+)/)[1]);

  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const pictureRequests = [];
  page.on("request", request => {
    if (request.url().includes("/page/")) pictureRequests.push(request.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => Number(document.body.dataset.version) >= 1
    && document.querySelectorAll("#pages img").length > 0);

  // Every page is there and drawn.
  const shown = await page.locator("#pages img").count();
  check("the page shows every page of the book", shown === pdfPages, `${shown} of ${pdfPages}`);
  const images = page.locator("#pages img");
  for (let i = 0; i < shown; i++) {
    await images.nth(i).scrollIntoViewIfNeeded();
  }
  await page.waitForFunction(() => [...document.querySelectorAll("#pages img")]
    .every(img => img.complete && img.naturalWidth > 0), null, { timeout: 60_000 });
  check("every page's picture is drawn", true);
  const labels = await page.locator("figcaption").allTextContents();
  check("pages carry their folios", labels.includes("1") && labels.includes("Cover"),
    labels.join(" "));
  const before = await images.evaluateAll(list => list.map(img => img.getAttribute("src")));
  await page.evaluate(() => window.scrollTo(0, 0));

  // An edit near the end of the article: that page changes, the cover does not.
  const version = Number(await page.evaluate(() => document.body.dataset.version));
  const requestsBefore = pictureRequests.length;
  const lastParagraph = original.trimEnd().lastIndexOf("\n\n");
  save(original.slice(0, lastParagraph) + "\n\nA new closing paragraph, added in the preview test."
    + original.slice(lastParagraph));
  await page.waitForFunction(v => Number(document.body.dataset.version) > v, version,
    { timeout: 60_000 });
  const after = await images.evaluateAll(list => list.map(img => img.getAttribute("src")));
  const changed = after.map((src, i) => src !== before[i]);
  const first = changed.indexOf(true);
  check("the edited page's picture is replaced", first >= 0);
  check("unchanged pages keep their pictures", !changed[0] && changed.some(c => !c),
    JSON.stringify(changed));
  await page.waitForFunction(i => {
    const img = document.querySelectorAll("#pages img")[i];
    return img.complete && img.naturalWidth > 0;
  }, first, { timeout: 60_000 });
  check("the new picture is drawn", true);
  const redrawn = pictureRequests.slice(requestsBefore).length;
  check("only changed pages are fetched again", redrawn > 0 && redrawn <= changed.filter(c => c).length,
    `${redrawn} requests for ${changed.filter(c => c).length} changed pages`);
  const inView = await images.nth(first).evaluate(img => {
    const box = img.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  });
  check("the view scrolls to the first changed page", inView);

  // A broken edit: the overlay names the file, line and column.
  save(original.replace("date: 2017-04-11", "date: 2017-02-30"));
  await page.waitForSelector("#overlay:not([hidden])", { timeout: 60_000 });
  const overlay = await page.locator("#overlay").innerText();
  check("the overlay names file:line:col", /02-april-theses\.md:4:7: error: .2017-02-30. is not a date/
    .test(overlay), overlay);
  check("the last good pages stay under the overlay",
    await page.locator("#pages img").count() === shown + (after.length - before.length));

  // Fixed again: the overlay goes.
  save(original);
  await page.waitForSelector("#overlay", { state: "hidden", timeout: 60_000 });
  check("the overlay goes when the file is fixed", true);
} catch (error) {
  check("the preview test ran to its end", false, `${error.stack}\n${stderr}`);
} finally {
  await browser?.close();
  watch.kill();
  rmSync(work, { recursive: true, force: true });
}

console.log(`preview: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
