/** Runs the real entry point (server/main.ts) as a child process, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/adapters/dynamo/embedded.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export async function startServerProcess(
  env: Record<string, string>,
  opts: { port?: number; waitReady?: boolean; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Seats alone, as a box office books (confirm books at once); payment tests ask for a gateway.
      PAYMENT_GATEWAY: 'none',
      // Required with STORE=aws (mailed and ticket links): this process's own address.
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test or benchmark that started it, even when that one crashes.
  const reap = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', reap);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const proc = { url: `http://127.0.0.1:${port}`, port, child, output: () => out, exited };
  if (opts.waitReady === false) return proc;
  const deadline = Date.now() + 120_000;
  while (!out.includes('Movie Magic is ready')) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`server not ready in 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}

/** Stops the servers that still run, gracefully (SIGTERM), and waits for each to exit. */
export async function stopServers(running: (ServerProcess | undefined)[]): Promise<void> {
  await Promise.all(
    running.map(async (p) => {
      if (!p || p.child.exitCode !== null) return;
      p.child.kill('SIGTERM');
      await p.exited;
    }),
  );
}

/**
 * Stops what a test started on `dataDir`: its server processes, and the DynamoDB Local
 * a killed server left behind (its pid file); then removes the folder.
 */
export async function cleanUpServers(dataDir: string, running: ServerProcess[]): Promise<void> {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  try {
    process.kill(Number(readFileSync(join(dataDir, 'dynamodb.pid'), 'utf8')), 'SIGKILL');
  } catch {
    /* no stale JVM */
  }
  rmSync(dataDir, { recursive: true, force: true });
}
