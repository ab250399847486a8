/**
 * The embedded default mail channel: each message is a JSON file under
 * DATA_DIR/mail, listed at GET /dev/mail. Writing is idempotent by message id.
 */
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailMessage, Notifier } from '../../ports.js';

export interface StoredMail extends MailMessage {
  sentAt: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function createMailOutbox(dir: string, now: () => number = Date.now) {
  const fileOf = (id: string) => join(dir, `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  const notifier: Notifier = {
    async send(message) {
      await mkdir(dir, { recursive: true });
      const stored: StoredMail = { ...message, sentAt: new Date(now()).toISOString() };
      // Written aside, then linked into place: a reader never sees half a file, and the
      // link fails if the id is already there (dedup by id).
      const tmp = `${fileOf(message.id)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, JSON.stringify(stored, null, 2));
      try {
        await link(tmp, fileOf(message.id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // already delivered
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
    },
  };
  return {
    notifier,
    async list(): Promise<StoredMail[]> {
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
      } catch {
        return [];
      }
      const mails = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as StoredMail));
      return mails.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
    },
    renderHtml(mails: StoredMail[]): string {
      const items = mails
        .map(
          (m) =>
            `<article><h2>${escapeHtml(m.subject)}</h2><p><b>To:</b> ${escapeHtml(m.to)} · <b>Sent:</b> ${escapeHtml(m.sentAt)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
        )
        .join('\n');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local mail outbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:1rem 0}pre{white-space:pre-wrap}</style></head>
<body><h1>Local mail outbox (${mails.length})</h1><p>Messages the server would have emailed. Set SNS_TOPIC_ARN to send through Amazon SNS.</p>${items || '<p>No mail yet.</p>'}</body></html>`;
    },
  };
}
export type MailOutbox = ReturnType<typeof createMailOutbox>;
