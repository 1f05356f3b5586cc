import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ATTACHMENT_MAX_BYTES, ContractError, sniffImage, type Attachment, type AttachmentMime } from '@shared';
import { fsyncDirectory, removeTempFiles, writeFileDurably, type Db } from '../store';
import type { Change, IncidentStore } from '../incidents';

interface Row {
  id: string;
  incident_id: string;
  name: string;
  mime: AttachmentMime;
  bytes: number;
  sha256: string;
  actor: string;
  at: number;
}

const toAttachment = (r: Row): Attachment => ({
  id: r.id,
  incidentId: r.incident_id,
  name: r.name,
  mime: r.mime,
  bytes: r.bytes,
  sha256: r.sha256,
  actor: r.actor,
  at: r.at,
});

const SELECT = `SELECT a.id, i.id AS incident_id, a.name, a.mime, a.bytes, a.sha256, a.actor, a.at
  FROM attachments a JOIN incidents i ON i.rid = a.incident_rid`;

export const ATTACHMENTS_DIR = 'attachments';

/**
 * Pictures kept with an incident (result-feedback photos, camera snapshots): the bytes in
 * `<dataDir>/attachments/<sha256>`, the row and an `attachment_added` event with the hash on the
 * incident's hash-chained timeline, so a picture cannot be swapped later unnoticed.
 */
export class AttachmentStore {
  private readonly dir: string;

  constructor(
    private readonly db: Db,
    private readonly incidents: IncidentStore,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, ATTACHMENTS_DIR);
  }

  /** Removes what a crash or a full disk left between write and rename (`*.tmp`); at start, before any add. */
  removeLeftovers(): number {
    return removeTempFiles(this.dir);
  }

  /** Checks the bytes (size, content matches the type), keeps the file, then records it in one transaction. */
  add(incidentId: string, name: string, mime: AttachmentMime, data: Buffer, actor: string, at: number): { change: Change; attachment: Attachment } {
    if (!data.length) throw ContractError.validation('the file is empty', [{ path: 'dataBase64', message: 'empty file', reason: 'attachments.empty' }], { reason: 'attachments.empty' });
    if (data.length > ATTACHMENT_MAX_BYTES) {
      const detail = { reason: 'attachments.too_large', params: { max: ATTACHMENT_MAX_BYTES } } as const;
      throw ContractError.validation(`file over ${ATTACHMENT_MAX_BYTES} bytes`, [{ path: 'dataBase64', message: `file over ${ATTACHMENT_MAX_BYTES} bytes`, ...detail }], detail);
    }
    if (sniffImage(data) !== mime) {
      const detail = { reason: 'attachments.wrong_type', params: { mime } } as const;
      throw ContractError.validation(`the file is not a ${mime} image`, [{ path: 'mime', message: 'content does not match the file type', ...detail }], detail);
    }
    const incident = this.incidentRow(incidentId);
    if (incident.status === 'closed') throw closedIncident(incident.code);
    const sha256 = createHash('sha256').update(data).digest('hex');
    // The file first, on disk (fsynced with its directory entry) before the row commits: a crash or a
    // power cut in between leaves an unreferenced file, never a row without its bytes.
    this.keepFile(sha256, data);
    return this.incidents.write(() => {
      const current = this.incidentRow(incidentId);
      if (current.status === 'closed') throw closedIncident(current.code);
      const id = uuidv7({ msecs: at });
      this.db
        .prepare('INSERT INTO attachments (id, incident_rid, name, mime, bytes, sha256, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, current.rid, name, mime, data.length, sha256, actor, at);
      const change = this.incidents.touch(incidentId, 'attachment_added', { attachmentId: id, name, mime, bytes: data.length, sha256 }, actor, at);
      return { change, attachment: toAttachment(this.db.prepare<[string], Row>(`${SELECT} WHERE a.id = ?`).get(id)!) };
    });
  }

  list(incidentId: string): Attachment[] {
    const incident = this.incidentRow(incidentId);
    // idx_attachments_incident
    return this.db.prepare<[number], Row>(`${SELECT} WHERE a.incident_rid = ? ORDER BY a.rid`).all(incident.rid).map(toAttachment);
  }

  /** The picture's bytes, checked against the hash recorded when it was attached. */
  get(id: string): { attachment: Attachment; data: Buffer } {
    const row = this.db.prepare<[string], Row>(`${SELECT} WHERE a.id = ?`).get(id);
    if (!row) throw ContractError.notFound(`no attachment with id ${id}`, { reason: 'attachments.not_found' });
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file(row.sha256));
    } catch {
      throw ContractError.notFound(`the file of attachment ${row.name} is missing from the data directory`, { reason: 'attachments.file_missing', params: { name: row.name } });
    }
    if (createHash('sha256').update(data).digest('hex') !== row.sha256) {
      throw ContractError.conflict(`the file of attachment ${row.name} was changed after it was attached`, undefined, { reason: 'attachments.file_changed', params: { name: row.name } });
    }
    return { attachment: toAttachment(row), data };
  }

  private incidentRow(incidentId: string): { rid: number; status: string; code: string } {
    const incident = this.db.prepare<[string], { rid: number; status: string; code: string }>('SELECT rid, status, code FROM incidents WHERE id = ?').get(incidentId);
    if (!incident) throw ContractError.notFound(`no incident with id ${incidentId}`, { reason: 'incidents.not_found' });
    return incident;
  }

  private file(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  private keepFile(sha256: string, data: Buffer): void {
    const file = this.file(sha256);
    // A new attachments/ folder is itself an entry of the data directory that must reach the disk.
    if (fs.mkdirSync(this.dir, { recursive: true })) fsyncDirectory(path.dirname(this.dir));
    // Write, fsync, rename, fsync the directory (also over an existing copy, which may have been
    // damaged): a crash never leaves half a picture under a valid name, a full disk no .tmp.
    writeFileDurably(file, data);
  }
}

function closedIncident(code: string): ContractError {
  return ContractError.conflict(`incident ${code} is closed; attachments can no longer be added`, undefined, { reason: 'attachments.incident_closed', params: { code } });
}
