// One job's daemon, followed step by step: which builder builds (buildx's `docker` driver, or a BuildKit
// container set up by docker/setup-buildx-action or `docker buildx create --use`), which images the daemon holds
// and which build made each, so that a `docker push` of one is judged as that build pushed from the daemon.
// An image the job did not build (pulled, loaded, or never seen) is not judged.
import { builderContainer } from './docker-command';
import { Build, BuildStep, DaemonOp } from './model';
import { or, Tri } from './tri';
import { isResolved, Value } from './value';

export class JobDaemon {
  /** The build that stored each image reference, as far as this job's steps show. */
  private readonly images = new Map<string, Build>();
  /** Whether the selected builder runs BuildKit in a container (false: the daemon's own, the `docker` driver). */
  private builder: Tri = false;

  /** `store`: whether the daemon has the containerd image store. */
  constructor(private store: Tri) {}

  /** The build steps a command amounts to, with what the runner decides filled in. */
  apply(item: BuildStep | DaemonOp): BuildStep[] {
    switch (item.kind) {
      case 'build':
        return [this.built(item)];
      case 'index-copy':
      case 'manifest-merge':
        return [item];
      case 'tag':
        for (const target of item.target) {
          const build = item.source.map((ref) => this.images.get(ref)).find((found) => found);
          if (build) this.images.set(target, build);
          else this.images.delete(target);
        }
        return [];
      case 'forget':
        if (item.refs === 'all') this.images.clear();
        else for (const ref of item.refs) this.images.delete(ref);
        return [];
      case 'builder':
        this.builder = item.container;
        return [];
      case 'push':
        return this.pushed(item);
    }
  }

  /** A step after which the daemon is not the runner's own any more (docker/setup-docker-action, daemon.json). */
  reconfigured(store: Tri): void {
    this.store = store;
  }

  /** A later builder selection (docker/setup-buildx-action). */
  selectBuilder(container: Tri): void {
    this.builder = container;
  }

  private built(build: Build): Build {
    const container = build.builder === undefined ? this.builder : this.namedBuilder(build.builder);
    const judged = {
      ...build,
      keepsAttestations: or(container, this.store),
      storeDecides: container !== true,
    };
    for (const ref of build.loads) this.images.set(ref, judged);
    return judged;
  }

  /** `--builder NAME`: `default` is the docker driver; another name most likely the builder the job set up. */
  private namedBuilder(name: Value): Tri {
    if (isResolved(name) && name.text.trim() === 'default') return false;
    return this.builder === true ? true : builderContainer(name);
  }

  /** Each build whose image a `docker push` sends, as a push of that build from the daemon. */
  private pushed(push: Extract<DaemonOp, { kind: 'push' }>): Build[] {
    const builds = new Map<Build, string[]>();
    for (const ref of push.refs) {
      const matches = push.allTags
        ? [...this.images].filter(([image]) => repository(image) === repository(ref))
        : [[ref, this.images.get(ref)] as const];
      for (const [image, build] of matches) {
        if (build) builds.set(build, [...(builds.get(build) ?? []), image]);
      }
    }
    return [...builds].map(([build, tags]) => ({
      ...build,
      tool: `${build.tool} + \`${push.text}\` (line ${push.at.line})`,
      push: true,
      pushByDigest: false,
      tags,
      keepsAttestations: this.store,
      storeDecides: true,
    }));
  }
}

/** `docker.io/acme/app:1` → `docker.io/acme/app` (normalised references always have a tag or a digest). */
function repository(ref: string): string {
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
