import { BashParser, bashParser, scriptCommands, ShellCommand } from '../../src/modes/lint/shell';
import { EMPTY_ENV, envScope, literal, Value } from '../../src/modes/lint/value';

let bash: BashParser;
beforeAll(async () => {
  bash = await bashParser();
});

const env = (vars: Record<string, string | Value>) =>
  envScope(
    new Map(
      Object.entries(vars).map(([name, value]) => [name, typeof value === 'string' ? literal(value) : value]),
    ),
    EMPTY_ENV,
  );

/** Each command as its words' texts joined by spaces. */
const texts = (commands: ShellCommand[]) =>
  commands.map((command) => command.words.map((word) => word.text).join(' '));

describe('scriptCommands', () => {
  it.each([
    [
      'a line continuation',
      'docker buildx build \\\n  --push \\\n  -t a/b .',
      ['docker buildx build --push -t a/b .'],
    ],
    [
      'a command substitution',
      'echo "$(docker build -t a .)"',
      ['echo $(docker build -t a .)', 'docker build -t a .'],
    ],
    [
      'if, for, while, && and ||',
      'if true; then docker a; fi\nfor p in x y; do docker b "$p"; done\nwhile false; do docker c; done\ndocker d && docker e || docker f',
      ['true', 'docker a', 'docker b $p', 'false', 'docker c', 'docker d', 'docker e', 'docker f'],
    ],
    ['a pipeline', 'docker build . | tee log', ['docker build .', 'tee log']],
    [
      'a heredoc body, which is not a command',
      'cat <<EOF\ndocker buildx build --push .\nEOF\necho done',
      ['cat', 'echo done'],
    ],
    ['a comment, which is not a command', '# docker buildx build --push .\necho ok', ['echo ok']],
    [
      'quotes and escapes',
      `docker build --label "a \\"b\\"" 'c d' e\\ f .`,
      ['docker build --label a "b" c d e f .'],
    ],
    [
      'a backslash that escapes nothing, in double and single quotes',
      `docker build --label "a\\b" 'c\\d' .`,
      ['docker build --label a\\b c\\d .'],
    ],
    ['words after a redirection', 'docker build 2>&1 >log --push .', ['docker build --push .']],
    [
      'a prefix assignment, kept out of the words',
      'FOO=1 sudo -E docker build .',
      ['sudo -E docker build .'],
    ],
  ])('reads %s', (_name, script, expected) => {
    expect(texts(scriptCommands(bash, script, EMPTY_ENV))).toEqual(expected);
  });

  it('keeps an unresolved ${{ }} expression intact, as one word with its exact position', () => {
    const script =
      'docker build --platform ${{ matrix.platform || "linux/amd64" }} -t "x:${{ github.sha }}" .';
    const [command] = scriptCommands(bash, script, EMPTY_ENV);
    const platform = command.words[3];
    expect(platform.text).toBe('${{ matrix.platform || "linux/amd64" }}');
    expect(platform.unresolved).toEqual(['${{ matrix.platform || "linux/amd64" }}']);
    expect(platform.at).toBe(script.indexOf('${{ matrix'));
    const tag = command.words[5];
    expect(tag).toEqual({
      text: 'x:${{ github.sha }}',
      unresolved: ['${{ github.sha }}'],
      at: script.indexOf('"x:'),
      end: script.indexOf('}}" .') + 3,
    });
    expect(command.words[6].at).toBe(script.length - 1);
  });

  it('substitutes ${{ env.X }} as GitHub does, splitting into words, and maps later words back', () => {
    const script = 'docker buildx build ${{ env.FLAGS }} -t ${{ env.IMAGE }}:1 .';
    const [command] = scriptCommands(
      bash,
      script,
      env({
        FLAGS: '--push --platform linux/amd64',
        IMAGE: { text: 'ghcr.io/${{ github.repository }}', unresolved: ['${{ github.repository }}'] },
      }),
    );
    expect(command.words.map((word) => word.text)).toEqual([
      'docker',
      'buildx',
      'build',
      '--push',
      '--platform',
      'linux/amd64',
      '-t',
      'ghcr.io/${{ github.repository }}:1',
      '.',
    ]);
    expect(command.words[3].at).toBe(script.indexOf('${{ env.FLAGS'));
    expect(command.words[7].unresolved).toEqual(['${{ github.repository }}']);
    expect(command.words[7].at).toBe(script.indexOf('${{ env.IMAGE'));
    expect(command.words[8].at).toBe(script.length - 1);
  });

  it('resolves $VAR and ${VAR} from the environment, splitting unquoted values, and keeps the rest as written', () => {
    const [command] = scriptCommands(
      bash,
      'docker build $ARGS -t "${IMAGE}:$(git rev-parse HEAD)" $UNKNOWN .',
      env({ ARGS: '--push --pull', IMAGE: 'a/b' }),
    );
    expect(command.words.map((word) => word.text)).toEqual([
      'docker',
      'build',
      '--push',
      '--pull',
      '-t',
      'a/b:$(git rev-parse HEAD)',
      '$UNKNOWN',
      '.',
    ]);
    expect(command.words[5].unresolved).toEqual(['$(git rev-parse HEAD)']);
    expect(command.words[6].unresolved).toEqual(['$UNKNOWN']);
  });

  it('gives each command the exports before it and its own prefixes', () => {
    const commands = scriptCommands(
      bash,
      'docker a\nexport BUILDX_NO_DEFAULT_ATTESTATIONS=1\nX=2 docker b',
      env({ X: '1' }),
    );
    expect(commands.map((command) => command.env.get('BUILDX_NO_DEFAULT_ATTESTATIONS')?.text)).toEqual([
      undefined,
      '1',
    ]);
    expect(commands.map((command) => command.env.get('X')?.text)).toEqual(['1', '2']);
  });
});
