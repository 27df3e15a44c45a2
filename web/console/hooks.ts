import { useEffect, useState } from 'preact/hooks';

/** Current time, refreshed every `every` ms (for relative times and expiring indicators). */
export function useNow(every = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(id);
  }, [every]);
  return now;
}
