// The files lint mode scans under a root (DESIGN.md "What it scans"), yielded one at a time.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const WORKFLOW_DIRS = /(^|\/)\.(github|gitea|forgejo)\/workflows$/;
const YAML = /\.ya?ml$/;
const ACTION = /^action\.ya?ml$/;

export function* lintableFiles(root: string, dir = root): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const inWorkflows = WORKFLOW_DIRS.test(dir.slice(root.length));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') yield* lintableFiles(root, path);
    } else if ((inWorkflows && YAML.test(entry.name)) || ACTION.test(entry.name)) {
      yield path;
    }
  }
}
