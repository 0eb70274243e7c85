import { describe, expect, it } from 'vitest'
import { NewestAnswer } from './newest-answer'

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void
  let reject!: (error: Error) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const settled = () => new Promise((resolve) => setImmediate(resolve))

describe('NewestAnswer', () => {
  it('drops an older lookup that ends after a newer one of the same key', async () => {
    const answers: Array<[string | undefined, boolean]> = []
    const newest = new NewestAnswer<string, string | undefined>()
    const before = deferred<string | undefined>()
    const after = deferred<string | undefined>()
    newest.ask('web', () => before.promise, (value, failed) => answers.push([value, failed]))
    newest.ask('web', () => after.promise, (value, failed) => answers.push([value, failed]))
    after.resolve(undefined) // removed
    await settled()
    before.resolve('web, running') // described before the removal, answered after it
    await settled()
    expect(answers).toEqual([[undefined, false]])
  })

  it('answers each key on its own, a failure included, and every lookup when none overlap', async () => {
    const answers: Array<[string, string | undefined, boolean]> = []
    const newest = new NewestAnswer<string, string>()
    newest.ask('a', () => Promise.resolve('a1'), (value, failed) => answers.push(['a', value, failed]))
    newest.ask('b', () => Promise.reject(new Error('engine gone')), (value, failed) => answers.push(['b', value, failed]))
    await settled()
    newest.ask('a', () => Promise.resolve('a2'), (value, failed) => answers.push(['a', value, failed]))
    await settled()
    expect(answers).toEqual([
      ['a', 'a1', false],
      ['b', undefined, true],
      ['a', 'a2', false]
    ])
  })
})
