import type { LintProblem } from './content.types.js';

/**
 * Collects every problem found while loading content, so one lint run shows all of them
 * (a writer fixing ten files should not need ten runs).
 */
export class ProblemLog {
  private readonly list: LintProblem[] = [];

  error(file: string, line: number, message: string): void {
    this.list.push({ file, line, message, severity: 'error' });
  }

  warning(file: string, line: number, message: string): void {
    this.list.push({ file, line, message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.list.some((problem) => problem.severity === 'error');
  }

  /** Problems ordered by file then line, the order an editor's problem list uses. */
  sorted(): LintProblem[] {
    return [...this.list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  }
}

/** Formats a problem the way compilers do, so editors and CI annotate the right line. */
export function formatProblem(problem: LintProblem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}
