import { z } from 'zod';
import { IncidentStatus, EpochMs } from '../domain/incident';
import { command } from './command';

/** Sources an analyst can filter by: every source but drills, which never reach analysis. */
export const ANALYSIS_SOURCES = ['camera_alarm', 'grid_report', 'phone', 'walk_in_petition', 'city_directive'] as const;
export const AnalysisSource = z.enum(ANALYSIS_SOURCES);

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'not a date (YYYY-MM-DD)' });
const Key = z.string().max(100);

/** The workspace's filters: empty lists mean "all". */
export const AnalysisFilter = z
  .object({
    grids: z.array(Key).max(200).default([]),
    categories: z.array(Key).max(50).default([]),
    sources: z.array(AnalysisSource).max(ANALYSIS_SOURCES.length).default([]),
    /** The responsible unit or grid worker (the incident's assignee). */
    units: z.array(Key).max(100).default([]),
  })
  .strict();
export type AnalysisFilter = z.input<typeof AnalysisFilter>;

export const AnalysisGrain = z.enum(['day', 'week', 'month']);
export type AnalysisGrain = z.infer<typeof AnalysisGrain>;

const Count = z.number().int();
const Rate = z.number().nullable();

export const KeyedFigure = z.object({ key: z.string(), reported: Count, closed: Count });
export type KeyedFigure = z.infer<typeof KeyedFigure>;

export const Dashboard = z.object({
  now: Count,
  from: Day,
  to: Day,
  /** The period of the same length just before, for "vs previous period". */
  previousFrom: Day,
  previousTo: Day,
  kpis: z.object({
    /** Shanghai calendar day of `now`. */
    newToday: Count,
    closedToday: Count,
    open: Count,
    overdue: Count,
    /** In the period: closed by the deadline / closed. */
    onTimeRate: Rate,
    /** Mean assessment score (1–5) of the incidents closed in the period. */
    satisfaction: Rate,
    /** Mediations closed in the period with an agreement / mediations closed. */
    mediationSuccessRate: Rate,
    quarantineOccupied: Count,
    quarantineCapacity: Count,
    reported: Count,
    closed: Count,
    previousReported: Count,
    previousClosed: Count,
  }),
  trend: z.object({
    grain: AnalysisGrain,
    /** Bucket labels of the current period (YYYY-MM-DD of the bucket's first day, or YYYY-MM). */
    labels: z.array(z.string()),
    current: z.array(Count),
    /** The previous period, bucket i aligned with the current bucket i. */
    previous: z.array(Count),
  }),
  byGrid: z.array(KeyedFigure.extend({ open: Count })),
  byCategory: z.array(KeyedFigure),
  bySource: z.array(KeyedFigure),
  byUnit: z.array(KeyedFigure),
  /** Reported per weekday (0 = Monday) × hour (0–23), Shanghai time of occurrence. */
  heat: z.array(z.array(Count)),
  /** Mediations created in the period: how many reached each level, and how each ended there. */
  mediationFunnel: z.array(z.object({ level: z.string(), reached: Count, settled: Count, referred: Count })),
  police: z.object({
    dispatched: Count,
    ackP50: Rate,
    ackP90: Rate,
    arriveP50: Rate,
    arriveP90: Rate,
  }),
  /** Alarms per camera raised in the period (bursts and the events in them). */
  cameraAlarms: z.array(z.object({ cameraId: z.string(), name: z.string(), bursts: Count, events: Count })),
  overdueByUnit: z.array(z.object({ key: z.string(), overdue: Count })),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** What an analysis click asks the operator windows to show in their incident list and map. */
export const FocusFilter = z
  .object({
    grids: z.array(Key).max(200).default([]),
    categories: z.array(Key).max(50).default([]),
    sources: z.array(AnalysisSource).max(ANALYSIS_SOURCES.length).default([]),
    statuses: z.array(IncidentStatus).max(10).default([]),
    overdueOnly: z.boolean().default(false),
    from: EpochMs.optional(),
    to: EpochMs.optional(),
  })
  .strict();
export type FocusFilter = z.input<typeof FocusFilter>;

export const analysisCommands = {
  'analysis.dashboard': command(
    z
      .object({
        from: Day,
        to: Day,
        grain: AnalysisGrain.default('day'),
        filter: AnalysisFilter.default({ grids: [], categories: [], sources: [], units: [] }),
      })
      .strict(),
    Dashboard,
  ),
  /** Publishes `analysis.focus`: the operator windows filter their list and map by it. */
  'analysis.focus': command(z.object({ filter: FocusFilter, label: z.string().max(200).default('') }).strict(), z.object({})),
} as const;

export const analysisEvents = {
  /** Figures changed (coalesced: at most one per 100 ms); the workspace re-reads its aggregates. */
  'analysis.changed': z.object({ at: Count }),
  'analysis.focus': z.object({ filter: FocusFilter, label: z.string() }),
} as const;
