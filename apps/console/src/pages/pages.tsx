import type { Person } from '../api';
import { Problem } from '../components';
import { ApiError } from '../api';
import { type Location, match } from '../router';
import { AuditPage } from './audit';
import { DirectoryPage } from './directory';
import { DraftEditorPage } from './draft-editor';
import { MyServicesPage } from './my-services';
import { NoticesPage } from './notices';
import { AdoptionPage } from './adoption';
import { RevisionPage } from './revision';
import { RevisionsPage } from './revisions';
import { RolloutPage } from './rollout';
import { ServicePage } from './service';
import { TimelinePage } from './timeline';

/** The page a path names; service owners start at their services. */
export function Pages({ person, location }: { person: Person; location: Location }) {
  const { path } = location;
  const owner = person.role === 'service-owner';
  if (path === '/' || path === '/timeline') {
    return owner ? <MyServicesPage person={person} /> : <TimelinePage location={location} />;
  }
  if (path === '/services') {
    return <MyServicesPage person={person} />;
  }
  let params = match('/services/:serviceId', path);
  if (params) {
    return <ServicePage serviceId={params.serviceId} person={person} />;
  }
  params = match('/policies/:policyId/revisions', path);
  if (params) {
    return <RevisionsPage policyId={params.policyId} person={person} />;
  }
  params = match('/policies/:policyId/revisions/:number/edit', path);
  if (params) {
    return <DraftEditorPage policyId={params.policyId} from={Number(params.number)} person={person} />;
  }
  params = match('/policies/:policyId/revisions/:number', path);
  if (params) {
    return (
      <RevisionPage
        policyId={params.policyId}
        number={Number(params.number)}
        person={person}
        location={location}
      />
    );
  }
  if (path === '/directory') {
    return <DirectoryPage person={person} location={location} />;
  }
  if (path === '/rollout') {
    return <RolloutPage person={person} location={location} />;
  }
  if (path === '/adoption') {
    return <AdoptionPage person={person} location={location} />;
  }
  if (path === '/notices') {
    return <NoticesPage person={person} location={location} />;
  }
  if (path === '/audit') {
    return <AuditPage location={location} />;
  }
  return <Problem error={new ApiError(404, '', 'NOT_FOUND', [])} />;
}
