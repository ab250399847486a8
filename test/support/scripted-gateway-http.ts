/**
 * The scripted gateway (a TEST DOUBLE) across a process boundary: the test process serves its
 * calls over HTTP so a server child can be killed and restarted while the gateway (and the
 * money it captured) lives on, as a real gateway would.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { PaymentGateway } from '../../server/ports.js';
import { ScriptedGateway } from './scripted-gateway.js';

const CALLS = ['createOrder', 'status', 'refund', 'refundStatus'] as const;

/** Serves `gw`'s calls at POST /call/:name (the JSON body is the one argument). */
export async function serveGateway(gw: ScriptedGateway): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(express.json());
  app.post('/call/:name', async (req, res) => {
    const name = req.params.name as (typeof CALLS)[number];
    if (!CALLS.includes(name)) return res.status(404).end();
    try {
      res.json(await (gw[name] as (a: unknown) => Promise<unknown>).call(gw, req.body.arg));
    } catch (err) {
      res.status(502).send(String(err));
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The child's side: every call over HTTP; webhook signatures checked locally with the shared secret. */
export function remoteGateway(url: string): PaymentGateway {
  const local = new ScriptedGateway();
  const rpc = async <T>(name: (typeof CALLS)[number], arg: unknown): Promise<T> => {
    const r = await fetch(`${url}/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ arg }), signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`gateway ${name}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    name: 'test',
    createOrder: (p) => rpc('createOrder', p),
    status: (orderRef) => rpc('status', orderRef),
    parseWebhook: (raw, headers) => local.parseWebhook(raw, headers),
    refund: (r) => rpc('refund', r),
    refundStatus: (r) => rpc('refundStatus', r),
  };
}
