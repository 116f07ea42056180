import { createServer } from 'node:http';

/*
 * An OTLP/HTTP trace receiver, run as its own process by the tests and the bench (`node --import tsx
 * test/helpers/otlp-receiver.ts`, PORT in the environment): it takes `POST /v1/traces` and answers as a collector
 * does. The OTLP JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL http/json) is decoded and listed at `GET /spans`, one
 * flat object per span; protobuf (the SDK's default) is only counted. `GET /stats`: requests and bytes received.
 */

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
}
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  links: string[];
  scope: string | undefined;
  resource: Record<string, string | number | boolean>;
}

const flat = (attributes: KeyValue[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue ?? '')),
    ]),
  );

const received: ReceivedSpan[] = [];
const stats = { requests: 0, bytes: 0 };

const server = createServer((request, response) => {
  if (request.method === 'GET' && (request.url === '/spans' || request.url === '/stats')) {
    const body = request.url === '/spans' ? received : stats;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  if (request.method !== 'POST' || request.url !== '/v1/traces') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const bytes = Buffer.concat(chunks);
    stats.requests += 1;
    stats.bytes += bytes.length;
    if (request.headers['content-type'] === 'application/x-protobuf') {
      // An empty ExportTraceServiceResponse: nothing rejected.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      return;
    }
    const body = JSON.parse(bytes.toString('utf8')) as ExportRequest;
    for (const rs of body.resourceSpans ?? []) {
      const resource = flat(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          received.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: span.kind,
            attributes: flat(span.attributes),
            links: (span.links ?? []).map((link) => link.spanId),
            scope: ss.scope?.name,
            resource,
          });
        }
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
