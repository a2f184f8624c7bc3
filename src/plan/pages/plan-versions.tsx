import type { VNode } from 'preact';
import type { PlanView, VersionSummary } from '../plan.presenter.js';
import { formatDay, formatInstant } from './format.js';
import { REASON_TEXT } from './plan-state.js';

// The plan page's table of versions: how the plan changed, newest first.

export function Versions({ plan, versions }: { plan: PlanView; versions: VersionSummary[] }): VNode | null {
  if (versions.length === 0) return null;
  return (
    <section class="card plan-versions" id="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">How your plan changed</h2>
      <div class="table-scroll">
        <table class="data-table">
          <caption class="visually-hidden">Versions of your plan, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Made</th>
              <th scope="col">Why</th>
              <th scope="col">Hours a week</th>
              <th scope="col">Planned finish</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">
                  <a href={`/roadmaps/${plan.roadmapId}/plan/versions/${v.version}`}>
                    {v.version}
                    {v.current ? ' (current)' : ''}
                  </a>
                </th>
                <td>{formatInstant(v.createdAt, plan.settings.timeZone)}</td>
                <td>{REASON_TEXT[v.reason]}</td>
                <td>{v.hoursPerWeek}</td>
                <td>{v.feasibility.plannedFinish ? formatDay(v.feasibility.plannedFinish) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
