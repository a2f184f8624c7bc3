// Page weight and first contentful paint of the roadmap page (needs built assets and Chromium).
import { existsSync } from 'node:fs';

export async function weightSection(): Promise<void> {
  if (!existsSync('dist/web')) return console.log('skipped: run `npm run build:web` first');
  if (!existsSync('/usr/bin/chromium'))
    return console.log('skipped: no /usr/bin/chromium (apt-get install -y chromium)');
  const { measurePageWeight, formatPageWeight } = await import('../page-weight.js');
  console.log(formatPageWeight(await measurePageWeight()));
}
