/**
 * Opens a core on a data directory in its own process, for tests that kill it with SIGKILL at a
 * random moment (demo seeding, backups, restores). Prints "opening" just before openCore and "open <ms>"
 * once it has returned (the demo seeded when --demo), then waits for stdin to close, or exits at once
 * with --exit.
 */
import { openCore } from '../../electron/core';

const [dataDir, ...flags] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: open-core.ts DATA_DIR [--demo] [--exit]');
console.log('opening');
const started = Date.now();
const core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test', demo: flags.includes('--demo') });
console.log(`open ${Date.now() - started}`);
if (flags.includes('--exit')) {
  core.close();
  process.exit(0);
}
process.stdin.resume();
process.stdin.on('end', () => {
  core.close();
  process.exit(0);
});
