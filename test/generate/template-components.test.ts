import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { render } from '@asyncapi/generator-react-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, TEMPLATE_DIR } from '../../scripts/lib/generate/generate.js';
import { templateParams } from '../../scripts/lib/generate/publishers.js';
import { parseSpec } from '../../scripts/lib/generate/spec.js';

// Each component of templates/publishers rendered on its own against a small parsed document, as the
// generator's built-in templates test theirs. The template is plain JavaScript with JSX, so it is imported
// dynamically and typed here.

interface EventDescriptor {
  eventName: string;
  functionName: string;
  fileName: string;
  modulePath: string;
  envelopeType: string;
  summary: string;
  messageSummary: string;
  consumers: string[];
  exchange: string;
  exchangeType: string;
  wire: { routingKey: string; deliveryMode: number; properties: Record<string, unknown> };
}
type Component<P> = (props: P) => unknown;
type EventsProps = { events: EventDescriptor[] };

async function importTemplate<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(path.join(TEMPLATE_DIR, relative)).href)) as T;
}

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/generate/small.asyncapi.yaml');

let events: EventDescriptor[];
let gadgetCreated: EventDescriptor;
let params: { model: string; banner: string };

beforeAll(async () => {
  // The same parameters scripts/generate.ts gives the template: the shared model's events, as JSON.
  params = templateParams((await parseSpec(FIXTURE)).events);
  const helpers = await importTemplate<{ eventDescriptors: (p: unknown) => EventDescriptor[] }>('helpers/events.js');
  events = helpers.eventDescriptors(params);
  const [first] = events;
  if (!first) throw new Error('the fixture has no send operation');
  gadgetCreated = first;
});

/** Renders a component of `components/` (or of the templates' shared folder, `../shared/Banner.jsx`). */
async function renderComponent<P>(file: string, name: string, props: P): Promise<string> {
  const module = await importTemplate<Record<string, Component<P>>>(file.includes('/') ? file : `components/${file}`);
  const component = module[name];
  if (!component) throw new Error(`${file} exports no ${name}`);
  return render(component(props));
}

describe('helpers/events.js', () => {
  it('when the fixture is read, then there is one descriptor per send operation, in document order', () => {
    expect(events).toMatchObject([
      {
        eventName: 'gadget.created',
        functionName: 'publishGadgetCreated',
        fileName: 'publish-gadget-created.ts',
        modulePath: './publishers/publish-gadget-created.js',
        envelopeType: 'GadgetCreatedEvent',
        summary: 'Publish gadget.created when a gadget is created.',
        messageSummary: 'A gadget was created.',
        consumers: ['Inventory', 'Analytics'],
        exchange: 'fixture_events',
        exchangeType: 'topic',
        wire: { routingKey: 'gadget.created', deliveryMode: 2, messageType: 'gadget.created', timestamp: true },
      },
      {
        eventName: 'gadget.retired',
        functionName: 'publishGadgetRetired',
        fileName: 'publish-gadget-retired.ts',
        modulePath: './publishers/publish-gadget-retired.js',
        envelopeType: 'GadgetRetiredEvent',
        summary: 'Publish gadget.retired when a gadget is retired.',
        messageSummary: 'A gadget was retired.',
        consumers: ['Inventory'],
        exchange: 'fixture_events',
        exchangeType: 'topic',
      },
    ]);
  });

  it('when operation ids are turned into file names, then they are kebab-case', async () => {
    const { kebabCase } = await importTemplate<{ kebabCase: (name: string) => string }>('helpers/events.js');
    expect(kebabCase('publishLoyaltyPointsEarned')).toBe('publish-loyalty-points-earned');
    expect(kebabCase('publishAMQPEvent')).toBe('publish-amqp-event');
  });

  it('when the exchange is asked for, then it is the one the model describes, alternate exchange included', async () => {
    const { sharedExchange } = await importTemplate<{ sharedExchange: (p: unknown) => unknown }>('helpers/events.js');
    expect(sharedExchange(params)).toEqual({
      name: 'fixture_events',
      type: 'topic',
      durable: true,
      autoDelete: false,
      vhost: '/',
    });
    expect(() => sharedExchange({})).toThrow(/passes `model`/);
  });
});

describe('publisher components', () => {
  it('when Banner renders with the parameters scripts/generate.ts passes, then it is the do-not-edit line and a blank line', async () => {
    expect(await renderComponent('../shared/Banner.jsx', 'Banner', { params })).toBe(
      '// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.\n\n',
    );
    await expect(renderComponent('../shared/Banner.jsx', 'Banner', { params: {} })).rejects.toThrow(/passes `banner`/);
  });

  it('when CommonModule renders, then it matches the snapshot', async () => {
    const { publishOptions } = await importTemplate<{ publishOptions: (e: EventDescriptor[]) => unknown }>(
      'helpers/events.js',
    );
    const output = await renderComponent('CommonModule.jsx', 'CommonModule', { options: publishOptions(events) });
    expect(output).toContain('  messageId: string;\n');
    expect(output).toContain('  correlationId?: string;\n');
    expect(output).toContain('  timestamp: Date;\n');
    expect(output).toMatchSnapshot();
  });

  it('when PublisherImports renders, then it imports the channel type, the envelope model and common.ts', async () => {
    const output = await renderComponent('PublisherImports.jsx', 'PublisherImports', {
      envelopeType: gadgetCreated.envelopeType,
    });
    expect(output).toMatchSnapshot();
  });

  it('when PublisherFunction renders gadget.created, then it matches the snapshot', async () => {
    const output = await renderComponent('PublisherFunction.jsx', 'PublisherFunction', { event: gadgetCreated });
    expect(output).toMatchSnapshot();
    expect(output).toContain("    'gadget.created',\n");
    expect(output).toContain("      type: 'gadget.created',\n");
    expect(output).toContain(' * - Consumers: Inventory, Analytics\n');
    expect(output).toContain("      appId: 'fixture-service',\n");
    expect(output).toContain('      deliveryMode: 2,\n');
  });

  it('when the document says deliveryMode 1, then the publisher sends transient messages', async () => {
    const event = { ...gadgetCreated, wire: { ...gadgetCreated.wire, deliveryMode: 1 } };
    const output = await renderComponent('PublisherFunction.jsx', 'PublisherFunction', { event });
    expect(output).toContain('      persistent: false,\n      deliveryMode: 1,\n');
  });

  it('when TopologyModule renders the fixture, then it declares what the model describes', async () => {
    const { sharedExchange } = await importTemplate<{ sharedExchange: (p: unknown) => unknown }>('helpers/events.js');
    const output = await renderComponent('TopologyModule.jsx', 'TopologyModule', {
      exchange: sharedExchange(params),
      events,
    });
    expect(output).toMatchSnapshot();
    expect(output).toContain(
      'export const EXCHANGE_OPTIONS = { durable: true, autoDelete: false, arguments: {} } as const;',
    );
  });

  it('when a summary holds a comment terminator or a quote, then the output stays valid', async () => {
    const event = {
      ...gadgetCreated,
      summary: 'Ends */ early',
      eventName: "it's.odd",
      wire: { ...gadgetCreated.wire, routingKey: "it's.odd" },
    };
    const output = await renderComponent('PublisherFunction.jsx', 'PublisherFunction', { event });
    expect(output).toContain(' * Ends *\\/ early\n');
    expect(output).toContain("    'it\\'s.odd',\n");
  });

  it('when an event declares no consumers, then the JSDoc says so', async () => {
    const event = { ...gadgetCreated, consumers: [] };
    const output = await renderComponent('PublisherFunction.jsx', 'PublisherFunction', { event });
    expect(output).toContain(' * - Consumers: none declared\n');
  });
});

describe('index components', () => {
  it.each([
    ['IndexImports.jsx', 'IndexImports'],
    ['IndexReExports.jsx', 'IndexReExports'],
    ['EventNames.jsx', 'EventNames'],
    ['EventEnvelopeTypes.jsx', 'EventEnvelopeTypes'],
    ['PublishEvent.jsx', 'PublishEvent'],
  ])('when %s renders the fixture events, then it matches the snapshot', async (file, name) => {
    expect(await renderComponent<EventsProps>(file, name, { events })).toMatchSnapshot();
  });

  it('when EventCatalog renders, then it types the schemas and examples by event name', async () => {
    expect(await renderComponent('EventCatalog.jsx', 'EventCatalog', {})).toMatchSnapshot();
  });
});
