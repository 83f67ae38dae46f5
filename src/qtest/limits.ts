/**
 * How long the names ZTOQ gives qTest objects may be. ZTOQ holds the names a user configures to these
 * before anything is written (the config schema), and the qTest mock refuses longer ones as qTest does.
 *
 * - Names of modules, test cycles, test cases, test suites and test runs: the qTest Manager v3
 *   Swagger declares `maxLength: 500` on `ModuleResource.name`, `TestCycleResource.name` and the others.
 * - Field labels: the Swagger gives no length (only that a test-step field's label is at most 16
 *   characters); Tricentis' "Field Settings" page says "qTest Manager allows a maximum of 100
 *   characters" for a field's display name. Allowed values (the options of a list field) have no
 *   documented limit at all; ZTOQ holds their labels to the same 100, the conservative choice.
 */

/** Module, test cycle, test case, test suite and test run names (Swagger `maxLength: 500`). */
export const QTEST_NAME_MAX = 500;

/** Field labels (Tricentis: at most 100 characters) and, conservatively, allowed value labels. */
export const QTEST_LABEL_MAX = 100;
