import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '@shared';
import { openCore } from '../index';
import { Dispatcher, EventBus, callScope, type Handlers } from '../contract';
import { JobRunner } from '../jobs/jobs';
import type { WorkerPool } from '../jobs/worker-pool';
import type { Db } from '../store';
import { createLogger, logFiles, type Logger } from './index';

/** A logger that keeps its lines (message + fields, children's bindings merged) for the test to read. */
function memoryLogger(lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [], bound: Record<string, unknown> = {}): Logger & { lines: typeof lines } {
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ ...bound, ...fields, level, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => memoryLogger(lines, { ...bound, ...b }), flush: () => {}, close: () => {} };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the core logs what went wrong, with the command’s name', () => {
  it('a handler’s unexpected failure: the dispatcher’s internal error goes to the log', async () => {
    const log = memoryLogger();
    const handlers = { 'outbox.status': () => { throw new Error('disk image is malformed'); } } as unknown as Handlers;
    const dispatcher = new Dispatcher(handlers, { onInternalError: (name, err) => log.error(`command ${name} failed`, { command: name, err }) });
    const answer = await dispatcher.dispatch('outbox.status', {}, { window: 'test', session: null, system: true });
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal', reason: 'contract.internal' } });
    expect(log.lines).toEqual([expect.objectContaining({ level: 'error', msg: 'command outbox.status failed', command: 'outbox.status' })]);
  });

  it('a failing event listener is logged with the event, and the other listeners still run', () => {
    const log = memoryLogger();
    const bus = new EventBus(log);
    const heard: string[] = [];
    bus.on(() => { throw new Error('listener broke'); });
    bus.on((name) => heard.push(name));
    bus.emit('staff.changed', { reason: 'test' });
    expect(heard).toEqual(['staff.changed']);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'error', msg: 'event listener for staff.changed failed', event: 'staff.changed' })]);
  });

  it('a failed job is logged with its kind and the command that started it; a refusal is a warning, a cancel nothing', async () => {
    const log = memoryLogger();
    const jobs = new JobRunner(new EventBus(), Date.now, {} as WorkerPool, {} as Db, { dbFile: ':memory:' }, log);
    const scope = { actor: { id: null, name: 'test', roles: [] }, cosigner: null, system: true, command: 'grids.import' };
    await expect(callScope.run(scope, () => jobs.run('grids.import', async () => { throw new Error('worker died'); }))).rejects.toThrow('worker died');
    await expect(
      callScope.run(scope, () => jobs.run('grids.import', async () => { throw ContractError.refused('bad file', { reason: 'map.unknown_grid' }); })),
    ).rejects.toThrow('bad file');
    await expect(jobs.run('events.verify', async (job) => { jobs.cancel(job.id); job.check(); })).rejects.toThrow();
    expect(log.lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'job grids.import failed', job: 'grids.import', command: 'grids.import' }),
      expect.objectContaining({ level: 'warn', msg: 'job grids.import refused', job: 'grids.import', command: 'grids.import' }),
    ]);
  });

  it('openCore writes its own log file in <dataDir>/logs: opened and closed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-core-log-'));
    dirs.push(dir);
    openCore({ dataDir: dir, host: 'node', version: '0.0.0-test' }).close();
    const lines = logFiles(dir).map((f) => fs.readFileSync(f, 'utf8')).join('').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; version?: string });
    expect(lines.map((l) => l.msg)).toEqual(['core opened', 'core closed']);
    expect(lines[0]!.version).toBe('0.0.0-test');
    // A given logger is the caller's: the core does not close it.
    const log = createLogger({ dataDir: dir, echo: null });
    openCore({ dataDir: dir, host: 'node', version: '0.0.0-test', logger: log }).close();
    log.info('still open');
    log.close();
    expect(fs.readFileSync(logFiles(dir)[0]!, 'utf8')).toContain('still open');
  });
});
