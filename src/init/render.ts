import { Document, isMap, isScalar, type Pair, type Scalar, type YAMLMap } from "yaml";
import { defaultMarkerField } from "../config/schema.js";
import { valueKey } from "../mapping/source-usage.js";
import type { CustomFieldProposal, ListKey, ListProposal, Proposal, UserProposal, ValueProposal } from "./propose.js";

/**
 * A proposal as `ztoq.config.yml`: the values as the config schema takes them, and beside each the
 * reason it was chosen and what else qTest allows, so a person reviews the file rather than writes it.
 */

/** Alternatives and values seen listed in a comment, at most. */
const LISTED = 5;
const SHOWN_VALUE_LENGTH = 40;

const quote = (text: string) => `'${text}'`;
const times = (n: number) => `${n}×`;

function more(list: readonly string[], max = LISTED): string {
  return list.length > max ? `${list.slice(0, max).join(", ")}, … (${list.length - max} more)` : list.join(", ");
}

/** Why a value got its target, and what else it could get. */
export function valueComment(value: ValueProposal): string {
  const { match, observed } = value;
  const reason: Record<typeof match.how, string> = {
    observed: `as migrated (${times(observed?.uses ?? 0)})${observed?.others.length ? `; also seen: ${observed.others.map((o) => `${o.target} (${times(o.uses)})`).join(", ")} — check this` : ""}`,
    same: "same name",
    synonym: "synonym",
    close: "similar name — check this",
    closest: "nothing close, and qTest cannot add one: the closest — check this",
    none: "no match",
  };
  const parts = [reason[match.how]];
  if (value.uses === 0) parts.push("not used yet");
  if (match.alternatives.length > 0) parts.push(`or: ${more(match.alternatives)}`);
  return ` ${parts.join("; ")}`;
}

function unmatchedLines(list: { target: string; values: ValueProposal[] }): string[] {
  return list.values
    .filter((v) => v.match.how === "none")
    .map((v) =>
      v.uses > 0
        ? ` ${quote(v.source)} (used ${times(v.uses)}): no close value in ${list.target}; left out, so preflight adds it (createMissingValues)`
        : ` ${quote(v.source)} (not used yet): no close value in ${list.target}; left out`,
    );
}

/** `{ source: target }` with a comment beside each entry and the unmatched ones named above them. */
function valueMap(doc: Document, list: { target: string; values: ValueProposal[] }): YAMLMap {
  const matched = list.values.filter((v) => v.match.target);
  const map = doc.createNode(Object.fromEntries(matched.map((v) => [v.source, v.match.target?.label]))) as YAMLMap;
  map.items.forEach((pair, i) => {
    const value = (pair as Pair<Scalar, Scalar>).value;
    const proposal = matched[i];
    if (value && proposal) value.comment = valueComment(proposal);
  });
  const lines = unmatchedLines(list);
  if (lines.length > 0) map.commentBefore = lines.join("\n");
  if (map.items.length === 0) map.flow = true;
  return map;
}

function pairOf(map: YAMLMap, key: string): Pair<Scalar, unknown> {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair) throw new Error(`no ${key} in the rendered map`);
  return pair as Pair<Scalar, unknown>;
}

function describeValue(value: unknown): string {
  const text = valueKey(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH - 1)}…` : text;
}

function customFieldComment(field: CustomFieldProposal): string {
  const uses = field.seen.reduce((sum, s) => sum + s.uses, 0);
  const seen =
    field.seen.length === 0
      ? "no value seen yet"
      : `seen ${times(uses)}, ${field.seen.length} distinct: ${more(field.seen.map((s) => describeValue(s.value)))}`;
  const target = "field" in field.mapping ? field.mapping.field : "";
  const why: Record<CustomFieldProposal["reason"], string> = {
    existing: `into the qTest test-case field ${quote(target)}`,
    create: "qTest has no such test-case field: preflight creates it",
    "create-renamed": `qTest's field ${quote(field.name)} cannot take these values: preflight creates ${quote(target)}`,
    empty:
      "create" in field.mapping
        ? "qTest has no such test-case field: preflight creates it as text, which takes any value"
        : `into the qTest test-case field ${quote(target)}`,
  };
  // Options that keep their name say nothing a reader needs.
  const options = field.options
    .filter((o) => o.match.target?.label.toLowerCase() !== o.source.toLowerCase() || (o.observed?.others.length ?? 0) > 0)
    .map((o) =>
      o.match.target
        ? `option ${quote(o.source)} → ${o.match.target.label}:${valueComment(o)}`
        : `option ${quote(o.source)} (used ${times(o.uses)}): no such qTest option; preflight adds it (createMissingValues)`,
    );
  return [` ${seen}`, ` ${why[field.reason]}`, ...options.map((o) => ` ${o}`)].join("\n");
}

/** Why the unmatched accounts are kept, and one commented-out `users:` entry each, at the indentation of `users:` entries. */
function unmatchedUsers(users: readonly UserProposal[]): { why: string[]; entries: string[] } {
  const unmatched = users
    .filter((u) => u.how === "none")
    .sort((a, b) => b.uses - a.uses || a.accountId.localeCompare(b.accountId));
  if (unmatched.length === 0) return { why: [], entries: [] };
  return {
    why: [
      ` ${unmatched.length} Atlassian account(s) with no qTest user found (Zephyr gives account ids only): each keeps`,
      " its id in 'Zephyr Unmapped Users' (unmappedUsers: keep). To map one, uncomment its line and put a",
      " qTest username or numeric user id between the quotes:",
    ],
    entries: unmatched.map((u) => ` ${JSON.stringify(u.accountId)}: ""   # used ${times(u.uses)} in ${u.places.join(", ")}`),
  };
}

function userComment(user: UserProposal): string {
  const how = user.how === "observed" ? "as migrated" : "qTest username or e-mail equal to the account id";
  return ` ${how}; used ${times(user.uses)} in ${user.places.join(", ")}`;
}

const LIST_LABEL: Record<ListKey, string> = {
  testCase: "test case statuses",
  testCycle: "test cycle statuses",
  testExecution: "execution statuses",
  priorities: "priorities",
  environments: "environments",
};

function header(proposal: Proposal): string {
  const { counts, paired } = proposal;
  const lines = [
    ` ZTOQ configuration proposed by \`ztoq init\` from Zephyr Scale project ${proposal.zephyr.projectKey}`,
    ` (${counts.testCases} test cases, ${counts.testCycles} test cycles, ${counts.testExecutions} executions) and qTest project ${proposal.qtest.projectId}.`,
    ' Each mapped value says why beside it; look at every "check this" before migrating.',
    " Secrets never go here: set ZTOQ_ZEPHYR_TOKEN and ZTOQ_QTEST_TOKEN (or ZTOQ_QTEST_USERNAME and ZTOQ_QTEST_PASSWORD).",
  ];
  const t = proposal.traceability;
  if (t.testPlans + t.coverageLinks > 0) {
    lines.push(
      ` ${t.testPlans} test plans become releases; ${t.coverageLinks} coverage links name ${t.issues} Jira issues, which become`,
      " requirement links (see mapping.requirements; jira.url with ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN resolves issue keys).",
    );
  }
  if (paired.testCases + paired.testSuites + paired.testLogs > 0) {
    lines.push(
      ` "as migrated": what the ${paired.testCases} test cases, ${paired.testSuites} test suites and ${paired.testLogs} test logs ZTOQ`,
      " already migrated into this qTest project carry; it wins over matching by name.",
    );
  }
  return lines.join("\n");
}

export function renderProposal(proposal: Proposal): string {
  const doc = new Document();
  const list = (key: ListKey) => proposal.lists.find((l) => l.key === key) as ListProposal;
  const mappedUsers = proposal.users.filter((u) => u.user !== undefined);
  const customFields = Object.fromEntries(proposal.customFields.map((c) => [c.name, c.mapping]));
  doc.contents = doc.createNode({
    zephyr: proposal.zephyr,
    qtest: proposal.qtest,
    mapping: {
      ...(proposal.markerField !== defaultMarkerField && { markerField: proposal.markerField }),
      createMissingValues: proposal.createMissingValues,
      unmappedUsers: proposal.unmappedUsers,
      statuses: {},
      priorities: {},
      environments: {},
      users: Object.fromEntries(mappedUsers.map((u) => [u.accountId, u.user])),
      customFields,
      requirements: { create: false },
    },
  }) as YAMLMap;
  doc.commentBefore = header(proposal);
  const mapping = doc.get("mapping", true) as YAMLMap;

  const statuses = doc.createNode({}) as YAMLMap;
  for (const key of ["testCase", "testCycle", "testExecution"] as const) {
    statuses.items.push(doc.createPair(key, valueMap(doc, list(key))));
  }
  mapping.set("statuses", statuses);
  mapping.set("priorities", valueMap(doc, list("priorities")));
  mapping.set("environments", valueMap(doc, list("environments")));
  for (const key of ["testCase", "testCycle", "testExecution"] as const) {
    pairOf(statuses, key).key.commentBefore = ` ${LIST_LABEL[key]} → ${list(key).target}`;
  }
  for (const key of ["priorities", "environments"] as const) {
    pairOf(mapping, key).key.commentBefore = ` ${LIST_LABEL[key]} → ${list(key).target}`;
  }

  const missing = proposal.createMissingValues
    ? " some values in use have no qTest value (named below): preflight adds them to their qTest field; needs project-admin rights"
    : " every value in use has a qTest value";
  (pairOf(mapping, "createMissingValues").value as Scalar).comment = missing;
  (pairOf(mapping, "unmappedUsers").value as Scalar).comment =
    proposal.unmappedUsers === "keep"
      ? " accounts with no qTest user (listed at users:) keep their id in 'Zephyr Unmapped Users'"
      : " every account in use has a qTest user below";

  const unmatched = unmatchedUsers(proposal.users);
  if (mappedUsers.length === 0) {
    // An empty map would need its `{}` removed by hand; a commented-out `users:` needs only uncommenting.
    mapping.delete("users");
    if (unmatched.entries.length > 0) {
      pairOf(mapping, "customFields").key.commentBefore = [
        ...unmatched.why,
        " users:",
        ...unmatched.entries.map((line) => `  ${line}`),
      ].join("\n");
    }
  } else {
    const users = pairOf(mapping, "users");
    const userMap = users.value as YAMLMap;
    userMap.items.forEach((pair, i) => {
      const user = mappedUsers[i];
      if (user && isScalar(pair.value)) pair.value.comment = userComment(user);
    });
    if (unmatched.entries.length > 0) {
      users.key.commentBefore = unmatched.why.join("\n");
      userMap.comment = unmatched.entries.join("\n");
    }
  }

  const { issues, withoutRequirement } = proposal.traceability;
  pairOf(mapping, "requirements").key.commentBefore =
    issues === 0
      ? " no Jira issue is linked: nothing to decide here"
      : withoutRequirement === 0
        ? ` qTest holds a requirement for each of the ${issues} Jira issues the links name`
        : ` ${withoutRequirement} of the ${issues} Jira issues the links name have no qTest requirement: create: true makes one each\n (needs jira.url for their keys); false leaves those links out, listed in both reports`;

  const fields = pairOf(mapping, "customFields").value as YAMLMap;
  if (fields.items.length === 0) fields.flow = true;
  fields.items.forEach((pair, i) => {
    const field = proposal.customFields[i];
    if (field && isMap(pair.value)) pair.value.commentBefore = customFieldComment(field);
  });
  return doc.toString({ lineWidth: 0 });
}

/** One line for the terminal: what to look at in the file. */
export function summarize(proposal: Proposal, file: string): string {
  const values = [...proposal.lists.flatMap((l) => l.values), ...proposal.customFields.flatMap((c) => c.options)];
  const toCheck = values.filter(
    (v) => v.match.how === "close" || v.match.how === "closest" || (v.observed?.others.length ?? 0) > 0,
  ).length;
  const added = values.filter((v) => v.uses > 0 && v.match.how === "none").length;
  const created = proposal.customFields.filter((c) => "create" in c.mapping && c.mapping.create).length;
  const kept = proposal.users.filter((u) => u.how === "none").length;
  return [
    `wrote ${file}`,
    `${toCheck} value(s) marked "check this"`,
    `${added} value(s) preflight adds to qTest`,
    `${created} custom field(s) preflight creates`,
    `${kept} account(s) with no qTest user, kept as text`,
  ].join("; ");
}
