// Image references normalised the way docker reads them, so `app`, `docker.io/library/app` and `app:latest`
// are one image when a merge is matched against the pushes of other steps. Unresolved expressions stay as
// written: the same expression on both sides is taken as the same value.

const DEFAULT_REGISTRY = 'docker.io';

export function normalizeRef(written: string): string {
  const ref = written.trim();
  const at = ref.indexOf('@');
  const nameAndTag = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? '' : ref.slice(at);
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon) : digest ? '' : ':latest';

  const [first, ...rest] = name.split('/');
  // An expression or variable in front may be a registry or a whole name: it is left as written.
  if (first.startsWith('$')) return `${name}${tag}${digest}`;
  const isRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = isRegistry ? (first === 'index.docker.io' ? DEFAULT_REGISTRY : first) : DEFAULT_REGISTRY;
  const path = isRegistry ? rest : [first, ...rest];
  if (registry === DEFAULT_REGISTRY && path.length === 1) path.unshift('library');
  return `${registry}/${path.join('/')}${tag}${digest}`;
}
