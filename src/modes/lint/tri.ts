// Three-valued facts. What a build produces often hangs on something the linter cannot know (an expression
// such as `${{ matrix.platform }}`, or a bake file it does not read). Such a fact is `Unknown`, and says what it
// hangs on, so a rule can tell "yes", "no" and "it depends on X" apart, and report only the last as a note.

export interface Unknown {
  /** What the fact depends on, each phrased for a message: "`${{ inputs.platforms }}`", "the bake file". */
  readonly dependsOn: readonly string[];
}

export type Tri = boolean | Unknown;

export function unknown(...dependsOn: string[]): Unknown {
  return { dependsOn: [...new Set(dependsOn)] };
}

export function isUnknown(value: Tri): value is Unknown {
  return typeof value === 'object';
}

export function not(value: Tri): Tri {
  return isUnknown(value) ? value : !value;
}

/** False if any is false; otherwise unknown if any is unknown. */
export function and(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return unknownOf(values) ?? true;
}

/** True if any is true; otherwise unknown if any is unknown. */
export function or(...values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return unknownOf(values) ?? false;
}

function unknownOf(values: Tri[]): Unknown | undefined {
  const unknowns = values.filter(isUnknown);
  return unknowns.length > 0 ? unknown(...unknowns.flatMap((value) => value.dependsOn)) : undefined;
}
