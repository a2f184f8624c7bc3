import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core in a page: the serious and critical violations, each as one readable line. The page's
// context must ignore the CSP (`bypassCSP: true`): axe is injected as a script tag.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe on the page as it is now; returns "id (impact): help — where" for each serious problem. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<AxeResult> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  });
}

/** axe in light and then dark colours (the page follows the system's scheme unless a theme is chosen). */
export async function axeBothSchemes(page: Page, name: string): Promise<string[]> {
  const failures: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await axeViolations(page)) failures.push(`${name} [${colorScheme}]: ${v}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return failures;
}
