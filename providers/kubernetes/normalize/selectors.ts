// Label selectors as the API server evaluates them: a LabelSelector (NetworkPolicy, aggregation rules)
// and a Service's plain selector map.
import type { LabelSelector } from './objects.ts';

/** A LabelSelector: every matchLabels entry and every expression must hold; the empty selector matches all. */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === 'In' ? has && values.includes(labels[e.key] ?? '')
      : e.operator === 'NotIn' ? !has || !values.includes(labels[e.key] ?? '')
      : e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : false; // an unknown operator selects nothing, as the API server would reject it
    if (!ok) return false;
  }
  return true;
}

export const selectsEverything = (selector: LabelSelector | undefined) =>
  Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;

/** A Service selector: an empty or missing one selects no pods (endpoints are managed by hand). */
export function serviceSelects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
