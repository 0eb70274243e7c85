import { lstatSync } from 'node:fs'
import { basename, join } from 'node:path'
import { z } from 'zod'
import type { PackageManager, TemplateManifest } from '../contract/template'
import { readDevcontainer } from './devcontainer'
import { describeIssues, parseTemplateManifest, readJsonFile, TemplateProblems } from './template-manifest'

/** Lockfiles in the order they win when a folder has several; each installs exactly what it pins. */
const LOCKFILES: ReadonlyArray<{ file: string; packageManager: PackageManager; install: string }> = [
  { file: 'package-lock.json', packageManager: 'npm', install: 'npm ci' },
  { file: 'npm-shrinkwrap.json', packageManager: 'npm', install: 'npm ci' },
  { file: 'pnpm-lock.yaml', packageManager: 'pnpm', install: 'pnpm install --frozen-lockfile' },
  { file: 'yarn.lock', packageManager: 'yarn', install: 'yarn install --frozen-lockfile' }
]

/** The core image has Node with npm, pnpm and yarn, not bun. */
const BUN_LOCKFILES = ['bun.lockb', 'bun.lock']

/**
 * Dev servers with a fixed default port, most specific first (Astro and Nuxt depend on Vite). Servers such as
 * express or fastify pick their port in code, so theirs is only known from the script's own flags.
 */
const FRAMEWORK_PORTS: ReadonlyArray<[dependency: string, port: number]> = [
  ['next', 3000],
  ['nuxt', 3000],
  ['astro', 4321],
  ['@react-router/dev', 5173],
  ['@remix-run/dev', 5173],
  ['vite', 5173]
]

/** `--port 4000`, `--port=4000`, `-p 4000`, `PORT=4000` in a script. */
const SCRIPT_PORT_FLAGS = [/--port[=\s]+(\d+)\b/, /(?:^|\s)-p[=\s]*(\d+)\b/, /\bPORT=(\d+)\b/]

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const

const Dependencies = z.record(z.string(), z.string(), { error: 'must be an object of package: version pairs' }).optional()

/** The few package.json fields inference reads; the rest is the package manager's business. */
const PackageJson = z.looseObject({
  name: z.string({ error: 'must be a string' }).optional(),
  description: z.string({ error: 'must be a string' }).optional(),
  scripts: z.record(z.string(), z.string(), { error: 'must be an object of name: command pairs' }).optional(),
  dependencies: Dependencies,
  devDependencies: Dependencies,
  optionalDependencies: Dependencies
})
type PackageJson = z.infer<typeof PackageJson>

export interface InferredTemplate {
  manifest: TemplateManifest
  /** From the lockfile; npm for a package.json without one; none without a package.json. */
  packageManager: PackageManager | undefined
  /** Each inferred field and where its value came from. */
  origins: Record<string, string>
}

/**
 * A manifest for a plain project folder (package.json, no template.json): install with the lockfile's
 * package manager, start the `dev` script (else `start`), the port from the script's flags or the framework.
 * A devcontainer.json then overrides what it maps: postCreateCommand, forwardPorts, containerEnv; alone, it
 * makes a workspace without a start command (a shell one).
 */
export function inferTemplate(dir: string): InferredTemplate {
  const raw = readJsonFile(join(dir, 'package.json'), 'package.json')
  const devcontainer = readDevcontainer(dir)
  // A folder with only a devcontainer.json (Python, Go…) is a shell workspace with its install, port and env.
  if (raw === undefined && devcontainer === undefined) {
    throw new TemplateProblems(['no template.json, no package.json and no devcontainer.json: add a template.json that says how to install and start it'])
  }
  const parsed = PackageJson.safeParse(raw ?? {})
  if (!parsed.success) throw new TemplateProblems(describeIssues('package.json', parsed.error))
  const pkg = parsed.data
  const origins: Record<string, string> = {}
  const candidate: Record<string, unknown> = {}

  const fromName = sanitizeId(pkg.name ?? '')
  candidate.id = fromName ?? sanitizeId(basename(dir)) ?? 'project'
  origins.id = fromName ? 'package.json name' : 'folder name'
  candidate.name = (pkg.name?.trim() || basename(dir)).slice(0, 80)
  origins.name = pkg.name?.trim() ? 'package.json name' : 'folder name'
  if (pkg.description) {
    candidate.description = pkg.description.slice(0, 500)
    origins.description = 'package.json description'
  }

  const lock = lockfileOf(dir)
  const packageManager = lock?.packageManager ?? (raw === undefined ? undefined : 'npm')
  if (lock) {
    candidate.install = lock.install
    origins.install = lock.file
  } else if (hasDependencies(pkg)) {
    candidate.install = 'npm install'
    origins.install = 'package.json without a lockfile'
  }

  const scriptName = pkg.scripts?.dev ? 'dev' : pkg.scripts?.start ? 'start' : undefined
  if (scriptName) {
    candidate.start = `${packageManager} run ${scriptName}`
    origins.start = `package.json scripts.${scriptName}`
    const port = scriptPort(pkg.scripts![scriptName]!, `scripts.${scriptName}`) ?? frameworkPort(pkg)
    if (port) {
      candidate.port = port.port
      origins.port = port.origin
    }
  }

  if (devcontainer) {
    for (const field of ['install', 'port', 'env'] as const) {
      if (devcontainer[field] === undefined) continue
      candidate[field] = devcontainer[field]
      origins[field] = devcontainer.origins[field]!
    }
  }

  return { manifest: parseTemplateManifest(candidate, raw === undefined ? 'inferred from devcontainer.json' : 'inferred from package.json'), packageManager, origins }
}

/** The package manager a folder's lockfile names: npm for a package.json without one, none without a package.json. */
export function detectPackageManager(dir: string): PackageManager | undefined {
  if (!exists(join(dir, 'package.json'))) return undefined
  return LOCKFILES.find((lock) => exists(join(dir, lock.file)))?.packageManager ?? 'npm'
}

function lockfileOf(dir: string): (typeof LOCKFILES)[number] | undefined {
  const lock = LOCKFILES.find((l) => exists(join(dir, l.file)))
  const bun = BUN_LOCKFILES.find((file) => exists(join(dir, file)))
  if (!lock && bun) {
    throw new TemplateProblems([
      `${bun}: bun is not supported (workspaces have npm, pnpm and yarn): add a package-lock.json (\`npm install --package-lock-only\`) or a template.json with an install command`
    ])
  }
  return lock
}

function hasDependencies(pkg: PackageJson): boolean {
  return DEPENDENCY_FIELDS.some((field) => Object.keys(pkg[field] ?? {}).length > 0)
}

function scriptPort(script: string, where: string): { port: number; origin: string } | undefined {
  for (const flag of SCRIPT_PORT_FLAGS) {
    const match = flag.exec(script)
    const port = Number(match?.[1])
    if (match && port >= 1 && port <= 65_535) return { port, origin: `"${match[0].trim()}" in ${where}` }
  }
  return undefined
}

function frameworkPort(pkg: PackageJson): { port: number; origin: string } | undefined {
  for (const [dependency, port] of FRAMEWORK_PORTS) {
    const field = DEPENDENCY_FIELDS.find((f) => pkg[f]?.[dependency] !== undefined)
    if (field) return { port, origin: `${dependency} in ${field}` }
  }
  return undefined
}

/** A package name as a template id: `@acme/Web_App` → `acme-web-app`; undefined when nothing usable is left. */
export function sanitizeId(name: string): string | undefined {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return id || undefined
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}
