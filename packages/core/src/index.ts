export { AnnealError, errorCodes, formatIssue, formatLocation, isAnnealError } from './errors.ts';
export type { ErrorCode, Issue, Location } from './errors.ts';
export { definePlugin, duration, pluginKinds } from './plugin.ts';
export type { JSONSchema, Plugin, PluginContext, PluginDefinition, PluginKind } from './plugin.ts';
export type { Phase, Schedule, ScheduleContext, ScheduleSpec, ScheduleUnit } from './schedule.ts';
