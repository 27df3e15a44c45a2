// The surveys' icon (a clipboard with a check and a line), drawn like components/Icons.tsx.
export function IconSurveys({ size = 18, class: cls }: { size?: number; class?: string; title?: string }) {
  return (
    <svg
      class={'icon' + (cls ? ' ' + cls : '')}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="5" y="4" width="14" height="17" rx="2" />
      <path d="M9 4V3h6v1" />
      <path d="m8.5 11 1.5 1.5 3-3" />
      <path d="M9 16.5h6" />
    </svg>
  );
}
