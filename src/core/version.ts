// The one version: package.json's. The CLI's --version and the action's first log line print the same words.
import { version } from '../../package.json';

export const VERSION_LINE = `buildx-guard ${version}`;
