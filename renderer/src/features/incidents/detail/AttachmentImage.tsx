import { useEffect, useState } from 'react';
import { Image, Modal, Skeleton, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { base64DataUrl } from '@shared';
import { useClient } from '../../../transport/ClientProvider';

/**
 * A picture on the incident's timeline (a feedback photo, a camera snapshot); click for full size.
 * A file that is missing or no longer matches its recorded hash is said so, never shown.
 */
export function AttachmentImage({ attachmentId, caption }: { attachmentId: string; caption: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [zoomed, setZoomed] = useState(false);

  useEffect(() => {
    let live = true;
    client.invoke('attachments.get', { id: attachmentId }).then(
      ({ attachment, dataBase64 }) => live && setSrc(base64DataUrl(attachment.mime, dataBase64)),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [client, attachmentId]);

  if (failed) return <Text size="xs" c="dimmed">{t('timeline.attachmentMissing', { name: caption })}</Text>;
  if (!src) return <Skeleton w={240} h={135} />;
  return (
    <>
      <Image src={src} alt={caption} w={240} radius="sm" className="tl-attachment" data-testid="timeline-attachment" onClick={() => setZoomed(true)} style={{ cursor: 'zoom-in' }} />
      <Text size="xs" c="dimmed">
        {caption}
      </Text>
      <Modal opened={zoomed} onClose={() => setZoomed(false)} size="auto" title={caption} centered>
        <Image src={src} alt={caption} mah="80vh" fit="contain" />
      </Modal>
    </>
  );
}
