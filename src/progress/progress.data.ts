import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection, type UserDataContext } from '../account/user-data.js';
import type { Queryable } from '../db/types.js';
import type { ActivityRow, ActivityTable } from '../db/schema.js';
import { yieldToLoop } from '../lib/slices.js';
import { problems } from '../http/problems.js';
import * as repo from './progress.repository.js';
import { STATUSES } from './progress.service.js';
import { limit } from '../account/limits.js';

const IsoDate = Type.String({ format: 'date-time', description: 'ISO-8601 timestamp' });

export const ProgressExport = Type.Object(
  {
    topics: Type.Array(
      Type.Object(
        {
          topicId: Type.String({ minLength: 1, maxLength: 64 }),
          status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
          note: Type.String(limit('noteLength', 'length')),
          createdAt: IsoDate,
          updatedAt: IsoDate,
          statusChangedAt: IsoDate,
          checklist: Type.Optional(
            Type.Array(
              Type.Object({ itemId: Type.String({ minLength: 1, maxLength: 80 }), tickedAt: IsoDate }),
            ),
          ),
        },
        { additionalProperties: false },
      ),
      limit('progressTopics'),
    ),
    activity: Type.Array(
      Type.Object(
        {
          topicId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
          kind: Type.Union(
            (['status', 'note', 'reset', 'import', 'checklist', 'review', 'alias', 'merge'] as const).map(
              (k) => Type.Literal(k),
            ),
          ),
          fromStatus: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
          toStatus: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
          at: IsoDate,
          detail: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      limit('activityRowsPerImport'),
    ),
  },
  { additionalProperties: false },
);
export type ProgressExport = Static<typeof ProgressExport>;

function resolveTopic(ctx: UserDataContext, topicId: string, pointer: string): string {
  const id = ctx.canonicalTopicId(topicId);
  if (id === null) {
    throw problems.validation(
      `The import mentions topic "${topicId}", which no roadmap on this server knows (${pointer}). Nothing was imported.`,
      [{ pointer, message: `unknown topic id "${topicId}"` }],
    );
  }
  return id;
}

const ACTIVITY_PAGE = 2_000;

/** Progress, notes, checklist ticks and the activity log, as one exportable section. */
export const progressUserData = defineUserDataSection({
  name: 'progress',
  schema: ProgressExport,
  async export(db: Queryable, userId: string): Promise<ProgressExport> {
    const [rows, ticks] = await Promise.all([repo.listProgress(db, userId), repo.listTicks(db, userId)]);
    // The activity log is read page by page, yielding to the event loop between pages: an account
    // may hold tens of thousands of rows (issue 14).
    const activity: ActivityRow[] = [];
    for (;;) {
      const page = await repo.listActivityPage(db, userId, activity.at(-1) ?? null, ACTIVITY_PAGE);
      activity.push(...page);
      if (page.length < ACTIVITY_PAGE) break;
      await yieldToLoop();
    }
    return {
      topics: rows.map((r) => ({
        topicId: r.topic_id,
        status: r.status,
        note: r.note,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        statusChangedAt: r.status_changed_at,
        checklist: ticks
          .filter((t) => t.topic_id === r.topic_id)
          .map((t) => ({ itemId: t.item_id, tickedAt: t.ticked_at })),
      })),
      activity: activity.map((a) => ({
        topicId: a.topic_id,
        kind: a.kind,
        fromStatus: a.from_status,
        toStatus: a.to_status,
        at: a.created_at,
        detail: a.detail,
      })),
    };
  },
  async import(trx, userId, data, ctx) {
    let written = 0;
    for (const [index, item] of data.topics.entries()) {
      const topicId = resolveTopic(ctx, item.topicId, `/body/progress/topics/${index}/topicId`);
      const existing = await repo.findProgress(trx, userId, topicId);
      if (!existing || existing.updated_at < item.updatedAt) {
        await repo.upsertProgress(trx, {
          user_id: userId,
          topic_id: topicId,
          status: item.status,
          note: item.note,
          created_at: existing?.created_at ?? item.createdAt,
          updated_at: item.updatedAt,
          status_changed_at: item.statusChangedAt,
        });
        written += 1;
      }
      for (const tick of item.checklist ?? [])
        await repo.setTick(trx, userId, topicId, tick.itemId, tick.tickedAt);
    }
    const activity = [];
    for (const [index, a] of data.activity.entries()) {
      const topicId =
        a.topicId === null ? null : resolveTopic(ctx, a.topicId, `/body/progress/activity/${index}/topicId`);
      const row = { topic_id: topicId, kind: a.kind, created_at: a.at, to_status: a.toStatus };
      if (await repo.activityExists(trx, userId, row)) continue;
      activity.push({ user_id: userId, ...row, from_status: a.fromStatus, detail: a.detail } satisfies Omit<
        ActivityTable,
        'id'
      >);
    }
    for (let i = 0; i < activity.length; i += 500) await repo.insertActivity(trx, activity.slice(i, i + 500));
    return written + activity.length;
  },
  async merge(trx, fromUserId, toUserId) {
    for (const row of await repo.listProgress(trx, fromUserId)) {
      const existing = await repo.findProgress(trx, toUserId, row.topic_id);
      if (!existing || existing.updated_at < row.updated_at) {
        await repo.upsertProgress(trx, {
          ...row,
          user_id: toUserId,
          created_at: existing?.created_at ?? row.created_at,
        });
      }
    }
    for (const tick of await repo.listTicks(trx, fromUserId)) {
      await repo.setTick(trx, toUserId, tick.topic_id, tick.item_id, tick.ticked_at);
    }
    await repo.reassignActivity(trx, fromUserId, toUserId);
  },
});
