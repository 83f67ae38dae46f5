/**
 * The JQL the Jira mock understands: `id in (10001, 10002)` and `id = 10001`, which is all a client
 * resolving issue ids sends. Anything else is refused, as real Jira refuses what it cannot parse.
 */
export type IdQuery = { ids: string[] } | { error: string };

const ID = String.raw`"?(\d+)"?`;
const inList = new RegExp(String.raw`^\s*id\s+in\s*\(\s*(${ID}(?:\s*,\s*${ID})*)\s*\)\s*$`, "i");
const equals = new RegExp(String.raw`^\s*id\s*=\s*${ID}\s*$`, "i");

export function parseIdQuery(jql: string): IdQuery {
  const single = equals.exec(jql);
  if (single) return { ids: [single[1] as string] };
  const list = inList.exec(jql);
  if (list) return { ids: (list[1] as string).split(",").map((item) => item.trim().replace(/"/g, "")) };
  return { error: `The mock understands only 'id in (…)' and 'id = …', not: ${jql.slice(0, 200)}` };
}
