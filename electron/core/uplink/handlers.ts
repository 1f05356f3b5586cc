import { ContractError, type LinkLogEntry, type uplinkCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { LinkSettings, type LinkConfig, type Sealer } from './config';
import { DirectiveStore } from './directives';
import { UplinkLink, type LogKind } from './link';
import type { LinkTimings } from './timings';
import { Outbox } from './outbox';
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
  const directives = new DirectiveStore(ctx);
  const logInsert = db.prepare('INSERT INTO uplink_log (at, kind, reason, detail) VALUES (?, ?, ?, ?)');
  const logList = db.prepare<[number], LinkLogEntry>('SELECT at, kind, reason, detail FROM uplink_log ORDER BY id DESC LIMIT ?');
  const log = (kind: LogKind, reason: string | null, detail: string | null) => {
    logInsert.run(now(), kind, reason, detail);
  };

  const link = new UplinkLink({
    outbox,
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
      'uplink.configure': ({ config }) => {
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
        log('configured', null, `${config.url} ${config.town}`);
        start(settings.load());
        return link.status();
      },
      'uplink.switch': ({ on }) => {
        settings.setSwitch(on);
        link.switch(on);
        return link.status();
      },
      'uplink.log': ({ limit }) => logList.all(limit),
      'directives.list': () => directives.list(),
      'directives.sign': ({ id }, { actor }) => {
        const change = directives.sign(id, actor);
        ctx.publish(change);
        bus.emit('directives.changed', { id, outcome: 'signed' });
        link.wake();
        return directives.list().find((d) => d.id === id)!;
      },
    },
    close: () => {
      unsubscribe();
      link.close();
      void demo;
    },
  };
}
