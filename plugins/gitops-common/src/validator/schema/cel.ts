import { Environment } from '@marcbachmann/cel-js';
import type { CelRule } from './types';

/**
 * CEL as the Kubernetes API server evaluates `x-kubernetes-validations`:
 * `self` is the value of the schema node. The evaluator's standard library
 * covers what the vendored CRDs use (`has()`, `in`, `size()`, ternaries,
 * string `lowerAscii()`); a rule the library cannot compile is reported, never
 * skipped. Transition rules (those reading `oldSelf`) only run on updates, so
 * they are not evaluated for a new object, exactly as on the API server.
 */
const environment = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
});

type Program = (context: Record<string, unknown>) => unknown;
const programs = new Map<string, Program | Error>();

function program(expression: string): Program | Error {
  let p = programs.get(expression);
  if (p === undefined) {
    try {
      p = environment.parse(expression) as unknown as Program;
    } catch (e) {
      p = e as Error;
    }
    programs.set(expression, p);
  }
  return p;
}

/** Whether a rule is a transition rule (reads `oldSelf`): not evaluated on create. */
export function isTransitionRule(rule: CelRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}

/**
 * Evaluates one rule against a value. Returns undefined when it holds, else
 * the message the API server would give.
 */
export function evaluateRule(rule: CelRule, self: unknown): string | undefined {
  const p = program(rule.rule);
  if (p instanceof Error) {
    return `CEL rule ${JSON.stringify(rule.rule)} does not compile: ${firstLine(
      p.message,
    )}`;
  }
  let result: unknown;
  try {
    result = p({ self });
  } catch (e) {
    return `CEL rule ${JSON.stringify(
      rule.rule,
    )} cannot be evaluated: ${firstLine((e as Error).message)}`;
  }
  if (result === true) return undefined;
  if (result !== false) {
    return `CEL rule ${JSON.stringify(rule.rule)} returned ${String(
      result,
    )}, not a boolean`;
  }
  if (rule.messageExpression) {
    const m = program(rule.messageExpression);
    if (!(m instanceof Error)) {
      try {
        const text = m({ self });
        if (typeof text === 'string' && text !== '') return text;
      } catch {
        // Fall back to message, as the API server does.
      }
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
