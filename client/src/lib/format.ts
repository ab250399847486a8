/** Money in minor units and show times in the theatre's own zone. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(minor: number, currency: string): string {
  const whole = minor % 100 === 0;
  const key = `${currency}${whole}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(currency === 'INR' ? 'en-IN' : 'en-AE', {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2,
    });
    moneyFormats.set(key, f);
  }
  return f.format(minor / 100);
}

/** "18:30" from "2026-11-25T18:30:00+05:30": the theatre's wall-clock time. */
export const localTime = (startsAt: string) => startsAt.slice(11, 16);
/** "2026-11-25" from the same. */
export const localDay = (startsAt: string) => startsAt.slice(0, 10);

export function dayLabel(date: string, locale: string, opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' }) {
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** The viewer's own zone (where the browser says it is). */
const viewerZone = () => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * "Sat, 28 Nov, 6:30 pm" in English, "शनि, 28 नव॰, शाम 6:30" in Hindi: the theatre's
 * wall-clock time, with the time of day in words where the language says it so. The zone
 * is named only when it is not the viewer's own ("GST" / "खाड़ी मानक समय" for Dubai).
 */
export function fullWhen(startsAt: string, timeZone: string, locale: string, viewer = viewerZone()) {
  const english = locale.startsWith('en');
  const when = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    ...(english ? {} : { dayPeriod: 'short' as const }),
  }).format(new Date(startsAt));
  if (timeZone === viewer) return when;
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: english ? 'short' : 'long' })
    .formatToParts(new Date(startsAt))
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? (english ? `${when} ${zone}` : `${when} (${zone})`) : when;
}

/** "6:18 am", "सुबह 6:18", "6:18 ఉదయం": a moment's time of day in the viewer's zone, the time of day in words as fullWhen says it, unbroken. */
export function clockTime(at: number, locale: string) {
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...(locale.startsWith('en') ? {} : { dayPeriod: 'short' as const }) }).format(at);
  // One unit in running text: "6:30" and "am" never on two lines.
  return time.replace(/\s/g, '\u00a0');
}

/** "8:30 pm": the time of day alone, in the theatre's zone. */
export function timeIn(at: string, timeZone: string, locale: string) {
  // Hindi and Telugu would print "PM" in Latin letters; their own day periods read as words ("మధ్యాహ్నం").
  const dayPeriod = locale.startsWith('en') ? {} : { dayPeriod: 'short' as const };
  return new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit', ...dayPeriod }).format(new Date(at));
}

/** The next `n` dates from today in a zone, as YYYY-MM-DD. */
export function nextDates(timeZone: string, n = 7, now = Date.now()): string[] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10));
}

export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
