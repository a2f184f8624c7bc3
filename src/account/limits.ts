/**
 * What one account may store, in one place (issue 14: a guest could import a plan of 2,000 weeks ×
 * 100 items and freeze the server for everyone). Every page and export does work bounded by these,
 * and the import schema and the routes refuse more with a 4xx naming the limit. The numbers leave
 * room far beyond real use: the shipped roadmap fits 26 weeks and about 200 topics.
 */
export const IMPORT_LIMITS = {
  /** Topics with progress or a note. */
  progressTopics: 2_000,
  /** Characters in one topic note (the API's own limit, NOTE_MAX_LENGTH). */
  noteLength: 20_000,
  /** Activity-log rows in one import. */
  activityRowsPerImport: 20_000,
  /** Plans (one per roadmap). */
  plans: 20,
  /** Versions kept per plan. */
  planVersions: 10,
  /** Weeks in one plan version: the scheduler's own maximum of three years. */
  planWeeks: 156,
  /** Goals in one week. */
  weekItems: 60,
  /** Goals in one plan version, all weeks together. */
  versionItems: 600,
  /** Weekly check-ins (reflections) per plan. */
  planCheckins: 156,
  /** Characters in one weekly check-in (CHECKIN_MAX_LENGTH). */
  checkinLength: 2_000,
  /** Review cards (one per content card) and review log entries. */
  reviewCards: 5_000,
  reviewLogs: 50_000,
} as const;

/** Human names of the limits, for error messages that say which limit was hit. */
export const LIMIT_NAMES: Record<keyof typeof IMPORT_LIMITS, string> = {
  progressTopics: 'topics with progress',
  noteLength: 'characters in a note',
  activityRowsPerImport: 'activity entries per import',
  plans: 'plans',
  planVersions: 'versions kept per plan',
  planWeeks: 'weeks in a plan',
  weekItems: 'goals in a week',
  versionItems: 'goals in a plan',
  planCheckins: 'weekly check-ins per plan',
  checkinLength: 'characters in a check-in',
  reviewCards: 'review cards',
  reviewLogs: 'review log entries',
};

/**
 * Schema options for a bounded array or string: the bound plus the limit's name, which the import's
 * error messages quote (e.g. "has 2000 items; the limit is 156 weeks in a plan").
 *
 * @example Type.Array(Week, limit('planWeeks'))
 */
export function limit(name: keyof typeof IMPORT_LIMITS, kind: 'items' | 'length' = 'items') {
  const value = IMPORT_LIMITS[name];
  return kind === 'items'
    ? { maxItems: value, 'x-limit': LIMIT_NAMES[name] }
    : { maxLength: value, 'x-limit': LIMIT_NAMES[name] };
}
