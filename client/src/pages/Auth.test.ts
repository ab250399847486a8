import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import Auth from './Auth.svelte';

afterEach(() => document.body.replaceChildren());

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const errorOf = (id: string) => document.getElementById(`${id}-err`)?.textContent?.trim();

describe('sign-up form', () => {
  it('says what is wrong as a sentence when a field is left, and again as it is corrected', async () => {
    render(Auth, { mode: 'signup' });
    await fireEvent.focus(input('email'));
    await fireEvent.blur(input('email'));
    expect(errorOf('email')).toBe('Enter your email.');
    expect(input('email').getAttribute('aria-invalid')).toBe('true');
    expect(input('email').getAttribute('aria-describedby')).toContain('email-err');
    await fireEvent.input(input('email'), { target: { value: 'meera@' } });
    expect(errorOf('email')).toBe('Enter an email address like name@example.com.');
    await fireEvent.input(input('email'), { target: { value: 'meera@example.com' } });
    expect(errorOf('email')).toBeUndefined();
  });

  it('leaving a field for the submit button does not show a message that would move the button from under the click', async () => {
    render(Auth, { mode: 'signup' });
    const submit = document.querySelector<HTMLButtonElement>('button[type=submit]')!;
    await fireEvent.focus(input('email'));
    await fireEvent.blur(input('email'), { relatedTarget: submit });
    expect(errorOf('email')).toBeUndefined();
  });

  it('on submit checks every field and moves focus to the first one that is wrong', async () => {
    render(Auth, { mode: 'signup' });
    await fireEvent.input(input('name'), { target: { value: 'Meera' } });
    await fireEvent.input(input('password'), { target: { value: 'short' } });
    await fireEvent.submit(document.querySelector('form')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(errorOf('email')).toBe('Enter your email.');
    expect(errorOf('password')).toBe('Your password needs at least 8 characters.');
    expect(document.activeElement).toBe(input('email'));
  });
});
