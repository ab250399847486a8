/**
 * npm run ops:panels -- [SERIES.json] [--out docs/images/dashboard.png]
 * Draws the Grafana dashboard's panels (ops/panels.ts) from a /metrics series captured during
 * `npm run bench:rush -- --metrics-series SERIES.json` (default bench/out/metrics-series.json):
 * the same rates and quantiles computed here, charted with vega-lite (SVG, no native code, no
 * download at run time) and screenshotted to PNG in Debian's Chromium (playwright-core).
 * Grafana itself is not installable on these machines (no Debian package); this is its stand-in.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { evaluate, PANELS, type Scrape } from './panels.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
};
const input = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? 'bench/out/metrics-series.json';
const out = opt('out', 'docs/images/dashboard.png');
const capture = JSON.parse(readFileSync(input, 'utf8')) as { title?: string; scrapes: Scrape[] };

const end = Math.max(...capture.scrapes.map((s) => s.t)) / 1000;
const specs = PANELS.map((panel) => {
  const ms = panel.unit === 's';
  const values = evaluate(panel, capture.scrapes).map((p) => ({ t: p.t / 1000, series: p.series, value: ms ? p.value * 1000 : p.value }));
  return {
    title: { text: panel.title, fontSize: 13, anchor: 'start' as const },
    width: 380,
    height: 170,
    data: { values },
    mark: { type: 'line' as const, strokeWidth: 1.5, point: false },
    encoding: {
      x: { field: 't', type: 'quantitative' as const, title: 'seconds into the rush', scale: { domain: [0, Math.ceil(end)] } },
      y: { field: 'value', type: 'quantitative' as const, title: ms ? 'ms' : panel.unit === 'ops' ? 'per second' : 'count' },
      color: { field: 'series', type: 'nominal' as const, legend: { orient: 'bottom' as const, title: null, columns: 3, labelLimit: 160 } },
    },
  };
});
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: capture.title ?? 'Movie Magic: release-day sale (from /metrics during npm run bench:rush)', fontSize: 16 },
  config: { background: '#ffffff', font: 'DejaVu Sans, sans-serif', view: { stroke: '#ddd' } },
  columns: 3,
  concat: specs,
  // Each panel its own colours and legend, as in Grafana.
  resolve: { scale: { color: 'independent' as const }, legend: { color: 'independent' as const } },
};
const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
const svg = await view.toSVG();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
  const png = await page.locator('svg').first().screenshot();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, png);
  console.log(`wrote ${out} (${PANELS.length} panels, ${capture.scrapes.length} scrapes)`);
} finally {
  await browser.close();
}
