import { useNavigate } from '../app/navigation-context'
import { EmptyState } from '../components/EmptyState'
import { PageHeader } from '../components/PageHeader'

/** What an unknown address (`#/bogus`, an old bookmark) shows instead of a blank page: where to go instead. */
export function NotFoundView({ path }: { path: string }) {
  const navigate = useNavigate()
  return (
    <div className="page">
      <PageHeader title="Page not found" lead="This address does not lead to a page of Sandlot." />
      <EmptyState icon="hint" title={`Nothing at “#/${path}”`} text="The link may be old or mistyped." testId="not-found">
        <button type="button" className="button button--primary" onClick={() => navigate('workspaces')}>
          Go to Workspaces
        </button>
      </EmptyState>
    </div>
  )
}
