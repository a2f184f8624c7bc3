import type { VNode } from 'preact';
import type { Roadmap, Content } from '../../content/content.types.js';
import { Icon } from '../../web/components/icons.js';
import { topicPath } from '../../web/components/topic.js';
import type { ProjectMark } from '../projects.read.js';

// Small blocks other pages show: the roadmap's projects by step next to the topics they prove, and
// on a topic page the projects proving it. "Verified" is proof, shown apart from the learner's status.

function VerifiedMark({ verified }: { verified: boolean }): VNode | null {
  if (!verified) return null;
  return (
    <span class="badge s-done">
      <Icon name="done" />
      <span class="badge-word">Verified</span>
    </span>
  );
}

export function RoadmapProjects({
  content,
  roadmap,
  projects,
}: {
  content: Content;
  roadmap: Roadmap;
  projects: ProjectMark[];
}): VNode | null {
  if (projects.length === 0) return null;
  return (
    <section class="card roadmap-projects" aria-labelledby="roadmap-projects-title">
      <h2 id="roadmap-projects-title">Projects that prove these topics</h2>
      {roadmap.steps
        .filter((step) => projects.some((p) => p.step === step.id))
        .map((step) => (
          <div key={step.id}>
            <h3>{step.title}</h3>
            <ul>
              {projects
                .filter((p) => p.step === step.id)
                .map((p) => (
                  <li key={p.id}>
                    <a href={`/projects/${p.id}`}>{p.title}</a> <VerifiedMark verified={p.verified} /> —
                    proves{' '}
                    {p.topics.map((id, i) => (
                      <span key={id}>
                        {i > 0 ? ', ' : ''}
                        <a href={topicPath(roadmap.id, id)}>{content.topics.get(id)?.title ?? id}</a>
                      </span>
                    ))}
                  </li>
                ))}
            </ul>
          </div>
        ))}
    </section>
  );
}

export function TopicProjects({ projects }: { projects: ProjectMark[] }): VNode | null {
  if (projects.length === 0) return null;
  return (
    <section class="topic-projects" aria-labelledby="topic-projects-title">
      <h2 id="topic-projects-title">Prove it with a project</h2>
      <ul>
        {projects.map((p) => (
          <li key={p.id}>
            <a href={`/projects/${p.id}`}>{p.title}</a> <VerifiedMark verified={p.verified} />
          </li>
        ))}
      </ul>
    </section>
  );
}
