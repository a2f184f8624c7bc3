import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { UserDataSection } from './account/user-data.js';
import type { HtmlErrorRenderer } from './http/error-handler.js';
import { orderWidgets, type HomeWidget, type RunSection, type TopicSection } from './web/home-widgets.js';
import type { NavEntry } from './web/layout.js';
import type { SettingsSection } from './web/settings-sections.js';
import { progressFeature } from './progress/progress.feature.js';
import { webFeature } from './web/web.feature.js';
import { reviewFeature } from './review/review.feature.js';
import { planFeature } from './plan/plan.feature.js';
import { dashboardFeature } from './dashboard/dashboard.feature.js';
import { projectsFeature } from './projects/projects.feature.js';
import { alternativesFeature } from './alternatives/alternatives.feature.js';
import { cohortsFeature } from './cohorts/cohorts.feature.js';
import { profilesFeature } from './profiles/profiles.feature.js';
import { feedbackFeature } from './feedback/feedback.feature.js';
import { insightsFeature } from './insights/insights.feature.js';

/**
 * What a feature plugs into Waymark, declared as data. Each feature folder exports one
 * (`src/<feature>/<feature>.feature.ts`) and {@link features} below lists them; nothing is registered
 * by importing a module for its side effects, and there is no registry to mutate.
 *
 * To add a feature:
 * 1. create `src/<feature>/` with its `*.repository.ts` (all SQL), `*.service.ts` (rules, takes the
 *    transaction), `*.routes.ts` (TypeBox schemas, `operationId`, `tags`), and pages if it has any;
 * 2. if it stores per-user rows: a table in `src/db/schema.ts`, a migration in `src/db/migrations/`
 *    (listed in `migrations/index.ts`), and a `*.data.ts` section (`defineUserDataSection`) so
 *    export, import, guest merge and topic re-keying include it;
 * 3. export a manifest from `src/<feature>/<feature>.feature.ts` and add it to {@link features};
 * 4. add `test/<feature>/` suites and a line to the README's architecture section.
 *
 * @example
 * export const notesFeature: FeatureManifest = {
 *   name: 'notes',
 *   routes: [notesRoutes],
 *   pages: [notesPages],
 *   userData: notesUserData,
 *   homeWidgets: [{ id: 'notes-recent', order: 30, render: ({ user }) => (user ? <RecentNotes /> : null) }],
 *   nav: [{ section: 'notes', href: '/notes', label: 'Notes', order: 45 }],
 * };
 */
export interface FeatureManifest {
  /** Unique, lower-case (logs, error messages). */
  readonly name: string;
  /** Fastify plugins with its JSON API (and other machine-readable) routes, each in its own context. */
  readonly routes?: readonly FastifyPluginAsync[];
  /** Fastify plugins with its server-rendered HTML pages and their no-JavaScript form routes. */
  readonly pages?: readonly FastifyPluginAsync[];
  /** Its slice of a user's data: export, import, guest-to-account merge, topic re-keying. */
  readonly userData?: UserDataSection;
  /** Boxes it adds to the home page (rendered in `order`; one that throws is logged and left out). */
  readonly homeWidgets?: readonly HomeWidget[];
  /** Links it adds to the top navigation (shown in `order`). */
  readonly nav?: readonly NavEntry[];
  /** Sections it adds to the settings page (after "Your data", in `order`). */
  readonly settingsSections?: readonly SettingsSection[];
  /** Sections it adds to every topic page (after the topic's projects, in `order`). */
  readonly topicSections?: readonly TopicSection[];
  /** Sections it adds to the panel of a learner's project run (after the check results, in `order`). */
  readonly runSections?: readonly RunSection[];
  /** Hooks it needs on the app (e.g. work done once the server listens); runs after its routes. */
  readonly setup?: (app: FastifyInstance) => Promise<void> | void;
  /** The HTML error page for browser navigations; the web feature supplies it. */
  readonly renderHtmlError?: HtmlErrorRenderer;
}

/**
 * Every feature of this Waymark, in load order. The export document's sections follow this order;
 * the server, the CLI and the tests all read their features from here.
 */
export const features: readonly FeatureManifest[] = [
  progressFeature,
  webFeature,
  reviewFeature,
  planFeature,
  dashboardFeature,
  projectsFeature,
  alternativesFeature,
  cohortsFeature,
  profilesFeature,
  feedbackFeature,
  insightsFeature,
];

/** What the app needs from its features at request time, gathered once at start-up. */
export interface InstalledFeatures {
  readonly list: readonly FeatureManifest[];
  readonly userData: readonly UserDataSection[];
  readonly homeWidgets: readonly HomeWidget[];
  readonly nav: readonly NavEntry[];
  readonly settingsSections: readonly SettingsSection[];
  readonly topicSections: readonly TopicSection[];
  readonly runSections: readonly RunSection[];
}

/** Collects the features' sections, widgets and nav entries (checking that names are unique). */
export function installFeatures(list: readonly FeatureManifest[] = features): InstalledFeatures {
  const unique = <T>(items: T[], key: (item: T) => string, what: string): T[] => {
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(key(item))) throw new Error(`Two features declare the ${what} "${key(item)}".`);
      seen.add(key(item));
    }
    return items;
  };
  unique([...list], (f) => f.name, 'name');
  const userData = unique(
    list.flatMap((f) => (f.userData ? [f.userData] : [])),
    (s) => s.name,
    'user-data section',
  );
  const widgets = unique(
    list.flatMap((f) => f.homeWidgets ?? []),
    (w) => w.id,
    'home widget',
  );
  const nav = unique(
    list.flatMap((f) => f.nav ?? []),
    (n) => n.href,
    'nav link',
  );
  const settingsSections = unique(
    list.flatMap((f) => f.settingsSections ?? []),
    (section) => section.id,
    'settings section',
  );
  const topicSections = unique(
    list.flatMap((f) => f.topicSections ?? []),
    (section) => section.id,
    'topic section',
  );
  const runSections = unique(
    list.flatMap((f) => f.runSections ?? []),
    (section) => section.id,
    'run section',
  );
  return Object.freeze({
    list,
    runSections: orderWidgets(runSections),
    settingsSections,
    topicSections: orderWidgets(topicSections),
    userData,
    homeWidgets: orderWidgets(widgets),
    nav: nav.sort((a, b) => a.order - b.order),
  });
}

/** Every feature's user-data section, in {@link features} order (the CLI's export and import use these). */
export function userDataSections(list: readonly FeatureManifest[] = features): readonly UserDataSection[] {
  return installFeatures(list).userData;
}
