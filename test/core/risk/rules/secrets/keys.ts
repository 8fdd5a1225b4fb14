/**
 * Test credentials built at runtime from a seeded generator, so the repository never holds a literal that
 * looks like a real key (and secret scanners stay quiet). Same seed, same key.
 */

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE = `${ALNUM}_-`;
const HEX = "0123456789abcdef";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64 = `${ALNUM}+/`;

/** Deterministic pseudo-random string (mulberry32) over `alphabet`. */
export function rand(n: number, alphabet = ALNUM, seed = 1): string {
  let a = seed >>> 0;
  let out = "";
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(r * alphabet.length)];
  }
  return out;
}

const j = (...parts: string[]) => parts.join("");
const MARK = ["T3Bl", "bkFJ"].join("");

export const keys = {
  openaiProject: (s = 1) => j("sk-", "proj-", rand(74, URLSAFE, s), MARK, rand(74, URLSAFE, s + 1)),
  openaiLegacy: (s = 2) => j("sk-", rand(20, ALNUM, s), MARK, rand(20, ALNUM, s + 1)),
  anthropic: (s = 3) => j("sk-", "ant-", "api03-", rand(93, URLSAFE, s), "AA"),
  anthropicOauth: (s = 4) => j("sk-", "ant-", "oat01-", rand(93, URLSAFE, s), "AA"),
  google: (s = 5) => j("AI", "za", rand(35, URLSAFE, s)),
  awsId: (s = 6) => j("AK", "IA", rand(16, BASE32, s)),
  awsSecret: (s = 7) => rand(40, BASE64, s),
  github: (s = 8) => j("gh", "p_", rand(36, ALNUM, s)),
  githubPat: (s = 9) => j("github", "_pat_", rand(22, ALNUM, s), "_", rand(59, ALNUM, s + 1)),
  slackBot: (s = 10) =>
    j(
      "xo",
      "xb-",
      rand(12, "0123456789", s),
      "-",
      rand(13, "0123456789", s + 1),
      "-",
      rand(24, ALNUM, s + 2),
    ),
  slackWebhook: (s = 11) =>
    j(
      "https://hooks.",
      "slack.com/services/T",
      rand(9, BASE32, s),
      "/B",
      rand(9, BASE32, s + 1),
      "/",
      rand(24, ALNUM, s + 2),
    ),
  stripe: (s = 12) => j("sk", "_live_", rand(24, ALNUM, s)),
  groq: (s = 13) => j("gs", "k_", rand(52, ALNUM, s)),
  xai: (s = 14) => j("xa", "i-", rand(80, ALNUM, s)),
  openrouter: (s = 15) => j("sk-", "or-v1-", rand(64, HEX, s)),
  huggingface: (s = 16) => j("h", "f_", rand(34, ALNUM, s)),
  perplexity: (s = 17) => j("pp", "lx-", rand(48, ALNUM, s)),
  replicate: (s = 18) => j("r", "8_", rand(37, ALNUM, s)),
  langsmith: (s = 19) => j("lsv2", "_pt_", rand(32, HEX, s), "_", rand(10, HEX, s + 1)),
  pemHeader: () => j("-----BEGIN ", "RSA PRIVATE", " KEY-----"),
  pem: (s = 20) =>
    j(
      "-----BEGIN ",
      "PRIVATE",
      " KEY-----\n",
      rand(64, BASE64, s),
      "\n",
      rand(64, BASE64, s + 1),
      "\n-----END PRIVATE KEY-----",
    ),
  jwt: (s = 21) =>
    j("ey", "J", rand(30, URLSAFE, s), ".ey", "J", rand(40, URLSAFE, s + 1), ".", rand(43, URLSAFE, s + 2)),
  /** A generic high-entropy value of no known format. */
  generic: (n = 32, s = 22) => rand(n, ALNUM, s),
};
