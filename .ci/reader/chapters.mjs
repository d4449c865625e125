// The EPUB's documents as a plain reading system shows them: Debian's
// chromium with no stylesheet but the book's (the harshest case, as a
// reader without image or navigation rules of its own). Checks that
//   - the cover page fits on one screen, the whole picture visible, on
//     phone, e-reader and tablet screens in both orientations;
//   - every note reference is a touch target of at least 24 x 24 CSS px
//     (WCAG 2.2's minimum) that answers a tap at its edges, and the
//     larger target moves no word of the text;
//   - the hidden landmarks and page list show nothing;
//   - no title or standfirst ends on a line of one word, and every
//     caption stands under its picture, no wider than it and flush with
//     its left edge (as in print), on a phone and on a tablet.
//
//   node chapters.mjs BOOK.epub [--shots DIR]
//
// With --shots, writes PNG screenshots of the cover and of the first
// article with notes, to look at. Exits 1 when a check fails.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, unzipEpub } from './lib.mjs';

const SCREENS = [[360, 640], [640, 360], [600, 800], [800, 600], [768, 1024], [1072, 1448], [1280, 800]];
const TARGET = 24;

async function main() {
  const [epub, ...rest] = process.argv.slice(2);
  const shots = rest[0] === '--shots' ? rest[1] : null;
  const failures = [];
  const fail = (message) => { failures.push(message); console.log(`  FAIL ${message}`); };
  const dir = unzipEpub(epub);
  const url = (file) => pathToFileURL(join(dir, 'EPUB', file)).href;
  const browser = await launch();
  try {
    const page = await browser.newPage();

    // The cover: one screen, the whole picture.
    for (const [width, height] of SCREENS) {
      await page.setViewportSize({ width, height });
      await page.goto(url('cover.xhtml'));
      const fit = await page.evaluate(() => {
        const root = document.documentElement;
        const picture = document.querySelector('svg image, img').getBoundingClientRect();
        return {
          scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth,
          picture: [picture.left, picture.top, picture.right, picture.bottom],
        };
      });
      const [left, top, right, bottom] = fit.picture;
      const onScreen = left >= -0.5 && top >= -0.5 && right <= width + 0.5 && bottom <= height + 0.5;
      const fills = Math.abs(right - left - width) < 1 || Math.abs(bottom - top - height) < 1;
      console.log(`cover at ${width} x ${height}: page ${fit.scrollWidth} x ${fit.scrollHeight}, ` +
        `picture ${Math.round(right - left)} x ${Math.round(bottom - top)}`);
      if (fit.scrollHeight > height || fit.scrollWidth > width) fail(`the cover runs over one ${width} x ${height} screen`);
      if (!onScreen || !fills) fail(`the cover picture is not whole and as large as the ${width} x ${height} screen allows`);
      if (shots && width === 600) await page.screenshot({ path: join(shots, 'cover-600x800.png') });
    }

    // Note references: large targets, nothing moved.
    await page.setViewportSize({ width: 600, height: 800 });
    const articles = readdirSync(join(dir, 'EPUB/text')).filter((f) => f.endsWith('.xhtml')).sort();
    const withNotes = articles.filter((f) => readFileSync(join(dir, 'EPUB/text', f), 'utf8').includes('doc-noteref'));
    let targets = 0;
    let smallest = [Infinity, Infinity];
    for (const file of withNotes.slice(0, 10)) {
      await page.goto(url(`text/${file}`));
      const found = await page.evaluate(() => {
        const words = () => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) out.push(`${r.left.toFixed(2)},${r.top.toFixed(2)}`);
          }
          return out.join(' ');
        };
        const links = [...document.querySelectorAll('a[role="doc-noteref"]')];
        const targets = links.map((link) => {
          link.scrollIntoView({ block: 'center' });
          const box = link.getBoundingClientRect();
          const edges = [
            [box.left + 1, box.top + box.height / 2], [box.right - 1, box.top + box.height / 2],
            [box.left + box.width / 2, box.top + 1], [box.left + box.width / 2, box.bottom - 1],
          ];
          const answers = edges.filter(([x, y]) => {
            const hit = document.elementFromPoint(x, y);
            return hit && hit.closest('a') === link;
          }).length;
          return { width: box.width, height: box.height, answers, id: link.id };
        });
        scrollTo(0, 0);
        const withTargets = words();
        const plain = document.createElement('style');
        plain.textContent = 'sup.noteref a { padding: 0 !important; margin: 0 !important }';
        document.head.append(plain);
        const withoutTargets = words();
        return { targets, moved: withTargets !== withoutTargets };
      });
      for (const t of found.targets) {
        targets++;
        smallest = [Math.min(smallest[0], t.width), Math.min(smallest[1], t.height)];
        if (t.width < TARGET || t.height < TARGET) fail(`${file}#${t.id}: a ${t.width.toFixed(1)} x ${t.height.toFixed(1)} px touch target`);
        if (t.answers < 4) fail(`${file}#${t.id}: only ${t.answers} of its 4 edges answer a tap`);
      }
      if (found.moved) fail(`${file}: the note references' touch targets move the text`);
    }
    if (withNotes.length && shots) {
      await page.goto(url(`text/${withNotes[0]}`));
      await page.screenshot({ path: join(shots, 'article-600x800.png') });
    }
    console.log(`note references: ${targets} in ${Math.min(withNotes.length, 10)} documents, smallest target ` +
      `${smallest[0].toFixed(1)} x ${smallest[1].toFixed(1)} px`);
    if (withNotes.length && !targets) fail('no note reference was measured');

    // Titles and standfirsts balanced, captions set to their pictures' width.
    let figures = 0;
    for (const width of [360, 700]) {
      await page.setViewportSize({ width, height: 900 });
      for (const file of articles) {
        await page.goto(url(`text/${file}`));
        const found = await page.evaluate(() => {
          // How many words stand on the element's last line, when it has more than one.
          const lastLine = (element) => {
            const tops = [];
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node.parentElement.closest('.part')) continue;
              for (const word of node.data.matchAll(/\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const rects = range.getClientRects();
                tops.push(Math.round(rects[rects.length - 1].top));
              }
            }
            const last = tops[tops.length - 1];
            return new Set(tops).size > 1 ? tops.filter((t) => Math.abs(t - last) < 2).length : Infinity;
          };
          const oneWord = [...document.querySelectorAll('h1, .standfirst')]
            .filter((e) => lastLine(e) === 1).map((e) => e.textContent.trim());
          const captions = [...document.querySelectorAll('figure')].filter((f) => f.querySelector('img') && f.querySelector('figcaption')).map((f) => {
            const picture = f.querySelector('img').getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(f.querySelector('figcaption'));
            const caption = range.getBoundingClientRect();
            return { off: caption.left - picture.left,
              wider: caption.width - picture.width, text: f.textContent.trim() };
          });
          return { oneWord, captions };
        });
        for (const title of found.oneWord) fail(`${file} at ${width} px: "${title}" ends on one word`);
        for (const c of found.captions) {
          figures++;
          if (Math.abs(c.off) > 1 || c.wider > 1) fail(`${file} at ${width} px: the caption "${c.text}" is not flush with its picture's left edge, or is wider`);
        }
      }
    }
    console.log(`titles and captions: ${articles.length} articles at 360 and 700 px, ${figures} captions`);

    // The hidden navigation lists show nothing.
    await page.goto(url('nav.xhtml'));
    const shown = await page.evaluate(() => ({
      hidden: [...document.querySelectorAll('nav[hidden]')].map((n) => getComputedStyle(n).display),
      text: document.body.innerText,
    }));
    if (shown.hidden.some((d) => d !== 'none')) fail('a hidden navigation list is displayed');
    for (const heading of ['Landmarks', 'Pages']) {
      if (shown.text.split('\n').some((line) => line.trim() === heading)) fail(`the contents page shows "${heading}"`);
    }
    console.log(`SUMMARY chapters screens=${SCREENS.length} note_targets=${targets} ` +
      `smallest=${smallest[0].toFixed(1)}x${smallest[1].toFixed(1)} captions=${figures} hidden_navs=${shown.hidden.length} failures=${failures.length}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
