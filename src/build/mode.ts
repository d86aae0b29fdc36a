import { CheckError } from '../errors';
import { CliIO } from '../report/cli-io';
import { Log } from '../report/log';

export async function runBuildAction(_log: Log): Promise<void> {
  throw new CheckError('build mode is not implemented yet');
}

export async function buildCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new CheckError('build mode is not implemented yet');
}
