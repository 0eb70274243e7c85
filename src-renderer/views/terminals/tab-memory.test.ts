import { describe, expect, it } from 'vitest'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { terminalInfo } from '../../bridge/terminal-fixture'
import { rememberedTab, workspaceTerminalPath } from './tab-memory'

/** A core with the given terminals that opens new ones on request, recording its calls. */
function fakeCore(terminals: TerminalInfo[]) {
  const calls: string[] = []
  const bridge = {
    call: (async (method: string, params: unknown) => {
      calls.push(method)
      if (method === 'terminals.list') return terminals
      const target = (params as { target: TerminalInfo['target'] }).target
      return terminalInfo({ id: 'tNEW001', target })
    }) as never
  }
  return { bridge, calls }
}

describe('the Terminal action of a workspace row', () => {
  it('opens the first terminal of a workspace that has none, and shows it', async () => {
    const { bridge, calls } = fakeCore([terminalInfo({ id: 'tOTHER1', target: { kind: 'workspace', workspace: 'api' } })])
    await expect(workspaceTerminalPath(bridge, 'web')).resolves.toBe('terminals/web')
    expect(calls).toEqual(['terminals.list', 'terminals.open'])
    expect(rememberedTab('web')).toBe('tNEW001')
  })

  it('shows the terminals a workspace has, opening nothing', async () => {
    const { bridge, calls } = fakeCore([terminalInfo({ id: 'tSHOP01', target: { kind: 'workspace', workspace: 'shop' } })])
    await expect(workspaceTerminalPath(bridge, 'shop')).resolves.toBe('terminals/shop')
    expect(calls).toEqual(['terminals.list'])
    expect(rememberedTab('shop')).toBe('tSHOP01')
  })
})
