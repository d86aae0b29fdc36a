import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { discoverFiles } from '../../src/modes/lint/discover';
import { InputError } from '../../src/core/errors';

const root = mkdtempSync(join(tmpdir(), 'discover-'));
for (const file of [
  '.github/workflows/a.yml',
  '.github/workflows/b.yaml',
  '.github/workflows/README.md',
  '.github/workflows/nested/c.yml',
  '.github/dependabot.yml',
  '.gitea/workflows/g.yml',
  '.forgejo/workflows/f.yaml',
  'action.yml',
  'actions/x/action.yaml',
  'docker-compose.yml',
  'other/workflows/o.yml',
  'node_modules/m/action.yml',
  '.git/hooks/action.yml',
  'weird[1].yml',
  'vendor/sub-repo/.github/workflows/nested.yml',
]) {
  mkdirSync(join(root, dirname(file)), { recursive: true });
  writeFileSync(join(root, file), 'on: push\n');
}

const discovered = (...paths: string[]) =>
  [...discoverFiles({ root, paths, input: 'PATH' })]
    .map((file) => relative(root, file).split(sep).join('/'))
    .sort();

describe('discoverFiles', () => {
  it("finds the root's workflow directories and composite actions by default, never in node_modules or .git", () => {
    expect(discovered()).toEqual([
      '.forgejo/workflows/f.yaml',
      '.gitea/workflows/g.yml',
      '.github/workflows/a.yml',
      '.github/workflows/b.yaml',
      'action.yml',
      'actions/x/action.yaml',
    ]);
  });

  it.each<[string[], string[]]>([
    [['docker-compose.yml'], ['docker-compose.yml']],
    [['.github'], ['.github/workflows/a.yml', '.github/workflows/b.yaml']],
    [['.github/workflows'], ['.github/workflows/a.yml', '.github/workflows/b.yaml']],
    [
      ['actions', '.gitea/workflows/g.yml'],
      ['.gitea/workflows/g.yml', 'actions/x/action.yaml'],
    ],
    [['.github/workflows/a.yml', './.github/workflows/a.yml'], ['.github/workflows/a.yml']],
    [['weird[1].yml'], ['weird[1].yml']],
    [['vendor/sub-repo'], ['vendor/sub-repo/.github/workflows/nested.yml']],
  ])('takes files and directories: %j', (paths, files) => {
    expect(discovered(...paths)).toEqual(files);
  });

  it.each<[string[], string[]]>([
    [['.github/workflows/*.yml'], ['.github/workflows/a.yml']],
    [['.github/workflows/*'], ['.github/workflows/a.yml', '.github/workflows/b.yaml']],
    [['{.gitea,.forgejo}/workflows/*'], ['.forgejo/workflows/f.yaml', '.gitea/workflows/g.yml']],
    [
      ['**/workflows/*.yml', '!.github/**'],
      ['.gitea/workflows/g.yml', 'other/workflows/o.yml', 'vendor/sub-repo/.github/workflows/nested.yml'],
    ],
    [['**/action.{yml,yaml}'], ['action.yml', 'actions/x/action.yaml']],
    [['**/action.y?ml'], ['actions/x/action.yaml']],
    [
      ['.github/workflows/*.yml', '.github/**/*.yml'],
      ['.github/dependabot.yml', '.github/workflows/a.yml', '.github/workflows/nested/c.yml'],
    ],
    [['nothing/*.yml'], []],
  ])('takes globs: %j', (globs, files) => {
    expect(discovered(...globs)).toEqual(files);
  });

  it('names the input and the path when a path does not exist', () => {
    expect(() => discovered('missing.yml')).toThrow(InputError);
    expect(() => [...discoverFiles({ root, paths: ['missing.yml'], input: 'workflows' })]).toThrow(
      'Invalid workflows: "missing.yml". No such file or directory',
    );
  });
});
