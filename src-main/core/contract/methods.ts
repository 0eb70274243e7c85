import { z } from 'zod'
import { BackgroundStatus } from './background'
import { editorMethods } from './editor'
import { EngineStatus } from './engine'
import { execMethods } from './exec'
import { fileMethods } from './files'
import { historyEvents, historyMethods } from './history'
import { resourceEvents, resourceMethods } from './resources'
import { ImageBuildParams, ImageBuildResult, ImageStatus, ImageStatusParams, TaskProgress } from './image'
import { SettingsPatch, SettingsView } from './settings'
import { syncEvents, syncMethods } from './sync-methods'
import { terminalEvents, terminalMethods } from './terminal'
import { TemplateAddArchiveParams, TemplateAddParams, TemplateAddResult, TemplateDetail, TemplateId, TemplateRemoveResult, TemplateSummary } from './template'
import { AppLogLine, CreateProgress, CreateWorkspaceParams, PoolStatus, UpdateWorkspaceParams, Workspace, WorkspaceName } from './workspace'

/**
 * Every call that crosses a process boundary (preload IPC, the WebSocket bridge, the HTTP API, the CLI)
 * is one entry here: its parameters and its result. Adapters derive their types and validation from it.
 */
export const methods = {
  'engine.status': { params: z.object({}).strict(), result: EngineStatus },
  'settings.get': { params: z.object({}).strict(), result: SettingsView },
  'settings.update': { params: SettingsPatch, result: SettingsView },
  'image.status': { params: ImageStatusParams, result: ImageStatus },
  /** Builds the core image if its tag is missing; progress arrives as `image.progress` events. */
  'image.build': { params: ImageBuildParams, result: ImageBuildResult },
  /** Template → running workspace; phases arrive as `workspaces.progress` events. */
  'workspaces.create': { params: CreateWorkspaceParams, result: Workspace },
  'workspaces.list': { params: z.object({}).strict(), result: z.array(Workspace) },
  'workspaces.get': { params: z.object({ name: WorkspaceName }).strict(), result: Workspace },
  'workspaces.start': { params: z.object({ name: WorkspaceName }).strict(), result: Workspace },
  'workspaces.stop': { params: z.object({ name: WorkspaceName }).strict(), result: Workspace },
  'workspaces.restart': { params: z.object({ name: WorkspaceName }).strict(), result: Workspace },
  /** Changes a made workspace's own settings (its idle stop); it applies at once, a running workspace's next idle check included. */
  'workspaces.update': { params: UpdateWorkspaceParams, result: Workspace },
  /** `purge` also drops its monitoring history (kept by default, for `sandlot logs` and the window). */
  'workspaces.remove': { params: z.object({ name: WorkspaceName, force: z.boolean().optional(), purge: z.boolean().optional() }).strict(), result: z.object({ name: z.string(), removed: z.literal(true) }) },
  /** The in-container monitor's answer to `monitor-cli process <action> --json`. */
  'workspaces.process': {
    params: z
      .object({
        name: WorkspaceName,
        action: z.enum(['status', 'start', 'stop', 'restart']),
        /** start only: this shell command line instead of the template's start command (kept by the monitor for restarts). */
        command: z.string().min(1).max(4096).optional()
      })
      .strict()
      .refine((p) => p.command === undefined || p.action === 'start', 'a command goes with start only'),
    result: z.record(z.string(), z.unknown())
  },
  /** The last lines the app printed (the monitor keeps 2,000), oldest first. */
  'workspaces.logs': {
    params: z.object({ name: WorkspaceName, lines: z.number().int().min(1).max(2000).optional() }).strict(),
    result: z.object({ lines: z.array(AppLogLine) })
  },
  /** `/app` without node_modules, with its run settings, as a .tar.gz at a path on the host; an existing file only with replace. */
  'workspaces.save': {
    params: z.object({ name: WorkspaceName, file: z.string().min(1).max(4096), replace: z.boolean().optional() }).strict(),
    result: z.object({ name: z.string(), file: z.string(), files: z.number().int(), bytes: z.number().int() })
  },
  /** A new workspace from a saved archive; phases arrive as `workspaces.progress` events. */
  'workspaces.restore': { params: z.object({ file: z.string().min(1).max(4096), name: WorkspaceName.optional() }).strict(), result: Workspace },
  'pool.status': { params: z.object({}).strict(), result: PoolStatus },
  'pool.fill': { params: z.object({}).strict(), result: PoolStatus },
  /** The core image and the pool as background work sees them (long-lived processes); changes arrive as `system.background` events. */
  'system.background': { params: z.object({}).strict(), result: BackgroundStatus },
  'templates.list': { params: z.object({}).strict(), result: z.array(TemplateSummary) },
  'templates.show': { params: z.object({ id: TemplateId }).strict(), result: TemplateDetail },
  /** Copies a host folder in as a user template, after checking all of it; nothing is installed on failure. */
  'templates.add': { params: TemplateAddParams, result: TemplateAddResult },
  /** The same from an archive: every entry checked as a template's (no links out, no devices or hard links, the size limits), extracted to a private folder, then added. */
  'templates.addArchive': { params: TemplateAddArchiveParams, result: TemplateAddResult },
  'templates.remove': { params: z.object({ id: TemplateId }).strict(), result: TemplateRemoveResult },
  ...terminalMethods,
  ...historyMethods,
  ...resourceMethods,
  ...execMethods,
  ...fileMethods,
  ...editorMethods,
  ...syncMethods
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>

/**
 * Methods that open a stream for the calling client (over the WebSocket or IPC, or an adapter's own stream such as
 * the REST API's Server-Sent Events; never a plain call).
 */
export const streamMethods = ['terminals.attach', 'workspaces.execStream'] as const
export type StreamMethodName = (typeof streamMethods)[number]

export type MethodName = keyof typeof methods
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export const MethodName = z.enum(Object.keys(methods) as [MethodName, ...MethodName[]])

/** Events a client can subscribe to, with their payloads. */
export const events = {
  'engine.status': EngineStatus,
  /** The settings after a change made through the core (settings.update), for every open window. */
  'settings.changed': SettingsView,
  'image.progress': TaskProgress,
  'workspaces.progress': CreateProgress,
  'system.background': BackgroundStatus,
  ...terminalEvents,
  ...historyEvents,
  ...resourceEvents,
  ...syncEvents
} as const satisfies Record<string, z.ZodType>

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
export const EventName = z.enum(Object.keys(events) as [EventName, ...EventName[]])

/** Flow control for byte streams (terminals, logs): the consumer acknowledges what it has processed. */
export const streamFlow = {
  /** The producer pauses when this many bytes are sent but not acknowledged ... */
  highWatermark: 100_000,
  /** ... and resumes when fewer than this many remain unacknowledged. */
  lowWatermark: 5_000,
  /** The consumer acknowledges after processing about this many bytes. */
  ackEvery: 5_000
} as const
