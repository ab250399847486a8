/**
 * The embedded default mail channel: each message is a JSON file under
 * DATA_DIR/mail, listed at GET /dev/mail. Writing is idempotent by message id.
 */
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../../domain/messages.js';
import type { MailMessage, Notifier } from '../../ports.js';

export interface StoredAttachment {
  filename: string;
  contentType: string;
  cid?: string;
  base64: string;
}
export interface StoredMail extends Omit<MailMessage, 'attachments'> {
  sentAt: string;
  attachments?: StoredAttachment[];
}
/** A mail as GET /dev/mail lists it: attachments by link, not by content. */
export interface ListedMail extends Omit<StoredMail, 'attachments'> {
  attachments?: { filename: string; contentType: string; cid?: string; size: number; url: string }[];
}

const attachmentUrl = (mailId: string, n: number) => `/dev/mail/${encodeURIComponent(mailId)}/attachments/${n}`;

/** The HTML with its inline parts (cid:…) as data: URIs, so a browser shows it as a mail client would. */
function withInlineParts(html: string, attachments: StoredAttachment[] = []): string {
  return attachments.reduce((out, a) => (a.cid ? out.replaceAll(`cid:${escapeHtml(a.cid)}`, `data:${a.contentType};base64,${a.base64}`) : out), html);
}

export function createMailOutbox(dir: string, now: () => number = Date.now) {
  const fileOf = (id: string) => join(dir, `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  const notifier: Notifier = {
    async send(message) {
      await mkdir(dir, { recursive: true });
      const stored: StoredMail = {
        ...message,
        sentAt: new Date(now()).toISOString(),
        attachments: message.attachments?.map(({ content, ...meta }) => ({ ...meta, base64: content.toString('base64') })),
      };
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
    listed(mails: StoredMail[]): ListedMail[] {
      return mails.map(({ attachments, ...m }) => ({
        ...m,
        ...(attachments
          ? { attachments: attachments.map(({ base64, ...a }, n) => ({ ...a, size: Buffer.byteLength(base64, 'base64'), url: attachmentUrl(m.id, n) })) }
          : {}),
      }));
    },
    /** Attachment `n` of mail `id`, or null. */
    async attachment(id: string, n: number): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
      let mail: StoredMail;
      try {
        mail = JSON.parse(await readFile(fileOf(id), 'utf8')) as StoredMail;
      } catch {
        return null;
      }
      if (mail.id !== id) return null;
      const a = mail.attachments?.[n];
      return a ? { filename: a.filename, contentType: a.contentType, content: Buffer.from(a.base64, 'base64') } : null;
    },
    renderHtml(mails: StoredMail[]): string {
      const items = mails
        .map((m) => {
          const files = (m.attachments ?? [])
            .map((a, n) => `<li><a href="${escapeHtml(attachmentUrl(m.id, n))}">${escapeHtml(a.filename)}</a> (${escapeHtml(a.contentType)}${a.cid ? ', shown inline' : ''})</li>`)
            .join('');
          // The HTML part in a sandboxed frame (no scripts, no same-origin), as a mail client shows it.
          const body = m.html
            ? `<iframe class="mail" sandbox title="${escapeHtml(`HTML mail: ${m.subject}`)}" srcdoc="${escapeHtml(withInlineParts(m.html, m.attachments))}"></iframe>
<details><summary>Plain-text part</summary><pre>${escapeHtml(m.text)}</pre></details>`
            : `<pre>${escapeHtml(m.text)}</pre>`;
          return `<article data-mail="${escapeHtml(m.id)}"><h2>${escapeHtml(m.subject)}</h2><p><b>To:</b> ${escapeHtml(m.to)} · <b>Sent:</b> ${escapeHtml(m.sentAt)}</p>${body}${files ? `<p><b>Attachments:</b></p><ul>${files}</ul>` : ''}</article>`;
        })
        .join('\n');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Local mail outbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:1rem 0}pre{white-space:pre-wrap;overflow-wrap:anywhere}iframe.mail{display:block;width:100%;height:1180px;border:1px solid #ddd;border-radius:8px;background:#f4f1ec}h2{overflow-wrap:anywhere}</style></head>
<body><h1>Local mail outbox (${mails.length})</h1><p>Messages the server would have emailed. Set SNS_TOPIC_ARN or SMTP_URL to send them for real.</p>${items || '<p>No mail yet.</p>'}</body></html>`;
    },
  };
}
export type MailOutbox = ReturnType<typeof createMailOutbox>;
