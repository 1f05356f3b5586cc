import { createPortal } from 'react-dom';
import { Button, Group, Modal, Table, Text } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Incident, UnitRef, WorkflowKind } from '@shared';
import { formatDateTime } from '../incidents/common/format';
import { useSession } from '../people/session';
import './workflows.css';

export interface SlipData {
  kind: WorkflowKind;
  incident: Pick<Incident, 'code' | 'title' | 'location' | 'gridId' | 'occurredAt'>;
  unit: UnitRef;
  ask: string;
  deadline: number | null;
  issuedAt: number;
}

/**
 * The dispatch slip: what the officer hands over or reads out when the network is down. Printing
 * uses the page's print stylesheet (only `.print-slip` is visible on paper), so the browser's or
 * Electron's "save as PDF" produces it offline.
 */
export function DispatchSlip({ slip, onClose }: { slip: SlipData | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={slip !== null} onClose={onClose} size={620} title={t('wf.slip.title')} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {slip && (
        <>
          <div className="slip-preview" data-testid="dispatch-slip">
            <SlipBody slip={slip} />
          </div>
          <Group justify="flex-end" mt="md" gap="xs">
            <Button variant="default" onClick={onClose} data-testid="slip-close">
              {t('wf.slip.close')}
            </Button>
            <Button leftSection={<IconPrinter size={15} />} onClick={() => window.print()} data-testid="slip-print" autoFocus>
              {t('wf.slip.print')}
            </Button>
          </Group>
          {createPortal(
            <div className="print-slip" aria-hidden>
              <SlipBody slip={slip} />
            </div>,
            document.body,
          )}
        </>
      )}
    </Modal>
  );
}

function SlipBody({ slip }: { slip: SlipData }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const place = [
    slip.incident.location ? `${slip.incident.location.lon.toFixed(5)}, ${slip.incident.location.lat.toFixed(5)}` : null,
    slip.incident.gridId,
  ]
    .filter(Boolean)
    .join(' · ');
  const rows: [string, string][] = [
    [t('wf.slip.code'), slip.incident.code],
    [t('wf.slip.incident'), slip.incident.title],
    [t('wf.slip.place'), place || t('wf.slip.noPlace')],
    [t('wf.slip.time'), formatDateTime(slip.incident.occurredAt)],
    [t('wf.slip.unit'), `${t(`wf.kind.${slip.kind}`)} · ${slip.unit.name}`],
    [t('wf.slip.contact'), [slip.unit.phone, slip.unit.radioChannel].filter(Boolean).join(' / ') || '—'],
    [t('wf.slip.ask'), slip.ask || '—'],
    [t('wf.slip.deadline'), slip.deadline ? formatDateTime(slip.deadline) : '—'],
    [t('wf.slip.issued'), formatDateTime(slip.issuedAt)],
    [t('wf.slip.issuer'), session.staff.name],
  ];
  return (
    <div className="slip-body">
      <Text className="slip-org">{t('app.org')}</Text>
      <Text className="slip-title">{t('wf.slip.title')}</Text>
      <Table withTableBorder withColumnBorders className="slip-table">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={120}>{label}</Table.Th>
              <Table.Td data-testid={`slip-${label}`}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text className="slip-sign">{t('wf.slip.signature')}</Text>
    </div>
  );
}
