/** The wordmark: a sun rising over the Gers hills, drawn in the palette; decorative next to the text name. */
export function Logo({ name }: { name: string }) {
  return (
    <span class="logo">
      <svg class="logo-mark" viewBox="0 0 48 48" width="40" height="40" aria-hidden="true" focusable="false">
        <circle cx="24" cy="22" r="10" fill="#f2b705" />
        <path d="M0 34 Q12 22 24 32 T48 28 V48 H0Z" fill="#2f6b3a" />
        <path d="M0 40 Q16 30 30 38 T48 36 V48 H0Z" fill="#8a4b08" />
      </svg>
      <span class="logo-text">{name}</span>
    </span>
  );
}
