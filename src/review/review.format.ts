// Words for times on the review page and the home widget ("in 10 min", "Tue 3 Mar, 14:05").

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/**
 * A duration as a person says it, rounded to one unit.
 *
 * @example formatDuration(10 * 60_000) // "10 min"
 * @example formatDuration(3 * 86_400_000) // "3 days"
 */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return 'under a minute';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) return plural(Math.round(ms / HOUR), 'hour');
  const days = Math.round(ms / DAY);
  if (days < 31) return plural(days, 'day');
  if (days < 365) return plural(Math.round(days / 30.44), 'month');
  const years = Math.round((days / 365.25) * 10) / 10;
  return `${years} year${years === 1 ? '' : 's'}`;
}

/** A moment in the learner's time zone, e.g. "Tue 3 Mar, 14:05 CET"; UTC when the zone is unknown. */
export function formatMoment(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(new Date(iso));
  }
}

/** Splits card text on `backticks` so code reads as code; each part stays plain text (escaped when rendered). */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [{ code: false, text }]; // an unpaired backtick is just a character
  return parts
    .map((part, index) => ({ code: index % 2 === 1, text: part }))
    .filter((part) => part.text !== '');
}
