// Audit mode's inputs (action inputs, or the CLI's flags mapped onto the same names), validated in one place.
import { InputError } from '../../core/errors';
import { InputSource, parseChoice, parseList } from '../../core/inputs';
import { parseReference, Reference } from '../../core/registry/reference';
import { readExpectation, readInsecureRegistries } from '../../core/verification/inputs';
import { Expectation } from '../../core/verification/report';

export interface AuditInputs {
  /** `host/name` (every tag) or `host/name:tag` (that tag). */
  repositories: Reference[];
  /** Registries whose `_catalog` lists the repositories to audit. */
  catalogs: string[];
  /** Where to write the keep-set; empty for nowhere (the action picks a file). */
  keepSet: string;
  expectation: Expectation;
  insecureRegistries: string[];
  format: 'text' | 'json';
}

const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::\d+)?$/;

export function readAuditInputs(get: InputSource): AuditInputs {
  const repositories = parseList(get('repositories')).map(readRepository);
  const catalogs = parseList(get('catalog'));
  const bad = catalogs.find((host) => !HOST.test(host));
  if (bad !== undefined) {
    throw new InputError(
      'catalog',
      bad,
      'Use a registry host[:port], without a scheme or path, e.g. registry.local:5000.',
    );
  }
  if (repositories.length === 0 && catalogs.length === 0) {
    throw new InputError(
      'repositories',
      '',
      'List at least one repository (host/name, or host/name:tag for one tag), or a catalog host.',
    );
  }
  return {
    repositories,
    catalogs,
    keepSet: get('keep-set').trim(),
    expectation: readExpectation(get),
    insecureRegistries: readInsecureRegistries(get),
    format: parseChoice(get, 'format', ['text', 'json'] as const, 'text'),
  };
}

function readRepository(text: string): Reference {
  const ref = parseReference(text, 'repositories');
  if (ref.digest) {
    throw new InputError(
      'repositories',
      text,
      'Audit reads tags: name a repository or a tag (verify checks a digest).',
    );
  }
  return ref;
}
