// The EPUB in a real reading engine: epub.js 0.3.93 in headless Chromium
// (Debian's, driven by playwright-core). Opens the book as a reader
// would, then checks that
//   - the contents list every article, and each entry opens a document
//     whose heading is the entry's title;
//   - the page list holds the print edition's page labels, in order;
//   - going to a print page shows, from its marker on, the words that
//     begin that page of the PDF (pdftotext): exactly, or one word early
//     when a word is hyphenated across the page turn;
//   - words of the text are found by the engine's search.
//
//   node reading-engine.mjs BOOK.epub BOOK.pdf [--pages all|N] [--search N]
//
// Prints the figures and a SUMMARY line; exits 1 when a check fails.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { launch, resolve } from './lib.mjs';

const EPUBJS = join(dirname(resolve('epubjs/package.json')), 'dist/epub.min.js');
const JSZIP = resolve('jszip/dist/jszip.min.js');
const WIDTH = 600;
/** Poppler's complaints about a PDF are the PDF checks' business. */
const QUIET = { stdio: ['ignore', 'pipe', 'ignore'] };
const HEIGHT = 800;

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="/jszip.js"></script><script src="/epub.js"></script>
<style>body { margin: 0 } #viewer { width: ${WIDTH}px; height: ${HEIGHT}px }</style>
</head><body><div id="viewer"></div></body></html>`;

/** Serves the page, the two scripts and the book on a loopback port. */
function serve(epub) {
  const files = {
    '/': ['text/html', PAGE],
    '/epub.js': ['text/javascript', readFileSync(EPUBJS)],
    '/jszip.js': ['text/javascript', readFileSync(JSZIP)],
    '/book.epub': ['application/epub+zip', readFileSync(epub)],
  };
  const server = createServer((req, res) => {
    const file = files[req.url];
    if (!file) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': file[0] });
    res.end(file[1]);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The PDF's page labels, from its /PageLabels (qpdf's JSON). */
function pdfLabels(pdf) {
  const count = Number(execFileSync('pdfinfo', [pdf], QUIET).toString().match(/Pages:\s+(\d+)/)[1]);
  const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=pagelabels', pdf], QUIET).toString());
  const ranges = json.pagelabels || [];
  const roman = (n) => {
    const parts = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'],
      [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
    let out = '';
    for (const [value, text] of parts) while (n >= value) { out += text; n -= value; }
    return out;
  };
  const labels = [];
  for (let page = 0; page < count; page++) {
    const range = ranges.filter((r) => r.index <= page).pop();
    if (!range) { labels.push(String(page + 1)); continue; }
    const l = range.label;
    const n = (l['/St'] || 1) + page - range.index;
    const prefix = (l['/P'] || '').replace(/^u:/, '');
    const style = { '/D': String(n), '/r': roman(n), '/R': roman(n).toUpperCase() }[l['/S']] ?? '';
    labels.push(prefix + style);
  }
  return labels;
}

/** Words for comparing: letters and digits only, lower case. */
function words(text) {
  return text
    .replace(/[\u00ad-]\s*\n\s*/g, '') // a word hyphenated at a line end
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
}

/** Whether `needle` occurs in `hay` as a run. */
function holds(hay, needle) {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function main() {
  const [epub, pdf, ...rest] = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : fallback;
  };
  const pagesWanted = option('--pages', 'all');
  const searchWords = Number(option('--search', '200'));
  const failures = [];
  const fail = (message) => { failures.push(message); console.log(`  FAIL ${message}`); };

  const server = await serve(epub);
  const browser = await launch();
  const started = Date.now();
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    page.on('pageerror', (e) => fail(`epub.js: ${e.message}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const opened = await page.evaluate(async () => {
      window.book = ePub('/book.epub', { openAs: 'epub' });
      window.rendition = book.renderTo('viewer', { width: 600, height: 800, flow: 'paginated', spread: 'none' });
      await rendition.display();
      const navigation = await book.loaded.navigation;
      // The page list is parsed with the navigation document.
      const pageList = book.pageList || {};
      const flat = (items) => items.flatMap((i) => [i, ...flat(i.subitems || [])]);
      return {
        title: (await book.loaded.metadata).title,
        spine: book.spine.spineItems.map((s) => s.href),
        toc: navigation.toc.map((t) => ({ label: t.label.trim(), href: t.href, children: flat(t.subitems || []).length })),
        pages: (pageList.pageList || []).map((p) => ({ label: p.page, href: p.href })),
      };
    });
    console.log(`epub.js opened "${opened.title}": ${opened.spine.length} spine documents, ` +
      `${opened.toc.length} contents entries, ${opened.pages.length} print pages`);

    // The contents: one entry per article document, each opening it.
    const articles = opened.spine.filter((href) => href.startsWith('text/'));
    if (opened.toc.length !== articles.length) fail(`contents has ${opened.toc.length} entries for ${articles.length} articles`);
    let tocChecked = 0;
    for (const [i, entry] of opened.toc.entries()) {
      if (entry.href.split('#')[0] !== articles[i]) fail(`contents entry ${i + 1} points to ${entry.href}, not ${articles[i]}`);
      const heading = await page.evaluate(async (href) => {
        await rendition.display(href);
        const doc = rendition.getContents()[0].document;
        // The title, without the part label that heads it.
        const h1 = doc.querySelector('h1')?.cloneNode(true);
        h1?.querySelector('.part')?.remove();
        return h1?.textContent.replace(/\u00ad/g, '').trim();
      }, entry.href);
      const title = entry.label.replace(/^Part \d+: /, '');
      if (heading !== title) fail(`contents entry "${entry.label}" opens a page headed "${heading}"`);
      tocChecked++;
    }

    // The page list: the print edition's labels, in order.
    const labels = pdfLabels(pdf);
    const physical = new Map(labels.map((label, i) => [label, i + 1]));
    let previous = 0;
    for (const p of opened.pages) {
      const at = physical.get(String(p.label));
      if (!at) fail(`page list label ${p.label} is no page of the PDF`);
      else if (at <= previous) fail(`page list label ${p.label} comes out of order`);
      previous = at ?? previous;
    }

    // Going to a print page shows that page's words.
    const chosen = pagesWanted === 'all'
      ? opened.pages
      : opened.pages.filter((_, i, all) => i % Math.max(1, Math.floor(all.length / Number(pagesWanted))) === 0);
    let exact = 0;
    let wordEarly = 0;
    for (const target of chosen) {
      const shown = await page.evaluate(async (href) => {
        await rendition.display(href);
        const location = rendition.currentLocation();
        const contents = rendition.getContents()[0];
        const marker = contents.document.getElementById(href.split('#')[1]);
        if (!marker) return null;
        // On the screen: the marker's place, in the reader's window.
        const frame = contents.document.defaultView.frameElement.getBoundingClientRect();
        const box = marker.getBoundingClientRect();
        const x = frame.left + box.left;
        const y = frame.top + box.top;
        if (x < 0 || x >= innerWidth || y < 0 || y >= innerHeight) return null;
        // What the screen shows from the marker to its end.
        const shown = contents.document.createRange();
        const end = contents.range(location.end.cfi);
        shown.setStartBefore(marker);
        shown.setEnd(end.endContainer, end.endOffset);
        // A space after each block and table cell, as the PDF's text has
        // one: a page that opens on a table reads "Year Strikes", not
        // "YearStrikes".
        const copy = shown.cloneContents();
        for (const block of copy.querySelectorAll('p, li, td, th, h1, h2, h3, h4, h5, h6, figcaption, blockquote, div')) {
          block.append(' ');
        }
        return copy.textContent;
      }, target.href);
      if (shown === null) { fail(`print page ${target.label}: its marker is not on the screen epub.js shows`); continue; }
      const at = physical.get(String(target.label));
      const printed = words(execFileSync('pdftotext', ['-f', String(at), '-l', String(at), pdf, '-'], QUIET).toString()).slice(0, 40);
      const screen = words(shown);
      if (holds(printed, screen.slice(0, 5))) exact++;
      else if (holds(printed, screen.slice(1, 6))) wordEarly++;
      else fail(`print page ${target.label}: the screen shows "${screen.slice(0, 6).join(' ')}", the PDF page "${printed.slice(0, 12).join(' ')}"`);
    }
    console.log(`print pages: ${chosen.length} visited, ${exact} start exactly on their PDF page, ` +
      `${wordEarly} one word early (a word hyphenated across the page turn)`);

    // Search: words of the text are found by the engine's own search.
    const searched = await page.evaluate(async (count) => {
      const tried = [];
      let found = 0;
      const articles = book.spine.spineItems.filter((s) => s.href.startsWith('text/'));
      const per = Math.max(1, Math.ceil(count / articles.length));
      for (const section of articles) {
        if (tried.length >= count) break;
        await section.load(book.load.bind(book));
        const text = [...section.document.querySelectorAll('p')].map((p) => p.textContent).join(' ');
        const candidates = text.replace(/\u00ad/g, '').split(/[^\p{L}]+/u).filter((w) => w.length >= 8);
        for (let i = 0; i < per && candidates.length; i++) {
          const word = candidates[(i * 7919) % candidates.length];
          tried.push(word);
          if (section.search(word).length > 0) found++;
        }
        section.unload();
      }
      return { tried: tried.length, found };
    }, searchWords);
    console.log(`search: ${searched.found} of ${searched.tried} words of eight letters or more found`);
    if (searched.found < searched.tried) fail(`search finds ${searched.found} of ${searched.tried} words`);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`SUMMARY reading-engine engine=epub.js-0.3.93 contents=${tocChecked} pages=${opened.pages.length} ` +
      `visited=${chosen.length} exact=${exact} word_early=${wordEarly} search=${searched.found}/${searched.tried} ` +
      `failures=${failures.length} seconds=${seconds}`);
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
