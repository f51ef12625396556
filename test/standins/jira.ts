// A Jira Cloud REST v3 stand-in on loopback that checks requests the way Jira does: basic auth,
// ADF bodies, required and known fields, labels without spaces, JQL search with nextPageToken paging
// and a search index that lags behind writes, workflow transitions by id, and injected 429/5xx.
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/state/clock.ts';
import { systemClock } from '../../core/state/clock.ts';
import { type FaultOptions, Faults, type Reply, basicAuthOk, serve } from '../publishers/support/standin-http.ts';

export interface JiraStandinOptions {
  email?: string;
  apiToken?: string;
  project?: string;
  issueTypes?: string[];
  priorities?: string[];
  components?: string[];
  customFields?: string[];
  clock?: Clock;
  /** How long a new issue stays invisible to search. */
  searchLagMs?: number;
  /** Largest page the search serves, whatever maxResults asks. */
  maxPageSize?: number;
  faults?: FaultOptions;
  /** Apply the request, then answer 502 anyway (a response lost on the way back), for the next N creates. */
  loseCreateResponses?: number;
}

type Category = 'new' | 'indeterminate' | 'done';
const statuses: Record<string, { name: string; category: Category }> = {
  '1': { name: 'To Do', category: 'new' },
  '3': { name: 'In Progress', category: 'indeterminate' },
  '10001': { name: 'Done', category: 'done' },
};
const workflow: Record<string, { id: string; name: string; to: string }[]> = {
  '1': [
    { id: '21', name: 'Start Progress', to: '3' },
    { id: '31', name: 'Done', to: '10001' },
  ],
  '3': [
    { id: '11', name: 'Stop Progress', to: '1' },
    { id: '31', name: 'Done', to: '10001' },
  ],
  '10001': [{ id: '41', name: 'Reopen', to: '1' }],
};

export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & { labels: string[]; summary: string };
  statusId: string;
  resolution: string | null;
  comments: unknown[];
  createdAt: number;
  visibleAt: number;
  history: string[];
}

const blockTypes = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'blockquote', 'rule', 'panel', 'table']);
const inlineTypes = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard']);
const markTypes = new Set(['code', 'strong', 'em', 'link', 'strike', 'underline', 'textColor', 'subsup']);

/** Returns a problem with an ADF node tree, or null when it is a valid document. */
export function adfProblem(doc: unknown): string | null {
  if (typeof doc !== 'object' || doc === null) return 'must be an ADF document object';
  const d = doc as { type?: unknown; version?: unknown; content?: unknown };
  if (d.type !== 'doc' || d.version !== 1 || !Array.isArray(d.content)) return 'ADF root must be {type:"doc", version:1, content:[]}';
  const walk = (node: unknown, where: string): string | null => {
    if (typeof node !== 'object' || node === null) return `${where} is not a node`;
    const n = node as { type?: unknown; text?: unknown; content?: unknown; marks?: unknown; attrs?: unknown };
    if (typeof n.type !== 'string') return `${where} has no type`;
    if (n.type === 'text') {
      if (typeof n.text !== 'string' || n.text.length === 0) return `${where}: text nodes need non-empty text`;
      if (n.marks !== undefined) {
        if (!Array.isArray(n.marks)) return `${where}: marks must be an array`;
        for (const m of n.marks) if (!markTypes.has((m as { type?: string }).type ?? '')) return `${where}: unknown mark`;
      }
      return null;
    }
    if (!blockTypes.has(n.type) && !inlineTypes.has(n.type)) return `${where}: unknown node type ${n.type}`;
    if (n.type === 'heading') {
      const level = (n.attrs as { level?: unknown } | undefined)?.level;
      if (typeof level !== 'number' || level < 1 || level > 6) return `${where}: heading needs attrs.level 1..6`;
    }
    if (n.content !== undefined) {
      if (!Array.isArray(n.content)) return `${where}: content must be an array`;
      for (const [i, child] of n.content.entries()) {
        const problem = walk(child, `${where}.content[${i}]`);
        if (problem) return problem;
      }
    }
    return null;
  };
  for (const [i, node] of d.content.entries()) {
    const problem = walk(node, `content[${i}]`);
    if (problem) return problem;
  }
  return null;
}

const fieldErrors = (errors: Record<string, string>): Reply => ({ status: 400, body: { errorMessages: [], errors } });
const messages = (status: number, ...errorMessages: string[]): Reply => ({ status, body: { errorMessages } });

export async function startJira(options: JiraStandinOptions = {}) {
  const email = options.email ?? 'bot@example.com';
  const apiToken = options.apiToken ?? 'jira-token-abcdef123456';
  const project = options.project ?? 'SEC';
  const issueTypes = new Set(options.issueTypes ?? ['Bug', 'Task']);
  const priorities = new Set(options.priorities ?? ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
  const components = new Set(options.components ?? ['platform']);
  const customFields = new Set(options.customFields ?? ['customfield_10010']);
  const clock = options.clock ?? systemClock;
  const searchLagMs = options.searchLagMs ?? 1_000;
  const maxPageSize = options.maxPageSize ?? 100;
  const faults = new Faults(clock, options.faults, (retryAt, seconds, random): Record<string, string> =>
    // Jira sends Retry-After and/or X-RateLimit-Reset (ISO-8601): exercise both.
    random() < 0.5 ? { 'retry-after': String(seconds), 'ratelimit-reason': 'jira-burst-based' } : { 'x-ratelimit-reset': new Date(retryAt).toISOString() },
  );
  let loseCreates = options.loseCreateResponses ?? 0;
  const issues = new Map<string, JiraIssue>();
  const requests: { method: string; path: string; status: number }[] = [];
  let nextId = 10_000;

  const issueView = (issue: JiraIssue, fields: string[]) => {
    const status = statuses[issue.statusId]!;
    const all: Record<string, unknown> = {
      ...issue.fields,
      status: { id: issue.statusId, name: status.name, statusCategory: { key: status.category } },
      resolution: issue.resolution ? { name: issue.resolution } : null,
    };
    const picked = fields.includes('*all') ? all : Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]]));
    return { id: issue.id, key: issue.key, self: `/rest/api/3/issue/${issue.id}`, ...(fields.length ? { fields: picked } : {}) };
  };

  const findIssue = (idOrKey: string) => issues.get(idOrKey) ?? [...issues.values()].find((i) => i.id === idOrKey);

  function search(url: URL): Reply {
    const jql = url.searchParams.get('jql') ?? '';
    const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
    const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? '50') || 50, maxPageSize);
    const [where = '', order = ''] = jql.split(/\s+ORDER\s+BY\s+/i);
    const clauses = where.trim() ? where.split(/\s+AND\s+/i) : [];
    const tests: ((i: JiraIssue) => boolean)[] = [];
    for (const clause of clauses) {
      const m = /^\s*(\w+)\s*=\s*(?:"([^"]*)"|(\S+))\s*$/.exec(clause);
      if (!m) return messages(400, `Error in the JQL Query: cannot parse '${clause}'.`);
      const [, field, quoted, bare] = m;
      const value = quoted ?? bare ?? '';
      if (field === 'project') tests.push((i) => (i.fields.project as { key: string }).key === value);
      else if (field === 'labels') tests.push((i) => i.fields.labels.includes(value));
      else if (field === 'status') tests.push((i) => statuses[i.statusId]?.name === value);
      else return messages(400, `Field '${field}' does not exist or you do not have permission to view it.`);
    }
    if (order && !/^created\s+(ASC|DESC)$/i.test(order.trim())) return messages(400, `Not able to sort using field '${order.trim()}'.`);
    const now = clock.now();
    let hits = [...issues.values()].filter((i) => i.visibleAt <= now && tests.every((t) => t(i)));
    hits.sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
    if (/DESC$/i.test(order.trim())) hits = hits.reverse();
    let offset = 0;
    const token = url.searchParams.get('nextPageToken');
    if (token) {
      try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number; q: string };
        if (parsed.q !== jql) return messages(400, 'The provided next page token is invalid or expired.');
        offset = parsed.o;
      } catch {
        return messages(400, 'The provided next page token is invalid or expired.');
      }
    }
    const page = hits.slice(offset, offset + maxResults);
    const isLast = offset + maxResults >= hits.length;
    return {
      status: 200,
      body: {
        issues: page.map((i) => issueView(i, fields)),
        ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ o: offset + maxResults, q: jql })).toString('base64url') }),
        isLast,
      },
    };
  }

  function create(body: unknown): Reply {
    const fields = (body as { fields?: Record<string, unknown> } | null)?.fields;
    if (!fields || typeof fields !== 'object') return messages(400, 'fields are required');
    const errors: Record<string, string> = {};
    if ((fields.project as { key?: unknown } | undefined)?.key !== project) errors.project = 'valid project is required';
    if (!issueTypes.has(String((fields.issuetype as { name?: unknown } | undefined)?.name))) errors.issuetype = 'valid issue type is required';
    const summary = fields.summary;
    if (typeof summary !== 'string' || !summary.trim()) errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';
    if (fields.description !== undefined) {
      const problem = adfProblem(fields.description);
      if (problem) errors.description = `Operation value must be an Atlassian Document: ${problem}`;
    }
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels)) errors.labels = 'labels must be an array';
    else
      for (const label of labels) {
        if (typeof label !== 'string' || /\s/.test(label)) errors.labels = `The label '${String(label)}' contains spaces which is invalid.`;
        else if (label.length > 255) errors.labels = 'The label is longer than 255 characters.';
      }
    if (fields.priority !== undefined && !priorities.has(String((fields.priority as { name?: unknown }).name))) errors.priority = 'Specify a valid priority';
    if (fields.components !== undefined) {
      const list = Array.isArray(fields.components) ? fields.components : [];
      for (const c of list) if (!components.has(String((c as { name?: unknown }).name))) errors.components = `Component name '${String((c as { name?: unknown }).name)}' is not valid`;
    }
    const known = new Set(['project', 'issuetype', 'summary', 'description', 'labels', 'priority', 'components']);
    for (const key of Object.keys(fields)) {
      if (!known.has(key) && !customFields.has(key)) errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    if (Object.keys(errors).length) return fieldErrors(errors);
    const id = String(nextId++);
    const key = `${project}-${issues.size + 1}`;
    const now = clock.now();
    issues.set(key, {
      id,
      key,
      fields: { ...fields, labels: labels as string[], summary: summary as string },
      statusId: '1',
      resolution: null,
      comments: [],
      createdAt: now,
      visibleAt: now + searchLagMs,
      history: ['created'],
    });
    if (loseCreates > 0) {
      loseCreates -= 1;
      return messages(502, 'Bad gateway');
    }
    return { status: 201, body: { id, key, self: `/rest/api/3/issue/${id}` } };
  }

  /** Edit issue (PUT /rest/api/3/issue/{key}): summary and description, checked as on create; 204. */
  function edit(issue: JiraIssue, body: unknown): Reply {
    const fields = (body as { fields?: Record<string, unknown> } | null)?.fields;
    if (!fields || typeof fields !== 'object') return messages(400, 'fields are required');
    const errors: Record<string, string> = {};
    for (const key of Object.keys(fields)) if (key !== 'summary' && key !== 'description') errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
    if (fields.description !== undefined) {
      const problem = adfProblem(fields.description);
      if (problem) errors.description = `Operation value must be an Atlassian Document: ${problem}`;
      else if (JSON.stringify(fields.description).length > 32_767 * 2) errors.description = 'The entered text is too long.';
    }
    if (fields.summary !== undefined && (typeof fields.summary !== 'string' || !fields.summary.trim() || fields.summary.length > 255 || /[\r\n]/.test(fields.summary))) errors.summary = 'The summary is invalid.';
    if (Object.keys(errors).length) return fieldErrors(errors);
    Object.assign(issue.fields, fields);
    issue.history.push('edited');
    return { status: 204 };
  }

  function transition(issue: JiraIssue, body: unknown): Reply {
    const b = body as { transition?: { id?: unknown }; fields?: { resolution?: { name?: unknown } }; update?: { comment?: { add?: { body?: unknown } }[] } } | null;
    const id = String(b?.transition?.id ?? '');
    const move = workflow[issue.statusId]?.find((t) => t.id === id);
    if (!move) return messages(400, `Transition id '${id}' is not valid for this issue.`);
    for (const c of b?.update?.comment ?? []) {
      const problem = adfProblem(c.add?.body);
      if (problem) return fieldErrors({ comment: `Comment body is not valid ADF: ${problem}` });
    }
    issue.statusId = move.to;
    issue.resolution = statuses[move.to]?.category === 'done' ? String(b?.fields?.resolution?.name ?? 'Done') : null;
    for (const c of b?.update?.comment ?? []) issue.comments.push(c.add?.body);
    issue.history.push(move.name);
    return { status: 204 };
  }

  async function route(req: IncomingMessage, url: URL, text: string): Promise<Reply> {
    if (!basicAuthOk(req, email, apiToken)) return messages(401, 'Client must be authenticated to access this resource.');
    const injected = faults.next();
    if (injected) return injected;
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return messages(400, 'Unexpected character in request body: not JSON');
      }
    }
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'GET' && path === '/rest/api/3/search/jql') return search(url);
    if (path === '/rest/api/3/search') return messages(410, 'The requested API has been removed. Please migrate to /rest/api/3/search/jql.');
    if (method === 'POST' && path === '/rest/api/3/issue') return create(body);
    const m = /^\/rest\/api\/3\/issue\/([^/]+)(\/comment|\/transitions)?$/.exec(path);
    if (m) {
      const issue = findIssue(decodeURIComponent(m[1]!));
      if (!issue) return messages(404, 'Issue does not exist or you do not have permission to see it.');
      if (!m[2] && method === 'GET') return { status: 200, body: issueView(issue, (url.searchParams.get('fields') ?? '*all').split(',')) };
      if (!m[2] && method === 'PUT') return edit(issue, body);
      if (m[2] === '/comment' && method === 'POST') {
        const problem = adfProblem((body as { body?: unknown } | null)?.body);
        if (problem) return fieldErrors({ comment: `Comment body is not valid ADF: ${problem}` });
        issue.comments.push((body as { body: unknown }).body);
        issue.history.push('commented');
        return { status: 201, body: { id: String(issue.comments.length) } };
      }
      if (m[2] === '/transitions' && method === 'GET') {
        const list = (workflow[issue.statusId] ?? []).map((t) => ({ id: t.id, name: t.name, to: { id: t.to, name: statuses[t.to]!.name } }));
        return { status: 200, body: { transitions: list } };
      }
      if (m[2] === '/transitions' && method === 'POST') return transition(issue, body);
    }
    return messages(404, `no route ${method} ${path}`);
  }

  const started = await serve(async (req, url, text) => {
    const reply = await route(req, url, text);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, status: reply.status });
    return reply;
  });

  return {
    url: started.url,
    email,
    apiToken,
    project,
    faults,
    requests,
    issues: () => [...issues.values()],
    /** Issues carrying a label, oldest first. */
    withLabel: (label: string) => [...issues.values()].filter((i) => i.fields.labels.includes(label)),
    statusOf: (issue: JiraIssue) => statuses[issue.statusId]!.name,
    close: started.close,
  };
}
export type JiraStandin = Awaited<ReturnType<typeof startJira>>;
