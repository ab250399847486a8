import { describe, expect, it } from 'vitest';
import { DEFAULT_DOOR_POLICY, doorTiming, doorWindow } from '../../server/domain/door.js';
import { readTicketLink, ticketLink } from '../../server/domain/tickets.js';

const MIN = 60_000;
const startsAt = Date.UTC(2026, 11, 1, 12, 30);
const show = { startsAt, endsAt: startsAt + 150 * MIN };

describe('door window (numeric clock)', () => {
  const timing = (now: number, policy = DEFAULT_DOOR_POLICY) => doorTiming(doorWindow(show, policy), now);
  it('opens exactly 60 min before the start by default', () => {
    expect(timing(startsAt - 60 * MIN - 1)).toBe('early');
    expect(timing(startsAt - 60 * MIN)).toBe('open');
    expect(timing(startsAt)).toBe('open');
  });
  it('closes when the show ends (start + runtime) by default', () => {
    expect(timing(show.endsAt - 1)).toBe('open');
    expect(timing(show.endsAt)).toBe('late');
  });
  it('a ticket for tomorrow is early; yesterday’s is late', () => {
    expect(timing(startsAt - 24 * 60 * MIN)).toBe('early');
    expect(timing(startsAt + 24 * 60 * MIN)).toBe('late');
  });
  it('both bounds are configurable', () => {
    const policy = { opensBeforeMs: 15 * MIN, closesAfterEndMs: 30 * MIN };
    expect(doorWindow(show, policy)).toEqual({ opensAt: startsAt - 15 * MIN, closesAt: show.endsAt + 30 * MIN });
    expect(timing(startsAt - 16 * MIN, policy)).toBe('early');
    expect(timing(show.endsAt + 29 * MIN, policy)).toBe('open');
    expect(timing(show.endsAt + 30 * MIN, policy)).toBe('late');
  });
});

describe('signed ticket links (numeric clock)', () => {
  const key = 'secret-key-for-tests';
  const until = Date.UTC(2026, 11, 1, 15, 0);
  it('name the booking until they expire', () => {
    const link = ticketLink('bk_abc123', until, key);
    expect(link).toMatch(/^MMT1\.bk_abc123\.\d+\.[A-Za-z0-9_-]{22}$/);
    expect(readTicketLink(link, key, until - 1)).toBe('bk_abc123');
    expect(readTicketLink(link, key, until)).toBeNull();
  });
  it('reject any change: another booking, a later expiry, another signature, another key', () => {
    const link = ticketLink('bk_abc123', until, key);
    const [prefix, id, exp, sig] = link.split('.') as [string, string, string, string];
    expect(readTicketLink([prefix, 'bk_abc124', exp, sig].join('.'), key, 0)).toBeNull();
    expect(readTicketLink([prefix, id, String(Number(exp) + 3600), sig].join('.'), key, 0)).toBeNull();
    expect(readTicketLink([prefix, id, exp, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)].join('.'), key, 0)).toBeNull();
    expect(readTicketLink(link, 'another-key', 0)).toBeNull();
    expect(readTicketLink(link.replace('MMT1', 'MM1'), key, 0)).toBeNull();
  });
});
