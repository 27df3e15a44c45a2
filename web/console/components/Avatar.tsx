import { colorFor, initials, readableOnWhiteText, safeColor } from '../util';

interface Props {
  name: string;
  color?: string;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  status?: 'online' | 'away' | 'busy' | 'offline';
  title?: string;
}

export function Avatar({ name, color, size = 'md', status, title }: Props) {
  const bg = readableOnWhiteText(color ? safeColor(color, colorFor(name)) : colorFor(name));
  return (
    <span class={`avatar avatar-${size}`} style={{ background: bg }} title={title ?? name} aria-hidden={title ? undefined : 'true'}>
      {initials(name)}
      {status && <span class={`presence presence-${status}`} />}
    </span>
  );
}
