import { useCallback, useEffect, useState } from 'react';
import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Job } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { notifyFailure } from '../../app/errors';
import './jobs.css';

/** How long a finished job's bar stays (full, or marked cancelled) before it goes. */
const LINGER_MS = 1500;

/**
 * Long work running in core (`job.progress`): one bar per job with what it is doing and a cancel
 * button, bottom left above the status bar, in every window.
 */
export function JobsPanel() {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const [jobs, setJobs] = useState<ReadonlyMap<string, Job>>(new Map());
  const [asked, setAsked] = useState<ReadonlySet<string>>(new Set());

  const put = useCallback((job: Job) => {
    setJobs((current) => new Map(current).set(job.id, job));
    if (job.state !== 'running') {
      setTimeout(() => {
        setJobs((current) => {
          const next = new Map(current);
          next.delete(job.id);
          return next;
        });
      }, LINGER_MS);
    }
  }, []);

  useCoreEvent('job.progress', put);

  // A window opened (or reconnected) mid-job shows the jobs already running.
  useEffect(() => {
    if (epoch === 0) return;
    client.invoke('jobs.list', {}).then(
      ({ jobs: running }) => setJobs(new Map(running.map((job) => [job.id, job]))),
      () => undefined,
    );
  }, [client, epoch]);

  const cancel = async (id: string) => {
    setAsked((current) => new Set(current).add(id));
    try {
      await client.invoke('jobs.cancel', { id });
    } catch (error) {
      notifyFailure(error, t);
    }
  };

  if (!jobs.size) return null;
  return (
    <Stack gap={6} className="jobs-panel" data-testid="jobs-panel" aria-live="polite">
      {[...jobs.values()].map((job) => {
        const fraction = job.total ? Math.min(1, job.done / job.total) : null;
        const cancelling = asked.has(job.id) && job.state === 'running';
        return (
          <Paper key={job.id} className="jobs-item" p="xs" withBorder data-testid="job" data-kind={job.kind} data-state={job.state}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="xs" fw={600} truncate>
                {t(`jobs.kind.${job.kind}`)}
              </Text>
              {job.state === 'running' && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  disabled={!job.cancellable || cancelling}
                  onClick={() => void cancel(job.id)}
                  data-testid="job-cancel"
                >
                  {cancelling ? t('jobs.cancelling') : job.cancellable ? t('jobs.cancel') : t('jobs.committing')}
                </Button>
              )}
            </Group>
            <Progress
              size="sm"
              mt={4}
              value={job.state === 'done' ? 100 : fraction === null ? 100 : fraction * 100}
              animated={job.state === 'running' && fraction === null}
              striped={job.state === 'running' && fraction === null}
              color={job.state === 'failed' ? 'red' : job.state === 'cancelled' ? 'gray' : 'teal'}
            />
            <Group justify="space-between" gap="xs" mt={2}>
              <Text size="xs" c="dimmed">
                {job.state === 'running' ? t(`jobs.phase.${job.phase}`, { defaultValue: job.phase }) : t(`jobs.state.${job.state}`)}
              </Text>
              {job.total !== null && job.state === 'running' && (
                <Text size="xs" c="dimmed">
                  {t('jobs.of', { done: job.done.toLocaleString(), total: job.total.toLocaleString() })}
                </Text>
              )}
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
