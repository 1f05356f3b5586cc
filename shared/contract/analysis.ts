import { z } from 'zod';
import { IncidentStatus, EpochMs } from '../domain/incident';
import { command } from './command';
import { Cosign } from './people';

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

// ── Early warning (预警研判) ─────────────────────────────────────────────────────────────────────

export const WARNING_RULES = ['repeat_place', 'repeat_person', 'repeat_petitioner', 'category_spike', 'overdue_pile'] as const;
export const WarningRule = z.enum(WARNING_RULES);
export type WarningRule = z.infer<typeof WarningRule>;

/** Thresholds of the rules; editable by the analysts. */
export const WarningSettings = z
  .object({
    /** Repeat place: at least `placeCount` incidents within `placeRadiusM` metres in `placeDays` days. */
    placeCount: z.number().int().min(2).max(50),
    placeRadiusM: z.number().int().min(10).max(5000),
    placeDays: z.number().int().min(1).max(365),
    /** Repeat person: the same phone or ID number in at least `personCases` incidents within `personDays` days. */
    personCases: z.number().int().min(2).max(50),
    personDays: z.number().int().min(1).max(3650),
    /** Repeat petitioner: the same petitioner in at least `petitionCount` petitions within `petitionDays` days. */
    petitionCount: z.number().int().min(2).max(50),
    petitionDays: z.number().int().min(1).max(3650),
    /**
     * Category spike in a grid: this week's count x against the grid's own 8 previous weeks (mean μ):
     * fires when x ≥ spikeMinCount and z = (x − μ) / √max(μ, 1) ≥ spikeZ (a Poisson z-score).
     */
    spikeMinCount: z.number().int().min(1).max(1000),
    spikeZ: z.number().min(1).max(20),
    /** Overdue piling: at least `overdueCount` open incidents past their deadline at one unit. */
    overdueCount: z.number().int().min(2).max(1000),
  })
  .strict();
export type WarningSettings = z.infer<typeof WarningSettings>;

export const DEFAULT_WARNING_SETTINGS: WarningSettings = {
  placeCount: 4,
  placeRadiusM: 100,
  placeDays: 30,
  personCases: 2,
  personDays: 365,
  petitionCount: 3,
  petitionDays: 90,
  spikeMinCount: 5,
  spikeZ: 4,
  overdueCount: 5,
};

export const WarningCase = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  category: z.string(),
  occurredAt: Count,
  status: IncidentStatus,
  location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  gridId: z.string().nullable(),
});
export type WarningCase = z.infer<typeof WarningCase>;

export const Warning = z.object({
  id: z.string(),
  rule: WarningRule,
  /** Stable identity of the pattern (rule + anchor), so a dismissal sticks while the pattern lasts. */
  key: z.string(),
  status: z.enum(['open', 'dismissed', 'opened_case']),
  /** Parameters of the finding for the sentence the UI shows (grid, category, count, masked phone…). */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  cases: z.array(WarningCase),
  /** Category spike: weekly counts of the 8 baseline weeks, then this week. */
  baseline: z.array(Count).nullable(),
  firstSeenAt: Count,
  updatedAt: Count,
  assignee: z.string().nullable(),
  dismissReason: z.string().nullable(),
  caseId: z.string().nullable(),
  actor: z.string().nullable(),
});
export type Warning = z.infer<typeof Warning>;

export const warningCommands = {
  /** Evaluates the rules now and lists the warnings (open first). */
  'warnings.list': command(z.object({ includeClosed: z.boolean().default(false) }).strict(), z.object({ warnings: z.array(Warning), now: Count })),
  'warnings.settings': command(z.object({}).strict(), WarningSettings),
  'warnings.updateSettings': command(z.object({ settings: WarningSettings, cosign: Cosign.optional() }).strict(), WarningSettings),
  'warnings.dismiss': command(z.object({ id: z.string().max(64), reason: z.string().trim().min(1, { message: 'required' }).max(500) }).strict(), Warning),
  'warnings.assign': command(z.object({ id: z.string().max(64), assignee: z.string().trim().min(1, { message: 'required' }).max(100) }).strict(), Warning),
  /** Opens an incident for the warning (its cases and finding in the description) and links it. */
  'warnings.openCase': command(z.object({ id: z.string().max(64) }).strict(), z.object({ warning: Warning, incidentId: z.string() })),
} as const;

export const warningEvents = {
  /** The set of open warnings changed; `fresh` counts the ones new since the last evaluation (the operator's inbox rings for them). */
  'warnings.changed': z.object({ open: Count, fresh: Count }),
} as const;
