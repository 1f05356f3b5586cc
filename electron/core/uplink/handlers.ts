import { ContractError, type LinkLogEntry, type uplinkCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import type { CallContext } from '../contract';
import { LinkSettings, type LinkConfig, type Sealer } from './config';
import { DirectiveStore } from './directives';
import { UplinkLink, type LinkActor, type LogKind } from './link';
import type { LinkTimings } from './timings';
import { Outbox } from './outbox';
import { inlineOutboxPort, workerOutboxPort } from './outbox-port';
import path from 'node:path';
import { DATABASE_FILE } from '../store';
import { checkPem } from './pem';

export interface UplinkOptions {
  /** Seals the password and the client key (the same box as camera passwords). */
  secretBox: Sealer;
  /** Connect to this broker without a stored setting (the demo's in-process broker and city). */
  demoConfig?: () => Promise<LinkConfig | null>;
  timings?: Partial<LinkTimings>;
}

export interface UplinkModule extends CoreModule<keyof typeof uplinkCommands> {
  /** For tests and the bench. */
  readonly link: UplinkLink;
  /** Settles when the link has its configuration (the demo's broker and city are up). */
  readonly ready: Promise<void>;
}

export function uplinkModule(ctx: CoreContext, options: UplinkOptions): UplinkModule {
  const { db, bus, now } = ctx;
  const settings = new LinkSettings(ctx.settings, options.secretBox);
  const outbox = new Outbox(db, ctx.settings);
  // The drain's reads, encoding and acknowledgements run in a worker with its own connection; a store
  // opened read-only (full disk) holds an exclusive lock, so there it stays on this loop.
  const port =
    ctx.readOnly
      ? inlineOutboxPort(outbox)
      : workerOutboxPort({ file: path.join(ctx.options.dataDir, DATABASE_FILE), nativeBinding: ctx.options.nativeBinding, synchronous: ctx.options.synchronous ?? 'FULL' });
  const directives = new DirectiveStore(ctx);
  const logInsert = db.prepare<[number, LogKind, string | null, string | null, string | null, string | null]>(
    'INSERT INTO uplink_log (at, kind, reason, detail, actor, actor_staff_no) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const COLUMNS = 'id, at, kind, reason, detail, actor, actor_staff_no AS actorStaffNo';
  const logList = db.prepare<[number], LinkLogEntry>(`SELECT ${COLUMNS} FROM uplink_log ORDER BY id DESC LIMIT ?`);
  // A shift's entries (the duty log): by time, through idx_uplink_log_at.
  const logRange = db.prepare<[number, number, number], LinkLogEntry>(
    `SELECT ${COLUMNS} FROM uplink_log WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?`,
  );
  /** Every line of the link's log is stored and pushed (`uplink.logged`): the duty log's link down / up entries. */
  const log = (kind: LogKind, reason: string | null, detail: string | null, actor: LinkActor | null = null) => {
    const at = now();
    const { lastInsertRowid } = logInsert.run(at, kind, reason, detail, actor?.name ?? null, actor?.staffNo ?? null);
    bus.emit('uplink.logged', { id: Number(lastInsertRowid), at, kind, reason, detail, actor: actor?.name ?? null, actorStaffNo: actor?.staffNo ?? null });
  };
  /** The person in a call: name and staff number from the window's session (in-process calls: the system's name, no number). */
  const actorOf = (ctx: CallContext): LinkActor => ({ name: ctx.actor, staffNo: ctx.conn.session?.staffNo ?? null });

  const link = new UplinkLink({
    outbox,
    port,
    directives,
    now,
    log,
    unsignedDirectives: () => directives.unsigned(),
    onStatus: (status) => bus.emit('uplink.status', status),
    onDirective: (result) => {
      for (const change of result.changes) ctx.publish(change);
      bus.emit('directives.changed', { id: result.directiveId, outcome: result.outcome });
    },
    timings: options.timings,
  });

  // Every change made through the console goes up soon after it is written.
  const unsubscribe = bus.on((name) => {
    if (name === 'incident.changed' || name === 'incidents.reloaded') link.wake();
  });

  let demo = false;
  const start = (config: LinkConfig | null) => link.configure(config, settings.switchedOn());
  const stored = (): LinkConfig | null => {
    try {
      return settings.load();
    } catch {
      // Secrets sealed on another PC: the panel says so; the operator enters them again.
      return null;
    }
  };
  let ready: Promise<void>;
  const initial = stored();
  if (initial || !options.demoConfig) {
    start(initial);
    ready = Promise.resolve();
  } else {
    ready = options.demoConfig().then(
      (config) => {
        demo = config !== null;
        // A setting saved meanwhile wins over the demo.
        if (!settings.view()) start(config);
      },
      (error: unknown) => {
        ctx.log.error('demo city could not start', { domain: 'uplink', err: error });
        start(null);
      },
    );
  }

  return {
    link,
    ready,
    handlers: {
      'uplink.status': () => link.status(),
      'uplink.config': () => settings.view(),
      'uplink.configure': ({ config }, call) => {
        for (const [field, pem] of [['ca', config.ca], ['cert', config.cert], ['key', config.key ?? '']] as const) {
          const problem = checkPem(field, pem);
          if (problem) {
            throw ContractError.validation(`config.${field}: ${problem}`, [
              { path: `config.${field}`, message: problem, reason: 'uplink.bad_certificate', params: { detail: problem } },
            ]);
          }
        }
        settings.save(config);
        demo = false;
        log('configured', null, `${config.url} ${config.town}`, actorOf(call));
        start(settings.load());
        return link.status();
      },
      'uplink.switch': ({ on }, call) => {
        settings.setSwitch(on);
        link.switch(on, actorOf(call));
        return link.status();
      },
      'uplink.log': ({ limit, since, until }) =>
        since === undefined && until === undefined ? logList.all(limit) : logRange.all(since ?? 0, until ?? Number.MAX_SAFE_INTEGER, limit),
      'directives.list': () => directives.list(),
      'directives.sign': ({ id }, call) => {
        // The signer is the person logged in at this window, never typed text.
        const change = directives.sign(id, actorOf(call));
        ctx.publish(change);
        bus.emit('directives.changed', { id, outcome: 'signed' });
        link.wake();
        return directives.list().find((d) => d.id === id)!;
      },
    },
    close: () => {
      unsubscribe();
      link.close();
      port.close();
      void demo;
    },
  };
}
