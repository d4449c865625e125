// Word spacing of an EPUB's justified paragraphs as headless Chromium
// sets them: for every line of a justified paragraph but its last, the
// gaps between words, in em, from each word's boxes (Range.getClientRects).
// Used to decide whether soft hyphens pay (README, "Hyphenation in every
// reading system"), and by `make conformance` to keep that decision true.
//
//   node spacing.mjs [--widths 360,600] [--max-docs N] [--json] BOOK.epub...
//   node spacing.mjs [...] --compare PLAIN.epub SOFT_HYPHENS.epub
//
// Prints one SUMMARY line per book and width. With --compare, fails
// unless the second book (built with --soft-hyphens) has fewer lines with
// gaps over twice a space than the first at every width. Chromium is Debian's
// (/usr/bin/chromium), driven by playwright-core.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, unzipEpub } from './lib.mjs';

/** The gaps of every justified line in the page, in em, and line counts. */
function measure() {
  const lines = [];
  let hyphenated = 0;
  for (const p of document.querySelectorAll('p')) {
    const style = getComputedStyle(p);
    if (style.textAlign !== 'justify') continue;
    const em = parseFloat(style.fontSize);
    const boxes = [];
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('sup')) continue;
      const words = /[^\s\u00ad]+(?:\u00ad[^\s\u00ad]+)*/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (rects.length > 1) hyphenated++;
        for (const r of rects) boxes.push({ left: r.left, right: r.right, top: r.top });
      }
    }
    boxes.sort((a, b) => a.top - b.top || a.left - b.left);
    const rows = [];
    for (const box of boxes) {
      const row = rows[rows.length - 1];
      if (row && Math.abs(box.top - row[0].top) < 0.3 * em) row.push(box);
      else rows.push([box]);
    }
    rows.pop(); // the last line is set at natural width
    for (const row of rows) {
      row.sort((a, b) => a.left - b.left);
      const gaps = [];
      for (let i = 1; i < row.length; i++) {
        const gap = (row[i].left - row[i - 1].right) / em;
        if (gap > 0.05) gaps.push(gap); // smaller: a font change inside a word
      }
      if (gaps.length) lines.push(gaps.reduce((a, b) => a + b) / gaps.length);
    }
  }
  const canvas = document.createElement('canvas').getContext('2d');
  const body = getComputedStyle(document.querySelector('p') || document.body);
  canvas.font = `${body.fontStyle} ${body.fontWeight} ${body.fontSize} ${body.fontFamily}`;
  const space = canvas.measureText(' ').width / parseFloat(body.fontSize);
  return { lines, hyphenated, space, height: document.documentElement.scrollHeight };
}

function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

/** Statistics of per-line gaps (em): the figures the README quotes. */
export function summarise(lines, space) {
  const sorted = [...lines].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / (n || 1);
  const sd = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (n || 1));
  const over = (limit) => sorted.filter((g) => g > limit).length / (n || 1);
  return {
    lines: n, mean, sd, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95),
    max: sorted[n - 1] || 0, space,
    over2x: over(2 * space), over3x: over(3 * space),
  };
}

async function main() {
  const args = process.argv.slice(2);
  let widths = [360, 600];
  let maxDocs = Infinity;
  let json = false;
  let compare = false;
  const books = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--widths') widths = args[++i].split(',').map(Number);
    else if (args[i] === '--max-docs') maxDocs = Number(args[++i]);
    else if (args[i] === '--json') json = true;
    else if (args[i] === '--compare') compare = true;
    else books.push(args[i]);
  }
  const browser = await launch();
  const results = [];
  try {
    for (const book of books) {
      const dir = unzipEpub(book);
      const docs = readdirSync(join(dir, 'EPUB/text')).filter((f) => f.endsWith('.xhtml')).sort().slice(0, maxDocs);
      for (const width of widths) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        let lines = [];
        let hyphenated = 0;
        let height = 0;
        let space = 0;
        for (const doc of docs) {
          await page.goto(pathToFileURL(join(dir, 'EPUB/text', doc)).href);
          const m = await page.evaluate(measure);
          lines = lines.concat(m.lines);
          hyphenated += m.hyphenated;
          height += m.height;
          space = m.space;
        }
        await page.close();
        const s = { book, width, docs: docs.length, hyphenated, height, ...summarise(lines, space) };
        results.push(s);
        if (!json) {
          const f = (x) => x.toFixed(3);
          console.log(`SUMMARY spacing book=${book} width=${width} docs=${s.docs} lines=${s.lines} ` +
            `mean=${f(s.mean)} sd=${f(s.sd)} p50=${f(s.p50)} p95=${f(s.p95)} max=${f(s.max)} ` +
            `space=${f(s.space)} over2x=${f(s.over2x)} over3x=${f(s.over3x)} hyphenated=${s.hyphenated} height=${s.height}`);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
  }
  if (json) console.log(JSON.stringify(results, null, 1));
  if (compare) {
    const [plain, soft] = books;
    for (const width of widths) {
      const a = results.find((r) => r.book === plain && r.width === width);
      const b = results.find((r) => r.book === soft && r.width === width);
      const better = b.over2x < a.over2x;
      console.log(`spacing at ${width} px: lines with gaps over twice a space ${(100 * a.over2x).toFixed(1)} % ` +
        `without soft hyphens, ${(100 * b.over2x).toFixed(1)} % with${better ? '' : ' (NOT FEWER)'}`);
      if (!better) process.exitCode = 1;
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => { console.error(e); process.exit(2); });
}
