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
  /**
   * "Save diagnostics" (保存诊断包): one zip for a support person — the log files, versions, and the
   * settings with every secret masked. The logs are bounded (2 MB × 5 = 10 MB of JSON lines, which
   * zips to about a tenth): the answer stays well inside one 16 MB frame even as base64.
   */
  'system.diagnostics': command(
    z.object({}).strict(),
    z.object({
      filename: z.string(),
      /** The zip itself (application/zip), base64. */
      zipBase64: z.string(),
      bytes: z.number().int(),
      /** Its entries: versions.json, settings.json, logs/console*.log. */
      files: z.array(z.string()),
    }),
  ),
  'outbox.status': command(
    z.object({}).strict(),
    z.object({ pending: z.number().int(), oldestSeq: z.number().int().nullable() }),
  ),
} as const;
