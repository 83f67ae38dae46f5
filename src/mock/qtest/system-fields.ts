import { FieldDataType } from "../../qtest/field-data-type.js";
/**
 * What a new qTest project comes with: system fields per object type with their allowed values,
 * the execution statuses and a few users. A migration has to resolve every id from these exactly as
 * it would against a real site, so nothing here may be assumed by the migration code.
 */

/**
 * The Swagger names `attribute_type` but never lists its strings; these follow the vendor sample
 * ("Number" for a combo box, which stores an allowed-value id) and are unconfirmed beyond it.
 */
export const attributeTypeOf: Record<number, string> = {
  1: "ShortText",
  2: "LongText",
  3: "Number",
  4: "Date",
  5: "User",
  6: "RichText",
  7: "Number",
  8: "ArrayNumber",
  9: "DateTime",
  12: "URL",
  17: "ArrayNumber",
};

export interface AllowedValueSeed {
  value: number;
  label: string;
  is_default?: boolean;
  color?: string;
}

export interface FieldSeed {
  id: number;
  label: string;
  data_type: number;
  original_name: string;
  search_key: string;
  required?: boolean;
  allowed_values?: AllowedValueSeed[];
  /** Editable through the API? qTest computes some system fields itself (a run's status). */
  readOnly?: boolean;
}

export const OBJECT_TYPES = [
  "requirements",
  "test-cases",
  "defects",
  "test-runs",
  "test-suites",
  "releases",
  "builds",
  "test-steps",
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const executionStatuses = [
  { id: 601, name: "Passed", is_default: false, color: "#0cdda8", active: true },
  { id: 602, name: "Failed", is_default: false, color: "#ff6464", active: true },
  { id: 603, name: "Incomplete", is_default: false, color: "#ffbc3c", active: true },
  { id: 604, name: "Blocked", is_default: false, color: "#9c9c9c", active: true },
  { id: 605, name: "Unexecuted", is_default: true, color: "#e0e0e0", active: true },
];

export const systemFields: Record<ObjectType, FieldSeed[]> = {
  "test-cases": [
    {
      id: 3001,
      label: "Status",
      data_type: FieldDataType.comboBox,
      original_name: "TestCaseStatus",
      search_key: "status",
      allowed_values: [
        { value: 201, label: "New", is_default: true },
        { value: 202, label: "Ready for Review" },
        { value: 203, label: "Approved" },
        { value: 204, label: "Obsolete" },
      ],
    },
    {
      id: 3002,
      label: "Type",
      data_type: FieldDataType.comboBox,
      original_name: "TestCaseType",
      search_key: "type",
      allowed_values: [
        { value: 701, label: "Manual", is_default: true },
        { value: 702, label: "Automation" },
        { value: 703, label: "Performance" },
        { value: 704, label: "Scenario" },
      ],
    },
    {
      id: 3003,
      label: "Priority",
      data_type: FieldDataType.comboBox,
      original_name: "TestCasePriority",
      search_key: "priority",
      allowed_values: [
        { value: 711, label: "Urgent" },
        { value: 712, label: "High" },
        { value: 713, label: "Medium", is_default: true },
        { value: 714, label: "Low" },
      ],
    },
    { id: 3004, label: "Assigned To", data_type: FieldDataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 3005,
      label: "Automation",
      data_type: FieldDataType.comboBox,
      original_name: "Automation",
      search_key: "automation",
      allowed_values: [
        { value: 721, label: "Yes" },
        { value: 722, label: "No", is_default: true },
      ],
    },
    {
      id: 3006,
      label: "Automation Content",
      data_type: FieldDataType.textBox,
      original_name: "AutomationContent",
      search_key: "automationContent",
    },
  ],
  "test-runs": [
    {
      id: 4001,
      label: "Status",
      data_type: FieldDataType.comboBox,
      original_name: "TestRunStatus",
      search_key: "status",
      readOnly: true,
      allowed_values: executionStatuses.map((s) => ({ value: s.id, label: s.name, is_default: s.is_default })),
    },
    {
      id: 4002,
      label: "Priority",
      data_type: FieldDataType.comboBox,
      original_name: "TestRunPriority",
      search_key: "priority",
      allowed_values: [
        { value: 731, label: "Urgent" },
        { value: 732, label: "High" },
        { value: 733, label: "Medium", is_default: true },
        { value: 734, label: "Low" },
      ],
    },
    { id: 4003, label: "Assigned To", data_type: FieldDataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 4004,
      label: "Planned Start Date",
      data_type: FieldDataType.dateTimePicker,
      original_name: "PlannedStartDate",
      search_key: "plannedStartDate",
    },
    {
      id: 4005,
      label: "Planned End Date",
      data_type: FieldDataType.dateTimePicker,
      original_name: "PlannedEndDate",
      search_key: "plannedEndDate",
    },
    {
      id: 4006,
      label: "Execution Type",
      data_type: FieldDataType.comboBox,
      original_name: "ExecutionTypeTestRun",
      search_key: "type",
      allowed_values: [
        { value: 501, label: "Functional", is_default: true },
        { value: 502, label: "Regression" },
      ],
    },
    {
      id: 4007,
      label: "Environment",
      data_type: FieldDataType.comboBox,
      original_name: "Environment",
      search_key: "environment",
      allowed_values: [
        { value: 741, label: "Chrome" },
        { value: 742, label: "Firefox" },
        { value: 743, label: "Safari" },
        { value: 744, label: "Edge" },
      ],
    },
  ],
  "test-suites": [
    {
      id: 5001,
      label: "Status",
      data_type: FieldDataType.comboBox,
      original_name: "TestSuiteStatus",
      search_key: "status",
      allowed_values: [
        { value: 751, label: "New", is_default: true },
        { value: 752, label: "In Progress" },
        { value: 753, label: "Done" },
      ],
    },
    { id: 5002, label: "Assigned To", data_type: FieldDataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 5003,
      label: "Planned Start Date",
      data_type: FieldDataType.dateTimePicker,
      original_name: "PlannedStartDate",
      search_key: "plannedStartDate",
    },
    {
      id: 5004,
      label: "Planned End Date",
      data_type: FieldDataType.dateTimePicker,
      original_name: "PlannedEndDate",
      search_key: "plannedEndDate",
    },
    {
      id: 5005,
      label: "Environment",
      data_type: FieldDataType.comboBox,
      original_name: "Environment",
      search_key: "environment",
      allowed_values: [
        { value: 761, label: "Chrome" },
        { value: 762, label: "Firefox" },
        { value: 763, label: "Safari" },
        { value: 764, label: "Edge" },
      ],
    },
  ],
  "test-steps": [],
  requirements: [
    {
      id: 6001,
      label: "Status",
      data_type: FieldDataType.comboBox,
      original_name: "RequirementStatus",
      search_key: "status",
      allowed_values: [
        { value: 771, label: "New", is_default: true },
        { value: 772, label: "Approved" },
      ],
    },
    {
      id: 6002,
      label: "Priority",
      data_type: FieldDataType.comboBox,
      original_name: "Priority",
      search_key: "priority",
      allowed_values: [
        { value: 781, label: "High" },
        { value: 782, label: "Medium", is_default: true },
        { value: 783, label: "Low" },
      ],
    },
    {
      id: 6003,
      label: "Type",
      data_type: FieldDataType.comboBox,
      original_name: "Type",
      search_key: "type",
      allowed_values: [
        { value: 791, label: "Functional", is_default: true },
        { value: 792, label: "Non-functional" },
        { value: 793, label: "Business" },
      ],
    },
    { id: 6004, label: "Assigned To", data_type: FieldDataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 6005,
      label: "Description",
      data_type: FieldDataType.richText,
      original_name: "Description",
      search_key: "description",
    },
  ],
  defects: [],
  releases: [
    {
      id: 7001,
      label: "Status",
      data_type: FieldDataType.comboBox,
      original_name: "ReleaseStatus",
      search_key: "status",
      allowed_values: [
        { value: 801, label: "Planning", is_default: true },
        { value: 802, label: "Implementation" },
        { value: 803, label: "Done" },
      ],
    },
    {
      id: 7002,
      label: "Description",
      data_type: FieldDataType.richText,
      original_name: "Description",
      search_key: "description",
    },
  ],
  builds: [],
};

export const defaultUsers = [
  { id: 9001, username: "admin@example.com", email: "admin@example.com", first_name: "Site", last_name: "Admin" },
  { id: 9002, username: "ana.silva@example.com", email: "ana.silva@example.com", first_name: "Ana", last_name: "Silva" },
  { id: 9003, username: "kenji.sato@example.com", email: "kenji.sato@example.com", first_name: "Kenji", last_name: "Sato" },
  { id: 9004, username: "zoe.muller@example.com", email: "zoe.muller@example.com", first_name: "Zoë", last_name: "Müller" },
  { id: 9005, username: "omar.haddad@example.com", email: "omar.haddad@example.com", first_name: "Omar", last_name: "Haddad" },
];
