import { CheckError } from '../errors';
import { CliIO } from '../report/cli-io';
import { Log } from '../report/log';

export async function runLintAction(_log: Log): Promise<void> {
  throw new CheckError('lint mode is not implemented yet');
}

export async function lintCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new CheckError('lint mode is not implemented yet');
}
