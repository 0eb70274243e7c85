import type { ReactNode } from 'react'
import { Icon, type IconName } from './Icon'

/** A card that stands in for an empty list: an icon, a title, a line of text, and maybe what to do next. */
export function EmptyState({ icon, title, text, testId, children }: { icon: IconName; title: string; text: ReactNode; testId: string; children?: ReactNode }) {
  return (
    <section className="card empty" data-testid={testId}>
      <div className="empty__icon">
        <Icon name={icon} size={22} />
      </div>
      <h2 className="empty__title">{title}</h2>
      <p className="empty__text">{text}</p>
      {children}
    </section>
  )
}
