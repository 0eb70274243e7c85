import { describe, expect, it } from 'vitest'
import { unlessMissing } from './engine-missing'

describe('unlessMissing', () => {
  it('passes answers through, turns a 404 into undefined, and keeps every other failure', async () => {
    expect(await unlessMissing(Promise.resolve(7))).toBe(7)
    expect(await unlessMissing(Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })))).toBeUndefined()
    await expect(unlessMissing(Promise.reject(Object.assign(new Error('conflict'), { statusCode: 409 })))).rejects.toThrow('conflict')
  })
})
