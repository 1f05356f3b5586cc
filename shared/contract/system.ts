import { z } from 'zod';
import { command } from './command';

/** The console itself: host facts, the demo offer, the event log's integrity and the uplink outbox. */
export const systemCommands = {
  'system.info': command(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'node']),
      dataDir: z.string(),
      schemaVersion: z.number().int(),
      operator: z.string(),
      incidentCount: z.number().int(),
      /** True until the operator has seeded the demo or declined it, and only on an empty store. */
      offerDemo: z.boolean(),
      /** Null when the store is writable; else why it is open read-only, and the disk's free space then. */
      readOnly: z.object({ reason: z.enum(['disk_full']), free: z.string() }).nullable(),
    }),
  ),
  'demo.seed': command(z.object({}).strict(), z.object({ created: z.number().int() })),
  'demo.decline': command(z.object({}).strict(), z.object({})),
  'events.verify': command(
    z.object({}).strict(),
    z.object({
      ok: z.boolean(),
      checked: z.number().int(),
      /** Sequence number of the first event whose hash or link does not match. */
      firstBadSeq: z.number().int().nullable(),
      problem: z.string().nullable(),
    }),
  ),
  'outbox.status': command(
    z.object({}).strict(),
    z.object({ pending: z.number().int(), oldestSeq: z.number().int().nullable() }),
  ),
} as const;
