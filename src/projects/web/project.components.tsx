import type { VNode } from 'preact';
import { Icon } from '../../web/components/icons.js';
import type { CheckView, ProjectState, RunView } from '../projects.presenter.js';

// Pieces shared by the project pages: state badges (icon + word, never colour alone), one check's
// result, a run's summary line. The run island (client/run.ts) renders checks with the same markup.

const STATE_WORDS: Record<ProjectState, string> = {
  'not-started': 'Not started',
  'in-progress': 'Checking',
  failed: 'Not verified yet',
  verified: 'Verified',
};

export function ProjectStateBadge({ state }: { state: ProjectState }): VNode {
  const look = state === 'verified' ? 's-done' : state === 'in-progress' ? 's-learning' : 's-pending';
  return (
    <span class={`badge ${look}`}>
      <Icon name={state === 'verified' ? 'done' : state === 'in-progress' ? 'learning' : 'pending'} />
      <span class="badge-word">{STATE_WORDS[state]}</span>
    </span>
  );
}

export const RUN_STATE_WORDS: Record<RunView['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  errored: 'Errored',
  interrupted: 'Interrupted',
};

export function RunStateBadge({ state }: { state: RunView['state'] }): VNode {
  const look =
    state === 'passed' ? 's-done' : state === 'queued' || state === 'running' ? 's-learning' : 'run-bad';
  return (
    <span class={`badge ${look}`} data-run-state-badge="">
      <Icon
        name={state === 'passed' ? 'done' : state === 'queued' || state === 'running' ? 'learning' : 'close'}
      />
      <span class="badge-word">{RUN_STATE_WORDS[state]}</span>
    </span>
  );
}

export function CheckItem({ check }: { check: CheckView }): VNode {
  const failed = check.assertions.filter((a) => !a.passed);
  return (
    <li class={`check ${check.passed ? 'check-passed' : 'check-failed'}`} data-check-index={check.index}>
      <p class="check-head">
        <span class={`badge ${check.passed ? 's-done' : 'run-bad'}`}>
          <Icon name={check.passed ? 'done' : 'close'} />
          <span class="badge-word">{check.passed ? 'Passed' : 'Failed'}</span>
        </span>{' '}
        <strong>{check.name}</strong>
      </p>
      <p class="check-meta muted">
        <code>
          {check.method} {check.url}
        </code>{' '}
        → {check.status === null ? 'no response' : `HTTP ${check.status}`} in {check.durationMs} ms
      </p>
      {check.error ? <p class="check-error">{check.error}</p> : null}
      {failed.length > 0 ? (
        <ul class="check-assertions">
          {failed.map((a, i) => (
            <li key={i}>
              {a.name}
              {a.error ? `: ${a.error}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {check.requestExcerpt || check.responseExcerpt ? (
        <details class="check-excerpts">
          <summary>Request and response (excerpt, secrets masked)</summary>
          {check.requestExcerpt ? <pre>{check.requestExcerpt}</pre> : null}
          {check.responseExcerpt ? <pre>{check.responseExcerpt}</pre> : null}
        </details>
      ) : null}
    </li>
  );
}

export function RunSummaryText({ run }: { run: RunView }): VNode {
  const { total, passed, failed } = run.summary;
  if (run.state === 'queued') return <>Waiting for a worker…</>;
  if (run.state === 'running') return <>Running the checks against {run.baseUrl}…</>;
  return (
    <>
      {passed} of {total} checks passed{failed > 0 ? `, ${failed} failed` : ''}
      {run.summary.durationMs !== null ? ` in ${(run.summary.durationMs / 1000).toFixed(1)} s` : ''}.
      {run.verified ? ' This run verified the project.' : ''}
      {run.error ? ` ${run.error}` : ''}
    </>
  );
}

export const isFinal = (state: RunView['state']) => state !== 'queued' && state !== 'running';
