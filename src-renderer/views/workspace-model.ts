import { WorkspaceName, type AppStatus, type CreatePhase, type Workspace } from '../../src-main/core/contract'
import type { Tone } from './engine-status-model'
import { appStateModel } from './history/history-model'

export type StatusTone = Tone | 'warn' | 'idle'

/** `retry` makes a failed workspace again in its place: same template, same name; `editor` opens it in the user's editor. */
/** The container's actions, Retry and Remove, and `app-restart`: the app alone (`workspaces.process`), which fixes a stuck app. */
export type WorkspaceAction = 'start' | 'stop' | 'restart' | 'retry' | 'remove' | 'editor' | 'app-restart'

/** App states that only a restart of the app gets out of: the monitor gave up, or the port stopped answering. */
export const APP_NEEDS_RESTART: ReadonlySet<string> = new Set(['failed', 'unhealthy'])

/** What a phase of the create flow is doing, as a headline. */
export const PHASE_HEADLINE: Record<CreatePhase, string> = {
  claim: 'Preparing a container',
  inject: 'Copying the template files',
  install: 'Installing dependencies',
  start: 'Starting the app',
  ready: 'Ready'
}

/** A row of the Workspaces list: the workspace's own state and its container's, and what can be done. */
export interface WorkspaceStatusModel {
  tone: StatusTone
  /** How creation ended: Ready, Creating, Failed. */
  status: string
  /** The container as the engine sees it: running, exited, missing… */
  container: string
  /** For screen readers and tooltips: both in one sentence. */
  description: string
  /** What to do when the state needs an explanation (a container removed outside Sandlot). */
  note?: string
  actions: Record<WorkspaceAction, boolean>
}

/** What an action under way says in its row. */
const BUSY_STATUS: Record<WorkspaceAction, string> = { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…', retry: 'Creating again…', remove: 'Removing…', editor: 'Opening the editor…', 'app-restart': 'Restarting the app…' }

/** The container in words that are true (views put "container" before it): never created, removed outside Sandlot, exited with its code. */
export function containerLabel({ container, exitCode }: Pick<Workspace, 'container' | 'exitCode'>): string {
  if (container === 'none') return 'never created'
  if (container === 'missing') return 'removed outside Sandlot'
  if (container === 'created') return 'not started'
  if (container === 'exited') return exitCode === undefined ? 'exited' : `exited with code ${exitCode}`
  return container
}

/** `busy`: the action under way on it from this window, which its row shows instead of the last state. */
export function workspaceStatusModel(workspace: Workspace, busy?: WorkspaceAction): WorkspaceStatusModel {
  const { status, container } = workspace
  const running = container === 'running'
  const present = container !== 'missing' && container !== 'none'
  // A failed create is retried or removed; starting what never finished would only fail again.
  const usable = status === 'ready'
  const actions: Record<WorkspaceAction, boolean> = {
    start: usable && present && !running && container !== 'restarting' && container !== 'removing',
    stop: usable && (running || container === 'restarting' || container === 'paused'),
    restart: usable && present && container !== 'removing',
    retry: status === 'failed',
    remove: true,
    // The editor attaches to the running container (Dev Containers).
    editor: usable && running,
    'app-restart': usable && running && APP_NEEDS_RESTART.has(workspace.app?.state ?? '')
  }
  const shown = containerLabel(workspace)
  const note = container === 'missing' ? { note: 'Its container was removed outside Sandlot. Remove forgets the workspace.' } : {}
  if (busy !== undefined) {
    return { tone: 'pending', status: BUSY_STATUS[busy], container: shown, description: `${BUSY_STATUS[busy]} container ${shown}`, actions, ...note }
  }
  // A created workspace with a running container: what matters is its app (ready, crashed, restarting…), in
  // the CLI's words (`sandlot ls`): a shell template's idle monitor reads "No app", as its APP column says.
  const app = status === 'ready' && running ? appOf(workspace) : undefined
  if (app !== undefined) {
    const model = appStateModel(app)
    // No app to be up or down: the running container is what is up.
    const tone = app.state === 'idle' ? toneOf(workspace) : model.tone
    return { tone, status: model.label, container: shown, description: `${model.description}, container ${shown}`, actions }
  }
  const label = statusLabel(workspace)
  return { tone: toneOf(workspace), status: label, container: shown, description: `${label}, container ${shown}`, ...note, actions }
}

/** How a workspace reads first: a made one by its container (a stopped one is Stopped, not Ready). */
function statusLabel({ status, container }: Workspace): string {
  if (status === 'creating') return 'Creating'
  if (status === 'failed') return 'Failed'
  if (container === 'exited' || container === 'dead') return 'Stopped'
  if (container === 'created') return 'Not started'
  if (container === 'restarting') return 'Restarting'
  if (container === 'paused') return 'Paused'
  if (container === 'missing') return 'Container gone'
  return 'Ready'
}

function toneOf({ status, container }: Workspace): StatusTone {
  if (status === 'failed' || container === 'missing' || container === 'none' || container === 'dead') return 'error'
  if (status === 'creating' || container === 'restarting' || container === 'removing') return 'pending'
  if (container === 'running') return 'ok'
  if (container === 'paused') return 'warn'
  return 'idle'
}

/** The app's status as the history knows it; undefined until the monitor reported one. */
export function appOf(workspace: Workspace): AppStatus | undefined {
  return workspace.app
}

export function withApp(workspace: Workspace, app: AppStatus): Workspace {
  return { ...workspace, app }
}

/** A list after a `workspaces.changed` event: the workspace as it is now, or gone; unchanged rows keep their objects. */
export function withChange(workspaces: readonly Workspace[], change: { name: string; workspace?: Workspace | undefined }): readonly Workspace[] {
  const index = workspaces.findIndex((w) => w.name === change.name)
  if (change.workspace === undefined) return index < 0 ? workspaces : workspaces.filter((_, i) => i !== index)
  if (index < 0) return [...workspaces, change.workspace]
  const next = [...workspaces]
  next[index] = change.workspace
  return next
}

/** Removing a running workspace stops it first: the core only does that when forced, after the user agreed. */
export function removeNeedsForce(workspace: Workspace): boolean {
  return workspace.container === 'running' || workspace.container === 'restarting' || workspace.container === 'paused'
}

/** The question before a remove: what it does to the workspace as it is now, and the confirm button's label. */
export function removeQuestion(workspace: Workspace): { force: boolean; confirmLabel: string; consequence: string } {
  const force = removeNeedsForce(workspace)
  const gone = 'with everything in `/app`. This cannot be undone.'
  if (workspace.status === 'creating') {
    return { force, confirmLabel: 'Cancel and remove', consequence: `It is still being created; removing cancels it and deletes its container ${gone}` }
  }
  if (force) return { force, confirmLabel: 'Stop and remove', consequence: `It is running. Sandlot stops it, then deletes its container ${gone}` }
  return { force, confirmLabel: 'Remove', consequence: `Its container is deleted ${gone}` }
}

/** Newest first; the name breaks ties so refreshes never reorder rows. */
export function sortWorkspaces(workspaces: readonly Workspace[]): Workspace[] {
  return [...workspaces].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name))
}

/** The name field is optional; a given name must pass the contract's own rule. Returns what is wrong, if anything. */
export function nameProblem(input: string): string | undefined {
  if (input === '') return undefined
  const parsed = WorkspaceName.safeParse(input)
  if (parsed.success) return undefined
  const message = parsed.error.issues[0]?.message ?? 'is not a valid name'
  return message.charAt(0).toUpperCase() + message.slice(1) + '.'
}

/**
 * The name a workspace gets when the field is left empty, picked here as the core would (`<template>-<6 hex>`)
 * so the view knows which progress events are its own.
 */
export function defaultWorkspaceName(templateId: string, randomBytes: (count: number) => Uint8Array): string {
  const hex = Array.from(randomBytes(3), (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${templateId.slice(0, 50)}-${hex}`
}

/**
 * The core's hints are one sentence, sometimes followed by the last lines of a command's output (a failed
 * install): the sentence is shown as text, the output in a monospace block.
 */
export function splitHint(hint: string | undefined): { text?: string; output?: string } {
  if (hint === undefined || hint.trim() === '') return {}
  const newline = hint.indexOf('\n')
  if (newline === -1) return { text: hint }
  const output = hint.slice(newline + 1).replace(/\s+$/, '')
  return { text: hint.slice(0, newline), ...(output === '' ? {} : { output }) }
}

/** Hints name commands in backticks (`sandlot rm web`), as the CLI prints them: those parts are set as code. */
export function codeSegments(text: string): { text: string; code: boolean }[] {
  return text
    .split(/(`[^`\n]+`)/)
    .filter((part) => part !== '')
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? { text: part.slice(1, -1), code: true } : { text: part, code: false }))
}

/** `http://127.0.0.1:32773` reads as `127.0.0.1:32773`. */
export function previewLabel(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '')
}

/** The core's hints sometimes end without a full stop; the views go on with another sentence after them. */
export function asSentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?:)]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
