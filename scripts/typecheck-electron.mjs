// Type-checks electron/main and electron/preload; tsc refuses a config with no inputs, so skip until they exist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

if (!fs.existsSync('electron/main/index.ts')) {
  console.log('typecheck: electron/main not present yet');
  process.exit(0);
}
const { status } = spawnSync('npx', ['tsc', '-p', 'tsconfig.electron.json'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(status ?? 1);
