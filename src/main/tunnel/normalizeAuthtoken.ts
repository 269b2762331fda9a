export type NormalizedAuthtoken = { ok: true; token: string } | { ok: false; message: string }

const PASTED_COMMAND = /^(?:ngrok\s+(?:config\s+add-authtoken|authtoken)\s+|NGROK_AUTHTOKEN=)/i

/**
 * Trims what people paste (the dashboard's `ngrok config add-authtoken …` line, quotes, whitespace) and rejects
 * what cannot be an authtoken before it is stored. ngrok itself only judges a token after a network round trip.
 */
export function normalizeAuthtoken(input: string): NormalizedAuthtoken {
  const token = input
    .trim()
    .replace(PASTED_COMMAND, '')
    .trim()
    .replace(/^["']|["']$/g, '')
  if (!token)
    return {
      ok: false,
      message:
        'The authtoken is empty. Copy it from https://dashboard.ngrok.com/get-started/your-authtoken.',
    }
  if (token.length < 20 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) {
    return {
      ok: false,
      message:
        'This does not look like an ngrok authtoken (letters, digits and "_" only, about 50 characters). ' +
        'Copy it again from https://dashboard.ngrok.com/get-started/your-authtoken.',
    }
  }
  return { ok: true, token }
}
