// Reads the raw `docker buildx build` arguments the CLI is given, to apply the same policy to them: platforms,
// attestation flags, push, outputs, tags and the builder. The arguments themselves reach buildx unchanged.
import { AttestationRequest, parseAttest, parseGoBool, parseShorthand } from '../../core/policy/attestations';
import { outputLoads, outputNames, outputPushes, parseOutput } from './outputs';

/** `docker buildx build` flags that take a value (long names; short ones map below). The rest are booleans. */
const VALUE_FLAGS = new Set([
  'add-host',
  'allow',
  'annotation',
  'attest',
  'build-arg',
  'build-context',
  'builder',
  'cache-from',
  'cache-to',
  'call',
  'cgroup-parent',
  'file',
  'iidfile',
  'isolation',
  'label',
  'metadata-file',
  'network',
  'no-cache-filter',
  'output',
  'platform',
  'print',
  'progress',
  'provenance',
  'root',
  'sbom',
  'secret',
  'security-opt',
  'server-config',
  'shm-size',
  'ssh',
  'tag',
  'target',
  'ulimit',
]);
const SHORT_FLAGS: Record<string, string> = { f: 'file', o: 'output', t: 'tag', q: 'quiet', D: 'debug' };

export interface BuildxArgs {
  /** Flag values by long name, in order; booleans as "true"/"false". */
  flags: Map<string, string[]>;
  /** Attestations asked for with --attest, --provenance or --sbom. */
  requests: AttestationRequest[];
  platforms: string[];
  pushes: boolean;
  loads: boolean;
  /** Image names from --tag and the outputs' name=. */
  names: string[];
  builder: string;
  positionals: string[];
}

/** Parses buildx build arguments the way buildx's flag parser (pflag) does. */
export function readBuildxArgs(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): BuildxArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const equals = body.indexOf('=');
    const key = equals < 0 ? body : body.slice(0, equals);
    const name = long ? key : (SHORT_FLAGS[key[0]] ?? key[0]);
    // Short flags take their value attached (-tname), after = (-t=name) or as the next argument.
    const attached = long ? undefined : body.slice(1).replace(/^=/, '') || undefined;
    const inline = equals >= 0 && long ? body.slice(equals + 1) : attached;
    if (VALUE_FLAGS.has(name)) {
      add(name, inline ?? args[++i] ?? '');
    } else {
      add(name, inline ?? 'true');
    }
  }

  const values = (name: string) => flags.get(name) ?? [];
  const outputs = values('output').map(parseOutput);
  const requests = [
    ...values('attest').map((v) => parseAttest(v, '--attest')),
    ...values('provenance')
      .slice(-1)
      .map((v) => parseShorthand('provenance', v, '--provenance')),
    ...values('sbom')
      .slice(-1)
      .map((v) => parseShorthand('sbom', v, '--sbom')),
  ];
  const isSet = (name: string) => values(name).some((v) => parseGoBool(v) === true);
  const platforms = values('platform');
  return {
    flags,
    requests,
    platforms:
      platforms.length > 0 ? platforms : env.DOCKER_DEFAULT_PLATFORM ? [env.DOCKER_DEFAULT_PLATFORM] : [],
    pushes: isSet('push') || outputs.some(outputPushes),
    loads: isSet('load') || outputs.some(outputLoads),
    names: [...values('tag'), ...outputs.flatMap(outputNames)],
    builder: values('builder').at(-1) ?? env.BUILDX_BUILDER ?? '',
    positionals,
  };
}
