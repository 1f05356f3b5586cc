import { randomBytes } from 'node:crypto';
import type { Core } from '../../../electron/core';

/** A JPEG by its magic bytes, with random content (so every one has its own SHA-256). */
export const jpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes)]);

export async function ok<T>(core: Core, name: string, input: unknown): Promise<T> {
  const envelope = await core.dispatch(name, input);
  if (!envelope.ok) throw new Error(`${name}: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}
