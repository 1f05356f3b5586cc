import { useState } from 'react';
import { ActionIcon, Button, Group, Menu, TextInput, Tooltip } from '@mantine/core';
import {
  IconBookmark,
  IconChevronDown,
  IconChevronLeft,
  IconChevronRight,
  IconChevronUp,
  IconHome,
  IconZoomIn,
  IconZoomOut,
  type Icon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { PtzPreset } from '@shared';
import { notifyCameraFailure } from '../errors';
import { useClient } from '../../../transport/ClientProvider';
import { usePtz, type PtzDirection } from './ptz';

const BUTTONS: Array<{ direction: PtzDirection; icon: Icon; area: string }> = [
  { direction: 'up', icon: IconChevronUp, area: 'up' },
  { direction: 'left', icon: IconChevronLeft, area: 'left' },
  { direction: 'right', icon: IconChevronRight, area: 'right' },
  { direction: 'down', icon: IconChevronDown, area: 'down' },
  { direction: 'zoomIn', icon: IconZoomIn, area: 'zin' },
  { direction: 'zoomOut', icon: IconZoomOut, area: 'zout' },
];

/** On-tile PTZ: hold an arrow to move, release to stop; home and presets. */
export function PtzControls({ cameraId }: { cameraId: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const { start, stop } = usePtz(cameraId);
  const [presets, setPresets] = useState<PtzPreset[] | null>(null);
  const [presetName, setPresetName] = useState('');
  const [presetError, setPresetError] = useState<string | null>(null);

  const loadPresets = () =>
    client.invoke('ptz.presets', { cameraId }).then(({ presets }) => setPresets(presets), (error: unknown) => notifyCameraFailure(error, t));

  const savePreset = async () => {
    if (!presetName.trim()) return setPresetError(t('validation.required'));
    try {
      await client.invoke('ptz.setPreset', { cameraId, name: presetName });
      setPresetName('');
      setPresetError(null);
      await loadPresets();
    } catch (error) {
      notifyCameraFailure(error, t);
    }
  };

  // Clicks on the controls must not select the tile or open single view.
  const swallow = (event: React.SyntheticEvent) => event.stopPropagation();

  return (
    <div className="ptz" onClick={swallow} onDoubleClick={swallow} data-testid="ptz">
      <div className="ptz-pad">
        {BUTTONS.map(({ direction, icon: IconComponent, area }) => (
          <ActionIcon
            key={direction}
            size="sm"
            variant="filled"
            color="dark"
            style={{ gridArea: area }}
            aria-label={t(`cameras.ptz.${direction}`)}
            data-testid={`ptz-${direction}`}
            onPointerDown={(event) => {
              event.currentTarget.setPointerCapture(event.pointerId);
              start(direction);
            }}
            onPointerUp={stop}
            onPointerCancel={stop}
            onLostPointerCapture={stop}
          >
            <IconComponent size={14} />
          </ActionIcon>
        ))}
      </div>
      <Group gap={4} mt={4} justify="center">
        <Tooltip label={t('cameras.ptz.home')}>
          <ActionIcon size="sm" variant="filled" color="dark" aria-label={t('cameras.ptz.home')} data-testid="ptz-home" onClick={() => client.invoke('ptz.home', { cameraId }).catch((error: unknown) => notifyCameraFailure(error, t))}>
            <IconHome size={14} />
          </ActionIcon>
        </Tooltip>
        <Menu position="left-end" withinPortal closeOnItemClick onOpen={loadPresets} width={220}>
          <Menu.Target>
            <ActionIcon size="sm" variant="filled" color="dark" aria-label={t('cameras.ptz.presets')} data-testid="ptz-presets">
              <IconBookmark size={14} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown onClick={swallow}>
            <Menu.Label>{t('cameras.ptz.presets')}</Menu.Label>
            {presets?.map((preset) => (
              <Menu.Item key={preset.token} onClick={() => client.invoke('ptz.gotoPreset', { cameraId, preset: preset.token }).catch((error: unknown) => notifyCameraFailure(error, t))}>
                {preset.name}
              </Menu.Item>
            ))}
            <Menu.Divider />
            <Group gap={4} p={4} wrap="nowrap" onKeyDown={(event) => event.stopPropagation()}>
              <TextInput size="xs" placeholder={t('cameras.ptz.presetName')} value={presetName} onChange={(e) => setPresetName(e.currentTarget.value)} error={presetError} maxLength={64} />
              <Button size="xs" variant="light" onClick={savePreset}>
                {t('cameras.ptz.savePreset')}
              </Button>
            </Group>
          </Menu.Dropdown>
        </Menu>
      </Group>
    </div>
  );
}
