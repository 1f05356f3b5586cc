// The system packages `npm test` needs, checked before any step runs. Where we are root and apt is
// present they are installed; otherwise the one command that installs them is printed and the run
// fails: no suite is ever skipped silently because a part is missing.
// Add a requirement here (a check and its Debian packages) with the test that needs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const ok = (cmd, args = []) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const has = (bin) => ok('sh', ['-c', `command -v ${bin}`]);

/** Each: what it is for, how to tell it is there, the Debian packages that bring it. */
export const REQUIREMENTS = [
  { what: 'Chromium for the e2e tests and the browser benchmarks', present: () => fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), packages: ['chromium'] },
  { what: 'Chinese glyphs for the zh-CN screenshots (system fonts; the UI loads no web fonts)', present: () => ok('sh', ['-c', 'fc-list | grep -qi "Noto Sans CJK"']), packages: ['fonts-noto-cjk'] },
  {
    what: "GStreamer's RTSP server for the camera tests (run by Debian's /usr/bin/python3 with gi)",
    present: () => ok(process.env.GI_PYTHON ?? '/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"]),
    packages: ['gir1.2-gst-rtsp-server-1.0', 'python3-gi', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad', 'gstreamer1.0-plugins-ugly'],
  },
  { what: 'ffmpeg for the RTSP test streams', present: () => has('ffmpeg'), packages: ['ffmpeg'] },
  { what: 'Mosquitto, the real MQTT broker of the city-link tests', present: () => fs.existsSync('/usr/sbin/mosquitto') || has('mosquitto'), packages: ['mosquitto'] },
  { what: 'pdftoppm, to look at exported PDFs', present: () => has('pdftoppm'), packages: ['poppler-utils'] },
  { what: 'LibreOffice Writer (headless), to render exported .docx files', present: () => has('soffice') || has('libreoffice'), packages: ['libreoffice-writer-nogui'] },
  { what: 'openssl, to make the test CA and certificates', present: () => has('openssl'), packages: ['openssl'] },
];

export function missingRequirements() {
  return REQUIREMENTS.filter((r) => !r.present());
}

/** Installs what is missing when it can; returns the list still missing. */
export function ensureSystemPackages({ log = console.log } = {}) {
  let missing = missingRequirements();
  if (!missing.length) return [];
  const packages = [...new Set(missing.flatMap((r) => r.packages))];
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  for (const r of missing) log(`  missing: ${r.what} (${r.packages.join(' ')})`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && has('apt-get')) {
    log(`  installing: ${command}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    if (update.status === 0) spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
    missing = missingRequirements();
  }
  if (missing.length) {
    log(`\nThese system packages are needed and could not be installed here. Install them with:\n  sudo ${command}\n`);
  }
  return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = ensureSystemPackages();
  process.exit(missing.length ? 1 : 0);
}
