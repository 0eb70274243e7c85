import { useState } from 'react'
import type { DiskUsage } from '../../src-main/core/contract'
import { useCallWhileOpen } from '../app/use-call-while-open'
import type { CallError } from '../bridge/bridge'
import { ErrorDetails } from '../components/ErrorDetails'
import { diskRows } from './resource-model'
import { FactList } from '../components/FactList'

/** Disk used by Sandlot's core images, containers and volumes, read when the Engine view opens. */
export function EngineDiskCard({ connected }: { connected: boolean }) {
  const [usage, setUsage] = useState<DiskUsage>()
  const [error, setError] = useState<CallError>()
  useCallWhileOpen((bridge) => bridge.call('system.df', {}), (answer) => {
    setError(undefined)
    setUsage(answer)
  }, { enabled: connected, onError: setError })
  if (!connected) return null
  return (
    <section className="card" data-testid="engine-disk" aria-busy={usage === undefined && error === undefined}>
      <h3 className="card__title">Disk used by Sandlot</h3>
      {error && <ErrorDetails error={error} title="The disk use could not be read." />}
      {usage === undefined && error === undefined && <p className="page__lead">Reading the engine’s disk use…</p>}
      {usage && (
        <FactList facts={diskRows(usage).map(([label, value]) => ({ label, value, mono: true }))} />
      )}
    </section>
  )
}
