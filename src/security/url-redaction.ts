/** Query parameters that carry a credential: a signed link's signature, or a secret some client put in a URL. */
const SECRET_PARAMETERS = new Set([
  'signature',
  'token',
  'authtoken',
  'access_token',
  'secret',
  'clientsecret',
  'password',
  'key',
  'apikey',
  'x-cassandra-token',
]);

function parameterName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** A request URL as it may be logged: the values of credential-bearing query parameters replaced, however the name is spelt. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMETERS.has(parameterName(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
