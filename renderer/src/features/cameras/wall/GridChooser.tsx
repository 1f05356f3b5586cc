import { useState } from 'react';
import { ActionIcon, Popover, Text, Tooltip } from '@mantine/core';
import { IconLayoutGrid } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { WALL_MAX_SIDE } from '@shared';

/** A rows × columns picker (up to 5×5), as a table picker: hover to size it, click to use it. */
export function GridChooser({ current, onPick }: { current: { rows: number; cols: number } | null; onPick(rows: number, cols: number): void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [hover, setHover] = useState<{ rows: number; cols: number } | null>(null);
  const shown = hover ?? current;
  const sides = Array.from({ length: WALL_MAX_SIDE }, (_, i) => i + 1);
  return (
    // returnFocus: after a pick the wall's keys (1 / 4 / 9 / 0) work at once, not from inside the closing popover.
    <Popover opened={opened} onChange={setOpened} position="bottom-start" withArrow shadow="md" returnFocus>
      <Popover.Target>
        <Tooltip label={t('cameras.wall.customGrid')} disabled={opened}>
          <ActionIcon variant={current ? 'light' : 'subtle'} color="gray" aria-label={t('cameras.wall.customGrid')} data-testid="wall-grid-chooser" onClick={() => setOpened((o) => !o)}>
            <IconLayoutGrid size={16} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Text size="xs" c="dimmed" mb={6}>
          {shown ? t('cameras.wall.gridSize', { rows: shown.rows, cols: shown.cols }) : t('cameras.wall.customGrid')}
        </Text>
        <div className="grid-chooser" onMouseLeave={() => setHover(null)}>
          {sides.map((row) =>
            sides.map((col) => {
              const on = shown !== null && row <= shown.rows && col <= shown.cols;
              return (
                <button
                  key={`${row}-${col}`}
                  type="button"
                  className={`grid-chooser-cell${on ? ' grid-chooser-cell--on' : ''}`}
                  aria-label={t('cameras.wall.gridSize', { rows: row, cols: col })}
                  data-testid={`grid-cell-${row}-${col}`}
                  onMouseEnter={() => setHover({ rows: row, cols: col })}
                  onFocus={() => setHover({ rows: row, cols: col })}
                  onClick={() => {
                    onPick(row, col);
                    setOpened(false);
                  }}
                />
              );
            }),
          )}
        </div>
      </Popover.Dropdown>
    </Popover>
  );
}
