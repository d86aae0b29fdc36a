// The lint policy file: which rules run, at what severity, which paths are skipped, and which attestation
// policy the linted builds are assumed to follow.
//
// Format (.github/buildx-guard.yml by default; the `policy-file` input or the `--policy` flag name another):
//
//   attestation-policy: auto                      # auto | strip | keep, as the action's input of that name
//   rules:
//     attestations-explicitly-enabled: off        # off, or a severity: error | warning | note
//     manifest-merge-of-index: warning
//     single-platform-attestations: { severity: note }   # the long form: { enabled: true|false, severity: … }
//   ignore-paths:                                 # globs relative to the repository root: *, **, ?, {a,b};
//     - .github/workflows/legacy-*.yml            # a directory covers every file beneath it
//   image-store: classic                          # containerd | classic | unknown: the self-hosted runners' store,
//   image-store:                                  # or per runs-on label, `*` for every other runner
//     { gpu-runner: containerd, '*': classic }
//
// Every key is optional. A missing default file means the defaults; a missing file named explicitly, invalid
// YAML, an unknown key or rule id, or a bad value is an InputError that names the file, line and column.
import { existsSync } from 'node:fs';
import { escapesRoot } from './contained';
import { readSource } from './source';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, YAMLMap } from 'yaml';
import { InputError } from '../../core/errors';
import { Finding, RuleId, Severity } from './finding';
import { pathMatcher } from './glob';
import { SEVERITIES } from './report/severity';
import { IMAGE_STORES, ImageStore, ImageStorePolicy, NO_IMAGE_STORE_POLICY } from './runner';

export type AttestationPolicy = 'auto' | 'strip' | 'keep';
export const ATTESTATION_POLICIES: readonly AttestationPolicy[] = ['auto', 'strip', 'keep'];

export interface RuleSetting {
  enabled: boolean;
  /** Replaces the rule's default severity. */
  severity?: Severity;
}

export interface LintPolicy {
  rules: Partial<Record<RuleId, RuleSetting>>;
  ignorePaths: string[];
  attestationPolicy: AttestationPolicy;
  /** What the policy file says of the runners' image store (GitHub-hosted Ubuntu labels are known). */
  imageStore: ImageStorePolicy;
}

export const DEFAULT_POLICY_FILE = '.github/buildx-guard.yml';

/** Every rule at its default severity, no ignored path, attestation-policy auto. */
export const DEFAULT_LINT_POLICY: Readonly<LintPolicy> = Object.freeze(defaultPolicy());

function defaultPolicy(): LintPolicy {
  return { rules: {}, ignorePaths: [], attestationPolicy: 'auto', imageStore: NO_IMAGE_STORE_POLICY };
}

// A Record, so that adding a RuleId without listing it here does not compile.
const KNOWN_RULES: Record<RuleId, true> = {
  'single-platform-attestations': true,
  'manifest-merge-of-index': true,
  'attestations-explicitly-enabled': true,
  'parse-error': true,
};
export const RULE_IDS = Object.keys(KNOWN_RULES) as RuleId[];

export function isRuleId(value: string): value is RuleId {
  return Object.prototype.hasOwnProperty.call(KNOWN_RULES, value);
}

const TOP_LEVEL_KEYS = ['attestation-policy', 'rules', 'ignore-paths', 'image-store'];
const RULE_SETTING_KEYS = ['enabled', 'severity'];

/**
 * Reads the policy file at `path` (relative to `root`, or absolute). A missing file is the defaults unless
 * the user named it (`explicit`), in which case it is an error.
 */
export function loadLintPolicy(path: string, options: { root: string; explicit: boolean }): LintPolicy {
  const absolute = resolve(options.root, path);
  // The repository may make its policy file a link to a secret: it is read only if it leads inside the root.
  const escape = escapesRoot(options.root, absolute);
  if (escape) throw new InputError('policy-file', path, `Refused: ${escape}. Commit the policy file itself.`);
  // Read like a workflow file: the same size and nesting bounds, so a hostile policy cannot stall the parser.
  const source = readSource(absolute);
  if (!('text' in source)) {
    const missing = !existsSync(absolute);
    if (missing && !options.explicit) return defaultPolicy();
    throw new InputError(
      'policy-file',
      path,
      missing
        ? 'No such file: create it, or set policy-file (--policy) to an existing file.'
        : `${source.problem.charAt(0).toUpperCase()}${source.problem.slice(1)}: point policy-file (--policy) at a readable file.`,
    );
  }
  const { text } = source;
  return parseLintPolicy(text, displayPath(options.root, absolute));
}

/** Parses and validates the text of a policy file; `file` is the name errors show. */
export function parseLintPolicy(text: string, file: string): LintPolicy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const context: Context = {
    text,
    at: (node) => {
      const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
      return `${file}:${line}:${col}`;
    },
  };

  const [syntaxError] = doc.errors;
  if (syntaxError) {
    const { line, col } = syntaxError.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = syntaxError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(
      `policy file ${file}:${line}:${col}`,
      excerpt((text.split(/\r?\n/)[line - 1] ?? '').trim()),
      syntaxError.code === 'MULTIPLE_DOCS'
        ? 'It holds more than one YAML document: keep one, without "---" separators.'
        : `It is not valid YAML (${reason}): fix the syntax.`,
    );
  }

  const policy = defaultPolicy();
  const root = doc.contents;
  if (isEmpty(root)) return policy;
  if (!isMap(root)) {
    throw new InputError(
      `policy file ${context.at(root)}`,
      shown(root, text),
      `It must be a mapping with the keys ${TOP_LEVEL_KEYS.join(', ')}.`,
    );
  }
  for (const { key, value } of pairs(root)) {
    const name = keyName(key);
    if (!TOP_LEVEL_KEYS.includes(name)) {
      throw new InputError(
        `key in ${context.at(key)}`,
        name,
        `${didYouMean(name, TOP_LEVEL_KEYS)}The policy file's keys are ${TOP_LEVEL_KEYS.join(', ')}.`,
      );
    }
    if (isEmpty(value)) continue;
    if (name === 'attestation-policy') policy.attestationPolicy = attestationPolicy(value, context);
    else if (name === 'rules') policy.rules = ruleSettings(value, context);
    else if (name === 'image-store') policy.imageStore = imageStorePolicy(value, context);
    else policy.ignorePaths = ignorePaths(value, context);
  }
  return policy;
}

interface Context {
  text: string;
  /** "file:line:col" of a node, for error messages. */
  at(node: Node | null | undefined): string;
}

function attestationPolicy(node: Node | null, context: Context): AttestationPolicy {
  const choice = scalarString(node)?.toLowerCase() as AttestationPolicy | undefined;
  if (choice && ATTESTATION_POLICIES.includes(choice)) return choice;
  throw new InputError(
    `attestation-policy in ${context.at(node)}`,
    shown(node, context.text),
    'Use auto, strip or keep.',
  );
}

/** `image-store: classic`, or `image-store: { LABEL: store, '*': store }`. */
function imageStorePolicy(node: Node | null, context: Context): ImageStorePolicy {
  const store = (value: Node | null, where: string): ImageStore => {
    const choice = scalarString(value)?.toLowerCase() as ImageStore | undefined;
    if (choice && IMAGE_STORES.includes(choice)) return choice;
    throw new InputError(
      `${where} in ${context.at(value)}`,
      shown(value, context.text),
      `Use ${IMAGE_STORES.join(', ')} (or a mapping of runs-on label to one of them, with '*' for every other runner).`,
    );
  };
  if (!isMap(node)) return { labels: new Map(), others: store(node, 'image-store') };
  const labels = new Map<string, ImageStore>();
  let others: ImageStore | undefined;
  for (const { key, value } of pairs(node)) {
    const label = keyName(key);
    const setting = store(value, `image-store.${label}`);
    if (label === '*') others = setting;
    else labels.set(label, setting);
  }
  return others === undefined ? { labels } : { labels, others };
}

function ignorePaths(node: Node | null, context: Context): string[] {
  const invalid = (bad: Node | null) =>
    new InputError(
      `ignore-paths in ${context.at(bad)}`,
      shown(bad, context.text),
      'Use a list of path globs relative to the repository root, e.g. "ignore-paths: [.github/workflows/legacy-*.yml]".',
    );
  if (!isSeq(node)) throw invalid(node);
  return node.items.map((item) => {
    const glob = scalarString(item as Node);
    if (!glob) throw invalid(item as Node);
    return glob;
  });
}

function ruleSettings(node: Node | null, context: Context): LintPolicy['rules'] {
  if (!isMap(node)) {
    throw new InputError(
      `rules in ${context.at(node)}`,
      shown(node, context.text),
      'Use a mapping of rule id to off, error, warning or note, e.g. "rules: { manifest-merge-of-index: warning }".',
    );
  }
  const rules: LintPolicy['rules'] = {};
  for (const { key, value } of pairs(node)) {
    const id = keyName(key);
    if (!isRuleId(id)) {
      throw new InputError(
        `rule id in ${context.at(key)}`,
        id,
        `${didYouMean(id, RULE_IDS)}The rule ids are ${RULE_IDS.join(', ')}.`,
      );
    }
    rules[id] = ruleSetting(id, value, context);
  }
  return rules;
}

/** `off`, a severity, a boolean, or the long form `{ enabled, severity }`. */
function ruleSetting(id: RuleId, node: Node | null, context: Context): RuleSetting {
  if (isScalar(node) && typeof node.value === 'boolean') return { enabled: node.value };
  if (!isMap(node)) return severitySetting(id, node, context);

  let setting: RuleSetting = { enabled: true };
  let enabled = true;
  for (const { key, value } of pairs(node)) {
    const name = keyName(key);
    if (name === 'severity') {
      setting = severitySetting(id, value, context);
    } else if (name === 'enabled') {
      if (!isScalar(value) || typeof value.value !== 'boolean') {
        throw new InputError(
          `rules.${id}.enabled in ${context.at(value)}`,
          shown(value, context.text),
          'Use true or false.',
        );
      }
      enabled = value.value;
    } else {
      throw new InputError(
        `key of rules.${id} in ${context.at(key)}`,
        name,
        `${didYouMean(name, RULE_SETTING_KEYS)}The long form of a rule takes ${RULE_SETTING_KEYS.join(' and ')}.`,
      );
    }
  }
  return enabled ? setting : { enabled: false };
}

function severitySetting(id: RuleId, node: Node | null, context: Context): RuleSetting {
  const value = scalarString(node)?.toLowerCase();
  if (value === 'off') return { enabled: false };
  if (value && SEVERITIES.includes(value as Severity)) return { enabled: true, severity: value as Severity };
  throw new InputError(
    `rules.${id} in ${context.at(node)}`,
    shown(node, context.text),
    'Use off, error, warning or note (or the long form { enabled: false } or { severity: warning }).',
  );
}

/** Drops findings of disabled rules and of ignored paths, and applies severity overrides. */
export function applyLintPolicy(findings: Finding[], policy: LintPolicy): Finding[] {
  const ignored = pathMatcher(policy.ignorePaths);
  const kept: Finding[] = [];
  for (const finding of findings) {
    const setting = policy.rules[finding.rule];
    if (setting && !setting.enabled) continue;
    if (ignored(finding.file)) continue;
    kept.push(setting?.severity ? { ...finding, severity: setting.severity } : finding);
  }
  return kept;
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match ? `Did you mean "${match}"? ` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

function isEmpty(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function pairs(map: unknown): { key: Node | null; value: Node | null }[] {
  return (map as YAMLMap<Node | null, Node | null>).items;
}

function keyName(key: Node | null | undefined): string {
  return isScalar(key) ? String(key.value) : String(key ?? '');
}

function scalarString(node: Node | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' && node.value.trim() !== ''
    ? node.value.trim()
    : undefined;
}

/** The value as the user wrote it, short enough for one error line. */
function shown(node: Node | null | undefined, text: string): string {
  if (isScalar(node)) return node.value === null ? '' : excerpt(String(node.value));
  const range = node?.range;
  return excerpt(range ? text.slice(range[0], range[1]).replace(/\s+/g, ' ').trim() : '');
}

/** At most 60 characters of the file in an error: a file the repository links to a secret must not spill it. */
function excerpt(source: string): string {
  return source.length > 60 ? `${source.slice(0, 57)}...` : source;
}

function displayPath(root: string, absolute: string): string {
  const inside = relative(resolve(root), absolute);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : absolute;
}
