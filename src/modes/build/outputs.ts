// `--output` specs as buildx reads them: CSV `type=image,name=…,push=true`, or a bare path for type=local.
import { splitCsvLine } from '../../core/inputs';
import { parseGoBool } from '../../core/policy/attestations';

export interface OutputSpec {
  type: string;
  attrs: Record<string, string>;
}

export function parseOutput(spec: string): OutputSpec {
  const fields = splitCsvLine(spec).map((field) => field.trim());
  if (fields.length === 1 && !fields[0].includes('=')) {
    // `-o ./dir` is a local export, `-o -` a tarball on stdout.
    return fields[0] === '-'
      ? { type: 'tar', attrs: { dest: '-' } }
      : { type: 'local', attrs: { dest: fields[0] } };
  }
  const attrs: Record<string, string> = {};
  for (const field of fields) {
    const equals = field.indexOf('=');
    if (equals > 0) attrs[field.slice(0, equals).trim().toLowerCase()] = field.slice(equals + 1).trim();
  }
  const { type = '', ...rest } = attrs;
  return { type, attrs: rest };
}

/** `type=registry`, or an image export with `push=true`. */
export function outputPushes(output: OutputSpec): boolean {
  return (
    output.type === 'registry' || (output.type === 'image' && parseGoBool(output.attrs.push ?? '') === true)
  );
}

/** `type=docker` without `dest`, which loads into the local engine. */
export function outputLoads(output: OutputSpec): boolean {
  return output.type === 'docker' && output.attrs.dest === undefined;
}

/** Image names an output exports to (`name=a,b` may list several, CSV-quoted). */
export function outputNames(output: OutputSpec): string[] {
  const names = output.attrs.name;
  return names
    ? names
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
    : [];
}

/** buildx refuses `--iidfile` with the local and tar exporters ("incompatible with image ID file"). */
export function imageIdFileFor(outputs: readonly OutputSpec[], path: string): string | undefined {
  return outputs.some((output) => output.type === 'local' || output.type === 'tar') ? undefined : path;
}

/** Pushed by digest only (`push-by-digest=true`): no tag to verify, only `<repository>@<digest>`. */
export function pushesByDigest(outputs: readonly OutputSpec[]): boolean {
  return outputs.some((output) => parseGoBool(output.attrs['push-by-digest'] ?? '') === true);
}
