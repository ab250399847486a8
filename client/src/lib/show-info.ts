import type { ShowSummary } from '../../../protocol/schemas.js';
import { api } from './api.js';

const cache = new Map<string, Promise<ShowSummary>>();
export function showInfo(id: string): Promise<ShowSummary> {
  let p = cache.get(id);
  if (!p) {
    p = api<{ show: ShowSummary }>(`/api/shows/${encodeURIComponent(id)}`).then((r) => r.show);
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}
