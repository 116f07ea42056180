import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../../shared/Banner.jsx';
import { CommonModule } from '../../components/CommonModule.jsx';
import { PublisherFunction } from '../../components/PublisherFunction.jsx';
import { PublisherImports } from '../../components/PublisherImports.jsx';
import { eventDescriptors, publishOptions } from '../../helpers/events.js';

/**
 * `publishers/common.ts`, then one `publishers/<operation>.ts` per send operation.
 *
 * @param {import('../../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  const events = eventDescriptors(params);
  return [
    <File key="common" name="common.ts">
      <Banner params={params} />
      <CommonModule options={publishOptions(events)} />
    </File>,
    ...events.map((event) => (
      <File key={event.fileName} name={event.fileName}>
        <Banner params={params} />
        <PublisherImports envelopeType={event.envelopeType} />
        <PublisherFunction event={event} />
      </File>
    )),
  ];
}
