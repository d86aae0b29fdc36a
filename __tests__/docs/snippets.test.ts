// The docs' snippets are code: every YAML block parses, every example file is shown verbatim in the README, every
// buildx-guard step uses inputs that action.yml declares, and every link points at something that exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { fencedBlocks, filesUnder, headingAnchors, linkTargets, readRepoFile, ROOT } from './markdown';

const DOCS = ['README.md', 'TROUBLESHOOTING.md'];
const REUSABLE_WORKFLOW = '.github/workflows/buildx-guard-lint.yml';
const ACTION_USES = /^(https:\/\/github\.com\/)?buildx-guard\/buildx-guard@v1$/;

interface Snippet {
  where: string;
  text: string;
}

const yamlBlocks: Snippet[] = DOCS.flatMap((doc) =>
  fencedBlocks(readRepoFile(doc))
    .filter((block) => block.lang === 'yaml' || block.lang === 'yml')
    .map((block) => ({ where: `${doc}:${block.line}`, text: block.body })),
);
const exampleFiles = filesUnder('examples');
const exampleYaml: Snippet[] = exampleFiles
  .filter((path) => /\.ya?ml$/.test(path))
  .map((path) => ({ where: path, text: readRepoFile(path) }));
const workflowFiles: Snippet[] = [{ where: REUSABLE_WORKFLOW, text: readRepoFile(REUSABLE_WORKFLOW) }];
const allYaml = [...yamlBlocks, ...exampleYaml, ...workflowFiles];

function parseErrors(text: string): string[] {
  return parseDocument(text, { prettyErrors: true }).errors.map((error) => error.message);
}

type Step = { uses?: string; with?: Record<string, unknown>; if?: string };

/** Steps anywhere in a parsed workflow, a job, or a bare step list or step. */
function stepsIn(node: unknown): Step[] {
  if (Array.isArray(node)) return node.flatMap(stepsIn);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.uses === 'string' ? [record as Step] : [];
  return [...own, ...Object.values(record).flatMap(stepsIn)];
}

const guardSteps = allYaml.flatMap(({ where, text }) =>
  stepsIn(parse(text))
    .filter(
      (step) =>
        step.uses?.includes('buildx-guard/buildx-guard') && !step.uses.includes('/.github/workflows/'),
    )
    .map((step) => ({ where, step })),
);

describe('YAML in the docs, the examples and the reusable workflow', () => {
  it('has snippets to check', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(10);
    expect(exampleYaml.map((s) => s.where)).toEqual(
      expect.arrayContaining([
        'examples/github-build.yml',
        'examples/gitea-build.yml',
        'examples/forgejo-build.yml',
        'examples/pr-lint.yml',
        'examples/verify-mirror.yml',
        'examples/gitlab-ci.yml',
      ]),
    );
  });

  it.each(allYaml.map((s) => [s.where, s.text]))('%s parses', (_where, text) => {
    expect(parseErrors(text)).toEqual([]);
    expect(parse(text)).toEqual(expect.anything());
  });
});

describe('examples/', () => {
  const readmeBlocks = fencedBlocks(readRepoFile('README.md')).map((block) => block.body);

  it.each(exampleFiles)('%s is shown verbatim in README.md', (path) => {
    expect(readmeBlocks).toContain(readRepoFile(path));
  });

  it('has the Jenkinsfile', () => {
    expect(exampleFiles).toContain('examples/Jenkinsfile');
  });
});

describe('buildx-guard steps in the snippets', () => {
  const declared = Object.keys(parse(readRepoFile('action.yml')).inputs);

  it('exist in every build, verify and lint example', () => {
    const where = new Set(guardSteps.map((s) => s.where));
    for (const path of ['github-build', 'gitea-build', 'forgejo-build', 'pr-lint', 'verify-mirror']) {
      expect(where).toContain(`examples/${path}.yml`);
    }
  });

  it.each(guardSteps.map(({ where, step }) => [where, step.uses, step]))(
    '%s uses %s with inputs that action.yml declares',
    (_where, uses, step) => {
      expect(uses).toMatch(ACTION_USES);
      expect(Object.keys((step as Step).with ?? {}).filter((name) => !declared.includes(name))).toEqual([]);
    },
  );
});

describe.each([REUSABLE_WORKFLOW, 'examples/pr-lint.yml'])('%s', (path) => {
  const workflow = parse(readRepoFile(path));
  const steps = stepsIn(workflow.jobs);
  const lint = steps.find((step) => ACTION_USES.test(step.uses ?? ''));
  const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));

  it('runs lint mode and writes SARIF', () => {
    expect(lint?.with?.mode).toBe('lint');
    expect(lint?.with?.['sarif-file']).toEqual(expect.any(String));
  });

  it('uploads that SARIF file even when lint fails, and only when it exists', () => {
    expect(upload?.with?.sarif_file).toBe(lint?.with?.['sarif-file']);
    expect(upload?.if).toContain('always()');
    expect(upload?.if).toContain(`hashFiles('${String(lint?.with?.['sarif-file'])}')`);
  });
});

describe(REUSABLE_WORKFLOW, () => {
  const workflow = parse(readRepoFile(REUSABLE_WORKFLOW));

  it('is reusable: on workflow_call only', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
  });

  it('passes each of its inputs to the action or uses it', () => {
    const text = readRepoFile(REUSABLE_WORKFLOW);
    for (const input of Object.keys(workflow.on.workflow_call.inputs)) {
      expect(text).toContain(`inputs.${input}`);
    }
  });

  it('is the workflow the README tells callers to use', () => {
    expect(readRepoFile('README.md')).toContain(`uses: buildx-guard/buildx-guard/${REUSABLE_WORKFLOW}@v1`);
  });
});

describe('relative links in the docs', () => {
  const links = DOCS.flatMap((doc) =>
    linkTargets(readRepoFile(doc))
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => [doc, target]),
  );

  it('are there to check', () => {
    expect(links.length).toBeGreaterThanOrEqual(10);
  });

  it.each(links)('%s -> %s exists', (doc, target) => {
    const [path, anchor] = target.split('#');
    const file = path === '' ? doc : path;
    expect(existsSync(join(ROOT, file))).toBe(true);
    if (anchor !== undefined) expect(headingAnchors(readRepoFile(file))).toContain(anchor);
  });
});
