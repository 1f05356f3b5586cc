// The attachments room's door: what other rooms of the core may import from electron/core/attachments.
export { ATTACHMENTS_DIR, AttachmentStore } from './attachment-store';
