import type { Duplex } from 'node:stream'
import type Dockerode from 'dockerode'
import type { AppStatus, CreateWorkspaceParams, CreateSource, EngineEndpoint, TemplateManifest } from '../contract'
import type { SandlotDb } from '../store/database'
import type { AppWait } from './app-readiness'
import type { DependencySnapshots } from './dependency-snapshots'
import type { WorkspacePool } from './workspace-pool'

export interface InteractiveShell {
  stream: Duplex
  exit: Promise<number>
  resize(cols: number, rows: number): void
}

/** What a workspace needs of a template: its run settings, and its files as a tar for /app. */
export interface WorkspaceTemplate {
  manifest: TemplateManifest
  pack(): Promise<NodeJS.ReadableStream>
  /** Frees what the files are read from (a temporary checkout) once no pack is needed any more. */
  dispose?(): void
  /** A host folder bind-mounted at /app instead of the packed files (`create --folder --mount`). */
  mount?: string
}

/** What `create` is given: one source (see CreateWorkspaceParams) and the overrides of its settings. */
export type CreateRequest = Omit<CreateWorkspaceParams, 'requestId'>

export interface WorkspaceDeps {
  db: SandlotDb
  pool: WorkspacePool
  snapshots: DependencySnapshots
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  template: (id: string) => Promise<WorkspaceTemplate>
  /** Folders and repositories; without it only templates can be created from. */
  source?: (source: CreateSource, onProgress: (message: string) => void) => Promise<WorkspaceTemplate>
  /** The current core image tag, built if needed. */
  imageTag: () => Promise<string>
  /** The `workspaces.maxRunning` setting: the most workspaces running at once; 0, or left out, no cap. */
  maxRunning?: () => number
  /** The engine in use, for what only a local one can do (bind-mount a host folder); left out, none can. */
  engineEndpoint?: () => EngineEndpoint
  appWait?: Partial<AppWait>
  /** The app's state from the monitoring history, shown beside the container's. */
  /** The app's state from the history, from this container's records only. */
  appStatus?: (name: string, containerId: string) => AppStatus | undefined
  now?: () => Date
}
