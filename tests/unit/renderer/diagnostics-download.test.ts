import { afterEach, describe, expect, it, vi } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { ConsoleClient } from '@shared';
import { base64Bytes, saveDiagnostics } from '../../../renderer/src/features/system/diagnostics';

afterEach(() => vi.unstubAllGlobals());

describe('save diagnostics in the renderer', () => {
  it('turns the core’s base64 into the zip’s bytes', () => {
    const zip = zipSync({ 'versions.json': strToU8('{"app":"1.0.0"}') });
    const bytes = base64Bytes(Buffer.from(zip).toString('base64'));
    expect(Buffer.from(bytes).equals(Buffer.from(zip))).toBe(true);
    expect(unzipSync(bytes)['versions.json']).toBeDefined();
  });

  it('downloads the zip under the core’s file name through a Blob link', async () => {
    const zip = zipSync({ 'logs/console.log': strToU8('{"msg":"core opened"}\n') });
    const invoke = vi.fn(async () => ({ filename: 'duty-console-diagnostics-20261202-174500.zip', zipBase64: Buffer.from(zip).toString('base64'), bytes: zip.length, files: ['logs/console.log'] }));
    const blobs: Blob[] = [];
    const clicked: { href: string; download: string }[] = [];
    const link = { href: '', download: '', click: () => clicked.push({ href: link.href, download: link.download }), remove: () => {} };
    vi.stubGlobal('URL', { createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:diagnostics'), revokeObjectURL: () => {} });
    vi.stubGlobal('document', { createElement: () => link, body: { append: () => {} } });
    const saved = await saveDiagnostics({ invoke } as unknown as ConsoleClient);
    expect(invoke).toHaveBeenCalledWith('system.diagnostics', {});
    expect(saved).toEqual({ filename: 'duty-console-diagnostics-20261202-174500.zip', bytes: zip.length });
    expect(clicked).toEqual([{ href: 'blob:diagnostics', download: 'duty-console-diagnostics-20261202-174500.zip' }]);
    expect(blobs[0]!.type).toBe('application/zip');
    expect(Buffer.from(await blobs[0]!.arrayBuffer()).equals(Buffer.from(zip))).toBe(true);
  });
});
