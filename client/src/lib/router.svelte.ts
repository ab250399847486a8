/** A small history router: paths like /shows/:id, links intercepted globally. */
class Router {
  path = $state(typeof location === 'undefined' ? '/' : location.pathname);
  query = $state(new URLSearchParams(typeof location === 'undefined' ? '' : location.search));

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('popstate', () => this.sync());
    document.addEventListener('click', (e) => {
      const a = (e.target as Element | null)?.closest?.('a');
      if (!a || a.target || a.hasAttribute('download') || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      const href = a.getAttribute('href');
      if (!href || !href.startsWith('/') || href.startsWith('/dev/') || href.startsWith('/api/')) return;
      e.preventDefault();
      this.go(href);
    });
  }

  private sync() {
    this.path = location.pathname;
    this.query = new URLSearchParams(location.search);
  }

  go(href: string, replace = false) {
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    this.sync();
    window.scrollTo?.(0, 0);
  }

  /** The same page with other query parameters (filters): no scroll; `replace` for each key typed, not each change. */
  setQuery(q: URLSearchParams, replace = false) {
    const href = `${location.pathname}${q.size ? `?${q}` : ''}`;
    if (replace) history.replaceState(history.state, '', href);
    else history.pushState(null, '', href);
    this.sync();
  }

  /** Matches '/shows/:id' style patterns; returns the params or null. */
  match(pattern: string): Record<string, string> | null {
    const p = pattern.split('/');
    const s = this.path.split('/');
    if (p.length !== s.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < p.length; i++) {
      if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
      else if (p[i] !== s[i]) return null;
    }
    return params;
  }
}

export const router = new Router();
