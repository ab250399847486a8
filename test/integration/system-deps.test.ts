/**
 * scripts/system-deps.sh (run by `npm test`, `npm start` and `.ci/run`) on a machine that
 * lacks a tool: a PATH without it, run as an unprivileged user (nobody, when the test runs
 * as root). apt-get and sudo are fakes on that PATH that record their calls, so nothing is
 * installed for real.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/system-deps.sh', import.meta.url).pathname;
const REAL_TOOLS = ['java', 'chromium', 'redis-server', 'pdftotext', 'zbarimg', 'spin', 'gcc', 'env', 'true'];
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function which(tool: string): string {
  const r = spawnSync('bash', ['-c', `type -P ${tool}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} is not installed here; the suite needs it (scripts/system-deps.sh test)`);
  return r.stdout.trim();
}

/**
 * A bin directory with the real `tools` and fake apt-get and sudo. Fake apt-get logs its
 * arguments and, on install, puts a stand-in `chromium` or `java` on the PATH; fake sudo is one that
 * wants a password (`-n` fails) unless `passwordless`.
 */
function fakeBin(tools: string[], opts: { passwordless?: boolean; aptFails?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mm-deps-'));
  dirs.push(dir);
  chmodSync(dir, 0o777); // written by the fakes, which run as nobody
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  chmodSync(log, 0o666);
  for (const t of tools) symlinkSync(which(t), join(dir, t));
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  script(
    'apt-get',
    `echo "apt-get DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> ${log}\n` +
      (opts.aptFails
        ? 'exit 100'
        : `[[ $1 == install ]] || exit 0\nfor p in "$@"; do case $p in chromium) c=chromium ;; openjdk-17-jre-headless) c=java ;; *) continue ;; esac\n` +
          `printf '#!/bin/bash\\n' > ${dir}/$c; /bin/chmod +x ${dir}/$c; done`),
  );
  script(
    'sudo',
    `echo "sudo $*" >> ${log}\n` + (opts.passwordless ? '[[ $1 == -n ]] && shift\nexec "$@"' : '[[ $1 == -n ]] && { echo "sudo: a password is required" >&2; exit 1; }\nread -r -p "[sudo] password: " pw\nexit 1'),
  );
  return { dir, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];

/** Runs the script as an unprivileged user with only `bin` on the PATH and no terminal (or, `atTerminal`, under a pseudo-terminal typing `input`). */
function run(mode: 'test' | 'start', bin: string, env: Record<string, string> = {}, atTerminal?: { input: string }) {
  // A copy the unprivileged user can read wherever the checkout is (a clone under a 0700 mktemp dir, say).
  const script = join(bin, 'system-deps.sh');
  copyFileSync(SCRIPT, script);
  chmodSync(script, 0o644);
  const inner = ['env', '-i', `PATH=${bin}`, `HOME=${bin}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/bin/bash', script, mode];
  const argv = [...asNobody, ...(atTerminal ? ['script', '-qec', inner.join(' '), '/dev/null'] : inner)];
  const started = Date.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input: atTerminal?.input ?? '', timeout: 30_000 });
  const ms = Date.now() - started;
  console.log(`[system-deps] ${mode} with PATH=${bin.split('/').pop()}: exit ${r.status} after ${ms} ms`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('with every package present it exits 0 and prints nothing on stdout', () => {
  const started = Date.now();
  const r = spawnSync('bash', [SCRIPT, 'test'], { encoding: 'utf8' });
  console.log(`[system-deps] everything present: exit ${r.status} after ${Date.now() - started} ms; stderr: ${JSON.stringify(r.stderr.trim())}`);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toBe('');
});

it('npm test without chromium, not root and sudo wanting a password: exits 1 naming the one apt command, runs no apt-get and asks nothing', () => {
  const bin = fakeBin(REAL_TOOLS.filter((t) => t !== 'chromium'));
  const r = run('test', bin.dir);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('chromium');
  expect(r.stderr).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n');
  expect(r.stderr).not.toMatch(/openjdk|redis-server |poppler|zbar-tools/); // only what is missing
  expect(bin.calls()).toEqual(['sudo -n true']); // asked sudo whether it needs a password, never prompted for one
});

it('npm test without chromium and with passwordless sudo: installs it with apt (noninteractive), checks again and exits 0', () => {
  const bin = fakeBin(REAL_TOOLS.filter((t) => t !== 'chromium'), { passwordless: true });
  const r = run('test', bin.dir);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toContain('installing with apt: chromium');
  expect(bin.calls()).toEqual([
    'sudo -n true',
    'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq',
    'apt-get DEBIAN_FRONTEND=noninteractive update -qq',
    'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium',
    'apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends chromium',
  ]);
});

it('when apt-get fails (no network) it exits 1 with the command to run', () => {
  const bin = fakeBin(REAL_TOOLS.filter((t) => t !== 'chromium'), { passwordless: true, aptFails: true });
  const r = run('test', bin.dir);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('sudo apt-get install -y --no-install-recommends chromium');
});

it('says plainly that the SNS tests will be skipped when moto_server is missing, without failing', () => {
  const bin = fakeBin(REAL_TOOLS);
  const r = run('test', bin.dir);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/moto_server is not installed, so the SNS tests .* will be skipped/);
});

it('npm start needs only Java: without it (no terminal to ask at) exits 1 naming openjdk-17-jre-headless; STORE=aws needs none', () => {
  const bin = fakeBin(['env', 'true'], { passwordless: true });
  const r = run('start', bin.dir);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('the embedded store (DynamoDB Local runs on Java)');
  expect(r.stderr).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless\n');
  expect(r.stderr).not.toMatch(/chromium|moto_server/);
  expect(bin.calls()).toEqual(['sudo -n true']); // nothing installed unasked
  expect(run('start', bin.dir, { STORE: 'aws' })).toMatchObject({ status: 0, stderr: '' });
});

it('npm start at a terminal asks before installing Java: "n" installs nothing and names the command, "y" installs it', () => {
  const no = fakeBin(['env', 'true'], { passwordless: true });
  const refused = run('start', no.dir, {}, { input: 'n\n' });
  expect(refused.status).toBe(1);
  expect(refused.stdout).toContain('Install openjdk-17-jre-headless with apt now? [y/N]');
  expect(refused.stdout).toContain('sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless');
  expect(no.calls()).toEqual(['sudo -n true']);

  const yes = fakeBin(['env', 'true'], { passwordless: true });
  const installed = run('start', yes.dir, {}, { input: 'y\n' });
  expect(installed.status, installed.stdout).toBe(0);
  expect(yes.calls().filter((c) => c.startsWith('apt-get'))).toEqual([
    'apt-get DEBIAN_FRONTEND=noninteractive update -qq',
    'apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends openjdk-17-jre-headless',
  ]);
});
