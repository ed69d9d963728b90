// Progress on stderr for work that takes more than a moment: nothing for a
// quick check; after `progressAfterMs` (1 s) a status line that a terminal
// redraws in place (and clears at the end), or, on a pipe or a log, one line
// when the check starts to take time and one when it ends. `--verbose` says
// when each check starts and ends, whatever it takes, and adds every message
// the check logs; `--quiet` prints nothing.
import type { Io } from './commands/types';

export interface Progress {
  start(label: string): void;
  message(m: string): void;
  stop(): void;
}

export function progress(io: Io, mode: 'quiet' | 'normal' | 'verbose'): Progress {
  const after = io.progressAfterMs ?? 1000;
  let label = '';
  let last = '';
  let started = 0;
  let shown = false;
  let delay: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const tick = () => io.status?.(`${label}: running… ${seconds()}${last ? `  ${last}` : ''}`);
  return {
    start(l) {
      if (mode === 'quiet') return;
      [label, last, started, shown] = [l, '', Date.now(), mode === 'verbose'];
      if (shown) io.err(`${label}: running…`);
      delay = setTimeout(() => {
        if (shown && !io.status) return;
        shown = true;
        if (!io.status) return io.err(`${label}: running…`);
        tick();
        ticker = setInterval(tick, 250);
      }, after);
    },
    message(m) {
      if (m.startsWith(`${label}: `)) m = m.slice(label.length + 2);
      last = m.split('\n')[0].slice(0, 100);
      if (mode !== 'verbose') return;
      io.status?.('');
      io.err(`${label}: ${m}`);
    },
    stop() {
      clearTimeout(delay);
      clearInterval(ticker);
      if (!shown) return;
      io.status?.('');
      io.err(`${label}: done in ${seconds()}`);
    }
  };
}
