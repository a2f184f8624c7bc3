import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { Layout, pageContext } from '../web/layout.js';
import type { TableSort } from './cohorts.repository.js';
import type { CohortTable, LearnerRowView } from './table.service.js';

// The mentor's cohort table, server-rendered: a plain table that sorts by header links, filters by a
// GET form and pages by links, all without JavaScript. The island client/table.ts keeps it live: it
// listens to the cohort's event stream and refreshes the rows of learners who made progress (each row
// carries `data-learner`), in place, keeping the sort, filters and page the mentor chose.

const COLUMNS: Array<[TableSort, string]> = [
  ['name', 'Learner'],
  ['progress', 'Progress'],
  ['behind', 'Plan'],
  ['forecast', 'Forecast finish'],
  ['lastActive', 'Last active'],
  ['streak', 'Streak'],
  ['verified', 'Verified projects'],
  ['reviewDue', 'Review backlog'],
];

const FILTERS = [
  ['behind', 'Behind their plan'],
  ['inactive', 'Inactive for 7+ days'],
  ['stuck', 'Stuck (a topic in learning 14+ days)'],
] as const;

function planLabel(plan: LearnerRowView['plan']): string {
  if (plan.status === 'no-plan') return 'No plan';
  if (plan.status === 'behind') return `Behind by ${plan.behindHours} h`;
  if (plan.status === 'ahead') return `Ahead by ${Math.abs(plan.behindHours)} h`;
  return 'On track';
}

function LearnerRow({ cohortId, learner: l }: { cohortId: string; learner: LearnerRowView }): VNode {
  const flags = [l.inactive ? 'inactive' : null, l.stuck ? `stuck on ${l.stuck.topicId}` : null].filter(
    Boolean,
  );
  return (
    <tr data-learner={l.learnerId}>
      <th scope="row">
        <a href={`/cohorts/${cohortId}/learners/${l.learnerId}`}>{l.displayName}</a>
        {l.email ? <div class="muted">{l.email}</div> : null}
      </th>
      <td data-col="progress">
        {l.progress.percent}% ({l.progress.done}/{l.progress.total})
        <div class="muted">{l.progress.steps.map((s) => `${s.done}/${s.total}`).join(' · ')}</div>
      </td>
      <td data-col="plan">{planLabel(l.plan)}</td>
      <td>{l.plan.forecastFinish ?? '—'}</td>
      <td data-col="last-active">{l.lastActiveDay ?? 'never'}</td>
      <td data-col="streak">{l.currentStreak} d</td>
      <td>{l.verifiedProjects}</td>
      <td>{l.reviewBacklog}</td>
      <td data-col="flags">{flags.join(', ') || '—'}</td>
    </tr>
  );
}

export function TablePage(props: {
  request: FastifyRequest;
  name: string;
  cohortId: string;
  table: CohortTable;
  query: Record<string, string | undefined>;
}): VNode {
  const { table, query, cohortId } = props;
  const link = (changes: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...changes })) if (v) params.set(k, v);
    const text = params.toString();
    return `/cohorts/${cohortId}${text ? `?${text}` : ''}`;
  };
  const filters = new Set((query.filter ?? '').split(',').filter(Boolean));
  const sort = query.sort ?? 'name';
  const desc = query.order === 'desc';
  const pageSize = table.limit;
  const csvQuery = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  return (
    <Layout
      {...pageContext(props.request)}
      title={`${props.name} — learners`}
      active="cohorts"
      scripts={['cohorts/table']}
      styles={['cohorts/cohorts']}
    >
      <h1>{props.name}</h1>
      <p>
        <span data-total>
          {table.total} learner{table.total === 1 ? '' : 's'} shown
        </span>{' '}
        · <a href={`/api/v1/cohorts/${cohortId}/learners.csv?${csvQuery}`}>Download CSV</a> ·{' '}
        <a href={`/cohorts/${cohortId}/insights`}>Where the cohort gets stuck</a>
      </p>
      <form method="get" action={`/cohorts/${cohortId}`} class="cohort-filters">
        <fieldset>
          <legend>Show only</legend>
          {FILTERS.map(([value, label]) => (
            <label key={value}>
              <input type="checkbox" name="f" value={value} checked={filters.has(value)} /> {label}
            </label>
          ))}
        </fieldset>
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="order" value={desc ? 'desc' : 'asc'} />
        <button type="submit" class="button">
          Apply
        </button>
      </form>
      {/* Shown by the island: whether the table is live, and a way to take in a changed order. */}
      <div class="cohort-live" hidden data-live-panel>
        <p class="muted" data-live-state>
          Live: rows update as learners make progress.
        </p>
        <p data-live-reorder hidden>
          <span data-live-reorder-text>Learners moved in or out of this view.</span>{' '}
          <button type="button" class="button button-quiet button-small">
            Show the new order
          </button>
        </p>
      </div>
      <div class="table-scroll">
        <table class="data-table cohort-table" data-cohort-events={`/api/v1/cohorts/${cohortId}/events`}>
          <caption>Learners and where they stand; select a column heading to sort.</caption>
          <thead>
            <tr>
              {COLUMNS.map(([key, label]) => {
                const active = sort === key;
                return (
                  <th
                    key={key}
                    scope="col"
                    aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
                  >
                    <a href={link({ sort: key, order: active && !desc ? 'desc' : 'asc', offset: undefined })}>
                      {label}
                    </a>
                  </th>
                );
              })}
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {table.learners.map((l) => (
              <LearnerRow key={l.learnerId} cohortId={cohortId} learner={l} />
            ))}
          </tbody>
        </table>
      </div>
      {table.total > pageSize ? (
        <nav aria-label="Pages of learners">
          {table.offset > 0 ? (
            <a href={link({ offset: String(Math.max(0, table.offset - pageSize)) })}>Previous page</a>
          ) : null}{' '}
          {table.offset + pageSize < table.total ? (
            <a href={link({ offset: String(table.offset + pageSize) })}>Next page</a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
