import { attachmentCommands } from './attachments';
import { incidentCommands, incidentEvents } from './incidents';
import { systemCommands } from './system';
import { workflowCommands, workflowEvents } from './workflows';
import { mapCommands, mapEvents } from './map';
import { cameraCommands, cameraEvents } from './cameras';
import { analysisCommands, analysisEvents, warningCommands, warningEvents } from './analysis';
import { peopleCommands, peopleEvents } from './people';
import { jobCommands, jobEvents } from './jobs';
import { uplinkCommands, uplinkEvents } from './uplink';
import { backupCommands, recoveryCommands, recoveryEvents } from './recovery';
import type { z } from 'zod';

export { attachmentCommands } from './attachments';
export { IncidentFilter, incidentCommands, incidentEvents } from './incidents';
export { systemCommands } from './system';
export { BoardPerson, SupervisionItem, workflowCommands, workflowEvents, type Figure } from './workflows';
export { BUILTIN_BASEMAP, BasemapInfo, MAP_CLUSTER, mapCommands, mapEvents } from './map';
export { cameraCommands, cameraEvents } from './cameras';
export {
  ANALYSIS_SOURCES,
  AnalysisFilter,
  AnalysisGrain,
  DEFAULT_WARNING_SETTINGS,
  Dashboard,
  FocusFilter,
  KeyedFigure,
  WARNING_RULES,
  Warning,
  WarningCase,
  WarningRule,
  WarningSettings,
  analysisCommands,
  analysisEvents,
  warningCommands,
  warningEvents,
} from './analysis';
export { AuditFilter, Cosign, Session, peopleCommands, peopleEvents } from './people';
export { JOB_COMMANDS, JOB_KINDS, Job, JobKind, jobCommands, jobEvents } from './jobs';
export * from './uplink';
export { BackupEntry, BackupSettings, DEFAULT_BACKUP_SETTINGS, StoreCheck, backupCommands, recoveryCommands, recoveryEvents } from './recovery';

/**
 * Every command the renderer may send to core: name → input schema, output schema, one module per
 * domain. The dispatcher validates inputs against these on every transport; unknown names are refused.
 */
export const commands = {
  ...systemCommands,
  ...peopleCommands,
  ...incidentCommands,
  ...workflowCommands,
  ...attachmentCommands,
  ...mapCommands,
  ...cameraCommands,
  ...analysisCommands,
  ...warningCommands,
  ...jobCommands,
  ...uplinkCommands,
  ...recoveryCommands,
  ...backupCommands,
} as const;

/** Everything core pushes to every open window. */
export const events = {
  ...incidentEvents,
  ...workflowEvents,
  ...mapEvents,
  ...cameraEvents,
  ...analysisEvents,
  ...warningEvents,
  ...peopleEvents,
  ...jobEvents,
  ...uplinkEvents,
  ...recoveryEvents,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type ParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
