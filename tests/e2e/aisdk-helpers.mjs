// Small HTTP helpers shared by the AI SDK tests: a fresh account, the balance, the saved chat.
export function createApi(baseUrl) {
  async function json(path, token, init = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  return {
    async register(prefix) {
      const response = await json("/api/auth/register", null, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: `${prefix}-${crypto.randomUUID()}@example.com`, password: "secret123" }),
      });
      if (response.status !== 201) throw new Error(`register: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.access_token;
    },
    async balance(token) {
      const response = await json("/api/account", token);
      if (response.status !== 200) throw new Error(`GET /api/account: ${response.status}`);
      return response.body.current_points;
    },
    async usedCharges(token) {
      const response = await json("/api/account/points/transactions?page=1&size=100", token);
      return response.body.items.filter((item) => item.type === "used");
    },
    async chat(token, chatId) {
      const response = await json(`/api/chat/${chatId}`, token);
      if (response.status !== 200) throw new Error(`GET /api/chat/${chatId}: ${response.status}`);
      return response.body.messages;
    },
    json,
  };
}

export const textOf = (message) => message.parts.filter((p) => p.type === "text").map((p) => p.text).join("");
