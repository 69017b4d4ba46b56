import { api, itemsOf, type Person } from '../api';
import { Await, useLoad } from '../components';
import { t } from '../i18n';
import type { ServiceView } from './service';

/** Where a service owner lands: the services they own. */
export function MyServicesPage({ person }: { person: Person }) {
  const loaded = useLoad(
    () => api.get<ServiceView[] | { items: ServiceView[] }>('/services').then(itemsOf),
    [],
  );
  return (
    <section>
      <h1>{t('navServices')}</h1>
      <p>{t('ownerServicesLead')}</p>
      <Await loaded={loaded}>
        {(services) => (
          <ul class="cards">
            {services
              .filter((service) => person.services === null || person.services.includes(service.id))
              .map((service) => (
                <li key={service.id}>
                  <a href={`/services/${service.id}`}>
                    <strong>{service.name}</strong> <span class="muted">{service.id}</span>
                  </a>
                </li>
              ))}
          </ul>
        )}
      </Await>
    </section>
  );
}
