import { describe, expect, it } from 'vitest';
import { confirmationHtml, notificationMessage, TICKET_QR_CID } from '../../server/domain/messages.js';
import type { BookingRecord } from '../../server/ports.js';

const hostile = `<img src=x onerror="alert('x')">&"'`;
const booking: BookingRecord = {
  id: 'bk_html1',
  userId: 'u_1',
  idempotencyKey: 'key-12345',
  showId: 'show-1',
  seats: ['A1', 'A2'],
  lines: [],
  currency: 'INR',
  total: 53_100,
  breakdown: { tickets: 50_000, convenienceFee: 2_500, tax: 600 },
  status: 'confirmed',
  createdAt: '2026-12-01T10:00:00.000Z',
  show: {
    movieTitle: `Tom & Jerry ${hostile}`,
    theatreName: `Hall ${hostile}`,
    theatreAddress: `1 Road ${hostile}`,
    screenName: `Screen ${hostile}`,
    language: `Telugu ${hostile}`,
    startsAt: '2026-12-01T18:30:00+05:30',
    timeZone: 'Asia/Kolkata',
  },
};
const ticket = { code: 'MM1.bk_html1.sig', pdfUrl: `https://tickets.example/api/tickets/MMT1.x"><script>alert(1)</script>/ticket.pdf`, validUntil: `soon ${hostile}` };

describe('the HTML confirmation', () => {
  const html = confirmationHtml(booking, 'https://tickets.example/bookings/bk_html1?a=1&b=2', ticket);
  it('escapes every interpolated value: no markup from the booking or the links gets through', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(`onerror="`);
    expect(html).toContain('Tom &amp; Jerry &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;&quot;&#39;');
    expect(html).toContain('href="https://tickets.example/bookings/bk_html1?a=1&amp;b=2"');
    expect(html).toContain('href="https://tickets.example/api/tickets/MMT1.x&quot;&gt;&lt;script&gt;');
    // The only tags are our own: every "<" starts one of the template's elements.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'a', 'body', 'div', 'h1', 'head', 'html', 'img', 'meta', 'p', 'table', 'td', 'th', 'title', 'tr'].sort());
  });
  it('shows the QR inline by its content id and links the PDF', () => {
    expect(html).toContain(`<img src="cid:${TICKET_QR_CID}"`);
    expect(html).toContain('Open your ticket (PDF)');
  });
  it('goes with the text part, which keeps the PDF link for SNS and plain-text readers', () => {
    const m = notificationMessage('booking.confirmed', booking, 'a@b.c', { publicUrl: 'https://tickets.example', ticket });
    expect(m.html).toBe(confirmationHtml(booking, 'https://tickets.example/bookings/bk_html1', ticket));
    expect(m.text).toContain(`PDF ticket: ${ticket.pdfUrl}`);
  });
});
