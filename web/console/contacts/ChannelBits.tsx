// A channel shown as an icon with its label (chat, call-back, offline form,
// e-mail, help center), and an identity's icon.
import { IconBook, IconChat, IconInbox, IconMail, IconPhone, IconUser } from '../components/Icons';
import { channelLabel, type Channel, type IdentityKind } from './contactsApi';

const ICONS = { chat: IconChat, callback: IconPhone, offline: IconInbox, email: IconMail, help_center: IconBook } as const;

/** The icon alone (`label`: also the word), named for screen readers either way. */
export function ChannelIcon({ channel, label, size = 15 }: { channel: Channel; label?: boolean; size?: number }) {
  const Icon = ICONS[channel] ?? IconChat;
  const text = channelLabel(channel);
  return label ? (
    <span class={`channel-tag channel-${channel}`}>
      <Icon size={size} />
      <span>{text}</span>
    </span>
  ) : (
    <span class={`channel-dot channel-${channel}`} title={text} role="img" aria-label={text}>
      <Icon size={size} />
    </span>
  );
}

export function IdentityIcon({ kind, size = 14 }: { kind: IdentityKind; size?: number }) {
  const Icon = kind === 'email' ? IconMail : kind === 'phone' ? IconPhone : IconUser;
  return <Icon size={size} />;
}
