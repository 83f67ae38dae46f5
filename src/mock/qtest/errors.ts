/** An error the qTest mock answers with `{code, message}`. */
export class QTestApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
