import { type Browser, chromium } from 'playwright-core';

/**
 * The system Chromium (Debian's package), driven headless by playwright-core: playwright's own
 * browser download is not reachable here. scripts/services.sh (sourced by `pnpm test`) installs
 * it when missing and exports its path. A test that needs it fails, never skips, without it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.ANNEAL_TEST_CHROMIUM;
  if (!executablePath)
    throw new Error(
      "ANNEAL_TEST_CHROMIUM is not set. Run the tests with `pnpm test` (scripts/services.sh installs Debian's chromium and exports it), or: sudo apt-get install chromium && export ANNEAL_TEST_CHROMIUM=/usr/bin/chromium",
    );
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
