import { Client, json } from '../helpers.js';
import type { TestApp } from '../helpers.js';
import { IMPORT_LIMITS } from '../../src/account/limits.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document inflated in place

/**
 * Signs up a learner with a saved plan and review history, exports, inflates every part of the
 * export to the largest size an import accepts (IMPORT_LIMITS), and imports it back.
 */
export async function importLargestAccount(
  t: TestApp,
  email: string,
): Promise<{ client: Client; document: Doc }> {
  const client = new Client(t.app);
  await client.signup(email);
  const topics = [...t.content.topics.keys()];
  await client.put('/api/v1/roadmaps/backend/plan', {});
  await client.put(`/api/v1/topics/${topics[0]}/progress`, { status: 'done' });
  const doc = json<Doc>(await client.get('/api/v1/me/export'));
  const L = IMPORT_LIMITS;
  const note = 'n'.repeat(L.noteLength);
  doc.progress.topics = topics.slice(0, L.progressTopics).map((topicId, i) => ({
    topicId,
    status: i % 2 ? 'done' : 'learning',
    note,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    statusChangedAt: '2026-01-02T00:00:00.000Z',
  }));
  doc.progress.activity = Array.from({ length: L.activityRowsPerImport }, (_, i) => ({
    topicId: topics[i % topics.length],
    kind: 'status',
    fromStatus: 'pending',
    toStatus: 'done',
    at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    detail: null,
  }));
  const plan = doc.plan.plans[0];
  const template = plan.versions[plan.versions.length - 1];
  const week0 = template.weeks[0];
  const weeks = Array.from({ length: L.planWeeks }, (_, w) => {
    const start = new Date(Date.parse(`${week0.start}T00:00:00Z`) + w * 7 * 86_400_000);
    const end = new Date(start.getTime() + 6 * 86_400_000);
    return {
      ...week0,
      index: w,
      start: start.toISOString().slice(0, 10),
      end: end.toISOString().slice(0, 10),
      items: Array.from(
        { length: Math.min(L.weekItems, Math.floor(L.versionItems / L.planWeeks) + 1) },
        (_, k) => ({
          topicId: topics[(w * 7 + k) % topics.length],
          hours: 1,
          part: 1,
          parts: 1,
        }),
      ),
    };
  });
  let remaining = L.versionItems;
  for (const week of weeks) {
    week.items = week.items.slice(0, Math.max(0, Math.min(week.items.length, remaining)));
    remaining -= week.items.length;
  }
  plan.versions = Array.from({ length: L.planVersions }, (_, v) => ({
    ...template,
    version: v + 1,
    reason: v === 0 ? 'created' : 'settings',
    createdAt: new Date(Date.parse(template.createdAt) + v * 1000).toISOString(),
    weeks,
  }));
  plan.checkins = weeks.slice(0, L.planCheckins).map((week) => ({
    weekStart: week.start,
    note: 'c'.repeat(L.checkinLength),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }));
  const imported = await client.post('/api/v1/me/import', doc);
  if (imported.statusCode !== 200) throw new Error(`import refused: ${imported.body.slice(0, 500)}`);
  return { client, document: doc };
}
