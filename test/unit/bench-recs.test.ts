/**
 * The README's `npm run bench:recs` command with its documented options: it runs, prints a
 * summary row per slate and taste strength with PASS or MISS against the target, marks the
 * default, and the same seed prints the same figures.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';

const bench = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/recs.ts', '--users', '400', '--no-tune', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

it('bench:recs prints one summary row per slate and strength, PASS or MISS, the default marked, the same figures for the same seed', { timeout: 60_000 }, () => {
  const out = bench('--slate', '1,2', '--taste-strength', '2', '--seed', '5');
  const rows = out.split('\n').filter((l) => /^[12]\s+2\s+[\d.]+/.test(l));
  expect(rows).toHaveLength(2);
  for (const row of rows) expect(row).toMatch(/\d\.\d\dx.*(PASS|MISS)/);
  expect(rows[1]).toContain('<- default');
  expect(out).toContain('== slate 1, taste strength 2');
  expect(out).toContain('== slate 2, taste strength 2  <- the documented default');
  const again = bench('--slate', '1,2', '--taste-strength', '2', '--seed', '5');
  expect(again.split('\n').filter((l) => /^[12]\s+2\s+[\d.]+/.test(l))).toEqual(rows);
});
