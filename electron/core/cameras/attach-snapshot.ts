import type { Change } from '../incidents/incident-store';
import type { CoreContext } from '../context';
import type { SnapshotMime } from './snapshots';

/** A picture already kept in the data directory (`<data>/snapshots/<sha256>`). */
export interface KeptPicture {
  sha256: string;
  mime: SnapshotMime;
  bytes: number;
}

/**
 * The one path by which a camera picture becomes part of an incident: today an `attachment_added`
 * event on its timeline. Every caller (a tile's snapshot, an alarm's frame) goes through here, so
 * when attachments are unified with the workflows' attachment mechanism this is the one function
 * to re-point. The caller publishes the change.
 */
export function attachSnapshot(ctx: CoreContext, incidentId: string, picture: KeptPicture, caption: string, actor: string): Change {
  return ctx.incidents.attach(incidentId, { sha256: picture.sha256, mime: picture.mime, bytes: picture.bytes, caption }, actor);
}
