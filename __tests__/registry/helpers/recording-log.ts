// A Log that keeps every message as written (before any masking), and the values registered as secrets.
import { Log } from '../../../src/core/output/log';

export interface RecordingLog extends Log {
  /** Every message, one per line, as the code wrote it. */
  text(): string;
  secrets: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  const secrets: string[] = [];
  const record = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return {
    info: record('info'),
    warning: record('warning'),
    notice: record('notice'),
    error: record('error'),
    debug: record('debug'),
    secret: (value) => {
      secrets.push(value);
    },
    group: (name, fn) => {
      lines.push(`group: ${name}`);
      return fn();
    },
    text: () => lines.join('\n'),
    secrets,
  };
}
