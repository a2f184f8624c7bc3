import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, type TestApp } from '../helpers.js';

// The plan as iCalendar, read back the way a calendar app would: unfold the lines, resolve each
// DTSTART;TZID=… through the VTIMEZONE in the same file, and compare the resulting UTC instants with
// the known offsets of Europe/Berlin (CET +01:00, CEST +02:00 from 29 March to 25 October 2026).

interface IcsEvent {
  props: Map<string, { params: string; value: string }>;
}

function unfold(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
}

function parse(ics: string): {
  events: IcsEvent[];
  zones: Map<string, { start: string; from: number; to: number }[]>;
  lines: string[];
} {
  const lines = unfold(ics);
  const events: IcsEvent[] = [];
  const zones = new Map<string, { start: string; from: number; to: number }[]>();
  let event: IcsEvent | null = null;
  let zone: string | null = null;
  let observance: { start: string; from: number; to: number } | null = null;
  const offset = (text: string) =>
    (text.startsWith('-') ? -1 : 1) * (Number(text.slice(1, 3)) * 60 + Number(text.slice(3, 5)));
  for (const line of lines) {
    const colon = line.indexOf(':');
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const [name, ...params] = head.split(';');
    if (line === 'BEGIN:VEVENT') event = { props: new Map() };
    else if (line === 'END:VEVENT') {
      events.push(event!);
      event = null;
    } else if (event) event.props.set(name!, { params: params.join(';'), value });
    else if (name === 'TZID' && !observance) zone = value;
    else if (line === 'BEGIN:STANDARD' || line === 'BEGIN:DAYLIGHT')
      observance = { start: '', from: 0, to: 0 };
    else if (line === 'END:STANDARD' || line === 'END:DAYLIGHT') {
      zones.set(zone!, [...(zones.get(zone!) ?? []), observance!]);
      observance = null;
    } else if (observance && name === 'DTSTART') observance.start = value;
    else if (observance && name === 'TZOFFSETFROM') observance.from = offset(value);
    else if (observance && name === 'TZOFFSETTO') observance.to = offset(value);
  }
  return { events, zones, lines };
}

const asUtcMs = (local: string) =>
  Date.UTC(
    Number(local.slice(0, 4)),
    Number(local.slice(4, 6)) - 1,
    Number(local.slice(6, 8)),
    Number(local.slice(9, 11)),
    Number(local.slice(11, 13)),
  );

/** The UTC instant of a DTSTART with TZID, using only the file's own VTIMEZONE. */
function instant(prop: { params: string; value: string }, zones: ReturnType<typeof parse>['zones']): string {
  const tzid = /TZID=([^;]+)/.exec(prop.params)?.[1];
  assert.ok(tzid, `expected a TZID on ${prop.value}`);
  const observances = zones.get(tzid!);
  assert.ok(observances?.length, `the file has no VTIMEZONE for ${tzid}`);
  const local = asUtcMs(prop.value);
  // Observance onsets are wall-clock times in the offset before the change.
  const active =
    observances!.filter((o) => asUtcMs(o.start) - o.from * 60_000 <= local - o.to * 60_000).at(-1) ??
    observances![0]!;
  return new Date(local - active.to * 60_000).toISOString();
}

for (const dialect of (await dialects()).filter((d) => d.name === 'sqlite')) {
  describe(`plan calendar (.ics) across daylight-saving changes (${dialect.name})`, () => {
    let t: TestApp;
    let client: Client;
    const originalTz = process.env.TZ;
    before(async () => {
      // Prove that the server's own zone plays no part: run it as if it were in New York.
      process.env.TZ = 'America/New_York';
      t = await createTestApp(dialect, { now: '2026-03-20T09:00:00Z' });
      client = new Client(t.app);
    });
    after(async () => {
      process.env.TZ = originalTz;
      await t?.close();
    });

    it('keeps an 18:30 Berlin session at 18:30 local through the spring change (UTC moves from 17:30 to 16:30)', async () => {
      const saved = await client.put('/api/v1/roadmaps/backend/plan', {
        startDate: '2026-03-23',
        hoursPerWeek: 7,
        targetWeeks: 60,
        studyDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        studyTime: '18:30',
        sessionMinutes: 60,
        timeZone: 'Europe/Berlin',
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const response = await client.get('/api/v1/roadmaps/backend/plan.ics');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/calendar/);
      assert.match(
        String(response.headers['content-disposition']),
        /attachment; filename="waymark-backend-plan\.ics"/,
      );
      const { events, zones, lines } = parse(response.body);
      const sessions = new Map(
        events
          .filter((e) => e.props.get('UID')!.value.includes('-s'))
          .map((e) => [e.props.get('DTSTART')!.value.slice(0, 8), e]),
      );
      const startOf = (day: string) => sessions.get(day)!.props.get('DTSTART')!;
      const endOf = (day: string) => sessions.get(day)!.props.get('DTEND')!;
      // Week 1 (23–29 March) spans the change in the night to Sunday 29 March.
      assert.equal(startOf('20260328').value, '20260328T183000');
      assert.equal(startOf('20260328').params, 'TZID=Europe/Berlin');
      assert.equal(instant(startOf('20260328'), zones), '2026-03-28T17:30:00.000Z', 'Saturday: CET');
      assert.equal(
        instant(startOf('20260329'), zones),
        '2026-03-29T16:30:00.000Z',
        'Sunday, after the change: CEST',
      );
      assert.equal(instant(startOf('20260330'), zones), '2026-03-30T16:30:00.000Z');
      assert.equal(
        instant(endOf('20260329'), zones),
        '2026-03-29T17:30:00.000Z',
        'one hour later, also in CEST',
      );
      // Every line is folded at 75 octets, and the stamp is in UTC as RFC 5545 requires.
      assert.ok(response.body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75));
      assert.ok(lines.filter((l) => l.startsWith('DTSTAMP:')).every((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l)));
      assert.equal(lines.filter((l) => l === 'BEGIN:VTIMEZONE').length, 1);
    });

    it('does the same through the autumn change, and marks each week with one all-day event of its goals', async () => {
      // Seven months later the session has expired: this is a new visitor with the same habits.
      t.clock.set('2026-10-15T09:00:00Z');
      client = new Client(t.app);
      const saved = await client.put('/api/v1/roadmaps/backend/plan', {
        startDate: '2026-10-19',
        hoursPerWeek: 7,
        studyDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        studyTime: '18:30',
        timeZone: 'Europe/Berlin',
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const { events, zones } = parse((await client.get('/api/v1/roadmaps/backend/plan.ics')).body);
      const session = (day: string) =>
        events.find((e) => e.props.get('DTSTART')!.value === `${day}T183000`)!.props.get('DTSTART')!;
      assert.equal(instant(session('20261024'), zones), '2026-10-24T16:30:00.000Z', 'Saturday: CEST');
      assert.equal(
        instant(session('20261025'), zones),
        '2026-10-25T17:30:00.000Z',
        'Sunday, after the change: CET',
      );
      assert.equal(instant(session('20261026'), zones), '2026-10-26T17:30:00.000Z');

      const plan = JSON.parse((await client.get('/api/v1/roadmaps/backend/plan')).body) as {
        weeks: { index: number; start: string; end: string; items: { title: string }[]; off: boolean }[];
      };
      const weekEvents = events.filter((e) => /-w\d+@waymark$/.test(e.props.get('UID')!.value));
      const planned = plan.weeks.filter((w) => w.items.length > 0 || w.off);
      assert.equal(weekEvents.length, planned.length, 'one event per week');
      const first = weekEvents.find((e) => e.props.get('DTSTART')!.value === '20261019')!;
      assert.equal(first.props.get('DTSTART')!.params, 'VALUE=DATE');
      assert.equal(first.props.get('DTEND')!.value, '20261026', 'all week, Monday to Monday (exclusive)');
      assert.match(first.props.get('SUMMARY')!.value, /^Week \d+\/\d+: /);
      const description = first.props.get('DESCRIPTION')!.value.replace(/\\n/g, '\n').replace(/\\,/g, ',');
      const week = plan.weeks.find((w) => w.start === '2026-10-19')!;
      for (const item of week.items)
        assert.ok(description.includes(item.title), `the event lists "${item.title}"`);
      assert.equal(
        first.props.get('TRANSP')!.value,
        'TRANSPARENT',
        'a goal does not block the whole week as busy',
      );
    });

    it('gives events stable ids, so a refreshed feed updates events instead of duplicating them', async () => {
      const uids = (body: string) => parse(body).events.map((e) => e.props.get('UID')!.value);
      const first = uids((await client.get('/api/v1/roadmaps/backend/plan.ics')).body);
      t.clock.advance(3_600_000);
      const second = uids((await client.get('/api/v1/roadmaps/backend/plan.ics')).body);
      assert.deepEqual(second, first);
      assert.equal(new Set(first).size, first.length, 'ids are unique');
      const me = JSON.parse((await client.get('/api/v1/me')).body) as { id: string };
      assert.ok(
        first.every((uid) => !uid.includes(me.id)),
        'user ids never appear in the calendar',
      );
    });

    it('has no session events when no study time is set', async () => {
      await client.put('/api/v1/roadmaps/backend/plan', { studyTime: null });
      const body = (await client.get('/api/v1/roadmaps/backend/plan.ics')).body;
      assert.ok(!body.includes('BEGIN:VTIMEZONE'));
      assert.ok(!parse(body).events.some((e) => e.props.get('DTSTART')!.params.includes('TZID')));
    });
  });
}
