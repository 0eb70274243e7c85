import { useState } from 'react'
import type { DiskObject, DiskUsage, PruneResult } from '../../src-main/core/contract'
import { formatBytes } from '../../src-main/core/text/format-bytes'
import { useBridge } from '../app/bridge-context'
import { useCallWhileOpen } from '../app/use-call-while-open'
import { callError, type CallError } from '../bridge/bridge'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorDetails } from '../components/ErrorDetails'
import { diskRows, pruneCandidates, pruneSummary } from './resource-model'
import { FactList } from '../components/FactList'

type Prune = { state: 'idle' } | { state: 'listing' } | { state: 'asking'; candidates: DiskObject[]; bytes: number } | { state: 'pruning' } | { state: 'done'; result: PruneResult } | { state: 'failed'; error: CallError }

/**
 * Disk used by Sandlot's core images, containers and volumes, read when the Engine view opens, and the prune of
 * `sandlot system prune`: the list read again, a confirmation naming each object, then exactly those removed
 * (the core checks each again and keeps what became used meanwhile).
 */
export function EngineDiskCard({ connected }: { connected: boolean }) {
  const bridge = useBridge()
  const [usage, setUsage] = useState<DiskUsage>()
  const [error, setError] = useState<CallError>()
  const [prune, setPrune] = useState<Prune>({ state: 'idle' })
  const [reads, setReads] = useState(0)
  useCallWhileOpen((bridge) => bridge.call('system.df', {}), (answer) => {
    setError(undefined)
    setUsage(answer)
  }, { enabled: connected, onError: setError, key: reads })
  if (!connected) return null
  const list = (): void => {
    setPrune({ state: 'listing' })
    bridge.call('system.df', {}).then(
      (fresh) => {
        setUsage(fresh)
        const candidates = pruneCandidates(fresh)
        setPrune(candidates.length === 0 ? { state: 'done', result: { removed: [], failed: [], bytes: 0 } } : { state: 'asking', candidates, bytes: fresh.totals.prunable })
      },
      (err: unknown) => setPrune({ state: 'failed', error: callError(err) })
    )
  }
  const remove = (candidates: DiskObject[]): void => {
    setPrune({ state: 'pruning' })
    bridge.call('system.prune', { only: candidates.map((o) => o.id) }).then(
      (result) => {
        setPrune({ state: 'done', result })
        setReads((n) => n + 1)
      },
      (err: unknown) => setPrune({ state: 'failed', error: callError(err) })
    )
  }
  const busy = prune.state === 'listing' || prune.state === 'pruning'
  return (
    <section className="card" data-testid="engine-disk" aria-busy={usage === undefined && error === undefined}>
      <div className="disk-card__head">
        <h3 className="card__title">Disk used by Sandlot</h3>
        {usage && (
          <button type="button" className="button button--small" disabled={busy || usage.totals.prunable === 0} onClick={list} title="Old core image tags nothing uses, stopped pool containers, dependency build leftovers; never a workspace">
            {prune.state === 'pruning' ? 'Pruning…' : 'Prune…'}
          </button>
        )}
      </div>
      {error && <ErrorDetails error={error} title="The disk use could not be read." />}
      {usage === undefined && error === undefined && <p className="page__lead">Reading the engine’s disk use…</p>}
      {usage && <FactList facts={diskRows(usage).map(([label, value]) => ({ label, value, mono: true }))} />}
      {prune.state === 'done' && <PruneOutcome result={prune.result} />}
      {prune.state === 'failed' && <ErrorDetails error={prune.error} title="Nothing was pruned." testId="engine-prune-error" />}
      {prune.state === 'asking' && (
        <ConfirmDialog title={`Remove these ${prune.candidates.length} (${formatBytes(prune.bytes)})?`} confirmLabel="Remove" onConfirm={() => remove(prune.candidates)} onCancel={() => setPrune({ state: 'idle' })}>
          <p>Sandlot made them and nothing uses them now; no workspace is touched.</p>
          <ul className="prune-list" data-testid="prune-list">
            {prune.candidates.map((o) => (
              <li key={`${o.kind}:${o.id}`}>
                <span className="mono">{o.name}</span> <span className="prune-list__meta">{o.kind} · {formatBytes(o.bytes)} · {o.prunable}</span>
              </li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </section>
  )
}

function PruneOutcome({ result }: { result: PruneResult }) {
  const { text, failures } = pruneSummary(result)
  return (
    <div className="engine-prune" role="status" data-testid="engine-prune-result">
      <p>{result.removed.length === 0 && failures.length === 0 ? 'Nothing to prune.' : text}</p>
      {failures.map((line) => (
        <p key={line} className="field__help field__help--error">
          {line}
        </p>
      ))}
    </div>
  )
}
