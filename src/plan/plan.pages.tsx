import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Problem } from '../http/problems.js';
import { problems } from '../http/problems.js';
import { RoadmapIdParam } from '../http/schemas.js';
import { requireRoadmap } from '../content/content.lookup.js';
import type { Roadmap } from '../content/content.types.js';
import type { FormState } from '../web/components/forms.js';
import { pageContext, sendCachedPage, sendPage } from '../web/layout.js';
import * as plans from './plan.service.js';
import * as checkins from './plan.checkins.js';
import * as feeds from './plan.feed.js';
import { inTransaction } from './plan.transaction.js';
import { learnerOf, publicOrigin } from './plan.routes.js';
import { settingsFromForm, type SettingsFormBody } from './plan.settings.js';
import { PlanPage } from './pages/plan.page.js';
import { PlanPrintPage } from './pages/print.page.js';
import { VersionPage } from './pages/version.page.js';
import { attempt, back } from '../web/form-flow.js';

// The plan's pages and their no-JavaScript form routes. GET handlers read: who is asking → which
// roadmap → the plan service → a Preact page. Form posts call the same service as the JSON API and
// redirect back (303) with a flash message; a refused form's messages and values ride in that flash too.

const hidden = { hide: true };
const Text = Type.Optional(Type.String({ maxLength: 20_000 }));
const TextOrList = Type.Optional(
  Type.Union([
    Type.String({ maxLength: 200 }),
    Type.Array(Type.String({ maxLength: 200 }), { maxItems: 2000 }),
  ]),
);
const SETTINGS_FIELDS = [
  'startDate',
  'hoursPerWeek',
  'targetWeeks',
  'studyDays',
  'studyTime',
  'sessionMinutes',
  'weeksOff',
  'includeOptional',
  'timeZone',
  'topics',
];

/** Every IANA zone Intl knows, for the time-zone field's suggestions. */
const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC'),
];

/** A problem spread over the settings form: each field gets its own sentence (the only one gets the whole story). */
function settingsFormState(problem: Problem, values: Record<string, string>): FormState {
  const fields: Record<string, string> = {};
  for (const error of problem.errors) {
    const name = error.pointer.replace(/^\/body\//, '').split('/')[0] ?? '';
    if (!SETTINGS_FIELDS.includes(name) || fields[name]) continue;
    const sentence = error.message.charAt(0).toUpperCase() + error.message.slice(1);
    fields[name] = problem.errors.length === 1 ? problem.detail : `${sentence}.`;
  }
  return { fields, form: Object.keys(fields).length ? null : problem.detail, values };
}

export default async function planPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;
  const RoadmapParams = Type.Object({ roadmapId: RoadmapIdParam });

  async function renderPlan(
    request: FastifyRequest,
    reply: FastifyReply,
    roadmap: Roadmap,
    options: { newFeedUrl?: string } = {},
  ): Promise<FastifyReply> {
    const content = app.content();
    const learner = request.auth ? learnerOf(request.auth) : null;
    const build = async () => {
      const plan = await plans.getPlan(db(), content, roadmap, learner, app.clock.now());
      const versions = plan.saved && learner ? await plans.listVersions(db(), roadmap, learner.id) : [];
      const context = pageContext(request);
      // A refused settings form comes back through a redirect: its messages and values ride in the flash.
      const settingsForm = context.flash?.form ?? null;
      if (context.flash?.form) context.flash = null;
      const page = (
        <PlanPage
          context={context}
          content={content}
          roadmap={roadmap}
          plan={plan}
          versions={versions}
          settingsForm={settingsForm}
          newFeedUrl={options.newFeedUrl ?? null}
          timeZones={TIME_ZONES}
        />
      );
      return { page, day: { timeZone: plan.settings.timeZone, today: plan.today } };
    };
    // The plain page is the same until the learner's data, the content or the day changes; a page
    // answering a form (a flash with its messages, a new feed address) is always rendered afresh.
    if (!options.newFeedUrl) return sendCachedPage(app, request, reply, build);
    const { page } = await build();
    return sendPage(reply, request, page, {
      ...(options.newFeedUrl ? { headers: { 'cache-control': 'no-store' } } : {}),
    });
  }

  /**
   * A refused settings form: Post/Redirect/Get back to the plan's own address with the messages and what
   * was typed in a flash, so a reload shows the page instead of sending the form again.
   */
  function refused(
    reply: FastifyReply,
    roadmap: Roadmap,
    problem: Problem,
    values: Record<string, string>,
  ): FastifyReply {
    // No #fragment: a page with a target element skips `autofocus`, which moves focus to the field to fix.
    return back(reply, `/roadmaps/${roadmap.id}/plan`, {
      kind: 'error',
      text: problem.detail,
      form: settingsFormState(problem, values),
    });
  }

  app.get('/plan', { schema: hidden }, async (request, reply) => {
    const content = app.content();
    let roadmapId = content.roadmapList[0]?.id ?? 'backend';
    if (request.auth) {
      const newest = await plans.newestPlanRow(db(), request.auth.user.id);
      if (newest && content.roadmaps.has(newest.roadmap_id)) roadmapId = newest.roadmap_id;
    }
    return reply.redirect(`/roadmaps/${roadmapId}/plan`, 303);
  });

  app.get(
    '/roadmaps/:roadmapId/plan',
    { schema: { ...hidden, params: RoadmapParams } },
    async (request, reply) => {
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      return renderPlan(request, reply, roadmap);
    },
  );

  app.post(
    '/roadmaps/:roadmapId/plan/settings',
    {
      schema: {
        ...hidden,
        params: RoadmapParams,
        body: Type.Object({
          startDate: Text,
          hoursPerWeek: Text,
          targetWeeks: Text,
          studyTime: Text,
          sessionMinutes: Text,
          timeZone: Text,
          includeOptional: Text,
          topicsShown: Text,
          weeksOffShown: Text,
          studyDays: TextOrList,
          weeksOff: TextOrList,
          topics: TextOrList,
        }),
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const auth = await app.requireUserOrGuest(request, reply);
      const learner = learnerOf(auth);
      const form = request.body as SettingsFormBody;
      const values: Record<string, string> = Object.fromEntries(
        Object.entries(form)
          .filter(([name]) => name !== 'topics' && name !== 'weeksOff')
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value ?? '')]),
      );
      if (form.studyDays === undefined) values.studyDays = '';
      const current = await plans.getPlan(db(), content, roadmap, learner, app.clock.now());
      const { change, errors } = settingsFromForm(form, roadmap, content, current.settings);
      if (errors.length > 0) {
        const problem = problems.validation(
          errors.length === 1
            ? `${errors[0]!.message}.`
            : `${errors.length} settings need fixing; nothing was saved.`,
          errors,
        );
        return refused(reply, roadmap, problem, values);
      }
      return attempt(
        async () => {
          const plan = await inTransaction(app.db, auth.user.id, (trx) =>
            plans.savePlan(trx, content, roadmap, learner, change, app.clock.now()),
          );
          const text =
            current.saved && plan.version === current.version
              ? 'Nothing changed.'
              : `Plan saved (version ${plan.version}). ${plan.feasibility.status === 'fits' ? plan.feasibility.message : 'It ends after your target: see the note at the top.'}`;
          return back(reply, `/roadmaps/${roadmap.id}/plan#settings`, { kind: 'success', text });
        },
        (problem) => refused(reply, roadmap, problem, values),
      );
    },
  );

  app.post(
    '/roadmaps/:roadmapId/plan/replan',
    { schema: { ...hidden, params: RoadmapParams, body: Type.Object({ mode: Text }) } },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const auth = app.requireAuth(request);
      const mode = request.body.mode;
      if (mode !== 'extend' && mode !== 'keep-finish') {
        throw problems.validation('Choose how to re-plan: extend or keep-finish.', [
          { pointer: '/body/mode', message: 'must be extend or keep-finish' },
        ]);
      }
      const to = `/roadmaps/${roadmap.id}/plan`;
      return attempt(
        async () => {
          const plan = await inTransaction(app.db, auth.user.id, (trx) =>
            plans.replan(trx, content, roadmap, learnerOf(auth), mode, app.clock.now()),
          );
          const text =
            mode === 'extend'
              ? `Re-planned at ${plan.settings.hoursPerWeek} h a week: you now finish on ${plan.feasibility.plannedFinish ?? plan.feasibility.targetFinish}.`
              : `Re-planned to keep your finish date: ${plan.settings.hoursPerWeek} h a week from now on.`;
          return back(reply, to, { kind: 'success', text });
        },
        (problem) => back(reply, to, { kind: 'error', text: problem.detail }),
      );
    },
  );

  app.post(
    '/roadmaps/:roadmapId/plan/weeks/:weekIndex/checkin',
    {
      schema: {
        ...hidden,
        params: Type.Object({
          roadmapId: RoadmapIdParam,
          weekIndex: Type.String({ pattern: '^[0-9]{1,3}$' }),
        }),
        body: Type.Object({ note: Text }),
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const auth = app.requireAuth(request);
      const weekIndex = Number(request.params.weekIndex);
      const to = `/roadmaps/${roadmap.id}/plan#week-${weekIndex + 1}`;
      const note = request.body.note ?? '';
      if (note.length > checkins.CHECKIN_MAX_LENGTH) {
        return back(reply, to, {
          kind: 'error',
          text: `The reflection is ${note.length} characters long; the limit is ${checkins.CHECKIN_MAX_LENGTH}. Nothing was saved.`,
        });
      }
      return attempt(
        async () => {
          await inTransaction(app.db, auth.user.id, (trx) =>
            checkins.saveCheckin(trx, content, roadmap, auth.user.id, weekIndex, note, app.clock.now()),
          );
          return back(reply, to, { kind: 'success', text: `Reflection for week ${weekIndex + 1} saved.` });
        },
        (problem) => back(reply, to, { kind: 'error', text: problem.detail }),
      );
    },
  );

  app.post(
    '/roadmaps/:roadmapId/plan/feed',
    { schema: { ...hidden, params: RoadmapParams } },
    async (request, reply) => {
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const auth = app.requireAuth(request);
      const feed = await inTransaction(app.db, auth.user.id, (trx) =>
        feeds.rotateFeed(trx, roadmap, auth.user.id, app.clock.now()),
      );
      // The URL is shown on this response only (no redirect: it must not end up in history or a flash cookie).
      return renderPlan(request, reply, roadmap, {
        newFeedUrl: `${publicOrigin(app, request)}/calendar/${feed.token}.ics`,
      });
    },
  );

  app.post(
    '/roadmaps/:roadmapId/plan/feed/revoke',
    { schema: { ...hidden, params: RoadmapParams } },
    async (request, reply) => {
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const auth = app.requireAuth(request);
      const to = `/roadmaps/${roadmap.id}/plan#calendar`;
      return attempt(
        async () => {
          await app.db.write((trx) => feeds.revokeFeed(trx, roadmap, auth.user.id), {
            userId: auth.user.id,
            scope: 'data',
          });
          return back(reply, to, {
            kind: 'success',
            text: 'Calendar link revoked: calendars using it stop updating.',
          });
        },
        (problem) => back(reply, to, { kind: 'error', text: problem.detail }),
      );
    },
  );

  app.get(
    '/roadmaps/:roadmapId/plan/print',
    { schema: { ...hidden, params: RoadmapParams } },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const learner = request.auth ? learnerOf(request.auth) : null;
      const plan = await plans.getPlan(db(), content, roadmap, learner, app.clock.now());
      return sendPage(
        reply,
        request,
        <PlanPrintPage context={pageContext(request)} roadmap={roadmap} plan={plan} />,
      );
    },
  );

  app.get(
    '/roadmaps/:roadmapId/plan/versions/:version',
    {
      schema: {
        ...hidden,
        params: Type.Object({
          roadmapId: RoadmapIdParam,
          version: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }),
        }),
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const auth = app.requireAuth(request);
      const version = await plans.getVersion(
        db(),
        content,
        roadmap,
        auth.user.id,
        Number(request.params.version),
      );
      return sendPage(
        reply,
        request,
        <VersionPage context={pageContext(request)} roadmap={roadmap} version={version} />,
      );
    },
  );
}
