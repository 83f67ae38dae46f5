import type { SeededRandom } from "../random.js";

/**
 * Text that looks like what QA teams write, including what breaks naive migrations: HTML from
 * Zephyr's rich-text editor, accents, CJK, right-to-left script, emoji and characters that need
 * escaping in XML, JSON and query strings.
 */
const verbs = ["Verify", "Check", "Ensure", "Validate", "Confirm", "Test", "Open", "Submit", "Reject", "Export"];
const objects = [
  "login form",
  "password reset",
  "shopping cart",
  "invoice PDF",
  "search results",
  "user profile",
  "payment gateway",
  "audit log",
  "session timeout",
  "two-factor prompt",
  "CSV import",
  "dashboard widget",
  "notification email",
  "API rate limit",
  "dark mode toggle",
];
const qualifiers = [
  "with valid data",
  "with an expired token",
  "on a slow network",
  "after a page reload",
  "as a read-only user",
  "with 10,000 rows",
  "in Safari",
  "with an empty payload",
  "under concurrent edits",
  "with the keyboard only",
];
const foreign = [
  "Überprüfung der Währung (€)",
  "Vérifier l'accès « invité »",
  "ログイン画面を確認する",
  "检查购物车总额",
  "التحقق من تسجيل الدخول",
  "Проверка отчёта",
  "Ação concluída com êxito ✅",
  "Émoji handling 🚀🔥 in titles",
  "Quotes \"double\" and 'single' & <angle>",
  "Backslash \\ and percent % and hash #",
];

export function sentence(random: SeededRandom): string {
  return `${random.pick(verbs)} ${random.pick(objects)} ${random.pick(qualifiers)}`;
}

export function title(random: SeededRandom): string {
  return random.chance(0.12) ? `${random.pick(foreign)} — ${sentence(random)}` : sentence(random);
}

/** Zephyr rich text: HTML with `<br>` line breaks, sometimes lists, links and entities. */
export function richText(random: SeededRandom): string {
  const roll = random.next();
  if (roll < 0.3) return sentence(random);
  if (roll < 0.55) return `${sentence(random)}.<br>${sentence(random)}.`;
  if (roll < 0.75) {
    return `<p><strong>${sentence(random)}</strong></p><ul><li>${sentence(random)}</li><li>${random.pick(foreign)}</li></ul>`;
  }
  if (roll < 0.9) {
    return `See <a href="https://example.com/spec?id=${random.int(1, 999)}&amp;v=2">the spec</a> &amp; ${random.pick(foreign)}`;
  }
  return `${random.pick(foreign)}<br><em>${sentence(random)}</em> &lt;tag&gt; 5 &gt; 3`;
}

export function testData(random: SeededRandom): string | null {
  const roll = random.next();
  if (roll < 0.45) return null;
  if (roll < 0.8)
    return `username = user${random.int(1, 99)}@example.com<br>password = ${random.pick(["hunter2", "P@ss w0rd!", "pässwörd"])}`;
  return `{"amount": ${random.int(1, 5000) / 100}, "currency": "${random.pick(["EUR", "USD", "JPY"])}"}`;
}

export function expected(random: SeededRandom): string {
  return random.pick([
    "The page shows a confirmation",
    "An error message names the invalid field",
    "The record is saved and listed first",
    "Nothing changes; the request is rejected with 403",
    "The download starts within 2 seconds",
    "Le total affiché est correct (TVA incluse)",
    "結果が表示される",
    "<b>Success</b> banner is visible<br>and dismissible",
  ]);
}

export const bddScript = (random: SeededRandom): string =>
  [
    `Feature: ${sentence(random)}`,
    "",
    `  Scenario: ${sentence(random)}`,
    `    Given the user is on the ${random.pick(objects)} page`,
    `    When they ${random.pick(verbs).toLowerCase()} the ${random.pick(objects)}`,
    `    Then ${expected(random).toLowerCase()}`,
    "",
    "  Scenario Outline: parameterised",
    "    Given a <role> account",
    "    Then access is <result>",
    "    Examples:",
    "      | role   | result  |",
    "      | admin  | granted |",
    "      | viewer | denied  |",
  ].join("\n");

export const plainScript = (random: SeededRandom): string =>
  `1. ${sentence(random)}\n2. ${sentence(random)}\n3. ${expected(random)}\n\nNote: ${random.pick(foreign)}`;
