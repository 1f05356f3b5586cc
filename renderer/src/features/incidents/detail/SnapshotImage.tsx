import { useEffect, useState } from 'react';
import { Image, Modal, Skeleton, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../../transport/ClientProvider';

/** A picture attached to an incident (kept by SHA-256 in the data directory); click for full size. */
export function SnapshotImage({ sha256, caption }: { sha256: string; caption: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [zoomed, setZoomed] = useState(false);

  useEffect(() => {
    let live = true;
    client.invoke('snapshots.get', { sha256 }).then(
      ({ mime, dataBase64 }) => live && setSrc(`data:${mime};base64,${dataBase64}`),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [client, sha256]);

  if (failed) return <Text size="xs" c="dimmed">{t('timeline.snapshotMissing')}</Text>;
  if (!src) return <Skeleton w={240} h={135} />;
  return (
    <>
      <Image src={src} alt={caption} w={240} radius="sm" className="tl-snapshot" data-testid="timeline-snapshot" onClick={() => setZoomed(true)} style={{ cursor: 'zoom-in' }} />
      <Text size="xs" c="dimmed">
        {caption}
      </Text>
      <Modal opened={zoomed} onClose={() => setZoomed(false)} size="auto" title={caption} centered>
        <Image src={src} alt={caption} mah="80vh" fit="contain" />
      </Modal>
    </>
  );
}
