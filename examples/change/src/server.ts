export function handler(): string {
  return "ok: payments-api";
}
