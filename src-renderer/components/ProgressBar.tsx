/** A bar for a task's progress; without `percent` it shows activity only (the total is not known). */
export function ProgressBar({ percent, label, size = 'md' }: { percent?: number; label: string; size?: 'sm' | 'md' }) {
  const known = percent !== undefined
  return (
    <div
      className={`progress progress--${size}${known ? '' : ' progress--indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      {/* Set through the CSSOM (React's style prop), which the page's CSP allows; a style attribute in markup it would not. */}
      <div className="progress__fill" style={known ? { transform: `scaleX(${Math.min(100, Math.max(0, percent)) / 100})` } : undefined} />
    </div>
  )
}
