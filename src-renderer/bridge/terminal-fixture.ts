import type { TerminalInfo } from '../../src-main/core/contract'

/** A terminal as the core describes it, for tests: a host shell unless `overrides` say otherwise. */
export function terminalInfo(overrides: Partial<TerminalInfo> = {}): TerminalInfo {
  return {
    id: 'tAAAA1',
    name: 'bash',
    target: { kind: 'host' },
    state: 'running',
    exitCode: null,
    cols: 80,
    rows: 24,
    position: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    revived: false,
    ...overrides
  }
}
