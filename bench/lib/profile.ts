// Summaries of `node --cpu-prof` profiles, attributed to source modules. The profiled bundles are
// unminified builds of the same entries (bench/run.mjs makes them), in which esbuild starts every module with
// a `// path/to/module` comment, so a sampled line belongs to the module whose comment precedes it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionShare, ModuleShare, ProfileSummary } from './section';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: CallFrame;
    children?: number[];
    /** Samples by source line (1-based) while this node was on top. */
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Lines before the first module comment: esbuild's helpers (__commonJS, __toESM, ...). */
const PRELUDE = "(esbuild's module wrappers)";
const MODULE_COMMENT = /^\/\/ ((?:node_modules|src|bench|__tests__)\/\S+)$/;

/** Start line (0-based) of each module in an unminified esbuild bundle, in order. */
export function moduleStarts(bundleText: string): { line: number; module: string }[] {
  const starts: { line: number; module: string }[] = [];
  bundleText.split('\n').forEach((text, line) => {
    const match = MODULE_COMMENT.exec(text);
    if (match) starts.push({ line, module: packageOf(match[1]) });
  });
  return starts;
}

/** node_modules/@scope/pkg/x.js → @scope/pkg; node_modules/pkg/x.js → pkg; src files stay as they are. */
export function packageOf(path: string): string {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return parts.join('/');
  const name = parts[at + 1];
  return name.startsWith('@') ? `${name}/${parts[at + 2]}` : name;
}

function moduleAt(starts: { line: number; module: string }[], line: number): string {
  let low = 0;
  let high = starts.length - 1;
  let found = PRELUDE;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (starts[mid].line <= line) {
      found = starts[mid].module;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** The one .cpuprofile that `node --cpu-prof --cpu-prof-dir DIR` wrote. */
export function readCpuProfile(profileDir: string): CpuProfile {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${profileDir}`);
  return JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
}

const PSEUDO_FRAMES = new Set(['(garbage collector)', '(program)', '(idle)']);

/**
 * Summarizes a CPU profile. Modules are charged with the time of every sample whose innermost
 * bundle frame is theirs, so a module also pays for the node built-ins it loads and the calls it makes; samples
 * with no bundle frame on the stack are node's own start-up (including compiling the bundle) or V8's
 * pseudo-frames. Functions are ranked by self time. `bundlePath` is the unminified bundle that ran.
 */
export function summarizeProfile(
  title: string,
  profile: CpuProfile,
  bundlePath: string,
  top = 10,
): ProfileSummary {
  const starts = moduleStarts(readFileSync(bundlePath, 'utf8'));
  const bundleUrl = bundlePath.split('/').slice(-2).join('/');
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const children = new Map(profile.nodes.map((node) => [node.id, node.children ?? []]));
  const inBundle = (id: number) => frames.get(id)!.url.endsWith(bundleUrl);
  // A frame's line is where its function starts. The bundle's own top-level function starts at line 0 and runs
  // the top-level statements of every ES module (esbuild hoists them): its self time is split by sampled line,
  // and what it calls is charged to its busiest line's module (an approximation).
  const busiestLine = new Map(
    profile.nodes.map((node) => {
      const ticks = node.positionTicks ?? [];
      const busiest = ticks.reduce((best, tick) => (tick.ticks > best.ticks ? tick : best), {
        line: 1,
        ticks: 0,
      });
      return [node.id, busiest.line - 1];
    }),
  );
  const moduleOf = (id: number) => {
    const { lineNumber } = frames.get(id)!;
    return moduleAt(starts, lineNumber === 0 ? busiestLine.get(id)! : lineNumber);
  };
  // esbuild's `__require` wrapper (in the prelude) is where V8 compiles a module's body lazily: charge it to
  // the module it calls, when that is one module.
  const calledModule = (id: number): string => {
    const called = new Set(children.get(id)!.filter(inBundle).map(moduleOf));
    return called.size === 1 ? [...called][0] : PRELUDE;
  };
  const chargedModule = (id: number): string => {
    const own = frames.get(id)!;
    if (PSEUDO_FRAMES.has(own.functionName)) return own.functionName;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      if (!inBundle(at)) continue;
      const module = moduleOf(at);
      return module === PRELUDE ? calledModule(at) : module;
    }
    return 'node itself (start-up, compiling the bundle, I/O callbacks)';
  };

  // Self time per node first: timeDeltas[i] is the time since the previous sample, charged to sample i's node.
  const selfMsByNode = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfMsByNode.set(id, (selfMsByNode.get(id) ?? 0) + profile.timeDeltas[i] / 1000),
  );
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  /** The modules a node's self time goes to: by sampled line for the top-level function, else one module. */
  const selfShares = (id: number): [string, number][] => {
    const ticks = nodes.get(id)!.positionTicks ?? [];
    if (!inBundle(id) || frames.get(id)!.lineNumber !== 0 || ticks.length === 0)
      return [[chargedModule(id), 1]];
    const total = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
    return ticks.map((tick) => [moduleAt(starts, tick.line - 1), tick.ticks / total]);
  };

  const byModule = new Map<string, number>();
  const byFunction = new Map<string, { fn: string; module: string; selfMs: number }>();
  let totalMs = 0;
  for (const [id, selfMs] of selfMsByNode) {
    const frame = frames.get(id)!;
    totalMs += selfMs;
    for (const [module, part] of selfShares(id))
      byModule.set(module, (byModule.get(module) ?? 0) + selfMs * part);
    const fn =
      frame.functionName || (frame.lineNumber === 0 && inBundle(id) ? '(top-level code)' : '(anonymous)');
    const where = inBundle(id) ? moduleOf(id) : frame.url.replace(/^file:\/\//, '') || '(native)';
    const key = `${fn}\u0000${where}\u0000${frame.lineNumber}`;
    const entry = byFunction.get(key) ?? { fn, module: where, selfMs: 0 };
    entry.selfMs += selfMs;
    byFunction.set(key, entry);
  }

  const share = (selfMs: number) => (100 * selfMs) / totalMs;
  const modules: ModuleShare[] = [...byModule]
    .map(([module, selfMs]) => ({ module, selfMs, percent: share(selfMs) }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  const functions: FunctionShare[] = [...byFunction.values()]
    .map((entry) => ({ ...entry, percent: share(entry.selfMs) }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  return { title, totalMs, modules, functions };
}
