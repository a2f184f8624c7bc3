import type { VNode } from 'preact';
import type { Content } from '../../content/content.types.js';
import { Icon, iconPath } from '../components/icons.js';
import { STATUS_WORD } from '../status.js';
import type { DiagramEdge, DiagramLayout, DiagramNode, DiagramStep } from './diagram.layout.js';
import { STATUSES, type Status } from '../../progress/status.js';

// The roadmap diagram as server-rendered SVG: real text, real links (so it works without JavaScript and
// each node is reachable by keyboard and named for screen readers), status as icon + word on every node.
// Each step is its own section with an HTML heading and its own SVG, drawn at the page's full width:
// steps the browser has not scrolled to are not laid out before the first paint (content-visibility).
// Markup is kept lean: ~150 nodes are most of the roadmap page's weight. A node's accessible name is
// its visible text ("HTTP basics Done", "SQLite Not started optional"), so what is read is what is seen.

/** Height of the band ELK reserves at the top of each step box; the HTML heading takes its place. */
const STEP_HEADER = 40;

function points(list: [number, number][]): string {
  return list.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x} ${y}`).join('');
}

function Edges({ edges }: { edges: DiagramEdge[] }) {
  if (edges.length === 0) return null;
  return (
    <g class="edges" aria-hidden="true">
      {edges.map((edge) => (
        <path d={points(edge.points)} key={`${edge.from}>${edge.to}`} />
      ))}
    </g>
  );
}

export interface DiagramProps {
  layout: DiagramLayout;
  content: Content;
  roadmapTitle: string;
  statusOf: (topicId: string) => Status;
  /** For members of a "choose one of" set: whether the learner chose it (drawn and labelled apart). */
  alternativeRole?: (topicId: string) => 'chosen' | 'alternative' | null;
  /** Topic ids that do not match the current search/filter (drawn faded). */
  dimmed: Set<string> | null;
  selected: string | null;
}

function Node({
  node,
  href,
  status,
  dim,
  selected,
  role,
}: {
  node: DiagramNode;
  href: string;
  status: Status;
  dim: boolean;
  selected: boolean;
  role: 'chosen' | 'alternative' | null;
}) {
  // Required topics: solid heavy frame and bold title; optional ones: dashed light frame, regular title
  // and the word "optional" (shape, weight and words, never colour alone).
  const classes = ['node', `s-${status}`, node.optional ? 'optional' : 'required'];
  if (node.tool) classes.push('tool');
  // Members of a "choose one of" set: a dotted frame and the word "chosen" or "alternative" (see alternatives.tsx).
  if (role) classes.push('alt', `alt-${role}`);
  if (dim) classes.push('dim');
  if (selected) classes.push('selected');
  const badgeY = node.height - 24;
  // Preact types <a> as the HTML element; in SVG it also takes presentation attributes such as transform.
  const svgAttributes: Record<string, string> = { transform: `translate(${node.x} ${node.y})` };
  return (
    <a href={href} class={classes.join(' ')} data-topic={node.id} {...svgAttributes}>
      <rect width={node.width} height={node.height} rx="8" />
      <text class="title" x="12" y="22">
        {/* A space ends each line so the name read from the text keeps its words apart. */}
        {node.lines.map((line, index) =>
          index === 0 ? (
            `${line} `
          ) : (
            <tspan x="12" dy="16" key={index}>
              {`${line} `}
            </tspan>
          ),
        )}
      </text>
      <use href={`#i-${status}`} x="11" y={badgeY + 2} width="15" height="15" />
      <text class="word" x="31" y={badgeY + 14}>
        {STATUS_WORD[status]}
      </text>
      {role || node.optional ? (
        <text class="tag" x={node.width - 12} y={badgeY + 14} text-anchor="end">
          {role === 'chosen' ? 'chosen' : role === 'alternative' ? 'alternative' : 'optional'}
        </text>
      ) : null}
    </a>
  );
}

function StepDiagram({ step, props }: { step: DiagramStep; props: DiagramProps }): VNode {
  const { layout, statusOf, dimmed, selected } = props;
  const base = `/roadmaps/${layout.roadmapId}/topics/`;
  const heading = step.number > 0 ? `Step ${step.number}: ${step.title}` : 'Tools';
  const top = step.y + STEP_HEADER;
  const height = step.height - STEP_HEADER;
  return (
    <section
      class={step.number > 0 ? 'd-step' : 'd-step d-tools'}
      id={`d-${step.stepId}`}
      data-step={step.stepId}
      aria-labelledby={`dh-${step.stepId}`}
    >
      <div class="d-step-head">
        <span class="d-num" aria-hidden="true">
          {step.number > 0 ? step.number : 'T'}
        </span>
        <h2 id={`dh-${step.stepId}`}>{heading}</h2>
        {step.number === 0 ? (
          <p class="d-note">
            The tools and languages this roadmap relies on; each is also a topic in its step.
          </p>
        ) : null}
        <a class="d-back" href="#overview">
          Back to overview
        </a>
      </div>
      <svg
        class="diagram"
        viewBox={`${step.x} ${top} ${step.width} ${height}`}
        role="group"
        aria-label={heading}
        width={Math.round(step.width)}
        height={Math.round(height)}
      >
        {step.groups.map((group, groupIndex) => (
          <g
            class="group"
            role="group"
            aria-label={group.title}
            id={`dg-${step.stepId}-${groupIndex}`}
            key={group.id}
          >
            <rect x={group.x} y={group.y} width={group.width} height={group.height} rx="10" />
            <text x={group.x + 12} y={group.y + 22} aria-hidden="true">
              {group.title}
            </text>
            <Edges edges={group.edges} />
            {group.nodes.map((node) => (
              <Node
                key={node.id}
                node={node}
                href={base + node.id}
                status={statusOf(node.id)}
                dim={dimmed?.has(node.id) ?? false}
                selected={selected === node.id}
                role={props.alternativeRole?.(node.id) ?? null}
              />
            ))}
          </g>
        ))}
      </svg>
    </section>
  );
}

export function Diagram(props: DiagramProps): VNode {
  const { layout, roadmapTitle } = props;
  return (
    <div
      class="diagram-steps"
      id="diagram"
      role="group"
      aria-label={`${roadmapTitle}: diagram of steps and topics`}
    >
      {/* Icons and the arrow head, shared by every step's drawing. */}
      <svg class="diagram-defs" width="0" height="0" aria-hidden="true" focusable="false">
        <defs>
          {STATUSES.map((status) => (
            <symbol id={`i-${status}`} viewBox="0 0 24 24" key={status}>
              <path d={iconPath(status)} />
            </symbol>
          ))}
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0 0L10 5L0 10z" />
          </marker>
        </defs>
      </svg>
      {layout.steps.map((step) => (
        <StepDiagram step={step} props={props} key={step.id} />
      ))}
    </div>
  );
}

/** The legend under the diagram: each status's icon and word, what an arrow and a frame mean. */
/** `alternatives`: the roadmap has "choose one of" sets, so their frame is explained too. */
export function Legend({ alternatives = false }: { alternatives?: boolean } = {}): VNode {
  return (
    <ul class="legend" aria-label="Legend">
      <li class="legend-title">Legend</li>
      {STATUSES.map((status) => (
        <li class={`s-${status}`} key={status}>
          <span class="badge">
            <Icon name={status} size={null} />
            {STATUS_WORD[status]}
          </span>
        </li>
      ))}
      <li>
        <span class="legend-line" aria-hidden="true"></span> builds on (arrow to the later topic)
      </li>
      <li>
        <span class="legend-frame required" aria-hidden="true"></span> Required: solid frame
      </li>
      <li>
        <span class="legend-frame optional" aria-hidden="true"></span> Optional: dashed frame, marked
        “optional”
      </li>
      {alternatives ? (
        <li>
          <span class="legend-frame alt" aria-hidden="true"></span> Choose one of: dotted frame, marked
          “chosen” or “alternative”
        </li>
      ) : null}
    </ul>
  );
}
