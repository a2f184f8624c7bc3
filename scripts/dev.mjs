#!/usr/bin/env node
// `npm run dev`: the server from TypeScript, restarted when a server file changes, and the browser
// assets rebuilt by Vite whenever a client file changes — both at once, stopped together.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const children = [
  spawn(join('node_modules', '.bin', 'vite'), ['build', '--watch', '--config', 'vite.config.ts'], {
    stdio: 'inherit',
  }),
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'src/server.ts'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children)
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
