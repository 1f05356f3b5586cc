import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Largest picture accepted: a JPEG of a 1080p frame is far below it, and it fits one contract frame. */
export const MAX_SNAPSHOT_BYTES = 640 * 1024;

export type SnapshotMime = 'image/jpeg' | 'image/png';

export function sniffImage(data: Buffer): SnapshotMime | null {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/** Pictures kept in `<dataDir>/snapshots/` by SHA-256: the same frame twice is one file, and a name can be checked. */
export class SnapshotStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'snapshots');
  }

  save(data: Buffer): { sha256: string; mime: SnapshotMime; bytes: number } {
    const mime = sniffImage(data);
    if (!mime) throw new TypeError('not a JPEG or PNG image');
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const file = this.file(sha256, mime);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.dir, { recursive: true });
      // Write then rename: a crash never leaves a half picture under a valid name.
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, file);
    }
    return { sha256, mime, bytes: data.length };
  }

  read(sha256: string): { mime: SnapshotMime; data: Buffer } | null {
    for (const mime of ['image/jpeg', 'image/png'] as const) {
      const file = this.file(sha256, mime);
      if (fs.existsSync(file)) return { mime, data: fs.readFileSync(file) };
    }
    return null;
  }

  private file(sha256: string, mime: SnapshotMime): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('not a SHA-256');
    return path.join(this.dir, `${sha256}${mime === 'image/png' ? '.png' : '.jpg'}`);
  }
}
