// `npm test`: every check in order, then one closing line "Tests: N passed, N failed, N skipped".
// Each step runs even if an earlier one failed, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const steps = [
  { name: 'system packages', cmd: 'node scripts/system-deps.mjs' },
  { name: 'typecheck', cmd: 'npm run typecheck' },
  { name: 'lint', cmd: 'npm run lint' },
  { name: 'unit+contract', cmd: 'npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json', report: 'vitest' },
  { name: 'build', cmd: 'npm run build' },
  { name: 'e2e', cmd: 'npx playwright test', report: 'playwright', needs: 'build' },
];

fs.rmSync('test-results/vitest.json', { force: true });
fs.rmSync('test-results/playwright.json', { force: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
for (const step of steps) {
  if (failedSteps.includes('system packages') && step.report) {
    console.log(`\n▶ ${step.name}: not run (system packages missing: see above)`);
    failedSteps.push(step.name);
    continue;
  }
  if (step.needs && failedSteps.includes(step.needs)) {
    console.log(`\n▶ ${step.name}: not run (${step.needs} failed)`);
    failedSteps.push(step.name);
    continue;
  }
  console.log(`\n▶ ${step.name}: ${step.cmd}`);
  const { status } = spawnSync(step.cmd, { shell: true, stdio: 'inherit' });
  if (status !== 0) failedSteps.push(step.name);
  if (step.report === 'vitest' && fs.existsSync('test-results/vitest.json')) {
    const r = JSON.parse(fs.readFileSync('test-results/vitest.json', 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
  }
  if (step.report === 'playwright' && fs.existsSync('test-results/playwright.json')) {
    const { stats } = JSON.parse(fs.readFileSync('test-results/playwright.json', 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
  }
}

// A step that failed without reporting tests (typecheck, lint, build) still counts as a failure.
// A suite that could not run at all (missing system packages) counts as one failure too, never as skipped.
const stepFailures = failedSteps.filter((s) => !['unit+contract', 'e2e'].includes(s) || !fs.existsSync(`test-results/${s === 'e2e' ? 'playwright' : 'vitest'}.json`)).length;
console.log(`\nSteps failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed + stepFailures} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
