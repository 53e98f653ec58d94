'use strict';

/**
 * The core CRUD actions, plus ingest-notify's two calls:
 * - findByUser: GET /api/user-notification-preferences/by-user/:companyId/:botId/:userEmail answers {"data": {...}}
 *   with the user's record, or the defaults when there is none (so a user who never set anything still gets digests);
 * - unsubscribe: PUT …/by-user/:companyId/:botId/:userEmail/unsubscribe sets notification_enabled = false (creating
 *   the record with the defaults when there is none) and nothing else: a recipient's one-click unsubscribe.
 * The email is matched case-insensitively: the pipeline may report Ana@Example.com for a record saved as
 * ana@example.com.
 */
const { createCoreController } = require('@strapi/strapi').factories;

const UID = 'api::user-notification-preference.user-notification-preference';

const FIELDS = [
  'company_id', 'bot_id', 'user_email', 'notification_enabled', 'batch_size_threshold',
  'notification_delay_minutes', 'email_format', 'include_success_details', 'include_error_details',
  'timezone', 'quiet_hours_start', 'quiet_hours_end', 'max_digests_per_day',
];

const DEFAULTS = {
  notification_enabled: true,
  batch_size_threshold: 5,
  notification_delay_minutes: 30,
  email_format: 'html',
  include_success_details: true,
  include_error_details: true,
  // empty: the bundle's DEFAULT_TIMEZONE, no quiet hours, DEFAULT_MAX_DIGESTS_PER_DAY
  timezone: null,
  quiet_hours_start: null,
  quiet_hours_end: null,
  max_digests_per_day: null,
};

const INTEGER = /^[0-9]{1,9}$/;

/** The user named by the path, or null after answering 400. */
function user(ctx) {
  const { companyId, botId, userEmail } = ctx.params;
  if (!INTEGER.test(companyId) || !INTEGER.test(botId)) {
    ctx.badRequest('companyId and botId must be non-negative integers');
    return null;
  }
  const email = String(userEmail || '').trim();
  if (email === '' || email.length > 254) {
    ctx.badRequest('userEmail must be an email address');
    return null;
  }
  return { company: Number(companyId), bot: Number(botId), email };
}

function findUser(strapi, { company, bot, email }) {
  return strapi.documents(UID).findFirst({
    filters: { company_id: company, bot_id: bot, user_email: { $eqi: email } },
    fields: FIELDS,
  });
}

module.exports = createCoreController(UID, ({ strapi }) => ({
  async findByUser(ctx) {
    const u = user(ctx);
    if (!u) {
      return;
    }
    const { company, bot, email } = u;
    const found = await findUser(strapi, u);
    if (found) {
      ctx.body = { data: found };
      return;
    }
    ctx.body = { data: { company_id: company, bot_id: bot, user_email: email.toLowerCase(), ...DEFAULTS, is_default: true } };
  },

  async unsubscribe(ctx) {
    const u = user(ctx);
    if (!u) {
      return;
    }
    const found = await findUser(strapi, u);
    const saved = found
      ? await strapi.documents(UID).update({ documentId: found.documentId, data: { notification_enabled: false }, fields: FIELDS })
      : await strapi.documents(UID).create({
        data: { company_id: u.company, bot_id: u.bot, user_email: u.email, ...DEFAULTS, notification_enabled: false },
        fields: FIELDS,
      });
    ctx.body = { data: saved };
  },
}));
