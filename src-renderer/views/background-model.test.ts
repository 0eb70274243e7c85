import { describe, expect, it } from 'vitest'
import { backgroundCards } from './background-model'

const now = Date.parse('2026-01-01T00:02:00Z')

describe('backgroundCards', () => {
  it('shows a failing pool in red with its message, its fix and since when', () => {
    const [image, pool] = backgroundCards(
      {
        image: { state: 'missing', base: 'sandlot/does-not-exist:1', tag: 'sandlot/core:aaa' },
        pool: { state: 'failing', target: 2, warm: 0, problem: { message: 'The pool cannot warm containers', hint: 'Run `sandlot image build`', since: '2026-01-01T00:00:00Z' } }
      },
      now
    )
    expect(image).toMatchObject({ tone: 'pending', state: 'Not built', facts: [{ label: 'Base image', value: 'sandlot/does-not-exist:1' }, { label: 'Tag' }] })
    expect(pool).toMatchObject({ tone: 'error', state: 'Failing', problem: { message: 'The pool cannot warm containers', hint: 'Run `sandlot image build`', since: 'Since 2 min ago' } })
    expect(pool?.summary).toContain('0 of 2 containers warm')
  })

  it('is green when the image is built and the pool at its target', () => {
    const cards = backgroundCards({ image: { state: 'built', base: 'node:22', tag: 'sandlot/core:bbb' }, pool: { state: 'ready', target: 2, warm: 2 } }, now)
    expect(cards.map((c) => [c.tone, c.state, c.problem])).toEqual([
      ['ok', 'Built', undefined],
      ['ok', 'Ready', undefined]
    ])
  })

  it('shows a build in progress with its fraction, and a failed one with its hint', () => {
    const [building] = backgroundCards(
      { image: { state: 'building', base: 'node:22', progress: { task: 'image.build', fraction: 0.25, message: 'Step 2/8 : RUN apt-get' } }, pool: { state: 'waiting', target: 1, warm: 0 } },
      now
    )
    expect(building).toMatchObject({ tone: 'pending', state: 'Building', summary: 'Step 2/8 : RUN apt-get', fraction: 0.25 })
    const [failed] = backgroundCards(
      { image: { state: 'failed', base: 'node:22', problem: { message: 'Building the core image failed: no space', hint: 'free some', since: '2026-01-01T00:01:58Z' } }, pool: { state: 'off', target: 0, warm: 0 } },
      now
    )
    expect(failed).toMatchObject({ tone: 'error', state: 'Cannot be built', problem: { message: 'Building the core image failed: no space', hint: 'free some', since: 'Since just now' } })
  })
})
