/** A connection URL fit for a log or an error message: its user name and password left out. */
export function urlWithoutCredentials(connectionUrl: string): string {
  const url = new URL(connectionUrl);
  url.username = '';
  url.password = '';
  return url.toString();
}
