// The canned answers' icon (a speech bubble with a slash), drawn like components/Icons.tsx.
export function IconCanned({ size = 18, class: cls }: { size?: number; class?: string; title?: string }) {
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
      <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
      <path d="M13.5 6.5 10.5 13.5" />
    </svg>
  );
}
