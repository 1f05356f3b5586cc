import type { CosignAct, Permission, Role } from '../domain/people';
import { COSIGNED_MEDIATION_LEVELS, ROLE_PERMISSIONS } from '../domain/people';
import type { CommandName, EventName, ParsedInput } from './contract';
import type { JobKind } from './jobs';

/**
 * The permission matrix: every command of the contract → who may run it. One entry per command,
 * grouped by domain; `satisfies Record<CommandName, CommandRule>` makes the compiler fail when a
 * command is missing (or named here but not in the contract). Adding a command: add its line to its
 * domain's block below with `read(…)` or `write(…)` and the permission (shared/domain/people.ts).
 *
 * - `public`: before login (the login screen itself).
 * - `session`: any logged-in window, also when locked or when the password must be changed.
 * - `read(p)`: needs permission p; allowed while the window is idle-locked (the wall stays live).
 * - `write(p)`: needs p; refused while locked; recorded in the audit trail.
 * - `byInput`: a command whose input decides the permission (a transition's action).
 */
export type CommandRule =
  | { readonly access: 'public' }
  | { readonly access: 'session' }
  | {
      readonly access: 'permission';
      readonly permission: Permission;
      readonly write: boolean;
      /** Refines the permission from the validated input; must return one of `alsoNeeds`. */
      readonly byInput?: (input: never) => Permission;
      /** Every permission `byInput` may return (for the matrix table and the permission suite). */
      readonly alsoNeeds?: readonly Permission[];
    };

const PUBLIC = { access: 'public' } as const;
const SESSION = { access: 'session' } as const;
const read = (permission: Permission) => ({ access: 'permission', permission, write: false }) as const;
const write = (permission: Permission) => ({ access: 'permission', permission, write: true }) as const;
function byInput<N extends CommandName>(
  _name: N,
  base: Permission,
  alsoNeeds: readonly Permission[],
  pick: (input: ParsedInput<N>) => Permission,
): CommandRule {
  return { access: 'permission', permission: base, write: true, alsoNeeds, byInput: pick as (input: never) => Permission };
}

export const COMMAND_RULES = {
  // system
  'system.info': read('console.view'),
  'demo.seed': write('demo.manage'),
  'demo.decline': write('demo.manage'),
  'events.verify': read('audit.view'),
  'outbox.status': read('console.view'),
  // Logs and settings (secrets masked) for support: whoever manages the settings (admin, shift leader).
  'system.diagnostics': read('settings.manage'),
  // a damaged store (recovery.ts): the recovery screen comes before login (the staff table is in the
  // damaged file); restore is refused unless the store failed its check at start
  'recovery.status': PUBLIC,
  'recovery.restore': PUBLIC,
  'store.check': read('audit.view'),
  // backups (admin)
  'backup.settings': read('settings.manage'),
  'backup.updateSettings': write('settings.manage'),
  'backup.list': read('settings.manage'),
  'backup.create': write('settings.manage'),

  // analysis workspace and early warnings
  'analysis.dashboard': read('console.view'),
  // Only moves the operator's own windows (an event, nothing stored).
  'analysis.focus': read('console.view'),
  'warnings.list': read('console.view'),
  'warnings.settings': read('console.view'),
  'warnings.updateSettings': write('settings.manage'),
  'warnings.dismiss': write('warnings.handle'),
  'warnings.assign': write('warnings.handle'),
  'warnings.openCase': write('warnings.handle'),

  // jobs (long work off the serving loop): every window shows the bars; cancelling a job needs
  // the permission of the command that started it (JOB_PERMISSIONS, checked by the handler).
  'jobs.list': read('console.view'),
  'jobs.cancel': write('console.view'),

  // people (auth, staff, audit)
  'auth.status': PUBLIC,
  'auth.setup': PUBLIC,
  'auth.login': PUBLIC,
  'auth.resume': PUBLIC,
  'auth.logout': PUBLIC,
  'auth.lock': SESSION,
  'auth.unlock': SESSION,
  'auth.changePassword': SESSION,
  'staff.list': read('audit.view'),
  'staff.create': write('staff.manage'),
  'staff.update': write('staff.manage'),
  'staff.resetPassword': write('staff.manage'),
  'audit.list': read('audit.view'),
  'audit.exportCsv': read('audit.view'),

  // incidents
  'categories.list': read('console.view'),
  'incidents.list': read('console.view'),
  'incidents.summary': read('console.view'),
  'incidents.get': read('console.view'),
  'incidents.create': write('incidents.report'),
  'incidents.update': write('incidents.report'),
  'incidents.transition': byInput('incidents.transition', 'incidents.handle', ['incidents.assess'], ({ transition }) =>
    transition.action === 'assess' ? 'incidents.assess' : 'incidents.handle',
  ),
  'incidents.comment': write('incidents.comment'),

  // attachments
  'attachments.add': write('incidents.report'),
  'attachments.list': read('console.view'),
  'attachments.get': read('console.view'),

  // workflows, directory, supervision, statistics
  'units.list': read('console.view'),
  'units.create': write('units.manage'),
  'units.update': write('units.manage'),
  'units.delete': write('units.manage'),
  'units.importCsv': write('units.manage'),
  'units.exportCsv': read('console.view'),
  'workflows.settings': read('console.view'),
  'workflows.updateSettings': write('settings.manage'),
  'workflows.prepare': read('console.view'),
  'workflows.escalate': write('workflows.handle'),
  'workflows.step': write('workflows.handle'),
  'workflows.extendDeadline': write('workflows.handle'),
  'workflows.forIncident': read('console.view'),
  'workflows.revealPerson': write('persons.reveal'),
  'quarantine.board': read('console.view'),
  'workflows.summary': read('console.view'),
  'supervision.list': read('console.view'),
  'supervision.urge': write('workflows.handle'),
  'stats.query': read('console.view'),

  // map
  'basemap.coastline': read('console.view'),
  'basemap.list': read('console.view'),
  'basemap.add': write('map.manage'),
  'basemap.select': write('map.manage'),
  'basemap.remove': write('map.manage'),
  'basemap.tile': read('console.view'),
  'grids.list': read('console.view'),
  'grids.import': write('map.manage'),
  'grids.locate': read('console.view'),
  'grids.load': read('console.view'),
  'grids.card': read('console.view'),
  'map.incidents': read('console.view'),
  'map.clusters': read('console.view'),
  'map.export': read('console.view'),

  // cameras, video wall, alarms
  'cameras.list': read('console.view'),
  'cameras.add': write('cameras.manage'),
  'cameras.update': write('cameras.manage'),
  'cameras.remove': write('cameras.manage'),
  'cameras.health': read('console.view'),
  'cameras.discover': write('cameras.manage'),
  'video.endpoint': read('console.view'),
  'ptz.move': write('cameras.operate'),
  'ptz.stop': write('cameras.operate'),
  'ptz.presets': read('console.view'),
  'ptz.gotoPreset': write('cameras.operate'),
  'ptz.setPreset': write('cameras.manage'),
  'ptz.home': write('cameras.operate'),
  'alarms.list': read('console.view'),
  'alarms.acknowledge': write('cameras.operate'),
  'alarms.dismiss': write('cameras.operate'),
  'alarms.toIncident': write('incidents.report'),
  'cameras.snapshot': write('cameras.operate'),
  'cameras.snapshotToIncident': write('incidents.report'),
  'wall.get': read('console.view'),
  // The wall's layout is the window's own arrangement, not an operational action: allowed while locked too.
  'wall.save': read('console.view'),

  // city link (uplink)
  'uplink.status': read('console.view'),
  'uplink.config': read('settings.manage'),
  'uplink.configure': write('settings.manage'),
  'uplink.switch': write('settings.manage'),
  'uplink.log': read('console.view'),
  'directives.list': read('console.view'),
  'directives.sign': write('incidents.handle'),
} as const satisfies Record<CommandName, CommandRule>;

/**
 * Every event → the permission a window needs to receive it. Windows without a session get none.
 * Events carrying personal data name the permission that may see it.
 */
export const EVENT_RULES = {
  'store.corrupted': 'console.view',
  'incident.changed': 'console.view',
  'incidents.reloaded': 'console.view',
  'workflow.changed': 'console.view',
  'units.changed': 'console.view',
  'basemap.changed': 'console.view',
  'grids.changed': 'console.view',
  'cameras.changed': 'console.view',
  'cameras.health': 'console.view',
  // Alarms sound on a locked window too: the room must never go dark.
  'alarms.changed': 'console.view',
  'staff.changed': 'staff.manage',
  'uplink.status': 'console.view',
  'directives.changed': 'console.view',
  'uplink.logged': 'console.view',
  'analysis.changed': 'console.view',
  'analysis.focus': 'console.view',
  'warnings.changed': 'console.view',
  'job.progress': 'console.view',
} as const satisfies Record<EventName, Permission>;

/** Who may cancel a job: whoever may run the command that started it. */
export const JOB_PERMISSIONS = {
  'grids.import': 'map.manage',
  'events.verify': 'audit.view',
  'store.check': 'audit.view',
  'backup.create': 'settings.manage',
} as const satisfies Record<JobKind, Permission>;

export function commandRule(name: CommandName): CommandRule {
  return COMMAND_RULES[name];
}

/** The permission a command needs for this (validated) input; null for public and session-level commands. */
export function requiredPermission(name: CommandName, input: unknown): Permission | null {
  const rule: CommandRule = COMMAND_RULES[name];
  if (rule.access !== 'permission') return null;
  return rule.byInput ? rule.byInput(input as never) : rule.permission;
}

/** Whether a role may run a command at all (for any input): the permission suite's expectation. */
export function roleMayRun(role: Role, name: CommandName): 'public' | 'session' | 'all' | 'some' | 'none' {
  const rule: CommandRule = COMMAND_RULES[name];
  if (rule.access !== 'permission') return rule.access;
  const granted = ROLE_PERMISSIONS[role];
  const needs = [rule.permission, ...(rule.alsoNeeds ?? [])];
  const held = needs.filter((p) => granted.includes(p)).length;
  return held === needs.length ? 'all' : held > 0 ? 'some' : 'none';
}

/**
 * Co-sign (四眼原则) by command: the act a call needs a second person for, decided from its input.
 * The dispatcher refuses such a call without `cosign` (auth.cosign_required, params: act) before the
 * handler runs; the renderer shows the co-signer's fields from the same table. Acts the stored state
 * decides (an early release from quarantine, a mediation step up to county, a term past the
 * hard-case term) are asked for by the core where it knows (requireCosign in electron/core/contract).
 */
export const COSIGN_RULES: { readonly [N in CommandName]?: (input: ParsedInput<N>) => CosignAct | null } = {
  'incidents.transition': ({ transition }) =>
    transition.action === 'close' ? 'incident.close' : transition.action === 'assess' ? 'incident.assess' : null,
  'incidents.update': () => 'record.edit',
  'workflows.escalate': ({ escalation }) =>
    escalation.kind === 'mediation' && (COSIGNED_MEDIATION_LEVELS as readonly string[]).includes(escalation.level) ? 'mediation.county' : null,
  'workflows.revealPerson': () => 'person.reveal',
  'workflows.updateSettings': () => 'settings.change',
  'units.delete': () => 'record.delete',
  'uplink.configure': () => 'settings.change',
  'warnings.updateSettings': () => 'settings.change',
  'backup.updateSettings': () => 'settings.change',
};

/** The co-signed act of a call, from its (validated) input; null when it needs no second person. */
export function cosignFor(name: CommandName, input: unknown): CosignAct | null {
  const rule = COSIGN_RULES[name] as ((input: never) => CosignAct | null) | undefined;
  return rule ? rule(input as never) : null;
}
