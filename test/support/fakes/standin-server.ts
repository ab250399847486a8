/** What both gateway stand-ins (FAKES of Razorpay and Stripe) share: a real HTTP server on port 0 that can be made to hang. */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandinServer {
  url: string;
  /** Requests as they came: method and path (with the query). */
  requests: { method: string; path: string }[];
  /** Every API request from now waits `ms` before it is answered (a gateway timing out); 0 ends it. */
  hang(ms: number): void;
  close(): Promise<void>;
}

export async function startStandinServer(mount: (app: Express) => void): Promise<StandinServer> {
  const app = express();
  const requests: StandinServer['requests'] = [];
  let hangMs = 0;
  app.use((req: Request, _res: Response, next: NextFunction) => {
    requests.push({ method: req.method, path: req.originalUrl });
    if (hangMs > 0) setTimeout(next, hangMs).unref();
    else next();
  });
  mount(app);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hang: (ms) => {
      hangMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let counter = 0;
/** Ids shaped like the gateway's own: a prefix and 14 alphanumerics. */
export function gatewayId(prefix: string): string {
  const n = (++counter).toString(36);
  const rand = Math.random().toString(36).slice(2);
  return `${prefix}${(rand + n).replace(/[^a-z0-9]/gi, '').padEnd(14, '0').slice(-14)}`;
}
