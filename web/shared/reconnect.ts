// When to reconnect a WebSocket: the widget's and the console's one rule.

/** The close code a server sends when it restarts or drains (RFC 6455 1012). */
export const SERVICE_RESTART = 1012;

const MIN_DELAY = 500;
const MAX_DELAY = 10_000;
const RESTART_SPREAD = 3_000;

/**
 * After a failed attempt or a lost connection: 0.5 s doubling to 10 s, with
 * "equal jitter" (half fixed, half random) so clients that lost one server at
 * the same moment do not come back at the same moment.
 */
export function backoffDelay(attempt: number): number {
  const base = Math.min(MAX_DELAY, MIN_DELAY * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * After a 1012 close: the server is draining and every client it had is told
 * at once, so they spread their return over a few seconds (full jitter) instead
 * of landing on the remaining nodes in the same instant.
 */
export function restartDelay(): number {
  return MIN_DELAY / 2 + Math.random() * RESTART_SPREAD;
}
