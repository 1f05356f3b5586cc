import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledFfmpegPath } from './ffmpeg-path';

describe('bundledFfmpegPath', () => {
  it('runs ffmpeg from app.asar.unpacked in a packaged app, and as is from a checkout', () => {
    const packed = ['', 'opt', 'console', 'resources', 'app.asar', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg'].join(path.sep);
    expect(bundledFfmpegPath(packed)).toBe(packed.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`));
    const checkout = ['', 'work', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg'].join(path.sep);
    expect(bundledFfmpegPath(checkout)).toBe(checkout);
  });
});
