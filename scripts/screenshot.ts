// A PNG of an HTML page in headless Chromium, for the pictures in docs/:
//   node packages/cli/bin/run-ts.js scripts/screenshot.ts page.html out.png [width] [height]
// Uses the system Chromium (ANNEAL_TEST_CHROMIUM, else /usr/bin/chromium), as the browser tests do.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page, out, width = '1280', height = '900'] = process.argv.slice(2);
if (!page || !out) throw new Error('usage: screenshot.ts page.html out.png [width] [height]');
const browser = await chromium.launch({
  executablePath: process.env.ANNEAL_TEST_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const tab = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.screenshot({ path: out });
} finally {
  await browser.close();
}
