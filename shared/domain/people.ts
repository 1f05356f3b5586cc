import { z } from 'zod';
import type { EventType } from './incident';

/**
 * People on duty: the roles of a town duty room and what each may do. Data, not code: the core's
 * dispatcher and the renderer's buttons read the same tables (shared/contract/permissions.ts maps
 * every command and event to one of these permissions).
 */
export const ROLES = ['operator', 'analyst', 'shift_leader', 'town_leader', 'admin', 'drill_controller'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const PERMISSIONS = [
  /** Read the console: incidents, map, workflows (masked), statistics, cameras and the video wall. */
  'console.view',
  /** Report and edit incidents, comment, attach pictures, turn alarms into incidents. */
  'incidents.report',
  /** Comment on an incident (analysts and leaders add their judgement without running the loop). */
  'incidents.comment',
  /** Run the closed loop: dispatch, start, feedback, reject, close. */
  'incidents.handle',
  /** Assess a closed incident — never one's own work (OWN_WORK_EVENTS), and with a co-signer. */
  'incidents.assess',
  /** Co-sign (四眼原则): confirm another person's act (COSIGN_ACTS) with one's own credentials on their screen. */
  'cosign',
  /** Escalate to police, mediation or quarantine and run their steps; urge supervision. */
  'workflows.handle',
  /** See a person's full ID number and phone (each view is itself an event). */
  'persons.reveal',
  /** Acknowledge or dismiss alarms, PTZ, snapshots, save the wall's layout. */
  'cameras.operate',
  /** Register, edit, remove and discover cameras; set PTZ presets. */
  'cameras.manage',
  /** The directory of units. */
  'units.manage',
  /** Supervision terms and other workflow settings. */
  'settings.manage',
  /** Basemaps and grid imports. */
  'map.manage',
  /** Staff accounts: create, edit, disable, reset passwords. */
  'staff.manage',
  /** The audit view and the chain check. */
  'audit.view',
  /** Seed or decline the demo data set. */
  'demo.manage',
  /** Drill control (演练导调): inject drill incidents, run exercises. */
  'drill.control',
  /** Early warnings (研判): dismiss with a reason, assign, open a case from a warning. */
  'warnings.handle',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

/** Role → permissions. A person may hold several roles; they get the union. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // 值班员: the video-room operator runs the loop and the cameras, but neither assesses nor unmasks.
  operator: ['console.view', 'incidents.report', 'incidents.comment', 'incidents.handle', 'workflows.handle', 'cameras.operate'],
  // 研判员: analysis and judgement on the second monitor: reads, comments and handles early warnings, takes no operator action.
  analyst: ['console.view', 'incidents.comment', 'warnings.handle'],
  // 带班领导: everything the operator does, plus assessing, co-signing, unmasking, the directory and settings.
  shift_leader: [
    'console.view',
    'incidents.report',
    'incidents.comment',
    'incidents.handle',
    'incidents.assess',
    'cosign',
    'workflows.handle',
    'persons.reveal',
    'cameras.operate',
    'units.manage',
    'settings.manage',
    'audit.view',
    'warnings.handle',
  ],
  // 镇领导: reads, comments, assesses and co-signs; supervises through the audit view.
  town_leader: ['console.view', 'incidents.comment', 'incidents.assess', 'cosign', 'audit.view'],
  // 系统管理员: accounts, cameras, maps, settings and the demo; no operational action on incidents.
  admin: ['console.view', 'staff.manage', 'cameras.manage', 'map.manage', 'units.manage', 'settings.manage', 'audit.view', 'demo.manage'],
  // 演练导调: reads and drill control (drills build on this).
  drill_controller: ['console.view', 'drill.control'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role]) granted.add(permission);
  return granted;
}

/** Password rules: long enough, letters and digits, not the staff number. Shown beside the field. */
export const PASSWORD_POLICY = { minLength: 8, maxLength: 128 } as const;

export type PasswordProblem = 'too_short' | 'too_long' | 'needs_letter_and_digit' | 'contains_staff_no';

export function passwordProblem(password: string, staffNo: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_POLICY.minLength) return 'too_short';
  if ([...password].length > PASSWORD_POLICY.maxLength) return 'too_long';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'needs_letter_and_digit';
  if (staffNo.length >= 3 && password.toLowerCase().includes(staffNo.toLowerCase())) return 'contains_staff_no';
  return null;
}

/** Failed logins before an account locks, and for how long. */
export const LOCKOUT = { attempts: 5, minutes: 15 } as const;

export const StaffNo = z
  .string()
  .trim()
  .min(1, { message: 'required' })
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'letters, digits, - and _ only' });
export const StaffName = z.string().trim().min(1, { message: 'required' }).max(50);

export const Staff = z.object({
  id: z.string(),
  staffNo: z.string(),
  name: z.string(),
  phone: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  /** Locked after repeated failed logins until this time (epoch ms); null when not locked. */
  lockedUntil: z.number().int().nullable(),
  /** Demo staff: their passwords are shown on the login screen of a demo store. */
  demo: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Staff = z.infer<typeof Staff>;

/** Who acted: recorded on every stored event (the role is the one held at the time). */
export const Actor = z.object({ id: z.string(), name: z.string(), roles: z.array(Role) });
export type Actor = z.infer<typeof Actor>;

/**
 * Acts that need a second person (co-sign, 四眼原则): they confirm on the same screen with their own
 * staff number and password, must hold COSIGNER_PERMISSION and must not be the person acting; both
 * are recorded on the event (actor and cosigner) and in the audit trail. Which command asks for
 * which act: COSIGN_RULES in shared/contract/permissions.ts (from the input) and, where the stored
 * state decides (an early release, a mediation going to county), the core at that point.
 */
export const COSIGN_ACTS = [
  /** Closing the loop (办结). */
  'incident.close',
  /** The work assessment that ends it (考核). */
  'incident.assess',
  /** Releasing a person from quarantine before the end date. */
  'quarantine.early_release',
  /** Mediation handed to county (or city) level: the case leaves the island. */
  'mediation.county',
  /** Showing a full ID number and phone. */
  'person.reveal',
  /** A supervision term past the hard-case term (an approver used to be typed in). */
  'deadline.beyond_hard',
  /** Editing a case's recorded details. */
  'record.edit',
  /** Deleting a record (a unit of the directory). */
  'record.delete',
  /** Supervision terms, the city link's configuration. */
  'settings.change',
] as const;
export const CosignAct = z.enum(COSIGN_ACTS);
export type CosignAct = z.infer<typeof CosignAct>;

/** What a co-signer must hold: shift leaders and town leaders. */
export const COSIGNER_PERMISSION: Permission = 'cosign';

/** Mediation at these levels has left the island: escalating (or starting) there is co-signed. */
export const COSIGNED_MEDIATION_LEVELS = ['county', 'city'] as const;

/**
 * An incident's events that are somebody's own work on it: whoever acted in one may neither assess
 * the incident nor co-sign its assessment or its closure (nobody assesses or approves their own
 * work). Comments, urging, viewing personal data and co-signing are not work on the case.
 */
export const OWN_WORK_EVENTS = [
  'created',
  'updated',
  'dispatched',
  'started',
  'feedback_submitted',
  'feedback_rejected',
  'closed',
  'workflow_started',
  'workflow_step',
  'deadline_extended',
  'attachment_added',
  'directive_signed',
] as const satisfies readonly EventType[];

/** Whether a person (staff id) did work on an incident, from its timeline. */
export function didWorkOn(timeline: readonly { type: string; actorId?: string | null }[], staffId: string): boolean {
  return timeline.some((e) => e.actorId === staffId && (OWN_WORK_EVENTS as readonly string[]).includes(e.type));
}
