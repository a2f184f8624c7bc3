import { loadContent } from '../content/content.loader.js';
import { formatProblem } from '../content/content.problems.js';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `waymark lint [dir]`: checks the content folder and prints one `file:line: severity: message` line
 * per problem (editors and CI turn these into annotations), then a one-line summary. Returns the exit
 * code: 1 when any error would stop the server from starting, else 0. `out` receives each line, so
 * tests can capture the output.
 */
export async function runLint(dir: string, out: (line: string) => void): Promise<number> {
  const { problems, stats } = await loadContent(dir);
  for (const problem of problems) out(formatProblem(problem));
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  out(
    `waymark lint: ${count(stats.topics, 'topic')}, ${count(stats.cards, 'card')}` +
      (stats.projects ? `, ${count(stats.projects, 'project')}` : '') +
      ' in ' +
      `${count(stats.roadmaps, 'roadmap')} — ${count(errors, 'error')}, ${count(warnings, 'warning')}`,
  );
  return errors > 0 ? 1 : 0;
}
