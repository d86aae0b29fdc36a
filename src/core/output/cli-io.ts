import { Log } from './log';

/** What a CLI subcommand may touch: machine output on stdout, diagnostics through the log (stderr). */
export interface CliIO {
  log: Log;
  stdout(text: string): void;
  /** True only on a TTY and without NO_COLOR. */
  color: boolean;
  cwd: string;
}
