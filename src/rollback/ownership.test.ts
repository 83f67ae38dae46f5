import { describe, expect, it } from "vitest";
import { containerVerdict, markedVerdict, type OwnershipBasis, ownershipRule } from "./ownership.js";

const withState: OwnershipBasis = { projectKey: "QA", markerField: "Zephyr Key", stateStore: true };
const noState: OwnershipBasis = { ...withState, stateStore: false };
const ours = { ours: true };

describe("ownership, with a state store: the marker and the run history must agree", () => {
  it("takes a marked object whose marker names this project and whose id the state recorded", () => {
    for (const marker of ["QA-T1", "QA-R1", "QA-R1/QA-T1", "ad-hoc/QA-T1", "QA-ad-hoc", "QA-E1", "QA-execution-5"]) {
      expect({ marker, v: markedVerdict(withState, { marker, recorded: true, tied: false }) }).toEqual({ marker, v: ours });
    }
  });

  it("keeps, and lists, an object carrying this project's marker that the state did not record (made by hand)", () => {
    expect(markedVerdict(withState, { marker: "QA-T1", recorded: false, tied: true })).toEqual({
      ours: false,
      reason: "not made by this migration: it carries this project's marker (QA), but the state does not record it",
      listed: true,
    });
  });

  it("ties an earlier ZTOQ's marker, which names no project, to this project by the state's record of its id alone", () => {
    for (const marker of ["ad-hoc", "execution-5"]) {
      expect(markedVerdict(withState, { marker, recorded: true, tied: false })).toEqual(ours);
      // Its place does not stand in for the record when there is a state: another project's state may have it.
      expect(markedVerdict(withState, { marker, recorded: false, tied: true })).toEqual({
        ours: false,
        reason:
          "not made by this migration: it carries an earlier ZTOQ's marker that names no project, but the state does not record it",
        listed: true,
      });
    }
  });

  it("never takes another project's object, nor one without a marker or with a value typed by hand, recorded or not", () => {
    for (const recorded of [false, true]) {
      expect(markedVerdict(withState, { marker: "QB-T1", recorded, tied: true })).toEqual({
        ours: false,
        reason: "another project's: its 'Zephyr Key' value names QB",
        listed: recorded,
      });
      expect(markedVerdict(withState, { marker: "first draft", recorded, tied: true })).toEqual({
        ours: false,
        reason: "not made by ZTOQ: its 'Zephyr Key' value names no Zephyr project",
        listed: recorded,
      });
      expect(markedVerdict(withState, { marker: null, recorded, tied: true })).toEqual({
        ours: false,
        reason: "not made by ZTOQ: no 'Zephyr Key' value",
        listed: false,
      });
    }
  });

  it("takes a module or test cycle only when the state recorded it, wherever it is", () => {
    expect(containerVerdict(withState, true)).toEqual(ours);
    expect(containerVerdict(withState, false)).toEqual({
      ours: false,
      reason: "not made by ZTOQ: the state does not record it",
      listed: false,
    });
  });
});

describe("ownership, without a state store", () => {
  it("goes by this project's markers; an earlier ZTOQ's only where its place ties it to the project", () => {
    expect(markedVerdict(noState, { marker: "QA-T1", recorded: false, tied: false })).toEqual(ours);
    expect(markedVerdict(noState, { marker: "QA-ad-hoc", recorded: false, tied: false })).toEqual(ours);
    expect(markedVerdict(noState, { marker: "ad-hoc", recorded: false, tied: true })).toEqual(ours);
    expect(markedVerdict(noState, { marker: "ad-hoc", recorded: false, tied: false })).toEqual({
      ours: false,
      reason: "no state store, and its marker 'ad-hoc' (an earlier ZTOQ's) names no project: nothing ties it to QA",
      listed: true,
    });
    expect(markedVerdict(noState, { marker: "QB-T1", recorded: false, tied: true })).toMatchObject({
      ours: false,
      listed: false,
    });
    expect(markedVerdict(noState, { marker: null, recorded: false, tied: true })).toMatchObject({ ours: false, listed: false });
  });

  it("takes no module or test cycle, and says why", () => {
    expect(containerVerdict(noState, true)).toEqual({
      ours: false,
      reason: "no state store: only the state tells the modules and test cycles ZTOQ made from those made by hand",
      listed: true,
    });
  });

  it("says in one sentence how it decided, either way", () => {
    expect(ownershipRule(withState)).toMatch(
      /^ZTOQ's for QA: .*names QA and whose id the state recorded; modules and test cycles whose id/,
    );
    expect(ownershipRule(noState)).toMatch(/^no state store: .*names QA .*; no module or test cycle$/);
  });
});
