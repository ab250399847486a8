// Renders /api/openapi.json and /api/asyncapi.json as a list of operations. Text only
// (textContent, never innerHTML), served from our own origin under the strict CSP.
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
};
// Focusable, so a keyboard can scroll a long schema.
const pretty = (value) => el('pre', { tabindex: '0' }, JSON.stringify(value, null, 2));

/** Follows a local `$ref` ("#/components/schemas/X") one level, for display. */
function resolve(doc, schema) {
  const ref = schema && schema.$ref;
  if (!ref || !ref.startsWith('#/')) return schema;
  return ref
    .slice(2)
    .split('/')
    .reduce((node, key) => (node ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
}
const refName = (schema) => (schema && schema.$ref ? schema.$ref.split('/').pop() : null);

function schemaBlock(doc, title, schema) {
  const name = refName(schema);
  return el('div', {}, el('h3', {}, name ? `${title}: ${name}` : title), pretty(resolve(doc, schema)));
}

function operationView(doc, method, path, op) {
  const body = el('div', { class: 'op-body' });
  if (op.description) body.append(el('p', {}, op.description));
  if (op.parameters && op.parameters.length) {
    const rows = op.parameters.map((p) =>
      el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, p.in), el('td', {}, p.required ? 'yes' : 'no'), el('td', {}, el('code', {}, JSON.stringify(p.schema)))),
    );
    body.append(
      el('h3', {}, 'Parameters'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'In'), el('th', { scope: 'col' }, 'Required'), el('th', { scope: 'col' }, 'Schema'))), el('tbody', {}, ...rows)),
    );
  }
  if (op.requestBody) {
    for (const [media, c] of Object.entries(op.requestBody.content)) body.append(schemaBlock(doc, `Request body (${media})`, c.schema));
  }
  body.append(el('h3', {}, 'Responses'));
  const list = el('ul');
  for (const [status, r] of Object.entries(op.responses)) {
    const item = el('li', {}, el('strong', {}, status), ` ${r.description}`);
    const json = r.content && r.content['application/json'];
    if (json && status < '400') item.append(schemaBlock(doc, 'Body', json.schema));
    else if (r.content) item.append(' ', el('code', {}, Object.keys(r.content).join(', ')));
    list.append(item);
  }
  body.append(list);
  return el(
    'details',
    { class: 'op', id: op.operationId },
    el('summary', {}, el('span', { class: `method ${method}` }, method), el('code', { class: 'path' }, path), el('span', {}, op.summary || '')),
    body,
  );
}

function renderHttp(doc, into, toc) {
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operationView(doc, method, path, op));
    }
  }
  into.append(el('p', {}, doc.info.description));
  for (const [tag, ops] of byTag) {
    const id = `tag-${tag.replace(/\W+/g, '-')}`;
    into.append(el('section', { 'aria-labelledby': id }, el('h2', { id }, `HTTP: ${tag}`), ...ops));
    toc.append(el('li', {}, el('a', { href: `#${id}` }, tag)));
  }
}

function renderEvents(doc, into, toc) {
  const id = 'socket-events';
  const section = el('section', { 'aria-labelledby': id }, el('h2', { id }, 'Socket.IO events'));
  for (const line of doc.info.description.split('\n\n')) section.append(el('p', {}, line));
  for (const [opId, op] of Object.entries(doc.operations)) {
    const channel = doc.channels[opId];
    const body = el('div', { class: 'op-body' }, el('p', {}, el('code', {}, op.summary)));
    for (const [role, ref] of Object.entries(channel.messages)) {
      const message = resolve(doc, ref);
      body.append(schemaBlock(doc, role === 'ack' ? 'Ack' : role === 'request' ? 'Payload' : 'Message', message.payload));
    }
    section.append(
      el(
        'details',
        { class: 'op', id: `event-${opId}` },
        el('summary', {}, el('span', { class: `method ${op.action}` }, op.action === 'receive' ? 'emit' : 'on'), el('code', { class: 'path' }, channel.address), el('span', {}, op.title)),
        body,
      ),
    );
  }
  into.append(section);
  toc.append(el('li', {}, el('a', { href: `#${id}` }, 'Socket.IO events')));
}

async function main() {
  const status = document.getElementById('status');
  try {
    const [openapi, asyncapi] = await Promise.all(['/api/openapi.json', '/api/asyncapi.json'].map((u) => fetch(u).then((r) => r.json())));
    const toc = document.getElementById('toc');
    renderHttp(openapi, document.getElementById('http'), toc);
    renderEvents(asyncapi, document.getElementById('events'), toc);
    status.textContent = `${Object.values(openapi.paths).reduce((n, item) => n + Object.keys(item).length, 0)} HTTP operations, ${Object.keys(asyncapi.operations).length} socket events.`;
  } catch (err) {
    status.textContent = `Could not load the API description: ${err}`;
  }
}
main();
