import type { ConsoleClient } from '@shared';

/** The zip the core sent (base64) as bytes for a Blob: the browser's own download, no Node in the renderer. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * "Save diagnostics" (保存诊断包): asks the core for the zip (logs, versions, settings without
 * secrets) and returns it as a Blob to download under the core's file name (see download.ts).
 */
export async function fetchDiagnostics(client: ConsoleClient): Promise<{ filename: string; bytes: number; blob: Blob }> {
  const { filename, zipBase64, bytes } = await client.invoke('system.diagnostics', {});
  return { filename, bytes, blob: new Blob([base64Bytes(zipBase64)], { type: 'application/zip' }) };
}
