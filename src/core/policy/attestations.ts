// What the user asked buildx to attest, read the way buildx reads `--attest`, `--provenance` and `--sbom`.
import { InputError } from '../errors';
import { splitCsvLine } from '../inputs';

/** The attestation types a policy strips. buildx knows no others. */
export const STRIPPED_TYPES = ['provenance', 'sbom'] as const;

export interface AttestationRequest {
  /** `provenance`, `sbom`, or any other type buildx is given. */
  type: string;
  enabled: boolean;
  /** Where it came from, for error messages: an input name (`provenance`) or a buildx flag (`--attest`). */
  source: string;
  /** The value as the user wrote it. */
  value: string;
}

/** Go's strconv.ParseBool, which buildx uses for `--provenance`, `disabled=` and the environment. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * Reads one `--attest` value (`type=sbom,generator=image`, `type=provenance,disabled=true`). A bare boolean
 * field is build-push-action's shorthand for `disabled=!value`; buildx 0.10 spelled it `enabled=`.
 */
export function parseAttest(value: string, source: string): AttestationRequest {
  let type = '';
  let enabled = true;
  for (const field of splitCsvLine(value).map((f) => f.trim())) {
    const bare = parseGoBool(field);
    if (bare !== undefined) {
      enabled = bare;
      continue;
    }
    const equals = field.indexOf('=');
    const key = (equals < 0 ? field : field.slice(0, equals)).trim().toLowerCase();
    const attr = equals < 0 ? '' : field.slice(equals + 1).trim();
    if (key === 'type') type = attr;
    else if (key === 'disabled' || key === 'enabled') {
      const flag = parseGoBool(attr);
      if (flag === undefined) throw new InputError(source, value, `${key}= takes true or false.`);
      enabled = key === 'enabled' ? flag : !flag;
    }
  }
  if (type === '') {
    throw new InputError(
      source,
      value,
      'Name the attestation type, e.g. type=provenance,mode=max or type=sbom.',
    );
  }
  return { type, enabled, source, value };
}

/**
 * Reads a `--provenance`/`--sbom` flag or the `provenance`/`sbom` input: a boolean, or attributes such as
 * `mode=max` that turn the attestation on.
 */
export function parseShorthand(type: string, value: string, source: string): AttestationRequest {
  const flag = parseGoBool(value.trim());
  if (flag !== undefined) return { type, enabled: flag, source, value };
  const attrs = parseAttest(`type=${type},${value}`, source);
  return { ...attrs, value };
}

export function isEnabledStrippedType(request: AttestationRequest): boolean {
  return request.enabled && (STRIPPED_TYPES as readonly string[]).includes(request.type);
}
