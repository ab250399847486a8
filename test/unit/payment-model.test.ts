/** The payment protocol's Promela model (docs/models/payments.pml), checked by spin. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = readFileSync(`${root}scripts/check-model.sh`, 'utf8');
/** The broken variants the script runs: its `variants=(...)` list. */
const variants = script.match(/^variants=\(([^)]*)\)/m)![1]!.split(/\s+/).filter(Boolean);

let report = '';
let exitCode = 0;
beforeAll(async () => {
  try {
    ({ stdout: report } = await promisify(execFile)('bash', ['scripts/check-model.sh'], { cwd: root }));
  } catch (e) {
    const failure = e as { stdout?: string; stderr?: string; code?: number };
    report = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    exitCode = failure.code ?? 1;
  }
}, 170_000);

describe('the payment protocol model', () => {
  it('passes an exhaustive search: no invariant broken, no invalid end state, search complete', () => {
    expect(report).toMatch(/^PASS correct: \d+ states, stored/m);
    expect(exitCode, report).toBe(0);
  });
  it('the script names every BROKEN_ switch the model has, so none goes unchecked', () => {
    const inModel = new Set(readFileSync(`${root}docs/models/payments.pml`, 'utf8').match(/\bBROKEN_[A-Z_]+/g));
    expect([...inModel].sort()).toEqual([...variants].sort());
  });
  it.each(variants)('rejects the broken variant %s with a named invariant', (variant) => {
    expect(report).toMatch(new RegExp(`^CAUGHT ${variant}: assertion violated !\\(\\w+\\)`, 'm'));
  });
});
