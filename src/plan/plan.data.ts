// The plan's part of a user's data: settings, every plan version and the weekly check-in notes.
// It leaves with the export, comes back with an import (idempotent: versions are matched by when they
// were made and why), and moves from a guest into an account at login (newest plan wins). The calendar
// feed token is deliberately not exported: it is a secret, and a new one is one click away.

import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection, type UserDataContext } from '../account/user-data.js';
import { IMPORT_LIMITS, LIMIT_NAMES, limit } from '../account/limits.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import { setUserTimeZone } from '../auth/user-profile.js';
import * as repo from './plan.repository.js';
import { PlanSettingsStored, type PlanSettings } from './plan.settings.js';
import type { PlanVersion } from './plan.tracking.js';

const IsoDate = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const TopicId = Type.String({ minLength: 1, maxLength: 64 });

const StoredWeek = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: 10_000 }),
    start: Day,
    end: Day,
    off: Type.Boolean(),
    capacityHours: Type.Number({ minimum: 0 }),
    hours: Type.Number({ minimum: 0 }),
    tools: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 200 }),
    items: Type.Array(
      Type.Object(
        {
          topicId: TopicId,
          hours: Type.Number({ minimum: 0 }),
          part: Type.Integer({ minimum: 1 }),
          parts: Type.Integer({ minimum: 1 }),
        },
        { additionalProperties: false },
      ),
      limit('weekItems'),
    ),
  },
  { additionalProperties: false },
);

const StoredFeasibility = Type.Object(
  {
    status: Type.Union([Type.Literal('fits'), Type.Literal('over-target'), Type.Literal('infeasible')]),
    hoursNeeded: Type.Number(),
    hoursAvailable: Type.Number(),
    targetWeeks: Type.Integer(),
    weeksNeeded: Type.Union([Type.Integer(), Type.Null()]),
    hoursPerWeekNeeded: Type.Union([Type.Integer(), Type.Null()]),
    targetFinish: Day,
    plannedFinish: Type.Union([Day, Type.Null()]),
    message: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const PlanExport = Type.Object(
  {
    plans: Type.Array(
      Type.Object(
        {
          roadmapId: Type.String({ minLength: 1, maxLength: 64 }),
          createdAt: IsoDate,
          updatedAt: IsoDate,
          settings: PlanSettingsStored,
          versions: Type.Array(
            Type.Object(
              {
                version: Type.Integer({ minimum: 1 }),
                reason: Type.Union(
                  ['created', 'settings', 'replan-extend', 'replan-keep-finish', 'imported'].map((r) =>
                    Type.Literal(r),
                  ),
                ),
                createdAt: IsoDate,
                fromWeek: Type.Integer({ minimum: 0 }),
                settings: PlanSettingsStored,
                weeks: Type.Array(StoredWeek, limit('planWeeks')),
                scope: Type.Array(TopicId, { maxItems: 5000 }),
                feasibility: StoredFeasibility,
              },
              { additionalProperties: false },
            ),
            { minItems: 1, ...limit('planVersions') },
          ),
          checkins: Type.Array(
            Type.Object(
              {
                weekStart: Day,
                note: Type.String(limit('checkinLength', 'length')),
                createdAt: IsoDate,
                updatedAt: IsoDate,
              },
              { additionalProperties: false },
            ),
            limit('planCheckins'),
          ),
        },
        { additionalProperties: false },
      ),
      limit('plans'),
    ),
  },
  { additionalProperties: false },
);
export type PlanExport = Static<typeof PlanExport>;
type ExportedVersion = PlanExport['plans'][number]['versions'][number];

/** Plan rows follow their newest version (the current one is always the newest). */
async function syncPlanRow(
  db: WriteTx,
  userId: string,
  roadmapId: string,
  createdAtHint: string | null,
): Promise<void> {
  const count = await repo.renumberVersions(db, userId, roadmapId);
  if (count === 0) return;
  const newest = await repo.findVersion(db, userId, roadmapId, count);
  if (!newest) return;
  const version = repo.versionOfRow(newest);
  const existing = await repo.findPlan(db, userId, roadmapId);
  const created =
    [existing?.created_at, createdAtHint].filter((d): d is string => !!d).sort()[0] ?? version.createdAt;
  await repo.upsertPlan(
    db,
    repo.planRowOf(userId, roadmapId, version.settings, count, created, version.createdAt),
  );
}

/** One time zone per learner: the zone of their most recently changed plan. */
async function syncTimeZone(db: WriteTx, userId: string, now: string): Promise<void> {
  const plans = await repo.listPlans(db, userId);
  const newest = [...plans].sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
  if (newest) {
    await setUserTimeZone(db, userId, newest.time_zone, now);
    await repo.setPlansTimeZone(db, userId, newest.time_zone);
  }
}

function canonicalizer(ctx: UserDataContext, base: string) {
  return (id: string, pointer: string): string => {
    const canonical = ctx.canonicalTopicId(id);
    if (canonical === null) {
      throw problems.validation(
        `The import mentions topic "${id}", which no roadmap on this server knows (${base}${pointer}). Nothing was imported.`,
        [{ pointer: `${base}${pointer}`, message: `unknown topic id "${id}"` }],
      );
    }
    return canonical;
  };
}

function importedVersion(
  v: ExportedVersion,
  topic: (id: string, pointer: string) => string,
  base: string,
): PlanVersion {
  const settings: PlanSettings = {
    ...v.settings,
    includeTopics: v.settings.includeTopics.map((id, i) => topic(id, `${base}/settings/includeTopics/${i}`)),
    excludeTopics: v.settings.excludeTopics.map((id, i) => topic(id, `${base}/settings/excludeTopics/${i}`)),
  };
  return {
    version: v.version,
    reason: v.reason as PlanVersion['reason'],
    createdAt: v.createdAt,
    settings,
    fromWeek: v.fromWeek,
    weeks: v.weeks.map((w, wi) => ({
      ...w,
      items: w.items.map((item, ii) => ({
        ...item,
        topicId: topic(item.topicId, `${base}/weeks/${wi}/items/${ii}/topicId`),
      })),
    })),
    scope: v.scope.map((id, i) => topic(id, `${base}/scope/${i}`)),
    feasibility: v.feasibility,
  };
}

export const planUserData = defineUserDataSection({
  name: 'plan',
  schema: PlanExport,
  async export(db: Queryable, userId: string): Promise<PlanExport> {
    const [plans, versions, checkins] = await Promise.all([
      repo.listPlans(db, userId),
      repo.listVersions(db, userId),
      repo.listCheckins(db, userId),
    ]);
    return {
      plans: plans.map((plan) => {
        const own = versions.filter((v) => v.roadmap_id === plan.roadmap_id).map(repo.versionOfRow);
        const current = own.find((v) => v.version === plan.current_version);
        return {
          roadmapId: plan.roadmap_id,
          createdAt: plan.created_at,
          updatedAt: plan.updated_at,
          settings: { ...(current?.settings ?? own[0]!.settings), timeZone: plan.time_zone },
          versions: own
            .sort((a, b) => a.version - b.version)
            .map((v) => ({
              version: v.version,
              reason: v.reason,
              createdAt: v.createdAt,
              fromWeek: v.fromWeek,
              settings: v.settings,
              weeks: v.weeks.map((w) => ({
                index: w.index,
                start: w.start,
                end: w.end,
                off: w.off,
                capacityHours: w.capacityHours,
                hours: w.hours,
                tools: w.tools,
                items: w.items.map((item) => ({
                  topicId: item.topicId,
                  hours: item.hours,
                  part: item.part,
                  parts: item.parts,
                })),
              })),
              scope: v.scope,
              feasibility: v.feasibility,
            })),
          checkins: checkins
            .filter((c) => c.roadmap_id === plan.roadmap_id)
            .map((c) => ({
              weekStart: c.week_start,
              note: c.note,
              createdAt: c.created_at,
              updatedAt: c.updated_at,
            })),
        };
      }),
    };
  },

  async import(trx, userId, data, ctx) {
    // Check everything first (unknown roadmaps or topics reject the whole file), then write.
    const topic = canonicalizer(ctx, '');
    const checked = data.plans.map((plan, p) => {
      const base = `/body/plan/plans/${p}`;
      if (!ctx.content.roadmaps.has(plan.roadmapId)) {
        throw problems.validation(
          `The import has a plan for roadmap "${plan.roadmapId}", which this server does not have (${base}/roadmapId). Nothing was imported.`,
          [{ pointer: `${base}/roadmapId`, message: `unknown roadmap "${plan.roadmapId}"` }],
        );
      }
      for (const [i, v] of plan.versions.entries()) {
        const goals = v.weeks.reduce((sum, week) => sum + week.items.length, 0);
        if (goals > IMPORT_LIMITS.versionItems)
          throw problems.limitExceeded(
            `${base}/versions/${i}/weeks`,
            goals,
            IMPORT_LIMITS.versionItems,
            LIMIT_NAMES.versionItems,
          );
      }
      return {
        plan,
        versions: plan.versions.map((v, i) => importedVersion(v, topic, `${base}/versions/${i}`)),
      };
    });
    let written = 0;
    for (const { plan, versions } of checked) {
      for (const version of versions) {
        if (await repo.versionExists(trx, userId, plan.roadmapId, version.createdAt, version.reason))
          continue;
        // A temporary number above every existing one; renumbering by date follows.
        const number = (await repo.latestVersionNumber(trx, userId, plan.roadmapId)) + 1;
        await repo.insertVersion(
          trx,
          repo.versionRowOf(userId, plan.roadmapId, { ...version, version: number }),
        );
        written += 1;
      }
      await repo.pruneVersions(trx, userId, plan.roadmapId, IMPORT_LIMITS.planVersions);
      await syncPlanRow(trx, userId, plan.roadmapId, plan.createdAt);
      for (const checkin of plan.checkins) {
        const existing = await repo.findCheckin(trx, userId, plan.roadmapId, checkin.weekStart);
        if (existing && existing.updated_at >= checkin.updatedAt) continue;
        await repo.upsertCheckin(trx, {
          user_id: userId,
          roadmap_id: plan.roadmapId,
          week_start: checkin.weekStart,
          note: checkin.note,
          created_at: existing?.created_at ?? checkin.createdAt,
          updated_at: checkin.updatedAt,
        });
        written += 1;
      }
    }
    await syncTimeZone(trx, userId, ctx.now);
    return written;
  },

  async merge(trx, fromUserId, toUserId, ctx) {
    const guestPlans = await repo.listPlans(trx, fromUserId);
    for (const plan of guestPlans) {
      await repo.reassignVersions(trx, fromUserId, toUserId, plan.roadmap_id);
      await syncPlanRow(trx, toUserId, plan.roadmap_id, plan.created_at);
      for (const checkin of await repo.listCheckins(trx, fromUserId, plan.roadmap_id)) {
        const existing = await repo.findCheckin(trx, toUserId, plan.roadmap_id, checkin.week_start);
        if (existing && existing.updated_at >= checkin.updated_at) continue;
        await repo.upsertCheckin(trx, {
          ...checkin,
          user_id: toUserId,
          created_at: existing?.created_at ?? checkin.created_at,
        });
      }
      if (!(await repo.findFeed(trx, toUserId, plan.roadmap_id)))
        await repo.reassignFeed(trx, fromUserId, toUserId, plan.roadmap_id);
    }
    if (guestPlans.length > 0) await syncTimeZone(trx, toUserId, ctx.now);
  },

  async rekeyTopic(trx, fromTopicId, toTopicId) {
    const swap = (ids: string[]) => [...new Set(ids.map((id) => (id === fromTopicId ? toTopicId : id)))];
    for (const row of await repo.versionsMentioningAnywhere(trx, fromTopicId)) {
      const version = repo.versionOfRow(row);
      const weeks = version.weeks.map((w) => ({
        ...w,
        items: w.items.map((item) => (item.topicId === fromTopicId ? { ...item, topicId: toTopicId } : item)),
      }));
      const settings = {
        ...version.settings,
        includeTopics: swap(version.settings.includeTopics),
        excludeTopics: swap(version.settings.excludeTopics),
      };
      await repo.updateVersionJson(trx, row.id, {
        weeks: JSON.stringify(weeks),
        scope: JSON.stringify(swap(version.scope)),
        settings: JSON.stringify(settings),
      });
    }
    for (const plan of await repo.plansMentioning(trx, fromTopicId)) {
      await repo.upsertPlan(trx, {
        ...plan,
        include_topics: JSON.stringify(swap(JSON.parse(plan.include_topics) as string[])),
        exclude_topics: JSON.stringify(swap(JSON.parse(plan.exclude_topics) as string[])),
      });
    }
  },
});
