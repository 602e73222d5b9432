/**
 * `--only` and `--skip`: which requirements a run judges, by id (CI-020) or by level (MUST, SHOULD,
 * MAY). One place decides it for the three users: the CLI (a bad selector is a usage error), the
 * conformance tests (a test that judges none of the selected requirements is skipped) and the
 * reporter (the matrix and the verdict cover the selection and say what it was).
 */
import type { Level, Requirement } from '../specs/ledger-types.ts';

/** The environment variables that carry --only and --skip to the test workers (the option table names them from here). */
export const SELECTION_ENV = { only: 'OSI_ONLY', skip: 'OSI_SKIP' } as const;

export interface Selection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
}

export const NO_SELECTION: Selection = { only: [], skip: [] };

const LEVEL_NAMES: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

/** The selector as written, upper-cased (ids and levels are both upper case in the ledger). */
function normalise(selector: string): string {
  return selector.trim().toUpperCase();
}

function matches(requirement: Pick<Requirement, 'id' | 'level'>, selector: string): boolean {
  const s = normalise(selector);
  return s === requirement.id || s === requirement.level;
}

/** Selectors that name neither a requirement of the ledger nor a level; [] when every one is known. */
export function unknownSelectors(selection: Selection, requirements: readonly Pick<Requirement, 'id'>[]): string[] {
  const known = new Set<string>([...requirements.map((r) => r.id), ...LEVEL_NAMES]);
  return [...selection.only, ...selection.skip].filter((s) => !known.has(normalise(s)));
}

/** The selection as its variables give it (OSI_ONLY, OSI_SKIP), for the test workers. */
export function selectionFromEnv(env: Readonly<Record<string, string | undefined>>): Selection {
  const list = (value: string | undefined): string[] =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  return { only: list(env[SELECTION_ENV.only]), skip: list(env[SELECTION_ENV.skip]) };
}

/** One line for selectors that name nothing, or null when every one is known. */
export function selectionProblem(selection: Selection, requirements: readonly Pick<Requirement, 'id'>[]): string | null {
  const unknown = unknownSelectors(selection, requirements);
  return unknown.length === 0
    ? null
    : `--only/--skip take requirement ids (CI-020) or levels (MUST, SHOULD, MAY); not known: ${unknown.join(', ')} (\`list\` shows every requirement)`;
}

export function isEmptySelection(selection: Selection): boolean {
  return selection.only.length === 0 && selection.skip.length === 0;
}

export function isSelected(requirement: Pick<Requirement, 'id' | 'level'>, selection: Selection): boolean {
  if (selection.only.length > 0 && !selection.only.some((s) => matches(requirement, s))) return false;
  return !selection.skip.some((s) => matches(requirement, s));
}

/** How the selection reads in a verdict: "--only CI-020, CI-021; --skip MAY (2 of 57 requirements)". */
export function describeSelection(selection: Selection, selected: number, total: number): string {
  const parts = [
    ...(selection.only.length > 0 ? [`--only ${selection.only.map(normalise).join(', ')}`] : []),
    ...(selection.skip.length > 0 ? [`--skip ${selection.skip.map(normalise).join(', ')}`] : []),
  ];
  return `${parts.join('; ')} (${selected} of ${total} requirements)`;
}
