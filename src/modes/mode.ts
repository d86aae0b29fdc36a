import { InputSource, parseChoice } from '../core/inputs';

export const MODES = ['build', 'verify', 'lint', 'audit', 'repair'] as const;
export type Mode = (typeof MODES)[number];

export function readMode(get: InputSource): Mode {
  return parseChoice(get, 'mode', MODES, 'build');
}
