import { t } from '../i18n';
import { type Location, navigate } from '../router';

/** Keyset paging in the URL: `cursor` is the API's; "previous" is the browser's back. */
export function Pager({
  location,
  nextCursor,
}: {
  location: Location;
  nextCursor: string | null | undefined;
}) {
  const go = (cursor: string | null) => {
    const params = new URLSearchParams(location.params);
    if (cursor === null) {
      params.delete('cursor');
    } else {
      params.set('cursor', cursor);
    }
    const search = params.toString();
    navigate(`${location.path}${search === '' ? '' : `?${search}`}`);
  };
  return (
    <nav class="pager" aria-label={t('pages')}>
      <button type="button" disabled={!location.params.get('cursor')} onClick={() => go(null)}>
        {t('first')}
      </button>
      <button type="button" disabled={!location.params.get('cursor')} onClick={() => window.history.back()}>
        {t('previous')}
      </button>
      <button type="button" disabled={!nextCursor} onClick={() => go(nextCursor ?? null)}>
        {t('next')}
      </button>
    </nav>
  );
}

/** Reads a form's named fields into the URL (filters), resetting the page. */
export function applyFilters(location: Location, form: HTMLFormElement): void {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value === 'string' && value.trim() !== '') {
      params.set(name, value.trim());
    }
  }
  const search = params.toString();
  navigate(`${location.path}${search === '' ? '' : `?${search}`}`);
}
