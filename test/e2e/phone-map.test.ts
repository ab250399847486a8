/**
 * The phone-first seat map in Chromium on a 360×740 touch phone, driven with CDP touch
 * events (Input.dispatchTouchEvent): on the 2,200-seat hall, pinch, pan and tap hold
 * exactly the seat under the finger at several zooms, a pan holds nothing, double-tap
 * zooms, the overview moves the view, "Show my seats" brings them back, the list mode
 * picks with the keyboard, tap targets are at least 24 px at pick zoom, and axe is clean.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seat } from '../../protocol/schemas.js';
import { expectAccessible, launchBrowser, shot, signIn, tomorrowsShows } from '../support/browser.js';
import { startHarness, TestClock, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
/** Geometry of the map (client/src/lib/seat-layout.ts): a seat cell starts EDGE pitches in; the seat is SEAT of a pitch. */
const EDGE = 1.3;
const SEAT = 1 / 1.15;
let h: Harness;
let browser: Browser;

beforeAll(async () => {
  const clock = Object.assign(new TestClock(), { now: () => Date.now() });
  h = await startHarness({ demoData: true, clock, config: { clientDir } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

let used = 0;
async function show(big: boolean): Promise<{ id: string; seats: Seat[] }> {
  const shows = await tomorrowsShows(h.url);
  const list = shows.filter((s) => (big ? s.capacity >= 2000 : s.capacity < 1000));
  const id = list[used++ % list.length]!.id;
  const map = (await (await fetch(`${h.url}/api/shows/${id}/seats`)).json()) as { seats: Seat[] };
  return { id, seats: map.seats };
}

interface Phone {
  page: Page;
  cdp: CDPSession;
}
async function phone(viewport = { width: 360, height: 740 }): Promise<Phone> {
  const u = await h.register('phone');
  const touch = viewport.width < 600;
  const context = await browser.newContext({ viewport, hasTouch: touch, isMobile: touch, deviceScaleFactor: touch ? 2 : 1 });
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return { page, cdp: await context.newCDPSession(page) };
}

type Pt = { x: number; y: number };
const touchPoints = (pts: Pt[]) => pts.map((p, id) => ({ x: p.x, y: p.y, id, radiusX: 6, radiusY: 6, force: 1 }));
async function touch(cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', pts: Pt[]) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: touchPoints(pts) });
}
async function tap(p: Phone, at: Pt) {
  await touch(p.cdp, 'touchStart', [at]);
  await touch(p.cdp, 'touchEnd', []);
}
/** Two taps sent together (CDP keeps their order), so a busy box cannot stretch them past the double-tap window. */
async function doubleTap(p: Phone, at: Pt) {
  await Promise.all([
    touch(p.cdp, 'touchStart', [at]),
    touch(p.cdp, 'touchEnd', []),
    touch(p.cdp, 'touchStart', [at]),
    touch(p.cdp, 'touchEnd', []),
  ]);
}
async function drag(p: Phone, from: Pt, to: Pt, steps = 8) {
  await touch(p.cdp, 'touchStart', [from]);
  for (let k = 1; k <= steps; k++) await touch(p.cdp, 'touchMove', [{ x: from.x + ((to.x - from.x) * k) / steps, y: from.y + ((to.y - from.y) * k) / steps }]);
  await touch(p.cdp, 'touchEnd', []);
}
/** Two fingers `d0` apart spreading to `d1`, centred on `c`. */
async function pinch(p: Phone, c: Pt, d0: number, d1: number, steps = 10) {
  const at = (d: number) => [{ x: c.x - d / 2, y: c.y }, { x: c.x + d / 2, y: c.y }];
  await touch(p.cdp, 'touchStart', at(d0));
  for (let k = 1; k <= steps; k++) await touch(p.cdp, 'touchMove', at(d0 + ((d1 - d0) * k) / steps));
  await touch(p.cdp, 'touchEnd', []);
}

interface View {
  scale: number;
  x: number;
  y: number;
  left: number;
  top: number;
  width: number;
  height: number;
}
async function view(page: Page): Promise<View> {
  return page.$eval('.viewport', (el) => {
    const r = el.getBoundingClientRect();
    const d = (el as HTMLElement).dataset;
    return { scale: Number(d.scale), x: Number(d.x), y: Number(d.y), left: r.left, top: r.top, width: r.width, height: r.height };
  });
}
const rowIndex = (seats: Seat[]) => {
  const rows = [...new Set(seats.map((s) => s.row))];
  return (s: Seat) => rows.indexOf(s.row);
};
/** Where a seat is on the page now, offset by (fx, fy) pitches from its centre. */
function seatPoint(v: View, seats: Seat[], s: Seat, fx = 0, fy = 0): Pt {
  const y = rowIndex(seats)(s);
  return { x: v.left + v.x + (s.col + EDGE + SEAT / 2 + fx) * v.scale, y: v.top + v.y + (y + SEAT / 2 + fy) * v.scale };
}
/** Free seats whose centre is well inside the visible map (away from the overview in the corner). */
function seatsInView(v: View, seats: Seat[], taken: Set<string>): Seat[] {
  return seats.filter((s) => {
    const p = seatPoint(v, seats, s);
    return !taken.has(s.id) && s.status === 'free' && !s.pair && p.x > v.left + 20 && p.x < v.left + v.width * 0.62 && p.y > v.top + 40 && p.y < v.top + v.height - 20;
  });
}
const myIds = async (page: Page) => ((await page.textContent('[data-testid=my-seats]').catch(() => '')) ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort();
const settled = (page: Page) => page.waitForTimeout(120);
/** Opens the show and scrolls the page so the whole map is on the screen, as a person would before touching it. */
async function openMap(p: Phone, showId: string, renderer: 'canvas' | 'dom') {
  await p.page.goto(`${h.url}/shows/${showId}`);
  await p.page.waitForSelector(renderer === 'canvas' ? '[data-renderer=canvas] canvas' : '[data-renderer=dom] [role=gridcell]');
  await p.page.$eval('.viewport', (el) => el.scrollIntoView({ block: 'center' }));
  await settled(p.page);
}

describe('seat map on a 360×740 touch phone (2,200-seat hall, canvas)', () => {
  it('pinch, pan and tap: every tap holds exactly the seat under the finger, at three zooms; a pan and a pinch hold nothing', async () => {
    const hall = await show(true);
    const p = await phone();
    await openMap(p, hall.id, 'canvas');
    await p.page.screenshot({ path: shot('phone-map-zoomed-out') });
    const fit = await view(p.page);
    expect(fit.scale).toBeLessThan(10); // seats of 5-9 px: too small to aim at

    // A pinch out, anchored at the fingers: the hall point under their midpoint stays there.
    const c = { x: fit.left + fit.width * 0.4, y: fit.top + fit.height * 0.5 };
    const worldBefore = { x: (c.x - fit.left - fit.x) / fit.scale, y: (c.y - fit.top - fit.y) / fit.scale };
    await pinch(p, c, 40, 160);
    await settled(p.page);
    const pinched = await view(p.page);
    expect(pinched.scale).toBeGreaterThan(fit.scale * 3);
    expect((c.x - pinched.left - pinched.x) / pinched.scale).toBeCloseTo(worldBefore.x, 0);
    expect((c.y - pinched.top - pinched.y) / pinched.scale).toBeCloseTo(worldBefore.y, 0);
    expect(await myIds(p.page)).toEqual([]);

    // A pan that starts on a seat moves the hall with the finger and holds nothing.
    const start = seatPoint(pinched, hall.seats, seatsInView(pinched, hall.seats, new Set())[0]!);
    await drag(p, start, { x: start.x - 70, y: start.y - 50 });
    await settled(p.page);
    const panned = await view(p.page);
    expect(panned.x).toBeCloseTo(pinched.x - 70, 0);
    expect(panned.y).toBeCloseTo(pinched.y - 50, 0);
    expect(await myIds(p.page)).toEqual([]);

    const held = new Set<string>();
    async function tapAndCheck(v: View, pick: Seat, fx: number, fy: number) {
      await tap(p, seatPoint(v, hall.seats, pick, fx, fy));
      held.add(pick.id);
      await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual([...held].sort());
    }
    // Zoom 1: after the pinch. Taps at the centre and near the edges of seats.
    let v = panned;
    let candidates = seatsInView(v, hall.seats, held);
    await tapAndCheck(v, candidates[0]!, 0, 0);
    await tapAndCheck(v, candidates[Math.floor(candidates.length / 2)]!, 0.35, -0.3);
    // Zoom 2: one more step with the + button (anchored at the centre).
    await p.page.tap('button[aria-label="Zoom in"]');
    await settled(p.page);
    v = await view(p.page);
    expect(v.scale).toBeCloseTo(panned.scale * 1.5, 1);
    candidates = seatsInView(v, hall.seats, held);
    await tapAndCheck(v, candidates[candidates.length - 1]!, -0.4, 0.4);
    await tapAndCheck(v, candidates[2]!, 0, 0);
    // Zoom 3: a pinch in (smaller), then taps again.
    await pinch(p, { x: v.left + v.width / 2, y: v.top + v.height / 2 }, 200, 130);
    await settled(p.page);
    v = await view(p.page);
    expect(v.scale).toBeLessThan(panned.scale * 1.5);
    expect(v.scale).toBeGreaterThanOrEqual(10);
    candidates = seatsInView(v, hall.seats, held);
    await tapAndCheck(v, candidates[1]!, 0.2, 0.2);
    await p.page.screenshot({ path: shot('phone-map-zoomed-in') });
    await expectAccessible(p.page, 'phone map zoomed in');
  });

  it('a tap at Fit or a double-tap zooms into the block under the finger to at least 24 px targets, holding nothing; + reaches 24 px too', async () => {
    const hall = await show(true);
    const p = await phone();
    await openMap(p, hall.id, 'canvas');
    const fit = await view(p.page);
    const aim = hall.seats.find((s) => s.row === 'H' && s.number === 20)!;
    const at = seatPoint(fit, hall.seats, aim);
    await doubleTap(p, at);
    await settled(p.page);
    const zoomed = await view(p.page);
    expect(zoomed.scale).toBeGreaterThanOrEqual(24); // the pitch is the tap target: ≥ 24×24 CSS px
    expect(await myIds(p.page)).toEqual([]);
    // The seat aimed at is still under the finger, now big enough to pick.
    const now = seatPoint(zoomed, hall.seats, aim);
    expect(Math.abs(now.x - at.x)).toBeLessThan(zoomed.scale * 12);
    await tap(p, now);
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual([aim.id]);

    // A double-tap at pick zoom zooms further and leaves the seat as it was.
    const before = await view(p.page);
    const other = seatsInView(before, hall.seats, new Set([aim.id]))[3]!;
    const op = seatPoint(before, hall.seats, other);
    await doubleTap(p, op);
    await settled(p.page);
    expect((await view(p.page)).scale).toBeGreaterThan(before.scale * 1.3);
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual([aim.id, other.id].sort());

    await p.page.tap('text=Fit');
    while (await p.page.isEnabled('button[aria-label="Zoom in"]')) await p.page.tap('button[aria-label="Zoom in"]');
    expect((await view(p.page)).scale).toBeGreaterThanOrEqual(24);
  });

  it('the overview shows the whole hall and moves the view; Show my seats brings held seats back; the screen stays marked', async () => {
    const hall = await show(true);
    const p = await phone();
    await openMap(p, hall.id, 'canvas');
    expect(await p.page.$('[data-testid=overview]')).toBeNull(); // nothing to find at Fit
    // Hold a seat at the front, on the left.
    const fit = await view(p.page);
    const front = hall.seats.find((s) => s.row === 'B' && s.number === 3)!;
    await tap(p, seatPoint(fit, hall.seats, front)); // zooms
    await settled(p.page);
    await tap(p, seatPoint(await view(p.page), hall.seats, front));
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual([front.id]);

    // The overview: tap its bottom-right corner to go to the back of the hall.
    const box = (await p.page.locator('[data-testid=overview]').boundingBox())!;
    const before = await view(p.page);
    await tap(p, { x: box.x + box.width - 4, y: box.y + box.height - 4 });
    await settled(p.page);
    const after = await view(p.page);
    expect(after.x).toBeLessThan(before.x - 100);
    expect(after.y).toBeLessThan(before.y - 100);
    expect(await myIds(p.page)).toEqual([front.id]); // the overview holds nothing
    // The screen is out of view: its marker stays pinned at the top.
    expect(await p.page.$eval('.viewport .screen', (el) => el.classList.contains('pinned'))).toBe(true);
    await p.page.screenshot({ path: shot('phone-map-overview') });

    // Show my seats: the held seat comes back into view.
    await p.page.tap('[data-testid=show-mine]');
    await settled(p.page);
    const back = await view(p.page);
    const pt = seatPoint(back, hall.seats, front);
    expect(pt.x).toBeGreaterThan(back.left);
    expect(pt.x).toBeLessThan(back.left + back.width);
    expect(pt.y).toBeGreaterThan(back.top);
    expect(pt.y).toBeLessThan(back.top + back.height);
    expect(back.scale).toBeGreaterThanOrEqual(24);
  });

  it('list mode picks a seat with the keyboard alone, through the same pick as the map', async () => {
    const hall = await show(true);
    const p = await phone();
    await openMap(p, hall.id, 'canvas');
    await p.page.focus('[data-testid=list-mode]');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('[data-testid=seat-list]');
    expect(await p.page.getAttribute('[data-testid=list-mode]', 'aria-pressed')).toBe('true');
    await p.page.focus('[data-testid=list-row]');
    await p.page.keyboard.press('ArrowDown'); // row B
    await p.page.keyboard.press('ArrowDown'); // row C
    expect(await p.page.$eval('[data-testid=list-row]', (el) => (el as HTMLSelectElement).selectedOptions[0]!.textContent)).toMatch(/^Row C: \d+ free$/);
    await p.page.keyboard.press('Tab');
    const first = await p.page.evaluate(() => document.activeElement?.getAttribute('data-seat'));
    expect(first).toBe('C1');
    await p.page.keyboard.press('Tab');
    await p.page.keyboard.press('Enter');
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual(['C2']);
    await p.page.waitForSelector('[data-testid=seat-list] [data-seat=C2][aria-pressed=true]');
    await p.page.screenshot({ path: shot('phone-map-list-mode') });
    await expectAccessible(p.page, 'seat list mode on a phone');
  });
});

describe('both renderers behave the same', () => {
  it('on a normal hall (one element per seat) pinch and taps hold exactly the seat under the finger too', async () => {
    const hall = await show(false);
    const p = await phone();
    await openMap(p, hall.id, 'dom');
    const fit = await view(p.page);
    await pinch(p, { x: fit.left + fit.width / 2, y: fit.top + fit.height / 2 }, 60, 150);
    await settled(p.page);
    const v = await view(p.page);
    expect(v.scale).toBeGreaterThan(fit.scale * 2);
    expect(await myIds(p.page)).toEqual([]);
    const candidates = seatsInView(v, hall.seats, new Set());
    const picks = [candidates[0]!, candidates[candidates.length - 1]!];
    for (const [k, s] of picks.entries()) {
      await tap(p, seatPoint(v, hall.seats, s, k ? 0.4 : -0.4, 0.3));
    }
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual(picks.map((s) => s.id).sort());
    // The element under the finger is the seat the hit test chose.
    const under = await p.page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-seat'), seatPoint(v, hall.seats, picks[0]!));
    expect(under).toBe(picks[0]!.id);
    await expectAccessible(p.page, 'DOM seat map zoomed on a phone');
  });

  it('on a laptop the 2,200-seat hall fits the width and a mouse click at pick zoom holds that seat', async () => {
    const hall = await show(true);
    const p = await phone({ width: 1280, height: 900 });
    await openMap(p, hall.id, 'canvas');
    const v = await view(p.page);
    expect(v.scale).toBeGreaterThanOrEqual(10);
    const aim = hall.seats.find((s) => s.row === 'M' && s.number === 30)!;
    const at = seatPoint(v, hall.seats, aim);
    await p.page.mouse.click(at.x, at.y);
    await expect.poll(() => myIds(p.page), { timeout: 5000 }).toEqual([aim.id]);
    await p.page.screenshot({ path: shot('laptop-map-grand-hall') });
    await expectAccessible(p.page, 'grand hall on a laptop');
  });
});
