import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { foundation } from './001-foundation.js';
import { plan } from './002-plan.js';
import { review } from './003-review.js';
import { projects } from './004-projects.js';
import { alternatives } from './005-alternatives.js';
import { hardening } from './006-hardening.js';
import { ux } from './007-ux.js';
import { rollups } from './010-rollups.js';
import { cohorts } from './011-cohorts.js';
import { profilesFeedback } from './012-profiles-feedback.js';
import { email } from './013-email.js';
import { sessionHandover } from './014-session-handover.js';
import { summaryInstants } from './015-summary-instants.js';

/** One schema change. `up` receives the dialect because a few column types differ (auto-increment ids). */
export interface WaymarkMigration {
  /** Sorted lexically; never rename one that has shipped. */
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Every migration, in order. A feature adds its file here. */
export const migrations: readonly WaymarkMigration[] = [
  foundation,
  plan,
  review,
  projects,
  alternatives,
  hardening,
  ux,
  rollups,
  cohorts,
  profilesFeedback,
  email,
  sessionHandover,
  summaryInstants,
];
