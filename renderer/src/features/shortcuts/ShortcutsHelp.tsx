import { ActionIcon, Group, Kbd, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const SHORTCUTS: { keys: string[]; label: string }[] = [
  { keys: ['/'], label: 'shortcuts.search' },
  { keys: ['N'], label: 'shortcuts.newIncident' },
  { keys: ['↑', '↓'], label: 'shortcuts.move' },
  { keys: ['Enter'], label: 'shortcuts.open' },
  { keys: ['Esc'], label: 'shortcuts.close' },
  { keys: ['Ctrl', 'Enter'], label: 'shortcuts.comment' },
  { keys: ['P'], label: 'wf.shortcuts.police' },
  { keys: ['M'], label: 'wf.shortcuts.mediation' },
  { keys: ['Q'], label: 'wf.shortcuts.quarantine' },
  { keys: ['F'], label: 'map.shortcuts.fit' },
  { keys: ['M'], label: 'map.shortcuts.measure' },
];

/** A small "?" popover listing the keyboard shortcuts. */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-end" width={280}>
      <Popover.Target>
        <Tooltip label={t('shortcuts.title')}>
          <ActionIcon size={28} variant="subtle" color="gray" aria-label={t('shortcuts.title')} data-testid="shortcuts-help">
            <IconKeyboard size={17} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="sm">
        <Text size="xs" fw={600} c="dimmed" mb={8} tt="uppercase">
          {t('shortcuts.title')}
        </Text>
        <Stack gap={6}>
          {SHORTCUTS.map((s) => (
            <Group key={s.label} justify="space-between" wrap="nowrap">
              <Text size="xs">{t(s.label)}</Text>
              <Group gap={3} wrap="nowrap">
                {s.keys.map((k) => (
                  <Kbd key={k}>{k}</Kbd>
                ))}
              </Group>
            </Group>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
