import { request } from 'undici';

export interface Page {
  status: number;
  url: string;
  location: string | null;
  body: string;
}

/**
 * Just enough of a browser for sign-in flows: a cookie jar by name (every server here is
 * 127.0.0.1, and cookies do not depend on the port) and redirects followed one by one, so a test
 * can stop at any hop.
 */
export class CookieBrowser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    // undici's request, not fetch: fetch sends `sec-fetch-mode: cors`, which mod_auth_openidc
    // takes for a script's request (answered 401), not a person's navigation.
    const response = await request(url, {
      method: (init.method ?? (init.form ? 'POST' : 'GET')) as 'GET' | 'POST',
      // One connection per request: a graceful reload closes kept-alive ones under our feet.
      reset: true,
      headers: {
        accept: 'text/html',
        ...(cookie === '' ? {} : { cookie }),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    }).catch((error: unknown) => {
      throw new Error(`${init.form ? 'POST' : 'GET'} ${url}: ${String(error)}`);
    });
    const setCookie = response.headers['set-cookie'];
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const expired = attributes.some(
        (attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /expires=thu, 01 jan 1970/i.test(attribute),
      );
      if (expired) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, pair.slice(index + 1).trim());
      }
    }
    const location = (response.headers.location as string | undefined) ?? null;
    return {
      status: response.statusCode,
      url,
      location: location === null ? null : new URL(location, url).toString(),
      body: await response.body.text(),
    };
  }

  /** Follows redirects from `url` until an answer that is not one, or until `stop` says so. */
  async follow(url: string, stop: (page: Page) => boolean = () => false, init = {}): Promise<Page> {
    let page = await this.request(url, init);
    for (
      let hops = 0;
      hops < 15 && page.location !== null && page.status >= 300 && page.status < 400;
      hops += 1
    ) {
      if (stop(page)) {
        return page;
      }
      page = await this.request(page.location);
    }
    return page;
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}
