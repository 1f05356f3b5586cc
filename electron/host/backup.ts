/**
 * Backups from the command line (`npm run backup -- <command> …`), the same code the console uses:
 *   backup  --data-dir DIR --to FOLDER [--keep N]   an online backup (the console may be running)
 *   list    --to FOLDER                             backups in a folder, newest first
 *   verify  --from BACKUP                           integrity, hash chain, manifest, attachments
 *   restore --data-dir DIR --from BACKUP            verified first; the console must be closed
 * Moving a data directory to a new PC: `backup` on the old one to a USB drive, `restore` on the new.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBackup, listBackups, restoreBackup, verifyBackup, type BackupProgress } from '../core/backup/backup';
import { defaultDataDir } from './data-dir';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    to: { type: 'string' },
    from: { type: 'string' },
    keep: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const USAGE = `usage: npm run backup -- backup --data-dir DIR --to FOLDER [--keep N]
       npm run backup -- list --to FOLDER
       npm run backup -- verify --from BACKUP
       npm run backup -- restore --data-dir DIR --from BACKUP`;

let lastLine = '';
const progress = ({ phase, done, total }: BackupProgress) => {
  const line = `${phase} ${total ? Math.floor((done / total) * 100) : 100}%`;
  if (line !== lastLine) console.log(line);
  lastLine = line;
};

async function main(): Promise<number> {
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  switch (command) {
    case 'backup': {
      if (!values.to) break;
      const keep = values.keep === undefined ? 0 : Number(values.keep);
      if (!Number.isInteger(keep) || keep < 0) {
        console.error(`--keep must be a whole number, not "${values.keep}"`);
        return 2;
      }
      const { dir, manifest } = await createBackup({ dataDir, folder: path.resolve(values.to), keep, onProgress: progress });
      console.log(`backup ${dir}: ${manifest.incidents} incidents, ${manifest.events} events, ${manifest.attachments} attachments`);
      return 0;
    }
    case 'list': {
      if (!values.to) break;
      for (const b of listBackups(path.resolve(values.to))) {
        console.log(`${b.name}  ${b.manifest ? `${b.manifest.incidents} incidents, ${b.manifest.events} events` : '(no manifest)'}`);
      }
      return 0;
    }
    case 'verify': {
      if (!values.from) break;
      const v = verifyBackup(path.resolve(values.from));
      console.log(v.ok ? `ok: ${v.incidents} incidents, ${v.events} events, chain verified` : `NOT OK: ${v.problem}`);
      return v.ok ? 0 : 1;
    }
    case 'restore': {
      if (!values.from) break;
      const { verification, kept } = await restoreBackup({ dataDir, from: path.resolve(values.from), onProgress: progress });
      console.log(`restored ${verification.incidents} incidents, ${verification.events} events into ${dataDir}${kept ? `; the previous store is kept as ${kept}` : ''}`);
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
