// The /v1 API: the key this browser holds, and requests that turn problems into ApiError.

const STORE = window.sessionStorage;
const KEY = "keepwarm.key";
const KEY_ID = "keepwarm.key_id";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }

  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export const session = {
  get key() {
    return STORE.getItem(KEY);
  },
  get keyId() {
    return STORE.getItem(KEY_ID);
  },
  save(key, keyId) {
    STORE.setItem(KEY, key);
    if (keyId) STORE.setItem(KEY_ID, keyId);
  },
  clear() {
    STORE.removeItem(KEY);
    STORE.removeItem(KEY_ID);
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) return response.json();
  return response.text();
}

// The API sits beside the app: the app at <prefix>/app/ talks to <prefix>/v1/…, so it works
// behind a proxy that serves keepwarm under a path prefix.
export function apiUrl(path) {
  return new URL(`../${path.replace(/^\/+/, "")}`, document.baseURI);
}

// request("GET", "/v1/agenda", {query, json, body, headers}) -> {data, etag}
export async function request(method, path, options = {}) {
  const url = apiUrl(path);
  for (const [name, value] of Object.entries(options.query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  if (session.key && !options.anonymous) headers.Authorization = `Bearer ${session.key}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, cache: "no-store" });
  } catch {
    throw new ApiError(0, { title: "Offline", detail: "Could not reach keepwarm. Check your connection and try again." });
  }
  const data = await parse(response);
  if (!response.ok) {
    const error = new ApiError(response.status, typeof data === "object" ? data : null);
    if (response.status === 401 && !options.anonymous) onUnauthorized(error);
    throw error;
  }
  return { data, etag: response.headers.get("ETag") };
}

export async function get(path, query) {
  return (await request("GET", path, { query })).data;
}

export async function post(path, json, query) {
  return (await request("POST", path, { json, query })).data;
}

// Every page of a cursor-paginated list.
export async function all(path, query = {}) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path, { ...query, limit: 200, cursor });
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
