import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it): never a browser a test tool downloads. */
export const CHROMIUM = process.env.STEPWISE_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium as this machine runs it: no sandbox as root, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
