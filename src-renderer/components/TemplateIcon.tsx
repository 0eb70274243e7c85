import { isIconFile } from '../../src-main/core/contract'
import { Icon } from './Icon'

/** A template's icon: its emoji or short text; an image file inside the template is not reachable from here. */
export function TemplateIcon({ icon, size = 'md' }: { icon: string | undefined; size?: 'sm' | 'md' }) {
  return (
    <span className={`template-icon template-icon--${size}`} aria-hidden="true">
      {icon === undefined || isIconFile(icon) ? <Icon name="templates" size={size === 'sm' ? 14 : 20} /> : icon}
    </span>
  )
}
