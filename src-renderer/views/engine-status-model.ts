import { describeSince } from '../app/time-format'
import type { EngineEndpoint, EngineStatus } from '../../src-main/core/contract'

export type Tone = 'ok' | 'pending' | 'error'

export interface Fact {
  label: string
  value: string
  /** Addresses and versions are set in the monospace face. */
  mono?: boolean
}

/** What the engine screen and the status bar show for one engine status, at time `now`. */
export interface EngineStatusModel {
  tone: Tone
  /** The short state: a badge and the status bar. */
  state: string
  headline: string
  summary: string
  /** What to do, when the engine cannot be reached. */
  hint?: string
  /** The reconnect schedule while unreachable: attempt number and whole seconds to the next try. */
  retry?: { attempt: number; seconds: number }
  facts: Fact[]
  /** One line for the status bar. */
  statusLine: string
}

export function engineStatusModel(status: EngineStatus, now: number): EngineStatusModel {
  const endpoint: Fact = { label: 'Endpoint', value: status.endpoint.url, mono: true }
  const source: Fact = { label: 'Chosen by', value: describeSource(status.endpoint) }
  switch (status.state) {
    case 'connecting':
      return {
        tone: 'pending',
        state: 'Checking',
        headline: 'Checking the Docker engine…',
        summary: `Asking ${status.endpoint.url} for its version.`,
        facts: [endpoint, source],
        statusLine: 'Engine: checking…'
      }
    case 'connected': {
      const { server } = status
      return {
        tone: 'ok',
        state: 'Connected',
        headline: 'Docker engine connected',
        summary: `${server.name ?? 'Docker Engine'} ${server.serverVersion} · API ${server.apiVersion} · ${server.os}/${server.arch}`,
        facts: [
          endpoint,
          source,
          { label: 'Server version', value: server.serverVersion, mono: true },
          { label: 'API version', value: server.apiVersion, mono: true },
          { label: 'Platform', value: `${server.os}/${server.arch}`, mono: true },
          { label: 'Connected', value: describeSince(status.since, now) }
        ],
        statusLine: `Engine: connected · ${server.serverVersion}`
      }
    }
    case 'unreachable': {
      const seconds = secondsUntil(status.nextAttemptAt, now)
      return {
        tone: 'error',
        state: 'Not reachable',
        headline: 'Docker engine not reachable',
        summary: detailOf(status.message),
        hint: actionOf(status.hint),
        ...(seconds === undefined ? {} : { retry: { attempt: status.attempt + 1, seconds } }),
        facts: [endpoint, source, { label: 'Unreachable', value: describeSince(status.since, now) }],
        statusLine: seconds === undefined ? 'Engine: not reachable' : `Engine: not reachable · retry in ${seconds} s`
      }
    }
  }
}

export function describeSource(endpoint: EngineEndpoint): string {
  switch (endpoint.source) {
    case 'settings':
      return 'Sandlot settings'
    case 'DOCKER_HOST':
      return 'DOCKER_HOST'
    case 'context':
      return `Docker context “${endpoint.context ?? 'current'}”`
    case 'default':
      return 'Platform default'
  }
}

// Kept here too for the views that read it with the engine's facts.
export { describeSince }

function secondsUntil(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000))
}

/** The core's message repeats the headline for the CLI ("Docker engine not reachable at …"); keep the detail. */
function detailOf(message: string): string {
  const prefix = 'Docker engine not reachable at '
  return message.startsWith(prefix) ? `No answer from ${message.slice(prefix.length)}` : message
}

/** The core's hints start with the problem for the CLI ("Docker engine not reachable: start …"); the screen already says it. */
function actionOf(hint: string): string {
  const action = hint.replace(/^Docker engine not reachable:\s*/, '')
  return action.charAt(0).toUpperCase() + action.slice(1)
}
