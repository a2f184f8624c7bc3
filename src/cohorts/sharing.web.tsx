import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { problems } from '../http/problems.js';
import { requireTopic } from '../content/content.lookup.js';
import { back } from '../web/form-flow.js';
import { safeReturnPath } from '../web/page-context.js';
import type { TopicSection } from '../web/home-widgets.js';
import * as repo from './cohorts.repository.js';
import * as cohorts from './cohorts.service.js';
import { cohortChange } from './summaries.js';
import { CohortParams } from './cohorts.schemas.js';

// What a learner in a cohort chooses to show their mentors, without JavaScript: a note on the topic
// page (private unless shared), and their weekly reflections per cohort (on /cohorts).

const Strings = (fields: readonly string[]) =>
  Type.Object(Object.fromEntries(fields.map((f) => [f, Type.Optional(Type.String({ maxLength: 300 }))])));

/** On a topic page of a learner in a cohort: whether their note is shared with their mentors, and a button to change it. */
export const noteSharingSection: TopicSection = {
  id: 'note-sharing',
  order: 20,
  async render({ app, request, roadmap, topic }) {
    const actor = request.auth?.user;
    if (!actor || actor.is_guest === 1) return null;
    const db = app.db.kysely;
    const learns = (await repo.listMembershipsOf(db, actor.id)).some((m) => m.role === 'learner');
    if (!learns) return null;
    const shared = await repo.isNoteShared(db, actor.id, topic.id);
    return (
      <section class="topic-section" id="note-sharing" aria-labelledby="note-sharing-title">
        <h2 id="note-sharing-title">Your note and your mentors</h2>
        <p>
          {shared
            ? 'Your mentors can read your note on this topic.'
            : 'Your note on this topic is private: your mentors cannot read it.'}
        </p>
        <form method="post" action="/cohorts/note-sharing">
          <input type="hidden" name="topicId" value={topic.id} />
          <input type="hidden" name="shared" value={shared ? '0' : '1'} />
          <input
            type="hidden"
            name="return"
            value={`/roadmaps/${roadmap.id}/topics/${topic.id}#note-sharing`}
          />
          <button type="submit" class="button button-quiet">
            {shared ? 'Make my note private again' : 'Share my note with my mentors'}
          </button>
        </form>
      </section>
    );
  },
};

/** The form routes behind the sharing controls. */
export default async function sharingForms(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const hidden = { hide: true };

  app.post(
    '/cohorts/note-sharing',
    { schema: { ...hidden, body: Strings(['topicId', 'shared', 'return']) } },
    async (request, reply) => {
      const actor = request.auth?.user;
      if (!actor || actor.is_guest === 1) throw problems.unauthenticated();
      const body = request.body as Record<string, string | undefined>;
      const topic = requireTopic(app.content(), body.topicId ?? '');
      const shared = body.shared === '1';
      await app.db.write(
        (trx) => cohorts.setNoteSharing(trx, actor.id, topic.id, shared, app.clock.now().toISOString()),
        { userId: actor.id, scope: 'data' },
      );
      return back(reply, safeReturnPath(body.return, '/cohorts'), {
        kind: 'success',
        text: shared ? 'Your mentors can now read this note.' : 'This note is private again.',
      });
    },
  );

  app.post(
    '/cohorts/:cohortId/reflections',
    { schema: { ...hidden, params: CohortParams, body: Strings(['share']) } },
    async (request, reply) => {
      const actor = request.auth?.user;
      if (!actor || actor.is_guest === 1) throw problems.unauthenticated();
      const { cohortId } = request.params;
      const share = (request.body as Record<string, string | undefined>).share === '1';
      await app.db.write(
        (trx) => cohorts.setShareReflections(trx, cohortId, actor.id, share),
        [{ userId: actor.id, scope: 'data' }, cohortChange(cohortId, actor.id)],
      );
      return back(reply, '/cohorts', {
        kind: 'success',
        text: share
          ? 'Your mentors can now read your weekly reflections.'
          : 'Your reflections are private again.',
      });
    },
  );
}
