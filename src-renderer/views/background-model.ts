import type { BackgroundProblem, BackgroundStatus } from '../../src-main/core/contract'
import { describeSince, type Fact, type Tone } from './engine-status-model'

/** One card of the Engine view for a piece of background work (the core image, the pool). */
export interface BackgroundCard {
  id: 'image' | 'pool'
  title: string
  tone: Tone
  /** The short state, for the badge. */
  state: string
  summary: string
  /** 0..1 while a build reports how far it is. */
  fraction?: number
  problem?: { message: string; hint?: string; since: string }
  facts: Fact[]
}

export function backgroundCards(status: BackgroundStatus, now: number): BackgroundCard[] {
  return [imageCard(status.image, now), poolCard(status.pool, now)]
}

function imageCard(image: BackgroundStatus['image'], now: number): BackgroundCard {
  const facts: Fact[] = [
    ...(image.base === undefined ? [] : [{ label: 'Base image', value: image.base, mono: true }]),
    ...(image.tag === undefined ? [] : [{ label: 'Tag', value: image.tag, mono: true }])
  ]
  const card = { id: 'image' as const, title: 'Core image', facts }
  switch (image.state) {
    case 'checking':
      return { ...card, tone: 'pending', state: 'Checking', summary: 'Looking for the image every workspace runs…' }
    case 'built':
      return { ...card, tone: 'ok', state: 'Built', summary: 'The image every workspace runs is built and current.' }
    case 'missing':
      return { ...card, tone: 'pending', state: 'Not built', summary: 'The first create builds it (or `sandlot image build`), with progress.' }
    case 'building':
      return {
        ...card,
        tone: 'pending',
        state: 'Building',
        summary: image.progress?.message ?? 'Building…',
        ...(image.progress?.fraction === undefined ? {} : { fraction: image.progress.fraction })
      }
    case 'failed':
      return { ...card, tone: 'error', state: 'Cannot be built', summary: 'The last build failed; the next create tries again.', ...problemOf(image.problem, now) }
  }
}

function poolCard(pool: BackgroundStatus['pool'], now: number): BackgroundCard {
  const facts: Fact[] = [
    { label: 'Target', value: String(pool.target) },
    { label: 'Warm', value: String(pool.warm) }
  ]
  const card = { id: 'pool' as const, title: 'Warm pool', facts }
  const warm = `${pool.warm} of ${pool.target} containers warm`
  switch (pool.state) {
    case 'checking':
      return { ...card, tone: 'pending', state: 'Checking', summary: 'Counting the warm containers…' }
    case 'ready':
      return { ...card, tone: 'ok', state: 'Ready', summary: `${warm}: a new workspace starts in one.` }
    case 'off':
      return { ...card, tone: 'ok', state: 'Off', summary: 'The pool size is 0: every workspace starts a new container.' }
    case 'waiting':
      return { ...card, tone: 'pending', state: 'Waiting', summary: pool.note ?? warm }
    case 'failing':
      return { ...card, tone: 'error', state: 'Failing', summary: `${warm}.`, ...problemOf(pool.problem, now) }
  }
}

function problemOf(problem: BackgroundProblem | undefined, now: number): Pick<BackgroundCard, 'problem'> {
  if (problem === undefined) return {}
  const since = `Since ${describeSince(problem.since, now)}`
  return { problem: problem.hint === undefined ? { message: problem.message, since } : { message: problem.message, hint: problem.hint, since } }
}
