/** Debian's Chromium driven by playwright-core; nothing is downloaded. */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, localDate } from '../../server/domain/show-time.js';
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

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const routed = new WeakSet<Page>();

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (from node_modules) on the page as it is now and fails on any serious or
 * critical violation, naming rule, nodes and `where`. Minor and moderate ones are returned
 * (and printed) so they stay visible without failing the run.
 */
export async function expectAccessible(page: Page, where: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // The app's CSP allows only same-origin scripts (no inline ones): serve axe from
    // node_modules at a same-origin address the test answers itself.
    const url = `${new URL(page.url()).origin}/__test/axe.min.js`;
    if (!routed.has(page)) {
      await page.route(url, (route) => route.fulfill({ path: axeSource, contentType: 'text/javascript' }));
      routed.add(page);
    }
    await page.addScriptTag({ url });
  }
  const findings = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const rest = findings.filter((f) => !blocking.includes(f));
  if (rest.length) console.log(`[axe] ${where}: ${rest.map((f) => `${f.id} (${f.impact}, ${f.nodes.length} nodes)`).join(', ')}`);
  if (blocking.length) {
    throw new Error(`axe found ${blocking.length} serious/critical violation(s) on ${where}:\n` + blocking.map((f) => `- ${f.id} (${f.impact}): ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n'));
  }
  return rest;
}

/** Tomorrow's demo shows in Hyderabad (theatre-local date), in listing order: what the browser tests book on. */
export async function tomorrowsShows(url: string): Promise<{ id: string; capacity: number }[]> {
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const r = (await (await fetch(`${url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as { shows: { id: string; capacity: number }[] };
  return r.shows;
}
