import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
import { mapScalar } from '../../src/modes/lint/scalar-map';

/** The scalar under `run:` in a one-key YAML document. */
function runScalar(source: string): Scalar {
  const doc = parseDocument(source);
  expect(doc.errors).toEqual([]);
  if (!isMap(doc.contents)) throw new Error('not a map');
  const node = doc.contents.get('run', true);
  if (!isScalar(node)) throw new Error('run is not a scalar');
  return node;
}

describe('mapScalar', () => {
  it.each([
    ['literal block', 'run: |\n  echo a\n  docker buildx build \\\n    --push .\n', '--push'],
    ['literal block, strip chomping, CRLF', 'run: |-\r\n  echo a\r\n  docker build --push .\r\n', '--push'],
    ['literal block with a leading empty line', 'run: |\n\n  docker build\n  --push\n', '--push'],
    ['literal block with a header comment', 'run: | # the build\n    docker build --push\n', '--push'],
    ['folded block', 'run: >\n  docker buildx build\n  --tag a\n\n  --push .\n', '--push'],
    [
      'folded block with more-indented lines',
      'run: >-\n  docker build\n    --platform x\n  --push\n',
      '--push',
    ],
    ['plain one line', 'run: docker buildx build --push .', '--push'],
    ['plain over lines', 'run: docker buildx build\n  --tag a\n\n  --push .\n', '--push'],
    ['single-quoted with an escaped quote', "run: 'docker build --label ''x'' --push .'", '--push'],
    ['double-quoted with escapes', 'run: "docker build \\"a\\" \\t --push ."', '--push'],
    ['double-quoted with an escaped line break', 'run: "docker build \\\n  --push ."', '--push'],
    ['double-quoted with a unicode escape', 'run: "docker build \\u00e9 --push ."', '--push'],
  ])('maps %s exactly', (_name, source, marker) => {
    const scalar = runScalar(source);
    const map = mapScalar(source, scalar);
    expect(map.exact).toBe(true);
    const value = String(scalar.value);
    const at = value.indexOf(marker);
    expect(source.slice(map.offset(at), map.offset(at) + marker.length)).toBe(marker);
    // Every letter of the value (escapes decode to other characters) is where the map says it is.
    for (let i = 0; i < value.length; i++) {
      if (/[A-Za-z-]/.test(value[i])) expect(source[map.offset(i)]).toBe(value[i]);
    }
  });

  it('falls back to the first content line when the block has an explicit indentation indicator', () => {
    const source = 'run: |2\n    docker build --push\n';
    const scalar = runScalar(source);
    const map = mapScalar(source, scalar);
    expect(map.exact).toBe(false);
    expect(map.offset(5)).toBe(source.indexOf('docker'));
  });

  it('maps the end of the value', () => {
    const source = 'run: docker build';
    const map = mapScalar(source, runScalar(source));
    expect(map.offset('docker build'.length)).toBe(source.length);
  });
});
