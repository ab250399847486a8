import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CartAnnouncer from './CartAnnouncer.svelte';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

const said = () => document.querySelector('[data-testid=cart-announcement]')!.textContent!.trim();

describe('CartAnnouncer', () => {
  it('is quiet on load, then announces the cart once after a burst of taps settles and holds are answered', async () => {
    const view = render(CartAnnouncer, { seats: ['A1'], pending: false, total: '₹200' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(said()).toBe('');
    await view.rerender({ seats: ['A1', 'A2'], pending: true, total: '₹400' });
    await vi.advanceTimersByTimeAsync(300);
    await view.rerender({ seats: ['A1', 'A2', 'A3'], pending: true, total: '₹600' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(said()).toBe(''); // still waiting for the server
    await view.rerender({ seats: ['A1', 'A2', 'A3'], pending: false, total: '₹600' });
    await vi.advanceTimersByTimeAsync(300);
    expect(said()).toBe('');
    await vi.advanceTimersByTimeAsync(600);
    expect(said()).toBe('3 seats picked: A1, A2, A3. ₹600.');
    await view.rerender({ seats: [], pending: false, total: '₹0' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(said()).toBe('No seats picked.');
  });
});
