import { CheckError } from '../errors';
import { CliIO } from '../report/cli-io';
import { Log } from '../report/log';

export async function runVerifyAction(_log: Log): Promise<void> {
  throw new CheckError('verify mode is not implemented yet');
}

export async function verifyCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new CheckError('verify mode is not implemented yet');
}
