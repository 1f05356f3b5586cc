import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

/**
 * The ffmpeg inside @ffmpeg-installer/ffmpeg. In a packaged Electron app its path points into
 * app.asar, which cannot be executed; electron-builder unpacks it beside (asarUnpack), so run it
 * from app.asar.unpacked.
 */
export function bundledFfmpegPath(installerPath: string = ffmpegInstaller.path): string {
  const packed = `${path.sep}app.asar${path.sep}`;
  return installerPath.includes(packed) ? installerPath.replace(packed, `${path.sep}app.asar.unpacked${path.sep}`) : installerPath;
}
