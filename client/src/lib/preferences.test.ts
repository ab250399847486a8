import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Preferences } from './preferences.svelte.js';

function systemAsks(queries: Record<string, boolean>) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: !!queries[q], media: q, addEventListener() {}, removeEventListener() {} }));
}
const root = () => document.documentElement;

beforeEach(() => {
  localStorage.clear();
  delete root().dataset.contrast;
  delete root().dataset.text;
});
afterEach(() => vi.unstubAllGlobals());

describe('display preferences', () => {
  it('start normal, with no root attributes, when nothing is stored and the system asks nothing', () => {
    systemAsks({});
    const p = new Preferences();
    expect([p.contrast, p.text]).toEqual(['normal', 'normal']);
    expect(root().dataset.contrast).toBeUndefined();
    expect(root().dataset.text).toBeUndefined();
  });
  it('turn high contrast on from prefers-contrast: more when nothing was chosen', () => {
    systemAsks({ '(prefers-contrast: more)': true });
    expect(new Preferences().contrast).toBe('high');
    expect(root().dataset.contrast).toBe('high');
  });
  it('a stored choice wins over the system', () => {
    systemAsks({ '(prefers-contrast: more)': true });
    localStorage.setItem('mm.contrast', 'normal');
    expect(new Preferences().contrast).toBe('normal');
    expect(root().dataset.contrast).toBeUndefined();
  });
  it('setting them writes the root attributes and is remembered by the next page load', () => {
    systemAsks({});
    const p = new Preferences();
    p.setContrast('high');
    p.setText('large');
    expect(root().dataset.contrast).toBe('high');
    expect(root().dataset.text).toBe('large');
    delete root().dataset.contrast;
    delete root().dataset.text;
    const next = new Preferences();
    expect([next.contrast, next.text]).toEqual(['high', 'large']);
    expect(root().dataset.text).toBe('large');
    next.setText('normal');
    expect(root().dataset.text).toBeUndefined();
  });
  it('scrolls without smoothing when the system asks for reduced motion', () => {
    systemAsks({ '(prefers-reduced-motion: reduce)': true });
    expect(new Preferences().scrollBehavior).toBe('auto');
    systemAsks({});
    expect(new Preferences().scrollBehavior).toBe('smooth');
  });
});
