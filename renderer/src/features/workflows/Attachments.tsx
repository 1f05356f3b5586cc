import { useEffect, useRef, useState } from 'react';
import { Button, Group, Image, Loader, Modal, Text, Tooltip } from '@mantine/core';
import { IconPhotoPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_MAX_BYTES, base64DataUrl, type Attachment, type Incident } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { formatDateTime } from '../incidents/common/format';
import { notifyWorkflowFailure, useWorkflowData } from './common';
import type { OwnCommand } from './StepModal';
import './workflows.css';

const MAX_SIDE = 1600;

/**
 * Re-encodes a photo as JPEG, at most 1600 px on its long side and under the size limit: it fits a
 * transport frame, and what a camera writes besides the pixels (GPS position, device) is dropped.
 */
async function toJpegBase64(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= ATTACHMENT_MAX_BYTES) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    }
  }
  return null;
}

/** Photos of the unit's result feedback and of the scene, each recorded (with its hash) on the timeline. */
export function Attachments({ incident, run }: { incident: Incident; run: OwnCommand }) {
  const { t } = useTranslation();
  const client = useClient();
  const [list, load] = useWorkflowData<Attachment[]>([], () => client.invoke('attachments.list', { incidentId: incident.id }), t, { key: `${incident.id}:${incident.version}` });
  const [images, setImages] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Attachment | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);


  // Thumbnails load once per attachment.
  useEffect(() => {
    for (const a of list) {
      if (images[a.id]) continue;
      client.invoke('attachments.get', { id: a.id }).then(
        ({ dataBase64 }) => setImages((m) => ({ ...m, [a.id]: base64DataUrl(a.mime, dataBase64) })),
        () => undefined,
      );
    }
  }, [client, list, images]);

  async function add(files: FileList) {
    setBusy(true);
    try {
      for (const file of Array.from(files)) {
        const data = await toJpegBase64(file).catch(() => null);
        if (!data) {
          notifyWorkflowFailure(new Error(t('wf.attachments.unreadable', { name: file.name })), t);
          continue;
        }
        const name = `${file.name.replace(/\.[^.]+$/, '') || 'photo'}.jpg`;
        await run(client.invoke('attachments.add', { incidentId: incident.id, name, mime: 'image/jpeg', dataBase64: data }));
      }
    } catch (error) {
      notifyWorkflowFailure(error, t);
    } finally {
      setBusy(false);
      void load();
    }
  }

  const open = incident.status !== 'closed';
  return (
    <div data-testid="attachments">
      <Group gap={8} align="flex-start">
        {list.map((a) => (
          <Tooltip key={a.id} label={`${a.name} · ${(a.bytes / 1024).toFixed(0)} KB · ${formatDateTime(a.at)} · ${a.actor}`}>
            <button type="button" className="attachment-thumb" onClick={() => setShown(a)} data-testid="attachment-thumb">
              {images[a.id] ? <img src={images[a.id]} alt={a.name} /> : <Loader size="xs" />}
            </button>
          </Tooltip>
        ))}
        {open && (
          <Button variant="default" size="xs" leftSection={<IconPhotoPlus size={14} />} loading={busy} onClick={() => inputRef.current?.click()} data-testid="attachment-add">
            {t('wf.attachments.add')}
          </Button>
        )}
        <input
          ref={inputRef}
          type="file"
          accept="image/*"
          multiple
          hidden
          data-testid="attachment-file"
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files?.length) void add(files);
            e.currentTarget.value = '';
          }}
        />
      </Group>
      {!list.length && !open && (
        <Text size="xs" c="dimmed">
          {t('wf.attachments.empty')}
        </Text>
      )}
      <Modal opened={shown !== null} onClose={() => setShown(null)} size="xl" title={shown?.name} classNames={{ title: 'modal-title', header: 'modal-header' }}>
        {shown && images[shown.id] && <Image src={images[shown.id]} alt={shown.name} fit="contain" mah="75vh" />}
        {shown && (
          <Text size="xs" c="dimmed" mt={6} className="mono">
            SHA-256 {shown.sha256}
          </Text>
        )}
      </Modal>
    </div>
  );
}
