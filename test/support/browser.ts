/** Debian's Chromium driven by playwright-core; nothing is downloaded. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export const shot = (name: string) => join(artifactsDir, `${name}.png`);

/**
 * Logs in from inside the page, as the app's own form does: the browser keeps the
 * refresh cookie (httpOnly, so no script could plant it), and the app restores the
 * session from it on the next load.
 */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  const status = await page.evaluate(
    async ({ email, password }) => {
      const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (res.ok) localStorage.setItem('mm.user', JSON.stringify(((await res.json()) as { user: unknown }).user));
      return res.status;
    },
    { email, password },
  );
  if (status !== 200) throw new Error(`sign-in failed: ${status}`);
}
