/**
 * The page at `GET /api/docs`: the OpenAPI document (api/openapi.ts) rendered once as plain HTML, the operations
 * grouped by tag, each with who may call it, its parameters, its body's fields and its answers. No script and
 * nothing from elsewhere (a shop's network may be offline): its one stylesheet is inline, allowed by its hash in
 * the page's own Content-Security-Policy (no 'unsafe-inline').
 */
import crypto from 'node:crypto';
import type { OpenApiDocument } from './openapi';

/** The parts of JSON Schema (as zod renders it) that the page shows. */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface MediaTypes {
  [mediaType: string]: { schema?: JsonSchema };
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: MediaTypes };
  responses?: Record<string, { description: string; content?: MediaTypes }>;
  'x-permission'?: string;
  'x-roles'?: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #1d2125; max-width: 70rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2rem; }
h3 { margin: 0; font-size: 1.05rem; }
h4 { margin: 0.8rem 0 0.3rem; font-size: 0.9rem; color: #57606a; text-transform: uppercase; letter-spacing: 0.03em; }
code { font: 0.88em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 0 0.2rem; border-radius: 3px; }
nav ul { columns: 2 22rem; padding-left: 1.2rem; }
nav li { break-inside: avoid; }
nav ol { padding-left: 1rem; font-size: 0.9rem; }
article { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.8rem 1rem; margin: 1rem 0; }
article > p { margin: 0.4rem 0; }
.method { display: inline-block; min-width: 4rem; font: bold 0.8rem ui-monospace, monospace; text-align: center; color: #fff; border-radius: 3px; padding: 0.1rem 0.3rem; margin-right: 0.4rem; }
.get { background: #0969da; } .post { background: #1a7f37; } .put { background: #9a6700; } .delete { background: #cf222e; }
.who { font-size: 0.9rem; color: #57606a; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid #eaeef2; padding: 0.25rem 0.5rem 0.25rem 0; }
th { color: #57606a; font-weight: 600; }
td:first-child { white-space: nowrap; }
`;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The document's Markdown as far as it uses it: `code` spans. */
const markdown = (text: string | undefined) =>
  escape(text ?? '').replace(/`([^`]+)`/g, (_m, code: string) => `<code>${code}</code>`);

const literal = (value: unknown) => `<code>${escape(JSON.stringify(value))}</code>`;

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return min === max ? `${min}${unit}` : `${min} to ${max}${unit}`;
  if (min !== undefined) return `at least ${min}${unit}`;
  if (max !== undefined) return `at most ${max}${unit}`;
  return undefined;
}

class Renderer {
  constructor(private readonly document: OpenApiDocument) {}

  private resolve(schema: JsonSchema): JsonSchema {
    const name = schema.$ref?.replace('#/components/schemas/', '');
    const target = name ? (this.document.components?.schemas?.[name] as JsonSchema | undefined) : undefined;
    return target ? this.resolve(target) : schema;
  }

  private type(given: JsonSchema): string {
    const schema = this.resolve(given);
    const choices = schema.anyOf ?? schema.oneOf;
    if (choices) return choices.map((s) => this.type(s)).join(' or ');
    if (schema.const !== undefined) return literal(schema.const);
    if (schema.enum) return `one of ${schema.enum.map(literal).join(' ')}`;
    if (schema.type === 'array') return `array of ${schema.items ? this.type(schema.items) : 'anything'}`;
    if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') {
      return `object: ${this.type(schema.propertyNames ?? { type: 'string' })} → ${this.type(schema.additionalProperties)}`;
    }
    const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
    return type ? escape(type) : 'anything';
  }

  private constraints(given: JsonSchema): string {
    const schema = this.resolve(given);
    const rules = [
      range(schema.minLength, schema.maxLength, ' characters'),
      range(schema.minimum, schema.maximum, ''),
      range(schema.minItems, schema.maxItems, ' items'),
      schema.format ? `format <code>${escape(schema.format)}</code>` : undefined,
      // An email's pattern says no more than its format.
      schema.pattern && !schema.format ? `matches <code>${escape(schema.pattern)}</code>` : undefined,
      schema.default !== undefined ? `default ${literal(schema.default)}` : undefined,
      schema.additionalProperties === false && schema.properties ? 'no other fields' : undefined,
    ];
    return rules.filter(Boolean).join('; ');
  }

  /** One row per field, nested fields as `customer.name` and `lines[].sku`. */
  private fieldRows(given: JsonSchema, prefix = ''): string[] {
    const schema = this.resolve(given);
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
      const path = `${prefix}${name}`;
      const resolved = this.resolve(field);
      const row = `<tr><td><code>${escape(path)}</code></td><td>${required.has(name) ? 'required' : 'optional'}</td><td>${this.type(field)}</td><td>${this.constraints(field)}</td><td>${markdown(resolved.description)}</td></tr>`;
      const items = resolved.type === 'array' && resolved.items ? this.resolve(resolved.items) : undefined;
      const nested = resolved.properties
        ? this.fieldRows(resolved, `${path}.`)
        : items?.properties
          ? this.fieldRows(items, `${path}[].`)
          : [];
      return [row, ...nested];
    });
  }

  private fieldTable(schema: JsonSchema): string {
    const rows = this.fieldRows(schema);
    if (!rows.length) return `<p>${this.type(schema)} ${this.constraints(schema)}</p>`;
    return `<table><tr><th>field</th><th></th><th>type</th><th>rules</th><th></th></tr>${rows.join('')}</table>`;
  }

  private operation(method: string, path: string, op: OperationObject): string {
    const who = op['x-permission']
      ? `Permission <code>${escape(op['x-permission'])}</code>: ${escape((op['x-roles'] ?? []).join(', '))}`
      : 'Public: no key needed';
    const parts = [
      `<article id="${escape(op.operationId ?? '')}">`,
      `<h3><span class="method ${method}">${method.toUpperCase()}</span><code>${escape(path)}</code></h3>`,
      `<p><strong>${markdown(op.summary)}</strong></p>`,
      `<p class="who">${who}</p>`,
    ];
    if (op.description) parts.push(`<p>${markdown(op.description)}</p>`);
    if (op.parameters?.length) {
      const rows = op.parameters.map(
        (p) =>
          `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'required' : 'optional'}</td><td>${p.schema ? this.type(p.schema) : ''}</td><td>${p.schema ? this.constraints(p.schema) : ''}</td><td>${markdown(p.description ?? p.schema?.description)}</td></tr>`,
      );
      parts.push(
        '<h4>Parameters</h4>',
        `<table><tr><th>name</th><th>in</th><th></th><th>type</th><th>rules</th><th></th></tr>${rows.join('')}</table>`,
      );
    }
    for (const [mediaType, { schema }] of Object.entries(op.requestBody?.content ?? {})) {
      const required = op.requestBody?.required ? 'required' : 'optional: no body counts as <code>{}</code>';
      parts.push(`<h4>Body</h4><p><code>${escape(mediaType)}</code>, ${required}</p>`);
      if (schema)
        parts.push(
          mediaType === 'application/json' ? this.fieldTable(schema) : `<p>${markdown(schema.description)}</p>`,
        );
    }
    const answers = Object.entries(op.responses ?? {}).map(([status, response]) => {
      const types = Object.keys(response.content ?? {});
      const isError = Number(status) >= 400 && types.includes('application/json');
      const type = isError ? '<a href="#errors">error</a>' : types.map((t) => `<code>${escape(t)}</code>`).join(' ');
      return `<tr><td>${escape(status)}</td><td>${type}</td><td>${markdown(response.description)}</td></tr>`;
    });
    parts.push('<h4>Answers</h4>', `<table><tr><th>status</th><th>type</th><th></th></tr>${answers.join('')}</table>`);
    parts.push('</article>');
    return parts.join('\n');
  }

  render(style: string): string {
    const { document } = this;
    const byTag = new Map<string, string[]>();
    const navByTag = new Map<string, string[]>();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method] as OperationObject | undefined;
        if (!op) continue;
        const tag = op.tags?.[0] ?? 'Other';
        byTag.set(tag, [...(byTag.get(tag) ?? []), this.operation(method, path, op)]);
        const link = `<li><a href="#${escape(op.operationId ?? '')}">${method.toUpperCase()} ${escape(path)}</a></li>`;
        navByTag.set(tag, [...(navByTag.get(tag) ?? []), link]);
      }
    }
    const tags = document.tags ?? [];
    const slug = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const nav = tags
      .filter((t) => byTag.has(t.name))
      .map(
        (t) => `<li><a href="#${slug(t.name)}">${escape(t.name)}</a><ol>${navByTag.get(t.name)!.join('')}</ol></li>`,
      );
    const sections = tags
      .filter((t) => byTag.has(t.name))
      .map(
        (t) =>
          `<section id="${slug(t.name)}"><h2>${escape(t.name)}</h2><p>${markdown(t.description)}</p>\n${byTag.get(t.name)!.join('\n')}</section>`,
      );
    const schemes = Object.entries(document.components?.securitySchemes ?? {}).map(
      ([name, scheme]) =>
        `<li><code>${escape(name)}</code>: ${markdown((scheme as { description?: string }).description)}</li>`,
    );
    const errorSchema = document.components?.schemas?.Error as JsonSchema | undefined;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>${escape(document.info.title)}</h1>
<p>Version ${escape(document.info.version)} · OpenAPI ${escape(document.openapi)}: <a href="/api/openapi.json"><code>/api/openapi.json</code></a></p>
<p>${markdown(document.info.description)}</p>
<h4>Authentication</h4>
<ul>${schemes.join('')}</ul>
</header>
<nav><h2>Operations</h2><ul>${nav.join('')}</ul></nav>
<section id="errors"><h2>Errors</h2><p>Every refusal and failure answers with this shape (<code>Error</code> in the document):</p>
${errorSchema ? this.fieldTable(errorSchema) : ''}</section>
${sections.join('\n')}
</body>
</html>
`;
  }
}

export interface DocsPage {
  html: string;
  /** The page's own Content-Security-Policy: nothing but its inline stylesheet, by hash. */
  contentSecurityPolicy: string;
}

export function renderDocsPage(document: OpenApiDocument): DocsPage {
  const hash = crypto.createHash('sha256').update(STYLE).digest('base64');
  return {
    html: new Renderer(document).render(STYLE),
    contentSecurityPolicy: [
      "default-src 'none'",
      `style-src 'sha256-${hash}'`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'self'",
    ].join('; '),
  };
}
