// `docker compose build` and `docker compose push` (also `docker-compose`): each service with `build:` and `image:`
// in a compose file of the repository is built into the daemon under its image name like `docker build -t`, and
// pushed from there like `docker push`. Without the file (not in the repository, or named by an expression) the
// services are not known, and nothing is judged.
import { parseDocument } from 'yaml';
import { normalizeRef } from './image-ref';
import { attestationsOf, Build, DaemonOp, platformsOf, Position } from './model';
import { Env, literal, NO_MATRIX, Value } from './value';
import { getPair, mapAt, pairsOf, resolve, scalarText } from './workflow';
import { isSeq } from 'yaml';

/** A `docker compose build|push` command, before its compose file is read. */
export interface ComposeCommand {
  kind: 'compose';
  command: 'build' | 'push';
  /** `-f` files as written (none: the default names in the working directory). */
  files: Value[];
  /** The services named on the command line (none: all). */
  services: string[];
  /** `docker compose build --push`. */
  push: boolean;
  at: Position;
  file: string;
  env: Env;
}

export interface ComposeService {
  name: string;
  image: string;
  platforms: string[];
}

/** The compose file names docker compose looks for, in its order. */
export const DEFAULT_COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/** The services of a compose file that are built and named (`build:` and `image:`); undefined when unreadable. */
export function composeServices(text: string): ComposeService[] | undefined {
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) return undefined;
  const services = mapAt(doc, getPair(doc, mapAt(doc, doc.contents), 'services')?.value);
  if (!services) return [];
  return pairsOf(doc, services).flatMap((pair) => {
    const name = scalarText(doc, pair.key);
    const service = mapAt(doc, pair.value);
    const image = scalarText(doc, getPair(doc, service, 'image')?.value);
    const build = getPair(doc, service, 'build');
    if (name === undefined || image === undefined || !build) return [];
    const platforms = resolve(doc, getPair(doc, mapAt(doc, build.value), 'platforms')?.value);
    return [
      {
        name,
        image,
        platforms: isSeq(platforms) ? platforms.items.flatMap((item) => scalarText(doc, item) ?? []) : [],
      },
    ];
  });
}

const NO_DEFAULT_ATTESTATIONS = 'BUILDX_NO_DEFAULT_ATTESTATIONS';

/** What a compose command does with the services of its file: builds into the daemon, or pushes from it. */
export function composeSteps(command: ComposeCommand, services: ComposeService[]): (Build | DaemonOp)[] {
  const chosen = services.filter(
    (service) => command.services.length === 0 || command.services.includes(service.name),
  );
  if (command.command === 'push') {
    const refs = chosen.map((service) => normalizeRef(service.image));
    return refs.length === 0
      ? []
      : [{ kind: 'push', refs, allTags: false, at: command.at, text: 'docker compose push' }];
  }
  const { provenance, sbom } = attestationsOf([], 'buildx', command.env.get(NO_DEFAULT_ATTESTATIONS));
  return chosen.map((service) => {
    const ref = normalizeRef(service.image);
    return {
      kind: 'build',
      file: command.file,
      at: command.at,
      tool: `\`docker compose build\` (service \`${service.name}\`)`,
      push: command.push,
      pushByDigest: false,
      platforms: platformsOf(service.platforms.map(literal), NO_MATRIX),
      provenance,
      sbom,
      tags: [ref],
      disable: { advice: `set \`${NO_DEFAULT_ATTESTATIONS}: 1\` in the step's \`env:\`` },
      loads: [ref],
      keepsAttestations: true,
    };
  });
}
