import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { contentWithLanguages } from './content.js';

// Choosing one member of a "choose one of" set through the API, once per SQL dialect: the pick is
// stored per learner, drives the plan, leaves progress alone, leaves with the export and goes with
// the account.

interface SetView {
  id: string;
  title: string;
  required: boolean;
  defaultTopicId: string;
  topics: { id: string; title: string }[];
  chosenTopicId: string;
  chosenByLearner: boolean;
  updatedAt: string | null;
}

interface PlanView {
  version: number | null;
  weeks: { items: { topicId: string }[] }[];
}

const SETS = '/api/v1/roadmaps/backend/alternatives';
const LANGUAGE = `${SETS}/first-language`;
const PLAN = '/api/v1/roadmaps/backend/plan';

const planned = (plan: PlanView): string[] => plan.weeks.flatMap((w) => w.items.map((i) => i.topicId));

for (const dialect of await dialects()) {
  describe(`alternative sets API (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        content: await contentWithLanguages(),
        now: '2026-03-02T08:00:00Z',
      });
    });
    after(async () => t?.close());

    it('shows a visitor every set with its default as the pick', async () => {
      const res = await t.app.inject(SETS);
      assert.equal(res.statusCode, 200);
      const language = json<{ sets: SetView[] }>(res).sets.find((s) => s.id === 'first-language');
      assert.ok(language);
      assert.equal(language.chosenTopicId, 'javascript-basics');
      assert.equal(language.chosenByLearner, false);
      assert.equal(language.required, true);
      assert.ok(language.topics.some((topic) => topic.id === 'python-basics' && topic.title.length > 0));
    });

    it('stores a pick per learner, goes back to the default with null, and refuses non-members with a 422', async () => {
      const a = new Client(t.app);
      const chosen = await a.put(LANGUAGE, { topicId: 'python-basics' });
      assert.equal(chosen.statusCode, 200, chosen.body);
      assert.equal(json<SetView>(chosen).chosenTopicId, 'python-basics');
      assert.equal(json<SetView>(await a.get(LANGUAGE)).chosenTopicId, 'python-basics');
      assert.equal(json<SetView>(await new Client(t.app).get(LANGUAGE)).chosenTopicId, 'javascript-basics');

      const wrong = await a.put(LANGUAGE, { topicId: 'kafka' });
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'not_in_alternative_set');
      assert.match(String(json(wrong).detail), /python-basics/);
      assert.equal((await a.put(`${SETS}/no-such-set`, { topicId: 'python-basics' })).statusCode, 404);
      assert.equal(
        (await a.put('/api/v1/roadmaps/cooking/alternatives/first-language', { topicId: 'x' })).statusCode,
        404,
      );
      assert.equal((await a.put(LANGUAGE, { topic: 'python-basics' })).statusCode, 400);
      assert.equal((await a.get(`${SETS}/no-such-set`)).statusCode, 404);

      const reset = json<SetView>(await a.put(LANGUAGE, { topicId: null }));
      assert.deepEqual([reset.chosenTopicId, reset.chosenByLearner], ['javascript-basics', false]);
    });

    it('plans only the chosen language, re-plans on a switch, and keeps progress on every member', async () => {
      const a = new Client(t.app);
      await a.signup('chooser@example.org');
      const first = json<PlanView>(await a.put(PLAN, {}));
      assert.ok(planned(first).includes('javascript-basics'));
      assert.ok(!planned(first).includes('python-basics'));
      await a.put('/api/v1/topics/javascript-basics/progress', { status: 'learning', note: 'closures' });

      await a.put(LANGUAGE, { topicId: 'python-basics' });
      const switched = json<PlanView>(await a.get(PLAN));
      assert.ok(switched.version! > first.version!, 'a new plan version');
      assert.ok(planned(switched).includes('python-basics'));
      assert.ok(!planned(switched).includes('javascript-basics'));
      const kept = json<{ progress: { status: string; note: string } }>(
        await a.get('/api/v1/topics/javascript-basics'),
      );
      assert.deepEqual([kept.progress.status, kept.progress.note], ['learning', 'closures']);

      await a.put('/api/v1/topics/javascript-basics/progress', { status: 'done' });
      await a.put(LANGUAGE, { topicId: 'php-basics' });
      const done = json<PlanView>(await a.get(PLAN));
      assert.ok(
        !planned(done).some((id) => ['javascript-basics', 'python-basics', 'php-basics'].includes(id)),
        'a set with a done member needs nothing more',
      );
    });

    it('counts a set once in the roadmap progress, done when any member is done', async () => {
      const a = new Client(t.app);
      await a.signup('counter@example.org');
      const summary = async () =>
        json<{ summary: { total: number; done: number } }>(await a.get('/api/v1/roadmaps/backend/progress'))
          .summary;
      await a.put('/api/v1/topics/dns/progress', { status: 'done' });
      const before = await summary();
      const backend = t.content.roadmaps.get('backend')!;
      const members = backend.alternatives.reduce((sum, set) => sum + set.topicIds.length - 1, 0);
      assert.equal(before.total, backend.topicIds.length - members);
      await a.put('/api/v1/topics/php-basics/progress', { status: 'done' });
      await a.put('/api/v1/topics/python-basics/progress', { status: 'done' });
      const after = await summary();
      assert.equal(after.done, before.done + 1);
      assert.equal(after.total, before.total);
    });

    it('exports the picks, imports them into another account (twice: no change), and deletes them with the account', async () => {
      const a = new Client(t.app);
      await a.signup('export-choice@example.org', 'a long password 1');
      await a.put(LANGUAGE, { topicId: 'php-basics' });
      const exported = json<{
        alternatives: { choices: { roadmapId: string; setId: string; topicId: string }[] };
      }>(await a.get('/api/v1/me/export'));
      assert.deepEqual(
        exported.alternatives.choices.map((c) => [c.roadmapId, c.setId, c.topicId]),
        [['backend', 'first-language', 'php-basics']],
      );
      const b = new Client(t.app);
      await b.signup('import-choice@example.org');
      const imported = await b.post('/api/v1/me/import', exported);
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(json<{ imported: { alternatives: number } }>(imported).imported.alternatives, 1);
      assert.equal(
        json<{ imported: { alternatives: number } }>(await b.post('/api/v1/me/import', exported)).imported
          .alternatives,
        0,
      );
      assert.equal(json<SetView>(await b.get(LANGUAGE)).chosenTopicId, 'php-basics');
      const reExported = json<typeof exported>(await b.get('/api/v1/me/export'));
      assert.deepEqual(reExported.alternatives, exported.alternatives);

      const rows = () => t.db.kysely.selectFrom('alternative_choices').select('user_id').execute();
      const before = (await rows()).length;
      const gone = await a.delete('/api/v1/me', { password: 'a long password 1' });
      assert.equal(gone.statusCode, 204, gone.body);
      assert.equal((await rows()).length, before - 1);
    });
  });
}
