import { z } from 'zod'
import { EngineStatus } from './engine'
import { ImageBuildParams, ImageBuildResult, ImageStatus, TaskProgress } from './image'
import { SettingsPatch, SettingsView } from './settings'

/**
 * Every call that crosses a process boundary (preload IPC, the WebSocket bridge, the HTTP API, the CLI)
 * is one entry here: its parameters and its result. Adapters derive their types and validation from it.
 */
export const methods = {
  'engine.status': { params: z.object({}).strict(), result: EngineStatus },
  'settings.get': { params: z.object({}).strict(), result: SettingsView },
  'settings.update': { params: SettingsPatch, result: SettingsView },
  'image.status': { params: z.object({ base: z.string().min(1).max(255).optional() }).strict(), result: ImageStatus },
  /** Builds the core image if its tag is missing; progress arrives as `image.progress` events. */
  'image.build': { params: ImageBuildParams, result: ImageBuildResult }
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>

export type MethodName = keyof typeof methods
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export const MethodName = z.enum(Object.keys(methods) as [MethodName, ...MethodName[]])

/** Events a client can subscribe to, with their payloads. */
export const events = {
  'engine.status': EngineStatus,
  'image.progress': TaskProgress
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
