import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  CohortInvitesTable,
  CohortMembersTable,
  CohortRoadmapsTable,
  CohortsTable,
  FeedbackCommentsTable,
  LearnerSummariesTable,
  ProfilesTable,
  SharedNotesTable,
} from './schema.cohorts.js';

export type * from './schema.cohorts.js';

/**
 * The database, table by table. Timestamps are ISO-8601 UTC strings in both dialects so that the
 * same queries, comparisons and exports work on SQLite and PostgreSQL. Booleans are 0/1 integers.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  progress: ProgressTable;
  activity: ActivityTable;
  checklist_ticks: ChecklistTicksTable;
  content_migrations: ContentMigrationsTable;
  review_cards: ReviewCardsTable;
  review_logs: ReviewLogsTable;
  review_settings: ReviewSettingsTable;
  activity_rollups: ActivityRollupsTable;
  activity_days: ActivityDaysTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  plan_checkins: PlanCheckinsTable;
  plan_feeds: PlanFeedsTable;
  login_failures: LoginFailuresTable;
  email_tokens: EmailTokensTable;
  project_runs: ProjectRunsTable;
  project_run_checks: ProjectRunChecksTable;
  project_verifications: ProjectVerificationsTable;
  signing_keys: SigningKeysTable;
  alternative_choices: AlternativeChoicesTable;
  cohorts: CohortsTable;
  cohort_roadmaps: CohortRoadmapsTable;
  cohort_members: CohortMembersTable;
  cohort_invites: CohortInvitesTable;
  shared_notes: SharedNotesTable;
  learner_summaries: LearnerSummariesTable;
  profiles: ProfilesTable;
  feedback_comments: FeedbackCommentsTable;
}

export interface UsersTable {
  id: string;
  /** Lower-cased; null for a guest. */
  email: string | null;
  password_hash: string | null;
  is_guest: number;
  role: 'learner' | 'admin';
  /** IANA time zone, used for streaks and calendars. */
  time_zone: string;
  created_at: string;
  updated_at: string;
  /** When the account proved it receives mail at `email` (an emailed link); null until then. */
  email_verified_at: string | null;
}

export interface SessionsTable {
  /** Public id, shown in the sessions list and used to revoke. */
  id: string;
  /** SHA-256 (hex) of the secret token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  ip: string;
  /** Set when sign-up replaced this guest session: it lives a few minutes more, never renewed (auth.service). */
  replaced_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** First characters of the token, so a person can tell tokens apart. */
  token_prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  /** `read` or `read-write` of learning data; no token can manage credentials (token-scopes.ts). */
  scope: string;
  /** The API token that created this one, so revoking it revokes its offspring. */
  created_by_token: string | null;
}

/** Failed sign-ins per account (lower-cased email), for the temporary brute-force lock. */
export interface LoginFailuresTable {
  account: string;
  failures: number;
  first_failed_at: string;
  locked_until: string | null;
}

/** Single-use emailed links: only the SHA-256 of the token is stored. */
export interface EmailTokensTable {
  token_hash: string;
  user_id: string;
  /** `signup`: finishes a pending sign-up; `verify`: proves an account's address; `reset`: sets a new password. */
  purpose: 'signup' | 'verify' | 'reset';
  /** The address the link was sent to (a verification is for that address only). */
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** A pending sign-up's chosen password (scrypt hash); null for other purposes. */
  password_hash: string | null;
}

export interface ProgressTable {
  user_id: string;
  topic_id: string;
  status: 'pending' | 'learning' | 'done' | 'skipped';
  note: string;
  created_at: string;
  updated_at: string;
  /** When the status last changed (notes do not move it). */
  status_changed_at: string;
}

export interface ActivityTable {
  id: Generated<number>;
  user_id: string;
  topic_id: string | null;
  kind: 'status' | 'note' | 'reset' | 'import' | 'checklist' | 'review' | 'alias' | 'merge';
  from_status: string | null;
  to_status: string | null;
  created_at: string;
  detail: string | null;
}

export interface ChecklistTicksTable {
  user_id: string;
  topic_id: string;
  item_id: string;
  ticked_at: string;
}

export interface ContentMigrationsTable {
  /** e.g. `alias:old-id->new-id` — applied once per database. */
  key: string;
  applied_at: string;
}

/** FSRS memory state of one card for one learner; a row exists once the card has been rated. */
export interface ReviewCardsTable {
  user_id: string;
  /** `<topic-id>/<card-id>` */
  card_key: string;
  topic_id: string;
  /** ts-fsrs `State`: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  due: string;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  last_review: string;
  created_at: string;
}

/** One rating, with the FSRS log ts-fsrs produced for it. */
export interface ReviewLogsTable {
  user_id: string;
  card_key: string;
  topic_id: string;
  reviewed_at: string;
  /** 1 Again, 2 Hard, 3 Good, 4 Easy. */
  rating: number;
  state: number;
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  /** For multiple-choice cards: the option the learner picked (0-based) and whether it was right (0/1). */
  answered_choice: number | null;
  answered_correct: number | null;
}

export interface ReviewSettingsTable {
  user_id: string;
  desired_retention: number;
  updated_at: string;
  /** New cards a day; null keeps the default (007-ux). */
  new_cards_per_day: number | null;
}

/** Which days of `activity_days` are complete for a learner, and in which time zone they were cut. */
export interface ActivityRollupsTable {
  user_id: string;
  time_zone: string;
  /** `YYYY-MM-DD`: days before it are complete in `activity_days`; from it on, activity is read raw. */
  through_day: string;
  /** The instant `through_day` starts in `time_zone` (ISO, UTC). */
  through_utc: string;
}

/** Learning activity (status, note, checklist, review) per local day. */
export interface ActivityDaysTable {
  user_id: string;
  day: string;
  count: number;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ProgressRow = Selectable<ProgressTable>;
export type ActivityRow = Selectable<ActivityTable>;
export type ReviewCardRow = Selectable<ReviewCardsTable>;
export type ReviewLogRow = Selectable<ReviewLogsTable>;
export type ReviewSettingsRow = Selectable<ReviewSettingsTable>;

// Plans (src/plan) -----------------------------------------------------------------------------

/** A learner's plan settings for one roadmap. List-valued settings are JSON text. */
export interface PlansTable {
  user_id: string;
  roadmap_id: string;
  /** `YYYY-MM-DD` in the learner's time zone. */
  start_date: string;
  hours_per_week: number;
  target_weeks: number;
  /** JSON array of 'mon' … 'sun'. */
  study_days: string;
  /** `HH:MM` local time of study sessions, or null for no session events. */
  study_time: string | null;
  session_minutes: number | null;
  /** JSON array of the Mondays of weeks off. */
  weeks_off: string;
  include_optional: number;
  /** JSON arrays of topic ids. */
  include_topics: string;
  exclude_topics: string;
  /** IANA zone; kept equal to users.time_zone (see src/plan/README.md). */
  time_zone: string;
  current_version: number;
  created_at: string;
  updated_at: string;
}

/** Every computed plan, kept so the learner can see how the plan changed. */
export interface PlanVersionsTable {
  id: string;
  user_id: string;
  roadmap_id: string;
  version: number;
  reason: 'created' | 'settings' | 'replan-extend' | 'replan-keep-finish' | 'imported';
  /** JSON: the settings the version was computed from. */
  settings: string;
  /** First week scheduled by this version; earlier weeks were carried over from the previous one. */
  from_week: number;
  /** JSON: the weeks with their goals. */
  weeks: string;
  /** JSON: ids of every topic the settings included. */
  scope: string;
  /** JSON: the scheduler's feasibility verdict. */
  feasibility: string;
  created_at: string;
}

export interface PlanCheckinsTable {
  user_id: string;
  roadmap_id: string;
  /** Monday of the week, `YYYY-MM-DD`. */
  week_start: string;
  note: string;
  created_at: string;
  updated_at: string;
}

/** Private calendar feed URLs; the token itself is never stored. */
export interface PlanFeedsTable {
  /** SHA-256 (hex) of the feed token. */
  token_hash: string;
  user_id: string;
  roadmap_id: string;
  created_at: string;
  last_used_at: string | null;
}

export type PlanRow = Selectable<PlansTable>;
export type PlanVersionRow = Selectable<PlanVersionsTable>;
export type PlanCheckinRow = Selectable<PlanCheckinsTable>;
export type PlanFeedRow = Selectable<PlanFeedsTable>;

// Projects (src/projects) ----------------------------------------------------------------------

/** One verification run of a project's checks against a learner's API. */
export interface ProjectRunsTable {
  id: string;
  user_id: string;
  project_id: string;
  base_url: string;
  state: 'queued' | 'running' | 'passed' | 'failed' | 'errored' | 'interrupted';
  /** sha256 of the collection the run was started with. */
  collection_hash: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Last sign of life from the worker running it; a stale one means the worker died. */
  heartbeat_at: string | null;
  attempts: number;
  total_checks: number;
  passed_checks: number;
  failed_checks: number;
  duration_ms: number | null;
  error: string | null;
}

/** One check (request + its tests) of a run; excerpts are capped and masked before storing. */
export interface ProjectRunChecksTable {
  run_id: string;
  idx: number;
  name: string;
  method: string;
  url: string;
  status: number | null;
  duration_ms: number;
  passed: number;
  /** JSON array of { name, passed, error? }. */
  assertions: string;
  request_excerpt: string | null;
  response_excerpt: string | null;
  error: string | null;
}

/** A signed record that a run passed every required check of a project. Never removed by later runs. */
export interface ProjectVerificationsTable {
  id: string;
  user_id: string;
  project_id: string;
  run_id: string;
  created_at: string;
  /** The signed record, as canonical JSON text. */
  record: string;
  /** Ed25519 signature of `record` (base64url). */
  signature: string;
  key_id: string;
  /** SHA-256 (hex) of the share token while the record is shared; null means private. */
  share_token_hash: string | null;
}

/** The instance's verification signing key (PostgreSQL; SQLite keeps it in a file beside the database). */
export interface SigningKeysTable {
  id: string;
  algorithm: string;
  /** PEM (SPKI). */
  public_key: string;
  /** PEM (PKCS#8). */
  private_key: string;
  created_at: string;
}

export type ProjectRunRow = Selectable<ProjectRunsTable>;
export type ProjectRunCheckRow = Selectable<ProjectRunChecksTable>;
export type ProjectVerificationRow = Selectable<ProjectVerificationsTable>;
/** The member a learner chose in one alternative set of a roadmap (none stored: the set's default). */
export interface AlternativeChoicesTable {
  user_id: string;
  roadmap_id: string;
  set_id: string;
  topic_id: string;
  updated_at: string;
}

export type AlternativeChoiceRow = Selectable<AlternativeChoicesTable>;
