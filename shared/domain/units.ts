import { z } from 'zod';
import { because } from '../contract/errors';
import { Id } from './incident';
import { Phone } from './personal-data';

/** Who the center works with: the directory the escalation sheet recommends from. */
export const UNIT_KINDS = [
  'police_station',
  'village_committee',
  'mediation_committee',
  'mediation_room',
  'lawyer',
  'counsellor',
  'quarantine_site',
  'grid_worker',
] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

export const UNIT_LIMITS = { name: 100, radio: 40, grid: 64, grids: 50, note: 500, capacity: 10_000, csvBytes: 1_000_000, csvRows: 5_000 } as const;

const GridCode = z.string().trim().min(1).max(UNIT_LIMITS.grid);

const UnitFields = z.object({
  kind: UnitKind,
  name: z.string().trim().min(1, { message: 'required' }).max(UNIT_LIMITS.name, { message: `at most ${UNIT_LIMITS.name} characters` }),
  phone: Phone.default(''),
  radioChannel: z.string().trim().max(UNIT_LIMITS.radio, { message: `at most ${UNIT_LIMITS.radio} characters` }).default(''),
  /** Grids the unit serves; empty means the whole town. */
  grids: z.array(GridCode).max(UNIT_LIMITS.grids).default([]),
  /** Beds of a quarantine site; null for every other kind. */
  capacity: z.number().int().min(1, { message: 'at least 1' }).max(UNIT_LIMITS.capacity).nullable().default(null),
  onDuty: z.boolean().default(true),
  note: z.string().trim().max(UNIT_LIMITS.note).default(''),
});

/** A site needs a capacity (the board checks it); nothing else may have one. */
function capacityRule(unit: { kind: UnitKind; capacity: number | null }, ctx: z.RefinementCtx): void {
  if (unit.kind === 'quarantine_site' && unit.capacity === null) {
    ctx.addIssue({ code: 'custom', path: ['capacity'], ...because('workflows.needs_capacity', 'a quarantine site needs its capacity') });
  }
  if (unit.kind !== 'quarantine_site' && unit.capacity !== null) {
    ctx.addIssue({ code: 'custom', path: ['capacity'], ...because('workflows.only_sites', 'only quarantine sites have a capacity') });
  }
}

export const UnitDraft = UnitFields.strict().superRefine(capacityRule);
export type UnitDraft = z.input<typeof UnitDraft>;

export const Unit = UnitFields.extend({
  id: Id,
  phone: z.string(),
  radioChannel: z.string(),
  grids: z.array(z.string()),
  capacity: z.number().int().nullable(),
  onDuty: z.boolean(),
  note: z.string(),
  version: z.number().int().positive(),
});
export type Unit = z.infer<typeof Unit>;

/** Which unit kinds each workflow's sheet recommends from. */
export const ESCALATION_UNIT_KIND = {
  police: 'police_station',
  mediation: 'mediation_committee',
  quarantine: 'quarantine_site',
} as const satisfies Record<string, UnitKind>;

/**
 * The recommended unit: on duty first, then one that serves the incident's grid (by name),
 * then one serving the whole town; ties broken by name so the choice is stable.
 */
export function recommendUnit<U extends Pick<Unit, 'id' | 'name' | 'grids' | 'onDuty'>>(units: readonly U[], gridId: string | null): U | null {
  const score = (u: U) => (u.onDuty ? 4 : 0) + (gridId && u.grids.includes(gridId) ? 2 : u.grids.length === 0 ? 1 : 0);
  return [...units].sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name, 'zh-CN'))[0] ?? null;
}

/** CSV columns of the directory, in order (export writes them, import expects them). */
export const UNIT_CSV_COLUMNS = ['kind', 'name', 'phone', 'radio_channel', 'grids', 'capacity', 'on_duty', 'note'] as const;
