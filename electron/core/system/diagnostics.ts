import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { CoreContext } from '../context';
import { SCHEMA_VERSION } from '../store';
import { logFiles, redactValue } from '../log';

/** The settings table with secrets masked (by key name and inside values: URLs with passwords, tokens). */
function settingsWithoutSecrets(ctx: CoreContext): Record<string, unknown> {
  const rows = ctx.db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings ORDER BY key').all();
  const out: Record<string, unknown> = {};
  for (const { key, value } of rows) {
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // a plain string value
    }
    out[key] = parsed;
  }
  return redactValue(out) as Record<string, unknown>;
}

/** What a support person asks first: which build, on what, with which store. */
function versions(ctx: CoreContext): Record<string, unknown> {
  const sqlite = ctx.db.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()!.v;
  return {
    app: ctx.options.version,
    host: ctx.options.host,
    schemaVersion: SCHEMA_VERSION,
    sqlite,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    chrome: process.versions.chrome ?? null,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    readOnly: ctx.readOnly,
    incidents: ctx.incidents.count(),
    at: new Date(ctx.now()).toISOString(),
  };
}

/** One zip: logs/*.log, versions.json, settings.json. */
export function diagnosticsZip(ctx: CoreContext, actor: string): { filename: string; zipBase64: string; bytes: number; files: string[] } {
  // Written first, so the zip's own log shows who saved it.
  ctx.log.info('diagnostics saved', { actor });
  const entries: Record<string, Uint8Array> = {
    'versions.json': strToU8(JSON.stringify(versions(ctx), null, 2)),
    'settings.json': strToU8(JSON.stringify(settingsWithoutSecrets(ctx), null, 2)),
  };
  // The log files are redacted as they are written; read them as they are.
  for (const file of logFiles(ctx.options.dataDir)) entries[`logs/${path.basename(file)}`] = fs.readFileSync(file);
  const zip = zipSync(entries, { level: 6 });
  const stamp = new Date(ctx.now()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return { filename: `duty-console-diagnostics-${stamp}.zip`, zipBase64: Buffer.from(zip).toString('base64'), bytes: zip.length, files: Object.keys(entries) };
}
