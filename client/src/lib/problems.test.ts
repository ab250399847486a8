import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from './i18n.svelte.js';
import { detailText, problemText } from './problems.js';

afterEach(() => i18n.set('en'));

describe('server errors in the user\'s language', () => {
  it('HOLD_LIMIT is worded from its params, with plurals, in each language', () => {
    const e = { code: 'HOLD_LIMIT' as const, message: 'You can hold at most 10 seats for a show; you can add 2 more.', params: { limit: 10, left: 2 } };
    expect(problemText(e)).toBe('You can hold up to 10 seats for one show. You can add 2 more.');
    expect(problemText({ ...e, params: { limit: 10, left: 1 } })).toBe('You can hold up to 10 seats for one show. You can add 1 more.');
    expect(problemText({ ...e, params: { limit: 10, left: 0 } })).toBe('You can hold up to 10 seats for one show. Release one to pick another.');
    i18n.set('hi');
    expect(problemText(e)).toBe('एक शो के लिए आप ज़्यादा से ज़्यादा 10 सीटें चुन सकते हैं। आप 2 और सीटें जोड़ सकते हैं।');
    i18n.set('te');
    expect(problemText({ ...e, params: { limit: 10, left: 1 } })).toBe('ఒక షోకి గరిష్ఠంగా 10 సీట్లు మాత్రమే ఎంచుకోవచ్చు. ఇంకా 1 సీటు జోడించవచ్చు.');
  });

  it('SEAT_TAKEN names the seats, one or several', () => {
    expect(problemText({ code: 'SEAT_TAKEN', message: '', seatIds: ['G7'] })).toBe('Sorry, seat G7 was just taken by someone else. Please pick another.');
    i18n.set('hi');
    expect(problemText({ code: 'SEAT_TAKEN', message: '', seatIds: ['G7', 'G8'] })).toBe('माफ़ कीजिए, सीटें G7, G8 अभी-अभी किसी और ने ले लीं। कृपया दूसरी सीटें चुनें।');
  });

  it('a reason wins over the code; a wait is said in seconds; no answer at all says so', () => {
    i18n.set('te');
    expect(problemText({ code: 'UNAUTHENTICATED', message: 'Email or password is wrong.', reason: 'wrong_credentials' })).toBe('ఈమెయిల్ లేదా పాస్‌వర్డ్ తప్పు.');
    i18n.set('en');
    expect(problemText({ code: 'RATE_LIMITED', message: '', params: { retryAfterSeconds: 42 } })).toBe('Too many tries. Try again in 42 seconds.');
    expect(problemText({ code: 'UNAVAILABLE', message: '', params: { offline: 1 } })).toBe('Cannot reach Movie Magic. Check your connection.');
  });

  it('a request refused as a whole says why (staff layouts); field problems use the field\'s own sentence, else the reason\'s', () => {
    const refused = { code: 'VALIDATION' as const, message: '', details: [{ path: '', reason: 'drops_booked_seats' as const, params: { seats: ['J10', 'J11'] }, message: '' }] };
    expect(problemText(refused)).toBe('The new layout drops booked seats: J10, J11.');
    i18n.set('hi');
    expect(detailText({ path: 'email', reason: 'required' })).toBe('अपना ईमेल डालें।');
    expect(detailText({ path: 'name', reason: 'too_long', params: { max: 80 } })).toBe('ज़्यादा से ज़्यादा 80 अक्षर लिखें।');
  });

  it('PAYMENT_FAILED (a code from DECISIONS) is worded in each language, not left to the English message', () => {
    const e = { code: 'PAYMENT_FAILED', message: 'gateway said no' } as unknown as Parameters<typeof problemText>[0];
    expect(problemText(e)).toBe('The payment did not go through. No money was taken; please try again.');
    i18n.set('hi');
    expect(problemText(e)).toBe('भुगतान नहीं हो पाया। कोई पैसा नहीं कटा; कृपया फिर से कोशिश करें।');
    i18n.set('te');
    expect(problemText(e)).toBe('చెల్లింపు జరగలేదు. డబ్బు ఏమీ తీసుకోలేదు; దయచేసి మళ్ళీ ప్రయత్నించండి.');
  });
});
