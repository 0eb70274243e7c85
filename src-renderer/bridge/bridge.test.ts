import { describe, expect, it } from 'vitest'
import { BridgeError, callError, isLinkError } from './bridge'

describe('call errors', () => {
  it('keeps the core’s code, message and hint; anything else is INTERNAL', () => {
    expect(callError(new BridgeError({ code: 'CONFLICT', message: 'taken', hint: 'Pick another name.' }))).toEqual({ code: 'CONFLICT', message: 'taken', hint: 'Pick another name.' })
    expect(callError(new BridgeError({ code: 'NOT_FOUND', message: 'gone' }))).toEqual({ code: 'NOT_FOUND', message: 'gone' })
    expect(callError(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' })
  })

  it('tells the link’s failures from the core’s', () => {
    expect(isLinkError({ code: 'NOT_SENT', message: '' })).toBe(true)
    expect(isLinkError({ code: 'DISCONNECTED', message: '' })).toBe(true)
    expect(isLinkError({ code: 'ENGINE_UNREACHABLE', message: '' })).toBe(false)
  })
})
