/**
 * The rush pays: a real server process (server/main.ts) with the built-in test gateway, and the
 * `rush` runner paying every booking through the gateway's drive routes, some declined first.
 * Checked from the server's API: sold out, no seat twice, every booking confirmed, and
 * captured payments = confirmed bookings + refunds. And `pay: false` leaves bookings unpaid.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { SeatMap } from '../../protocol/index.js';
import { runRush, type RushOptions } from '../../scripts/rush/run.js';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createShow } from '../support/fixtures.js';
import { testDynamo } from '../support/harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
const catalog = createCatalogStore(dynamo);
let server: ServerProcess;

beforeAll(async () => {
  await ensureTables(dynamo);
  server = await startServerProcess({
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'rush-pays-test-secret-long-enough-for-hmac',
    PAYMENT_GATEWAY: 'test',
    LOAD_TEST: '1', // the rush signs up its users from one address
    BCRYPT_COST: '4',
    SWEEP_INTERVAL_MS: '500',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-rush-pays-')),
  });
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await dropTables(dynamo);
});

const rush = (show: string, o: Partial<RushOptions>) =>
  runRush({
    url: server.url,
    show,
    users: 60,
    rampSeconds: 2,
    durationSeconds: 120,
    untilSoldOut: true,
    mode: 'random',
    thinkMs: 50,
    releaseChance: 0.2,
    password: 'rush-password-123',
    progress: process.env.RUSH_PROGRESS ? (l) => console.log(l) : undefined,
    ...o,
  });

const seatMap = async (showId: string) => (await (await fetch(`${server.url}/api/shows/${showId}/seats`)).json()) as SeatMap;

it('60 users pay through the test gateway, 10 % declined once first: sold out, no seat twice, every booking confirmed, captured = confirmed + refunds', async () => {
  const show = await createShow(catalog, { now: Date.now(), rows: 5, perRow: 10 });
  const report = await rush(show.showId, { declineShare: 0.1 });
  const p = report.payments;
  console.log(
    `[rush pays] ${report.seconds} s, ${report.bookings} bookings, paid ${p.paid}, declined once ${p.declined}, via poll ${p.confirmedViaPoll}, confirm→booked ms ${JSON.stringify(p.confirmToBookedMs)}, confirm ack ms ${JSON.stringify(report.confirmLatencyMs)}`,
  );
  expect(report.errorsByCode).toEqual({});
  expect(p.gateway).toBe('test');
  expect(report.seatsSold).toBe(50);
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, bookedInMap: 50, ok: true });
  // Every booking was paid and seen confirmed through booking:changed (the poll is only a fallback).
  expect(p).toMatchObject({ paid: report.bookings, unpaid: 0, refunds: 0 });
  expect(p.confirmToBookedMs.n).toBe(report.bookings);
  expect(p.confirmToBookedMs.p50).toBeGreaterThan(0);
  // Decline then succeed: with ~25 bookings at 10 %, none declined is possible; but a decline never costs a booking.
  expect(p.declined).toBeLessThanOrEqual(report.bookings);
  expect(report.verify.payments).toEqual({ captured: report.bookings, confirmed: report.bookings, refunded: 0, pending: 0, expired: 0, ok: true });

  expect((await seatMap(show.showId)).seats.every((s) => s.status === 'booked')).toBe(true);
});

it('with a decline share of 1 every payment is declined once and still ends confirmed', async () => {
  const show = await createShow(catalog, { now: Date.now(), rows: 2, perRow: 10 });
  const report = await rush(show.showId, { users: 20, declineShare: 1 });
  expect(report.errorsByCode).toEqual({});
  expect(report.seatsSold).toBe(20);
  expect(report.payments).toMatchObject({ paid: report.bookings, declined: report.bookings, unpaid: 0 });
  expect(report.verify.payments).toMatchObject({ captured: report.bookings, confirmed: report.bookings, pending: 0, ok: true });
  expect(report.verify.ok).toBe(true);
});

it('pay: false leaves every booking pending_payment and counts none as booked, while the seats stay taken', async () => {
  const show = await createShow(catalog, { now: Date.now(), rows: 2, perRow: 10 });
  const report = await rush(show.showId, { users: 8, pay: false, releaseChance: 0 });
  expect(report.errorsByCode).toEqual({});
  // Up to 4 seats each on 20 seats: the last users may find none left (unpaid bookings keep theirs).
  const unpaid = report.payments!.unpaid;
  expect(unpaid).toBeGreaterThanOrEqual(5);
  expect(report.payments).toMatchObject({ gateway: 'test', paid: 0, unpaid, confirmToBookedMs: { n: 0 } });
  expect(report.bookings).toBe(0);
  expect(report.seatsSold).toBe(0);
  expect(report.verify.payments).toEqual({ captured: 0, confirmed: 0, refunded: 0, pending: unpaid, expired: 0, ok: true });
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, ok: true });
  // Unpaid bookings keep their seats until the deadline.
  expect(report.verify.bookedInMap).toBeGreaterThanOrEqual(unpaid);
});
