import type { VNode } from 'preact';
import type { PlanView } from '../plan.presenter.js';
import { PlanStateBadge } from './plan-state.js';
import { GoalList } from './plan-weeks.js';

/** The home page's "this week" box: the current week's goals and where the learner stands. */
export function PlanHomeWidget({ plan }: { plan: PlanView }): VNode {
  const week = plan.weeks.find((w) => w.current);
  return (
    <section class="card plan-widget" aria-labelledby="plan-widget-title">
      <h2 id="plan-widget-title">This week in your plan</h2>
      <p>
        <PlanStateBadge plan={plan} /> <span class="muted">· {plan.roadmapTitle}</span>
      </p>
      {week && week.items.length > 0 ? (
        <GoalList roadmapId={plan.roadmapId} week={week} />
      ) : (
        <p class="muted">{week?.off ? 'A week off. Enjoy it.' : 'Nothing planned this week.'}</p>
      )}
      <p>
        <a href={`/roadmaps/${plan.roadmapId}/plan${week ? `#week-${week.index + 1}` : ''}`}>
          Open your plan
        </a>
      </p>
    </section>
  );
}
