// What the reader checks share: the node modules (installed by .ci/run
// into READER_DIR, default /opt/iskra-reader, like Ace), Debian's
// chromium with the flags that work on a closed network, and unzipping.
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export const READER_DIR = process.env.READER_DIR || '/opt/iskra-reader';
export const INSTALL = `npm install --prefix ${READER_DIR} epubjs@0.3.93 playwright-core@1.64.1`;

/** A module from READER_DIR, or a clear message of how to install it. */
export function load(name) {
  if (!existsSync(join(READER_DIR, 'node_modules', name))) {
    console.error(`reader: ${name} is missing from ${READER_DIR} (${INSTALL})`);
    process.exit(2);
  }
  return createRequire(join(READER_DIR, 'package.json'))(name);
}

/** Where a module's file is, inside READER_DIR. */
export function resolve(name) {
  return createRequire(join(READER_DIR, 'package.json')).resolve(name);
}

/** Headless chromium (Debian's), without the network it cannot reach. */
export async function launch() {
  const { chromium } = load('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The EPUB unzipped into a new temporary folder, removed when the process exits. */
export function unzipEpub(epub) {
  const dir = mkdtempSync(join(tmpdir(), 'iskra-epub-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync('unzip', ['-q', epub, '-d', dir]);
  return dir;
}
