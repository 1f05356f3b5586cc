/**
 * Cuts ffmpeg's fragmented MP4 output into what MSE needs: the init segment (ftyp + moov) once,
 * then one media fragment (moof + mdat) at a time, each marked whether it starts with a keyframe
 * so a viewer joining late can start at one.
 */

export interface Fmp4Init {
  kind: 'init';
  data: Buffer;
  /** MSE type, e.g. `video/mp4; codecs="avc1.42c01e"`. */
  mime: string;
}
export interface Fmp4Fragment {
  kind: 'fragment';
  data: Buffer;
  keyframe: boolean;
}

export class Fmp4Splitter {
  private pending: Buffer = Buffer.alloc(0);
  private initParts: Buffer[] = [];
  private moof: Buffer | null = null;

  /** Feeds bytes; returns every complete init/fragment they finish. */
  push(chunk: Buffer): Array<Fmp4Init | Fmp4Fragment> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Array<Fmp4Init | Fmp4Fragment> = [];
    for (;;) {
      if (this.pending.length < 8) break;
      let size = this.pending.readUInt32BE(0);
      let header = 8;
      if (size === 1) {
        if (this.pending.length < 16) break;
        size = Number(this.pending.readBigUInt64BE(8));
        header = 16;
      }
      if (size < header) throw new Error(`corrupt MP4 box of size ${size}`);
      if (this.pending.length < size) break;
      const type = this.pending.toString('latin1', 4, 8);
      const box = this.pending.subarray(0, size);
      this.pending = this.pending.subarray(size);
      if (type === 'ftyp') this.initParts = [box];
      else if (type === 'moov') {
        const data = Buffer.concat([...this.initParts, box]);
        out.push({ kind: 'init', data, mime: `video/mp4; codecs="${codecString(box)}"` });
      } else if (type === 'moof') this.moof = box;
      else if (type === 'mdat' && this.moof) {
        out.push({ kind: 'fragment', data: Buffer.concat([this.moof, box]), keyframe: startsWithKeyframe(this.moof) });
        this.moof = null;
      }
      // styp, sidx, free, mfra: not needed by MSE
    }
    return out;
  }
}

/**
 * The RFC 6381 codec of the video track: `avc1.PPCCLL` from the avcC box, or for H.265
 * `hev1.1.6.L93.B0`-style from the hvcC box (ISO/IEC 14496-15 E.3); a safe H.264 Main default
 * when neither is found.
 */
export function codecString(moov: Buffer): string {
  const hevc = hevcCodecString(moov);
  if (hevc) return hevc;
  const at = moov.indexOf('avcC', 0, 'latin1');
  if (at < 0 || at + 8 > moov.length) return 'avc1.4d401f';
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  return `avc1.${hex(moov[at + 5]!)}${hex(moov[at + 6]!)}${hex(moov[at + 7]!)}`;
}

function hevcCodecString(moov: Buffer): string | null {
  const at = moov.indexOf('hvcC', 0, 'latin1');
  // hvcC payload: version(1) profile_space|tier|profile_idc(1) compatibility(4) constraints(6) level(1)
  if (at < 0 || at + 4 + 13 > moov.length) return null;
  const entry = moov.lastIndexOf('hvc1', at, 'latin1') >= 0 ? 'hvc1' : 'hev1';
  const p = at + 4;
  const byte = moov[p + 1]!;
  const space = ['', 'A', 'B', 'C'][byte >> 6]!;
  const tier = byte & 0x20 ? 'H' : 'L';
  const profile = byte & 0x1f;
  // The compatibility flags are written in reverse bit order, in hex without leading zeros.
  let flags = moov.readUInt32BE(p + 2);
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    reversed = (reversed << 1) | (flags & 1);
    flags >>>= 1;
  }
  const constraints = [...moov.subarray(p + 6, p + 12)];
  while (constraints.length && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = moov[p + 12]!;
  return [`${entry}.${space}${profile}`, (reversed >>> 0).toString(16).toUpperCase(), `${tier}${level}`, ...constraints.map((b) => b.toString(16).toUpperCase())].join('.');
}

/** Children of a box (after its 8-byte header plus `skip` bytes). */
function* children(box: Buffer, skip = 0): Generator<[string, Buffer]> {
  let offset = 8 + skip;
  while (offset + 8 <= box.length) {
    const size = box.readUInt32BE(offset);
    if (size < 8 || offset + size > box.length) return;
    yield [box.toString('latin1', offset + 4, offset + 8), box.subarray(offset, offset + size)];
    offset += size;
  }
}

const NON_SYNC = 0x00010000;

/** Reads the first sample's flags (trun first-sample flags, its first sample entry, or tfhd default). */
export function startsWithKeyframe(moof: Buffer): boolean {
  for (const [type, traf] of children(moof)) {
    if (type !== 'traf') continue;
    let defaultFlags: number | null = null;
    for (const [childType, child] of children(traf)) {
      if (childType === 'tfhd') {
        const flags = child.readUInt32BE(8) & 0xffffff;
        let offset = 16; // header(8) + version/flags(4) + track_ID(4)
        if (flags & 0x01) offset += 8;
        if (flags & 0x02) offset += 4;
        if (flags & 0x08) offset += 4;
        if (flags & 0x10) offset += 4;
        if (flags & 0x20) defaultFlags = child.readUInt32BE(offset);
      } else if (childType === 'trun') {
        const flags = child.readUInt32BE(8) & 0xffffff;
        let offset = 16; // header + version/flags + sample_count
        if (flags & 0x01) offset += 4;
        if (flags & 0x04) return (child.readUInt32BE(offset) & NON_SYNC) === 0;
        if (flags & 0x400) {
          if (flags & 0x100) offset += 4;
          if (flags & 0x200) offset += 4;
          return (child.readUInt32BE(offset) & NON_SYNC) === 0;
        }
        return defaultFlags === null ? true : (defaultFlags & NON_SYNC) === 0;
      }
    }
  }
  return false;
}
