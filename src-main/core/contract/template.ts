import { z } from 'zod'
import { EnvName, PreviewHost, RestartPolicyName } from '../../../container/src/protocol'

/** A missing value reads "is required"; any other problem reads `what`. */
const says = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : what) })

/** CONVENTIONS.md: names given by users; a template's id is also its folder name in the data folder. */
export const TemplateId = z
  .string(says('must be 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit'))
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)

/** An icon names an image file inside the template (shown by the UI) by its extension; otherwise it is text. */
export function isIconFile(icon: string): boolean {
  return /\.(svg|png|jpe?g|webp|ico)$/i.test(icon)
}

const Icon = z.string(says('must be a string')).refine(
  (icon) =>
    isIconFile(icon)
      ? icon.length <= 255 && !icon.startsWith('/') && !icon.includes('\\') && !icon.split('/').includes('..')
      : icon.length >= 1 && icon.length <= 16,
  'must be a short text or emoji (at most 16 characters) or a relative path to an image file inside the template'
)

export const Command = z.string(says('must be a non-empty shell command')).min(1).max(16_384)

const ReadyPattern = z
  .string(says('must be a regular expression string'))
  .min(1)
  .max(1000)
  // The monitor compiles it case-insensitively; a pattern it cannot compile would fail only at start time.
  .refine((source) => {
    try {
      new RegExp(source, 'i')
      return true
    } catch {
      return false
    }
  }, 'is not a valid regular expression')

/** Process environments are C strings: a NUL would end the value early or fail the exec with "invalid argument". */
export const EnvValue = z
  .string(says('must be a string'))
  .max(65_536)
  .refine((value) => !value.includes('\0'), 'must not contain a NUL character (\\u0000): environment values end at the first one')

/**
 * Resources a workspace of this template may use, applied when the workspace is created. Each one left out
 * takes the workspace default (`DEFAULT_LIMITS` in workspaces/container-spec.ts: 4096 MB, 2 CPUs, 1024 processes).
 */
export const TemplateLimits = z.strictObject({
  memoryMb: z.number(says('must be a whole number of megabytes from 128 to 65536')).int().min(128).max(65_536).optional(),
  cpus: z.number(says('must be a number of CPUs from 0.25 to 64')).min(0.25).max(64).optional(),
  pids: z.number(says('must be a whole number of processes from 64 to 32768')).int().min(64).max(32_768).optional()
})
export type TemplateLimits = z.infer<typeof TemplateLimits>

const Milliseconds = (what: string) => z.number(says(`must be a whole number of milliseconds from ${what}`)).int()

/**
 * How the monitor restarts an app that ended by itself (the monitor's RestartPolicy, container/src/protocol.ts,
 * whose defaults each key left out keeps): on-failure (default: after a non-zero exit or a signal), always (also
 * after exit 0), never; at most `maxRestarts` within `windowMs`, then it gives up ("failed"); each wait
 * `backoffMs`, times `backoffFactor` per attempt, at most `maxBackoffMs`.
 */
export const TemplateRestart = z.strictObject({
  policy: z.enum(RestartPolicyName.options, says(`must be one of ${RestartPolicyName.options.join(', ')}`)).optional(),
  maxRestarts: z.number(says('must be a whole number from 0 to 1000')).int().min(0).max(1000).optional(),
  windowMs: Milliseconds('1 to 86400000').min(1).max(86_400_000).optional(),
  backoffMs: Milliseconds('0 to 86400000').min(0).max(86_400_000).optional(),
  backoffFactor: z.number(says('must be a number from 1 to 10')).min(1).max(10).optional(),
  maxBackoffMs: Milliseconds('0 to 86400000').min(0).max(86_400_000).optional()
})
export type TemplateRestart = z.infer<typeof TemplateRestart>

/**
 * `template.json`: how a folder of files becomes a running workspace. Strict: an unknown key is an error
 * (a typo such as "prot" must not silently lose the port). See resources/templates/README.md.
 */
export const TemplateManifest = z.strictObject({
  id: TemplateId,
  name: z.string(says('must be a name of 1 to 80 characters')).min(1).max(80),
  description: z.string(says('must be a text of at most 500 characters')).max(500).optional(),
  icon: Icon.optional(),
  /** Run once in /app after the files are copied in (e.g. `npm ci`). Left out: nothing to install. */
  install: Command.optional(),
  /** The app the monitor runs and restarts. Left out: a plain shell workspace. */
  start: Command.optional(),
  /** The port the app listens on inside the container; the preview forwards to it. */
  port: z.number(says('must be a number from 1 to 65535')).int().min(1).max(65_535).optional(),
  /** Matched case-insensitively against each output line; left out, the monitor's built-in patterns apply. */
  readyPattern: ReadyPattern.optional(),
  /** Environment for the install and the app. */
  env: z.record(EnvName, EnvValue, says('must be an object of NAME: "value" pairs')).optional(),
  limits: TemplateLimits.optional(),
  /** When and how often the monitor restarts the app after it ends by itself. */
  restart: TemplateRestart.optional(),
  /**
   * More Host names the preview answers besides localhost, 127.0.0.1 and [::1] (for a proxy or tunnel put in front
   * of it on purpose); every other name is refused, against DNS rebinding. Kept with each workspace made from it.
   */
  previewHosts: z.array(PreviewHost, says('must be a list of host names')).max(64).optional()
})
export type TemplateManifest = z.infer<typeof TemplateManifest>

export const TemplateSource = z.enum(['builtin', 'user'])
export type TemplateSource = z.infer<typeof TemplateSource>

export const PackageManager = z.enum(['npm', 'pnpm', 'yarn'])
export type PackageManager = z.infer<typeof PackageManager>

export const TemplateSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  icon: z.string().optional(),
  /** The image file `icon` names, as a data: URL (at most 64 KiB): shown instead of text, which needs an emoji font. */
  iconImage: z.string().startsWith('data:image/').optional(),
  source: TemplateSource,
  /** From the lockfile (npm when a package.json has none); absent for templates without a package.json. */
  packageManager: PackageManager.optional(),
  /** Set when the folder no longer loads (edited by hand): what is wrong, so it can be fixed or removed. */
  problem: z.string().optional()
})
export type TemplateSummary = z.infer<typeof TemplateSummary>

export const TemplateDetail = z.object({
  id: z.string(),
  source: TemplateSource,
  /** The template's folder on this machine. */
  dir: z.string(),
  manifest: TemplateManifest,
  packageManager: PackageManager.optional(),
  /** What goes into /app: regular files and their total size (node_modules, .git and template.json left out). */
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** True when the folder has no template.json and the manifest was inferred from package.json. */
  inferred: z.boolean(),
  /** For inferred manifests: each field and where its value came from, e.g. `port: "vite in devDependencies"`. */
  inferredFrom: z.record(z.string(), z.string())
})
export type TemplateDetail = z.infer<typeof TemplateDetail>

/** Absolute: relative paths would depend on the working folder of whichever process runs the core. */
export const HostFolder = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path')

export const TemplateAddParams = z.strictObject({ folder: HostFolder, replace: z.boolean().optional() })
export type TemplateAddParams = z.infer<typeof TemplateAddParams>

/** A template folder as a tar or .tar.gz file on this machine (the API's upload); one top folder in it is taken as the template's. */
export const TemplateAddArchiveParams = z.strictObject({ file: HostFolder, replace: z.boolean().optional() })

export const TemplateAddResult = TemplateDetail.extend({
  /** True when an existing user template with the same id was replaced. */
  replaced: z.boolean()
})
export type TemplateAddResult = z.infer<typeof TemplateAddResult>

export const TemplateRemoveResult = z.object({ id: z.string(), removed: z.literal(true) })
export type TemplateRemoveResult = z.infer<typeof TemplateRemoveResult>
