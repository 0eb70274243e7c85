import { describe, expect, it } from 'vitest'
import { AckLedger } from './ack-ledger'

describe('AckLedger', () => {
  it('counts acknowledged bytes as the code units of the frames they cover, a partial frame in proportion', () => {
    const ledger = new AckLedger()
    ledger.sent(6, 2) // two 3-byte characters
    ledger.sent(10, 10)
    expect(ledger.ack(6)).toBe(2)
    expect(ledger.ack(5)).toBe(5)
    expect(ledger.ack(5)).toBe(5)
  })

  it('never counts more than was sent', () => {
    const ledger = new AckLedger()
    ledger.sent(4, 4)
    expect(ledger.ack(100)).toBe(4)
    expect(ledger.ack(1)).toBe(0)
  })
})
