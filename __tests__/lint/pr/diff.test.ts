import { changedLines, splitDiff } from '../../../src/modes/lint/pr/diff';

describe('changedLines', () => {
  it.each([
    ['a file the PR adds', '@@ -0,0 +1,3 @@\n+a\n+b\n+c', [1, 2, 3]],
    ['one line changed', '@@ -8,3 +8,3 @@\n x\n-old\n+new\n y', [9]],
    ['lines only deleted: the line after them', '@@ -4,4 +4,2 @@\n a\n-b\n-c\n d', [5]],
    ['two hunks', '@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -20,2 +21,2 @@\n x\n-y\n+z', [2, 22]],
    [
      '"\\ No newline at end of file" is no line',
      '@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file',
      [1],
    ],
    ['a deletion at the very top', '@@ -1,2 +0,0 @@\n-a\n-b', [1]],
    ['no hunk at all (a binary file)', 'Binary files differ', []],
  ])('%s', (_, patch, lines) => {
    expect([...changedLines(patch)].sort((a, b) => a - b)).toEqual(lines);
  });
});

describe('splitDiff', () => {
  const diff = [
    'diff --git a/.gitea/workflows/a.yml b/.gitea/workflows/a.yml',
    'index 1111111..2222222 100644',
    '--- a/.gitea/workflows/a.yml',
    '+++ b/.gitea/workflows/a.yml',
    '@@ -1,2 +1,2 @@',
    ' name: a',
    '-on: push',
    '+on: pull_request',
    'diff --git a/gone.yml b/gone.yml',
    'deleted file mode 100644',
    '--- a/gone.yml',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-x',
    'diff --git a/new.yml b/new.yml',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/new.yml',
    '@@ -0,0 +1 @@',
    '++++ a line that starts with +++',
    'diff --git "a/caf\\303\\251.yml" "b/caf\\303\\251.yml"',
    '--- "a/caf\\303\\251.yml"',
    '+++ "b/caf\\303\\251.yml"',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    'diff --git a/logo.png b/logo.png',
    'Binary files a/logo.png and b/logo.png differ',
  ].join('\n');

  it('splits by new path, leaves out deleted and binary files, and unquotes git-quoted names', () => {
    const files = splitDiff(diff);
    expect([...files.keys()]).toEqual(['.gitea/workflows/a.yml', 'new.yml', 'café.yml']);
    expect([...changedLines(files.get('.gitea/workflows/a.yml')!)]).toEqual([2]);
    expect([...changedLines(files.get('new.yml')!)]).toEqual([1]);
    expect([...changedLines(files.get('café.yml')!)]).toEqual([1]);
  });
});
