/**
 * qTest's field `data_type` codes (the Swagger's FieldResource says only "integer"; the codes are the
 * ones qTest sites report, see docs/api-notes.md). The product, the mock and the tests name them here.
 */
export const FieldDataType = {
  textBox: 1,
  textArea: 2,
  comboBox: 3,
  datePicker: 4,
  userList: 5,
  richText: 6,
  number: 7,
  checkBox: 8,
  dateTimePicker: 9,
  url: 12,
  multiSelect: 17,
} as const;
export type FieldDataType = (typeof FieldDataType)[keyof typeof FieldDataType];

/** Data types whose value is a list of allowed-value ids (`[1,2]`). */
export function isMultiValued(dataType: number): boolean {
  return dataType === FieldDataType.checkBox || dataType === FieldDataType.multiSelect;
}
