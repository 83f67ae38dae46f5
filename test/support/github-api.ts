/**
 * An in-process stand-in for the few GitHub REST endpoints the sticky PR comment uses, on 127.0.0.1:
 *
 * - `GET  /repos/{owner}/{repo}/issues/{n}/comments` (paged: `per_page`, `page`, `Link` header)
 * - `POST /repos/{owner}/{repo}/issues/{n}/comments`
 * - `PATCH /repos/{owner}/{repo}/issues/comments/{id}`
 *
 * `readOnly = true` answers writes the way a fork PR's token is answered: 403
 * "Resource not accessible by integration".
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

export interface RecordedApiRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface GitHubApiOptions {
  /** The token the API accepts (`Authorization: token …` or `Bearer …`). */
  token?: string;
  /** Largest page the server hands out whatever `per_page` asks (GitHub: 100). Lower it to force pagination. */
  maxPerPage?: number;
}

export interface GitHubApi {
  url: string;
  token: string;
  /** All comments, in creation order. */
  comments: StoredComment[];
  requests: RecordedApiRequest[];
  /** Mutable: when true, POST/PATCH answer 403 "Resource not accessible by integration". */
  readOnly: boolean;
  /** Mutable: see GitHubApiOptions. */
  maxPerPage: number;
  /** Adds a comment directly (as another user by default). */
  seed(owner: string, repo: string, issueNumber: number, body: string, login?: string): StoredComment;
  /** The comments of one issue or pull request. */
  commentsOn(owner: string, repo: string, issueNumber: number): StoredComment[];
  stop(): Promise<void>;
}

const BOT = { login: "github-actions[bot]", type: "Bot" };

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const token = options.token ?? "ghs_test_token";
  const comments: StoredComment[] = [];
  const requests: RecordedApiRequest[] = [];
  let nextId = 9000;
  let url = "";

  const add = (owner: string, repo: string, issueNumber: number, body: string, user: StoredComment["user"]) => {
    const now = new Date().toISOString();
    const comment: StoredComment = { id: nextId++, owner, repo, issueNumber, body, user, created_at: now, updated_at: now };
    comments.push(comment);
    return comment;
  };
  const commentsOn = (owner: string, repo: string, issueNumber: number) =>
    comments.filter((c) => c.owner === owner && c.repo === repo && c.issueNumber === issueNumber);
  const render = (c: StoredComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${url}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === "Bot" ? "NONE" : "MEMBER",
  });

  const api: GitHubApi = {
    url: "",
    token,
    comments,
    requests,
    readOnly: false,
    maxPerPage: options.maxPerPage ?? 100,
    seed: (owner, repo, issueNumber, body, login = "octocat") => add(owner, repo, issueNumber, body, { login, type: "User" }),
    commentsOn,
    stop: async () => {},
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "";
    requests.push({ method, path: target.pathname + target.search, authorization: req.headers.authorization });
    const raw = await readBody(req);
    const auth = req.headers.authorization;
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(target.pathname);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(target.pathname);
    const isWrite = method === "POST" || method === "PATCH";
    if ((list || one) && isWrite && api.readOnly) {
      return json(res, 403, {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest/issues/comments",
        status: "403",
      });
    }

    if (list && method === "GET") {
      const [, owner = "", repo = "", n = ""] = list;
      const all = commentsOn(owner, repo, Number(n));
      const perPage = Math.min(api.maxPerPage, Math.max(1, Number(target.searchParams.get("per_page") ?? 30)));
      const page = Math.max(1, Number(target.searchParams.get("page") ?? 1));
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const links: string[] = [];
      const pageUrl = (p: number) => {
        const next = new URL(`${url}${target.pathname}`);
        next.searchParams.set("per_page", String(perPage));
        next.searchParams.set("page", String(p));
        return next.href;
      };
      if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
      if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
      const headers: Record<string, string> = links.length > 0 ? { link: links.join(", ") } : {};
      return json(res, 200, all.slice((page - 1) * perPage, page * perPage).map(render), headers);
    }

    if (list && method === "POST") {
      const [, owner = "", repo = "", n = ""] = list;
      const body = parseJson(raw)?.body;
      if (typeof body !== "string" || body === "") return unprocessable(res, "body");
      return json(res, 201, render(add(owner, repo, Number(n), body, BOT)));
    }

    if (one && (method === "PATCH" || method === "GET")) {
      const [, owner = "", repo = "", id = ""] = one;
      const comment = comments.find((c) => c.owner === owner && c.repo === repo && c.id === Number(id));
      if (!comment)
        return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
      if (method === "PATCH") {
        const body = parseJson(raw)?.body;
        if (typeof body !== "string" || body === "") return unprocessable(res, "body");
        comment.body = body;
        comment.updated_at = new Date().toISOString();
      }
      return json(res, 200, render(comment));
    }

    return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.url = url;
  api.stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return api;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
}

function unprocessable(res: ServerResponse, field: string): void {
  json(res, 422, {
    message: "Validation Failed",
    errors: [{ resource: "IssueComment", code: "missing_field", field }],
    documentation_url: "https://docs.github.com/rest",
    status: "422",
  });
}
