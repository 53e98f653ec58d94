'use strict';

/**
 * Test-only Strapi app: the bundle's content types (cms/strapi/src/api, copied into src/api by the test support
 * class StrapiServer) plus API tokens with fixed values from the environment, so the tests know them:
 * STRAPI_FULL_TOKEN (full access, for seeding), STRAPI_BUNDLE_TOKEN (custom: exactly the permissions
 * cms/strapi/README.md lists), STRAPI_READONLY_TOKEN (read-only).
 */
const TOKENS = [
  { env: 'STRAPI_FULL_TOKEN', name: 'test-full-access', type: 'full-access' },
  {
    env: 'STRAPI_BUNDLE_TOKEN',
    name: 'ingest-notify',
    type: 'custom',
    permissions: [
      'api::user-notification-preference.user-notification-preference.findByUser',
      'api::user-notification-preference.user-notification-preference.unsubscribe',
      'api::file.file.find',
      'api::file.file.findOne',
      'api::file.file.update',
      'api::file.file.delete',
    ],
  },
  { env: 'STRAPI_READONLY_TOKEN', name: 'test-read-only', type: 'read-only' },
];

module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    const tokens = strapi.service('admin::api-token');
    for (const t of TOKENS) {
      const value = process.env[t.env];
      if (!value) {
        continue;
      }
      const existing = await strapi.db.query('admin::api-token').findOne({ where: { name: t.name } });
      const token = existing || (await tokens.create({
        name: t.name,
        description: `fixed test token (${t.env})`,
        type: t.type,
        lifespan: null,
        permissions: t.permissions || [],
      }));
      // The service makes a random key; the tests need a known one.
      await strapi.db.query('admin::api-token').update({
        where: { id: token.id },
        data: { accessKey: tokens.hash(value) },
      });
    }
  },
};
