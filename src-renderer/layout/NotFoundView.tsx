import { EmptyState } from '../components/EmptyState'
import { PageHeader } from '../components/PageHeader'
import { GoToWorkspaces } from '../components/GoToWorkspaces'

/** What an unknown address (`#/bogus`, an old bookmark) shows instead of a blank page: where to go instead. */
export function NotFoundView({ path }: { path: string }) {
  return (
    <div className="page">
      <PageHeader title="Page not found" lead="This address does not lead to a page of Sandlot." />
      <EmptyState icon="hint" title={`Nothing at “#/${path}”`} text="The link may be old or mistyped." testId="not-found">
        <GoToWorkspaces look="primary" />
      </EmptyState>
    </div>
  )
}
