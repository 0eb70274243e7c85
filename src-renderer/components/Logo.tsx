import { useId } from 'react'

/** The Sandlot mark: dunes under a low sun. Also the favicon (public/favicon.svg). */
export function Logo({ size = 28 }: { size?: number }) {
  const id = useId()
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <defs>
        <linearGradient id={`${id}-sky`} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#ffb457" />
          <stop offset="1" stopColor="#f7893b" />
        </linearGradient>
        <clipPath id={`${id}-clip`}>
          <rect width="32" height="32" rx="8" />
        </clipPath>
      </defs>
      <g clipPath={`url(#${id}-clip)`}>
        <rect width="32" height="32" fill={`url(#${id}-sky)`} />
        <circle cx="22" cy="10" r="3.2" fill="#fff7e8" />
        <path d="M-1 21C5 16 10 13.5 15 13.5c5 0 9 3.5 18 3.5V33H-1Z" fill="#d95f1c" />
        <path d="M-1 25c6-3.8 11-5.6 16-5.6 6 0 10 3 18 3V33H-1Z" fill="#a63d0d" />
      </g>
    </svg>
  )
}
