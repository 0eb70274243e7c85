import { z } from 'zod'
import { ImageReference } from './image'
import { IdleStopMinutes, WorkspaceName } from './workspace'

/**
 * `settings.json` in the data folder. Every field has a default, so a missing or partly bad file still
 * yields usable settings; bad values are reported and their defaults kept.
 */
export const DEFAULT_BASE_IMAGE = 'node:22-bookworm-slim'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The orchestrator's address: https://, or http:// to this machine only (a token must not cross a network in clear). */
export const SyncUrl = z
  .string()
  .max(2048)
  .superRefine((text, ctx) => {
    const problem = syncUrlProblem(text)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export function syncUrlProblem(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'not a URL: give the orchestrator’s address, for example https://sandlot.example.com'
  }
  if (url.username !== '' || url.password !== '') return 'put no user or password in the URL: the token is given in sync.token'
  if (url.search !== '' || url.hash !== '') return 'the URL takes no ?query or #fragment'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname) ? undefined : 'must be https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1])'
  return 'must be an https:// URL'
}

/** A bearer token as the orchestrator hands it out: printable ASCII, no spaces. */
export const SyncToken = z
  .string()
  .min(8, 'a token has at least 8 characters')
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces (paste it as `sandlot orchestrator token add` printed it)')
  .meta({ secret: true })

export const Settings = z.object({
  engine: z
    .object({
      host: z
        .string()
        .regex(/^(unix|npipe|tcp|ssh):\/\/.+/, 'must be a Docker URL: unix://, npipe://, tcp:// or ssh://')
        .optional()
        .describe('A Docker URL (unix://, npipe://, tcp:// or ssh://) that overrides DOCKER_HOST and the Docker context.'),
      context: z.string().min(1).optional().describe('A Docker context name to use instead of the current one.')
    })
    .default({}),
  pool: z
    .object({
      size: z
        .number()
        .int()
        .min(0)
        .max(16)
        .default(1)
        .describe('Warm containers kept started, so a new workspace skips container start-up. Each costs about 30 MiB while idle.'),
      maxConcurrentCreates: z.number().int().min(1).max(8).default(2).describe('How many pool containers are created at once while refilling.')
    })
    .default({ size: 1, maxConcurrentCreates: 2 }),
  workspaces: z
    .object({
      maxRunning: z
        .number()
        .int()
        .min(0)
        .max(100)
        .default(0)
        .describe('The most workspaces running at once (warm pool containers not counted); a create or start beyond it is refused, naming what runs. 0: no cap.'),
      idleStopMinutes: IdleStopMinutes.default(0)
        .describe('Stop a workspace after this many minutes with no terminal attached, no preview request and no exec (checked by the app and `sandlot serve`); its next start resumes it. 0: never.')
    })
    .default({ maxRunning: 0, idleStopMinutes: 0 }),
  certificates: z
    .object({
      extraCaFile: z
        .string()
        .min(1)
        .optional()
        .describe('A PEM bundle of extra CA certificates that image builds and workspaces trust: needed behind TLS-intercepting proxies. Unset: the host’s NODE_EXTRA_CA_CERTS.')
    })
    .default({}),
  image: z
    .object({
      base: ImageReference.default(DEFAULT_BASE_IMAGE).describe('The image the core image is built FROM: a Node 22 Debian image, or a locally imported offline base.')
    })
    .default({ base: DEFAULT_BASE_IMAGE }),
  network: z
    .object({
      blockHostAccess: z
        .boolean()
        .default(false)
        .describe("Block workspaces from the host's own addresses (services listening on 0.0.0.0); Linux engines and Docker Desktop's VM, not rootless")
    })
    .default({ blockHostAccess: false }),
  appearance: z
    .object({
      theme: z.enum(['system', 'light', 'dark']).default('system').describe('The window’s colours: follow the system, or always light or dark.')
    })
    .default({ theme: 'system' }),
  terminal: z
    .object({
      scrollback: z
        .number()
        .int()
        .min(0)
        .max(100_000)
        .default(5000)
        .describe('Lines each terminal keeps above its screen (replayed when a terminal is opened again).')
    })
    .default({ scrollback: 5000 }),
  history: z
    .object({
      logLinesPerWorkspace: z.number().int().min(1000).max(100_000_000).default(200_000).describe('Log lines kept per workspace in the history (the newest)'),
      logDays: z.number().int().min(1).max(3650).default(14).describe('Days log lines are kept in the history'),
      eventDays: z.number().int().min(1).max(3650).default(90).describe('Days timeline entries and errors are kept in the history')
    })
    .default({ logLinesPerWorkspace: 200_000, logDays: 14, eventDays: 90 }),
  notifications: z
    .object({
      muted: z.boolean().default(false).describe("No desktop notification when a workspace's app crashes or Sandlot gives up restarting it"),
      mutedWorkspaces: z
        .array(WorkspaceName)
        .max(500)
        .default([])
        .describe('Workspaces whose crashes raise no desktop notification (names separated by commas)')
    })
    .default({ muted: false, mutedWorkspaces: [] }),
  editor: z
    .object({
      command: z
        .string()
        .min(1)
        .max(4096)
        .regex(/^[^\0\r\n"]+$/, 'must be one command: a name on the PATH or a full path, without quotes or line breaks')
        .default('code')
        .describe(
          'The editor “Open in editor” starts: a VS Code–compatible command (code, code-insiders, cursor, codium…) or its full path; it opens the container through its Dev Containers extension'
        )
    })
    .default({ command: 'code' }),
  desktop: z
    .object({
      openAtLogin: z.boolean().default(false).describe('Start Sandlot (in the tray) when you log in to your computer'),
      onQuit: z
        .enum(['ask', 'stop', 'keep'])
        .default('ask')
        .describe('What quitting the app does with running workspaces: ask each time, stop them, or keep them running')
    })
    .default({ openAtLogin: false, onQuit: 'ask' }),
  sync: z
    .object({
      url: SyncUrl.optional().describe(
        'The team orchestrator this desktop sends its monitoring history to (https://; http:// only to this machine). Unset: no sync.'
      ),
      token: SyncToken.optional().describe('This desktop’s token for the orchestrator, from its admin (sandlot orchestrator token add HOSTNAME). A secret: always shown masked.')
    })
    .default({})
})
export type Settings = z.infer<typeof Settings>

/**
 * A group's field as a patch field: without its default (a patch left without a key must not fill it in; it
 * changes only the keys it names), and an optional one (no default) also takes null, which unsets it.
 */
type PatchField<F> = F extends z.ZodDefault<infer Inner> ? Inner : F extends z.ZodType ? z.ZodNullable<F> : never

/** One group of `Settings` as a patch: any of its fields, no unknown ones, and the group itself optional. */
function groupPatch<Shape extends z.ZodRawShape>(group: z.ZodDefault<z.ZodObject<Shape>>) {
  const fields = Object.fromEntries(
    Object.entries(group.unwrap().shape).map(([name, field]) => [name, field instanceof z.ZodDefault ? field.unwrap() : (field as z.ZodType).nullable()])
  ) as { [K in keyof Shape]: PatchField<Shape[K]> }
  return z.object(fields).partial().strict().optional()
}

type SettingsGroups = typeof Settings.shape

/** A partial update read off `Settings`, validated strictly: unknown keys are an error, not silently dropped. */
export const SettingsPatch = z
  .object(
    Object.fromEntries(Object.entries(Settings.shape).map(([name, group]) => [name, groupPatch(group as z.ZodDefault<z.ZodObject>)])) as {
      [G in keyof SettingsGroups]: SettingsGroups[G] extends z.ZodDefault<z.ZodObject<infer Shape>> ? ReturnType<typeof groupPatch<Shape>> : never
    }
  )
  .strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

/** One problem found in `settings.json`: the dotted path, what was wrong, and that its default was kept. */
export const SettingsProblem = z.object({
  path: z.string(),
  message: z.string(),
  /** The line of settings.json it is on (1-based), when it can be placed. */
  line: z.number().int().positive().optional()
})
export type SettingsProblem = z.infer<typeof SettingsProblem>

export const SettingsView = z.object({
  settings: Settings,
  problems: z.array(SettingsProblem),
  file: z.string()
})
export type SettingsView = z.infer<typeof SettingsView>
