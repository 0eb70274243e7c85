import { z } from 'zod'
import { AppStatus } from './app-status'
import { EnvName } from '../../../container/src/protocol'
import { branchProblem, parseGitUrl } from '../sources/git-url'
import { Command, EnvValue, HostFolder, TemplateLimits } from './template'

/** CONVENTIONS.md: names given by users. */
export const WorkspaceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit')

export const CreatePhase = z.enum(['claim', 'inject', 'install', 'start', 'ready'])
export type CreatePhase = z.infer<typeof CreatePhase>

export const Workspace = z.object({
  name: z.string(),
  templateId: z.string(),
  containerId: z.string(),
  /** creating | ready | failed: how the create flow ended. */
  status: z.enum(['creating', 'ready', 'failed']),
  phase: CreatePhase,
  /** The container as the engine sees it now: running, exited…; `missing` once removed outside Sandlot, `none` when it never had one. */
  container: z.string(),
  /** The container's exit code, while it is exited. */
  exitCode: z.number().int().optional(),
  /** `http://127.0.0.1:<port>` while the container runs and the template runs an app (with a port, or one the monitor finds). */
  previewUrl: z.string().optional(),
  createdAt: z.string(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
  /** Its own idle stop in minutes, given at create or changed since (0: never); absent, the `workspaces.idleStopMinutes` setting applies. */
  idleStopMinutes: z.number().int().nonnegative().optional(),
  /** The app's state from the monitoring history (ready, crashed, restarting, unhealthy…); absent before its first record. */
  app: AppStatus.optional()
})
export type Workspace = z.infer<typeof Workspace>

/** A client's own id for one create call, echoed on its progress events (another client may pick the same name). */
export const CreateRequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a request id is 8 to 64 letters, digits, - or _')

/** A repository to clone on the host (with the user's own git and credentials) and put into /app, `.git` included. */
export const GitSource = z.strictObject({
  url: z.string().superRefine((url, ctx) => {
    const parsed = parseGitUrl(url)
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: `the repository URL ${parsed.problem}` })
  }),
  branch: z
    .string()
    .superRefine((branch, ctx) => {
      const problem = branchProblem(branch)
      if (problem) ctx.addIssue({ code: 'custom', message: `the branch ${problem}` })
    })
    .optional()
})
export type GitSource = z.infer<typeof GitSource>

/** Where a workspace's files come from: exactly one of a template, a host folder (copied in) or a repository. */
export type CreateSource = { kind: 'template'; id: string } | { kind: 'folder'; path: string; mount?: boolean } | { kind: 'git'; url: string; branch?: string }

/** What IdleStopMinutes takes, in its refusals: the window shows it under its field as it is. */
export const IDLE_STOP_RANGE = 'give a whole number of minutes from 0 (never) to 10080 (a week)'

/** Minutes without use before a workspace is stopped (at most a week); 0: never. */
export const IdleStopMinutes = z.number({ error: IDLE_STOP_RANGE }).int(IDLE_STOP_RANGE).min(0, IDLE_STOP_RANGE).max(10_080, IDLE_STOP_RANGE)

/** What can change on a made workspace (`workspaces.update`, `PATCH /api/workspaces/{name}`). */
export const WorkspaceChanges = z.strictObject({
  /** Its own idle stop in minutes (the same range as at create; 0: never); null: follow the `workspaces.idleStopMinutes` setting again. */
  idleStopMinutes: IdleStopMinutes.nullable()
})
export type WorkspaceChanges = z.infer<typeof WorkspaceChanges>

export const UpdateWorkspaceParams = WorkspaceChanges.extend({ name: WorkspaceName })
export type UpdateWorkspaceParams = z.infer<typeof UpdateWorkspaceParams>

/** Settings given at create over the source's own (template.json, package.json inference, devcontainer.json). */
export const CreateOverrides = z.strictObject({
  /** Added to the source's environment (same names win); for the install, the app, exec and terminals. */
  env: z.record(EnvName, EnvValue).optional(),
  limits: TemplateLimits.pick({ memoryMb: true, cpus: true }).optional(),
  start: Command.optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  /** This workspace's idle stop in minutes over the `workspaces.idleStopMinutes` setting (the same range); 0: never for this one. */
  idleStopMinutes: IdleStopMinutes.optional()
})
export type CreateOverrides = z.infer<typeof CreateOverrides>

export const CreateWorkspaceParams = z
  .object({
    template: z.string().min(1).max(63).optional(),
    /** A folder on the Sandlot host whose files are copied into /app (a snapshot of it). */
    folder: HostFolder.optional(),
    /** With folder: bind-mount it at /app instead of copying it (edits on either side are the same files; node_modules in a volume). Local engines only. */
    mount: z.boolean().optional(),
    git: GitSource.optional(),
    name: WorkspaceName.optional(),
    requestId: CreateRequestId.optional(),
    /** A failed workspace of that name is removed first (a retry); any other one is still refused. */
    replace: z.boolean().optional()
  })
  .extend(CreateOverrides.shape)
  .strict()
  .superRefine((params, ctx) => {
    const given = [params.template, params.folder, params.git].filter((s) => s !== undefined).length
    if (given !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of template, folder or git' })
    if (params.mount && params.folder === undefined) ctx.addIssue({ code: 'custom', path: ['mount'], message: 'mount goes with folder: only a host folder can be mounted' })
  })
export type CreateWorkspaceParams = z.infer<typeof CreateWorkspaceParams>

/** The one source a valid create names. */
export function createSource(params: Pick<CreateWorkspaceParams, 'template' | 'folder' | 'mount' | 'git'>): CreateSource {
  if (params.folder !== undefined) return { kind: 'folder', path: params.folder, ...(params.mount ? { mount: true } : {}) }
  if (params.git !== undefined) return { kind: 'git', url: params.git.url, ...(params.git.branch === undefined ? {} : { branch: params.git.branch }) }
  return { kind: 'template', id: params.template! }
}

/** One line of a workspace app's output, as the monitor kept it. */
export const AppLogLine = z.object({ ts: z.string(), stream: z.enum(['stdout', 'stderr']), line: z.string() })
export type AppLogLine = z.infer<typeof AppLogLine>

/** One step of a workspace's creation, for progress in the CLI and UI. */
export const CreateProgress = z.object({
  workspace: z.string(),
  /** The create call's requestId, when it gave one. */
  requestId: CreateRequestId.optional(),
  phase: CreatePhase,
  message: z.string(),
  fraction: z.number().min(0).max(1).optional()
})
export type CreateProgress = z.infer<typeof CreateProgress>

export const PoolStatus = z.object({
  target: z.number().int().nonnegative(),
  /** Started, unclaimed containers of the current image. */
  ready: z.number().int().nonnegative(),
  /** Pooled containers of an older image, removed on the next fill. */
  stale: z.number().int().nonnegative(),
  /** Containers labelled for this instance that the database does not know: reported, never deleted silently. */
  orphans: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() }))
})
export type PoolStatus = z.infer<typeof PoolStatus>
