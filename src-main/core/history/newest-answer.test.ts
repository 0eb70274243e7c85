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
    const answers: Array<string | undefined> = []
    const newest = new NewestAnswer<string, string | undefined>()
    const before = deferred<string | undefined>()
    const after = deferred<string | undefined>()
    newest.ask('web', () => before.promise, (value) => answers.push(value))
    newest.ask('web', () => after.promise, (value) => answers.push(value))
    after.resolve(undefined) // removed
    await settled()
    before.resolve('web, running') // described before the removal, answered after it
    await settled()
    expect(answers).toEqual([undefined])
  })

  it('answers each key on its own, a failure included, and every lookup when none overlap', async () => {
    const answers: Array<[string, string | undefined]> = []
    const newest = new NewestAnswer<string, string>()
    newest.ask('a', () => Promise.resolve('a1'), (value) => answers.push(['a', value]))
    newest.ask('b', () => Promise.reject(new Error('engine gone')), (value) => answers.push(['b', value]))
    await settled()
    newest.ask('a', () => Promise.resolve('a2'), (value) => answers.push(['a', value]))
    await settled()
    expect(answers).toEqual([
      ['a', 'a1'],
      ['b', undefined],
      ['a', 'a2']
    ])
  })
})
