import { isIconFile, type TemplateSummary } from '../../src-main/core/contract'
import { Icon } from './Icon'

/** What an icon is drawn from: the template's image file (a data: URL from the core) or its short text. */
export type TemplateLook = Pick<TemplateSummary, 'icon' | 'iconImage'>

/** A template's icon: its image (an <img>, so an SVG's scripts never run), else its emoji or short text. */
export function TemplateIcon({ template, size = 'md' }: { template: TemplateLook | undefined; size?: 'sm' | 'md' }) {
  const { icon, iconImage } = template ?? {}
  return (
    <span className={`template-icon template-icon--${size}${iconImage === undefined ? '' : ' template-icon--image'}`} aria-hidden="true">
      {iconImage !== undefined ? (
        <img src={iconImage} alt="" draggable={false} data-testid="template-icon-image" />
      ) : icon === undefined || isIconFile(icon) ? (
        <Icon name="templates" size={size === 'sm' ? 14 : 20} />
      ) : (
        icon
      )}
    </span>
  )
}
