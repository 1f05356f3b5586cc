/**
 * People on duty: what the permission check adds to every command, and what a login costs with the
 * argon2id parameters in electron/core/people/passwords.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMAND_NAMES, permissionsOf, requiredPermission, COMMAND_RULES, type CommandName } from '@shared';
import { openCore } from '../electron/core';
import { ensurePerson, TEST_PASSWORD, personFor } from '../tests/contract/login';
import { measurement, time, type SuiteResult } from './stats';

export async function runPeopleBench(): Promise<SuiteResult> {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-bench-people-'));
  const core = openCore({ dataDir: dir, host: 'node', version: 'bench' });
  try {
    // The check itself, as the dispatcher runs it: the rule, the permission for this input, the session's set.
    const granted = permissionsOf(['operator']);
    const names = COMMAND_NAMES.filter((n) => COMMAND_RULES[n].access === 'permission') as CommandName[];
    const input = { transition: { action: 'dispatch' } };
    const BATCH = 1_000;
    let sink = 0;
    const perCheck: number[] = [];
    for (let sample = 0; sample < 520; sample += 1) {
      const start = performance.now();
      for (let i = 0; i < BATCH; i += 1) {
        const name = names[(sample * BATCH + i) % names.length]!;
        const needed = requiredPermission(name, input);
        if (needed !== null && granted.has(needed)) sink += 1;
      }
      if (sample >= 20) perCheck.push((performance.now() - start) / BATCH);
    }
    const check = measurement('permission check per command (mean of 1,000 per sample)', perCheck, { targetP95Ms: 0.05 });

    // The same read through a logged-in window and through the in-process door (which skips the check).
    const person = personFor('operator');
    await ensurePerson(core, person);
    const window = core.connect('bench');
    const login = await window.dispatch('auth.login', { staffNo: person.staffNo, password: TEST_PASSWORD });
    if (!login.ok) throw new Error(login.error.message);
    const viaWindow = await time('incidents.summary through a logged-in window', { iterations: 2_000, warmup: 200 }, () => window.dispatch('incidents.summary', {}));
    const viaSystem = await time('incidents.summary in-process (no check)', { iterations: 2_000, warmup: 200 }, () => core.dispatch('incidents.summary', {}));

    // Logins with the real argon2id parameters (verify of a 19 MiB, t = 2 hash).
    const logins = await time('login (argon2id m=19 MiB, t=2, p=1)', { iterations: 40, warmup: 3, targetP95Ms: 300 }, async () => {
      const answer = await window.dispatch('auth.login', { staffNo: person.staffNo, password: TEST_PASSWORD });
      if (!answer.ok) throw new Error(answer.error.message);
    });
    window.close();
    const measurements = [check, viaWindow, viaSystem, logins];
    return {
      suite: 'people',
      ok: measurements.every((m) => m.pass !== false),
      durationMs: performance.now() - started,
      measurements,
      info: { commandsChecked: names.length, sink, loadavg: os.loadavg() },
    };
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
