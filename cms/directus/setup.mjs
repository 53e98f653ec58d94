#!/usr/bin/env node
// Installs ingest-notify's two collections into a Directus 10 through its REST API, with an admin token, and
// (optionally) the role and user whose static token the bundle uses. Safe to run again: what exists is kept.
//
//   DIRECTUS_URL=https://cms.example.com DIRECTUS_ADMIN_TOKEN=… [INGEST_NOTIFY_TOKEN=…] node setup.mjs
//
// INGEST_NOTIFY_TOKEN set: a role "ingest-notify" with exactly the permissions README.md lists, and a user
// "ingest-notify" of that role whose static token is that value (give the same value to the bundle's CMS_API_TOKEN).
// Needs Node.js 18+ (its fetch). Prints one line per thing it made or found.

const url = (process.env.DIRECTUS_URL || '').replace(/\/+$/, '');
const adminToken = process.env.DIRECTUS_ADMIN_TOKEN || '';
const bundleToken = process.env.INGEST_NOTIFY_TOKEN || '';
if (!url || !adminToken) {
  console.error('Set DIRECTUS_URL and DIRECTUS_ADMIN_TOKEN (a static token of an admin user).');
  process.exit(2);
}

const PREFERENCES = 'ingest_notify_preferences';
const FILES = 'ingest_notify_files';
const ROLE = 'ingest-notify';

const integer = (field, extra = {}) => ({ field, type: 'integer', schema: { is_nullable: true, ...extra }, meta: { interface: 'input' } });
const boolean = (field, dflt) => ({ field, type: 'boolean', schema: { default_value: dflt }, meta: { interface: 'boolean' } });
const string = (field, length, extra = {}) => ({ field, type: 'string', schema: { max_length: length, is_nullable: true, ...extra }, meta: { interface: 'input' } });

const COLLECTIONS = [
  {
    collection: PREFERENCES,
    meta: { icon: 'notifications', note: 'How one user of one company and bot wants the ingest-notify digests (one record per company, bot and email; the email lower-cased)' },
    schema: {},
    fields: [
      { field: 'id', type: 'integer', schema: { is_primary_key: true, has_auto_increment: true }, meta: { hidden: true, readonly: true, interface: 'input' } },
      integer('company_id', { is_nullable: false }),
      integer('bot_id', { is_nullable: false }),
      string('user_email', 254, { is_nullable: false }),
      boolean('notification_enabled', true),
      integer('batch_size_threshold', { default_value: 5 }),
      integer('notification_delay_minutes', { default_value: 30 }),
      string('email_format', 8, { default_value: 'html' }),
      boolean('include_success_details', true),
      boolean('include_error_details', true),
      string('timezone', 64),
      { field: 'quiet_hours_start', type: 'time', schema: { is_nullable: true }, meta: { interface: 'datetime' } },
      { field: 'quiet_hours_end', type: 'time', schema: { is_nullable: true }, meta: { interface: 'datetime' } },
      integer('max_digests_per_day'),
    ],
  },
  {
    collection: FILES,
    meta: { icon: 'description', note: "A file of the ingestion pipeline (id: the events' file_document_id); ingest-notify reads its metadata, marks it after a digest and deletes it when its ingestion failed" },
    schema: {},
    fields: [
      { field: 'id', type: 'string', schema: { is_primary_key: true, max_length: 255, has_auto_increment: false }, meta: { interface: 'input', readonly: false } },
      string('name', 1024, { is_nullable: false }),
      string('storage_key', 1024),
      integer('company_id', { is_nullable: false }),
      integer('bot_id', { is_nullable: false }),
      { field: 'file_size_bytes', type: 'bigInteger', schema: { is_nullable: true }, meta: { interface: 'input' } },
      boolean('notification_sent', false),
      string('last_notification_batch', 64),
    ],
  },
];

// What the bundle does, and nothing more (README.md, "Permissions").
const PERMISSIONS = [
  { collection: PREFERENCES, action: 'read', fields: ['*'] },
  { collection: PREFERENCES, action: 'create', fields: ['company_id', 'bot_id', 'user_email', 'notification_enabled'] },
  { collection: PREFERENCES, action: 'update', fields: ['notification_enabled'] },
  { collection: FILES, action: 'read', fields: ['id', 'name', 'storage_key', 'company_id', 'bot_id'] },
  { collection: FILES, action: 'update', fields: ['notification_sent', 'last_notification_batch'] },
  { collection: FILES, action: 'delete', fields: ['*'] },
];

async function call(method, path, body) {
  const r = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) {
    const e = (json.errors || [])[0] || {};
    throw new Error(`${method} ${path} answered ${r.status}: ${e.message || text} (${(e.extensions || {}).code || 'no code'})`);
  }
  return json.data;
}

async function collections() {
  const existing = new Set((await call('GET', '/collections?limit=-1')).map((c) => c.collection));
  for (const c of COLLECTIONS) {
    if (existing.has(c.collection)) {
      console.log(`collection ${c.collection}: exists, kept`);
      continue;
    }
    await call('POST', '/collections', c);
    console.log(`collection ${c.collection}: created`);
  }
}

async function roleAndUser() {
  const roles = await call('GET', `/roles?filter[name][_eq]=${encodeURIComponent(ROLE)}&limit=1`);
  let role = roles[0];
  if (role) {
    console.log(`role ${ROLE}: exists, kept (its permissions are not changed)`);
  } else {
    role = await call('POST', '/roles', { name: ROLE, icon: 'mark_email_read', admin_access: false, app_access: false,
      description: 'ingest-notify: reads preferences and file metadata, marks and deletes file records, turns notifications off' });
    for (const p of PERMISSIONS) {
      await call('POST', '/permissions', { role: role.id, permissions: {}, validation: {}, ...p });
    }
    console.log(`role ${ROLE}: created with ${PERMISSIONS.length} permissions`);
  }
  const users = await call('GET', `/users?filter[role][_eq]=${role.id}&filter[first_name][_eq]=${encodeURIComponent(ROLE)}&limit=1`);
  if (users[0]) {
    await call('PATCH', `/users/${users[0].id}`, { token: bundleToken });
    console.log(`user ${ROLE}: exists, static token set`);
  } else {
    await call('POST', '/users', { first_name: ROLE, role: role.id, status: 'active', token: bundleToken });
    console.log(`user ${ROLE}: created with the static token`);
  }
}

await collections();
if (bundleToken) {
  await roleAndUser();
} else {
  console.log('INGEST_NOTIFY_TOKEN not set: no role or user made; give a user of your own the permissions README.md lists');
}
