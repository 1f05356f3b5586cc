import { incidentCommands, incidentEvents } from './incidents';
import { systemCommands } from './system';
import { mapCommands, mapEvents } from './map';
import type { z } from 'zod';

export { IncidentFilter, incidentCommands, incidentEvents } from './incidents';
export { systemCommands } from './system';
export { BUILTIN_BASEMAP, BasemapInfo, MAP_CLUSTER, mapCommands, mapEvents } from './map';

/**
 * Every command the renderer may send to core: name → input schema, output schema, one module per
 * domain. The dispatcher validates inputs against these on every transport; unknown names are refused.
 */
export const commands = {
  ...systemCommands,
  ...incidentCommands,
  ...mapCommands,
} as const;

/** Everything core pushes to every open window. */
export const events = {
  ...incidentEvents,
  ...mapEvents,
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
