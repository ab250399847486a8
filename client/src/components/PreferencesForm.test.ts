import { fireEvent, render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../../protocol/me.js';

vi.mock('../lib/api.js', () => ({ api: vi.fn(async () => ({ cities: [] })) }));
const { default: PreferencesForm } = await import('./PreferencesForm.svelte');
const { me } = await import('../lib/me.svelte.js');

const loaded: Preferences = { language: 'hi', city: null, seatType: 'premium', offers: { consent: true, at: '2026-12-01T00:00:00.000Z' } };
const select = (id: string) => document.getElementById(id) as HTMLSelectElement;

afterEach(() => {
  me.preferences = null;
  document.body.replaceChildren();
});

describe('the preferences form', () => {
  it('fills itself from the account once the preferences load', async () => {
    render(PreferencesForm, { onsaved: () => {} });
    me.preferences = loaded;
    await tick();
    expect(select('pref-language').value).toBe('hi');
    expect(select('pref-seat').value).toBe('premium');
  });

  it('keeps a choice made before the preferences loaded: the late load does not undo it', async () => {
    render(PreferencesForm, { onsaved: () => {} });
    const language = select('pref-language');
    language.value = 'te';
    await fireEvent.change(language);
    me.preferences = loaded;
    await tick();
    expect(language.value).toBe('te');
  });
});
