import type { EngineStatus } from '../../src-main/core/contract'
import { useNavigate } from '../app/navigation-context'
import { engineStatusModel } from '../views/engine-status-model'
import { asSentence } from '../views/workspace-model'
import { Icon } from './Icon'

type Unreachable = Extract<EngineStatus, { state: 'unreachable' }>

/** In place of what needs the engine: what went wrong, what to do, what comes back once it answers. */
export function EngineDownNotice({ engine, consequence, testId }: { engine: Unreachable; consequence: string; testId: string }) {
  const navigate = useNavigate()
  const model = engineStatusModel(engine, Date.now())
  return (
    <section className="card empty" data-testid={testId}>
      <div className="empty__icon empty__icon--error">
        <Icon name="unplugged" size={22} />
      </div>
      <h2 className="empty__title">The Docker engine is not reachable</h2>
      <p className="empty__text empty__text--detail">{model.summary}</p>
      <p className="empty__text">
        {asSentence(model.hint ?? '')} {consequence}
      </p>
      <button type="button" className="button" onClick={() => navigate('engine')}>
        <Icon name="engine" size={14} />
        Open the Engine page
      </button>
    </section>
  )
}
