// The Docker engine connection: where the engine is, whether it answers, and its events.
export { resolveEngineEndpoint, type ResolveEngineEndpointInput } from './endpoint'
export { toDockerodeOptions, type DockerodeOptions } from './dockerode-options'
export { describeEngineError, isTransportError, START_ENGINE_HINT, type EngineProblem } from './engine-problem'
export { unlessMissing } from './engine-missing'
export {
  EngineConnection,
  type EngineCheckResult,
  type EngineConnectionOptions,
  type EngineStatusListener
} from './engine-connection'
export {
  followEngineEvents,
  type EngineEventSubscription,
  type EventsConnection,
  type FollowEngineEventsOptions
} from './docker-events'
export { DEFAULT_BACKOFF, type Backoff } from './backoff'
export { systemClock, type Clock } from './clock'
