import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { ATTACHMENT_MAX_BYTES, ContractError, sniffImage, type Attachment, type AttachmentMime } from '@shared';
import type { Db } from '../store/database';
import type { Change, IncidentStore } from '../incidents/incident-store';

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

/** Feedback photos: the file in the store, its name, type, size and hash on the incident's timeline. */
export class AttachmentStore {
  constructor(
    private readonly db: Db,
    private readonly incidents: IncidentStore,
  ) {}

  add(incidentId: string, name: string, mime: AttachmentMime, dataBase64: string, actor: string, at: number): { change: Change; attachment: Attachment } {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64) || dataBase64.length % 4 !== 0) {
      throw ContractError.validation('the file is not base64', [{ path: 'dataBase64', message: 'not base64' }]);
    }
    const data = Buffer.from(dataBase64, 'base64');
    if (!data.length) throw ContractError.validation('the file is empty', [{ path: 'dataBase64', message: 'empty file' }]);
    if (data.length > ATTACHMENT_MAX_BYTES) {
      throw ContractError.validation(`file over ${ATTACHMENT_MAX_BYTES} bytes`, [{ path: 'dataBase64', message: `file over ${ATTACHMENT_MAX_BYTES} bytes` }]);
    }
    const sniffed = sniffImage(data);
    if (sniffed !== mime) {
      throw ContractError.validation(`the file is not a ${mime} image`, [{ path: 'mime', message: 'content does not match the file type' }]);
    }
    return this.incidents.write(() => {
      const incident = this.db.prepare<[string], { rid: number; status: string; code: string }>('SELECT rid, status, code FROM incidents WHERE id = ?').get(incidentId);
      if (!incident) throw ContractError.notFound(`no incident with id ${incidentId}`);
      if (incident.status === 'closed') throw ContractError.conflict(`incident ${incident.code} is closed; attachments can no longer be added`);
      const id = uuidv7({ msecs: at });
      const sha256 = createHash('sha256').update(data).digest('hex');
      this.db
        .prepare('INSERT INTO attachments (id, incident_rid, name, mime, bytes, sha256, data, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, incident.rid, name, mime, data.length, sha256, data, actor, at);
      // The hash goes on the chained timeline: the photo cannot be swapped later unnoticed.
      const change = this.incidents.touch(incidentId, 'attachment_added', { attachmentId: id, name, mime, bytes: data.length, sha256 }, actor, at);
      return { change, attachment: toAttachment(this.db.prepare<[string], Row>(`${SELECT} WHERE a.id = ?`).get(id)!) };
    });
  }

  list(incidentId: string): Attachment[] {
    const incident = this.db.prepare<[string], { rid: number }>('SELECT rid FROM incidents WHERE id = ?').get(incidentId);
    if (!incident) throw ContractError.notFound(`no incident with id ${incidentId}`);
    // idx_attachments_incident
    return this.db.prepare<[number], Row>(`${SELECT} WHERE a.incident_rid = ? ORDER BY a.rid`).all(incident.rid).map(toAttachment);
  }

  get(id: string): { attachment: Attachment; dataBase64: string } {
    const row = this.db.prepare<[string], Row & { data: Buffer }>(`${SELECT.replace('a.at', 'a.at, a.data')} WHERE a.id = ?`).get(id);
    if (!row) throw ContractError.notFound(`no attachment with id ${id}`);
    return { attachment: toAttachment(row), dataBase64: row.data.toString('base64') };
  }
}
