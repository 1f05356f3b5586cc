/**
 * Reads back the wall clock that tests/support/rtsp_server.py paints into every frame (see
 * clock_code_pixbuf there): 32 blocks of width/40 pixels from the top-left corner, the epoch ms's
 * low 32 bits, most significant first, white = 1, with the inverted blocks underneath as a check.
 *
 * Page scripts are strings: bench files compile without DOM types, and tsx's name-keeping helper
 * (__name) does not exist in the page. `INSTALL_CLOCK_READER` defines `window.__paintedAt(video)`:
 * the painted epoch ms of the frame the video shows now, or null when the code does not read
 * cleanly. Called inside requestVideoFrameCallback it reads the frame being presented.
 */
export const INSTALL_CLOCK_READER = `(() => {
  const BITS = 32, BLOCKS_PER_WIDTH = 40, WRAP = 2 ** 32;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  window.__paintedAt = (video) => {
    const block = Math.floor(video.videoWidth / BLOCKS_PER_WIDTH);
    if (block < 4) return null;
    const width = BITS * block, height = 2 * block;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    ctx.drawImage(video, 0, 0, width, height, 0, 0, width, height);
    const px = ctx.getImageData(0, 0, width, height).data;
    const luma = (x, y) => { const i = (y * width + x) * 4; return (px[i] + px[i + 1] + px[i + 2]) / 3; };
    let value = 0;
    for (let bit = 0; bit < BITS; bit++) {
      const x = bit * block + (block >> 1);
      const top = luma(x, block >> 1), bottom = luma(x, block + (block >> 1));
      // A clean read: one block clearly light, its inverted twin clearly dark (or the other way).
      if (Math.abs(top - bottom) < 96) return null;
      value = value * 2 + (top > bottom ? 1 : 0);
    }
    // Only the low 32 bits were painted (49 days): the latest time at or before now that ends in them.
    const now = Date.now();
    return now - ((((now - value) % WRAP) + WRAP) % WRAP);
  };
})()`;
