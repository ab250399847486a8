/** moto_server (Python AWS emulator on these machines' image) on a free port, if installed. */
import { spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../server/adapters/dynamo/embedded.js';

export const hasMoto = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;

export async function startMoto(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`moto_server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
