import { describe, expect, it, vi } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { ConsoleClient } from '@shared';
import { base64Bytes, fetchDiagnostics } from '../../../renderer/src/features/system/diagnostics';

describe('save diagnostics in the renderer', () => {
  it('turns the core’s base64 into the zip’s bytes', () => {
    const zip = zipSync({ 'versions.json': strToU8('{"app":"1.0.0"}') });
    const bytes = base64Bytes(Buffer.from(zip).toString('base64'));
    expect(Buffer.from(bytes).equals(Buffer.from(zip))).toBe(true);
    expect(unzipSync(bytes)['versions.json']).toBeDefined();
  });

  it('asks the core and gives the zip back as an application/zip Blob under the core’s file name', async () => {
    const zip = zipSync({ 'logs/console.log': strToU8('{"msg":"core opened"}\n') });
    const filename = 'duty-console-diagnostics-20261202-174500.zip';
    const invoke = vi.fn(async () => ({ filename, zipBase64: Buffer.from(zip).toString('base64'), bytes: zip.length, files: ['logs/console.log'] }));
    const saved = await fetchDiagnostics({ invoke } as unknown as ConsoleClient);
    expect(invoke).toHaveBeenCalledWith('system.diagnostics', {});
    expect(saved).toMatchObject({ filename, bytes: zip.length });
    expect(saved.blob.type).toBe('application/zip');
    expect(Buffer.from(await saved.blob.arrayBuffer()).equals(Buffer.from(zip))).toBe(true);
  });
});
