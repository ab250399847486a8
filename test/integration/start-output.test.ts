/**
 * What `npm start` prints, from the real entry point (server/main.ts) with the embedded
 * store: under a pseudo-terminal (`script`) readable lines, one per event, for the person
 * who started the demo; with stdout piped, JSON lines, as pino users expect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../server/adapters/dynamo/embedded.js';
import { cleanUpServers } from '../support/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mm-start-output-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await cleanUpServers(dataDir, []);
});

const LOGINS = ['asha@demo.moviemagic.app', 'ravi@demo.moviemagic.app', 'staff@demo.moviemagic.app', 'admin@demo.moviemagic.app'];
// eslint-disable-next-line no-control-regex
const stripColours = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');

/** Starts server/main.ts (under a pseudo-terminal when `terminal`), waits for the ready line, stops it with Ctrl-C / SIGINT. */
async function startAndStop(terminal: boolean): Promise<{ out: string; port: number }> {
  const port = await freePort();
  const entry = `exec ${process.execPath} --import tsx server/main.ts`;
  const child = terminal
    ? spawn('script', ['-qfec', entry, '/dev/null'], { cwd: root, env: envFor(port), stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: envFor(port), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const started = Date.now();
  const deadline = started + 300_000; // the first start seeds 2,380 shows; a busy 2-core box takes minutes
  while (!out.includes('Movie Magic is ready')) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`server not ready in 300 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`[start-output] ${terminal ? 'terminal' : 'piped'}: ready after ${Date.now() - started} ms`);
  if (terminal) child.stdin!.write('\x03'); // Ctrl-C at the terminal: SIGINT to the server
  else child.kill('SIGINT');
  expect(await exited).toBe(0);
  return { out, port };
}

function envFor(port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

it('with stdout piped (pm2, CI, log shippers) every line is a pino JSON record, the ready line and demo logins among them', async () => {
  const { out, port } = await startAndStop(false);
  const lines = out.trim().split('\n');
  const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; time: number });
  expect(records.every((r) => typeof r.level === 'number' && typeof r.time === 'number')).toBe(true);
  expect(records.map((r) => r.msg)).toContain(`Movie Magic is ready on http://localhost:${port}`);
  for (const email of LOGINS) expect(records.some((r) => r.msg.includes(email)), email).toBe(true);
});

it('at a terminal it prints one readable line per event, no JSON: the ready line and every demo login in plain words', async () => {
  const { out, port } = await startAndStop(true);
  // The terminal echoes the Ctrl-C as "^C".
  const lines = stripColours(out).split('\n').map((l) => l.replace(/^\^C/, '')).filter((l) => l.trim());
  console.log(`[start-output] terminal output:\n${lines.join('\n')}`);
  // "[22:45:12] INFO: message {fields}": a clock time a person reads, the level, the message; nothing else.
  const event = /^\[\d\d:\d\d:\d\d\] (INFO|WARN): ./;
  expect(lines.filter((l) => !event.test(l))).toEqual([]); // no JSON records, no multi-line object dumps
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[[\\d:]{8}\\] INFO: Movie Magic is ready on http://localhost:${port}$`)));
  expect(lines).toContainEqual(expect.stringMatching(/INFO: demo logins \(password for all: moviemagic\)$/));
  for (const email of LOGINS) expect(lines.some((l) => l.includes(email)), email).toBe(true);
});
