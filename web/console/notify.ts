// Attention signals for new work: a short WebAudio beep (no asset files) and a
// desktop notification when the tab is hidden. Both can be muted by the agent.

const MUTE_KEY = 'sb.console.muted';

let audio: AudioContext | null = null;
let lastBeep = 0;

export function isMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export function setMuted(m: boolean): void {
  try {
    localStorage.setItem(MUTE_KEY, m ? '1' : '0');
  } catch {
    /* ignore */
  }
}

/** Browsers only let audio start after a user gesture: call this from one. */
export function unlockAudio(): void {
  try {
    const Ctx = window.AudioContext || (window as any).webkitAudioContext;
    if (!Ctx) return;
    if (!audio) audio = new Ctx();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
}

export function beep(): void {
  if (isMuted()) return;
  const now = Date.now();
  if (now - lastBeep < 1500) return; // several frames at once: one sound
  lastBeep = now;
  try {
    if (!audio) unlockAudio();
    const ctx = audio;
    if (!ctx || ctx.state !== 'running') return;
    const t0 = ctx.currentTime;
    // Two soft notes, like a doorbell "ding-dong" but shorter.
    const notes: [number, number][] = [
      [880, 0],
      [1320, 0.12],
    ];
    for (const [freq, at] of notes) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + at);
      gain.gain.exponentialRampToValueAtTime(0.18, t0 + at + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + at);
      osc.stop(t0 + at + 0.25);
    }
  } catch {
    /* audio unavailable */
  }
}

export type Permission = NotificationPermission | 'unsupported';

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function requestNotificationPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shows a desktop notification if allowed, not muted and the tab is hidden. */
export function desktopNotify(title: string, body: string, tag: string, onClick: () => void): void {
  if (isMuted() || notificationPermission() !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    const n = new Notification(title, { body: body.slice(0, 180), tag, silent: true });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
    setTimeout(() => n.close(), 15_000);
  } catch {
    /* some browsers only allow notifications from a service worker */
  }
}
