import { useEffect, useState } from 'preact/hooks';

// Each page has its own URL; back, reload and shared links work. Links inside the console are
// plain <a href> elements: a click on one is turned into a history entry here.

export interface Location {
  path: string;
  params: URLSearchParams;
}

const read = (): Location => ({
  path: window.location.pathname,
  params: new URLSearchParams(window.location.search),
});
const listeners = new Set<() => void>();
/** Asked before leaving a page (an editor with unsaved changes); false stays. */
let leaveGuard: (() => boolean) | null = null;

export const setLeaveGuard = (guard: (() => boolean) | null): void => {
  leaveGuard = guard;
};

export function navigate(href: string, replace = false): void {
  if (leaveGuard && !leaveGuard()) {
    return;
  }
  leaveGuard = null;
  if (replace) {
    window.history.replaceState(null, '', href);
  } else {
    window.history.pushState(null, '', href);
  }
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

export function installLinkHandler(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) {
      return;
    }
    const url = new URL(anchor.href, window.location.href);
    if (
      url.origin !== window.location.origin ||
      url.pathname.startsWith('/api/') ||
      url.pathname.startsWith('/auth/')
    ) {
      return;
    }
    event.preventDefault();
    navigate(`${url.pathname}${url.search}${url.hash}`);
  });
  window.addEventListener('beforeunload', (event) => {
    if (leaveGuard) {
      event.preventDefault();
    }
  });
}

/** Matches `/services/:serviceId` style patterns; null when the path is not this route. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}/?$`,
  );
  const found = regex.exec(path);
  if (!found) {
    return null;
  }
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
}
